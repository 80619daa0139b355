"""Codegen wing: LaTeX documents and standalone numeric modules from symbolic results."""
