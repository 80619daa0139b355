"""Tests of the harmonic-junction response (numeric/harmonic_response.py).

Independent routes: mpmath's Ei/E1 and principal-value quadrature for the
Kramers-Kronig real part; a dense linear solve of the discretised model
(oscillator + bath modes + counterterm) for the exact chi; the paper's Eq. 14
typed in literally; Kramers-Kronig for chi itself; scipy quad for the f-sum.
"""

from __future__ import annotations

import itertools
import math

import mpmath as mp
import numpy as np
import pytest
from scipy import integrate

from heatbounds.numeric.errors import NumericInputError
from heatbounds.numeric.harmonic_response import (
    ChiForm,
    bath_spectral_density,
    fsum_moment,
    harmonic_fsum_report,
    kramers_kronig_kernel,
    self_energy,
    susceptibility,
)

PAPER = {"alpha_L": 0.4, "alpha_R": 0.4, "omega_c": 10.0}
# Arguments on both sides of the branch switches at x = 1 and x = 40.
KERNEL_X = [1e-7, 1e-3, 0.05, 0.5, 0.999, 1.001, 3.0, 12.0, 39.9, 40.1, 150.0, 1e4]


def _g_mpmath(x: float) -> float:
    with mp.workdps(40):
        xm = mp.mpf(x)
        return float(mp.exp(-xm) * mp.ei(xm) + mp.exp(xm) * mp.e1(xm))


def _pv_inverse_square(x: float) -> float:
    """P Int_0^inf exp(-w) / (w^2 - x^2) dw by scipy's Cauchy-weight quadrature."""

    def f(w):
        return math.exp(-w) / (w + x)

    a, b = 0.5 * x, 1.5 * x
    pv, _ = integrate.quad(f, a, b, weight="cauchy", wvar=x, epsabs=0, epsrel=1e-13, limit=200)
    below, _ = integrate.quad(
        lambda w: math.exp(-w) / (w * w - x * x), 0, a, epsabs=0, epsrel=1e-13, limit=200
    )
    above, _ = integrate.quad(
        lambda w: math.exp(-w) / (w * w - x * x), b, np.inf, epsabs=0, epsrel=1e-13, limit=200
    )
    return below + pv + above


def test_kernel_matches_mpmath_on_every_branch():
    for x in KERNEL_X:
        assert abs(kramers_kronig_kernel(x) / _g_mpmath(x) - 1) < 1e-13, x
    assert kramers_kronig_kernel(0.0) == 0.0


def test_kernel_is_the_principal_value_integral():
    # Re[Pi(omega) - Pi(0)] = alpha omega^2 P Int exp(-w/wc)/(w^2 - omega^2): with wc = 1,
    # g(x) = -2 x P Int_0^inf exp(-w) / (w^2 - x^2) dw.
    for x in [1e-3, 0.3, 0.999, 1.001, 7.0, 39.9, 40.1, 120.0]:
        assert abs(kramers_kronig_kernel(x) / (-2 * x * _pv_inverse_square(x)) - 1) < 1e-9, x


def _pi_complex(z: complex, alpha: float, omega_c: float) -> complex:
    """Pi(z) - Pi(0) continued to Im z > 0: (alpha z/2)[e^{-z/wc} E1(-z/wc) - e^{z/wc} E1(z/wc)]."""
    with mp.workdps(40):
        zz = mp.mpc(z) / omega_c
        val = 0.5 * alpha * mp.mpc(z) * (mp.exp(-zz) * mp.e1(-zz) - mp.exp(zz) * mp.e1(zz))
        return complex(val)


def test_self_energy_is_the_boundary_value_of_the_analytic_continuation():
    alpha, omega_c = 0.8, 10.0
    for w in [1e-4, 0.2, 1.0, 4.0, 30.0, 500.0]:
        ref = _pi_complex(complex(w, 1e-30), alpha, omega_c)
        got = self_energy(w, alpha=alpha, omega_c=omega_c)
        assert abs(got - ref) <= 1e-13 * abs(ref), w
        # Im Pi = (pi/4) J and Pi(-omega) = conj Pi(omega).
        assert math.isclose(got.imag, math.pi / 4 * bath_spectral_density(w, alpha=alpha,
                            omega_c=omega_c), rel_tol=1e-14)  # fmt: skip
        assert self_energy(-w, alpha=alpha, omega_c=omega_c) == got.conjugate()


