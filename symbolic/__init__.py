"""Symbolic wing: operator algebra, junction models, sum rules and bounds.

Pure SymPy objects out; this wing imports neither :mod:`heatbounds.codegen`
nor :mod:`heatbounds.numeric`.
"""
