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

from heatbounds.symbolic.canonical import apart, canonical_keys, canonical_terms
from heatbounds.symbolic.coefficients import is_exact, is_zero, multiply
from heatbounds.symbolic.errors import MomentOrderError
from heatbounds.symbolic.operators import OperatorExpr
from heatbounds.symbolic.words import AbstractOperator, word_latex, word_product

__all__ = ["ad_power", "anticommutator", "commutator"]


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
    """[left, right] = left right - right left, normal ordered and canonical.

    Where ``left right`` and ``right left`` of two terms share a product (the
    same weight and word, e.g. operators of different sectors), the two cancel:
    when every coefficient and weight is exact (:func:`is_exact`), so that
    leaving them out of a sum changes nothing, such a pair is not canonicalised
    -- only the places of its terms are kept, so that the result's terms come in
    the same order as if it had been.
    """
    pairs = []
    exact = all(is_exact(c) for c in left.terms.values()) and all(
        is_exact(c) for c in right.terms.values()
    )
    for (d1, w1), c1 in left.terms.items():
        for (d2, w2), c2 in right.terms.items():
            if not w1 or not w2:
                continue  # c-numbers commute with everything
            d2r, w2r, c2r = apart(d1, d2, w2, c2)
            dummies = d1 + d2r
            if _has_abstract(w1) or _has_abstract(w2):
                if w1 != w2r:
                    pairs.append((c1 * c2r, dummies, None, [(1, _unevaluated(w1, w2r))], []))
                continue
            forward, backward = word_product(w1, w2r), word_product(w2r, w1)
            exact = exact and all(is_exact(w) for w, _ in forward + backward)
            pairs.append((c1, dummies, c2r, forward, backward))
    parts: dict = {}
    cancelled: set = set()
    for c1, dummies, c2r, forward, backward in pairs:
        if c2r is None:  # an unevaluated commutator of abstract operators
            _add(parts, c1, dummies, forward[0][1])
            continue
        if exact:
            forward, backward, common = _cancel(forward, backward)
        else:
            common = set()
        if is_exact(c1) and is_exact(c2r) and all(is_exact(w) for w, _ in forward + backward):
            coeff = multiply(c1, c2r)
            terms = [multiply(coeff, w) for w, _ in forward]
            terms += [multiply(coeff, w, -1) for w, _ in backward]
        else:  # floats: the products exactly as written, in this order
            coeff = c1 * c2r
            terms = [coeff * w for w, _ in forward] + [-coeff * w for w, _ in backward]
        for position, (term, (_, word)) in enumerate(zip(terms, forward + backward, strict=True)):
            if position in common:
                for key in canonical_keys(term, dummies, word):
                    parts.setdefault(key, [])
                    cancelled.add(key)
            else:
                _add(parts, term, dummies, word)
    return OperatorExpr._summed(parts, cancelled)


def anticommutator(left: OperatorExpr, right: OperatorExpr) -> OperatorExpr:
    """{left, right} = left right + right left, normal ordered and canonical.

    Abstract operators need no unevaluated form here: their products are kept
    as words, so both orders are simply added.

    >>> from heatbounds.symbolic.operators import Boson, Spin
    >>> s, a = Spin("sigma"), Boson("a")
    >>> anticommutator(s.x, s.x), anticommutator(s.x, s.y)
    (2, 0)
    >>> anticommutator(a.annihilate, a.create) == 2 * a.number + 1
    True
    """
    return left * right + right * left


def _add(parts: dict, coeff, dummies: tuple, word) -> None:
    if is_zero(coeff):
        return
    for c, d, w in canonical_terms(coeff, dummies, word):
        parts.setdefault((d, w), []).append(c)


def _cancel(forward: list, backward: list) -> tuple:
    """(forward, backward without the products forward shares, the positions in
    forward of the shared ones)."""
    if not forward or not backward:
        return forward, backward, set()
    left = list(backward)
    common = set()
    for position, item in enumerate(forward):
        for other, candidate in enumerate(left):
            if candidate[1] == item[1] and candidate[0] == item[0]:
                common.add(position)
                del left[other]
                break
    return forward, left, common


def ad_power(hamiltonian: OperatorExpr, operator: OperatorExpr, s: int) -> OperatorExpr:
    """ad_H^s(X): the s-fold nested commutator [H, [H, ..., [H, X]]] (s >= 0)."""
    if not isinstance(s, int) or isinstance(s, bool) or s < 0:
        raise MomentOrderError(f"ad_H^s needs an integer s >= 0, got {s!r}")
    result = operator
    for _ in range(s):
        result = commutator(hamiltonian, result)
    return result
