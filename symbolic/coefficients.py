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

from sympy import (
    Add,
    Basic,
    I,
    Integer,
    KroneckerDelta,
    Mul,
    Pow,
    S,
    cancel,
    conjugate,
    expand,
    sympify,
)
from sympy.core.cache import CACHE as SYMPY_CACHE
from sympy.core.function import AppliedUndef, UndefinedFunction

from heatbounds.symbolic.errors import OperatorAlgebraError

__all__ = ["Memo", "canonical", "is_exact", "is_expanded", "is_zero", "multiply", "to_coeff"]


class Memo(dict):
    """A bounded memo of the engine (a dict emptied when it outgrows ``limit``),
    registered with SymPy's cache so that ``sympy.core.cache.clear_cache()``
    empties it too: after a clear, every derivation starts cold."""

    __wrapped__ = None  # how SymPy's clear_cache recognises a cached function

    def __init__(self, name: str, limit: int = 200_000):
        super().__init__()
        self.__name__ = name
        self.limit = limit
        SYMPY_CACHE.append(self)

    def store(self, key, value):
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value

    def cache_clear(self) -> None:
        self.clear()

    def cache_info(self) -> str:
        return f"{len(self)} entries"


_CACHE = Memo("heatbounds.symbolic.coefficients.canonical")


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
    _CACHE.store(c, out)
    _CACHE.store(out, out)
    return out


def _plain_base(f) -> bool:
    """A symbol, or an undefined function, Kronecker delta or conjugate of atoms:
    a factor that a product only ever multiplies into integer powers of itself."""
    if f.is_Symbol:
        return True
    if isinstance(f, AppliedUndef | KroneckerDelta | conjugate) or isinstance(
        type(f), UndefinedFunction
    ):
        return all(a.is_Atom for a in f.args)
    return False


def _plain_factor(f) -> bool:
    if f.is_Rational or f is I:
        return True
    if f.is_Pow:
        return f.exp.is_Integer and _plain_base(f.base)
    return _plain_base(f)


def _plain_terms(c):
    """The products of a polynomial in plain factors (rational numbers, ``I``,
    symbols, undefined functions and deltas of atoms, their integer powers), or
    None for any other coefficient."""
    terms = Add.make_args(c)
    for t in terms:
        for f in Mul.make_args(t):
            if not _plain_factor(f):
                return None
    return terms


def is_exact(c) -> bool:
    """True for a Python int or a polynomial in plain factors (no floats): sums of
    such coefficients do not depend on the order of the terms."""
    if isinstance(c, int):
        return not isinstance(c, bool)
    if not isinstance(c, Basic):
        return False
    known = _EXACT.get(c)
    if known is None:
        known = _EXACT.store(c, _plain_terms(c) is not None)
    return known


_EXACT = Memo("heatbounds.symbolic.coefficients.is_exact")


def multiply(*factors):
    """The canonical product of canonical coefficients: ``canonical(a * b * ...)``.

    Polynomials in plain factors (:func:`is_exact`) are multiplied out product
    by product, which is what ``expand`` does (their products and the collected
    sum are the same SymPy objects, the arithmetic being exact) without its
    generic traversal. Any other factor (a float, whose rounding depends on the
    order of the operations) makes it ``canonical(a * b * ...)`` as written;
    Python ints alone stay Python ints.
    """
    if all(isinstance(f, int) for f in factors) or not all(is_exact(f) for f in factors):
        out = 1
        for f in factors:
            out = out * f
        return canonical(out)
    out = None
    for f in factors:
        if isinstance(f, int):
            if f == 1:
                continue
            f = Integer(f)
        if out is None:
            out = f
            continue
        if out == 0 or f == 0:
            return S.Zero
        out = _product(out, f)
    return S.One if out is None else canonical(out)


_PRODUCTS = Memo("heatbounds.symbolic.coefficients.multiply")


def _product(a: Basic, b: Basic) -> Basic:
    key = (a, b)
    cached = _PRODUCTS.get(key)
    if cached is not None:
        return cached
    left, right = _plain_terms(a), _plain_terms(b)
    if len(left) == 1 and len(right) == 1:
        out = Mul(a, b)
    else:
        out = Add(*[Mul(x, y) for x in left for y in right])
    return _PRODUCTS.store(key, out)
