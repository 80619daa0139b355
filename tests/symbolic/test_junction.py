"""The junction of Eq. 3 (symbolic/junction.py): its Hamiltonian, couplings and refusals."""

from __future__ import annotations

import dataclasses
import doctest
import gc

import pytest
import sympy as sp

from heatbounds.symbolic import junction as junction_module
from heatbounds.symbolic import sum_rules
from heatbounds.symbolic.couplings import Couplings
from heatbounds.symbolic.dissipation import Ohmic, PowerLaw
from heatbounds.symbolic.errors import BoundConditionError, ModelError
from heatbounds.symbolic.indices import LevelIndex, ModeIndex
from heatbounds.symbolic.junction import (
    Junction,
    MatrixUnits,
    SymmetricCoupling,
    mode_frequency,
    symmetric_coupling,
)
from heatbounds.symbolic.models import harmonic, n_level, spin_boson
from heatbounds.symbolic.operators import Bath, Levels, Spin, mode_sum
from heatbounds.symbolic.parameters import alpha_L, alpha_R, hbar
from heatbounds.symbolic.sum_rules import moment

s = Spin("s")
k = ModeIndex("k")


def junction(**changes) -> Junction:
    return Junction(**{"name": "t", "system_hamiltonian": s.z, "couplings": {"x": s.x}, **changes})


def test_doctests():
    assert doctest.testmod(junction_module).failed == 0


def test_spin_boson_hamiltonian_is_eq_3():
    j = spin_boson()
    sigma, bath, p = Spin("sigma"), Bath(), ModeIndex("p")
    g_L, g_R = sp.Function("g_L", real=True), sp.Function("g_R", real=True)
    assert j.labels == ("z",) and j.flag("z", "z") == 1
    assert j.bath_operator("L", k) == sigma.z * g_L(k)
    expected = mode_sum(sigma.z * g_L(p) * bath.displacement("L", p), p) + mode_sum(
        sigma.z * g_R(p) * bath.displacement("R", p), p
    )
    assert (j.coupling_hamiltonian - expected).is_zero()
    omega_L, omega_R = mode_frequency("L"), mode_frequency("R")
    number = {nu: Bath().create(nu, p) * Bath().annihilate(nu, p) for nu in "LR"}
    bath_h = mode_sum(number["L"] * hbar * omega_L(p), p) + mode_sum(
        number["R"] * hbar * omega_R(p), p
    )
    assert (j.bath_hamiltonian - bath_h).is_zero()
    assert (j.hamiltonian - j.system_hamiltonian - bath_h - expected).is_zero()
    assert j.counterterm_hamiltonian.is_zero()
    assert not harmonic().counterterm_hamiltonian.is_zero()
    assert j.parameter_symbols() == {"hbar": hbar, "Delta": sp.Symbol("Delta", positive=True)}


def test_derived_couplings_alpha_and_gamma():
    j = spin_boson()
    assert j.alpha == alpha_L + alpha_R
    assert sp.simplify(j.gamma.subs({alpha_L: 1, alpha_R: 1})) == 1
    assert j.gamma.subs({alpha_L: 1, alpha_R: 3}) == sp.Rational(3, 4)


def test_isolated_subsystem_leaves_the_baths_out():
    j = junction(include_bath=False)
    assert j.hamiltonian == s.z


def test_matrix_units_share_one_symmetric_coupling():
    j = n_level()
    a, b = LevelIndex("a"), LevelIndex("b")
    assert isinstance(j.couplings, MatrixUnits)
    assert j.coupling_operator((a, b)) == j.couplings.levels[a, b]
    assert j.flag((a, b), (a, b)) == 1 and j.flag((1, 2), (2, 1)) == 0
    terms = j.bath_operator("L", k).sorted_terms()
    assert len(terms) == 1 and isinstance(terms[0][0], SymmetricCoupling)
    with pytest.raises(ModelError, match="symbolic labels"):
        _ = j.labels


def test_symmetric_coupling_is_symmetric_and_named_without_a_registry():
    a, b = LevelIndex("a"), LevelIndex("b")
    g, again = symmetric_coupling("g_L"), symmetric_coupling("g_L")
    assert g(a, b, k) == g(b, a, k) == again(b, a, k)
    assert g == again and hash(g) == hash(again)
    assert g(1, 2, k) == g(2, 1, k) and g(1, 2, k).is_real
    assert g != symmetric_coupling("g_R") and g(a, b, k) != symmetric_coupling("g_R")(a, b, k)
    assert g(a, b, k) != sp.Function("g_L", real=True)(a, b, k)  # not the plain function
    assert (3 * g(a, b, k)).atoms(again) == {g(a, b, k)}
    assert not hasattr(junction_module, "_SYMMETRIC_COUPLINGS")


