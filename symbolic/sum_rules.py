"""Moment sum rules m^(s)_{n n'} of the junction correlators (Eq. 7, 12, 25).

For a stationary state and odd s >= 1 (physics notes, "Sum rules"):

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

from sympy import Add, Expr, Integer, Matrix, expand, factor_terms

from heatbounds.symbolic.commutators import ad_power, commutator
from heatbounds.symbolic.errors import ModelError, MomentOrderError
from heatbounds.symbolic.expectation import expectation
from heatbounds.symbolic.indices import LevelIndex
from heatbounds.symbolic.junction import Junction, MatrixUnits
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


def _nested(junction: Junction, label, s: int) -> OperatorExpr:
    key = ("ad", s, label)
    if key not in junction._cache:
        op = junction.coupling_operator(label)
        junction._cache[key] = ad_power(junction.hamiltonian, op, s)
    return junction._cache[key]


def moment_operator(junction: Junction, s: int, pair: tuple, *, order: str = "eq7") -> OperatorExpr:
    """The operator [A_{n'}^dagger, ad_H^s(A_n)] of m^(s)_{n,n'} (in ``order``)."""
    check_moment_order(s)
    if order not in ORDERS:
        raise ModelError(f"order must be one of {sorted(ORDERS)}, got {order!r}")
    first, second = pair if order == "eq7" else (pair[1], pair[0])
    key = ("moment", s, first, second)
    if key not in junction._cache:
        inner = _nested(junction, first, s)
        junction._cache[key] = commutator(junction.coupling_operator(second).dagger(), inner)
    return junction._cache[key]


def _normalised(value: Expr, s: int) -> Expr:
    """value / (2 hbar^(s+1)), with common factors pulled out of small results."""
    if len(Add.make_args(value)) > 12:
        return value / (2 * hbar ** (s + 1))  # large results are already canonical
    return factor_terms(expand(value / (2 * hbar ** (s + 1))))


def moment(junction: Junction, s: int = 1, pair: tuple | None = None, *,
           order: str = "eq7") -> Expr:
    """m^(s)_{n,n'} as a SymPy expression in expectation values (Eq. 7 / 25).

    ``pair`` defaults to (A, A) for a model with a single coupling operator.
    """
    if pair is None:
        if isinstance(junction.couplings, MatrixUnits) or len(junction.couplings) != 1:
            raise ModelError(f"model {junction.name!r} has several A_n: give pair=(n, n')")
        label = junction.labels[0]
        pair = (label, label)
    op = moment_operator(junction, s, pair, order=order)
    return _normalised(expectation(op), s)


def moment_tensor(junction: Junction, s: int = 1, *, order: str = "eq7") -> Matrix:
    """The matrix m^(s)_{n,n'} over the labels of a finite set of couplings."""
    labels = junction.labels
    return Matrix(
        len(labels), len(labels), lambda a, b: moment(junction, s, (labels[a], labels[b]),
                                                      order=order)
    )


def weighted_moment(junction: Junction, s: int = 1) -> Expr:
    """M_s = sum_{n n'} h_{n n'} m^(s)_{n n'}, the combination the bounds need (Eq. 9).

    For matrix-unit couplings (h = delta) it is sum_{ij} m^(s)_{ij,ij}, with the
    level sums kept symbolic (or written out for a concrete N).
    """
    check_moment_order(s)
    key = ("M", s)
    if key in junction._cache:
        return junction._cache[key]
    if isinstance(junction.couplings, MatrixUnits):
        levels = junction.couplings.levels
        i, j = LevelIndex("_wi"), LevelIndex("_wj")
        op = moment_operator(junction, s, ((i, j), (i, j)))
        total_op = level_sum(level_sum(op, i, levels.size), j, levels.size)
        total = _normalised(expectation(total_op), s)
    else:
        total = Integer(0)
        labels = junction.labels
        for a, left in enumerate(labels):
            for b, right in enumerate(labels):
                weight = junction.flags[a, b]
                if weight != 0:
                    total += weight * moment(junction, s, (left, right))
        total = _normalised(2 * hbar ** (s + 1) * total, s)
    junction._cache[key] = total
    return total
