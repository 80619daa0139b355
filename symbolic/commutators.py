"""Commutators and the nested commutator ad_H^s(X) = [H, [H, ... [H, X]]].

Known families commute through their rule tables; a user-declared abstract
operator commutes with nothing known, so each of its commutators is kept as a
new abstract operator printed ``[X, Y]`` -- visibly unevaluated.

Examples
--------
>>> from heatbounds.symbolic.operators import Boson, Spin
>>> a = Boson("a")
>>> commutator(a.annihilate, a.create)
1
>>> s = Spin("sigma")
>>> commutator(s.z, s.x) == 2j * s.y
True
"""

from __future__ import annotations

from heatbounds.symbolic.canonical import apart
from heatbounds.symbolic.errors import MomentOrderError
from heatbounds.symbolic.operators import OperatorExpr
from heatbounds.symbolic.words import AbstractOperator, word_latex, word_product

__all__ = ["ad_power", "commutator"]


def _has_abstract(word) -> bool:
    return any(isinstance(segment, AbstractOperator) for segment in word)


def _unevaluated(left_word, right_word) -> tuple:
    from heatbounds.symbolic.printing import word_str

    atom = AbstractOperator(
        f"[{word_str(left_word)}, {word_str(right_word)}]",
        rf"\left[{word_latex(left_word)}, {word_latex(right_word)}\right]",
    )
    return (atom,)


def commutator(left: OperatorExpr, right: OperatorExpr) -> OperatorExpr:
    """[left, right] = left right - right left, normal ordered and canonical."""
    raw = []
    for (d1, w1), c1 in left.terms.items():
        for (d2, w2), c2 in right.terms.items():
            if not w1 or not w2:
                continue  # c-numbers commute with everything
            d2r, w2r, c2r = apart(d1, d2, w2, c2)
            dummies = d1 + d2r
            coeff = c1 * c2r
            if _has_abstract(w1) or _has_abstract(w2):
                if w1 != w2r:
                    raw.append((coeff, dummies, _unevaluated(w1, w2r)))
                continue
            for weight, word in word_product(w1, w2r):
                raw.append((coeff * weight, dummies, word))
            for weight, word in word_product(w2r, w1):
                raw.append((-coeff * weight, dummies, word))
    return OperatorExpr._collect(raw)


def ad_power(hamiltonian: OperatorExpr, operator: OperatorExpr, s: int) -> OperatorExpr:
    """ad_H^s(X): the s-fold nested commutator [H, [H, ..., [H, X]]] (s >= 0)."""
    if not isinstance(s, int) or isinstance(s, bool) or s < 0:
        raise MomentOrderError(f"ad_H^s needs an integer s >= 0, got {s!r}")
    result = operator
    for _ in range(s):
        result = commutator(hamiltonian, result)
    return result