def test_unknown_coupling_label_is_refused():
    with pytest.raises(ModelError, match="has no coupling operator 'y'; its labels are"):
        spin_boson().coupling_operator("y")


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"couplings": {}}, ModelError, "no coupling operators"),
        ({"couplings": {"x": 1}}, ModelError, "of unknown kind int"),
        ({"system_hamiltonian": 1}, ModelError, "H_s must be an operator expression"),
        ({"system_hamiltonian": s.z * sp.I}, ModelError, "H_s is not Hermitian"),
        ({"flags": [[1, 0], [0, 1]]}, ModelError, "flags h must be 1x1"),
        ({"couplings": {"y": s.y * sp.I}}, BoundConditionError, "not Hermitian"),
        (
            {"couplings": {"x": s.x, "z": s.z}, "flags": [[1, 2], [2, 1]]},
            BoundConditionError,
            "not positive semidefinite",
        ),
        (
            {"couplings": {"x": s.x, "z": s.z}, "flags": [[1, 0], [1, 1]]},
            BoundConditionError,
            "not symmetric",
        ),
        (
            {"couplings": {"x": s.x, "z": s.z}, "flags": [[1, 0], [0, sp.Symbol("u")]]},
            BoundConditionError,
            "cannot decide",
        ),
        ({"dissipation": (Ohmic(), PowerLaw(3))}, BoundConditionError, "not proportional"),
        ({"dissipation": (Ohmic(),)}, ModelError, "one shape or a"),
    ],
)
def test_malformed_junctions_are_refused(changes, error, message):
    with pytest.raises(error, match=message):
        junction(**changes)


def test_matrix_units_take_only_identity_flags():
    levels = Levels("A", 2)
    kwargs = {"name": "t", "system_hamiltonian": levels[1, 1], "couplings": MatrixUnits(levels)}
    with pytest.raises(ModelError, match="only the identity flags"):
        Junction(flags=2 * sp.eye(4), **kwargs)
    with pytest.raises(ModelError, match="only the identity flags"):
        Junction(flags="identity", **kwargs)
    # h_{ij,kl} = delta_ik delta_jl over the labels (1,1), (1,2), (2,1), (2,2)
    assert Junction(**kwargs).flags == sp.eye(4) == Junction(flags=sp.eye(4), **kwargs).flags
    assert Junction(**kwargs).labels == ((1, 1), (1, 2), (2, 1), (2, 2))


def test_both_coupling_kinds_answer_the_couplings_protocol():
    named, units = junction(couplings={"x": s.x, "z": s.z}), n_level()
    members = [name for name in vars(Couplings) if not name.startswith("_")]
    assert len(members) == 9
    for couplings in (named.couplings, units.couplings):
        assert all(hasattr(type(couplings), name) for name in members)
    assert named.couplings.single_label is None and named.couplings.level_sums is None
    assert junction().couplings.single_label == "x"
    assert units.couplings.level_sums is units.couplings.levels
    assert units.couplings.dimensionless() == () and named.couplings.dimensionless() == (s.x, s.z)
    i, j, k, m = (LevelIndex(c) for c in "ijkm")
    assert units.flag((i, j), (k, m)) == sp.KroneckerDelta(i, k) * sp.KroneckerDelta(j, m)
    with pytest.raises(ModelError, match="symbolic labels"):
        units.labels  # noqa: B018  N is a symbol
    assert units.flags is None


def test_a_junction_is_frozen_and_its_moments_are_memoised_outside_it():
    j = junction()
    with pytest.raises(dataclasses.FrozenInstanceError):
        j.name = "other"
    assert not hasattr(j, "_cache")
    renamed = dataclasses.replace(j, name="other")
    assert renamed.name == "other" and renamed.couplings == j.couplings and j.name != "other"
    first = moment(j, 3)
    assert sum_rules._MEMO[j] and sum_rules._MEMO[junction()] is sum_rules._MEMO[j]  # equal: shared
    assert moment(junction(), 3) == first
    del j
    gc.collect()
    assert junction() not in sum_rules._MEMO  # dropped with its junction


def test_latex_display_lists_h_s_couplings_flags_and_shape():
    text = junction(couplings={"x": s.x, "z": s.z})._repr_latex_()
    assert r"\hat A_{\mathrm{x}} &= \hat{\sigma}^{(s)}_{x}" in text
    assert r"\hat A_{\mathrm{z}} &= \hat{\sigma}^{(s)}_{z}" in text
    assert r"h &= \left[\begin{matrix}1 & 0\\0 & 1\end{matrix}\right]" in text
    assert r"|i\rangle\langle j|, \quad i, j = 1 \ldots N_{levels}" in n_level()._repr_latex_()
