"""Domain edges of an emitted function: where a denominator vanishes, and the limit there.

On the border of the checked domain a formula may be 0/0: a temperature
T = 0 (Bose functions, 1/T^2 of the Bloch-Redfield conductance) or all
couplings zero (alpha_L alpha_R / (alpha_L + alpha_R) in Eq. 9, 10). The
emitted code puts a harmless value there and overwrites the result with the
limit computed here by :func:`sympy.limit`; an edge whose limit is infinite
or depends on the direction is refused at run time.

Examples
--------
>>> from sympy import Symbol
>>> a, b = Symbol("alpha_L", nonnegative=True), Symbol("alpha_R", nonnegative=True)
>>> domain_edges(a * b / (a + b))
[(alpha_L, alpha_R)]
>>> edge_limit(a * b / (a + b), (a, b))
0
"""

from __future__ import annotations

from dataclasses import dataclass

from sympy import (
    Add,
    Dummy,
    Expr,
    Limit,
    Mul,
    Pow,
    Symbol,
    limit,
    nan,
    oo,
    zoo,
)
from sympy.calculus.accumulationbounds import AccumBounds

from heatbounds.codegen.arguments import TEMPERATURES
from heatbounds.codegen.numpy_printer import CodegenError

__all__ = ["Edge", "domain_edges", "edge_limit"]


@dataclass(frozen=True)
class Edge:
    """A border of the domain where a denominator vanishes."""

    mask: str  # name of the run-time mask variable
    symbols: tuple[str, ...]  # the edge is where all of these are zero
    temperature: bool  # True: a temperature <= floor counts as zero (T -> 0+)


def _zero_set(base: Expr) -> tuple | None:
    """The nonnegative symbols that all vanish where ``base`` (a sum of such terms) does."""
    terms = Add.make_args(base)
    found = []
    for term in terms:
        factors = [f.as_base_exp()[0] for f in Mul.make_args(term)]
        zeros = [f for f in factors if not f.is_positive]
        if len(zeros) != 1 or not (isinstance(zeros[0], Symbol) and zeros[0].is_nonnegative):
            return None
        found.append(zeros[0])
    return tuple(sorted(set(found), key=str))


def domain_edges(expr: Expr) -> list[tuple]:
    """Zero sets of the denominators that may vanish on the domain (temperatures may be 0).

    Each is a tuple of symbols that vanish together there: ``(T,)`` for a
    temperature, ``(alpha_L, alpha_R)`` for alpha_L (...) + alpha_R (...).
    """
    found = set()
    for p in expr.atoms(Pow):
        if not (p.exp.is_number and p.exp.is_negative):
            continue
        for factor in Mul.make_args(p.base):
            base = factor.as_base_exp()[0]
            if isinstance(base, Symbol) and base.name in TEMPERATURES:
                found.add((base,))
            elif base.is_positive or base.is_number:
                continue
            elif (zeros := _zero_set(base)) is not None:
                found.add(zeros)
            else:
                raise CodegenError(f"the denominator {base} may vanish and has no known limit")
    return sorted(found, key=lambda z: [str(s) for s in z])


def _freeze(expr: Expr, keep: set) -> tuple[Expr, dict]:
    """Replace maximal compound subexpressions free of ``keep`` by dummies (and back).

    :func:`sympy.limit` then sees only the variables it takes the limit in; a
    Bose function of the other temperature stays a Bose function.
    """
    frozen: dict = {}

    def walk(e):
        if isinstance(e, Symbol) or e.is_number:
            return e
        if not (e.free_symbols & keep):
            if e not in frozen:
                frozen[e] = Dummy(positive=True) if e.is_positive else Dummy(real=True)
            return frozen[e]
        return e.func(*(walk(a) for a in e.args))

    return walk(expr), {v: k for k, v in frozen.items()}


def edge_limit(expr: Expr, zeros: tuple) -> Expr | None:
    """The limit of ``expr`` as the symbols ``zeros`` -> 0+ together (None: no finite limit).

    Several symbols go to zero along every ray (s_i = t r_i, t -> 0+); a
    limit that depends on the ray is no limit.
    """
    variables = set(zeros)
    body, thaw = _freeze(expr, variables)
    try:
        if len(zeros) == 1:
            value = limit(body, zeros[0], 0, "+")
        else:
            t = Dummy("t", positive=True)
            rays = {s: t * Dummy(positive=True) for s in sorted(variables, key=str)}
            value = limit(body.xreplace(rays), t, 0, "+")
            if value.free_symbols & {r for ray in rays.values() for r in ray.free_symbols}:
                return None
    except (NotImplementedError, ValueError):
        return None
    if value.has(oo, -oo, zoo, nan, Limit) or isinstance(value, AccumBounds):
        return None
    return value.xreplace(thaw)
