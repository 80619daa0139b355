"""Matrix forms of the operator families (numeric/matrix_forms.py, numeric/matrices.py).

Each family's matrix form, registered on the family object when the numeric
layer is imported, must represent the family's symbolic rules: products,
adjoints, and the basis of a :class:`MatrixJunction`.
"""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import numpy as np
import pytest

from heatbounds.numeric.check_defaults import default_values
from heatbounds.numeric.matrices import MatrixJunction
from heatbounds.numeric.matrix_forms import (
    BathMatrices,
    BathMode,
    BosonMatrices,
    FermionMatrices,
    LevelsMatrices,
    MatrixForm,
    SpinMatrices,
)
from heatbounds.symbolic.errors import OperatorAlgebraError
from heatbounds.symbolic.families import BATH, BOSON, FAMILIES, LEVELS, SPIN
from heatbounds.symbolic.fermions import FERMIONS
from heatbounds.symbolic.models import builtin_model
from heatbounds.symbolic.operator_family import OperatorFamily
from heatbounds.symbolic.operators import Bath, Levels

LEVELS_FOCK = 10


def test_every_family_has_a_registered_matrix_form():
    expected = {
        LEVELS: LevelsMatrices,
        SPIN: SpinMatrices,
        BOSON: BosonMatrices,
        BATH: BathMatrices,
        FERMIONS: FermionMatrices,
    }
    assert set(expected) == set(FAMILIES.values())
    for family, cls in expected.items():
        assert isinstance(family.matrix_form, MatrixForm)
        assert type(family.matrix_form) is cls
    assert [f.key for f in FAMILIES.values() if not f.matrix_form.subsystem] == ["bath"]
    assert {f.key for f in FAMILIES.values() if f.matrix_form.truncated} == {"boson", "bath"}


def test_a_family_without_a_matrix_form_is_refused_clearly():
    class Unregistered(OperatorFamily):
        key, rank = "unregistered", 9

    with pytest.raises(OperatorAlgebraError, match="'unregistered' has no matrix form"):
        _ = Unregistered().matrix_form


def _local(family, content, size):
    sector = family.sector("n")
    mj = SimpleNamespace(boson_levels=size, factors=[(sector, size)])
    return family.matrix_form.local(mj, sector, content)


CASES = {
    SPIN: (2, 2, ["x", "y", "z"]),
    BOSON: (LEVELS_FOCK, LEVELS_FOCK - 4, [(0, 1), (1, 0), (1, 1), (2, 1), (0, 2)]),
    LEVELS: (3, 3, [(a, b) for a in (1, 2, 3) for b in (1, 2, 3)]),
}


@pytest.mark.parametrize("family", list(CASES))
def test_local_matrices_follow_the_family_rules(family):
    size, exact, contents = CASES[family]
    for left, right in itertools.product(contents, repeat=2):
        product = _local(family, left, size) @ _local(family, right, size)
        total = np.zeros((size, size), dtype=complex)
        for weight, content in family.multiply(left, right):
            local = np.eye(size) if content is None else _local(family, content, size)
            total += complex(weight) * local
        # bosons: exact away from the Fock cutoff
        np.testing.assert_allclose(product[:exact, :exact], total[:exact, :exact], atol=1e-12)
    for content in contents:
        adjoint = _local(family, family.adjoint(content), size)
        np.testing.assert_allclose(adjoint, _local(family, content, size).conj().T)


def test_junction_basis_has_one_factor_per_sector_and_bath_mode():
    junction = builtin_model("spin-boson")
    mj = MatrixJunction(junction, default_values(junction), bath_modes=2, bath_levels=3)
    (system,) = mj.system_factors
    assert system[0].family is SPIN and system[1] == 2
    assert [key for key, _ in mj.factors[1:]] == [
        BathMode(nu, k) for nu in ("L", "R") for k in (1, 2)
    ]
    assert mj.dimension == 2 * 3**4


def test_bath_matrices_follow_the_wick_rule():
    junction = builtin_model("spin-boson")
    mj = MatrixJunction(junction, default_values(junction), bath_modes=1, bath_levels=6)
    bath = Bath()
    b, bdag = bath.annihilate("L", 1), bath.create("L", 1)
    keep = mj.cutoff_projector(2) == 0  # states two quanta below every cutoff
    product = mj.matrix(b) @ mj.matrix(bdag)
    normal = mj.matrix(b * bdag)  # b^dag b + 1 (the BATH family's contraction)
    np.testing.assert_allclose(product[np.ix_(keep, keep)], normal[np.ix_(keep, keep)])
    other = mj.matrix(bath.annihilate("R", 1)) @ mj.matrix(bdag)
    np.testing.assert_allclose(other, mj.matrix(bath.annihilate("R", 1) * bdag))


def test_levels_factor_size_comes_from_the_model():
    junction = builtin_model("three-level")
    mj = MatrixJunction(junction, default_values(junction))
    ((sector, size),) = [(key, n) for key, n in mj.system_factors if key.family is LEVELS]
    assert size == 3
    unit = mj.matrix(Levels(sector.name, 3)[1, 2])
    assert unit.shape == (mj.dimension, mj.dimension)
    assert np.count_nonzero(unit) == mj.dimension // 3
