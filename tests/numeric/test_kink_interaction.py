"""W(tau): closed form against independent quadratures and its known limits."""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest
from scipy import special

from heatbounds.numeric.errors import NumericInputError
from heatbounds.numeric.kink_interaction import (
    OhmicBath,
    SingleModeBath,
    SpectralDensityBath,
    kink_interaction_integral,
    ohmic_kink_interaction,
    tabulate_kink_interaction,
)
from heatbounds.numeric.kink_qmc import evaluate_interaction


def _w_mpmath(tau, beta, alpha, omega_c):
    """The defining cosh/sinh integral, in mpmath (independent of both code routes)."""
    mp.mp.dps = 30
    tau, beta = mp.mpf(tau), mp.mpf(beta)

    def f(w):
        return (
            2
            * alpha
            * w
            * mp.exp(-w / omega_c)
            / w**2
            * (mp.cosh(beta * w / 2) - mp.cosh(w * (beta / 2 - tau)))
            / mp.sinh(beta * w / 2)
        )

    return float(mp.quad(f, [0, 1 / beta, omega_c, 10 * omega_c, mp.inf]))


@pytest.mark.parametrize(
    ("tau", "beta", "alpha", "omega_c"),
    [(0.3, 1.0, 0.2, 10.0), (2.5, 20.0, 0.5, 50.0), (0.01, 0.1, 0.7, 10.0), (7.0, 8.0, 0.1, 3.0)],
)
def test_closed_form_matches_mpmath_integral(tau, beta, alpha, omega_c):
    w = ohmic_kink_interaction(tau, beta=beta, alpha=alpha, omega_c=omega_c)
    assert w == pytest.approx(_w_mpmath(tau, beta, alpha, omega_c), rel=1e-10, abs=1e-13)


def test_closed_form_matches_quadrature_route():
    bath = OhmicBath(0.3, 10.0)
    for beta in (0.05, 1.0, 40.0):
        tau = np.linspace(0.0, beta, 41)
        quad = kink_interaction_integral(tau, beta=beta, spectral_density=bath.spectral_density)
        assert np.max(np.abs(quad - bath.kink_interaction(tau, beta))) < 1e-9


