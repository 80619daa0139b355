"""The term store and its rules: invariants, tables against matrices, indices."""

from __future__ import annotations

import itertools
from math import comb, factorial

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from heatbounds.symbolic.commutators import ad_power, commutator
from heatbounds.symbolic.errors import IndexMismatchError, OperatorAlgebraError
from heatbounds.symbolic.indices import LevelIndex, ModeIndex
from heatbounds.symbolic.models import n_level
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

PAULI = {
    "x": np.array([[0, 1], [1, 0]], dtype=complex),
    "y": np.array([[0, -1j], [1j, 0]], dtype=complex),
    "z": np.array([[1, 0], [0, -1]], dtype=complex),
}


def test_boson_normal_ordering_closed_form():
    """a^n a^dag^m = sum_k C(n,k) C(m,k) k! a^dag^(m-k) a^(n-k), term by term."""
    a = Boson("a")
    for n, m in itertools.product(range(4), repeat=2):
        got = a.annihilate**n * a.create**m
        expected = OperatorExpr()
        for k in range(min(n, m) + 1):
            expected = expected + (a.create ** (m - k) * a.annihilate ** (n - k)) * (
                comb(n, k) * comb(m, k) * factorial(k)
            )
        assert got == expected


def test_boson_words_against_truncated_matrices():
    """Normal-ordered products agree with matrices away from the Fock cutoff."""
    a_op = Boson("a")
    dim, keep = 14, 5
    a = np.diag(np.sqrt(np.arange(1, dim)), 1)
    x = a + a.T
    expr = (a_op.x**3) * a_op.annihilate * (a_op.x**2)
    matrix = np.linalg.matrix_power(x, 3) @ a @ np.linalg.matrix_power(x, 2)
    rebuilt = np.zeros((dim, dim))
    for coeff, _, word in expr.sorted_terms():
        m, n = word[0][0][1] if word else (0, 0)
        rebuilt = rebuilt + float(coeff) * (
            np.linalg.matrix_power(a.T, m) @ np.linalg.matrix_power(a, n)
        )
    assert np.allclose(rebuilt[:keep, :keep], matrix[:keep, :keep])


@pytest.mark.parametrize(("p", "q"), list(itertools.product("xyz", repeat=2)))
def test_pauli_table_against_matrices(p, q):
    s = Spin("sigma")
    product = getattr(s, p) * getattr(s, q)
    matrix = PAULI[p] @ PAULI[q]
    rebuilt = np.zeros((2, 2), dtype=complex)
    for coeff, _, word in product.sorted_terms():
        base = np.eye(2) if not word else PAULI[word[0][0][1]]
        rebuilt = rebuilt + complex(coeff) * base
    assert np.allclose(rebuilt, matrix)


def test_spin_ladder_operators():
    s = Spin("sigma")
    assert commutator(s.plus, s.minus) == s.z
    assert s.plus * s.plus == 0
    assert s.plus.dagger() == s.minus


def test_matrix_units_concrete_and_symbolic():
    A = Levels("A", 3)
    assert A[1, 2] * A[2, 3] == A[1, 3]
    assert (A[1, 2] * A[1, 2]).is_zero()
    i, j, k, l = (LevelIndex(c) for c in "ijkl")
    B = Levels("B", "N_levels")
    assert B[i, j] * B[k, l] == B[i, l] * sp.KroneckerDelta(j, k)


def test_delta_is_eliminated_only_against_summed_indices():
    B = Levels("B", "N_levels")
    i, k, n = LevelIndex("i"), LevelIndex("k"), LevelIndex("n")
    energy = sp.Function("epsilon", real=True)
    h = level_sum(B[n, n] * energy(n), n, B.size)
    # sum_n eps(n) [E_nn, E_ik] = (eps(i) - eps(k)) E_ik: the dummy n is eliminated ...
    assert commutator(h, B[i, k]) == B[i, k] * (energy(i) - energy(k))
    # ... but a delta of two free indices stays.
    prod = B[i, i] * B[k, k]
    assert prod == B[i, k] * sp.KroneckerDelta(i, k)
    assert prod.free_indices() == {i, k}


def test_equal_sums_merge_whatever_their_dummy_names():
    b, p, q = Bath(), ModeIndex("p"), ModeIndex("q")
    g = sp.Function("g", real=True)
    one = mode_sum(b.create("L", p) * g(p), p)
    two = mode_sum(b.create("L", q) * g(q), q)
    assert one == two
    assert (one - two).is_zero()


def test_bath_modes_contract_only_within_one_bath():
    b, k, p = Bath(), ModeIndex("k"), ModeIndex("p")
    assert commutator(b.annihilate("L", k), b.create("L", p)) == OperatorExpr.scalar(
        sp.KroneckerDelta(k, p)
    )
    assert commutator(b.annihilate("L", k), b.create("R", p)).is_zero()


