"""The canonical form proves equality: canonical coefficients, free-index deltas,
canonical dummies (issue 13, item 5).

Each identity here must hold *exactly* -- under ``==`` and ``is_zero()`` of the
term store -- not only numerically.
"""

from __future__ import annotations

import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import I, KroneckerDelta

from heatbounds.symbolic.canonical import free_delta_representatives
from heatbounds.symbolic.coefficients import canonical
from heatbounds.symbolic.commutators import commutator
from heatbounds.symbolic.indices import LevelIndex, ModeIndex
from heatbounds.symbolic.operators import (
    Bath,
    Boson,
    Levels,
    OperatorExpr,
    Spin,
    level_sum,
    mode_sum,
)

g, h = sp.symbols("g h")
omega = sp.Function("omega")
s = Spin("s")
a = Boson("a").annihilate
bath = Bath()


# --- A. coefficients ------------------------------------------------------------------


def test_power_of_a_complex_sum_is_expanded():
    product = ((1 + I) * s.x) * ((1 + I) * s.x)
    assert product == 2 * I
    assert product.scalar_part() == 2 * I
    assert (product - 2 * I).is_zero()


def test_power_of_a_symbolic_sum_is_expanded():
    product = ((1 + g) * a) * ((1 + g) * a)
    assert product == (g**2 + 2 * g + 1) * a**2
    assert product.terms == ((g**2 + 2 * g + 1) * a**2).terms  # the same representation


def test_difference_of_equal_products_is_zero():
    difference = (1 + I) * s.x * (1 + I) * s.z - 2 * I * s.x * s.z
    assert difference.is_zero()
    assert difference == 0
    assert len(difference) == 0


def test_cancelling_coefficients_leave_no_term():
    expr = (1 + g) ** 2 * s.z - (g**2 + 2 * g) * s.z
    assert expr == s.z
    assert ((g + h) ** 3 * a - sum_of_cubes() * a).is_zero()


def sum_of_cubes():
    return g**3 + 3 * g**2 * h + 3 * g * h**2 + h**3


def test_rational_coefficients_cancel():
    expr = s.z / (1 + g) + g * s.z / (1 + g) - s.z
    assert expr.is_zero()


def test_canonical_is_idempotent_and_leaves_expanded_forms_alone():
    c = canonical((1 + I) ** 2 * g + (g + h) ** 2)
    assert canonical(c) is c
    assert canonical(g * h + 2) == g * h + 2
    assert canonical(3) == 3


# --- B. free-index deltas -------------------------------------------------------------


def test_delta_rewrites_to_one_representative_index():
    i, k = ModeIndex("i"), ModeIndex("k")
    left = KroneckerDelta(i, k) * bath.annihilate("L", k)
    right = KroneckerDelta(i, k) * bath.annihilate("L", i)
    assert left == right
    assert left.terms == right.terms
    assert left.free_indices() == {i, k}  # a free index is never eliminated


def test_delta_rewrites_coefficients_too():
    q, r = ModeIndex("q"), ModeIndex("r")
    left = OperatorExpr.scalar(-omega(q) * KroneckerDelta(q, r))
    right = OperatorExpr.scalar(-omega(r) * KroneckerDelta(q, r))
    assert left == right
    assert left.terms == right.terms
    assert (left - right).is_zero()


def test_deltas_forcing_two_numbers_give_zero():
    A, k = Levels("A", 3), LevelIndex("k")
    assert (A[1, 1] * A[k, k] * A[3, 3]).is_zero()
    assert A[1, 1] * A[k, k] * A[1, 3] == KroneckerDelta(1, k) * A[1, 3]


def test_chained_deltas_share_one_representative():
    A = Levels("A", "N")
    i, j, k = (LevelIndex(c) for c in "ijk")
    chain = A[i, j] * A[j, k] * A[k, i]  # delta(j, j) delta(k, k): plain product
    assert chain == A[i, i]
    left = A[i, j] * A[k, i] * A[j, i]
    right = A[i, k] * A[k, i] * A[k, k]
    assert left * 1 == KroneckerDelta(i, k) * KroneckerDelta(i, j) * A[i, i]
    assert right == KroneckerDelta(i, k) * A[i, i]


def test_free_delta_representatives_on_plain_sympy():
    i, k = LevelIndex("i"), LevelIndex("k")
    expr = omega(k) * KroneckerDelta(i, k) - omega(i) * KroneckerDelta(k, i)
    assert free_delta_representatives(expr) == 0


def test_a_later_factor_is_rewritten_too():
    """A c-number multiplying a term that already carries delta(i, k) is rewritten."""
    A, E = Levels("A", "N"), sp.Function("E")
    i, j, k, l = (LevelIndex(c) for c in "ijkl")
    left = (E(k) - E(l)) * (A[j, l] * KroneckerDelta(i, k))
    right = (E(i) - E(l)) * KroneckerDelta(i, k) * A[j, l]
    assert left.terms == right.terms


# --- dummies --------------------------------------------------------------------------


def test_dummy_names_do_not_matter():
    p, q = ModeIndex("p"), ModeIndex("q")
    f = sp.Function("f")
    one = mode_sum(mode_sum(f(p) * omega(q) * bath.create("L", p) * bath.create("L", q), p), q)
    two = mode_sum(mode_sum(f(q) * omega(p) * bath.create("L", q) * bath.create("L", p), q), p)
    assert one == two
    assert one.terms == two.terms
    assert str(one) == str(two)


