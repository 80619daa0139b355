"""The fermionic junction (symbolic/fermion_junction.py): its Hamiltonian and spectral moments.

The moments are derived here in closed form where they are known (the
resonant level, the Anderson impurity) and compared with the symbolic result
exactly; their agreement with the lines of the spectral function of
Jordan-Wigner matrices is tested in tests/numeric/test_fermion_check.py.
"""

from __future__ import annotations

import pytest
import sympy as sp

from heatbounds.symbolic.commutators import anticommutator, commutator
from heatbounds.symbolic.errors import ModelError, MomentOrderError
from heatbounds.symbolic.expectation import expectation
from heatbounds.symbolic.fermion_junction import (
    FermionJunction,
    lead_energy,
    spectral_moment,
    spectral_moment_operator,
    tunnelling,
    weighted_spectral_moment,
)
from heatbounds.symbolic.indices import ModeIndex
from heatbounds.symbolic.leads import Leads
from heatbounds.symbolic.operators import Fermion, mode_sum
from heatbounds.symbolic.parameters import hbar

EPS, U = sp.Symbol("eps", real=True), sp.Symbol("U", real=True)
UP, DN = Fermion("d_up"), Fermion("d_dn")


def anderson() -> FermionJunction:
    h = EPS * (UP.number + DN.number) + U * UP.number * DN.number
    return FermionJunction("anderson", h, {"up": UP.annihilate, "dn": DN.annihilate})


def resonant_level() -> FermionJunction:
    d = Fermion("d")
    return FermionJunction("rlm", EPS * d.number, {"A1": d.annihilate})


def test_anderson_zeroth_and_first_moments_are_the_known_closed_forms():
    j = anderson()
    assert spectral_moment(j, 0, ("up", "up")) == 1
    assert spectral_moment(j, 0, ("up", "dn")) == 0
    n_dn = expectation(DN.number)
    assert sp.expand(spectral_moment(j, 1, ("up", "up")) - (EPS + U * n_dn) / hbar) == 0
    n_up = expectation(UP.number)
    assert sp.expand(weighted_spectral_moment(j, 1) - (2 * EPS + U * (n_up + n_dn)) / hbar) == 0


def test_resonant_level_second_moment_is_eps_squared_plus_the_lead_sums():
    # L^2 d: [d, H] = eps d + sum_k t_k c_k, then {L^2 d, d^dag} = eps^2 + sum_nu sum_k t^2
    j = resonant_level()
    k = ModeIndex("p")
    expected = EPS**2 / hbar**2
    for nu in "LR":
        expected += sp.Sum(tunnelling(nu, "A1")(k) ** 2 / hbar**2, (k, 1, sp.Symbol("M")))
    got = spectral_moment(j, 2, ("A1", "A1"))
    m = sp.Symbol("M", positive=True, integer=True)
    assert sp.simplify((got - expected.subs(sp.Symbol("M"), m)).doit()) == 0


def test_the_hamiltonian_holds_leads_and_hermitian_tunnelling():
    j = resonant_level()
    c, k, d = Leads(), ModeIndex("k"), Fermion("d")
    h = EPS * d.number
    for nu in "LR":
        h += mode_sum(lead_energy(nu)(k) * c.number(nu, k), k)
        t = tunnelling(nu, "A1")(k)
        h += mode_sum(t * (c.create(nu, k) * d.annihilate + d.create * c.annihilate(nu, k)), k)
    assert j.hamiltonian == h
    assert (j.hamiltonian.dagger() - j.hamiltonian).is_zero()


def test_the_moment_operator_differs_from_its_adjoint_by_a_commutator_with_h():
    # {L^k A, A^dag}^dag = (-1)^k {A, L^k A^dag}: equal to {L^k A, A^dag} only up to
    # [X, H] terms, which vanish in stationary states (where mu^(k)_nn is real)
    j = anderson()
    k1 = spectral_moment_operator(j, 1, ("up", "up"))
    assert k1 == k1.dagger()  # [{d, d^dag}, H] = [1, H] = 0
    k2 = spectral_moment_operator(j, 2, ("up", "up"))
    a, h = j.couplings["up"], j.hamiltonian
    b = a.dagger()
    la, lb = commutator(a, h) * (1 / hbar), commutator(b, h) * (1 / hbar)
    # L{X, Y} = {LX, Y} + {X, LY} gives X_2 - X_2^dag = L({LA, B} - {A, LB}), B = A^dag
    expected = commutator(anticommutator(la, b) - anticommutator(a, lb), h) * (1 / hbar)
    assert k2 - k2.dagger() == expected
    assert not expected.is_zero()  # U n_dn makes {d_up, d_up^dag} dynamics non-trivial


@pytest.mark.parametrize(
    ("couplings", "match"),
    [
        ({"n": UP.number}, "not odd in the fermions"),
        ({"up": UP.annihilate, "mixed": UP.annihilate + UP.number}, "not odd"),
        ({"up": UP.annihilate, "down": 3 * UP.create}, "Hermitian-conjugate pair"),
        ({}, "at least one coupling"),
    ],
)
def test_bad_couplings_are_refused_by_name(couplings, match):
    with pytest.raises(ModelError, match=match):
        FermionJunction("bad", EPS * UP.number, couplings)


def test_bad_hamiltonian_and_flags_are_refused():
    with pytest.raises(ModelError, match="even in the fermions"):
        FermionJunction("bad", UP.annihilate + UP.create, {"A1": UP.annihilate})
    with pytest.raises(ModelError, match="not Hermitian"):
        FermionJunction("bad", UP.create * DN.annihilate, {"A1": UP.annihilate})
    with pytest.raises(ModelError, match="real and symmetric"):
        FermionJunction(
            "bad",
            EPS * UP.number,
            {"a": UP.annihilate, "b": DN.annihilate},
            flags=sp.Matrix([[1, 1], [0, 1]]),
        )


@pytest.mark.parametrize("k", [-1, 1.5, True])
def test_a_moment_order_must_be_an_integer_at_least_zero(k):
    with pytest.raises(MomentOrderError, match="k >= 0"):
        spectral_moment(resonant_level(), k, ("A1", "A1"))
