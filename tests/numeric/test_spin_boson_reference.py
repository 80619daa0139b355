"""Spin-boson reference formulas, each against an independent route."""

from __future__ import annotations

import math
import warnings

import mpmath as mp
import numpy as np
import pytest
from kondo import kondo_temperature_closed_form
from scipy import integrate

from heatbounds.numeric.errors import NumericInputError
from heatbounds.numeric.kink_interaction import OhmicBath
from heatbounds.numeric.spin_boson_reference import (
    bloch_redfield_conductance,
    bloch_redfield_conductance_printed,
    conductance_bound,
    kappa_quantum,
    kondo_prefactor,
    kondo_temperature,
    sigma_x_toulouse,
    sigma_x_two_kink,
    sigma_x_weak_coupling,
    sigma_x_weak_coupling_nonequilibrium,
    toulouse_width,
)

TEMPS = np.array([0.01, 0.1, 0.5, 1.0, 3.0, 30.0])


def test_kappa_quantum_and_scalar_contract():
    assert kappa_quantum(1.5) == pytest.approx(math.pi * 1.5 / 6, rel=1e-15)
    assert isinstance(kappa_quantum(1.5), float)
    assert kappa_quantum(TEMPS).shape == TEMPS.shape


def test_printed_bloch_redfield_against_mpmath():
    alpha, gamma, delta = 0.2, 0.75, 1.3
    got = bloch_redfield_conductance_printed(TEMPS, alpha=alpha, gamma=gamma, delta=delta)
    mp.mp.dps = 40
    for t, k in zip(TEMPS, got, strict=True):
        ref = mp.pi / 8 * delta**3 / mp.mpf(t) ** 2 * alpha * gamma / mp.sinh(delta / mp.mpf(t))
        assert k == pytest.approx(float(ref), rel=1e-12)


def test_bloch_redfield_is_stable_at_large_beta_delta():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        k = bloch_redfield_conductance(np.array([1e-3, 1e-2, 1e-300]), alpha=0.2, omega_c=10.0)
    assert np.all(np.isfinite(k)) and k[-1] == 0.0
    mp.mp.dps = 30
    ref = mp.pi / 8 * 0.2 * mp.mpf(100) ** 2 * mp.exp(-0.1) / mp.sinh(100)
    assert k[1] == pytest.approx(float(ref), rel=1e-12)


def test_finite_cutoff_bloch_redfield_is_printed_times_exp():
    k_inf = bloch_redfield_conductance_printed(TEMPS, alpha=0.2)
    k_10 = bloch_redfield_conductance(TEMPS, alpha=0.2, omega_c=10.0)
    assert np.allclose(k_10, k_inf * math.exp(-0.1), rtol=1e-14)


def test_finite_cutoff_bloch_redfield_is_the_linear_response_integral():
    # kappa = (alpha gamma/4) Int dw Jt(w) Im chi(w) (beta w/2)^2 / sinh^2(beta w/2),
    # free spin: Im chi(w > 0) = pi tanh(beta Delta/2) delta(w - Delta) (f-sum: Delta tanh).
    # The delta is a normalised Gaussian of width eta; the error is O(eta^2).
    alpha, gamma, delta, omega_c, eta = 0.2, 0.6, 1.0, 10.0, 1e-4
    for t in (0.2, 1.0, 5.0):
        beta = 1.0 / t

        def integrand(w, beta=beta):
            peak = math.exp(-0.5 * ((w - delta) / eta) ** 2) / (eta * math.sqrt(2 * math.pi))
            im_chi = math.pi * math.tanh(beta * delta / 2) * peak
            x = beta * w / 2
            return w * math.exp(-w / omega_c) * im_chi * (x / math.sinh(x)) ** 2

        val, _ = integrate.quad(
            integrand, delta - 12 * eta, delta + 12 * eta, epsabs=0, epsrel=1e-12
        )
        expect = 0.25 * alpha * gamma * val
        got = bloch_redfield_conductance(t, alpha=alpha, gamma=gamma, omega_c=omega_c)
        assert got == pytest.approx(expect, rel=1e-7)


