"""Moment sum rules m^(s)_{n n'} of the junction correlators (Eq. 7, 12, 25).

For a stationary state and odd s >= 1 (docs, "Conventions and units"):

.. math::
    m^{(s)}_{n,n'} \\equiv \\frac{1}{\\pi}\\int_0^\\infty d\\omega\\,\\omega^s
      \\,\\mathrm{Im}\\chi_{n,n'}(\\omega)
    = \\frac{\\langle[\\hat A^\\dagger_{n'}, \\mathrm{ad}_H^s(\\hat A_n)]\\rangle}
           {2\\hbar^{s+1}},

s = 1 being the f-sum rule Eq. 7. **Index order**: ``order="eq7"`` (the
default) is Eq. 7's, m_{n,n'} = <[A_{n'}^dagger, [H, A_n]]>/(2 hbar^2).
``order="eq12"`` is the order of Eq. 12 *as printed*, which equals
<[A_n^dagger, [H, A_{n'}]]>/(2 hbar^2), i.e. Eq. 7's m_{n',n} (the transpose).

Examples
--------
>>> from heatbounds.symbolic.models import spin_boson
>>> moment(spin_boson(), 1, ("z", "z"))
-Delta*sigma_x/hbar
"""

from __future__ import annotations

import weakref
from functools import cmp_to_key
from itertools import product

from sympy import (
    Add,
    Basic,
    Expr,
    ImmutableDenseNDimArray,
    Integer,
    KroneckerDelta,
    Matrix,
    Mul,
    S,
    Sum,
    expand,
    expand_mul,
    factor_terms,
)

from heatbounds.symbolic.commutators import ad_power, commutator
from heatbounds.symbolic.errors import ModelError, MomentOrderError
from heatbounds.symbolic.expectation import Expectation, expectation
from heatbounds.symbolic.indices import LevelIndex
from heatbounds.symbolic.junction import Junction
from heatbounds.symbolic.operators import OperatorExpr, level_sum
from heatbounds.symbolic.parameters import hbar

__all__ = [
    "ORDERS",
    "check_moment_order",
    "moment",
    "moment_operator",
    "moment_tensor",
    "weighted_moment",
]

ORDERS = {
    "eq7": "m[n, n'] = <[A[n']^dagger, ad_H^s(A[n])]> / (2 hbar^(s+1))  (Eq. 7 order)",
    "eq12": "m[n, n'] = <[A[n]^dagger, ad_H^s(A[n'])]> / (2 hbar^(s+1))  (Eq. 12 as printed; "
    "the transpose of Eq. 7's)",
}


def check_moment_order(s) -> int:
    """Refuse an s with no commutator sum rule (s must be an odd integer >= 1)."""
    if not isinstance(s, int) or isinstance(s, bool) or s < 1:
        raise MomentOrderError(f"moment order must be an odd integer s >= 1, got {s!r}")
    if s % 2 == 0:
        raise MomentOrderError(
            f"even moment s = {s} has no commutator sum rule: only odd moments of "
            "Im chi reduce to <[A^dagger, ad_H^s A]> (Eq. 25); ask an odd s"
        )
    return s


_MEMO: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _memo(junction: Junction) -> dict:
    """The memo of one junction's nested commutators and moments, kept outside the
    (frozen) junction and dropped with it; equal junctions share it."""
    try:
        return _MEMO[junction]
    except KeyError:
        return _MEMO.setdefault(junction, {})


def _nested(junction: Junction, label, s: int) -> OperatorExpr:
    memo, key = _memo(junction), ("ad", s, label)
    if key not in memo:
        op = junction.coupling_operator(label)
        memo[key] = ad_power(junction.hamiltonian, op, s)
    return memo[key]


def moment_operator(junction: Junction, s: int, pair: tuple, *, order: str = "eq7") -> OperatorExpr:
    """The operator [A_{n'}^dagger, ad_H^s(A_n)] of m^(s)_{n,n'} (in ``order``)."""
    check_moment_order(s)
    if order not in ORDERS:
        raise ModelError(f"order must be one of {sorted(ORDERS)}, got {order!r}")
    first, second = pair if order == "eq7" else (pair[1], pair[0])
    memo, key = _memo(junction), ("moment", s, first, second)
    if key not in memo:
        inner = _nested(junction, first, s)
        memo[key] = commutator(junction.coupling_operator(second).dagger(), inner)
    return memo[key]


