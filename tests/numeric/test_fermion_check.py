"""The spectral check of fermionic junctions (numeric/fermion_check.py).

Each derived mu^(k)_{nn'} = <{L^k A_n, A_n'^dag}> is compared with the lines of
the spectral function of Jordan-Wigner matrices (dot plus discretised leads) in
the thermal state: an independent route through exact diagonalisation.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from heatbounds.numeric import fermion_check as check_module
from heatbounds.numeric.errors import NumericInputError
from heatbounds.numeric.fermion_check import fermion_check, fermion_default_values, lead_tables
from heatbounds.symbolic.fermion_junction import FermionJunction
from heatbounds.symbolic.operators import Fermion, Spin

EPS, U, W = (sp.Symbol(n, real=True) for n in ("eps", "U", "w"))
UP, DN = Fermion("d_up"), Fermion("d_dn")


def anderson() -> FermionJunction:
    h = EPS * (UP.number + DN.number) + U * UP.number * DN.number
    return FermionJunction("anderson", h, {"up": UP.annihilate, "dn": DN.annihilate})


def two_orbital() -> FermionJunction:
    # hopping w between two orbitals, interaction U, and a composite odd coupling d_1 n_2
    a, b = Fermion("a"), Fermion("b")
    h = EPS * a.number - EPS * b.number + W * (a.create * b.annihilate + b.create * a.annihilate)
    h += U * a.number * b.number
    flags = sp.Matrix([[1, sp.Rational(1, 3)], [sp.Rational(1, 3), 2]])
    return FermionJunction(
        "two-orbital", h, {"A1": a.annihilate, "A2": a.annihilate * b.number}, flags=flags
    )


VALUES = {"eps": -0.35, "U": 1.3, "w": 0.45, "hbar": 1.0, "k_B": 1.0}


@pytest.mark.parametrize("junction", [anderson(), two_orbital()], ids=lambda j: j.name)
def test_every_moment_agrees_with_the_spectral_lines(junction):
    report = fermion_check(junction, VALUES, temperature=0.4, moments=(0, 1, 2, 3, 4), lead_modes=2)
    assert report.passed, report.rows
    assert report.max_rel_error < 1e-12
    assert len(report.rows) == 5 * len(junction.labels) ** 2
    # the moments are not trivially small: the check compares numbers of order one
    assert max(abs(r.spectral) for r in report.rows if r.moment == 3) > 0.1


def test_a_wrong_derived_moment_fails_the_check(monkeypatch):
    derived = check_module.spectral_moment

    def off_by_a_little(junction, k, pair):
        return derived(junction, k, pair) + (sp.Rational(1, 10**6) if k == 2 else 0)

    monkeypatch.setattr(check_module, "spectral_moment", off_by_a_little)
    report = fermion_check(anderson(), VALUES, moments=(1, 2), lead_modes=1)
    assert not report.passed
    assert {r.moment for r in report.rows if r.rel_error > 1e-8} == {2}


def test_lead_tables_differ_per_lead_coupling_and_mode():
    tables = lead_tables(anderson(), 3)
    assert set(tables) == {"epsilon_L", "epsilon_R", "t_L_up", "t_L_dn", "t_R_up", "t_R_dn"}
    values = [v for t in tables.values() for v in t.values()]
    assert len(set(values)) == len(values)


def test_defaults_follow_the_declared_domains():
    values = fermion_default_values(anderson())
    assert values == {"U": 0.1, "eps": 0.1, "hbar": 1.0, "k_B": 1.0}


def test_refusals_name_the_problem():
    with pytest.raises(NumericInputError, match="MiB per dense matrix"):
        fermion_check(anderson(), VALUES, lead_modes=6)
    with pytest.raises(NumericInputError, match="fermion modes only"):
        junction = FermionJunction("spinful", Spin("s").z * UP.number, {"A1": UP.annihilate})
        fermion_check(junction, VALUES, lead_modes=1)
    with pytest.raises(NumericInputError, match="temperature"):
        fermion_check(anderson(), VALUES, temperature=float("nan"))
    assert np.isfinite(fermion_check(anderson(), VALUES, lead_modes=1).max_abs_error)
