"""Exact transport by the HEOM: conventions, steady states and currents, each checked
against an independent result (our own quadrature, exact limits, the exact harmonic
junction, Eq. 5 at weak coupling, the QMC)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate

from heatbounds.numeric import heom_environment
from heatbounds.numeric.errors import NumericInputError
from heatbounds.numeric.harmonic_transport import heat_current
from heatbounds.numeric.heom_environment import (
    bath_correlation,
    fit_bath,
    hurwitz_zeta,
    qutip_environment,
)
from heatbounds.numeric.heom_steady import HeomSettings, ado_count, heom_steady_state
from heatbounds.numeric.heom_transport import exact_transport
from heatbounds.symbolic.dissipation import Lorentzian, Ohmic, PowerLaw
from heatbounds.symbolic.errors import BoundConditionError
from heatbounds.symbolic.models import builtin_model

pytest.importorskip("qutip")

SIGMA_X = np.array([[0.0, 1.0], [1.0, 0.0]])
SIGMA_Z = np.diag([1.0, -1.0])


def spin_boson_values(alpha_l, alpha_r, delta=1.0, omega_c=10.0):
    return {"Delta": delta, "alpha_L": alpha_l, "alpha_R": alpha_r, "omega_c": omega_c, "hbar": 1.0}


@pytest.fixture(scope="module", autouse=True)
def private_cache(tmp_path_factory):
    """One fit cache for this module's tests (fits take seconds; never the user's ~)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HEATBOUNDS_CACHE_DIR", str(tmp_path_factory.mktemp("heom-cache")))
        yield


def our_correlation(t: float, jtilde, alpha: float, temperature: float) -> complex:
    """C(t) = (1/4) Int_0^inf J(w) [coth(w/2T) cos wt - i sin wt] dw, J = 2 alpha Jtilde."""

    def j(w):
        return 2 * alpha * jtilde(w)

    real = integrate.quad(lambda w: j(w) / np.tanh(w / (2 * temperature)) * np.cos(w * t) / 4,
                          0, np.inf, limit=500)[0]  # fmt: skip
    imag = integrate.quad(lambda w: -j(w) * np.sin(w * t) / 4, 0, 400, limit=2000)[0]
    return real + 1j * imag


@pytest.mark.parametrize(
    ("shape", "jtilde"),
    [
        (Ohmic(), lambda w: w * np.exp(-w / 10)),
        (PowerLaw(3), lambda w: w**3 * np.exp(-w / 10) / 100),
    ],
)
def test_qutip_bath_has_our_correlation_function(shape, jtilde):
    """The factor pi/4 between QuTiP's spectral density and our J_nu = 2 alpha Jtilde,
    checked on C(t) itself (Eq. 4), not assumed."""
    times = np.array([0.0, 0.05, 0.4, 1.5, 4.0])
    theirs = bath_correlation(times, shape, {"omega_c": 10.0}, alpha=0.3, temperature=0.7)
    ours = np.array([our_correlation(t, jtilde, 0.3, 0.7) for t in times])
    assert np.allclose(theirs, ours, rtol=1e-7, atol=1e-7 * abs(ours[0]))
    env = qutip_environment(shape, {"omega_c": 10.0}, alpha=0.3, temperature=0.7)
    w = np.array([0.5, 3.0, 20.0])
    assert np.allclose(env.spectral_density(w), np.pi / 4 * 2 * 0.3 * jtilde(w), rtol=1e-12)


@pytest.mark.parametrize("order", [2, 4])
def test_hurwitz_zeta_is_mpmath_s(order):
    import mpmath

    z = np.array([1 + 0.3j, 1.01 + 5j, 3 + 40j, 1 + 1e-3j, 1.1 + 2000j])
    ours = hurwitz_zeta(order, z)
    theirs = np.array([complex(mpmath.zeta(order, complex(x))) for x in z])
    assert np.allclose(ours, theirs, rtol=1e-14, atol=0)


