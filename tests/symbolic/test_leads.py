"""Lead modes c_{nu k} with symbolic indices (symbolic/leads.py) against matrices.

Products, (anti)commutators and adjoints of random expressions built from lead
modes -- single modes with free or concrete indices, mode sums weighted by
functions of the summed index, the dot's own mode -- are written out at a
concrete number of modes per lead and compared with the same operations on
Jordan-Wigner matrices. Every renaming of a summed index, delta elimination
and free-index representative re-sorts the fermions and so must carry the sign
of the permutation; a lost sign fails here.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy.core.function import AppliedUndef

from heatbounds.symbolic.commutators import anticommutator, commutator
from heatbounds.symbolic.errors import IndexMismatchError, OperatorAlgebraError
from heatbounds.symbolic.fermions import FERMIONS
from heatbounds.symbolic.indices import LevelIndex, ModeIndex
from heatbounds.symbolic.leads import Leads
from heatbounds.symbolic.operators import Fermion, OperatorExpr, mode_sum

M = 3  # modes per lead in the written-out check
P, Q = ModeIndex("p"), ModeIndex("q")  # free mode indices
LEADS = Leads()
DOT = Fermion("d")
MODES = [("d", None, None)] + [("c", nu, k) for nu in "LR" for k in range(1, M + 1)]
RNG = np.random.default_rng(20261205)
TABLES = {  # the weights f_j(k) of mode sums, complex
    f"f{j}": {k: complex(*RNG.normal(size=2)) for k in range(1, M + 1)} for j in range(3)
}
FUNCTIONS = {name: sp.Function(name) for name in TABLES}


def _annihilators() -> dict:
    z, lower, one = np.diag([1.0, -1.0]), np.array([[0.0, 1.0], [0.0, 0.0]]), np.eye(2)
    out = {}
    for j, mode in enumerate(MODES):
        matrix = np.eye(1)
        for factor in [z] * j + [lower] + [one] * (len(MODES) - j - 1):
            matrix = np.kron(matrix, factor)
        out[mode] = matrix
    return out


ANNIHILATE = _annihilators()
IDENTITY = np.eye(2 ** len(MODES), dtype=complex)


def _coefficient(coeff, mapping: dict) -> complex:
    value = sp.sympify(coeff).xreplace({k: sp.Integer(v) for k, v in mapping.items()})
    value = value.replace(
        lambda e: isinstance(e, AppliedUndef), lambda e: TABLES[type(e).__name__][int(e.args[0])]
    )
    return complex(value)


def _word_matrix(word, mapping: dict) -> np.ndarray:
    """The word with indices filled in place (no re-sorting), as a matrix product."""
    out = IDENTITY
    for segment in word:
        for sector, content in segment:
            assert sector.family is FERMIONS
            creators, annihilators = content
            for name, nu, k in creators:
                out = out @ ANNIHILATE[(name, nu, mapping.get(k, k))].T
            for name, nu, k in annihilators:
                out = out @ ANNIHILATE[(name, nu, mapping.get(k, k))]
    return out


def to_matrix(expr: OperatorExpr, free: dict) -> np.ndarray:
    """Every mode sum written out over 1..M, free indices set by ``free``."""
    out = np.zeros_like(IDENTITY)
    for (dummies, word), coeff in expr.terms.items():
        ranges = [range(1, M + 1)] * len(dummies)
        for values in itertools.product(*ranges):
            mapping = dict(free)
            mapping.update({d: v for (d, _), v in zip(dummies, values, strict=True)})
            weight = _coefficient(coeff, mapping)
            if weight:
                out = out + weight * _word_matrix(word, mapping)
    return out


def _summed(dagger: bool, nu: str, weight: str, name: str) -> OperatorExpr:
    k = ModeIndex(name)
    op = LEADS.create(nu, k) if dagger else LEADS.annihilate(nu, k)
    return mode_sum(FUNCTIONS[weight](k) * op, k)


atoms = st.one_of(
    st.builds(
        lambda dagger, nu, k: LEADS.create(nu, k) if dagger else LEADS.annihilate(nu, k),
        st.booleans(),
        st.sampled_from("LR"),
        st.sampled_from([P, Q, 1, 2]),
    ),
    st.builds(
        _summed,
        st.booleans(),
        st.sampled_from("LR"),
        st.sampled_from(sorted(TABLES)),
        st.sampled_from(["k", "r", "s"]),
    ),
    st.sampled_from([DOT.annihilate, DOT.create, DOT.number]),
)
gaussian = st.builds(complex, st.integers(-2, 2), st.integers(-2, 2)).filter(bool)
monomials = st.builds(
    lambda c, factors: c * _product(factors), gaussian, st.lists(atoms, min_size=1, max_size=3)
)
expressions = st.lists(monomials, min_size=1, max_size=3).map(sum)
free_values = st.fixed_dictionaries({P: st.integers(1, M), Q: st.integers(1, M)})


def _product(factors: list) -> OperatorExpr:
    out = OperatorExpr.scalar(1)
    for factor in factors:
        out = out * factor
    return out


@settings(max_examples=120, deadline=None)
@given(expressions, expressions, free_values)
def test_products_and_brackets_with_symbolic_lead_indices_are_those_of_matrices(x, y, free):
    mx, my = to_matrix(x, free), to_matrix(y, free)
    assert np.allclose(to_matrix(x * y, free), mx @ my)
    assert np.allclose(to_matrix(commutator(x, y), free), mx @ my - my @ mx)
    assert np.allclose(to_matrix(anticommutator(x, y), free), mx @ my + my @ mx)
    assert np.allclose(to_matrix(x.dagger(), free), mx.conj().T)


@settings(max_examples=60, deadline=None)
@given(expressions, free_values)
def test_free_index_substitution_keeps_the_sign_of_the_re_sorted_modes(x, free):
    # q -> p re-sorts c_p, c_q pairs and may make a mode repeat (zero)
    same = {P: free[P], Q: free[P]}
    assert np.allclose(to_matrix(x.subs_indices({Q: P}), same), to_matrix(x, same))


def test_a_sum_symmetric_in_two_lead_creators_is_exactly_zero():
    f, g = FUNCTIONS["f0"], FUNCTIONS["f1"]
    k, r = ModeIndex("k"), ModeIndex("r")

    def pair_sum(weight):
        return mode_sum(mode_sum(weight * LEADS.create("L", k) * LEADS.create("L", r), k), r)

    assert pair_sum(1) == 0
    assert pair_sum(f(k) * f(r)) == 0
    assert pair_sum(f(k) * g(r) + f(r) * g(k)) == 0
    antisymmetric = pair_sum(f(k) * g(r))
    assert antisymmetric != 0
    assert antisymmetric == -pair_sum(f(r) * g(k))
    assert antisymmetric.is_zero() is False


def test_the_hopping_of_one_lead_moves_a_dot_electron_into_the_lead():
    # [d, sum_k t(k) (c^dag_k d + d^dag c_k)] = sum_k t(k) c_k, {c_p, c^dag_q} = delta
    t, k = FUNCTIONS["f0"], ModeIndex("k")
    hopping = mode_sum(
        t(k) * (LEADS.create("L", k) * DOT.annihilate + DOT.create * LEADS.annihilate("L", k)), k
    )
    assert commutator(DOT.annihilate, hopping) == mode_sum(t(k) * LEADS.annihilate("L", k), k)
    assert anticommutator(LEADS.annihilate("L", P), LEADS.create("L", Q)) == OperatorExpr.scalar(
        sp.KroneckerDelta(P, Q)
    )
    assert anticommutator(LEADS.annihilate("L", P), LEADS.create("R", Q)) == 0


def test_bad_lead_modes_are_refused_by_name():
    with pytest.raises(OperatorAlgebraError, match="lead must be one of"):
        LEADS.create("M", 1)
    with pytest.raises(IndexMismatchError, match="level index"):
        LEADS.create("L", LevelIndex("n"))
    with pytest.raises(OperatorAlgebraError, match="mode index or an int"):
        LEADS.create("L", 1.5)


@pytest.mark.parametrize("free", [{P: 1, Q: 2}, {P: 2, Q: 1}, {P: 2, Q: 2}])
def test_delta_elimination_that_re_sorts_the_modes_keeps_their_sign(free):
    # the delta of c_r c^dag_q replaces the dummy r by q, which then sorts after p
    k, r = ModeIndex("k"), ModeIndex("r")
    f, g = FUNCTIONS["f0"], FUNCTIONS["f1"]
    for factors in (
        # delta(2, q) on a free index: q -> 2 in c^dag_3 c^dag_q re-sorts them
        [
            LEADS.create("L", 3),
            LEADS.annihilate("R", 2),
            LEADS.create("R", Q),
            LEADS.create("L", Q),
        ],
        [
            LEADS.create("L", P),
            mode_sum(g(r) * LEADS.create("L", r) * LEADS.annihilate("R", r), r),
            LEADS.create("R", Q),
        ],
        [
            mode_sum(f(k) * LEADS.create("L", k), k),
            LEADS.annihilate("L", P),
            mode_sum(g(r) * LEADS.annihilate("L", r), r),
            LEADS.create("L", Q),
        ],
    ):
        for order in (factors, factors[::-1]):
            expected = IDENTITY
            for factor in order:
                expected = expected @ to_matrix(factor, free)
            assert np.allclose(to_matrix(_product(order), free), expected)