def _discrete_model_chi(z: complex, alpha: float, omega_c: float, omega0: float) -> complex:
    """chi = 2 G_XX of the quadratic model: oscillator + discretised bath + counterterm.

    H = (omega0/2)(P^2 + X^2) + sum_k (omega_k/2)(p_k^2 + q_k^2) + 2 X sum_k g_k q_k
        + 2 X^2 sum_k g_k^2/omega_k,    A = a + a^dag = sqrt(2) X, b_k + b_k^dag = sqrt(2) q_k,
    with g_k^2 = J(omega_k) w_k / 4 (Eq. 4 with a quadrature rule omega_k, w_k).
    q'' = -M K q + M f gives G(z) = (M K - z^2)^-1 M.
    """
    x, wt = np.polynomial.legendre.leggauss(10)
    edges = np.linspace(math.log(1e-12), math.log(60 * omega_c), 111)
    u = (0.5 * (edges[1:] + edges[:-1]))[:, None] + (0.5 * np.diff(edges))[:, None] * x
    weights = (0.5 * np.diff(edges))[:, None] * wt * np.exp(u)
    modes, weights = np.exp(u).ravel(), weights.ravel()
    g = np.sqrt(bath_spectral_density(modes, alpha=alpha, omega_c=omega_c) * weights / 4)
    n = modes.size + 1
    m = np.diag(np.concatenate([[omega0], modes]))
    k = np.diag(np.concatenate([[omega0 + 4 * np.sum(g**2 / modes)], modes]))
    k[0, 1:] = k[1:, 0] = 2 * g
    # G e_0 = (M K - z^2)^-1 M e_0 = omega0 (M K - z^2)^-1 e_0 (M is diagonal).
    column = np.linalg.solve(m @ k - z**2 * np.eye(n), np.eye(n)[:, 0] * omega0)
    return 2 * column[0]


def test_exact_chi_is_the_response_of_the_discretised_model():
    alpha, omega_c, omega0 = 0.8, 10.0, 1.3
    for z in [complex(0.0, 0.5), complex(1.0, 0.5), complex(3.0, 0.7)]:
        closed = 2 * omega0 / (omega0**2 - z**2 - 2 * omega0 * _pi_complex(z, alpha, omega_c))
        assert abs(_discrete_model_chi(z, alpha, omega_c, omega0) / closed - 1) < 1e-9
    # ... and the real-axis code is the boundary value of that closed form.
    for w in [0.3, 1.0, 1.7, 6.0]:
        closed = 2 * omega0 / (omega0**2 - w**2 - 2 * omega0 * _pi_complex(w + 1e-30j, alpha,
                               omega_c))  # fmt: skip
        got = susceptibility(w, alpha_L=0.3, alpha_R=0.5, omega_c=omega_c, omega0=omega0)
        assert abs(got / closed - 1) < 1e-13


def test_im_chi_is_nonnegative_for_positive_frequency_and_odd():
    w = np.logspace(-6, 4, 2001)
    for form in ChiForm:
        for a_l, a_r in [(0.4, 0.4), (0.01, 0.04), (1.5, 0.2)]:
            chi = susceptibility(w, alpha_L=a_l, alpha_R=a_r, omega_c=10.0, form=form)
            assert np.all(chi.imag >= 0)
            assert np.all(chi.imag[w < 3000] > 0)  # beyond, exp(-omega/omega_c) underflows
            minus = susceptibility(-w, alpha_L=a_l, alpha_R=a_r, omega_c=10.0, form=form)
            assert np.array_equal(minus, np.conj(chi))
        assert susceptibility(0.0, **PAPER, omega0=2.0, form=form) == 1.0  # 2/omega0


def test_paper_form_is_eq14_as_printed_up_to_the_sign_of_re_chi():
    omega0, alpha_l, alpha_r, omega_c = 1.0, 0.4, 0.4, 10.0
    w = np.linspace(0.01, 40, 500)
    j_total = 2 * (alpha_l + alpha_r) * w * np.exp(-w / omega_c)
    eq14 = (2 * omega0) / (w**2 - omega0**2 - 1j * math.pi * omega0 * j_total / 2)
    ours = susceptibility(w, alpha_L=alpha_l, alpha_R=alpha_r, omega_c=omega_c,
                          form="paper")  # fmt: skip
    assert np.allclose(ours.imag, eq14.imag, rtol=1e-13, atol=0)
    assert np.allclose(ours.real, -eq14.real, rtol=1e-13, atol=0)


