"""The emitted module of a fermionic junction (codegen/emit_fermion.py)."""

from __future__ import annotations

import types

import mpmath
import numpy as np
import pytest
import sympy as sp

from heatbounds.codegen.emit_fermion import emit_fermion_module, fermi_window_constant
from heatbounds.codegen.numpy_printer import CodegenError
from heatbounds.numeric.electronic_bounds import fermi_window_maximum, heat_conductance_bound
from heatbounds.numeric.matrices import evaluate_coefficient
from heatbounds.symbolic.expectation import Expectation
from heatbounds.symbolic.fermion_derivation import derive_fermion
from heatbounds.symbolic.fermion_junction import FermionJunction
from heatbounds.symbolic.operators import Fermion

EPS, U = sp.Symbol("eps_d", real=True), sp.Symbol("U", nonnegative=True)
UP, DN = Fermion("d_up"), Fermion("d_dn")
ANDERSON = FermionJunction(
    "anderson",
    EPS * (UP.number + DN.number) + U * UP.number * DN.number,
    {"A1": UP.annihilate, "A2": DN.annihilate},
    parameters={"eps_d": "level energy", "U": "on-site repulsion"},
)


def load(source: str) -> types.ModuleType:
    module = types.ModuleType("emitted_fermion")
    exec(compile(source, "emitted_fermion.py", "exec"), module.__dict__)  # our generated text
    return module


def test_c0_is_the_maximum_of_the_fermi_window_to_thirty_digits():
    c0 = fermi_window_constant()
    assert abs(float(c0) - fermi_window_maximum()[1]) < 1e-15
    with mpmath.workdps(40):
        f = lambda x: x**2 * mpmath.exp(x) / (1 + mpmath.exp(x)) ** 2  # noqa: E731
        x_star = mpmath.findroot(lambda x: mpmath.diff(f, x), 2.4)
        assert abs(f(x_star) - mpmath.mpf(str(c0))) < mpmath.mpf(10) ** -29


def test_the_emitted_bounds_are_those_of_the_numeric_module():
    module = load(emit_fermion_module(ANDERSON, moment=0, command="test"))
    gamma_l, gamma_r = np.array([0.1, 0.4]), 0.3
    got = module.conductance_bound(Gamma_L=gamma_l, Gamma_R=gamma_r)
    expected = [heat_conductance_bound(2 * g * gamma_r / (g + gamma_r)) for g in gamma_l]
    assert np.allclose(got, expected, rtol=1e-14)
    forward = module.current_bound(2.0, 0.5, Gamma_L=0.1, Gamma_R=0.3)
    assert forward == module.current_bound(0.5, 2.0, Gamma_L=0.1, Gamma_R=0.3) > 0
    assert np.isclose(forward, 1.5 * module.conductance_bound(Gamma_L=0.1, Gamma_R=0.3))
    assert np.isclose(module.quantum_of_conductance(0.7), np.pi**2 * 0.7 / (3 * 2 * np.pi))


def test_the_emitted_sum_rule_evaluates_the_derived_lead_sums():
    d = derive_fermion(ANDERSON, moment=2)
    module = load(emit_fermion_module(ANDERSON, moment=2, command="test"))
    rng = np.random.default_rng(7)
    m = 3
    arrays = {name: rng.normal(size=m) for name in ("t_L_A1", "t_L_A2", "t_R_A1", "t_R_A2")}
    atoms = {
        e.identifier: (rng.normal(size=m) if e.indices else float(rng.normal()))
        for e in d.sum_rule.atoms(Expectation)
    }
    assert atoms and any(np.ndim(v) for v in atoms.values())  # lead sums of expectations
    scalars = {"U": 0.8, "eps_d": -0.3}
    got = module.sum_rule(M=m, **scalars, **arrays, **atoms)
    functions = {name: (lambda k, a=a: a[k - 1]) for name, a in {**arrays, **atoms}.items()}
    replaced = d.sum_rule.replace(
        lambda e: isinstance(e, Expectation) and bool(e.indices),
        lambda e: sp.Function(e.identifier)(*e.indices),
    ).replace(lambda e: isinstance(e, Expectation), lambda e: sp.Symbol(e.identifier))
    values = {**scalars, "hbar": 1.0, "M": m, **{k: v for k, v in atoms.items() if np.ndim(v) == 0}}
    expected = evaluate_coefficient(replaced, values, functions)
    assert np.isclose(got, expected.real, rtol=1e-12) and abs(expected.imag) < 1e-12


def test_emission_is_deterministic_and_reduced_units_only():
    first = emit_fermion_module(ANDERSON, moment=1, command="test")
    assert first == emit_fermion_module(ANDERSON, moment=1, command="test")
    for boson_text in ("alpha = alpha_L + alpha_R", "alpha_L + alpha_R = 0", "Bose functions"):
        assert boson_text not in first  # a dot between leads has no boson baths
    assert "(Gamma_L + Gamma_R = 0) the value is the limit there" in " ".join(first.split())
    with pytest.raises(CodegenError, match="reduced units only"):
        emit_fermion_module(ANDERSON, units="si", command="test")
