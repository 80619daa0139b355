"""Tests of the Figure 2 and 3 data (numeric/figures23.py)."""

from __future__ import annotations

import json
import math

import numpy as np

from heatbounds.numeric.figures23 import FIGURE_OMEGA_C, figure2_data, figure3_data

FORMS = ("exact", "paper")


def test_figure2_panels_respect_both_bounds_and_show_the_crossover():
    data = figure2_data(n_points=11)
    assert data.parameters["omega_c"] == FIGURE_OMEGA_C == 10.0
    assert data.parameters["alpha"] == 0.8 and data.parameters["gamma"] == 1.0
    for panel, t_right in [(data.low, 0.1), (data.high, 3.0)]:
        assert panel.t_right == t_right
        assert panel.delta_t[0] == 0 and panel.delta_t[-1] == t_right
        t_left = t_right + panel.delta_t
        assert np.allclose(panel.ballistic_bound, math.pi * (t_left**2 - t_right**2) / 12)
        assert np.allclose(panel.sum_rule_bound, math.pi * 0.8 / 4 * (t_left - t_right))
        for form in FORMS:
            current = panel.current[form]
            assert current[0] == 0.0 and np.all(np.diff(current) > 0)
            assert np.all(current[1:] < panel.ballistic_bound[1:])
            assert np.all(current[1:] < panel.sum_rule_bound[1:])
    # The paper's point: Eq. 2 is the tighter bound at low T, Eq. 15 at high T.
    assert np.all(data.low.ballistic_bound[1:] < data.low.sum_rule_bound[1:])
    assert np.all(data.high.sum_rule_bound[1:] < data.high.ballistic_bound[1:])


def test_figure3_conductance_below_kappa_q_and_the_bound():
    data = figure3_data()
    t = data.temperature
    assert t.size == 200 and t[0] == 1e-2 and abs(t[-1] / 1e2 - 1) < 1e-14
    assert np.allclose(data.kappa_Q, math.pi * t / 6, rtol=1e-15, atol=0)
    assert np.allclose(data.sum_rule_bound, math.pi * 0.8 / 4, rtol=1e-15, atol=0)
    for form in FORMS:
        kappa = data.kappa[form]
        assert kappa.shape == t.shape and np.all(np.diff(kappa) > 0)
        assert np.all(kappa < np.minimum(data.kappa_Q, data.sum_rule_bound))
    assert abs(data.fsum_moment["exact"] - 1.0) < 1e-10
    assert data.fsum_moment["paper"] < 1.0 - 1e-2
    json.loads(json.dumps(data.as_dict()))
    json.loads(json.dumps(figure2_data(n_points=3).as_dict()))


def test_figure3_scales_with_omega0():
    # Dimensional analysis: kappa(T; omega0, omega_c) = omega0 kappa(T/omega0; 1, omega_c/omega0).
    t = np.array([0.05, 0.7, 9.0])
    one = figure3_data(temperature=t)
    two = figure3_data(temperature=2.5 * t, omega0=2.5, omega_c=25.0)
    for form in FORMS:
        assert np.allclose(two.kappa[form], 2.5 * one.kappa[form], rtol=1e-12, atol=0)
    assert np.allclose(two.sum_rule_bound, 2.5 * one.sum_rule_bound, rtol=1e-15, atol=0)
