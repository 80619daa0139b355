"""Physical dimensions of a model's parameters, read off its Hamiltonian (Eq. 3).

Every term of H_s is an energy, and the coupling operators A_n and the flags
h_{nn'} are dimensionless (the couplings g of Eq. 3 carry the energy, so that
J of Eq. 4 is a rate). Writing each parameter's dimension as
``(a, b)`` = J^a s^b (hbar is J s, a frequency is s^-1), every monomial of a
coefficient gives one linear equation for the exponents; :func:`parameter_dimensions`
solves them. A parameter the equations do not fix (it never appears, or only
inside exp/sin/cos, or in a combination with another unknown) gets ``None``.

Model files declare only whether a parameter is positive or real, so this is
how an emitted module knows that the Kerr ``U`` is an energy (J) and ``omega0``
a frequency (rad/s).

>>> from heatbounds.symbolic.models import builtin_model
>>> parameter_dimensions(builtin_model("spin-boson"))
{'Delta': (0, -1)}
"""

from __future__ import annotations

from sympy import Add, Expr, Integer, Mul, Pow, Rational, Symbol, linsolve, symbols

from heatbounds.symbolic.junction import Junction
from heatbounds.symbolic.operators import OperatorExpr

__all__ = ["ENERGY", "FREQUENCY", "Dimension", "dimension_text", "parameter_dimensions"]

Dimension = tuple[Rational, Rational]
"""Exponents (a, b) of J^a s^b."""

ENERGY: Dimension = (Rational(1), Rational(0))
FREQUENCY: Dimension = (Rational(0), Rational(-1))
_KNOWN: dict[str, Dimension] = {"hbar": (Rational(1), Rational(1))}


def _monomials(coefficient) -> list[Expr]:
    expr = coefficient if isinstance(coefficient, Expr) else Rational(coefficient)
    return list(Add.make_args(expr.expand()))


def _powers(monomial: Expr, names: set[str]) -> dict[str, Rational] | None:
    """name -> power for a product of (powers of) symbols and numbers; None otherwise."""
    out: dict[str, Rational] = {}
    for factor in Mul.make_args(monomial):
        if factor.is_number:
            continue
        base, power = (factor.base, factor.exp) if isinstance(factor, Pow) else (factor, Integer(1))
        if not isinstance(base, Symbol) or not power.is_Rational:  # U**w fixes nothing
            return None
        if base.name not in names and base.name not in _KNOWN:
            return None
        out[base.name] = out.get(base.name, 0) + Rational(power)
    return out


def _equations(junction: Junction) -> list[tuple[dict, Dimension]]:
    """(powers, dimension the monomial must have) for every usable monomial."""
    names = set(junction.parameters)
    parts: list[tuple[OperatorExpr, Dimension]] = [(junction.system_hamiltonian, ENERGY)]
    parts += [(op, (Rational(0), Rational(0))) for op in junction.couplings.dimensionless()]
    out = []
    for operator, dimension in parts:
        for coefficient in operator.terms.values():
            for monomial in _monomials(coefficient):
                powers = _powers(monomial, names)
                if powers:
                    out.append((powers, dimension))
    return out


def parameter_dimensions(junction: Junction) -> dict[str, Dimension | None]:
    """Each declared parameter's dimension (J^a s^b as (a, b)), or None where not fixed."""
    names = sorted(junction.parameters)
    if not names:
        return {}
    unknown = {n: symbols(f"_e_{i}, _t_{i}") for i, n in enumerate(names)}
    rows = []
    for powers, (energy, time) in _equations(junction):
        lhs_e, lhs_t = Rational(0), Rational(0)
        for name, p in powers.items():
            if name in _KNOWN:
                energy -= p * _KNOWN[name][0]
                time -= p * _KNOWN[name][1]
            else:
                e, t = unknown[name]
                lhs_e += p * e
                lhs_t += p * t
        rows += [lhs_e - energy, lhs_t - time]
    variables = [v for n in names for v in unknown[n]]
    solutions = linsolve(rows, variables) if rows else None
    if not solutions:  # no equations, or dimensionally inconsistent
        return dict.fromkeys(names)
    (solution,) = solutions
    values = dict(zip(variables, solution, strict=True))
    out: dict[str, Dimension | None] = {}
    for name in names:
        e, t = (values[v] for v in unknown[name])
        fixed = e.is_Rational and t.is_Rational
        out[name] = (Rational(e), Rational(t)) if fixed else None
    return out


def dimension_text(dimension: Dimension) -> str:
    """SI text of a dimension: ``J``, ``rad/s``, ``1``, ``J s``, ``J^2 s^-1``.

    >>> dimension_text((1, 0)), dimension_text((0, -1)), dimension_text((-2, 1))
    ('J', 'rad/s', 'J^-2 s')
    """
    energy, time = (Rational(x) for x in dimension)
    if (energy, time) == (0, 0):
        return "1"
    if (energy, time) == FREQUENCY:
        return "rad/s"
    parts = []
    for unit, power in (("J", energy), ("s", time)):
        if power:
            parts.append(unit if power == 1 else f"{unit}^{power}")
    return " ".join(parts)
