"""Tests of exact harmonic-junction transport (numeric/harmonic_transport.py).

References are independent of the code under test: scipy quad at
epsabs=0, epsrel=1e-12 on a separately written chi and Bose factor; Eq. 1 with
the transmission; a Richardson finite difference of the current; and the
analytic low- and high-temperature asymptotes of kappa, which pin the overall
normalisation (a factor of two anywhere would show there).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy import integrate, optimize, special

from heatbounds.numeric.errors import NumericInputError
from heatbounds.numeric.harmonic_response import ChiForm, susceptibility
from heatbounds.numeric.harmonic_transport import (
    TransportEstimate,
    ballistic_current_bound,
    exact_conductance,
    heat_current,
    landauer_transmission,
    quantum_of_thermal_conductance,
    sum_rule_conductance_bound,
    sum_rule_current_bound,
)

PAPER = {"alpha_L": 0.4, "alpha_R": 0.4, "omega_c": 10.0}
COUPLINGS = [(0.4, 0.4), (0.1, 0.5), (0.025, 0.025)]


def _im_chi_ref(w: float, a_l: float, a_r: float, wc: float, w0: float, form: ChiForm) -> float:
    """Im chi written out directly (naive Ei/E1 formula; fine for omega/omega_c < 700)."""
    alpha, x = a_l + a_r, w / wc
    denom = complex(w0 * w0 - w * w, -math.pi * alpha * w0 * w * math.exp(-x))
    if form is ChiForm.EXACT:
        denom += alpha * w0 * w * (math.exp(-x) * special.expi(x) + math.exp(x) * special.exp1(x))
    return (2 * w0 / denom).imag


def _quad(f, edges) -> float:
    edges = sorted(set(edges))
    total = 0.0
    for lo, hi in itertools.pairwise(edges):
        value, _ = integrate.quad(f, lo, hi, epsabs=0, epsrel=1e-12, limit=400)
        total += value
    return total


def _edges(t: float, w0: float = 1.0) -> list[float]:
    upper = min(80 * t, 40 * 10.0)
    marks = [
        1e-3 * t,
        0.1 * t,
        t,
        3 * t,
        10 * t,
        0.5 * w0,
        w0,
        1.5 * w0,
        2 * w0,
        4 * w0,
        10,
        30,
        100,
    ]
    return [0.0, upper] + [m for m in marks if m < upper]


def _kappa_ref(t: float, a_l: float, a_r: float, form: ChiForm) -> float:
    def f(w):
        x = w / t
        kernel = x * x * math.exp(-x) / math.expm1(-x) ** 2
        return w * math.exp(-w / 10.0) * _im_chi_ref(w, a_l, a_r, 10.0, 1.0, form) * kernel

    return a_l * a_r / (a_l + a_r) * _quad(f, _edges(t))


def _bose(w: float, t: float) -> float:
    return 1.0 / math.expm1(w / t)


def _current_ref(t_l: float, t_r: float, form: ChiForm) -> float:
    def f(w):
        jt = w * math.exp(-w / 10.0)
        return w * jt * _im_chi_ref(w, 0.4, 0.4, 10.0, 1.0, form) * (_bose(w, t_l) - _bose(w, t_r))

    return 0.2 * _quad(f, _edges(min(t_l, t_r)) + _edges(max(t_l, t_r)))


def test_conductance_matches_tight_adaptive_quad_from_1e_minus_3_to_1e3():
    temps = np.array([1e-3, 0.02, 0.3, 1.0, 3.0, 30.0, 1e3])
    for form in ChiForm:
        for a_l, a_r in [(0.4, 0.4), (0.1, 0.5)]:
            kappa = exact_conductance(temps, alpha_L=a_l, alpha_R=a_r, omega_c=10.0,
                                      form=form)  # fmt: skip
            ref = np.array([_kappa_ref(t, a_l, a_r, form) for t in temps])
            assert np.max(np.abs(kappa / ref - 1)) < 1e-8


def test_current_matches_tight_adaptive_quad():
    for form in ChiForm:
        for t_l, t_r in [(0.011, 0.01), (0.3, 0.1), (2.0, 1.0), (50.0, 3.0), (1e3, 1e2)]:
            got = heat_current(t_l, t_r, **PAPER, form=form)
            assert abs(got / _current_ref(t_l, t_r, form) - 1) < 1e-8


def test_eq1_with_the_transmission_equals_eq5():
    for form in ChiForm:
        for t_l, t_r in [(0.05, 0.02), (1.5, 0.7), (20.0, 12.0)]:
            kw = {"alpha_L": 0.1, "alpha_R": 0.5, "omega_c": 10.0, "form": form}

            def eq1(w, kw=kw, t_l=t_l, t_r=t_r):
                trans = landauer_transmission(w, **kw)
                return w * trans * (_bose(w, t_l) - _bose(w, t_r)) / (2 * math.pi)

            ref = _quad(eq1, _edges(t_r) + _edges(t_l))
            assert abs(heat_current(t_l, t_r, **kw) / ref - 1) < 1e-8


def test_transmission_is_between_zero_and_gamma_and_reaches_gamma():
    w = np.logspace(-6, 3, 4001)
    for a_l, a_r in COUPLINGS:
        gamma = 4 * a_l * a_r / (a_l + a_r) ** 2
        kw = {"alpha_L": a_l, "alpha_R": a_r, "omega_c": 10.0}
        for form in ChiForm:
            trans = landauer_transmission(w, **kw, form=form)
            assert np.all(trans >= 0) and np.all(trans <= gamma * (1 + 1e-13))
            assert landauer_transmission(np.array([-1.0, 0.0]), **kw, form=form).tolist() == [0, 0]
        # Paper form: Re chi^-1 = 0 at omega_0, where T = gamma exactly.
        assert abs(landauer_transmission(1.0, **kw, form="paper") - gamma) < 1e-14
        # Exact form: at the root of Re chi^-1 (found here by brentq).
        root = optimize.brentq(
            lambda x, kw=kw: (1 / susceptibility(x, **kw)).real, 1.0, 3.0, xtol=1e-15
        )
        assert abs(landauer_transmission(root, **kw) - gamma) < 1e-12


def test_conductance_is_the_derivative_of_the_current():
    # Richardson-extrapolated central difference dJ/dT_L at T_L = T_R (test-only).
    for form in ChiForm:
        for t in [0.05, 0.8, 6.0]:

            def slope(h, t=t, form=form):
                up = heat_current(t + h, t, **PAPER, form=form, rtol=1e-12)
                down = heat_current(t - h, t, **PAPER, form=form, rtol=1e-12)
                return (up - down) / (2 * h)

            h = 2e-3 * t
            richardson = (4 * slope(h / 2) - slope(h)) / 3
            assert abs(exact_conductance(t, **PAPER, form=form) / richardson - 1) < 1e-9


def test_low_temperature_limit_is_the_t_cubed_law():
    # T(omega) -> c omega^2 (1 - 2 omega/omega_c) with c = 4 pi^2 alpha_L alpha_R / omega0^2
    # (chi(0) = 2/omega0), so with Int omega^3 dn/dT = 4 pi^4 T^3/15 and
    # Int omega^4 dn/dT = 120 zeta(5) T^4:
    # kappa = (c/2pi)[4 pi^4 T^3/15 - (2/omega_c) 120 zeta(5) T^4] + O(T^5 ln T).
    a_l, a_r, wc, w0 = 0.1, 0.5, 10.0, 2.0
    lead = 8 * math.pi**5 * a_l * a_r / (15 * w0**2)
    slope = 900 * special.zeta(5) / (math.pi**4 * wc)
    for form in ChiForm:
        kw = {"alpha_L": a_l, "alpha_R": a_r, "omega_c": wc, "omega0": w0, "form": form}
        r1, r2 = {}, {}
        for t in [1e-3, 1e-4]:
            kappa = exact_conductance(t, **kw)
            r1[t] = kappa / (lead * t**3) - 1
            r2[t] = kappa / (lead * t**3 * (1 - slope * t)) - 1
        assert abs(r1[1e-4]) < 2 * slope * 1e-4  # normalisation of the T^3 law
        assert abs(r2[1e-3]) < 1e-3
        assert abs(r2[1e-4]) < abs(r2[1e-3]) / 30  # faster than linear: O(T) term right
        # far below the quantum of conductance: kappa / kappa_Q ~ T^2
        assert exact_conductance(1e-3, **kw) < 1e-4 * quantum_of_thermal_conductance(1e-3)


def test_high_temperature_limit_is_the_classical_integral():
    # (x/2)^2/sinh^2(x/2) = 1 - x^2/12 + O(x^4): kappa = K0 - K2/(12 T^2) + O(T^-4).
    t = 1e3
    for form in ChiForm:
        for a_l, a_r in [(0.4, 0.4), (0.1, 0.5)]:

            def moment(p, a_l=a_l, a_r=a_r, form=form):
                def f(w):
                    return w**p * w * math.exp(-w / 10) * _im_chi_ref(w, a_l, a_r, 10.0, 1.0, form)

                return a_l * a_r / (a_l + a_r) * _quad(f, [0, 0.5, 1, 1.5, 2, 4, 10, 30, 100, 400])

            expected = moment(0) - moment(2) / (12 * t**2)
            kappa = exact_conductance(t, alpha_L=a_l, alpha_R=a_r, omega_c=10.0, form=form)
            assert abs(kappa / expected - 1) < 1e-9
            bound = sum_rule_conductance_bound(alpha_L=a_l, alpha_R=a_r)
            assert kappa < moment(0) < bound


def test_kappa_approaches_the_sum_rule_bound_when_omega0_t_omega_c_are_separated():
    # omega0 << T << omega_c: what is missing is the weight of omega Im chi above ~T
    # (about 2 alpha omega0/T = 1e-3 here) plus O(omega0/omega_c, (omega0/T)^2).
    kw = {"alpha_L": 0.025, "alpha_R": 0.025, "omega_c": 1e4}
    bound = sum_rule_conductance_bound(alpha_L=0.025, alpha_R=0.025)
    for form in ChiForm:
        deficit = 1 - exact_conductance(100.0, **kw, form=form) / bound
        assert 0 < deficit < 5e-3


def test_kappa_stays_below_kappa_q_and_eq10_at_every_temperature():
    temps = np.logspace(-3, 3, 200)
    kappa_q = quantum_of_thermal_conductance(temps)
    assert np.allclose(kappa_q, math.pi * temps / 6, rtol=1e-15, atol=0)
    for a_l, a_r in COUPLINGS:
        bound = sum_rule_conductance_bound(alpha_L=a_l, alpha_R=a_r)
        assert bound == pytest.approx(math.pi * (a_l + a_r) * 4 * a_l * a_r / (a_l + a_r) ** 2 / 4)
        for form in ChiForm:
            kappa = exact_conductance(temps, alpha_L=a_l, alpha_R=a_r, omega_c=10.0,
                                      form=form)  # fmt: skip
            assert np.all(kappa > 0)
            assert np.all(kappa < kappa_q) and np.all(kappa < bound)


def test_current_obeys_eq2_and_eq15_for_every_pair_tried():
    t_cold = np.array([1e-3, 1e-2, 0.1, 1.0, 10.0, 100.0, 1e3])
    factors = np.array([1.001, 1.1, 2.0, 10.0])
    t_r = np.repeat(t_cold, factors.size)
    t_l = t_r * np.tile(factors, t_cold.size)
    for a_l, a_r in COUPLINGS:
        kw = {"alpha_L": a_l, "alpha_R": a_r}
        for form in ChiForm:
            current = heat_current(t_l, t_r, **kw, omega_c=10.0, form=form)
            assert np.all(current > 0)
            assert np.all(current < ballistic_current_bound(t_l, t_r))
            assert np.all(current < sum_rule_current_bound(t_l, t_r, **kw))
    assert ballistic_current_bound(2.0, 1.0) == pytest.approx(math.pi * 3 / 12)


def test_current_is_antisymmetric_and_vanishes_at_equal_temperatures():
    t_l, t_r = np.array([0.2, 3.0]), np.array([0.5, 1.0])
    forward = heat_current(t_l, t_r, **PAPER)
    assert np.array_equal(heat_current(t_r, t_l, **PAPER), -forward)
    assert heat_current(0.7, 0.7, **PAPER) == 0.0
    grid = heat_current(np.full((2, 3), 2.0), 1.0, **PAPER)
    assert grid.shape == (2, 3) and isinstance(heat_current(2.0, 1.0, **PAPER), float)


def test_error_estimates_and_refusals():
    est = exact_conductance(np.array([0.1, 10.0]), **PAPER, with_error=True)
    assert isinstance(est, TransportEstimate)
    assert np.all(est.error <= 1e-10 * est.value)
    for bad in [0.0, -1.0, math.nan, math.inf]:
        with pytest.raises(NumericInputError, match="temperature"):
            exact_conductance(np.array([1.0, bad]), **PAPER)
        with pytest.raises(NumericInputError, match="t_right"):
            heat_current(1.0, bad, **PAPER)
    with pytest.raises(NumericInputError, match="alpha_L"):
        exact_conductance(1.0, alpha_L=-0.1, alpha_R=0.4, omega_c=10.0)
    with pytest.raises(NumericInputError, match="omega_c"):
        heat_current(2.0, 1.0, alpha_L=0.4, alpha_R=0.4, omega_c=0.0)
    with pytest.raises(NumericInputError, match="chi form"):
        exact_conductance(1.0, **PAPER, form="kubo")
