"""Forms of dissipation Jtilde(omega) and their odd-power majorants (Supplement).

The bound of Eq. 9 uses Jtilde(omega) = omega exp(-omega/omega_c) <= omega
(Eq. 8). For any other form, a majorant F(omega) = sum_l c_l omega^l >=
Jtilde(omega) on omega > 0 built from odd powers l turns the moment sum rules
m^(l) into a bound (the paper's Supplement):

.. math::
    J_Q \\le \\frac{\\pi\\alpha\\gamma}{4}\\hbar k_B (T_L - T_R)
        \\sum_{nn'} h_{nn'} \\sum_l c_l m^{(l)}_{nn'}.

An even power is bounded through omega^s <= (w omega^(s-1) + omega^(s+1)/w)/2
for every w > 0; the best w gives sqrt(M_(s-1) M_(s+1)) for the h-weighted
moments M_l. Each form gives :meth:`Dissipation.bound_factor`, the
combination of h-weighted moments that multiplies (pi alpha gamma/4) hbar k_B.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sympy import Expr, Integer, Symbol, exp, simplify, sqrt, sympify

from heatbounds.symbolic.errors import BoundConditionError, ModelError
from heatbounds.symbolic.parameters import symbol

OMEGA_C = symbol("omega_c")
# The paper's omega_R (Supplement); called omega_res in plain text because the
# right bath's mode frequencies omega_{R k} are the function omega_R(k).
OMEGA_R = symbol("omega_res")
ETA = symbol("eta")

__all__ = ["Dissipation", "Lorentzian", "Ohmic", "PowerLaw", "check_proportional"]

omega = Symbol("omega", positive=True)


@dataclass(frozen=True)
class Dissipation:
    """Base: a spectral shape Jtilde(omega) (units of frequency)."""

    def spectral_function(self, w: Expr = omega) -> Expr:
        raise NotImplementedError

    def moment_orders(self) -> tuple[int, ...]:
        """The odd moment orders l the majorant needs."""
        raise NotImplementedError

    def bound_factor(self, weighted_moment: Callable[[int], Expr]) -> Expr:
        """sum_l c_l M_l for the majorant, given M_l = sum h m^(l)."""
        raise NotImplementedError

    def parameters(self) -> dict[str, str]:
        raise NotImplementedError


def _power_factor(s: int, scale: Expr, weighted_moment) -> Expr:
    """Majorant of omega^s / scale^(s-1): odd s directly, even s through AM-GM."""
    if s % 2:
        return weighted_moment(s) / scale ** (s - 1)
    return sqrt(weighted_moment(s - 1) * weighted_moment(s + 1)) / scale ** (s - 1)


@dataclass(frozen=True)
class Ohmic(Dissipation):
    """Jtilde = omega exp(-omega/omega_c) (Eq. 8); majorant omega, so the f-sum rule."""

    omega_c: Expr = OMEGA_C

    def spectral_function(self, w: Expr = omega) -> Expr:
        return w * exp(-w / self.omega_c)

    def moment_orders(self) -> tuple[int, ...]:
        return (1,)

    def bound_factor(self, weighted_moment) -> Expr:
        return weighted_moment(1)

    def parameters(self) -> dict[str, str]:
        return {"omega_c": "bath cutoff frequency omega_c (rad/s)"}

    def __str__(self) -> str:
        return "ohmic"


@dataclass(frozen=True)
class PowerLaw(Dissipation):
    """Jtilde = omega^s exp(-omega/omega_c) / omega_c^(s-1), s >= 1 an integer."""

    s: int = 3
    omega_c: Expr = OMEGA_C

    def __post_init__(self):
        if not isinstance(self.s, int) or self.s < 1:
            raise ModelError(f"power-law dissipation needs an integer s >= 1, got {self.s!r}")

    def spectral_function(self, w: Expr = omega) -> Expr:
        return w**self.s * exp(-w / self.omega_c) / self.omega_c ** (self.s - 1)

    def moment_orders(self) -> tuple[int, ...]:
        return (self.s,) if self.s % 2 else (self.s - 1, self.s + 1)

    def bound_factor(self, weighted_moment) -> Expr:
        return _power_factor(self.s, self.omega_c, weighted_moment)

    def parameters(self) -> dict[str, str]:
        return {"omega_c": "bath cutoff frequency omega_c (rad/s)"}

    def __str__(self) -> str:
        return f"power:{self.s}"


@dataclass(frozen=True)
class Lorentzian(Dissipation):
    """Jtilde = omega / (1 + eta (omega - omega_R)^2) <= omega (Supplement)."""

    omega_R: Expr = OMEGA_R
    eta: Expr = ETA

    def spectral_function(self, w: Expr = omega) -> Expr:
        return w / (1 + self.eta * (w - self.omega_R) ** 2)

    def moment_orders(self) -> tuple[int, ...]:
        return (1,)

    def bound_factor(self, weighted_moment) -> Expr:
        return weighted_moment(1)

    def parameters(self) -> dict[str, str]:
        return {
            "omega_res": "resonance frequency omega_R of the Lorentzian (rad/s)",
            "eta": "width parameter eta of the Lorentzian (s^2)",
        }

    def __str__(self) -> str:
        return "lorentzian"


def check_proportional(left: Dissipation, right: Dissipation) -> Dissipation:
    """The common shape of J_L and J_R, or refusal when they are not proportional.

    Eq. 5 (and so every bound) needs J_L(omega) / J_R(omega) independent of omega.
    """
    ratio = simplify(left.spectral_function() / right.spectral_function())
    if omega in sympify(ratio).free_symbols:
        raise BoundConditionError(
            "left and right spectral functions are not proportional "
            f"(J_L/J_R = {ratio} depends on omega): Eq. 5 is then not sign-definite "
            "and there is no sum-rule bound (Eq. 9, 10)"
        )
    if ratio != Integer(1):
        raise BoundConditionError(
            f"left and right shapes differ by the constant factor {ratio}: absorb it into "
            "alpha_L/alpha_R and give one shape (J_nu = 2 alpha_nu Jtilde, Eq. 5)"
        )
    return left
