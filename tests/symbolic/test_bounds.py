"""Bounds (Eq. 2, 9, 10), majorants of other dissipation forms, and refusals."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from sympy import pi, simplify

from heatbounds.symbolic.bounds import (
    ballistic_bound,
    bound_factor,
    conductance_bound,
    current_bound,
    quantum_of_conductance,
)
from heatbounds.symbolic.dissipation import Lorentzian, Ohmic, PowerLaw, omega
from heatbounds.symbolic.errors import BoundConditionError, ModelError
from heatbounds.symbolic.junction import Junction
from heatbounds.symbolic.models import harmonic, spin_boson
from heatbounds.symbolic.operators import Boson, Spin
from heatbounds.symbolic.parameters import alpha, gamma, symbol
from heatbounds.symbolic.sum_rules import weighted_moment

hbar, k_B, T, T_L, T_R = (symbol(n) for n in ("hbar", "k_B", "T", "T_L", "T_R"))
omega0, omega_c = symbol("omega0"), symbol("omega_c")


def test_ballistic_bound_and_quantum_of_conductance():
    assert simplify(ballistic_bound() - pi * k_B**2 / (12 * hbar) * (T_L**2 - T_R**2)) == 0
    assert simplify(quantum_of_conductance() - pi * k_B**2 * T / (6 * hbar)) == 0
    # Eq. 2 linearised at T_L = T_R = T is kappa_Q (below Eq. 2).
    assert simplify(sp.diff(ballistic_bound(), T_L).subs(T_L, T) - quantum_of_conductance()) == 0


def test_conductance_bound_is_the_derivative_of_the_current_bound():
    j = spin_boson()
    assert simplify(sp.diff(current_bound(j), T_L) - conductance_bound(j)) == 0


def test_eq9_prefactor():
    j = harmonic()
    m = weighted_moment(j, 1)
    assert simplify(current_bound(j) - pi * alpha * gamma / 4 * hbar * k_B * (T_L - T_R) * m) == 0


def _spin(dissipation):
    s = Spin("sigma")
    return Junction(
        name="sb",
        system_hamiltonian=hbar * symbol("Delta") / 2 * s.x,
        couplings={"z": s.z},
        dissipation=dissipation,
    )


def test_power_law_odd_uses_that_moment():
    j = _spin(PowerLaw(3))
    assert simplify(bound_factor(j) - weighted_moment(j, 3) / omega_c**2) == 0


def test_power_law_even_uses_the_optimised_two_moment_majorant():
    j = _spin(PowerLaw(2))
    m1, m3 = weighted_moment(j, 1), weighted_moment(j, 3)
    assert simplify(bound_factor(j) - sp.sqrt(m1 * m3) / omega_c) == 0


@pytest.mark.parametrize("s", [2, 4])
def test_even_power_majorant_dominates_on_a_grid(s):
    """omega^s <= (w omega^(s-1) + omega^(s+1)/w)/2 for every w > 0, and the optimum
    over w of (w M1 + M3/w)/2 is sqrt(M1 M3) -- checked numerically."""
    w_grid = np.geomspace(1e-3, 1e3, 61)
    om = np.geomspace(1e-4, 1e4, 400)
    for w in w_grid:
        assert np.all(om**s <= (w * om ** (s - 1) + om ** (s + 1) / w) / 2 * (1 + 1e-12))
    m_low, m_high = 0.37, 5.1
    best = min((w * m_low + m_high / w) / 2 for w in np.geomspace(1e-3, 1e3, 200001))
    assert abs(best - np.sqrt(m_low * m_high)) < 1e-6


def test_majorants_dominate_their_spectral_functions():
    om = np.geomspace(1e-5, 1e4, 2000)
    for form, majorant in [
        (Ohmic(), lambda w: w),
        (PowerLaw(3), lambda w: w**3),
        (Lorentzian(), lambda w: w),
    ]:
        f = sp.lambdify(
            omega,
            form.spectral_function().subs(
                {omega_c: 1.0, symbol("omega_res"): 2.0, symbol("eta"): 3.0}
            ),
        )
        assert np.all(f(om) <= majorant(om) * (1 + 1e-12))


def test_lorentzian_bound_is_the_f_sum_rule():
    j = _spin(Lorentzian())
    assert simplify(bound_factor(j) - weighted_moment(j, 1)) == 0


def test_non_proportional_spectral_functions_are_refused():
    with pytest.raises(BoundConditionError, match=r"not proportional.*Eq\. 5"):
        _spin((Ohmic(), PowerLaw(3)))
    with pytest.raises(BoundConditionError, match="not proportional"):
        _spin((Ohmic(sp.Symbol("w1", positive=True)), Ohmic(sp.Symbol("w2", positive=True))))
    # identical shapes are accepted
    assert _spin((Ohmic(), Ohmic())).dissipation == Ohmic()


def test_flags_must_be_positive_semidefinite():
    s = Spin("sigma")
    kwargs = dict(name="two", system_hamiltonian=s.x, couplings={"x": s.x, "z": s.z})
    with pytest.raises(BoundConditionError, match=r"not positive semidefinite.*Eq\. 9"):
        Junction(flags=[[1, 2], [2, 1]], **kwargs)
    with pytest.raises(BoundConditionError, match="cannot decide"):
        Junction(flags=[[1, sp.Symbol("c")], [sp.Symbol("c"), 1]], **kwargs)
    with pytest.raises(BoundConditionError, match="symmetric"):
        Junction(flags=[[1, 0], [1, 1]], **kwargs)
    with pytest.raises(ModelError, match="2x2"):
        Junction(flags=[[1]], **kwargs)
    assert Junction(flags=[[1, 1], [1, 1]], **kwargs).flags.shape == (2, 2)


def test_non_hermitian_coupling_is_refused():
    a = Boson("a")
    with pytest.raises(BoundConditionError, match=r"not Hermitian.*Eq\. 3"):
        Junction(name="bad", system_hamiltonian=a.number, couplings={"a": a.annihilate})
    with pytest.raises(ModelError, match="H_s is not Hermitian"):
        Junction(name="bad", system_hamiltonian=a.annihilate, couplings={"x": a.x})


def test_weighted_moment_with_flags_sums_the_tensor():
    s = Spin("sigma")
    j = Junction(
        name="two",
        system_hamiltonian=hbar * symbol("Delta") / 2 * s.x,
        couplings={"x": s.x, "z": s.z},
        flags=[[2, 1], [1, 1]],
    )
    from heatbounds.symbolic.sum_rules import moment

    expected = sum(
        w * moment(j, 1, (a, b))
        for (a, b), w in {("x", "x"): 2, ("x", "z"): 1, ("z", "x"): 1, ("z", "z"): 1}.items()
    )
    assert simplify(weighted_moment(j, 1) - expected) == 0


@pytest.mark.parametrize("model", ["spin-boson", "harmonic", "three-level", "n-level"])
def test_in_bath_couplings_is_the_substitution(model):
    """Issue 13: the structural replacement equals subs (the definitions hold neither
    alpha nor gamma), on the derived bounds of the built-in models."""
    from heatbounds.symbolic.bounds import in_bath_couplings
    from heatbounds.symbolic.models import builtin_model
    from heatbounds.symbolic.parameters import derived

    j = builtin_model(model)
    for expr in (current_bound(j), conductance_bound(j), weighted_moment(j, 1)):
        assert in_bath_couplings(expr) == expr.subs(derived())