def _normalised(value: Expr, s: int) -> Expr:
    """value / (2 hbar^(s+1)), with common factors pulled out of small results."""
    if len(Add.make_args(value)) > 12:
        return value / (2 * hbar ** (s + 1))  # large results are already canonical
    return factor_terms(expand(value / (2 * hbar ** (s + 1))))


def moment(
    junction: Junction, s: int = 1, pair: tuple | None = None, *, order: str = "eq7"
) -> Expr:
    """m^(s)_{n,n'} as a SymPy expression in expectation values (Eq. 7 / 25).

    ``pair`` defaults to (A, A) for a model with a single coupling operator.
    """
    if pair is None:
        label = junction.couplings.single_label
        if label is None:
            raise ModelError(f"model {junction.name!r} has several A_n: give pair=(n, n')")
        pair = (label, label)
    op = moment_operator(junction, s, pair, order=order)
    return _normalised(expectation(op), s)


def moment_tensor(junction: Junction, s: int = 1, *, order: str = "eq7"):
    """All m^(s)_{n,n'}: a Matrix over the labels of a finite set of couplings, or,
    for the matrix units of a concrete N-level system, an N x N x N x N array
    ``m[i-1, j-1, k-1, l-1] = m_{ij,kl}`` (in ``order``).

    The N-level tensor is derived once with symbolic (i, j, k, l) and then
    specialised entry by entry: deltas decide which terms survive, and every
    surviving coefficient and expectation is built once and reused.
    """
    if junction.couplings.level_sums is not None:
        return _matrix_unit_tensor(junction, s, order)
    labels = junction.labels
    return Matrix(
        len(labels),
        len(labels),
        lambda a, b: moment(junction, s, (labels[a], labels[b]), order=order),
    )


def weighted_moment(junction: Junction, s: int = 1) -> Expr:
    """M_s = sum_{n n'} h_{n n'} m^(s)_{n n'}, the combination the bounds need (Eq. 9).

    For matrix-unit couplings (h = delta) it is sum_{ij} m^(s)_{ij,ij}, with the
    level sums kept symbolic (or written out for a concrete N).
    """
    check_moment_order(s)
    memo, key = _memo(junction), ("M", s)
    if key in memo:
        return memo[key]
    levels = junction.couplings.level_sums
    if levels is not None:
        i, j = LevelIndex("_wi"), LevelIndex("_wj")
        op = moment_operator(junction, s, ((i, j), (i, j)))
        total_op = level_sum(level_sum(op, i, levels.size), j, levels.size)
        total = _normalised(expectation(total_op), s)
    else:
        total = Integer(0)
        labels = junction.labels
        for a, left in enumerate(labels):
            for b, right in enumerate(labels):
                weight = junction.couplings.flags[a, b]
                if weight != 0:
                    total += weight * moment(junction, s, (left, right))
        total = _normalised(2 * hbar ** (s + 1) * total, s)
    memo[key] = total
    return total


def _matrix_unit_tensor(junction: Junction, s: int, order: str) -> ImmutableDenseNDimArray:
    size = junction.couplings.level_sums.size
    if not size.is_Integer:
        raise ModelError(
            f"model {junction.name!r} has symbolic N; ask moment(junction, s, ((i, j), (k, l)))"
        )
    n = int(size)
    free = tuple(LevelIndex(c) for c in "ijkl")
    op = moment_operator(junction, s, (free[:2], free[2:]), order=order)
    generic = expand_mul(expectation(op, write_out=False) / (2 * hbar ** (s + 1)))
    # Group the generic terms by (delta pattern, expectation): each group is one
    # coefficient times one <W>, each built once per distinct index subset.
    groups: dict = {}
    others = []
    for term in Add.make_args(generic):
        deltas = tuple(
            sorted((f for f in Mul.make_args(term) if isinstance(f, KroneckerDelta)), key=str)
        )
        rest = term.xreplace({d: Integer(1) for d in deltas})
        atoms = [f for f in Mul.make_args(rest) if isinstance(f, Expectation)]
        if len(atoms) == 1 and not rest.has(Sum):
            groups.setdefault((deltas, atoms[0]), []).append(rest / atoms[0])
        else:
            others.append((deltas, _cached_instance(rest, free)))
    for (deltas, atom), coefficients in groups.items():
        coefficient = _cached_instance(factor_terms(Add(*coefficients)), free, _mul_parts)
        expectation_at = _cached_instance(atom, free)
        others.append((deltas, _product_builder(coefficient, expectation_at)))
    entries: dict = {}
    for deltas, build in others:
        for values in _delta_solutions(free, deltas, n):
            value = build(values)
            if value is not S.Zero:
                entries.setdefault(values, []).append(value)
    flat = [S.Zero] * n**4
    for (i, j, k, l), parts in entries.items():
        position = (((i - 1) * n + j - 1) * n + k - 1) * n + l - 1
        flat[position] = parts[0] if len(parts) == 1 else Add(*parts)
    return ImmutableDenseNDimArray(flat, (n, n, n, n))


