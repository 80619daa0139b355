"""A fermionic junction derived (symbolic/fermion_derivation.py): rule, bounds, glossary."""

from __future__ import annotations

import sympy as sp

from heatbounds.symbolic.bounds import T_L, T_R
from heatbounds.symbolic.fermion_derivation import derive_fermion, effective_width
from heatbounds.symbolic.fermion_junction import (
    FermionJunction,
    spectral_moment,
    weighted_spectral_moment,
)
from heatbounds.symbolic.operators import Fermion
from heatbounds.symbolic.parameters import hbar, k_B, symbol

EPS, U = sp.Symbol("eps_d", real=True), sp.Symbol("U", real=True)
UP, DN = Fermion("d_up"), Fermion("d_dn")


def anderson(**kwargs) -> FermionJunction:
    h = EPS * (UP.number + DN.number) + U * UP.number * DN.number
    return FermionJunction(
        "anderson",
        h,
        {"A1": UP.annihilate, "A2": DN.annihilate},
        parameters={"eps_d": "level", "U": "repulsion"},
        **kwargs,
    )


def test_the_bounds_are_c0_k_b_gamma_eff_times_the_zeroth_moment():
    # docs/electronic-junctions.md: kappa <= (c_0/hbar) k_B sum Gamma_eff mu^(0)
    d = derive_fermion(anderson(), moment=2)
    gamma_l, gamma_r, c_0 = symbol("Gamma_L"), symbol("Gamma_R"), symbol("c_0")
    gamma_eff = gamma_l * gamma_r / (gamma_l + gamma_r)
    assert sp.simplify(d.conductance_bound - 2 * c_0 * k_B * gamma_eff / hbar) == 0
    assert sp.simplify(d.current_bound - d.conductance_bound * (T_L - T_R)) == 0
    assert d.bound_moments == (0,) and d.statistics == "fermion"
    assert d.sum_rule == weighted_spectral_moment(anderson(), 2)


def test_a_right_lead_flag_factor_enters_gamma_eff():
    gamma_l, gamma_r = symbol("Gamma_L"), symbol("Gamma_R")
    j = anderson(right_scale=3)
    assert sp.simplify(effective_width(j) - 3 * gamma_l * gamma_r / (gamma_l + 3 * gamma_r)) == 0


def test_off_diagonal_flags_weight_the_cross_moments():
    h = sp.Matrix([[1, sp.Rational(1, 2)], [sp.Rational(1, 2), 1]])
    j = anderson(flags=h)
    d = derive_fermion(j, moment=1)
    plain = derive_fermion(anderson(), moment=1)
    # sum h_{n'n} mu_{nn'}: the off-diagonal 1/2 takes half of each cross moment
    cross = spectral_moment(j, 1, ("A1", "A2")) + spectral_moment(j, 1, ("A2", "A1"))
    assert sp.expand(d.sum_rule - plain.sum_rule - cross / 2) == 0
    assert cross != 0  # -U <d_dn^dag d_up>/hbar - U <d_up^dag d_dn>/hbar
    assert sp.expand(d.conductance_bound - plain.conductance_bound) == 0  # mu^(0)_12 = 0


def test_the_glossary_names_every_symbol_function_and_expectation():
    d = derive_fermion(anderson(), moment=2)
    names = set(d.parameters) | set(d.expectations)
    for key in ("sum_rule", "current_bound", "conductance_bound"):
        expr = getattr(d, key)
        printed = sp.sympify(str(expr))
        assert {s.name for s in printed.free_symbols} - {"p", "q"} <= names, key
        calls = {type(f).__name__ for f in printed.atoms(sp.core.function.AppliedUndef)}
        assert calls <= names, key
    assert "t_L_A1" in d.parameters and "tunnelling" in d.parameters["t_L_A1"]
    assert d.parameters["T_L"] == "temperature of the left lead (K)"
    assert d.expectations["d_dndag_d_dn"].startswith("<d_dn^dag d_dn>")