def _kk_real_part(w0: float, form: ChiForm) -> float:
    """(2/pi) P Int_0^inf w Im chi(w) / (w^2 - w0^2) dw."""

    def im_chi(w):
        return susceptibility(w, **PAPER, form=form).imag

    a, b = 0.5 * w0, 1.5 * w0
    pv, _ = integrate.quad(lambda w: w * im_chi(w) / (w + w0), a, b, weight="cauchy", wvar=w0,
                           epsabs=0, epsrel=1e-12, limit=200)  # fmt: skip
    rest = 0.0
    for lo, hi in [(0, a), (b, 4 * b), (4 * b, 80.0), (80.0, np.inf)]:
        rest += integrate.quad(lambda w: w * im_chi(w) / (w * w - w0 * w0), lo, hi, epsabs=0,
                               epsrel=1e-12, limit=200)[0]  # fmt: skip
    return 2 / math.pi * (pv + rest)


def test_exact_chi_obeys_kramers_kronig_and_the_paper_form_does_not():
    for w0 in [0.4, 1.3, 5.0]:
        exact = susceptibility(w0, **PAPER).real
        assert abs(_kk_real_part(w0, ChiForm.EXACT) - exact) < 1e-8 * max(1.0, abs(exact))
        paper = susceptibility(w0, **PAPER, form="paper").real
        # violated by far more than the 1e-8 to which the exact form obeys it
        assert abs(_kk_real_part(w0, ChiForm.PAPER) - paper) > 1e-3


def _paper_moment_by_quad(alpha: float, omega_c: float) -> float:
    def f(w):
        j = 2 * alpha * w * math.exp(-w / omega_c)
        return w * (2 / (1 - w * w - 1j * math.pi * j / 2)).imag / math.pi

    edges = [0, 0.5, 1, 2, 5, 10, 50, 200, np.inf]
    return sum(
        integrate.quad(f, lo, hi, epsabs=0, epsrel=1e-12, limit=400)[0]
        for lo, hi in itertools.pairwise(edges)
    )


def test_fsum_exact_form_meets_omega0_and_paper_form_falls_short():
    deficits = []
    for alpha in [0.05, 0.2, 0.8]:
        report = harmonic_fsum_report(alpha / 2, alpha / 2, 10.0)
        exact, paper = report["exact"], report["paper"]
        assert exact.chi_form == "exact" and paper.chi_form == "paper"
        assert exact.target == 1.0 and paper.target == 1.0
        assert abs(exact.residual) < 1e-10 and exact.error < 1e-10
        assert abs(paper.moment / _paper_moment_by_quad(alpha, 10.0) - 1) < 1e-10
        assert paper.residual == paper.moment - paper.target
        assert paper.residual < -1e-2
        deficits.append(-paper.relative_residual)
    assert deficits[0] < deficits[1] < deficits[2]  # worse as alpha grows (physics notes)


def test_fsum_scales_with_omega0_and_holds_off_symmetric_couplings():
    for form in ChiForm:
        one = fsum_moment(alpha_L=0.1, alpha_R=0.6, omega_c=4.0, form=form)
        two = fsum_moment(alpha_L=0.1, alpha_R=0.6, omega_c=10.0, omega0=2.5, form=form)
        assert abs(two.moment / (2.5 * one.moment) - 1) < 1e-11  # dimensional analysis
    assert abs(fsum_moment(alpha_L=0.0, alpha_R=2.0, omega_c=50.0).relative_residual) < 1e-10


def test_refusals_name_the_argument():
    cases = [
        ({"alpha_L": -0.1}, "alpha_L"),
        ({"alpha_R": math.nan}, "alpha_R"),
        ({"alpha_L": 0.0, "alpha_R": 0.0}, r"alpha_L \+ alpha_R"),
        ({"omega_c": 0.0}, "omega_c"),
        ({"omega0": -1.0}, "omega0"),
        ({"form": "retarded"}, "chi form"),
    ]
    for change, name in cases:
        with pytest.raises(NumericInputError, match=name):
            susceptibility(1.0, **{**PAPER, **change})
    with pytest.raises(NumericInputError, match="omega"):
        susceptibility(np.array([1.0, np.inf]), **PAPER)


def test_scalar_in_scalar_out_array_in_array_out():
    assert isinstance(susceptibility(1.0, **PAPER), complex)
    assert isinstance(kramers_kronig_kernel(2.0), float)
    grid = np.ones((3, 4))
    assert susceptibility(grid, **PAPER).shape == (3, 4)
    assert self_energy(grid, alpha=0.3, omega_c=2.0).shape == (3, 4)
