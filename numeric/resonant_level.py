"""Exact transport through the resonant-level model, the reference for the electronic bounds.

A single spinless level eps_0 between two wide-band leads with level widths
Gamma_L, Gamma_R (energies hbar Gamma), Gamma = Gamma_L + Gamma_R:

    A(eps) = Gamma / ((eps - eps_0)^2 + Gamma^2/4),       Int d eps A / 2 pi = 1 = mu^(0),
    T(eps) = Gamma_eff A(eps) = Gamma_L Gamma_R / ((eps - eps_0)^2 + Gamma^2/4),

and the Meir-Wingreen (here Landauer) currents at zero bias, mu_L = mu_R = mu,
in reduced units hbar = k_B = e = 1 (h = 2 pi):

    J_Q   = (1/2 pi) Int d eps (eps - mu) [f_L - f_R] T(eps),
    kappa = (1/2 pi) Int d eps ((eps - mu)/T)^2 f (1 - f) T(eps)   (dJ_Q/dT_L at T_L = T_R),
    G     = (1/2 pi) Int d eps f (1 - f)/T T(eps).

The integrals run over the window mu +- 80 max(T) (every integrand carries a
Fermi factor below e^-80 outside it), cut into panels a quarter of min(Gamma, T)
wide at the resonance and at mu and growing geometrically away from them, each
by adaptive Gauss-Kronrod quadrature (scipy ``quad``, relative error 1e-11).
The tests check them against mpmath quadrature, the closed form of G (see
:func:`charge_conductance`), and the high- and low-temperature limits.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
from scipy.integrate import quad

from heatbounds.numeric.electronic_bounds import LeadWidths
from heatbounds.numeric.errors import NumericInputError

__all__ = ["ResonantLevel", "charge_conductance", "heat_conductance", "heat_current"]

_WINDOW_T = 80.0  # the Fermi factors are below e^-80 beyond mu +- 80 T


def _finite(value, name: str) -> float:
    x = float(value)
    if not math.isfinite(x):
        raise NumericInputError(f"{name} = {value!r}: expected a finite number")
    return x


@dataclass(frozen=True)
class ResonantLevel(LeadWidths):
    """A level eps_0 between wide-band leads of widths Gamma_L, Gamma_R at chemical potential mu."""

    eps0: float
    gamma_left: float
    gamma_right: float
    mu: float = 0.0

    def __post_init__(self):
        for name in ("eps0", "gamma_left", "gamma_right", "mu"):
            object.__setattr__(self, name, _finite(getattr(self, name), name))
        if self.gamma_left < 0 or self.gamma_right < 0:
            raise NumericInputError(
                f"Gamma_L = {self.gamma_left!r}, Gamma_R = {self.gamma_right!r}: "
                "level widths are >= 0"
            )
        if self.gamma <= 0:
            raise NumericInputError("Gamma_L + Gamma_R must be > 0 (an uncoupled level)")

    def spectral_function(self, eps):
        """A(eps) = Gamma / ((eps - eps_0)^2 + Gamma^2/4)."""
        eps = np.asarray(eps, dtype=float)
        return self.gamma / ((eps - self.eps0) ** 2 + self.gamma**2 / 4)

    def transmission(self, eps):
        """T(eps) = Gamma_eff A(eps) (<= 1, equal to 1 at resonance for Gamma_L = Gamma_R)."""
        return self.gamma_eff * self.spectral_function(eps)


def _temperature(value, name: str) -> float:
    t = _finite(value, name)
    if t <= 0:
        raise NumericInputError(f"{name} = {value!r}: a temperature must be > 0")
    return t


def _integrate(level: ResonantLevel, weight, t_max: float) -> float:
    """(1/2 pi) Int d eps weight(eps) T(eps) over the window, plus the Lorentzian's tails."""
    lo, hi = level.mu - _WINDOW_T * t_max, level.mu + _WINDOW_T * t_max
    points = sorted({p for p in (level.mu, level.eps0) if lo < p < hi})
    edges = [lo, *points, hi]
    panels = [panel for a, b in itertools.pairwise(edges) for panel in _panels(a, b, level, t_max)]

    def integrand(e):
        return weight(e) * level.transmission(e)

    # An absolute floor from the integral's size (midpoint rule over the panels), so
    # that panels where the integrand is ~0 stop at round-off instead of warning.
    scale = sum((x1 - x0) * abs(integrand((x0 + x1) / 2)) for x0, x1 in panels)
    floor = 1e-13 * scale / len(panels)
    total = 0.0
    for x0, x1 in panels:
        value, _ = quad(integrand, x0, x1, epsabs=floor, epsrel=1e-11, limit=400)
        total += value
    return total / (2 * math.pi)


def _panels(a: float, b: float, level: ResonantLevel, t_max: float):
    """Split [a, b] into panels a few Gamma or T wide near the features, geometric beyond."""
    scale = max(min(level.gamma, t_max), 1e-300)
    cuts = {a, b}
    for centre in (level.eps0, level.mu):
        for k in range(-40, 41):
            step = math.copysign(scale * 2.0 ** abs(k) / 4, k) if k else 0.0
            x = centre + step
            if a < x < b:
                cuts.add(x)
    ordered = sorted(cuts)
    return list(itertools.pairwise(ordered))


def _fermi_difference(x: float, t_left: float, t_right: float) -> float:
    """f(x/T_L) - f(x/T_R) for f(y) = 1/(e^y + 1), x = eps - mu, without cancellation.

    tanh a - tanh b = sinh(a - b)/(cosh a cosh b), with a - b formed from
    T_L - T_R directly, so that nearly equal temperatures keep full precision.
    """
    a, b = x / (2 * t_right), x / (2 * t_left)
    if max(abs(a), abs(b)) > 350:  # both Fermi factors are 0 or 1 to e^-700
        return 0.5 * (math.tanh(a) - math.tanh(b))
    return (
        0.5
        * math.sinh(x * (t_left - t_right) / (2 * t_left * t_right))
        / (math.cosh(a) * math.cosh(b))
    )


def heat_current(level: ResonantLevel, t_left: float, t_right: float) -> float:
    """J_Q from the left lead into the right at zero bias (hbar = k_B = 1)."""
    tl, tr = _temperature(t_left, "t_left"), _temperature(t_right, "t_right")
    if tl == tr:
        return 0.0

    def weight(eps):
        x = eps - level.mu
        return x * _fermi_difference(x, tl, tr)

    return _integrate(level, weight, max(tl, tr))


def _window(x: float) -> float:
    """f (1 - f) = 1/(4 cosh^2(x/2)), without overflow."""
    if abs(x) > 700:
        return 0.0
    return 0.25 / math.cosh(x / 2) ** 2


def heat_conductance(level: ResonantLevel, temperature: float) -> float:
    """kappa = dJ_Q/dT_L at T_L = T_R = T, zero bias (hbar = k_B = 1)."""
    t = _temperature(temperature, "temperature")

    def weight(eps):
        x = (eps - level.mu) / t
        return x * x * _window(x)

    return _integrate(level, weight, t)


def charge_conductance(level: ResonantLevel, temperature: float) -> float:
    """G = dI/dV at zero bias (e = hbar = 1; e^2/h = 1/2 pi).

    Closed form: G = Gamma_eff Re psi'(z) / (2 pi^2 T) with
    z = 1/2 + (Gamma/2 + i (eps_0 - mu))/(2 pi T), psi' the trigamma function;
    the tests compare with it.
    """
    t = _temperature(temperature, "temperature")

    def weight(eps):
        return _window((eps - level.mu) / t) / t

    return _integrate(level, weight, t)