@pytest.mark.parametrize("shape", [Ohmic(), PowerLaw(3)])
@pytest.mark.parametrize("temperature", [2.0, 0.1])
def test_our_closed_form_correlation_is_qutips(shape, temperature):
    times = np.linspace(0, 60, 7)
    ours = bath_correlation(times, shape, {"omega_c": 10.0}, alpha=0.3, temperature=temperature)
    env = qutip_environment(shape, {"omega_c": 10.0}, alpha=0.3, temperature=temperature)
    theirs = env.correlation_function(times)  # mpmath's Hurwitz zeta inside QuTiP
    assert np.allclose(ours, theirs, rtol=1e-13, atol=1e-13 * abs(theirs[0]))


def test_fit_records_its_error_and_scales_with_the_coupling():
    fit = fit_bath(Ohmic(), {"omega_c": 10.0}, temperature=1.0, n_terms=6)
    assert fit.n_exponents == 12 and 0 < fit.fit_error < 5e-3
    # the grid the fit error is measured on
    times = np.linspace(0, fit.t_max, heom_environment.fit_samples(10.0, fit.t_max))
    exact = bath_correlation(times, Ohmic(), {"omega_c": 10.0}, alpha=0.2, temperature=1.0)
    fitted = fit.environment(0.2).correlation_function(times)
    assert np.max(np.abs(fitted - exact)) / abs(exact[0]) == pytest.approx(fit.fit_error, rel=1e-6)


def test_fits_are_cached_by_their_parameters(monkeypatch, tmp_path):
    monkeypatch.setenv("HEATBOUNDS_CACHE_DIR", str(tmp_path))
    first = fit_bath(Ohmic(), {"omega_c": 10.0}, temperature=2.0, n_terms=3)

    def refuse(*args, **kwargs):
        raise AssertionError("the cached fit was not used")

    monkeypatch.setattr(heom_environment, "bath_correlation", refuse)
    assert fit_bath(Ohmic(), {"omega_c": 10.0}, temperature=2.0, n_terms=3) == first
    with pytest.raises(AssertionError, match="cached"):
        fit_bath(Ohmic(), {"omega_c": 10.0}, temperature=2.0, n_terms=4)


def test_lorentzian_bath_is_refused_naming_its_missing_cutoff():
    with pytest.raises(NumericInputError, match="no high-frequency cutoff"):
        fit_bath(Lorentzian(), {"omega_c": 10.0}, temperature=1.0)


def test_static_spin_interaction_energy_is_exact():
    """Delta -> 0: the baths are displaced by sigma_z, <sigma_z X_nu> = -2 sum_k g^2/omega_k
    = -alpha_nu omega_c exactly (ohmic), which fixes sign and normalisation of the
    first-tier ADOs."""
    junction = builtin_model("spin-boson")
    state = heom_steady_state(
        junction,
        spin_boson_values(0.1, 0.05, delta=0.02),
        t_left=1.0,
        t_right=1.0,
        settings=HeomSettings(depth=3, n_terms=5),
    )
    assert state.info["baths"] == 1  # T_L = T_R: one merged bath
    assert state.side_correlation(SIGMA_Z, "L", 0) == pytest.approx(-1.0, abs=2e-4)
    assert state.side_correlation(SIGMA_Z, "R", 0) == pytest.approx(-0.5, abs=1e-4)
    assert state.heat_current("R") == 0.0


def test_bath_and_system_heat_currents_agree_and_energy_is_conserved():
    """Kato-Tanimura: d<H_B>/dt from the ADO exponents equals i<[H_s, Q] X> from the
    first-tier ADOs, and what the left bath loses the right one gains."""
    junction = builtin_model("spin-boson")
    state = heom_steady_state(
        junction,
        spin_boson_values(0.1, 0.1),
        t_left=1.5,
        t_right=0.5,
        settings=HeomSettings(depth=3, n_terms=4),
    )
    h = state.hamiltonian
    for bath in state.baths:
        q = bath.operator
        system_current = state.bath_correlation(1j * (h @ q - q @ h), bath)
        assert system_current.real == pytest.approx(state.heat_current(bath.side), rel=1e-8)
    assert state.heat_current("R") > 0
    assert state.heat_current("L") == pytest.approx(-state.heat_current("R"), rel=1e-8)


