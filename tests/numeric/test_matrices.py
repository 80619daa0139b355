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
from heatbounds.numeric.errors import NumericInputError
from heatbounds.numeric.matrices import MatrixJunction
from heatbounds.numeric.matrix_forms import (
    BathMatrices,
    BathMode,
    BosonMatrices,
    BosonSitesMatrices,
    FermionMatrices,
    LevelsMatrices,
    MatrixForm,
    SpinChainMatrices,
    SpinMatrices,
)
from heatbounds.symbolic.errors import OperatorAlgebraError
from heatbounds.symbolic.families import BATH, BOSON, FAMILIES, LEVELS, SPIN
from heatbounds.symbolic.fermions import FERMIONS
from heatbounds.symbolic.models import builtin_model
from heatbounds.symbolic.operator_family import OperatorFamily
from heatbounds.symbolic.operators import Bath, Levels
from heatbounds.symbolic.site_families import BOSON_SITES, SPIN_CHAIN

LEVELS_FOCK = 10


def test_every_family_has_a_registered_matrix_form():
    expected = {
        LEVELS: LevelsMatrices,
        SPIN: SpinMatrices,
        BOSON: BosonMatrices,
        BATH: BathMatrices,
        FERMIONS: FermionMatrices,
        SPIN_CHAIN: SpinChainMatrices,
        BOSON_SITES: BosonSitesMatrices,
    }
    assert set(expected) == set(FAMILIES.values())
    for family, cls in expected.items():
        assert isinstance(family.matrix_form, MatrixForm)
        assert type(family.matrix_form) is cls
    assert [f.key for f in FAMILIES.values() if not f.matrix_form.subsystem] == ["bath"]
    truncated = {f.key for f in FAMILIES.values() if f.matrix_form.truncated}
    assert truncated == {"boson", "bath", "boson_sites"}


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


def _site_local(family, content, sites, levels=6):
    sector = family.sector("n")
    mj = SimpleNamespace(boson_levels=levels, site_counts={"n": sites})
    size = family.matrix_form.factor_size(mj, sector)
    if content is None:
        return np.eye(size)
    return family.matrix_form.local(mj, sector, content)


def test_site_matrices_follow_the_family_rules():
    # every one-site operator on sites 1, 2 of a two-site chain, and pairs of them
    singles = [tuple((s,) if g == n else () for g in range(3)) for n in range(3) for s in (1, 2)]
    for left, right in itertools.product(singles, repeat=2):
        product = _site_local(SPIN_CHAIN, left, 2) @ _site_local(SPIN_CHAIN, right, 2)
        total = sum(
            complex(w) * _site_local(SPIN_CHAIN, c, 2) for w, c in SPIN_CHAIN.multiply(left, right)
        )
        np.testing.assert_allclose(total, product, atol=1e-12)
    bosons = [((1,), ()), ((), (1,)), ((2,), (2,)), ((1, 2), (1,))]
    mj = SimpleNamespace(boson_levels=6, site_counts={"n": 2})
    index = np.arange(36)
    keep = ~BOSON_SITES.matrix_form.near_cutoff(mj, BOSON_SITES.sector("n"), index, 36, 3)
    assert keep.sum() == 9  # occupations 0..2 on both sites
    for left, right in itertools.product(bosons, repeat=2):
        product = _site_local(BOSON_SITES, left, 2) @ _site_local(BOSON_SITES, right, 2)
        total = sum(
            complex(w) * _site_local(BOSON_SITES, c, 2)
            for w, c in BOSON_SITES.multiply(left, right)
        )
        np.testing.assert_allclose(total[np.ix_(keep, keep)], product[np.ix_(keep, keep)])
    assert BOSON_SITES.matrix_form.degree(((1, 1), (2,))) == 2


def test_a_spin_chain_junction_has_one_factor_of_all_sites():
    from heatbounds.symbolic.indices import SiteIndex
    from heatbounds.symbolic.junction import Junction
    from heatbounds.symbolic.sites import SpinChain, site_sum

    s, i = SpinChain("s"), SiteIndex("i")
    chain = s.z(1) * s.z(2) + s.z(2) * s.z(3) + site_sum(s.x(i), i, 3)
    junction = Junction("ising", chain, {"x": s.x(1)})
    mj = MatrixJunction(junction, {"alpha_L": 0.1, "alpha_R": 0.1})  # the count: 3
    ((sector, size),) = mj.system_factors
    assert sector.family is SPIN_CHAIN and size == 8
    x, z = np.array([[0, 1], [1, 0]]), np.diag([1, -1])

    def on(matrix, site):
        return np.kron(np.kron(np.eye(2 ** (site - 1)), matrix), np.eye(2 ** (3 - site)))

    expected = on(z, 1) @ on(z, 2) + on(z, 2) @ on(z, 3) + sum(on(x, n) for n in (1, 2, 3))
    np.testing.assert_allclose(mj.hamiltonian(), expected)
    with pytest.raises(NumericInputError, match=r"sites run over 1\.\.3"):
        mj.matrix(s.z(4))
    free = Junction("free", site_sum(s.z(i), i, "N"), {"x": s.x(1)})
    with pytest.raises(NumericInputError, match="need a concrete count"):
        MatrixJunction(free, {"alpha_L": 0.1, "alpha_R": 0.1})
    given = MatrixJunction(free, {"alpha_L": 0.1, "alpha_R": 0.1}, site_counts={"s": 2})
    assert given.dimension == 4
