"""SymPy's printing order of the terms of a sum, in O(n log n) for long sums.

SymPy's printers order the terms of an ``Add`` by
:meth:`~sympy.core.expr.Expr.as_ordered_terms`, which writes every term's
monomial as a dense exponent vector over all the generators of the sum. A
derived sum rule with thousands of distinct ``Sum`` terms has thousands of
generators, so ordering it costs (terms x generators): minutes at s = 3 with
bath modes. :func:`ordered_terms` gives the same order (the same key, compared
the same way, with a stable sort over the same input order) from sparse
exponent vectors, so printing is byte-identical and fast.

SymPy also orders terms where it sorts (the sort key of a sum, e.g. of a
factor of a product being printed), so :func:`fast_term_order` puts
:func:`ordered_terms` in place of ``Expr.as_ordered_terms`` while it is open
(restored on exit; every other order and ``data=True`` still go to SymPy).
:func:`fast_str` prints as ``str(expr)`` does, inside it.

Examples
--------
>>> from sympy import symbols, Sum, Function
>>> x, y, p, M = symbols("x y p M")
>>> g = Function("g")
>>> e = 3*x**2*y - Sum(g(p), (p, 1, M))/x + 2*y**3 - 7
>>> ordered_terms(e) == e.as_ordered_terms()
True
>>> fast_str(e) == str(e)
True
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sympy import Add, Expr, Mul, S
from sympy.concrete.expr_with_limits import ExprWithLimits
from sympy.core.exprtools import decompose_power
from sympy.core.numbers import Number, NumberSymbol
from sympy.core.sorting import default_sort_key
from sympy.printing.str import StrPrinter

__all__ = ["fast_str", "fast_sum_symbols", "fast_term_order", "ordered_terms"]

_SYMPY_ORDERED_TERMS = Expr.as_ordered_terms

# Sparse exponent vectors compare as SymPy's negated dense ones (lexicographic):
# a generator with a positive exponent sorts before "absent" (exponent 0), one with
# a negative exponent after it; the end of a vector stands for all zeros.
_POSITIVE, _END, _NEGATIVE = 0, 1, 2


def _monomial_key(sparse: list[tuple[int, int]]) -> tuple:
    """The sort key of -monom for a sparse monom [(generator index, exponent)], by index.

    Two dense vectors -a, -b first differ at the smallest index where one of them
    has a nonzero entry the other does not match; at that index the entry -e < 0
    (e > 0) is smaller than 0 and -e > 0 (e < 0) larger. The elements below
    compare the same way: (0, i, -e) for e > 0 ascending in i (the earlier
    nonzero entry decides against a later one or the end), (2, -i, -e) for e < 0
    descending in i, and (1,) for the end.
    """
    out = []
    for index, e in sparse:
        if e > 0:
            out.append((_POSITIVE, index, -e))
        elif e < 0:
            out.append((_NEGATIVE, -index, -e))
    out.append((_END,))
    return tuple(out)


def _is_number(factor: Expr) -> bool:
    """``factor.is_number``; a sum with a symbol in its limits (M) is not (SymPy would
    find that out by substituting every summand's dummies first)."""
    if isinstance(factor, ExprWithLimits) and any(
        bound.free_symbols for limit in factor.limits for bound in limit[1:]
    ):
        return False
    return factor.is_number


def ordered_terms(expr: Expr, order: str | None = None) -> list:
    """``expr.as_ordered_terms(order)``, computed from sparse exponent vectors.

    Only the default (lexicographic) order is computed here; any other order,
    an ``Order`` term or an exponent that is not an integer falls back to SymPy.
    """
    if order not in (None, "lex") or not expr.is_Add:
        return _SYMPY_ORDERED_TERMS(expr, order=order)
    if order is None:
        # SymPy's special case: Add(Number, Mul(Number, expr)), the first number
        # positive and the second negative, keeps that order.
        key = lambda x: not isinstance(x, (Number, NumberSymbol))  # noqa: E731
        add_args = sorted(Add.make_args(expr), key=key)
        if (
            len(add_args) == 2
            and isinstance(add_args[0], (Number, NumberSymbol))
            and isinstance(add_args[1], Mul)
        ):
            mul_args = sorted(Mul.make_args(add_args[1]), key=key)
            if (
                len(mul_args) == 2
                and isinstance(mul_args[0], Number)
                and add_args[0].is_positive
                and mul_args[0].is_negative
            ):
                return add_args
    rows = []
    gens = set()
    for term in Add.make_args(expr):
        if term.is_Order:
            return _SYMPY_ORDERED_TERMS(expr, order=order)
        coeff, rest = term.as_coeff_Mul()
        coeff = complex(coeff)
        cpart, ncpart = {}, []
        if rest is not S.One:
            for factor in Mul.make_args(rest):
                if _is_number(factor):
                    try:
                        coeff *= complex(factor)
                    except (TypeError, ValueError):
                        pass
                    else:
                        continue
                if factor.is_commutative:
                    base, e = decompose_power(factor)
                    if not isinstance(e, int):
                        return _SYMPY_ORDERED_TERMS(expr, order=order)
                    cpart[base] = e
                    gens.add(base)
                else:
                    ncpart.append(factor)
        rows.append((term, coeff, cpart, tuple(ncpart)))
    index = {g: k for k, g in enumerate(sorted(gens, key=default_sort_key))}

    def key(row):
        _, coeff, cpart, ncpart = row
        monom = _monomial_key(sorted((index[b], e) for b, e in cpart.items()))
        re, im = coeff.real, coeff.imag
        return monom, tuple(f.sort_key(order=order) for f in ncpart), ((bool(im), im), (re, im))

    return [row[0] for row in sorted(rows, key=key)]


_MEMO: dict = {}  # (sum, order) -> its ordered terms, while fast_term_order is open


def _as_ordered_terms(self, order=None, data=False):
    if data or order not in (None, "lex") or not self.is_Add:
        return _SYMPY_ORDERED_TERMS(self, order=order, data=data)
    key = (self, order)
    terms = _MEMO.get(key)  # one lookup: another thread may clear the memo on its exit
    if terms is None:
        terms = _MEMO[key] = ordered_terms(self, order)
    return list(terms)


_SYMPY_LIMITS_FREE_SYMBOLS = ExprWithLimits.free_symbols
_FREE: dict = {}  # sum -> its free symbols, while fast_sum_symbols is open


def _memo_free_symbols(self):
    symbols = _FREE.get(self)  # one lookup: another thread may clear the memo on its exit
    if symbols is None:
        symbols = _FREE[self] = frozenset(_SYMPY_LIMITS_FREE_SYMBOLS.fget(self))
    return set(symbols)  # a new set each time, as SymPy's (callers add to it)


@contextmanager
def fast_sum_symbols() -> Iterator[None]:
    """Within the block, the free symbols of each ``Sum`` (any ``ExprWithLimits``) are
    computed once: SymPy computes them afresh on every call, substituting the summand's
    dummies, which emission asks for many times per mode sum. Same sets; re-entrant."""
    if ExprWithLimits.free_symbols is not _SYMPY_LIMITS_FREE_SYMBOLS:
        yield
        return
    ExprWithLimits.free_symbols = property(_memo_free_symbols)
    try:
        yield
    finally:
        ExprWithLimits.free_symbols = _SYMPY_LIMITS_FREE_SYMBOLS
        _FREE.clear()


@contextmanager
def fast_term_order() -> Iterator[None]:
    """Within the block, ``Expr.as_ordered_terms`` is :func:`ordered_terms` (same result).

    Re-entrant. Another thread meanwhile gets SymPy's own (slower, equal) order
    once the block is left, never a wrong one.
    """
    if Expr.as_ordered_terms is not _SYMPY_ORDERED_TERMS:
        yield
        return
    Expr.as_ordered_terms = _as_ordered_terms
    try:
        yield
    finally:
        Expr.as_ordered_terms = _SYMPY_ORDERED_TERMS
        _MEMO.clear()


def fast_str(expr: Expr) -> str:
    """``str(expr)``, the same text, without SymPy's quadratic ordering of long sums."""
    with fast_term_order():
        return StrPrinter({"order": None}).doprint(expr)
