"""The coupling operators and flags of Eq. 3 and 8 (symbolic/couplings.py)."""

from __future__ import annotations

import doctest

import pytest
import sympy as sp

from heatbounds.symbolic import couplings as couplings_module
from heatbounds.symbolic.couplings import MatrixUnits, OperatorCouplings, as_couplings
from heatbounds.symbolic.errors import BoundConditionError, ModelError
from heatbounds.symbolic.indices import LevelIndex, ModeIndex
from heatbounds.symbolic.operators import Levels, Spin

s = Spin("s")
k = ModeIndex("k")


def test_doctests():
    assert doctest.testmod(couplings_module).failed == 0


def test_operator_couplings_keep_order_flags_and_bath_operator():
    c = OperatorCouplings({"x": s.x, "z": s.z}, [[2, 1], [1, 1]])
    assert c.labels == ("x", "z") and c.as_dict() == {"x": s.x, "z": s.z}
    assert c.flag("x", "z") == 1 and c.flag("x", "x") == 2
    g_x, g_z = sp.Function("g_L_x", real=True), sp.Function("g_L_z", real=True)
    assert c.bath_operator("L", k) == s.x * g_x(k) + s.z * g_z(k)
    one = OperatorCouplings({"z": s.z})
    assert one.bath_operator("R", k) == s.z * sp.Function("g_R", real=True)(k)
    assert one.flags == sp.eye(1)


@pytest.mark.parametrize(
    ("operators", "flags", "error", "message"),
    [
        ({}, None, ModelError, "no coupling operators"),
        ({"x": 1}, None, ModelError, "of unknown kind int"),
        ({"x": s.x}, [[1, 0]], ModelError, "must be 1x1"),
        ({"x": s.x, "z": s.z}, [[1, 1], [0, 1]], BoundConditionError, "not symmetric"),
        ({"x": s.x, "z": s.z}, [[1, 2], [2, 1]], BoundConditionError, "not positive"),
        ({"x": s.x}, [[sp.Symbol("u")]], BoundConditionError, "cannot decide"),
    ],
)
def test_bad_couplings_are_refused_by_name(operators, flags, error, message):
    with pytest.raises(error, match=message):
        OperatorCouplings(operators, flags, model="m")


def test_matrix_units_have_delta_flags_and_a_symmetric_coupling():
    units = MatrixUnits(Levels("A", 3))
    assert len(units.labels) == 9 and units.flags == sp.eye(9)
    i, j = LevelIndex("i"), LevelIndex("j")
    assert units.flag((i, j), (i, 2)) == sp.KroneckerDelta(j, 2)
    assert units.flag((1, 2), (2, 1)) == 0 and units.flag((1, 2), (1, 2)) == 1
    x = units.bath_operator("L", k)
    assert (x.dagger() - x).is_zero()  # g(a, b, k) = g(b, a, k): Hermitian coupling
    assert units.operator((1, 2)) == Levels("A", 3)[1, 2]


def test_as_couplings_takes_dicts_and_refuses_other_things():
    assert as_couplings({"x": s.x}).labels == ("x",)
    given = OperatorCouplings({"x": s.x})
    assert as_couplings(given, [[1]]) is given
    with pytest.raises(ModelError, match="given twice"):
        as_couplings(given, [[2]])
    with pytest.raises(ModelError, match="dict label -> A_n or MatrixUnits, got list"):
        as_couplings([s.x])


def test_a_coupling_odd_in_the_fermions_is_refused_by_name():
    from heatbounds.symbolic.operators import Fermion

    d = Fermion("d")
    with pytest.raises(ModelError, match="coupling operator 'x' is odd in the fermions"):
        OperatorCouplings({"x": d.annihilate + d.create}, model="m")
    assert OperatorCouplings({"n": d.number}).labels == ("n",)  # even: accepted