def test_symmetry_zeros_and_sign():
    beta = 3.0
    tau = np.linspace(0.0, beta, 31)
    w = ohmic_kink_interaction(tau, beta=beta, alpha=0.4, omega_c=10.0)
    assert abs(w[0]) < 1e-14 and abs(w[-1]) < 1e-14
    assert np.allclose(w, w[::-1], atol=1e-12)
    assert np.all(w[1:-1] > 0.0)
    assert np.all(np.diff(w[: len(w) // 2 + 1]) > 0.0)  # grows up to beta/2


def test_zero_temperature_limit_is_leggett_log():
    # T -> 0: W = 2 alpha ln(1 + omega_c tau), i.e. 2 alpha ln(omega_c tau) at large omega_c tau.
    alpha, omega_c = 0.35, 10.0
    tau = np.array([0.01, 0.1, 1.0, 10.0, 100.0])
    w = ohmic_kink_interaction(tau, beta=1e9, alpha=alpha, omega_c=omega_c)
    assert np.allclose(w, 2 * alpha * np.log1p(omega_c * tau), rtol=1e-6, atol=1e-8)
    big = ohmic_kink_interaction(1e4, beta=1e12, alpha=alpha, omega_c=omega_c)
    assert big / (2 * alpha * math.log(omega_c * 1e4)) == pytest.approx(1.0, abs=1e-5)


def test_finite_temperature_scaling_form():
    # omega_c beta >> 1, tau >> 1/omega_c: W -> 2 alpha ln[(beta omega_c/pi) sin(pi tau/beta)].
    alpha, omega_c, beta = 0.5, 1e6, 5.0
    tau = np.array([0.5, 1.0, 2.5, 4.0])
    w = ohmic_kink_interaction(tau, beta=beta, alpha=alpha, omega_c=omega_c)
    expect = 2 * alpha * np.log(beta * omega_c / math.pi * np.sin(math.pi * tau / beta))
    assert np.allclose(w, expect, atol=1e-5)


def test_second_derivative_is_minus_four_bath_correlator():
    # W'' = -4 K(tau), K(tau) = (1/4) Int J cosh(w(beta/2 - tau))/sinh(beta w/2): the
    # coupling sigma_z sum_k g_k (b_k + b_k^dag) with J = 4 sum g_k^2 delta(w - w_k).
    alpha, omega_c, beta, tau, h = 0.3, 10.0, 2.0, 0.7, 1e-3
    w = [
        ohmic_kink_interaction(tau + k * h, beta=beta, alpha=alpha, omega_c=omega_c)
        for k in (-1, 0, 1)
    ]
    second = (w[0] - 2 * w[1] + w[2]) / h**2
    mp.mp.dps = 20
    k_tau = mp.quad(
        lambda x: (
            2
            * alpha
            * x
            * mp.exp(-x / omega_c)
            * mp.cosh(x * (beta / 2 - tau))
            / mp.sinh(beta * x / 2)
            / 4
        ),
        [0, 1, omega_c, mp.inf],
    )
    assert second == pytest.approx(-4 * float(k_tau), rel=1e-5)


def test_super_ohmic_quadrature_against_digamma_closed_form():
    # s = 2: J/w^2 = (2 alpha/omega_c) e^{-w/omega_c}; the same geometric series gives
    # W = (2 alpha/(omega_c beta)) [psi(x+t) - psi(x) + psi(1+x-t) - psi(1+x)].
    alpha, omega_c, beta = 0.2, 5.0, 2.0
    bath = SpectralDensityBath.power_law(alpha, omega_c, 2.0)
    tau = np.linspace(0.0, beta, 17)
    x, t = 1.0 / (beta * omega_c), tau / beta
    exact = (2 * alpha / (omega_c * beta)) * (
        special.digamma(x + t)
        - special.digamma(x)
        + special.digamma(1 + x - t)
        - special.digamma(1 + x)
    )
    assert np.allclose(bath.kink_interaction(tau, beta), exact, atol=1e-10)
    ohmic = SpectralDensityBath.power_law(alpha, omega_c, 1.0)
    assert np.allclose(
        ohmic.kink_interaction(tau, beta),
        OhmicBath(alpha, omega_c).kink_interaction(tau, beta),
        atol=1e-10,
    )


def test_single_mode_is_the_narrow_peak_limit_of_the_integral():
    g, om, beta, eta = 0.4, 1.3, 2.0, 1e-3

    def narrow(w):
        return 4 * g**2 * np.exp(-0.5 * ((w - om) / eta) ** 2) / (eta * math.sqrt(2 * math.pi))

    tau = np.linspace(0.0, beta, 9)
    peak = (om - 10 * eta, om, om + 10 * eta)
    via_integral = SpectralDensityBath(narrow, points=peak).kink_interaction(tau, beta)
    assert np.allclose(SingleModeBath(g, om).kink_interaction(tau, beta), via_integral, atol=1e-5)


def test_sampler_sees_the_same_w_closed_form_and_table():
    bath = OhmicBath(0.45, 20.0)
    beta = 7.0
    rng = np.random.default_rng(0)
    tau = np.concatenate([rng.uniform(0, beta, 2000), beta * 10.0 ** rng.uniform(-12, 0, 500)])
    exact = bath.kink_interaction(tau, beta)
    spec = bath.kernel_spec(beta)
    in_kernel = evaluate_interaction(tau, beta, spec.mode, spec.params, spec.table)
    assert np.max(np.abs(in_kernel - exact)) < 1e-12
    table = tabulate_kink_interaction(bath.kink_interaction, beta)
    interp = evaluate_interaction(tau, beta, table.mode, table.params, table.table)
    assert np.max(np.abs(interp - exact)) < 1e-8


def test_input_errors():
    with pytest.raises(NumericInputError, match="tau"):
        ohmic_kink_interaction(2.0, beta=1.0, alpha=0.1, omega_c=10.0)
    with pytest.raises(NumericInputError, match="beta"):
        ohmic_kink_interaction(0.1, beta=-1.0, alpha=0.1, omega_c=10.0)
    with pytest.raises(NumericInputError, match="omega_c"):
        OhmicBath(0.1, float("nan"))
    with pytest.raises(NumericInputError, match="alpha"):
        OhmicBath(-0.1, 10.0)
    with pytest.raises(NumericInputError, match="frequency"):
        SingleModeBath(0.1, 0.0)
    with pytest.raises(NumericInputError, match="not finite"):
        kink_interaction_integral(0.5, beta=1.0, spectral_density=lambda w: np.inf * w)
