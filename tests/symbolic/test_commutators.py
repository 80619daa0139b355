"""Commutators (symbolic/commutators.py).

``commutator`` leaves out the pairs of products that ``left right`` and
``right left`` share (they cancel) when every coefficient is exact; the result
must be the very same term store -- the same coefficients, of the same type, in
the same order -- as the plain sum of both products, which ``_plain`` rebuilds.
"""

from __future__ import annotations

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import I, Rational

from heatbounds.symbolic.canonical import apart, canonical_keys, canonical_terms
from heatbounds.symbolic.commutators import ad_power, anticommutator, commutator
from heatbounds.symbolic.errors import MomentOrderError
from heatbounds.symbolic.indices import LevelIndex, ModeIndex
from heatbounds.symbolic.operators import (
    Abstract,
    Bath,
    Boson,
    Levels,
    OperatorExpr,
    Spin,
    level_sum,
    mode_sum,
)
from heatbounds.symbolic.words import word_product

g, h = sp.symbols("g h")
omega = sp.Function("omega", positive=True)
a = Boson("a")
s = Spin("s")
A = Levels("A", "N")
B = Levels("B", 3)
bath = Bath()
i, j, n, m = (LevelIndex(c) for c in "ijnm")
q = ModeIndex("q")


def _plain(left: OperatorExpr, right: OperatorExpr) -> OperatorExpr:
    """[left, right] as the plain sum of both products (no cancelled pairs)."""
    raw = []
    for (d1, w1), c1 in left.terms.items():
        for (d2, w2), c2 in right.terms.items():
            if not w1 or not w2:
                continue
            d2r, w2r, c2r = apart(d1, d2, w2, c2)
            coeff = c1 * c2r
            for weight, word in word_product(w1, w2r):
                raw.append((coeff * weight, d1 + d2r, word))
            for weight, word in word_product(w2r, w1):
                raw.append((-coeff * weight, d1 + d2r, word))
    return OperatorExpr._collect(raw)


def _identical(x: OperatorExpr, y: OperatorExpr) -> bool:
    return list(x.terms) == list(y.terms) and all(
        type(x.terms[key]) is type(y.terms[key])
        and sp.srepr(x.terms[key]) == sp.srepr(y.terms[key])
        for key in x.terms
    )


hamiltonian = (
    g * a.create * a.annihilate
    + h * s.z * a.x
    + Rational(1, 3) * s.x
    + level_sum(A[n, n] * g, n, A.size)
    + level_sum(
        level_sum(mode_sum(omega(q) * A[n, m] * bath.displacement("L", q), q), n, A.size), m, A.size
    )
    + mode_sum(omega(q) * bath.create("L", q) * bath.annihilate("L", q), q)
    + B[1, 2] * I
    + B[2, 1] * (-I)
)
pieces = [
    a.x,
    a.create,
    s.y,
    s.plus,
    A[i, j],
    A[j, i] * g,
    B[1, 3],
    B[i, 2],
    bath.annihilate("L", q),
    mode_sum(omega(q) * bath.create("L", q), q),
    level_sum(A[n, i] * A[i, n], n, A.size),
]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.sampled_from(pieces), min_size=1, max_size=3),
    st.sampled_from([1, 2, Rational(1, 2), 0.25, g, 1 + I]),
)
def test_commutator_is_the_plain_sum_term_for_term(chosen, factor):
    operator = sum(chosen[1:], chosen[0]) * factor
    assert _identical(commutator(hamiltonian, operator), _plain(hamiltonian, operator))
    assert _identical(commutator(operator, hamiltonian), _plain(operator, hamiltonian))


def test_nested_commutators_with_floats_are_unchanged():
    h_float = 0.5 * a.create * a.annihilate + 0.3 * s.z * a.x + g * a.x**3
    x = a.x + s.x
    for _ in range(3):
        assert _identical(commutator(h_float, x), _plain(h_float, x))
        x = commutator(h_float, x)


def test_commuting_operators_give_zero_and_abstract_commutators_stay():
    assert commutator(a.x, s.z).is_zero()
    assert commutator(B[1, 2], a.create).is_zero()
    X, Y = Abstract("X").op, Abstract("Y").op
    assert commutator(X, X).is_zero()
    assert str(commutator(X, Y)) == "[X, Y]"
    assert commutator(a.annihilate, a.create) == 1
    assert commutator(s.z, s.x) == 2j * s.y


def test_canonical_keys_are_those_of_canonical_terms():
    k1, k2 = ModeIndex("_k1_r"), ModeIndex("p")
    cases = [
        (g * omega(k1), ((k1, sp.Symbol("M")),), ((),)),
        (g * sp.KroneckerDelta(k1, k2) + h, ((k1, sp.Symbol("M")),), ()),
        (sp.Integer(0), (), ()),
        (3, (), ()),
    ]
    word = next(iter(bath.annihilate("L", k1).terms))[1]
    for coeff, dummies, _ in cases:
        expected = [(d, w) for _, d, w in canonical_terms(coeff, dummies, word)]
        assert canonical_keys(coeff, dummies, word) == expected


def test_ad_power():
    x = a.x
    assert ad_power(hamiltonian, x, 0) is x
    assert _identical(
        ad_power(hamiltonian, a.x, 2), commutator(hamiltonian, commutator(hamiltonian, a.x))
    )
    with pytest.raises(MomentOrderError):
        ad_power(hamiltonian, a.x, -1)


def test_anticommutator_by_definition_and_the_product_rule():
    s, a = Spin("s"), Boson("a")
    x, y = Abstract("X"), Abstract("Y")
    cases = [
        (s.x, s.z),
        (a.annihilate, a.create**2),
        (a.x, s.y),
        (x.op, y.op),
        (s.x * a.create, a.x),
    ]
    for left, right in cases:
        assert anticommutator(left, right) == left * right + right * left
        assert anticommutator(left, right) == anticommutator(right, left)
    # {sigma_i, sigma_j} = 2 delta_ij; [AB, C] = A{B, C} - {A, C}B
    assert anticommutator(s.y, s.y) == 2 and anticommutator(s.y, s.z) == 0
    a_, b_, c_ = a.annihilate, s.x, a.create * s.z
    assert commutator(a_ * b_, c_) == a_ * anticommutator(b_, c_) - anticommutator(a_, c_) * b_
