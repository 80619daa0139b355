"""Tests of the vectorised ln(omega) Gauss-Kronrod quadrature (numeric/quadrature.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate

from heatbounds.numeric.quadrature import (
    GK21,
    QuadratureError,
    Resonance,
    integrate_log_omega,
)


def test_gk21_integrates_polynomials_to_its_degrees():
    # Kronrod 21 points: exact to degree 3n+1 = 31; embedded Gauss 10: to degree 19.
    for k in range(32):
        exact = 0.0 if k % 2 else 2.0 / (k + 1)
        assert abs(np.sum(GK21.kronrod_weights * GK21.nodes**k) - exact) < 1e-14
        if k < 20:
            assert abs(np.sum(GK21.gauss_weights * GK21.nodes**k) - exact) < 1e-14
    # ... and the Gauss rule really is of order 10 (not exact at degree 20).
    assert abs(np.sum(GK21.gauss_weights * GK21.nodes**20) - 2.0 / 21) > 1e-8


def test_gk21_gauss_part_is_gauss_legendre_10():
    x, w = np.polynomial.legendre.leggauss(10)
    used = GK21.gauss_weights != 0
    assert np.count_nonzero(used) == 10
    assert np.allclose(np.sort(GK21.nodes[used]), np.sort(x), rtol=0, atol=1e-15)
    assert np.allclose(GK21.gauss_weights[used], w[np.argsort(x)], rtol=0, atol=1e-15)


def test_bose_moment_for_a_temperature_batch():
    # Int_0^inf omega^3 / (e^{omega/T} - 1) d omega = pi^4 T^4 / 15 (Stefan-Boltzmann).
    temps = np.logspace(-3, 3, 41)

    def f(w, t):
        return w**3 / np.expm1(w / t)

    res = integrate_log_omega(f, 1e-7 * temps, 70.0 * temps, args=(temps,), rtol=1e-12)
    exact = math.pi**4 * temps**4 / 15
    assert res.integral.shape == temps.shape
    assert np.all(res.converged)
    assert np.max(np.abs(res.integral / exact - 1)) < 1e-12
    assert np.all(res.error <= 1e-12 * res.integral)


def test_agrees_with_tight_adaptive_quad():
    def f(w):
        return w**2 * np.exp(-w) / (1.0 + (w - 3.0) ** 2)

    ref, _ = integrate.quad(f, 1e-6, 200.0, epsabs=0, epsrel=1e-13, limit=400, points=[3])
    res = integrate_log_omega(f, 1e-6, 200.0, rtol=1e-12)
    assert np.ndim(res.integral) == 0
    assert abs(res.integral / ref - 1) < 1e-12


def test_narrow_resonance_is_resolved_by_its_ladder():
    gamma = 1e-5

    def lorentz(w):
        return gamma / math.pi / ((w - 1.0) ** 2 + gamma**2)

    lo, hi = 1e-3, 1e3
    exact = (math.atan((hi - 1) / gamma) - math.atan((lo - 1) / gamma)) / math.pi
    res = integrate_log_omega(lorentz, lo, hi, resonances=[Resonance(1.0, gamma)], rtol=1e-11)
    assert bool(res.converged)
    assert abs(res.integral / exact - 1) < 1e-11


def test_rows_with_different_limits_and_zero_integrand():
    lower = np.array([1e-3, 1e-2, 1.0])
    upper = np.array([1.0, 10.0, 2.0])
    res = integrate_log_omega(lambda w: np.ones_like(w), lower, upper)
    assert np.allclose(res.integral, upper - lower, rtol=1e-14, atol=0)
    zero = integrate_log_omega(lambda w: np.zeros_like(w), 1e-3, 1.0)
    assert zero.integral == 0 and bool(zero.converged)


def test_refinement_bisects_until_converged_and_reports_failure():
    def f(w):
        return np.cos(40.0 * np.log(w)) ** 2  # oscillates in ln(omega)

    exact, _ = integrate.quad(
        lambda u: math.cos(40 * u) ** 2 * math.exp(u), 0, math.log(50), epsabs=0, epsrel=1e-13,
        limit=500,
    )  # fmt: skip
    wide = integrate_log_omega(f, 1.0, 50.0, panel_width=4.0, rtol=1e-11, max_refinements=6)
    assert bool(wide.converged) and int(wide.refinements) > 0
    assert abs(wide.integral / exact - 1) < 1e-11
    stuck = integrate_log_omega(f, 1.0, 50.0, panel_width=4.0, rtol=1e-11, max_refinements=0)
    assert not bool(stuck.converged)
    # When it fails it says so, and the estimate covers the actual error.
    assert abs(stuck.integral - exact) <= stuck.error


def test_bad_input_is_refused():
    with pytest.raises(QuadratureError):
        integrate_log_omega(np.ones_like, 0.0, 1.0)
    with pytest.raises(QuadratureError):
        integrate_log_omega(np.ones_like, 2.0, 1.0)
    with pytest.raises(QuadratureError):
        integrate_log_omega(lambda w: w * np.nan, 1.0, 2.0)
    with pytest.raises(QuadratureError):
        integrate_log_omega(lambda w: w[:, :3], 1.0, 2.0)
    with pytest.raises(QuadratureError):
        Resonance(1.0, 0.0).breakpoints()
    with pytest.raises(QuadratureError):
        integrate_log_omega(np.ones_like, 1.0, 2.0, rtol=0.0, atol=0.0)


def test_shared_grid_evaluates_row_independent_factors_once():
    temps = np.logspace(-2, 2, 30)
    shapes = []

    def f(w, t):
        shapes.append(w.shape)
        spectral = w**2 / (1.0 + w**2)  # the same for every row: computed on (1, n)
        return spectral * w * np.exp(-w / t) / -np.expm1(-w / t)  # no overflow

    res = integrate_log_omega(f, 1e-7 * temps, 70 * temps, args=(temps,), rtol=1e-12,
                              shared_grid=True)  # fmt: skip
    assert all(shape[0] == 1 for shape in shapes)
    for t, value in zip(temps[::7], res.integral[::7], strict=True):
        ref, _ = integrate.quad(lambda w, t=t: w**3 / (1 + w**2) / math.expm1(w / t), 0,
                                100 * t, epsabs=0, epsrel=1e-13, limit=400)  # fmt: skip
        assert abs(value / ref - 1) < 1e-11
    # The rows share the union of their limits (documented: for (0, inf) integrals).
    union = integrate_log_omega(lambda w: np.ones_like(w), [1.0, 3.0], [2.0, 4.0],
                                shared_grid=True)  # fmt: skip
    assert np.allclose(union.integral, 3.0, rtol=1e-14, atol=0)
