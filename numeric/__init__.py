"""Numeric wing: spectral cross-checks, exact references, quantum Monte Carlo."""