def test_incompatible_indices_are_refused():
    A, b = Levels("A", 3), Bath()
    with pytest.raises(IndexMismatchError, match="not a level index"):
        _ = A[ModeIndex("k"), 1]
    with pytest.raises(IndexMismatchError, match=r"outside 1\.\.3"):
        _ = A[4, 1]
    with pytest.raises(IndexMismatchError, match="mode index"):
        b.create("L", LevelIndex("i"))
    with pytest.raises(IndexMismatchError):
        level_sum(A[1, 1], ModeIndex("k"), 3)


def test_unknown_operator_kinds_and_bad_powers_are_refused():
    a = Boson("a")
    with pytest.raises(OperatorAlgebraError, match="non-negative integers"):
        _ = a.x**-1
    with pytest.raises(OperatorAlgebraError, match="non-negative integers"):
        _ = a.x ** sp.Symbol("n")
    with pytest.raises(OperatorAlgebraError, match="c-number"):
        _ = a.x * "a"
    with pytest.raises(OperatorAlgebraError, match="bath must be"):
        Bath().create("M", ModeIndex("k"))


def test_abstract_operators_keep_their_commutators_unevaluated():
    X, Y = Abstract("X"), Abstract("Y", hermitian=True)
    a = Boson("a")
    c = commutator(X.op, a.number)
    assert str(c) == "[X, a^dag a]"
    assert commutator(X.op, X.op).is_zero()
    assert commutator(X.op, 5 * X.op).is_zero()
    assert (X.op * Y.op) != (Y.op * X.op)
    assert (X.op + X.op) == 2 * X.op
    assert Y.op.dagger() == Y.op
    assert commutator(X.op, OperatorExpr.scalar(3)).is_zero()


# --- invariants, on random expressions --------------------------------------------

a_, s_, A_ = Boson("a"), Spin("s"), Levels("A", 2)
ATOMS = [a_.annihilate, a_.create, s_.x, s_.y, s_.z, A_[1, 2], A_[2, 1], A_[1, 1]]
words = st.lists(st.sampled_from(range(len(ATOMS))), min_size=1, max_size=4)
exprs = st.lists(st.tuples(st.integers(-3, 3), words), min_size=1, max_size=3)


def build(spec):
    out = OperatorExpr()
    for coeff, word in spec:
        term = OperatorExpr.scalar(coeff)
        for w in word:
            term = term * ATOMS[w]
        out = out + term
    return out


@settings(max_examples=40, deadline=None)
@given(exprs, exprs, exprs)
def test_algebra_invariants(p, q, r):
    P, Q, R = build(p), build(q), build(r)
    assert (P * Q) * R == P * (Q * R)
    assert commutator(P, Q) == -commutator(Q, P)
    jacobi = (
        commutator(P, commutator(Q, R))
        + commutator(Q, commutator(R, P))
        + commutator(R, commutator(P, Q))
    )
    assert jacobi.is_zero()
    assert P.dagger().dagger() == P
    assert (P * Q).dagger() == Q.dagger() * P.dagger()
    # canonical form is idempotent: rebuilding from the terms changes nothing
    assert OperatorExpr._collect([(c, d, w) for (d, w), c in P.terms.items()]) == P


def test_ad_power_is_nested_commutator():
    a = Boson("a")
    h = a.number * sp.Symbol("w")
    assert ad_power(h, a.x, 0) == a.x
    assert ad_power(h, a.x, 2) == commutator(h, commutator(h, a.x))


def test_equal_models_build_equal_hamiltonians():
    assert n_level().hamiltonian == n_level().hamiltonian


def test_completeness_is_optional_and_exact():
    A, n = Levels("A", "N_levels"), LevelIndex("n")
    c = sp.Symbol("c")
    expr = A.identity_sum() * c + A[1, 2]
    assert expr != A[1, 2] + c  # not applied unless asked
    assert A.apply_completeness(expr) == A[1, 2] + c
    # a coefficient that depends on n is not a completeness sum
    weighted = level_sum(A[n, n] * sp.Function("f")(n), n, A.size)
    assert A.apply_completeness(weighted) == weighted


def test_junction_refuses_operators_of_unknown_kind():
    from heatbounds.symbolic.errors import ModelError
    from heatbounds.symbolic.junction import Junction

    s = Spin("sigma")
    with pytest.raises(ModelError, match="unknown kind int"):
        Junction(name="x", system_hamiltonian=s.x, couplings={"z": 5})
    with pytest.raises(ModelError, match="H_s must be an operator"):
        Junction(name="x", system_hamiltonian=sp.Symbol("H"), couplings={"z": s.z})


def test_junction_derives_alpha_and_gamma():
    from heatbounds.symbolic.models import spin_boson

    j = spin_boson()
    aL, aR = j.alpha_L, j.alpha_R
    assert sp.simplify(j.alpha - (aL + aR)) == 0
    assert sp.simplify(j.gamma.subs({aL: 0.4, aR: 0.4}) - 1) == 0