def _mul_parts(coefficient: Expr):
    """(coefficient, numeric factor, other factors, their class signature)."""
    number, rest = coefficient.as_coeff_Mul()
    factors = list(rest.args) if rest.is_Mul else [rest]
    return coefficient, number, factors, tuple(type(f) for f in factors)


def _product_builder(coefficient_at, atom_at):
    """(i, j, k, l) -> coefficient * <W>, built directly in SymPy's canonical Mul form.

    An :class:`Expectation` shares no base with a c-number coefficient, so the
    product's arguments are the coefficient's numeric factor followed by its
    other factors and the atom in SymPy's canonical order. That order depends
    only on the factors' classes, so the atom's place is found once per class
    signature (with ``Basic.compare``, as ``Mul`` does) and reused; the result
    is exactly what ``Mul`` builds (the tests compare both).
    """
    places: dict = {}

    def build(values):
        coefficient, number, factors, signature = coefficient_at(values)
        atom = atom_at(values)
        if coefficient is S.Zero:
            return S.Zero
        if signature not in places:
            ordered = sorted([*factors, atom], key=cmp_to_key(Basic.compare))
            places[signature] = next(p for p, f in enumerate(ordered) if f is atom)
        place = places[signature]
        args = [*factors[:place], atom, *factors[place:]]
        if number != 1:
            args.insert(0, number)
        return Mul._from_args(args, is_commutative=True)

    return build


def _cached_instance(expr: Expr, free: tuple, post=None):
    """A cached function (i, j, k, l) -> ``expr`` at those indices (keyed on the
    indices ``expr`` actually has); zero bath-mode sums are dropped, and ``post``
    (if given) is applied once per cached value."""
    positions = tuple(p for p, x in enumerate(free) if x in expr.free_symbols)
    has_sum = expr.has(Sum)
    cache: dict = {}

    def at(values):
        key = tuple(values[p] for p in positions)
        if key not in cache:
            value = expr.xreplace({free[p]: Integer(values[p]) for p in positions})
            if has_sum:
                value = value.replace(
                    lambda e: isinstance(e, Sum) and e.function == 0, lambda e: Integer(0)
                )
            cache[key] = post(value) if post else value
        return cache[key]

    return at


def _delta_solutions(free: tuple, deltas: list, n: int):
    """Every (i, j, k, l) in 1..n that satisfies the equalities the deltas impose."""
    parent = list(range(4))
    pinned: dict[int, int] = {}

    def root(p):
        while parent[p] != p:
            p = parent[p]
        return p

    for d in deltas:
        a, b = d.args
        if a in free and b in free:
            parent[root(free.index(a))] = root(free.index(b))
        else:
            p, value = (free.index(a), int(b)) if a in free else (free.index(b), int(a))
            r = root(p)
            if pinned.get(r, value) != value:
                return
            pinned[r] = value
    roots = sorted({root(p) for p in range(4)})
    # Pins recorded before a later union may sit on a non-root: move them up.
    for r in list(pinned):
        top = root(r)
        if top != r:
            if pinned.get(top, pinned[r]) != pinned[r]:
                return
            pinned[top] = pinned.pop(r)
    ranges = [(pinned[r],) if r in pinned else range(1, n + 1) for r in roots]
    for choice in product(*ranges):
        by_root = dict(zip(roots, choice, strict=True))
        yield tuple(by_root[root(p)] for p in range(4))
