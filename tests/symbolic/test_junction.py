"""The junction of Eq. 3 (symbolic/junction.py): its Hamiltonian, couplings and refusals."""

from __future__ import annotations

import doctest

import pytest
import sympy as sp

from heatbounds.symbolic import junction as junction_module
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
    with pytest.raises(ModelError, match="only the identity flags"):
        Junction(
            name="t",
            system_hamiltonian=Levels("A", 2)[1, 1],
            couplings=MatrixUnits(Levels("A", 2)),
            flags=sp.eye(4),
        )


def test_latex_display_lists_h_s_couplings_flags_and_shape():
    text = junction(couplings={"x": s.x, "z": s.z})._repr_latex_()
    assert r"\hat A_{\mathrm{x}} &= \hat{\sigma}^{(s)}_{x}" in text
    assert r"\hat A_{\mathrm{z}} &= \hat{\sigma}^{(s)}_{z}" in text
    assert r"h &= \left[\begin{matrix}1 & 0\\0 & 1\end{matrix}\right]" in text
    assert r"|i\rangle\langle j|, \quad i, j = 1 \ldots N_{levels}" in n_level()._repr_latex_()