def test_a_sum_that_vanishes_by_the_words_symmetry_is_zero():
    """b_p b_q is symmetric in p, q, so sum_pq (f(p) g(q) - f(q) g(p)) b_p b_q = 0."""
    p, q = ModeIndex("p"), ModeIndex("q")
    f, g_ = sp.Function("f"), sp.Function("g")
    pair = bath.annihilate("L", p) * bath.annihilate("L", q)
    one = mode_sum(mode_sum(f(p) * g_(q) * pair, p), q)
    two = mode_sum(mode_sum(f(q) * g_(p) * pair, p), q)
    assert one == two
    assert (one - two).is_zero()
    assert ((1 + I) * one - (1 + I) * two).is_zero()


def test_scaling_keeps_the_canonical_names():
    p, q = ModeIndex("p"), ModeIndex("q")
    f, g_ = sp.Function("f"), sp.Function("g")
    pair = bath.create("L", p) * bath.annihilate("L", q) * bath.annihilate("L", p)
    x = mode_sum(mode_sum((f(p) * g_(q) + 3 * f(q) * omega(p)) * pair, p), q)
    for factor in (-1, 1 + I, g, (g + h) ** 2):
        assert ((x * factor) / factor).terms == x.terms
        assert (x * factor).terms == {k: canonical(c * factor) for k, c in x.terms.items()}


def test_same_input_same_output():
    p, n = ModeIndex("p"), LevelIndex("n")
    A = Levels("A", 3)
    x = mode_sum(omega(p) * bath.displacement("L", p), p)
    y = level_sum(A[n, 1] * omega(n) + A[1, n], n, 3)
    first = commutator(x + y, commutator(y * (1 + g), x * x))
    again = commutator(x + y, commutator(y * (1 + g), x * x))
    assert first.sorted_terms() == again.sorted_terms()
    assert str(first) == str(again)


# --- C. identities on random expressions ---------------------------------------------

i_, j_, p_ = LevelIndex("i"), LevelIndex("j"), ModeIndex("p")
n_, k_ = LevelIndex("n"), ModeIndex("k")
A_ = Levels("A", 3)
ATOMS = [
    lambda: a,
    lambda: a.dagger(),
    lambda: s.x,
    lambda: s.y,
    lambda: A_[1, 2],
    lambda: A_[i_, j_],
    lambda: A_[j_, 1],
    lambda: bath.annihilate("L", p_),
    lambda: bath.create("L", p_),
    lambda: mode_sum(omega(k_) * bath.displacement("L", k_), k_),
    lambda: level_sum(A_[n_, i_] * omega(n_), n_, 3),
]
COEFFS = [1, -2, 1 + I, 2 - 3 * I, g, 1 + g, I * g - h, (1 + I) * (g + h)]

terms = st.tuples(
    st.sampled_from(range(len(COEFFS))),
    st.lists(st.sampled_from(range(len(ATOMS))), min_size=1, max_size=2),
)
exprs = st.lists(terms, min_size=1, max_size=2)


def build(spec) -> OperatorExpr:
    out = OperatorExpr()
    for c, word in spec:
        term = OperatorExpr.scalar(COEFFS[c])
        for w in word:
            term = term * ATOMS[w]()
        out = out + term
    return out


@settings(max_examples=25, deadline=None)
@given(exprs, exprs, exprs)
def test_jacobi_identity_is_exactly_zero(p, q, r):
    P, Q, R = build(p), build(q), build(r)
    jacobi = (
        commutator(P, commutator(Q, R))
        + commutator(Q, commutator(R, P))
        + commutator(R, commutator(P, Q))
    )
    assert jacobi.is_zero(), str(jacobi)
    assert jacobi == 0


@settings(max_examples=25, deadline=None)
@given(exprs, exprs, exprs)
def test_leibniz_rule_is_exact(p, q, r):
    P, Q, R = build(p), build(q), build(r)
    left = commutator(P, Q * R)
    right = commutator(P, Q) * R + Q * commutator(P, R)
    assert left == right
    assert (left - right).is_zero(), str(left - right)
    assert left.terms == right.terms  # one representation, not only equal values


@settings(max_examples=25, deadline=None)
@given(exprs, exprs)
def test_products_with_complex_coefficients_are_canonical(p, q):
    P, Q = build(p), build(q)
    assert (P * Q).dagger() == Q.dagger() * P.dagger()
    assert (P + Q) * (P - Q) - (P * P - P * Q + Q * P - Q * Q) == 0
    rebuilt = OperatorExpr._collect([(c, d, w) for (d, w), c in (P * Q).terms.items()])
    assert rebuilt.terms == (P * Q).terms


def test_results_do_not_depend_on_the_engines_memos():
    from sympy.core.cache import clear_cache

    def derive():
        p, q = ModeIndex("p"), ModeIndex("q")
        i, n = LevelIndex("i"), LevelIndex("n")
        A = Levels("A", "N")
        hamiltonian = level_sum(
            mode_sum(omega(p) * A[i, n] * bath.displacement("L", p), p), n, A.size
        ) + mode_sum(omega(q) * bath.create("L", q) * bath.annihilate("L", q), q)
        return commutator(hamiltonian, commutator(hamiltonian, A[i, i] * g + a))

    clear_cache()
    cold = derive()
    warm = derive()
    assert list(cold.terms.items()) == list(warm.terms.items())
    assert [sp.srepr(c) for c in cold.terms.values()] == [sp.srepr(c) for c in warm.terms.values()]
