"""Canonical c-number coefficients: a zero is always the number zero.

Every coefficient the term store keeps is in one normal form, so that two equal
coefficients are the same SymPy object and an expression that vanishes is
``0``: a polynomial in its atoms (symbols, numbers, function applications such
as ``omega(q)``, ``KroneckerDelta(i, k)``, ``conjugate(g)``) is fully expanded
-- products *and* integer powers of sums, ``(1 + I)**2`` becoming ``2*I`` -- and
a coefficient with a sum in a denominator is brought to one cancelled fraction.

A structural check recognises coefficients that are already expanded (sums of
products of atoms, the common case), so only the others pay for ``expand``.

Examples
--------
>>> from sympy import I, Symbol
>>> g = Symbol("g")
>>> canonical((1 + I) ** 2)
2*I
>>> canonical((1 + g) ** 2 - g**2 - 2 * g - 1)
0
"""

from __future__ import annotations

from sympy import Basic, I, Integer, Pow, cancel, expand, sympify

from heatbounds.symbolic.errors import OperatorAlgebraError

__all__ = ["canonical", "is_expanded", "is_zero", "to_coeff"]

_CACHE: dict = {}
_CACHE_LIMIT = 200_000


def is_zero(c) -> bool:
    """True for a zero coefficient (canonical coefficients are zero only as 0)."""
    return c == 0


def to_coeff(value):
    """A Python or SymPy number or expression as a canonical coefficient."""
    if isinstance(value, complex):
        re, im = value.real, value.imag
        if re.is_integer() and im.is_integer():
            return Integer(int(re)) + Integer(int(im)) * I
        return canonical(sympify(value))
    if isinstance(value, int):
        return value
    if isinstance(value, Basic):
        return canonical(value)
    if isinstance(value, float):
        return sympify(value)
    raise OperatorAlgebraError(f"cannot use {value!r} of type {type(value).__name__} as a c-number")


def _atomic(x) -> bool:
    """An atom or a function application of atoms (``omega(q)``, ``KroneckerDelta(i, k)``)."""
    if x.is_Atom:
        return True
    if x.is_Function:
        return all(a.is_Atom for a in x.args)
    return False


def _factor_ok(f) -> bool:
    if _atomic(f):
        return True
    return f.is_Pow and f.exp.is_Atom and _atomic(f.base)


def _is_monomial(t) -> bool:
    if t.is_Mul:
        return all(_factor_ok(f) for f in t.args)
    return _factor_ok(t)


def is_expanded(c) -> bool:
    """True when ``c`` is a sum of products of atoms (already canonical)."""
    if c.is_Add:
        return all(_is_monomial(t) for t in c.args)
    return _is_monomial(c)


def _has_sum_denominator(c) -> bool:
    return any(p.exp.is_negative and p.base.is_Add for p in c.atoms(Pow))


def canonical(c):
    """The canonical form of a coefficient (Python ints are left as they are)."""
    if not isinstance(c, Basic) or c.is_Atom or is_expanded(c):
        return c
    cached = _CACHE.get(c)
    if cached is not None:
        return cached
    out = expand(c, power_base=False, log=False)
    if not is_expanded(out) and _has_sum_denominator(out):
        out = cancel(out)
    if len(_CACHE) > _CACHE_LIMIT:
        _CACHE.clear()
    _CACHE[c] = out
    _CACHE[out] = out
    return out
