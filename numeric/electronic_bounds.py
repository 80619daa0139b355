"""Sum-rule bounds on electronic heat and charge transport through a quantum dot.

Reduced units: hbar = k_B = e = 1 (so h = 2 pi); energies, temperatures and
level widths Gamma (energies hbar Gamma) share one unit. The derivation is on
the docs page "Electronic junctions"; in short, for leads coupled
proportionally (Gamma_L(eps) = lambda Gamma_R(eps)) at zero bias
(mu_L = mu_R = mu), the Meir-Wingreen current (PRL 68, 2512 (1992), Eq. 9,
proportional case) is

    J_Q = (1/h) Int d eps (eps - mu) [f_L - f_R] Tr[Gamma_eff A(eps)],

with A = i (G^r - G^a) and Gamma_eff = Gamma_L Gamma_R / (Gamma_L + Gamma_R).
Writing f_L - f_R as the integral of df/dT over the temperature,

    (eps - mu) [f_L - f_R] = k_B Int_{T_R}^{T_L} dT F(x),   F(x) = x^2 e^x / (1 + e^x)^2,

x = (eps - mu)/k_B T, and 0 <= F <= c0 = F(x*), x* tanh(x*/2) = 2. Since
Tr[Gamma_eff A] >= 0 (both positive semidefinite) and, for wide-band leads,
Int d eps A_{nn'} = 2 pi mu^(0)_{nn'} with mu^(0)_{nn'} = <{A_n, A_n'^dag}>,

    abs(J_Q) <= (c0 / hbar) k_B abs(T_L - T_R) sum_{nn'} Gamma_eff^{n'n} mu^(0)_{nn'},
    kappa <= (c0 / hbar) k_B sum Gamma_eff mu^(0)            (zero-bias heat conductance),
    G <= (e^2 / hbar) sum Gamma_eff mu^(0) / (4 k_B T)          (F -> max of -df/d eps).

The argument of every function here is that weighted zeroth moment,
``weighted_mu0`` = sum Gamma_eff mu^(0) (an energy; Gamma_eff for a single
level, where mu^(0) = 1).
"""

from __future__ import annotations

import math
from functools import cache

from scipy.optimize import brentq

from heatbounds.numeric.errors import NumericInputError

__all__ = [
    "LeadWidths",
    "charge_conductance_bound",
    "fermi_window_maximum",
    "heat_conductance_bound",
    "heat_current_bound",
    "thermal_conductance_quantum",
]


class LeadWidths:
    """Gamma and Gamma_eff of a dot's two leads, for classes with fields
    ``gamma_left``, ``gamma_right`` (level widths Gamma_L, Gamma_R, energies)."""

    gamma_left: float
    gamma_right: float

    @property
    def gamma(self) -> float:
        """Gamma = Gamma_L + Gamma_R, the dot's total level width."""
        return self.gamma_left + self.gamma_right

    @property
    def gamma_eff(self) -> float:
        """Gamma_eff = Gamma_L Gamma_R / Gamma, which weights mu^(0) in the bounds."""
        return self.gamma_left * self.gamma_right / self.gamma


@cache
def fermi_window_maximum() -> tuple[float, float]:
    """(x*, c0): the maximum c0 of F(x) = x^2 e^x/(1 + e^x)^2 and where it lies.

    F'(x) = 0 gives x tanh(x/2) = 2: x* = 2.39935..., c0 = 0.43923...
    (F is even, so -x* is the other maximum.)
    """
    x_star = brentq(lambda x: x * math.tanh(x / 2) - 2, 1.0, 4.0, xtol=1e-15, rtol=1e-15)
    c0 = x_star**2 * math.exp(x_star) / (1 + math.exp(x_star)) ** 2
    return x_star, c0


def _checked(weighted_mu0: float, name: str = "weighted_mu0") -> float:
    value = float(weighted_mu0)
    if not math.isfinite(value) or value < 0:
        raise NumericInputError(
            f"{name} = {weighted_mu0!r}: sum Gamma_eff mu^(0) is a finite energy >= 0"
        )
    return value


def _temperature(value: float, name: str) -> float:
    t = float(value)
    if not math.isfinite(t) or t <= 0:
        raise NumericInputError(f"{name} = {value!r}: a temperature must be finite and > 0")
    return t


def heat_current_bound(weighted_mu0: float, t_left: float, t_right: float) -> float:
    """The bound on abs(J_Q): c0 abs(T_L - T_R) sum Gamma_eff mu^(0) (hbar = k_B = 1)."""
    _temperature(t_left, "t_left")
    _temperature(t_right, "t_right")
    return fermi_window_maximum()[1] * abs(t_left - t_right) * _checked(weighted_mu0)


def heat_conductance_bound(weighted_mu0: float) -> float:
    """The bound on the zero-bias heat conductance: c0 sum Gamma_eff mu^(0).

    It bounds the open-circuit conductance too, which is smaller: at zero
    charge current kappa = K2 - K1^2/K0 <= K2, the zero-bias value.
    """
    return fermi_window_maximum()[1] * _checked(weighted_mu0)


def charge_conductance_bound(weighted_mu0: float, temperature: float) -> float:
    """The bound on the linear charge conductance: sum Gamma_eff mu^(0) / (4 T) (e = hbar = 1).

    -df/d eps <= 1/(4 k_B T), at eps = mu.
    """
    return _checked(weighted_mu0) / (4 * _temperature(temperature, "temperature"))


def thermal_conductance_quantum(temperature: float) -> float:
    """pi^2 k_B^2 T / (3 h) = pi T / 6 (hbar = k_B = 1): one fully open electronic channel."""
    return math.pi * _temperature(temperature, "temperature") / 6
