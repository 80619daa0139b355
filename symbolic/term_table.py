r"""The terms of a derived result, tabled by sum and summand, in plain Python arithmetic.

:func:`~heatbounds.symbolic.compact.compact` starts from a table
``{(limits, body): coefficient}`` of a derived sum rule or bound (Eq. 7, 12):
``body`` the factors of a term that depend on its summed indices together with
its expectation values, ``coefficient`` the (expanded) rest, ``limits`` the
sum's limits (``()`` outside sums). SymPy's ``expand`` and ``as_independent``
build it correctly but slowly for the s = 3 sum rule of a three-level junction
(over 5,000 sums, each a polynomial of tens of terms times one expectation
value: tens of seconds). :func:`term_table` builds the same table with the
coefficients held as dictionaries ``{powers: number}`` while terms are collected,
and every SymPy product built once at the end.

It takes only what it can read exactly: sums (possibly times factors outside
them) whose summands are sums, products and positive integer powers of plain
factors -- rational numbers, the imaginary unit, integer powers of symbols,
expectation values and undefined functions of numbers and symbols. Anything
else (a nested sum, a float, a function of a sum) gives ``None``, and the
caller takes SymPy's path.

Examples
--------
>>> from sympy import Function, Rational, Sum, Symbol, symbols
>>> p, M = symbols("p M", integer=True, positive=True)
>>> E, g = Symbol("E"), Function("g")
>>> table = term_table(Sum((E + 2 * g(p)) * g(p), (p, 1, M)) / 2 + E)
>>> for (limits, body), c in sorted(table.items(), key=str):
...     print(limits, body, c)
((p, 1, M),) g(p) E/2
((p, 1, M),) g(p)**2 1
() 1 E
"""

from __future__ import annotations

from collections import defaultdict

from sympy import Add, Basic, Expr, I, Integer, Mul, Pow, Sum, Symbol
from sympy.core.function import AppliedUndef

from heatbounds.symbolic.bath_coordinate import BathCoordinate
from heatbounds.symbolic.expectation import Expectation, _cached_order
from heatbounds.symbolic.expectation import _product as _mul
from heatbounds.symbolic.expectation import _sum as _add
from heatbounds.symbolic.junction import SymmetricCoupling

__all__ = ["term_table"]


class _Unreadable(Exception):
    """A term :func:`term_table` does not take (the caller uses SymPy's path)."""


def _is_base(b: Basic) -> bool:
    """A symbol, an expectation value or bath coordinate, or an undefined function of
    numbers and symbols (g_L(1, 2, p)): a base that ``expand`` leaves alone."""
    if isinstance(b, (Symbol, Expectation, BathCoordinate)) or b.is_NumberSymbol:
        return True
    if isinstance(b, (AppliedUndef, SymmetricCoupling)):
        return all(a.is_Integer or a.is_Symbol for a in b.args)
    return False


def _times(factors, number: Expr, powers: dict) -> Expr:
    """Multiply ``number``, ``powers`` by plain factors (``powers`` in place); the new number."""
    for f in factors:
        if f.is_Rational or f is I:
            number = number * f
            continue
        if f.is_Pow:
            base, e = f.args
            if not e.is_Integer:
                raise _Unreadable
            e = int(e)
        else:
            base, e = f, 1
        if not _is_base(base):
            raise _Unreadable
        total = powers.get(base, 0) + e
        if total:
            powers[base] = total
        else:
            powers.pop(base, None)
    return number


def _product(left: list, right: list) -> list:
    """The monomials of the product of two sums of monomials."""
    out = []
    for n, p in left:
        for m, q in right:
            here = dict(p)
            for base, e in q.items():
                total = here.get(base, 0) + e
                if total:
                    here[base] = total
                else:
                    here.pop(base, None)
            out.append((n * m, here))
    return out


