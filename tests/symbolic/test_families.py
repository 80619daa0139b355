"""The four operator families (symbolic/families.py), each rule checked against matrices."""

from __future__ import annotations

import itertools

import pytest
import sympy as sp

from heatbounds.symbolic.families import (
    BATH,
    BATH_NAME,
    BOSON,
    FAMILIES,
    LEVELS,
    SPIN,
    OperatorFamily,
)
from heatbounds.symbolic.fermions import FERMIONS
from heatbounds.symbolic.indices import LevelIndex, ModeIndex, SiteIndex
from heatbounds.symbolic.operators import Bath, Boson, Levels, Spin
from heatbounds.symbolic.site_families import BOSON_SITES, SPIN_CHAIN
from heatbounds.symbolic.words import word_adjoint

i, j, k, m = (LevelIndex(c) for c in "ijkm")
p, q = ModeIndex("p"), ModeIndex("q")
site = SiteIndex("l")
PAULI = {
    "x": sp.Matrix([[0, 1], [1, 0]]),
    "y": sp.Matrix([[0, -sp.I], [sp.I, 0]]),
    "z": sp.Matrix([[1, 0], [0, -1]]),
}
FOCK = 12  # truncated Fock space, far above the powers used below

# Sample contents of every family (adjoint and printing are checked on each).
CONTENTS = {
    LEVELS: [(1, 2), (i, j), (2, 2)],
    SPIN: ["x", "y", "z"],
    BOSON: [(0, 1), (1, 0), (2, 1), (3, 3)],
    BATH: [((), (("L", p),)), ((("R", q),), ()), ((("L", p),), (("R", 2), ("R", q)))],
    FERMIONS: [
        ((), (("d", None, None),)),
        ((("d", None, None),), ()),
        ((("c", "L", 1), ("d", None, None)), (("c", "R", q),)),
    ],
    SPIN_CHAIN: [((1,), (), ()), ((), (site,), (2,)), ((site,), (1, 2), (site,))],
    BOSON_SITES: [((), (1,)), ((site,), ()), ((1, site), (2,))],
}


def boson(content) -> sp.Matrix:
    a = sp.zeros(FOCK, FOCK)
    for n in range(1, FOCK):
        a[n - 1, n] = sp.sqrt(n)
    create, annihilate = content
    return (a.T) ** create * a**annihilate


def unit(a: int, b: int, size: int = 3) -> sp.Matrix:
    out = sp.zeros(size, size)
    out[a - 1, b - 1] = 1
    return out


def test_table_has_every_family_in_rank_order():
    assert list(FAMILIES) == [
        "levels",
        "spin",
        "boson",
        "bath",
        "fermion",
        "spin_chain",
        "boson_sites",
    ]
    assert list(FAMILIES.values()) == [LEVELS, SPIN, BOSON, BATH, FERMIONS, SPIN_CHAIN, BOSON_SITES]
    assert [f.rank for f in FAMILIES.values()] == [0, 1, 2, 3, 4, 5, 6]
    assert all(isinstance(f, OperatorFamily) and f.key == key for key, f in FAMILIES.items())
    assert BATH_NAME == "b"


def test_only_the_fermions_are_odd_and_they_keep_to_one_sector():
    # An odd family in several sectors would need signs in block merging
    # (test_operator_family.py); the fermions share one sector.
    assert [f.key for f in FAMILIES.values() if f.parity] == ["fermion"]
    assert all(f.single_sector for f in FAMILIES.values() if f.parity)


def test_operators_carry_the_family_object():
    for expr, family in (
        (Boson("a").annihilate, BOSON),
        (Spin("s").x, SPIN),
        (Levels("A", 3)[1, 2], LEVELS),
        (Bath().create("L", p), BATH),
    ):
        ((_, _, word),) = expr.sorted_terms()
        ((sector, _),) = word[0]
        assert sector.family is family


@pytest.mark.parametrize(
    ("left", "right"), list(itertools.product([(0, 1), (0, 2), (1, 0), (1, 1), (2, 1)], repeat=2))
)
def test_boson_normal_ordering_matches_matrices(left, right):
    product = boson(left) * boson(right)
    total = sp.zeros(FOCK, FOCK)
    for weight, content in BOSON.multiply(left, right):
        total += weight * (boson(content) if content is not None else sp.eye(FOCK))
    # Away from the truncation edge the normal-ordered form is exact.
    edge = FOCK - 4
    assert product[:edge, :edge] == total[:edge, :edge]


def test_boson_adjoint_matches_matrices():
    for content in CONTENTS[BOSON]:
        assert boson(BOSON.adjoint(content)) == boson(content).T


@pytest.mark.parametrize(("left", "right"), list(itertools.product("xyz", repeat=2)))
def test_pauli_products_match_matrices(left, right):
    ((phase, axis),) = SPIN.multiply(left, right)
    expected = PAULI[left] * PAULI[right]
    assert expected == phase * (PAULI[axis] if axis is not None else sp.eye(2))
    assert SPIN.adjoint(left) == left


def test_matrix_units_multiply_with_a_delta():
    for a, b, c, d in itertools.product((1, 2, 3), repeat=4):
        total = sp.zeros(3, 3)
        for weight, (e, f) in LEVELS.multiply((a, b), (c, d)):
            total += weight * unit(e, f)
        assert total == unit(a, b) * unit(c, d)
        assert unit(*LEVELS.adjoint((a, b))) == unit(a, b).T
    ((weight, content),) = LEVELS.multiply((i, j), (k, m))
    assert weight == sp.KroneckerDelta(j, k) and content == (i, m)
    assert LEVELS.adjoint((i, j)) == (j, i)
    assert LEVELS.rename((i, j), {i: 1}) == (1, j)