def test_sorted_terms_order_is_sums_then_word_then_coefficient_text():
    from heatbounds.symbolic.words import word_key

    A, n, q = Levels("A", 3), LevelIndex("n"), ModeIndex("q")
    b = Bath()
    M1, M2 = sp.Symbol("M1", positive=True), sp.Symbol("M2", positive=True)
    f = sp.Function("f")
    expr = (
        mode_sum(f(q) * b.annihilate("L", q), q, M2)
        + mode_sum(sp.Symbol("c") * b.annihilate("L", q), q, M1)  # the same word, tied
        + level_sum(A[n, 1] * f(n), n, 3)
        + A[1, 2] * 2
        + 5
    )
    expected = sorted(
        expr.terms.items(), key=lambda kv: (len(kv[0][0]), word_key(kv[0][1]), str(kv[1]))
    )
    assert expr.sorted_terms() == [(c, d, w) for (d, w), c in expected]


def test_products_with_float_coefficients_are_formed_as_written():
    """Float coefficients are multiplied exactly as ``c1 * c2 * weight`` (their
    rounding depends on the order); exact ones through the fast product."""
    from heatbounds.symbolic.canonical import apart
    from heatbounds.symbolic.words import word_product

    def plain_product(left, right):
        raw = []
        for (d1, w1), c1 in left.terms.items():
            for (d2, w2), c2 in right.terms.items():
                d2, w2, c2 = apart(d1, d2, w2, c2)
                for weight, word in word_product(w1, w2):
                    raw.append((c1 * c2 * weight, d1 + d2, word))
        return OperatorExpr._collect(raw)

    a, s = Boson("a"), Spin("s")
    g = sp.Symbol("g")
    for left, right in [
        (0.3 * g * a.annihilate**2 + a.create, 0.7 * a.create**3 + 1.1 * s.x),
        ((1 + g) * a.annihilate**2, sp.Rational(2, 3) * a.create**2 + s.y),
    ]:
        for x, y in [(left, right), (right, left)]:
            fast, plain = x * y, plain_product(x, y)
            assert list(fast.terms) == list(plain.terms)
            assert [sp.srepr(c) for c in fast.terms.values()] == [
                sp.srepr(c) for c in plain.terms.values()
            ]


# --- ordering without contractions (issue 13, item 6) -------------------------------


def test_ordered_product_is_the_normal_ordering_symbol():
    from heatbounds.symbolic.operators import Fermion, ordered_product

    a, b, d, e = Boson("a"), Boson("b"), Fermion("d"), Fermion("e")
    assert ordered_product(a.annihilate, a.create) == a.create * a.annihilate
    assert ordered_product(a.annihilate, a.annihilate, a.create, a.create) == (
        a.create**2 * a.annihilate**2
    )
    assert ordered_product(a.x, a.x) == a.create**2 + 2 * a.number + a.annihilate**2
    assert ordered_product(d.annihilate, d.create) == -(d.create * d.annihilate)
    assert ordered_product(d.annihilate, e.create) == d.annihilate * e.create  # no contraction
    assert ordered_product(d.create, d.create).is_zero()
    s = Spin("s")
    assert ordered_product(s.x, s.y) == s.x * s.y  # spins have no contractions
    assert ordered_product(a.annihilate, b.create, 3) == 3 * b.create * a.annihilate
    bath, k, q = Bath(), ModeIndex("k"), ModeIndex("q")
    ordered = ordered_product(bath.annihilate("L", k), bath.create("L", q))
    assert ordered == bath.create("L", q) * bath.annihilate("L", k)  # no delta_kq
    full = bath.annihilate("L", k) * bath.create("L", q)
    assert (full - ordered) == OperatorExpr.scalar(sp.KroneckerDelta(k, q))


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.integers(-3, 3), min_size=4, max_size=4),
    st.lists(st.integers(-3, 3), min_size=4, max_size=4),
)
def test_wick_for_two_linear_operators(u, v):
    """A B = :A B: + <A B>_0 for A, B linear in the modes: the rest is a c-number."""
    from heatbounds.symbolic.operators import Fermion, ordered_product

    a, d = Boson("a"), Fermion("d")
    for make in (
        lambda w: w[0] * a.annihilate + w[1] * a.create,
        lambda w: w[2] * d.annihilate + w[3] * d.create,
    ):
        left, right = make(u), make(v)
        rest = left * right - ordered_product(left, right)
        assert rest.is_scalar()
    # the contractions: <a a^dag>_0 = 1, <d d^dag>_0 = 1
    left, right = u[0] * a.annihilate, v[1] * a.create
    assert (left * right - ordered_product(left, right)) == u[0] * v[1]