def test_weak_coupling_bound_never_below_bloch_redfield():
    # With <sigma_x> = -tanh, BR / bound = (beta Delta)^2 / (4 sinh^2(beta Delta/2)) <= 1:
    # the point that a non-perturbative <sigma_x> is needed to see a violation.
    t = np.geomspace(0.02, 50.0, 400)
    bound = conductance_bound(sigma_x_weak_coupling(t), alpha=0.2)
    br = bloch_redfield_conductance_printed(t, alpha=0.2)
    x = 1.0 / t
    assert np.allclose(br / bound, x**2 / (4 * np.sinh(x / 2) ** 2), rtol=1e-12)
    assert np.all(br <= bound)


def test_conductance_bound_eq18():
    assert conductance_bound(-0.5, alpha=0.2, gamma=0.5, delta=2.0) == pytest.approx(
        math.pi * 0.2 * 0.5 / 4 * 2.0 * 0.5, rel=1e-15
    )
    with pytest.raises(NumericInputError, match="sigma_x"):
        conductance_bound(float("nan"), alpha=0.2)
    with pytest.raises(NumericInputError, match="gamma"):
        conductance_bound(-0.5, alpha=0.2, gamma=1.5)


def test_weak_coupling_sigma_x_equilibrium_and_two_baths():
    assert np.allclose(sigma_x_weak_coupling(TEMPS, delta=1.3), -np.tanh(0.65 / TEMPS))
    same = sigma_x_weak_coupling_nonequilibrium(TEMPS, TEMPS, alpha_L=0.1, alpha_R=0.3, delta=1.3)
    assert np.allclose(same, -np.tanh(0.65 / TEMPS), rtol=1e-13, atol=1e-300)
    mp.mp.dps = 30
    t_l, t_r, a_l, a_r = 0.7, 2.5, 0.05, 0.15
    n = [1 / (mp.exp(1 / mp.mpf(t)) - 1) for t in (t_l, t_r)]
    ref = -1 / (1 + 2 * (a_l * n[0] + a_r * n[1]) / (a_l + a_r))
    got = sigma_x_weak_coupling_nonequilibrium(t_l, t_r, alpha_L=a_l, alpha_R=a_r)
    assert got == pytest.approx(float(ref), rel=1e-14)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert sigma_x_weak_coupling_nonequilibrium(1e-4, 1e-3, alpha_L=1, alpha_R=1) == -1
    with pytest.raises(NumericInputError, match="alpha_L"):
        sigma_x_weak_coupling_nonequilibrium(1, 1, alpha_L=0, alpha_R=0)


def test_kondo_prefactor_limit_at_toulouse_point_with_mpmath():
    mp.mp.dps = 30

    # approach from both sides, steps of at most 0.1 so no pole of Gamma(1 - 2a) is hit
    def f(h):
        a = mp.mpf(1) / 2 + h / 10
        return mp.gamma(1 - 2 * a) * mp.cos(mp.pi * a)

    lim = mp.limit(f, 0, direction=1)
    assert mp.limit(f, 0, direction=-1) == pytest.approx(lim, rel=1e-12)
    assert float(lim) == pytest.approx(math.pi / 2, rel=1e-12)
    assert kondo_prefactor(0.5) == pytest.approx(float(lim), rel=1e-14)  # exponent 1 at 1/2
    # continuous through 1/2 (no inf * 0 on either side)
    near = kondo_prefactor(np.array([0.5 - 1e-9, 0.5, 0.5 + 1e-9]))
    assert np.all(np.isfinite(near)) and np.ptp(near) < 1e-7


@pytest.mark.parametrize("alpha", [0.0, 0.1, 0.2, 0.45, 0.55, 0.8, 0.95])
def test_kondo_temperature_against_direct_mpmath(alpha):
    omega_c, delta = 10.0, 1.0
    mp.mp.dps = 30
    a = mp.mpf(alpha)
    g = (mp.gamma(1 - 2 * a) * mp.cos(mp.pi * a)) ** (1 / (2 * (1 - a)))
    ref = g * delta * (mp.mpf(delta) / omega_c) ** (a / (1 - a))
    assert kondo_temperature(alpha, omega_c=omega_c, delta=delta) == pytest.approx(
        float(ref), rel=1e-12
    )