def _monomials(f: Expr) -> list:
    """The monomials [(number, powers)] of ``f`` multiplied out: sums, products and
    positive integer powers of sums of plain factors."""
    if f.is_Add:
        return [m for term in f.args for m in _monomials(term)]
    if f.is_Mul:
        plain = [g for g in f.args if not (g.is_Add or g.is_Mul or _is_power_of_sum(g))]
        powers: dict = {}
        out = [(_times(plain, Integer(1), powers), powers)]
        for g in f.args:
            if g.is_Add or g.is_Mul or _is_power_of_sum(g):
                out = _product(out, _monomials(g))
        return out
    if _is_power_of_sum(f):
        out = [(Integer(1), {})]
        for _ in range(int(f.exp)):
            out = _product(out, _monomials(f.base))
        return out
    powers = {}
    return [(_times([f], Integer(1), powers), powers)]


def _is_power_of_sum(f: Expr) -> bool:
    if f.is_Pow and f.base.is_Add:
        if f.exp.is_Integer and f.exp > 0:
            return True
        raise _Unreadable
    return False


def _expanded_factors(factors) -> list:
    """The monomials [(number, powers)] of a product of factors, multiplied out."""
    out = [(Integer(1), {})]
    for f in factors:
        out = _product(out, _monomials(f))
    return out


class _Table:
    """{(limits, body powers): {coefficient powers: number}}, collected in Python."""

    def __init__(self) -> None:
        self.rows: dict = defaultdict(lambda: defaultdict(lambda: Integer(0)))
        self._depends: dict = {}

    def depends(self, base: Basic, dummies: frozenset) -> bool:
        key = (base, dummies)
        if key not in self._depends:
            atom = isinstance(base, (Expectation, BathCoordinate))
            self._depends[key] = atom or bool(base.free_symbols & dummies)
        return self._depends[key]

    def add(self, limits: tuple, monomials: list) -> None:
        dummies = frozenset(limit[0] for limit in limits)
        for number, powers in monomials:
            if number == 0:
                continue
            body, coefficient = [], []
            for base, e in powers.items():
                (body if self.depends(base, dummies) else coefficient).append((base, e))
            row = self.rows[(limits, frozenset(body))]
            row[frozenset(coefficient)] += number

    def table(self) -> dict:
        out = {}
        order = _cached_order()
        for (limits, body), row in self.rows.items():
            terms = [_built(n, powers, order) for powers, n in row.items() if n != 0]
            if terms:
                out[(limits, _built(Integer(1), body, order))] = _add(terms, order)
        return out


def _built(number: Expr, powers, order) -> Expr:
    """``Mul(number, *powers)``, built directly (distinct bases: expectation's builder)."""
    return _mul([number, *(b if e == 1 else Pow(b, e) for b, e in powers)], order)


def term_table(expr: Expr) -> dict | None:
    """``{(limits, body): coefficient}`` of ``expr`` (see the module), or ``None`` where
    ``expr`` has a term this does not read (then SymPy's ``expand`` path applies).

    The same table as expanding ``expr`` (sums split, coefficients expanded) and
    collecting its terms: coefficients are expanded sums of products, zeros left out.
    """
    factors = Mul.make_args(expr)
    sums = [f for f in factors if f.is_Add]
    if len(sums) == 1:
        front, terms = [f for f in factors if not f.is_Add], sums[0].args
    else:
        front, terms = [], Add.make_args(expr)
    table = _Table()
    try:
        for term in terms:
            parts = Mul.make_args(term)
            inner = [f for f in parts if isinstance(f, Sum)]
            outer = [f for f in parts if not isinstance(f, Sum)] + front
            if not inner:
                table.add((), _expanded_factors(outer))
                continue
            if len(inner) != 1:
                return None
            (total,) = inner
            if any(isinstance(f, Sum) for f in Mul.make_args(total.function)):
                return None
            monomials = _expanded_factors([*outer, *Mul.make_args(total.function)])
            table.add(total.limits, monomials)
    except _Unreadable:
        return None
    return table.table()
