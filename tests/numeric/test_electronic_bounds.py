"""Electronic heat-transport bounds (numeric/electronic_bounds.py) against the exact
resonant-level model (numeric/resonant_level.py), each checked by an independent route."""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest

from heatbounds.numeric.electronic_bounds import (
    charge_conductance_bound,
    fermi_window_maximum,
    heat_conductance_bound,
    heat_current_bound,
    thermal_conductance_quantum,
)
from heatbounds.numeric.errors import NumericInputError
from heatbounds.numeric.resonant_level import (
    ResonantLevel,
    charge_conductance,
    heat_conductance,
    heat_current,
)


def _window_function(x):
    """F(x) = x^2 e^x / (1 + e^x)^2, written as x^2 / (4 cosh^2(x/2))."""
    return x * x / (4 * np.cosh(x / 2) ** 2)


# --- the constant c0 -------------------------------------------------------------------


def test_c0_is_the_maximum_of_the_fermi_window_function():
    x_star, c0 = fermi_window_maximum()
    assert abs(x_star * math.tanh(x_star / 2) - 2) < 1e-14
    # independently: mpmath's root of F'(x) = 0 and a dense grid
    root = mp.findroot(lambda x: mp.diff(lambda y: y**2 * mp.exp(y) / (1 + mp.exp(y)) ** 2, x), 2)
    assert abs(float(root) - x_star) < 1e-12
    grid = np.linspace(-40, 40, 800001)  # spacing 1e-4: the grid's maximum is within 1e-8
    assert 0 <= c0 - _window_function(grid).max() < 1e-8
    assert round(c0, 3) == 0.439 and round(x_star, 1) == 2.4  # the numbers


def test_mean_value_step_holds_pointwise():
    """(eps - mu)[f_L - f_R] <= c0 k_B (T_L - T_R) for every eps and T_L > T_R."""
    rng = np.random.default_rng(4)
    _, c0 = fermi_window_maximum()
    t_right = rng.uniform(0.01, 5, 2000)
    t_left = t_right * rng.uniform(1.0001, 10, 2000)
    eps = rng.normal(0, 10, 2000) * t_left

    def fermi(e, t):
        return 0.5 * (1 - np.tanh(e / (2 * t)))

    lhs = eps * (fermi(eps, t_left) - fermi(eps, t_right))
    assert np.all(lhs >= -1e-15) and np.all(lhs <= c0 * (t_left - t_right) * (1 + 1e-12))


# --- the resonant level, by independent routes ------------------------------------------


LEVELS = [
    ResonantLevel(0.4, 0.1, 0.1),
    ResonantLevel(-1.3, 0.02, 0.3, mu=0.2),
    ResonantLevel(2.0, 1.5, 0.5),
]


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("temperature", [0.05, 0.3, 2.0])
def test_charge_conductance_is_the_trigamma_closed_form(level, temperature):
    z = mp.mpf(1) / 2 + (level.gamma / 2 + 1j * (level.eps0 - level.mu)) / (2 * mp.pi * temperature)
    exact = level.gamma_eff * mp.re(mp.psi(1, z)) / (2 * mp.pi**2 * temperature)
    assert charge_conductance(level, temperature) == pytest.approx(float(exact), rel=1e-9)


def _mp_integral(level, weight):
    def integrand(e):
        return (
            weight(e)
            * level.gamma_left
            * level.gamma_right
            / ((e - level.eps0) ** 2 + level.gamma**2 / 4)
        )

    points = sorted({-mp.inf, level.eps0, level.mu, mp.inf})
    return float(mp.quad(integrand, points) / (2 * mp.pi))


@pytest.mark.parametrize("level", LEVELS)
def test_heat_current_and_conductance_agree_with_mpmath(level):
    mp.mp.dps = 30
    tl, tr, t = 0.7, 0.4, 0.5

    def fermi(e, temp):
        return 1 / (mp.exp((e - level.mu) / temp) + 1)

    current = _mp_integral(level, lambda e: (e - level.mu) * (fermi(e, tl) - fermi(e, tr)))
    assert heat_current(level, tl, tr) == pytest.approx(current, rel=1e-9)
    assert heat_current(level, tr, tl) == pytest.approx(-current, rel=1e-9)
    conductance = _mp_integral(
        level, lambda e: ((e - level.mu) / t) ** 2 * fermi(e, t) * (1 - fermi(e, t))
    )
    assert heat_conductance(level, t) == pytest.approx(conductance, rel=1e-9)


