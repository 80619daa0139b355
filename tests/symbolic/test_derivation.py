"""One derivation (symbolic/derivation.py): sum rule, bounds and glossary."""

from __future__ import annotations

import doctest
from dataclasses import replace

import pytest
import sympy as sp

from heatbounds.symbolic import derivation as derivation_module
from heatbounds.symbolic.derivation import Derivation, derive
from heatbounds.symbolic.dissipation import PowerLaw
from heatbounds.symbolic.errors import ModelError, MomentOrderError
from heatbounds.symbolic.expectation import expectation
from heatbounds.symbolic.junction import Junction
from heatbounds.symbolic.models import harmonic, spin_boson
from heatbounds.symbolic.operators import Boson, Spin
from heatbounds.symbolic.parameters import alpha, alpha_L, alpha_R, gamma, hbar, k_B, symbol

T_L, T_R = symbol("T_L"), symbol("T_R")


def test_doctests():
    assert doctest.testmod(derivation_module).failed == 0


def test_harmonic_gives_eq_15():
    d = derive(harmonic())
    omega0 = symbol("omega0")
    assert isinstance(d, Derivation) and d.model == "harmonic" and d.moment == 1
    assert d.sum_rule == omega0 / hbar and d.bound_moments == (1,)
    assert sp.simplify(d.conductance_bound - sp.pi * alpha * gamma * k_B * omega0 / 4) == 0
    assert sp.expand(d.current_bound - (T_L - T_R) * d.conductance_bound) == 0
    assert d.expectations == {} and "Eq. 7" in d.convention
    assert {"omega0", "hbar", "k_B", "T", "T_L", "T_R"} <= set(d.parameters)
    in_baths = d.in_bath_couplings(d.conductance_bound)
    assert (
        sp.simplify(in_baths - sp.pi * alpha_L * alpha_R * k_B * omega0 / (alpha_L + alpha_R)) == 0
    )


def test_spin_boson_gives_eq_17_and_names_its_expectation():
    d = derive(spin_boson())
    sigma_x = expectation(Spin("sigma").x)
    delta = symbol("Delta")
    assert d.sum_rule == -delta * sigma_x / hbar
    assert sp.simplify(d.conductance_bound + sp.pi * alpha * gamma * k_B * delta * sigma_x / 4) == 0
    assert list(d.expectations) == ["sigma_x"]
    assert d.expectations["sigma_x"].startswith("<sigma_x>: expectation value")


def test_a_higher_moment_keeps_the_bound_of_the_dissipation():
    d = derive(spin_boson(), 3)
    assert d.moment == 3 and d.bound_moments == (1,)
    assert d.conductance_bound == derive(spin_boson()).conductance_bound
    assert d.sum_rule != derive(spin_boson()).sum_rule
    junction = replace(spin_boson(), dissipation=PowerLaw(3))
    assert derive(junction).bound_moments == (3,)


@pytest.mark.parametrize("moment", [0, 2, -1])
def test_only_odd_positive_moments(moment):
    with pytest.raises(MomentOrderError):
        derive(spin_boson(), moment)


def test_expectations_that_print_alike_are_refused():
    # A spin s's <s_x> and <s_x> of a boson named s_x: different operators that
    # would print as one name, so readers could not tell them apart (issue 13).
    s, b = Spin("s"), Boson("s_x")
    junction = Junction(name="clash", system_hamiltonian=s.x + b.x, couplings={"z": s.z + b.number})
    with pytest.raises(
        ModelError, match=r"both be called 's_x' \(<s_x \(boson s_x\)> and <s_x \(spin s\)>\)"
    ):
        derive(junction)
    # Renamed, both appear with their own meanings.
    renamed = Boson("t_x")
    junction = Junction(
        name="fine", system_hamiltonian=s.x + renamed.x, couplings={"z": s.z + renamed.number}
    )
    assert {"s_x", "t_x", "t_xdag"} <= set(derive(junction).expectations)


def test_the_glossary_reads_sympys_free_symbols():
    from heatbounds.symbolic.derivation import _free_symbols
    from heatbounds.symbolic.models import builtin_model

    for name in ("three-level", "spin-boson", "n-level"):
        d = derive(builtin_model(name))
        for expr in (d.sum_rule, d.current_bound, d.conductance_bound):
            assert _free_symbols(expr) == expr.free_symbols


def test_the_glossary_reads_sympys_atoms():
    from sympy import Function
    from sympy.core.function import AppliedUndef

    from heatbounds.symbolic.derivation import _atoms
    from heatbounds.symbolic.expectation import Expectation
    from heatbounds.symbolic.models import builtin_model

    for name in ("three-level", "spin-boson", "n-level", "harmonic"):
        d = derive(builtin_model(name))
        for expr in (d.sum_rule, d.current_bound, d.conductance_bound):
            assert _atoms(expr) == (expr.atoms(Expectation), expr.atoms(AppliedUndef, Function))
