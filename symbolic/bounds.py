"""Bounds on the heat current and the thermal conductance (Eq. 2, 9, 10).

Every bound is returned in the paper's notation, with the symbols ``alpha``
and ``gamma`` of Eq. 5; :func:`in_bath_couplings` substitutes
alpha = alpha_L + alpha_R and gamma = 4 alpha_L alpha_R / alpha^2.

Examples
--------
>>> from heatbounds.symbolic.models import harmonic
>>> conductance_bound(harmonic())
pi*alpha*gamma*k_B*omega0/4
>>> quantum_of_conductance()
pi*T*k_B**2/(6*hbar)
"""

from __future__ import annotations

from sympy import Expr, pi

from heatbounds.symbolic.junction import Junction
from heatbounds.symbolic.parameters import alpha, derived, hbar, k_B, symbol
from heatbounds.symbolic.sum_rules import weighted_moment

__all__ = [
    "ballistic_bound",
    "bound_factor",
    "conductance_bound",
    "current_bound",
    "in_bath_couplings",
    "quantum_of_conductance",
]

T, T_L, T_R = symbol("T"), symbol("T_L"), symbol("T_R")


def bound_factor(junction: Junction) -> Expr:
    """sum_l c_l sum_{nn'} h_{nn'} m^(l)_{nn'} for the majorant of the dissipation.

    For ohmic dissipation (Eq. 8) this is the h-weighted f-sum rule of Eq. 9.
    """
    return junction.dissipation.bound_factor(lambda s: weighted_moment(junction, s))


def current_bound(junction: Junction) -> Expr:
    """Eq. 9: J_Q <= (pi alpha gamma / 4) hbar k_B (T_L - T_R) sum h m, for T_L >= T_R.

    This is Eq. 9 as printed, the form ``heatbounds derive`` prints (its JSON
    ``sympy`` string is a contract); it is written for T_L >= T_R. The bound is
    symmetric in the baths (T_L <-> T_R with alpha_L <-> alpha_R turns J_Q into
    -J_Q; alpha and gamma are symmetric), so for either order
    ``|J_Q| <= (pi alpha gamma / 4) hbar k_B |T_L - T_R| sum h m``, which is what
    the emitted ``current_bound`` returns
    (:func:`heatbounds.codegen.emit_plan.either_order`). ``sum h m`` is
    :func:`bound_factor`, the majorant's sum_l c_l sum h m^(l) for other dissipation.
    """
    from heatbounds.symbolic.parameters import gamma

    return pi * alpha * gamma / 4 * hbar * k_B * (T_L - T_R) * bound_factor(junction)


def conductance_bound(junction: Junction) -> Expr:
    """Eq. 10: kappa <= (pi alpha gamma / 4) hbar k_B sum h m, evaluated at T_L = T_R = T."""
    from heatbounds.symbolic.parameters import gamma

    return pi * alpha * gamma / 4 * hbar * k_B * bound_factor(junction)


def ballistic_bound() -> Expr:
    """Eq. 2: J_Q <= (pi k_B^2 / 12 hbar) (T_L^2 - T_R^2), unitarity alone, for T_L >= T_R.

    For either order ``|J_Q| <= (pi k_B^2 / 12 hbar) |T_L^2 - T_R^2|`` (the bound is
    symmetric in the baths); the emitted ``ballistic_bound`` returns that.
    """
    return pi * k_B**2 / (12 * hbar) * (T_L**2 - T_R**2)


def quantum_of_conductance() -> Expr:
    """kappa_Q = pi k_B^2 T / (6 hbar), the quantum of thermal conductance."""
    return pi * k_B**2 * T / (6 * hbar)


def in_bath_couplings(expr: Expr) -> Expr:
    """Replace alpha and gamma by alpha_L, alpha_R (definitions below Eq. 5).

    A structural replacement of the two symbols (``xreplace``): alpha and gamma
    are plain symbols and their definitions hold neither, so it equals
    ``expr.subs(derived())`` (tests/symbolic/test_bounds.py checks that on the
    built-in models), without ``subs``' pattern matching of every node, which
    takes minutes on the thousands of mode sums of an s = 3 sum rule.
    """
    return expr.xreplace(derived())
