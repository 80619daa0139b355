"""The fermion rules (symbolic/fermions.py) against Jordan-Wigner matrices.

Every product and adjoint of random normal-ordered words of up to four modes
(two declared dot modes and two lead modes) is compared with the same product
of Jordan-Wigner matrices, including the cases of sympy issues 25073 and 25075:
products across species and a (b + c) against a b + a c.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from heatbounds.symbolic.fermions import (
    fermion_adjoint,
    fermion_product,
    fermion_rename,
    sort_modes,
)
from heatbounds.symbolic.indices import ModeIndex

MODES = (("d_dn", None, None), ("d_up", None, None), ("c", "L", 1), ("c", "R", 2))


def _jordan_wigner(n: int) -> list[np.ndarray]:
    """Annihilators c_j = Z x ... x Z x sigma^- x 1 x ... of n modes."""
    z, lower, one = np.diag([1.0, -1.0]), np.array([[0.0, 1.0], [0.0, 0.0]]), np.eye(2)
    out = []
    for j in range(n):
        factors = [z] * j + [lower] + [one] * (n - j - 1)
        matrix = factors[0]
        for f in factors[1:]:
            matrix = np.kron(matrix, f)
        out.append(matrix)
    return out


ANNIHILATE = dict(zip(MODES, _jordan_wigner(len(MODES)), strict=True))
IDENTITY = np.eye(2 ** len(MODES))


def matrix(content) -> np.ndarray:
    """The matrix of a content (creators, annihilators), operators in stored order."""
    if content is None:
        return IDENTITY
    out = IDENTITY
    for mode in content[0]:
        out = out @ ANNIHILATE[mode].T
    for mode in content[1]:
        out = out @ ANNIHILATE[mode]
    return out


def matrix_of_terms(terms) -> np.ndarray:
    return sum((complex(w) * matrix(c) for w, c in terms), np.zeros_like(IDENTITY))


words = st.tuples(
    st.lists(st.sampled_from(MODES), max_size=3), st.lists(st.sampled_from(MODES), max_size=3)
).map(lambda pair: (tuple(pair[0]), tuple(pair[1])))


@settings(max_examples=300, deadline=None)
@given(words, words)
def test_products_are_those_of_jordan_wigner_matrices(left, right):
    expected = matrix(left) @ matrix(right)  # raw order: repeated modes give zero matrices
    sign_l, left_sorted = _sorted(left)
    sign_r, right_sorted = _sorted(right)
    if sign_l == 0 or sign_r == 0:
        assert np.allclose(expected, 0)
        return
    got = sign_l * sign_r * matrix_of_terms(fermion_product(left_sorted, right_sorted))
    assert np.allclose(got, expected)


def _sorted(content):
    sign_c, creators = sort_modes(content[0])
    sign_a, annihilators = sort_modes(content[1])
    return sign_c * sign_a, (creators, annihilators)


@settings(max_examples=200, deadline=None)
@given(words)
def test_adjoint_is_the_conjugate_transpose(content):
    sign, content = _sorted(content)
    if sign == 0:
        return
    adjoint_sign, adjoint = fermion_adjoint(content)
    assert np.allclose(adjoint_sign * matrix(adjoint), matrix(content).conj().T)
    again_sign, again = fermion_adjoint(adjoint)
    assert again == content and again_sign * adjoint_sign == 1  # an involution


def test_canonical_anticommutators():
    up, dn = MODES[1], MODES[0]
    create = {m: ((m,), ()) for m in MODES}
    destroy = {m: ((), (m,)) for m in MODES}
    # {d_up, d_up^dag} = 1
    total = fermion_product(destroy[up], create[up]) + fermion_product(create[up], destroy[up])
    assert matrix_of_terms(total) == pytest.approx(IDENTITY)
    assert sorted(total, key=str) == sorted(
        [(1, None), (-1, ((up,), (up,))), (1, ((up,), (up,)))], key=str
    )
    # across species: d_up d_dn^dag = - d_dn^dag d_up (sympy issue 25073)
    assert fermion_product(destroy[up], create[dn]) == [(-1, ((dn,), (up,)))]
    assert fermion_product(create[up], create[up]) == []  # Pauli: (d^dag)^2 = 0


def test_distributivity_a_times_b_plus_c(  # sympy issue 25075
):
    a, b, c = ((), (MODES[1],)), ((MODES[0],), ()), ((MODES[2],), ())
    both = fermion_product(a, b) + fermion_product(a, c)
    assert np.allclose(matrix_of_terms(both), matrix(a) @ (matrix(b) + matrix(c)))


def test_symbolic_lead_indices_give_deltas_and_signs():
    k, q = ModeIndex("k"), ModeIndex("q")
    ck, cq = ("c", "L", k), ("c", "L", q)
    # c_k c_q^dag = delta_kq - c_q^dag c_k
    terms = fermion_product(((), (ck,)), ((cq,), ()))
    assert sorted(terms, key=str) == sorted(
        [(-1, ((cq,), (ck,))), (sp.KroneckerDelta(k, q), None)], key=str
    )
    # leads do not mix: {c_Lk, c_Rq^dag} = 0
    assert fermion_product(((), (ck,)), ((("c", "R", q),), ())) == [
        (-1, (((("c", "R", q)),), (ck,)))
    ]
    # c_q^dag c_k^dag sorts to -c_k^dag c_q^dag; equal symbols vanish
    assert sort_modes([cq, ck]) == (-1, (ck, cq))
    assert sort_modes([ck, ck]) == (0, ())


def test_renaming_returns_the_sign_of_the_resorting():
    k, q, p = ModeIndex("k"), ModeIndex("q"), ModeIndex("p")
    content = ((("c", "L", k), ("c", "L", q)), ())
    assert fermion_rename(content, {k: p}) == (1, ((("c", "L", p), ("c", "L", q)), ()))
    # k -> r sorts after q: one transposition
    r = ModeIndex("r")
    assert fermion_rename(content, {k: r}) == (-1, ((("c", "L", q), ("c", "L", r)), ()))
    assert fermion_rename(content, {q: k})[0] == 0  # c_k^dag c_k^dag = 0


def test_every_pair_of_single_operators_anticommutes_as_it_should():
    ops = [((m,), ()) for m in MODES] + [((), (m,)) for m in MODES]
    for x, y in itertools.product(ops, ops):
        total = matrix_of_terms(fermion_product(x, y)) + matrix_of_terms(fermion_product(y, x))
        assert np.allclose(total, matrix(x) @ matrix(y) + matrix(y) @ matrix(x))


def test_the_family_object_carries_the_rules_parity_and_printing():
    from heatbounds.symbolic.errors import OperatorAlgebraError
    from heatbounds.symbolic.fermions import FERMION_SECTOR, FERMIONS

    up, lead = MODES[1], ("c", "L", ModeIndex("k"))
    content = ((lead, up), (MODES[0],))
    assert FERMIONS.parity == 1 and FERMIONS.model_kind == "fermion"
    assert FERMIONS.sector(FERMION_SECTOR).family is FERMIONS
    assert FERMIONS.multiply(((), (up,)), ((up,), ())) == fermion_product(((), (up,)), ((up,), ()))
    assert FERMIONS.adjoint_signed(content) == fermion_adjoint(content)
    assert FERMIONS.rename_signed(content, {}) == fermion_rename(content, {})
    for unsigned in (FERMIONS.adjoint, lambda c: FERMIONS.rename(c, {})):
        with pytest.raises(OperatorAlgebraError, match="carry a sign"):
            unsigned(content)
    assert FERMIONS.indices(content) == (ModeIndex("k"),)
    assert FERMIONS.text("f", content) == ["c^dag[L,k]", "d_up^dag", "d_dn"]
    assert (
        FERMIONS.latex("f", content)
        == r"\hat{c}^{\dagger}_{L k} \hat{d}^{\dagger}_{up} \hat{d}_{dn}"
    )
    assert FERMIONS.identifier("f", content) == "cdag_L_d_updag_d_dn"


# --- fermions in the operator algebra, against Jordan-Wigner matrices ----------------

FERMION_NAMES = ("f0", "f1", "f2", "f3")


def _expr_matrix(expr, modes):
    """The matrix of an OperatorExpr of fermions only (its words in stored order)."""
    from heatbounds.numeric.jordan_wigner import content_matrix, jordan_wigner_annihilators

    matrices = dict(zip(modes, jordan_wigner_annihilators(len(modes)), strict=True))
    size = 2 ** len(modes)
    total = np.zeros((size, size), dtype=complex)
    for (dummies, word), coeff in expr.terms.items():
        assert dummies == ()
        m = np.eye(size, dtype=complex)
        for segment in word:
            for _, content in segment:
                m = m @ content_matrix(content, matrices).toarray()
        total += complex(coeff) * m
    return total


gaussian = st.builds(complex, st.integers(-3, 3), st.integers(-3, 3))


@st.composite
def hamiltonians(draw):
    """A random H = sum t c^dag c + sum U c^dag c^dag c c + h.c. of 2-4 modes, and its
    matrix built independently: the Jordan-Wigner product in the written order."""
    from heatbounds.numeric.jordan_wigner import jordan_wigner_annihilators
    from heatbounds.symbolic.operators import Fermion

    n = draw(st.integers(2, 4))
    ops = [Fermion(name) for name in FERMION_NAMES[:n]]
    modes = tuple(sorted((name, None, None) for name in FERMION_NAMES[:n]))
    jw = [m.toarray() for m in jordan_wigner_annihilators(n)]  # modes sorted = names sorted
    expr, matrix = 0 * ops[0].number, np.zeros((2**n, 2**n), dtype=complex)
    for _ in range(draw(st.integers(1, 4))):  # quadratic terms
        i, j, t = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1)), draw(gaussian)
        term = t * ops[i].create * ops[j].annihilate
        expr = expr + term + term.dagger()
        raw = t * jw[i].T @ jw[j]
        matrix = matrix + raw + raw.conj().T
    for _ in range(draw(st.integers(0, 3))):  # quartic terms
        i, j, k, m = (draw(st.integers(0, n - 1)) for _ in range(4))
        u = draw(gaussian)
        term = u * ops[i].create * ops[j].create * ops[k].annihilate * ops[m].annihilate
        expr = expr + term + term.dagger()
        raw = u * jw[i].T @ jw[j].T @ jw[k] @ jw[m]
        matrix = matrix + raw + raw.conj().T
    return ops, modes, expr, matrix


@settings(max_examples=60, deadline=None)
@given(hamiltonians(), st.data())
def test_random_fermionic_hamiltonians_against_jordan_wigner(case, data):
    from heatbounds.symbolic.commutators import anticommutator, commutator

    ops, modes, h, matrix = case
    assert np.allclose(_expr_matrix(h, modes), matrix)
    assert (h.dagger() - h).is_zero()  # Hermitian by construction
    i = data.draw(st.integers(0, len(ops) - 1))
    for c in (ops[i].annihilate, ops[i].create):
        cm = _expr_matrix(c, modes)
        assert np.allclose(_expr_matrix(commutator(h, c), modes), matrix @ cm - cm @ matrix)
    j = data.draw(st.integers(0, len(ops) - 1))
    left, right = ops[i].annihilate, ops[j].create * h
    expected = _expr_matrix(left, modes) @ _expr_matrix(right, modes)
    expected += _expr_matrix(right, modes) @ _expr_matrix(left, modes)
    assert np.allclose(_expr_matrix(anticommutator(left, right), modes), expected)


def test_fermions_commute_with_bosons_and_spins():
    from heatbounds.symbolic.commutators import commutator
    from heatbounds.symbolic.operators import Boson, Fermion, Spin

    d, a, s = Fermion("d"), Boson("a"), Spin("s")
    for other in (a.annihilate, a.create, s.x, s.z):
        assert commutator(d.annihilate, other).is_zero()
        assert commutator(d.create * d.annihilate, other).is_zero()


def test_word_renaming_refuses_to_lose_a_fermion_sign():
    from heatbounds.symbolic.errors import OperatorAlgebraError
    from heatbounds.symbolic.fermions import FERMION_SECTOR, FERMIONS
    from heatbounds.symbolic.words import word_adjoint, word_adjoint_signed, word_rename

    k, q, r = ModeIndex("k"), ModeIndex("q"), ModeIndex("r")
    sector = FERMIONS.sector(FERMION_SECTOR)
    word = (((sector, ((("c", "L", k), ("c", "L", q)), ())),),)
    renamed = word_rename(word, {k: ModeIndex("a")})  # stays in order: no sign
    assert renamed[0][0][1][0][0] == ("c", "L", ModeIndex("a"))
    with pytest.raises(OperatorAlgebraError, match="re-sorts them"):
        word_rename(word, {k: r})
    sign, adjoint = word_adjoint_signed(word)
    assert sign == -1 and adjoint[0][0][1] == ((), (("c", "L", k), ("c", "L", q)))
    with pytest.raises(OperatorAlgebraError, match="use word_adjoint_signed"):
        word_adjoint(word)