def test_conductance_is_the_derivative_of_the_current():
    level, t, h = LEVELS[1], 0.3, 1e-4
    derivative = (heat_current(level, t + h, t) - heat_current(level, t - h, t)) / (2 * h)
    assert heat_conductance(level, t) == pytest.approx(derivative, rel=1e-6)


def test_limits_high_and_low_temperature():
    # k_B T >> Gamma: T(eps) -> 2 pi Gamma_eff delta(eps - eps_0), kappa -> Gamma_eff F(x_0)
    level, t = ResonantLevel(1.0, 1e-5, 3e-5), 0.7
    x0 = (level.eps0 - level.mu) / t
    assert heat_conductance(level, t) == pytest.approx(
        level.gamma_eff * _window_function(x0), rel=1e-3
    )
    # k_B T << Gamma: Wiedemann-Franz, kappa -> (pi^2 T / 3h) T(mu) = (pi T / 6) T(mu)
    level, t = ResonantLevel(0.3, 1.0, 0.5), 1e-3
    wf = thermal_conductance_quantum(t) * float(level.transmission(level.mu))
    assert heat_conductance(level, t) == pytest.approx(wf, rel=1e-4)


# --- the bounds hold on a grid, with their tightness ---------------------------------------


def test_bounds_hold_on_a_grid_and_are_tight_where_the_proof_says():
    x_star, _ = fermi_window_maximum()
    tightness = {}
    for t in (0.02, 0.2, 1.0, 5.0):
        for eps0_over_t in (0.0, 1.0, x_star, 6.0, -x_star):
            for gamma_over_t in (1e-3, 0.1, 1.0, 10.0):
                for asymmetry in (1.0, 0.2):
                    g = gamma_over_t * t
                    level = ResonantLevel(
                        eps0_over_t * t, g / (1 + asymmetry), g * asymmetry / (1 + asymmetry)
                    )
                    kappa = heat_conductance(level, t)
                    bound = heat_conductance_bound(level.gamma_eff)
                    assert 0 < kappa <= bound
                    tightness[(t, eps0_over_t, gamma_over_t, asymmetry)] = kappa / bound
                    current = heat_current(level, 1.5 * t, t)
                    assert 0 < current <= heat_current_bound(level.gamma_eff, 1.5 * t, t)
                    g_charge = charge_conductance(level, t)
                    assert 0 < g_charge <= charge_conductance_bound(level.gamma_eff, t)
    # tight (to 1e-3) for a sharp level at eps_0 - mu = x* k_B T, loose for a broad one
    sharp = [v for (t, e, g, a), v in tightness.items() if abs(e) == x_star and g == 1e-3]
    assert min(sharp) > 0.998
    # looser as the level broadens: at eps_0 - mu = x* k_B T the ratio falls with Gamma / k_B T
    for t in (0.02, 0.2, 1.0, 5.0):
        for a in (1.0, 0.2):
            falling = [tightness[(t, x_star, g, a)] for g in (1e-3, 0.1, 1.0, 10.0)]
            assert falling == sorted(falling, reverse=True) and falling[-1] < 0.35
    # ... and for Gamma >> k_B T it is Wiedemann-Franz over the bound, (pi T/6) T(mu) / c0 Gamma_eff
    level, t = ResonantLevel(0.0, 500.0, 500.0), 1.0
    ratio = heat_conductance(level, t) / heat_conductance_bound(level.gamma_eff)
    wf = thermal_conductance_quantum(t) * float(level.transmission(0.0))
    assert ratio == pytest.approx(wf / heat_conductance_bound(level.gamma_eff), rel=2e-3)
    assert ratio < 0.005


def test_charge_bound_is_tight_at_resonance_with_mu():
    level, t = ResonantLevel(0.0, 1e-5, 1e-5), 0.5
    ratio = charge_conductance(level, t) / charge_conductance_bound(level.gamma_eff, t)
    assert ratio == pytest.approx(1, abs=1e-4)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: ResonantLevel(0, -0.1, 0.1), "level widths are >= 0"),
        (lambda: ResonantLevel(0, 0, 0), "uncoupled level"),
        (lambda: ResonantLevel(float("nan"), 0.1, 0.1), "eps0 = nan"),
        (lambda: heat_conductance(LEVELS[0], 0), "temperature = 0"),
        (lambda: heat_current(LEVELS[0], 1, -1), "t_right = -1"),
        (lambda: heat_conductance_bound(-1), "weighted_mu0 = -1"),
        (lambda: heat_current_bound(1, float("inf"), 1), "t_left = inf"),
    ],
)
def test_bad_input_is_refused_by_name(call, message):
    with pytest.raises(NumericInputError, match=message):
        call()