def weak_coupling_current(alpha_each, t_left, t_right, omega_c=10.0):
    """Eq. 5 with the free spin's Im chi(omega > 0) = -pi <sigma_x> delta(omega - Delta),
    <sigma_x> = -1/(1 + 2 nbar) (Delta = 1, gamma = 1)."""
    n_l, n_r = (1 / math.expm1(1 / t) for t in (t_left, t_right))
    sigma_x = -1 / (1 + n_l + n_r)
    return 2 * alpha_each / 4 * (-math.pi * sigma_x) * math.exp(-1 / omega_c) * (n_l - n_r)


def test_weak_coupling_limit_is_eq_5_with_the_free_spin():
    junction = builtin_model("spin-boson")
    ratios = []
    for alpha_each in (0.001, 0.002):
        state = heom_steady_state(
            junction,
            spin_boson_values(alpha_each, alpha_each),
            t_left=1.0,
            t_right=0.5,
            settings=HeomSettings(depth=2, n_terms=6),
        )
        ratios.append(state.heat_current("R") / weak_coupling_current(alpha_each, 1.0, 0.5))
    assert abs(ratios[0] - 1) < 0.02  # the correction is O(alpha ln(omega_c / Delta))
    assert 2 * ratios[0] - ratios[1] == pytest.approx(1.0, abs=3e-3)  # alpha -> 0


def test_harmonic_current_is_the_exact_landauer_current():
    """The truncated oscillator with its counterterm against numeric/harmonic_transport.py."""
    alpha_each = 0.02
    values = {"omega0": 1.0, "alpha_L": alpha_each, "alpha_R": alpha_each, "omega_c": 10.0,
              "hbar": 1.0}  # fmt: skip
    state = heom_steady_state(
        builtin_model("harmonic"),
        values,
        t_left=1.0,
        t_right=0.5,
        settings=HeomSettings(depth=2, n_terms=6, boson_levels=10),
    )
    exact = heat_current(1.0, 0.5, alpha_L=alpha_each, alpha_R=alpha_each, omega_c=10.0)
    assert state.heat_current("R") == pytest.approx(exact, rel=3e-3)


@pytest.mark.slow
def test_spin_boson_sigma_x_agrees_with_the_qmc():
    from heatbounds.numeric.spin_boson_qmc import sigma_x

    qmc = sigma_x(1.0, alpha=0.2, omega_c=10.0, tolerance=3e-3, seed=11)
    state = heom_steady_state(
        builtin_model("spin-boson"),
        spin_boson_values(0.1, 0.1),
        t_left=1.0,
        t_right=1.0,
        settings=HeomSettings(depth=4, n_terms=6),
    )
    heom = state.expect(SIGMA_X).real
    assert abs(heom - qmc.sigma_x) < 3 * qmc.stderr + 2e-3  # HEOM truncation: ~1e-3


def test_transport_refines_until_converged_and_the_bounds_hold():
    progress = []
    result = exact_transport(
        builtin_model("spin-boson"),
        spin_boson_values(0.1, 0.1),
        t_left=1.5,
        t_right=0.5,
        tolerance=2e-2,
        start=HeomSettings(depth=2, n_terms=4),
        progress=progress.append,
    )
    assert result.converged and len(progress) >= 3  # a start and its refinements
    assert 0 < result.current <= result.current_bound <= result.ballistic_bound
    assert result.current_error < 2e-2 * result.current_bound
    assert result.ballistic_bound == pytest.approx(math.pi / 12 * (1.5**2 - 0.5**2))
    expected = math.pi * 0.2 / 4 * (1.5 - 0.5) * -result.expectations["sigma_x"]  # Eq. 17
    assert result.current_bound == pytest.approx(expected, rel=1e-12)
    assert set(result.as_json()) >= {"current", "current_error", "current_bound", "heom"}


