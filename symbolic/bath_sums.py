"""Turn c-number bath-mode sums into integrals over the spectral function (Eq. 4).

With J_nu(omega) = (4/hbar^2) sum_k g_{nu k}^2 delta(omega - omega_{nu k}) (Eq. 4)
and J_nu = 2 alpha_nu Jtilde (Eq. 5),

.. math::
    \\sum_k g_{\\nu k}^2 f(\\omega_{\\nu k})
      = \\frac{\\hbar^2}{4}\\int_0^\\infty J_\\nu(\\omega) f(\\omega)\\,d\\omega
      = \\frac{\\hbar^2\\alpha_\\nu}{2}\\int_0^\\infty \\tilde J(\\omega) f(\\omega)\\,d\\omega.

Sums that still contain operator expectations are left as they are.

The result is flat: every sum a single product (its mode-independent factors
outside), the whole freed of common factors (``factor_terms``). Where no sum
can be converted (matrix-unit couplings, whose sums of g^ab g^cd need the
model's h) and the expression is long -- the written-out s = 3 sum rule of a
three-level junction has over 5,000 sums, each a polynomial times one
expectation value -- it is returned as it is: expanding and factoring the
whole expression costs half a minute there and changes only its form
(:func:`~heatbounds.symbolic.compact.compact` splits the sums itself).

Examples
--------
>>> from heatbounds.symbolic.models import harmonic
>>> from heatbounds.symbolic.sum_rules import weighted_moment
>>> j = harmonic()
>>> bath_sums_to_integrals(weighted_moment(j, 3), j)
omega0**2*(2*alpha_L*omega_c + 2*alpha_R*omega_c + omega0)/hbar
"""

from __future__ import annotations

from sympy import Add, Expr, Integral, Mul, Pow, Sum, factor_terms, oo

from heatbounds.symbolic.dissipation import omega
from heatbounds.symbolic.expectation import Expectation
from heatbounds.symbolic.junction import BATHS, Junction, mode_frequency
from heatbounds.symbolic.parameters import hbar

__all__ = ["bath_sums_to_integrals"]

# Past this many terms a sum rule without convertible sums is left as it is.
_LONG = 200


def _coupling_square(term: Expr, k, nu: str, names: set):
    """(rest, factor) if term = rest * g_nu(k)^2 with g a coupling of bath nu, else None."""
    for factor in term.as_ordered_factors():
        if (
            isinstance(factor, Pow)
            and factor.exp == 2
            and getattr(factor.base, "name", None) in names
            and factor.base.args == (k,)
        ):
            return term / factor
    return None


def _convert_sum(s: Sum, junction: Junction, alphas: dict) -> Expr:
    if len(s.limits) != 1:
        return s
    k = s.limits[0][0]
    total = 0
    for whole in s.function.expand().as_ordered_terms():
        # Factors that do not depend on the mode (c-numbers, <sigma_x>, ...) stay outside.
        outside, term = whole.as_independent(k, as_Add=False)
        if term.has(Expectation):
            total += Sum(whole, *s.limits)
            continue
        converted = None
        for nu in BATHS:
            names = _coupling_names(junction, nu)
            rest = _coupling_square(term, k, nu, names)
            if rest is None:
                continue
            f = rest.subs(mode_frequency(nu)(k), omega)
            if k in f.free_symbols:
                break
            spectral = 2 * alphas[nu] * junction.dissipation.spectral_function(omega)
            integral = Integral(spectral * f, (omega, 0, oo)).doit()
            converted = hbar**2 / 4 * integral
            break
        total += outside * converted if converted is not None else Sum(whole, *s.limits)
    return total


def _coupling_names(junction: Junction, nu: str) -> set:
    if junction.couplings.single_label is not None:
        return {f"g_{nu}"}
    return set()  # several A_n (or matrix units): sums of g^n g^n' need h; left as sums


def bath_sums_to_integrals(expr: Expr, junction: Junction) -> Expr:
    """Replace sum_k g_{nu k}^2 f(omega_{nu k}) by its spectral integral (Eq. 4, 5)."""
    if not any(_coupling_names(junction, nu) for nu in BATHS) and _length(expr) > _LONG:
        return expr
    alphas = {"L": junction.alpha_L, "R": junction.alpha_R}
    out = expr.replace(lambda e: isinstance(e, Sum), lambda e: _convert_sum(e, junction, alphas))
    return factor_terms(out.expand())


def _length(expr: Expr) -> int:
    """The number of terms of the longest sum among ``expr`` and its factors."""
    return max(len(Add.make_args(f)) for f in Mul.make_args(expr))
