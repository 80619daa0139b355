"""Im chi_zz and the exact conductance of the spin-boson junction from the HEOM.

Checked against independent results: an analytic correlation function (the
Fourier transforms), the order of the operators (C(t) against C(-t)), the
free spin and the weak-coupling (Bloch-Redfield) limit, and, at alpha = 0.2,
the QMC's <sigma_x> and static susceptibility and the bound Eq. 18. Reduced
units (hbar = k_B = 1, Delta = 1).
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from scipy import integrate

from heatbounds.numeric.errors import NumericInputError
from heatbounds.numeric.heom_propagation import equilibrium_correlation
from heatbounds.numeric.heom_spectrum import conductance_weight, spectrum_from_correlation
from heatbounds.numeric.heom_spin_boson import SIGMA_X, SIGMA_Z, spin_boson_spectrum
from heatbounds.numeric.heom_susceptibility import spin_boson_conductance
from heatbounds.numeric.spin_boson_reference import bloch_redfield_conductance

pytest.importorskip("qutip")

OMEGA_C = 10.0


@pytest.fixture(scope="module", autouse=True)
def private_cache(tmp_path_factory):
    """One bath-fit cache for this module (a fit takes seconds; never the user's ~)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HEATBOUNDS_CACHE_DIR", str(tmp_path_factory.mktemp("heom-chi-cache")))
        yield


def test_transforms_of_a_gaussian_damped_free_spin():
    # C(t) = e^{-s^2 t^2/2} (cos Dt - i tau sin Dt): both forms of Im chi and S are Gaussians.
    delta, s, temp = 1.0, 0.3, 0.7
    tau = math.tanh(delta / (2 * temp))
    h = 0.01
    t = h * np.arange(int(12 / s / h) + 1)
    c = np.exp(-0.5 * (s * t) ** 2) * (np.cos(delta * t) - 1j * tau * np.sin(delta * t))
    spec = spectrum_from_correlation(c, h, temp)
    w = spec.omega

    def g(x):
        return math.sqrt(2 * math.pi) / s * np.exp(-0.5 * (x / s) ** 2)

    full = 0.5 * ((1 + tau) * g(w - delta) + (1 - tau) * g(w + delta))
    assert np.allclose(spec.im_chi, 0.5 * -np.expm1(-w / temp) * full, atol=1e-9)
    assert np.allclose(spec.im_chi_commutator, 0.5 * tau * (g(w - delta) - g(w + delta)), atol=1e-9)
    assert spec.f_sum_commutator == pytest.approx(delta * tau, rel=1e-9)  # Eq. 7
    exact_static = integrate.quad(
        lambda x: 2 / math.pi * 0.5 * tau * (g(x - delta) - g(x + delta)) / x, 1e-12, 20
    )[0]
    assert spec.static_commutator == pytest.approx(exact_static, rel=1e-7)
    assert spec.im_chi_min > -1e-12 and spec.tail_error == 0.0


def test_conductance_weight_is_eq5_and_overflow_free():
    w, temp = np.array([0.3, 2.0]), 0.5
    dn_dt = (w / (4 * temp**2)) / np.sinh(w / (2 * temp)) ** 2
    expect = w * (w * np.exp(-w / OMEGA_C)) * dn_dt  # omega Jtilde dn/dT of Eq. 5
    assert np.allclose(conductance_weight(w, temp, OMEGA_C), expect, rtol=1e-12)
    assert conductance_weight(np.array([5e3]), temp, OMEGA_C)[0] == 0.0


def _state(temperature=1.0, alpha=0.2, depth=2, n_terms=5):
    from heatbounds.numeric.heom_environment import fit_bath
    from heatbounds.numeric.heom_spin_boson import fit_window
    from heatbounds.numeric.heom_steady import HeomSettings, heom_steady_state
    from heatbounds.symbolic.models import builtin_model

    model = builtin_model("spin-boson")
    values = {"Delta": 1.0, "alpha_L": alpha / 2, "alpha_R": alpha / 2, "omega_c": OMEGA_C}
    values["hbar"] = 1.0
    window = fit_window(temperature, OMEGA_C)
    fit = fit_bath(
        model.dissipation, values, temperature=temperature, n_terms=n_terms, t_max=window
    )
    settings = HeomSettings(depth=depth, n_terms=n_terms)
    return heom_steady_state(
        model, values, t_left=temperature, t_right=temperature, settings=settings, fits={"LR": fit}
    )


def test_sigma_z_from_the_left_gives_c_of_t_and_from_the_right_its_conjugate():
    state = _state()
    sx = state.expect(SIGMA_X).real
    left = equilibrium_correlation(state, SIGMA_Z, SIGMA_Z, tail_tolerance=1e-4)
    right = equilibrium_correlation(state, SIGMA_Z, SIGMA_Z, right=True, tail_tolerance=1e-4)
    # d/dt <sigma_z(t) sigma_z> at 0 = <i[H, sigma_z] sigma_z> = i Delta <sigma_x> (H_s of Eq. 16)
    h, im = left.step, left.values.imag  # (C(t) - C(-t)) / 2t = i Im C(t) / t, Richardson in t^2
    slope = (4 * im[1] / h - im[2] / (2 * h)) / 3
    assert slope == pytest.approx(sx, rel=1e-4) and sx < 0
    assert np.allclose(right.values, np.conj(left.values), atol=1e-12)
    assert left.values[0] == pytest.approx(1.0, abs=1e-12)
    assert left.dimension == state.info["ados"] * 2  # the parity sector: half of the 4 per ADO


def test_weak_coupling_approaches_bloch_redfield_and_the_free_spin():
    # Im chi -> pi tanh(1/2T) delta(omega - Delta): kappa -> the Bloch-Redfield kappa with its
    # finite-cutoff factor e^{-Delta/omega_c}, linearly in alpha (kappa/kappa_BR ~ 1 - 3 alpha).
    temp = 1.0
    deviation = {}
    for alpha in (0.01, 0.02):
        point = spin_boson_spectrum(temp, alpha=alpha, omega_c=OMEGA_C, depth=2, n_terms=5)
        spec = point.spectrum
        kappa = spec.conductance(alpha=alpha, gamma=1.0, omega_c=OMEGA_C)
        br = bloch_redfield_conductance(temp, alpha=alpha, omega_c=OMEGA_C)
        deviation[alpha] = 1 - kappa / br
        assert 0 < deviation[alpha] < 4 * alpha
        assert abs(spec.omega[np.argmax(spec.im_chi)] - 1.0) < 2 * alpha  # the peak at Delta
        assert spec.f_sum_commutator == pytest.approx(-point.sigma_x, rel=1e-5)
        assert spec.f_sum == pytest.approx(-point.sigma_x, rel=5e-3)  # within detailed balance
        assert -point.sigma_x == pytest.approx(math.tanh(0.5 / temp), rel=3 * alpha)
    assert deviation[0.01] / deviation[0.02] == pytest.approx(0.5, abs=0.05)


@pytest.mark.slow
def test_three_checks_and_the_bound_at_alpha_02():
    r = spin_boson_conductance(1.0, alpha=0.2, omega_c=OMEGA_C, tolerance=0.01, qmc_seed=3)
    assert r.converged and r.note == ""
    assert 0 < r.kappa_error <= 0.01 * r.kappa
    assert set(r.changes) == {"depth", "exponents", "time_grid", "window"}
    assert r.kappa == pytest.approx(0.0321, rel=0.01)
    # f-sum (Eq. 7, 16): HEOM <sigma_x> to detailed balance (~1e-3), QMC within its error bar
    assert r.f_sum == pytest.approx(-r.sigma_x, rel=3e-3)
    assert abs(r.f_sum + r.sigma_x_qmc) < 4 * r.sigma_x_qmc_stderr + 3e-3 * r.f_sum
    # Im chi(omega > 0) >= 0 within the change of the spectrum under refinement
    assert r.im_chi_min >= -r.spectrum_error and r.spectrum_error < 0.01 * r.im_chi_max
    # static susceptibility against the QMC's Int_0^beta <sigma_z(tau) sigma_z> d tau
    err = 4 * r.static_susceptibility_qmc_stderr + 3e-3 * r.static_susceptibility
    assert abs(r.static_susceptibility - r.static_susceptibility_qmc) < err
    # Eq. 18 with the QMC <sigma_x>, and detailed balance of the fitted bath
    assert r.kappa + r.kappa_error <= r.bound - 4 * r.bound_error
    assert r.kappa_commutator == pytest.approx(r.kappa, rel=0.01)
    assert r.settings["ados"] == r.history[-1]["ados"] and r.history[0]["depth"] == 3
    json.dumps(r.to_dict(), allow_nan=False)


def test_refinement_stops_at_max_ados_unconverged():
    r = spin_boson_conductance(1.0, alpha=0.2, omega_c=OMEGA_C, qmc=False, max_ados=300)
    assert not r.converged and "max_ados" in r.note
    assert r.settings["depth"] == 3 and "depth" not in r.changes
    assert r.sigma_x_qmc is None and r.bound == pytest.approx(-math.pi * 0.05 * r.sigma_x)
    assert math.isfinite(r.kappa) and r.kappa_error == max(r.changes.values())


def test_alpha_zero_is_the_free_spin_and_arrays_give_tuples():
    r = spin_boson_conductance([0.5, 2.0], alpha=0.0, omega_c=OMEGA_C, qmc_seed=4)
    assert r.kappa == (0.0, 0.0) and r.alpha == 0.0 and r.converged == (True, True)
    for t, sx, f, chi, qmc, err in zip(
        r.temperature,
        r.sigma_x,
        r.f_sum,
        r.static_susceptibility,
        r.static_susceptibility_qmc,
        r.static_susceptibility_qmc_stderr,
        strict=True,
    ):
        assert sx == -math.tanh(0.5 / t) and f == -sx
        assert abs(chi - qmc) < 4 * err
    json.dumps(r.to_dict(), allow_nan=False)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"alpha": 1.0}, "localised"),
        ({"alpha": -0.1}, "alpha must be >= 0"),
        ({"temperature": 0.0}, "temperature"),
        ({"temperature": [1.0, -1.0]}, "temperature"),
        ({"omega_c": 0.0}, "omega_c"),
        ({"omega_c": math.inf}, "omega_c"),
        ({"gamma": 1.5}, "gamma"),
        ({"delta": -1.0}, "delta"),
        ({"tolerance": 0.0}, "tolerance"),
    ],
)
def test_input_errors_name_the_argument(kwargs, match):
    args = {"temperature": 1.0, "alpha": 0.2, "omega_c": OMEGA_C, "qmc": False} | kwargs
    with pytest.raises(NumericInputError, match=match):
        spin_boson_conductance(args.pop("temperature"), **args)


def test_a_hierarchy_too_big_for_memory_is_refused_naming_the_gib():
    with pytest.raises(NumericInputError, match=r"needs about \d+\.\d GiB"):
        spin_boson_spectrum(1.0, alpha=0.2, omega_c=OMEGA_C, depth=8, n_terms=8, memory_limit=2**30)
