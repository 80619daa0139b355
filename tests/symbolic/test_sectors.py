"""The per-family rules (symbolic/sectors.py), each checked against matrices."""

from __future__ import annotations

import itertools

import pytest
import sympy as sp

from heatbounds.symbolic.indices import LevelIndex, ModeIndex
from heatbounds.symbolic.sectors import BATH_FAMILY, RULES, SectorRule

i, j, k, m = (LevelIndex(c) for c in "ijkm")
p, q = ModeIndex("p"), ModeIndex("q")
PAULI = {
    "x": sp.Matrix([[0, 1], [1, 0]]),
    "y": sp.Matrix([[0, -sp.I], [sp.I, 0]]),
    "z": sp.Matrix([[1, 0], [0, -1]]),
}
FOCK = 12  # truncated Fock space, far above the powers used below


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
    assert list(RULES) == ["levels", "spin", "boson", "bath"]
    assert [rule.rank for rule in RULES.values()] == [0, 1, 2, 3]
    assert all(isinstance(rule, SectorRule) and rule.family == f for f, rule in RULES.items())
    assert BATH_FAMILY == "b"


@pytest.mark.parametrize(
    ("left", "right"), list(itertools.product([(0, 1), (0, 2), (1, 0), (1, 1), (2, 1)], repeat=2))
)
def test_boson_normal_ordering_matches_matrices(left, right):
    product = boson(left) * boson(right)
    total = sp.zeros(FOCK, FOCK)
    for weight, content in RULES["boson"].multiply(left, right):
        total += weight * (boson(content) if content is not None else sp.eye(FOCK))
    # Away from the truncation edge the normal-ordered form is exact.
    edge = FOCK - 4
    assert product[:edge, :edge] == total[:edge, :edge]


@pytest.mark.parametrize(("left", "right"), list(itertools.product("xyz", repeat=2)))
def test_pauli_products_match_matrices(left, right):
    ((phase, axis),) = RULES["spin"].multiply(left, right)
    expected = PAULI[left] * PAULI[right]
    assert expected == phase * (PAULI[axis] if axis is not None else sp.eye(2))
    assert RULES["spin"].adjoint(left) == left


def test_matrix_units_multiply_with_a_delta():
    for a, b, c, d in itertools.product((1, 2, 3), repeat=4):
        total = sp.zeros(3, 3)
        for weight, (e, f) in RULES["levels"].multiply((a, b), (c, d)):
            total += weight * unit(e, f)
        assert total == unit(a, b) * unit(c, d)
    ((weight, content),) = RULES["levels"].multiply((i, j), (k, m))
    assert weight == sp.KroneckerDelta(j, k) and content == (i, m)
    assert RULES["levels"].adjoint((i, j)) == (j, i)
    assert RULES["levels"].rename((i, j), {i: 1}) == (1, j)


def test_bath_modes_contract_only_within_one_bath():
    annihilate_L, create_L = ((), (("L", p),)), ((("L", q),), ())
    out = RULES["bath"].multiply(annihilate_L, create_L)
    assert (1, ((("L", q),), (("L", p),))) in out
    assert (sp.KroneckerDelta(p, q), None) in out and len(out) == 2
    create_R = ((("R", q),), ())
    assert RULES["bath"].multiply(annihilate_L, create_R) == [(1, ((("R", q),), (("L", p),)))]
    content = ((("L", p),), (("R", q),))
    assert RULES["bath"].adjoint(content) == ((("R", q),), (("L", p),))
    assert RULES["bath"].indices(content) == (p, q)
    assert RULES["bath"].rename(((("L", p),), ()), {p: q}) == ((("L", q),), ())


def test_latex_and_identifiers():
    assert RULES["boson"].latex("a", (2, 1)) == r"\hat{a}^{\dagger 2} \hat{a}"
    assert RULES["boson"].identifier("a", (2, 1)) == "adag2_a"
    assert RULES["spin"].latex("sigma", "x") == r"\hat{\sigma}_{x}"
    assert RULES["spin"].latex("s", "y") == r"\hat{\sigma}^{(s)}_{y}"
    assert RULES["spin"].identifier("s", "z") == "s_z"
    assert RULES["levels"].latex("A", (i, 2)) == r"\hat{A}_{i2}"
    assert RULES["levels"].identifier("A", (i, j)) == "A"
    content = ((("L", p),), (("R", q),))
    assert RULES["bath"].latex("b", content) == r"\hat{b}^{\dagger}_{L p} \hat{b}_{R q}"
    assert RULES["bath"].identifier("b", content) == "bdag_L_b_R"