def test_kondo_temperature_special_values():
    assert kondo_temperature(0.0, omega_c=10.0, delta=2.0) == pytest.approx(2.0, rel=1e-15)
    assert kondo_temperature(0.5, omega_c=40.0) == pytest.approx(toulouse_width(omega_c=40.0))
    tk = kondo_temperature(np.array([0.2, 1.0, 1.7]), omega_c=10.0)
    assert tk[1] == 0.0 and tk[2] == 0.0
    # Figure 4 parameters (alpha = 0.2, omega_c = 10 Delta): T_K from the paper's closed form
    assert tk[0] == pytest.approx(kondo_temperature_closed_form(0.2, 10.0), rel=1e-12)


def test_two_kink_limits_and_quadrature():
    # W = 0: -beta Delta / 2 exactly
    assert sigma_x_two_kink(2.0, bath=OhmicBath(0.0, 10.0), delta=0.3) == pytest.approx(-0.075)
    mp.mp.dps = 25
    beta, alpha, wc = 2.0, 0.3, 10.0
    x = 1 / (beta * wc)

    def e_minus_w(tau):
        t = tau / beta
        return (mp.gamma(x + t) * mp.gamma(1 + x - t) / (mp.gamma(x) * mp.gamma(1 + x))) ** (
            2 * alpha
        )

    ref = -0.5 * mp.quad(e_minus_w, [0, 1 / wc, beta / 2, beta - 1 / wc, beta])
    got = sigma_x_two_kink(1 / beta, bath=OhmicBath(alpha, wc))
    assert got == pytest.approx(float(ref), rel=1e-10)


def test_toulouse_formula_limits():
    wc = 1e4
    gam = toulouse_width(omega_c=wc)
    assert gam == pytest.approx(math.pi / (2 * wc))
    # high T (beta Gamma -> 0): the psi term vanishes, two kinks remain
    t_hi = 0.5
    hi = sigma_x_toulouse(t_hi, omega_c=wc)
    assert hi == pytest.approx(sigma_x_two_kink(t_hi, bath=OhmicBath(0.5, wc)), rel=1e-4)
    # scaling form: Int e^{-W} -> (2/omega_c) ln(2 beta omega_c/pi)
    for t in (1e-3, 0.1):
        scaling = (1 / wc) * (
            float(mp.digamma(0.5 + gam / (4 * math.pi * t)))
            - math.log(wc / (2 * math.pi * t))
            + float(mp.euler)
        )
        assert sigma_x_toulouse(t, omega_c=wc) == pytest.approx(scaling, rel=1e-3)
    # T -> 0: -(Delta/omega_c) ln(2 omega_c / (e^gamma_E Gamma))
    t0 = -(1 / wc) * math.log(2 * wc / (math.exp(float(mp.euler)) * gam))
    assert sigma_x_toulouse(1e-9, omega_c=wc) == pytest.approx(t0, rel=1e-3)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: kappa_quantum(-1.0), "temperature"),
        (lambda: kappa_quantum(float("nan")), "temperature"),
        (lambda: bloch_redfield_conductance(1.0, alpha=0.2, omega_c=0.0), "omega_c"),
        (lambda: bloch_redfield_conductance(1.0, alpha=-0.2), "alpha"),
        (lambda: sigma_x_weak_coupling(1.0, delta=0.0), "delta"),
        (lambda: kondo_temperature(-0.1, omega_c=10.0), "alpha"),
        (lambda: kondo_prefactor(1.0), "alpha"),
        (lambda: sigma_x_toulouse(1.0, omega_c=-5.0), "omega_c"),
    ],
)
def test_input_errors(call, match):
    with pytest.raises(NumericInputError, match=match):
        call()


@pytest.mark.parametrize(
    "module",
    [
        "heatbounds.numeric.spin_boson_reference",
        "heatbounds.numeric.kink_interaction",
        "heatbounds.numeric.spin_boson_qmc",
    ],
)
def test_docstring_examples(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