def test_bound_for_reversed_temperatures_is_the_same_size():
    values = spin_boson_values(0.1, 0.1)
    start = HeomSettings(depth=2, n_terms=4)
    forward = exact_transport(builtin_model("spin-boson"), values, t_left=1.5, t_right=0.5,
                              start=start, tolerance=0.05)  # fmt: skip
    backward = exact_transport(builtin_model("spin-boson"), values, t_left=0.5, t_right=1.5,
                               start=start, tolerance=0.05)  # fmt: skip
    assert backward.current == pytest.approx(-forward.current, rel=1e-6)
    assert backward.current_bound == pytest.approx(forward.current_bound, rel=1e-6)


def test_bad_input_is_refused_before_any_solver_starts():
    junction = builtin_model("spin-boson")
    with pytest.raises(NumericInputError, match="T_L must be finite and > 0"):
        heom_steady_state(junction, spin_boson_values(0.1, 0.1), t_left=0.0, t_right=1.0)
    with pytest.raises(NumericInputError, match="alpha_L, alpha_R must be >= 0"):
        heom_steady_state(junction, spin_boson_values(-0.1, 0.1), t_left=1.0, t_right=1.0)
    with pytest.raises(NumericInputError, match=r"needs about .* GiB .* more than the"):
        heom_steady_state(junction, spin_boson_values(0.1, 0.1), t_left=1.0, t_right=0.5,
                          settings=HeomSettings(depth=12, n_terms=8))  # fmt: skip
    lopsided = builtin_model("spin-boson")
    # past Junction's own proportionality check, so that this layer's is tested
    object.__setattr__(lopsided, "dissipation", (Ohmic(), PowerLaw(3)))
    with pytest.raises(BoundConditionError, match="not proportional"):
        heom_steady_state(lopsided, spin_boson_values(0.1, 0.1), t_left=1.0, t_right=1.0)
    with pytest.raises(NumericInputError, match="alpha = alpha_L \\+ alpha_R must be < 1, got 1"):
        heom_steady_state(junction, spin_boson_values(0.5, 0.5), t_left=1.0, t_right=1.0)


def test_transport_refuses_bad_input_before_it_emits_or_solves(monkeypatch):
    import heatbounds.numeric.heom_transport as transport

    def no_work(*args, **kwargs):
        raise AssertionError("work started before the input was checked")

    monkeypatch.setattr(transport, "_EmittedBound", no_work)
    monkeypatch.setattr(transport, "heom_steady_state", no_work)
    junction = builtin_model("spin-boson")
    cases = [
        (spin_boson_values(0.6, 0.5), 1.0, 0.5, "must be < 1, got 1.1"),
        (spin_boson_values(0.1, 0.1), -1.0, 0.5, "T_L must be finite and > 0"),
        (spin_boson_values(0.1, 0.1), 1.0, math.nan, "T_R must be finite and > 0"),
    ]
    for values, t_left, t_right, message in cases:
        with pytest.raises(NumericInputError, match=message):
            transport.exact_transport(junction, values, t_left=t_left, t_right=t_right)
    lopsided = builtin_model("spin-boson")
    # past Junction's own proportionality check, so that this layer's is tested
    object.__setattr__(lopsided, "dissipation", (Ohmic(), PowerLaw(3)))
    with pytest.raises(BoundConditionError, match="not proportional"):
        transport.exact_transport(lopsided, spin_boson_values(0.1, 0.1), t_left=1.0, t_right=0.5)


def test_ado_count_is_the_binomial_of_the_hierarchy():
    assert ado_count(12, 4) == 1820 and ado_count(24, 4) == 20475
