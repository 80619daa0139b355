"""The named physical parameters, their SymPy symbols and one-line meanings.

Built-in models use exactly these identifiers, so that every free symbol of a
printed ``sympy`` string is a plain identifier listed with its meaning.
"""

from __future__ import annotations

from sympy import Symbol

__all__ = ["MEANINGS", "alpha", "alpha_L", "alpha_R", "derived", "gamma", "hbar", "k_B", "symbol"]

MEANINGS: dict[str, str] = {
    "hbar": "reduced Planck constant",
    "k_B": "Boltzmann constant",
    "omega0": "oscillator frequency omega_0 (rad/s)",
    "Delta": "tunnelling frequency Delta of the spin, H_s = (hbar Delta/2) sigma_x (rad/s)",
    "omega_c": "bath cutoff frequency omega_c (rad/s)",
    "alpha_L": "dimensionless coupling alpha_L of the left bath, J_L = 2 alpha_L Jtilde",
    "alpha_R": "dimensionless coupling alpha_R of the right bath, J_R = 2 alpha_R Jtilde",
    "T": "temperature of both baths, T_L = T_R = T (K)",
    "T_L": "temperature of the left bath (K)",
    "T_R": "temperature of the right bath (K)",
    "lam": "strength lambda of the anharmonic potential lambda x^n (energy)",
    "M": "number of modes in each bath (oo for a continuum)",
    "N_levels": "number N of levels of the N-level system",
    "energy": "level energy E_n = energy(n) of the N-level system, H_s = sum_n E_n |n><n|",
    "omega_res": "resonance frequency omega_R of a Lorentzian spectral function (rad/s)",
    "eta": "width parameter eta of a Lorentzian spectral function (s^2)",
    "Gamma_L": "wide-band level width hbar Gamma_L of the left lead (energy)",
    "Gamma_R": "wide-band level width hbar Gamma_R of the right lead (energy)",
    "mu": "common chemical potential mu of both leads (energy)",
    "c_0": "c_0 = max_x x^2 e^x/(1 + e^x)^2 = 0.43923..., at x tanh(x/2) = 2 "
    "(the Fermi window's maximum)",
}

_POSITIVE = {
    "c_0",
    "hbar",
    "k_B",
    "omega0",
    "Delta",
    "omega_c",
    "T",
    "T_L",
    "T_R",
    "omega_res",
    "eta",
}
_NONNEGATIVE = {"alpha_L", "alpha_R", "Gamma_L", "Gamma_R"}


def symbol(name: str) -> Symbol:
    """The SymPy symbol of a named parameter, with its assumptions."""
    if name in _POSITIVE:
        return Symbol(name, positive=True)
    if name in _NONNEGATIVE:
        return Symbol(name, nonnegative=True)
    if name in ("M", "N_levels"):
        return Symbol(name, positive=True, integer=True)
    return Symbol(name, real=True)


hbar = symbol("hbar")
k_B = symbol("k_B")
alpha_L = symbol("alpha_L")
alpha_R = symbol("alpha_R")
# The paper's derived couplings (below Eq. 5), kept as symbols for printing.
alpha = Symbol("alpha", nonnegative=True)
gamma = Symbol("gamma", nonnegative=True)


def derived() -> dict:
    """alpha = alpha_L + alpha_R and gamma = 4 alpha_L alpha_R / alpha^2 (below Eq. 5)."""
    total = alpha_L + alpha_R
    return {alpha: total, gamma: 4 * alpha_L * alpha_R / total**2}