def test_bath_modes_contract_only_within_one_bath():
    annihilate_L, create_L = ((), (("L", p),)), ((("L", q),), ())
    out = BATH.multiply(annihilate_L, create_L)
    assert (1, ((("L", q),), (("L", p),))) in out
    assert (sp.KroneckerDelta(p, q), None) in out and len(out) == 2
    create_R = ((("R", q),), ())
    assert BATH.multiply(annihilate_L, create_R) == [(1, ((("R", q),), (("L", p),)))]
    # b b^dag = b^dag b + 1 for one concrete mode
    assert BATH.multiply(((), (("L", 1),)), ((("L", 1),), ())) == [
        (1, ((("L", 1),), (("L", 1),))),
        (1, None),
    ]
    content = ((("L", p),), (("R", q),))
    assert BATH.adjoint(content) == ((("R", q),), (("L", p),))
    assert BATH.indices(content) == (p, q)
    assert BATH.rename(((("L", p),), ()), {p: q}) == ((("L", q),), ())


@pytest.mark.parametrize("family", list(FAMILIES.values()))
def test_adjoint_is_an_involution(family):
    for content in CONTENTS[family]:
        sign, adjoint = family.adjoint_signed(content)
        again, back = family.adjoint_signed(adjoint)
        assert back == content and sign * again == 1


@pytest.mark.parametrize("family", list(FAMILIES.values()))
def test_index_handling_is_consistent(family):
    for content in CONTENTS[family]:
        indices = family.indices(content)
        assert len(family.index_kinds(content)) == len(indices)
        assert family.with_indices(content, iter(indices)) == content
        assert family.rename_signed(content, {}) == (1, content)
        assert isinstance(family.sort_key(content), tuple)
    assert set(family.index_kinds(CONTENTS[family][-1])) <= {"level", "mode", "site"}


def test_index_kinds():
    assert LEVELS.index_kinds((i, 2)) == ("level", "level")
    assert BATH.index_kinds(((("L", p),), (("R", q),))) == ("mode", "mode")
    assert SPIN.index_kinds("x") == BOSON.index_kinds((1, 1)) == ()


@pytest.mark.parametrize("family", list(FAMILIES.values()))
def test_every_family_prints(family):
    for content in CONTENTS[family]:
        text = family.text("n", content)
        assert text and all(isinstance(t, str) and t for t in text)
        assert family.latex("n", content).startswith(r"\hat{")
        assert family.identifier("n", content).isidentifier()


def test_latex_text_and_identifiers():
    assert BOSON.latex("a", (2, 1)) == r"\hat{a}^{\dagger 2} \hat{a}"
    assert BOSON.text("a", (2, 1)) == ["a^dag^2", "a"]
    assert BOSON.identifier("a", (2, 1)) == "adag2_a"
    assert SPIN.latex("sigma", "x") == r"\hat{\sigma}_{x}"
    assert SPIN.latex("s", "y") == r"\hat{\sigma}^{(s)}_{y}"
    assert SPIN.text("s", "z") == ["s_z"]
    assert SPIN.identifier("s", "z") == "s_z"
    assert LEVELS.latex("A", (i, 2)) == r"\hat{A}_{i2}"
    assert LEVELS.text("A", (i, 2)) == ["A[i,2]"]
    assert LEVELS.identifier("A", (i, j)) == "A"
    content = ((("L", p),), (("R", q),))
    assert BATH.latex("b", content) == r"\hat{b}^{\dagger}_{L p} \hat{b}_{R q}"
    assert BATH.text("b", content) == ["b^dag[L,p]", "b[R,q]"]
    assert BATH.identifier("b", content) == "bdag_L_b_R"


def test_model_file_kinds():
    assert {f.key: f.model_kind for f in FAMILIES.values()} == {
        "levels": "levels",
        "spin": "spin-1/2",
        "boson": "boson",
        "bath": None,
        "fermion": "fermion",
        "spin_chain": None,
        "boson_sites": None,
    }
    assert BOSON.model_arguments("boson") == () and BOSON.model_arguments("spin-1/2") is None
    assert SPIN.model_arguments("spin-1/2") == ()
    assert LEVELS.model_arguments("levels:3") == (3,)
    assert LEVELS.model_arguments("levels:1") is None
    assert LEVELS.model_arguments("levels:100") is None
    assert all(BATH.model_arguments(kind) is None for kind in ("bath", "boson", ""))
    assert BATH.model_help() is None
    assert LEVELS.model_help() == "levels:N with N in 2..99"


def test_model_files_declare_every_declarable_family():
    from heatbounds.symbolic.model_text import _DECLARATIONS

    declarable = {f for f in FAMILIES.values() if f.model_kind is not None}
    assert {family for family, _ in _DECLARATIONS} == declarable


def test_word_adjoint_uses_the_family_rules():
    A = Levels("A", 3)
    expr = A[1, 2] * Spin("s").y * Boson("a").create * Bath().annihilate("L", p)
    ((_, _, word),) = expr.sorted_terms()
    assert word_adjoint(word_adjoint(word)) == word
    ((_, _, adjoint),) = (A[2, 1] * Spin("s").y * Boson("a").annihilate).sorted_terms()
    assert word_adjoint(word)[0][:3] == adjoint[0]
