"""Public QMC API: Toulouse point, error-bar calibration, statistics, validation."""

from __future__ import annotations

import itertools
import json
import math
import time
from types import SimpleNamespace

import numpy as np
import pytest
from scipy import special

from heatbounds.numeric import qmc_schedule, spin_boson_qmc
from heatbounds.numeric.errors import NumericInputError
from heatbounds.numeric.kink_interaction import OhmicBath
from heatbounds.numeric.spin_boson_qmc import (
    KinkQMCSolver,
    SigmaXResult,
    autocorrelation_analysis,
    binning_stderr,
    sigma_x,
    static_susceptibility,
)
from heatbounds.numeric.spin_boson_reference import (
    kondo_temperature,
    sigma_x_toulouse,
    sigma_x_two_kink,
    toulouse_width,
)

OMEGA_C = 50.0  # the Toulouse solution holds in the scaling limit Delta, T << omega_c


@pytest.mark.slow
@pytest.mark.parametrize("temperature", [0.05, 0.2, 1.0])
def test_toulouse_point_against_exact_solution(temperature):
    exact = sigma_x_toulouse(temperature, omega_c=OMEGA_C)
    r = sigma_x(temperature, alpha=0.5, omega_c=OMEGA_C, tolerance=5e-4, seed=505)
    assert r.converged
    assert abs(r.sigma_x - exact) < 4 * r.stderr


@pytest.mark.slow
def test_toulouse_test_resolves_the_level_width():
    # At T = 0.02 Delta the psi term (beyond two kinks) is 0.010 and the alternative
    # with half width Gamma instead of Gamma/2 differs by 0.007: both are many error
    # bars, so the test checks the width, not just the two-kink part. (Scaling-limit
    # corrections at omega_c = 50 are ~7e-4 here, hence the main test uses T >= 0.05.)
    t = 0.02
    exact = sigma_x_toulouse(t, omega_c=OMEGA_C)
    r = sigma_x(t, alpha=0.5, omega_c=OMEGA_C, tolerance=5e-4, seed=505)
    two_kink = sigma_x_two_kink(t, bath=OhmicBath(0.5, OMEGA_C))
    gam = toulouse_width(omega_c=OMEGA_C)
    wrong = two_kink + (special.digamma(0.5 + gam / (2 * math.pi * t)) - special.digamma(0.5)) / (
        OMEGA_C
    )
    assert abs(r.sigma_x - exact) < 4 * r.stderr
    assert abs(r.sigma_x - two_kink) > 15 * r.stderr
    assert abs(r.sigma_x - wrong) > 8 * r.stderr
    # T_K at alpha = 1/2 is this Gamma (the limit Gamma(1-2a) cos(pi a) -> pi/2).
    assert kondo_temperature(0.5, omega_c=OMEGA_C) == pytest.approx(gam, rel=1e-14)


@pytest.mark.slow
def test_error_bars_are_calibrated():
    # 16 independent runs at alpha = 0: mean of z^2 must be chi^2_16/16-distributed;
    # [0.25, 2.46] is its 0.1%-99.9% range. A factor-2 error in stderr fails it.
    exact = -math.tanh(0.5)
    z = []
    for seed in range(16):
        r = sigma_x(1.0, alpha=0.0, omega_c=10.0, tolerance=5e-3, seed=1000 + seed)
        z.append((r.sigma_x - exact) / r.stderr)
    mean_z2 = float(np.mean(np.square(z)))
    assert 0.25 < mean_z2 < 2.46


def test_autocorrelation_analysis_on_ar1_process():
    # AR(1) x_t = phi x_{t-1} + e_t: tau_int = (1 + phi)/(1 - phi) exactly.
    phi, n, k = 0.8, 200_000, 4
    rng = np.random.default_rng(3)
    noise = rng.normal(size=(k, n))
    x = np.empty_like(noise)
    x[:, 0] = noise[:, 0] / math.sqrt(1 - phi**2)
    for t in range(1, n):
        x[:, t] = phi * x[:, t - 1] + noise[:, t]
    mean, err, tau = autocorrelation_analysis(x)
    assert tau == pytest.approx((1 + phi) / (1 - phi), rel=0.08)
    exact_err = math.sqrt(tau / (1 - phi**2) / (k * n))
    assert err == pytest.approx(exact_err, rel=0.05)
    plateau = binning_stderr(x)[8:11]  # bins of 256-1024 >> tau
    assert np.all(np.abs(plateau / err - 1.0) < 0.15)
    assert abs(mean) < 5 * err


def test_constant_series_has_no_error_bar():
    _, err, tau = autocorrelation_analysis(np.zeros((2, 100)))
    assert math.isinf(err) and math.isinf(tau)


def test_scalar_in_scalar_out_and_arrays():
    r = sigma_x(3.0, alpha=0.1, omega_c=10.0, tolerance=2e-2, seed=1)
    assert isinstance(r.sigma_x, float) and isinstance(r.converged, bool)
    assert r.sigma_x == pytest.approx(-2 * r.n_kinks * 3.0, rel=1e-14)
    rs = sigma_x([3.0, 5.0], alpha=0.1, omega_c=10.0, tolerance=2e-2, seed=1)
    assert rs.sigma_x.shape == (2,) and rs.sigma_x[0] == r.sigma_x
    d = rs.to_dict()
    assert d["temperature"] == [3.0, 5.0] and d["seed"] == 1 and d["burned_in"] == [True, True]
    assert isinstance(SigmaXResult.stack([r, r]).stderr, np.ndarray)
    assert SigmaXResult.stack([r, r]).burned_in.tolist() == [True, True]


def test_time_limit_stops_unconverged():
    r = sigma_x(1.0, alpha=0.2, omega_c=10.0, tolerance=1e-6, time_limit=0.3, seed=2)
    assert not r.converged and r.stderr > 1e-6 and math.isfinite(r.sigma_x)


def test_progress_callback_sees_every_chunk():
    seen = []
    sigma_x([1.0, 2.0], alpha=0.2, omega_c=10.0, tolerance=1e-2, seed=3, progress=seen.append)
    assert {p.index for p in seen} == {0, 1}
    assert all(0.0 <= p.fraction <= 1.0 for p in seen)
    starts = [p for p in seen if p.phase == "setup"]
    assert [p.index for p in starts] == [0, 1] and all(math.isinf(p.stderr) for p in starts)
    assert seen[-1].phase == "measuring" and seen[-1].stderr <= 1e-2


def test_time_limit_holds_at_very_low_temperature():
    # beta = 1000: ~400 kinks a chain, O(n) a move, a burn-in of minutes. The
    # limit holds anyway, progress comes at once and keeps coming, and the point
    # has no estimate rather than one from a chain still drifting from 0 kinks.
    sigma_x(2.0, alpha=0.2, omega_c=10.0, tolerance=5e-2, seed=1)  # numba compile / cache load
    seen = []
    start = time.perf_counter()
    r = sigma_x(1e-3, alpha=0.2, omega_c=10.0, time_limit=2.0, seed=1, progress=seen.append)
    wall = time.perf_counter() - start
    assert 2.0 <= r.seconds <= wall < 2.0 + 3.0
    assert not r.converged and not r.burned_in and r.sweeps == 0
    assert math.isnan(r.sigma_x) and math.isnan(r.n_kinks) and math.isinf(r.stderr)
    assert seen[0].phase == "setup" and seen[0].elapsed < 1.0
    assert {p.phase for p in seen[1:]} == {"burn-in"} and len(seen) >= 3
    assert np.diff([0.0, *(p.elapsed for p in seen), wall]).max() < 1.5


def test_time_out_while_measuring_keeps_the_partial_chunk(monkeypatch):
    # A fake clock (1 ms a reading) and fixed pieces of 64 moves make the cut
    # deterministic: the burn-in ends at ~2.4 fake s and the first chunk
    # (1024 sweeps of 18 moves a chain) would end at ~3.2 s, so a 3 s limit stops
    # the run inside it. The sweeps measured so far give the estimate.
    clock = itertools.count()
    fake = SimpleNamespace(perf_counter=lambda: 1e-3 * next(clock))
    monkeypatch.setattr(qmc_schedule, "time", fake)
    monkeypatch.setattr(spin_boson_qmc, "time", fake)
    for name in ("MAX_FIRST_MOVES", "MIN_PIECE_MOVES"):
        monkeypatch.setattr(qmc_schedule, name, 64)
    monkeypatch.setattr(qmc_schedule, "GROWTH", 1.0)
    kwargs = {"alpha": 0.2, "omega_c": 10.0, "tolerance": 1e-6, "seed": 6, "n_threads": 1}
    r = sigma_x(2.0, time_limit=3.0, **kwargs)
    assert r.burned_in and not r.converged
    assert 0 < r.sweeps < 1024 * 4 and r.sweeps % 4 == 0
    assert math.isfinite(r.sigma_x) and 0.0 < r.stderr < 0.05
    assert sigma_x(2.0, time_limit=3.0, **kwargs).sigma_x == r.sigma_x
    monkeypatch.undo()
    ref = sigma_x(2.0, alpha=0.2, omega_c=10.0, tolerance=5e-3, seed=7)
    assert abs(r.sigma_x - ref.sigma_x) < 4 * math.hypot(r.stderr, ref.stderr)


def test_piece_sizes_do_not_change_seeded_results(monkeypatch):
    # The clock only decides how the sweeps are cut into numba calls; a run that
    # ends by its tolerance gives the same numbers with pieces of 5 moves
    # (sweeps of 18, so mostly cut mid-sweep) as with the default timed pieces.
    kwargs = {"alpha": 0.2, "omega_c": 10.0, "tolerance": 2e-2, "seed": 4, "n_threads": 1}
    timed = sigma_x([0.5, 2.0], **kwargs)
    for name in ("MAX_FIRST_MOVES", "MIN_PIECE_MOVES"):
        monkeypatch.setattr(qmc_schedule, name, 5)
    monkeypatch.setattr(qmc_schedule, "GROWTH", 1.0)
    tiny = sigma_x([0.5, 2.0], **kwargs)
    assert timed.converged.all() and tiny.converged.all()
    for key in ("sigma_x", "stderr", "sweeps", "tau_int"):
        assert np.array_equal(getattr(tiny, key), getattr(timed, key)), key


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"alpha": -0.1}, "alpha must be >= 0"),
        ({"alpha": 1.0}, "localised"),
        ({"alpha": 1.5}, "localised"),
        ({"alpha": float("nan")}, "alpha must be finite"),
        ({"omega_c": 0.0}, "omega_c"),
        ({"omega_c": float("inf")}, "omega_c"),
        ({"delta": -1.0}, "delta"),
        ({"tolerance": 0.0}, "tolerance"),
        ({"seed": -3}, "seed"),
        ({"temperature": 0.0}, "temperature"),
        ({"temperature": [1.0, -2.0]}, "temperature"),
        ({"temperature": float("nan")}, "temperature"),
    ],
)
def test_input_errors_name_the_argument(kwargs, match):
    args = {"temperature": 1.0, "alpha": 0.2, "omega_c": 10.0, "tolerance": 0.1} | kwargs
    temperature = args.pop("temperature")
    with pytest.raises(NumericInputError, match=match):
        sigma_x(temperature, **args)


def test_solver_refuses_localised_ohmic_bath():
    with pytest.raises(NumericInputError, match="localised"):
        KinkQMCSolver(OhmicBath(1.2, 10.0))


@pytest.mark.parametrize("temperature", [0.5, 2.0])
def test_static_susceptibility_of_the_free_spin(temperature):
    # H = (Delta/2) sigma_x: Int_0^beta <sigma_z(tau) sigma_z> d tau = (2/Delta) tanh(beta Delta/2)
    r = static_susceptibility(temperature, alpha=0.0, omega_c=10.0, tolerance=2e-3, seed=101)
    exact = 2.0 * math.tanh(0.5 / temperature)
    assert r.qmc.converged
    assert abs(r.static_susceptibility - exact) < 4 * r.stderr
    assert 0 < r.stderr < 2e-3 * exact
    # the same run as sigma_x: recording M^2 leaves <sigma_x> bit-identical
    plain = sigma_x(temperature, alpha=0.0, omega_c=10.0, tolerance=2e-3, seed=101)
    assert r.qmc.sigma_x == plain.sigma_x and r.qmc.sweeps == plain.sweeps


def test_static_susceptibility_tolerance_and_arrays():
    kwargs = {"alpha": 0.2, "omega_c": 10.0, "tolerance": 0.05, "seed": 8}
    r = static_susceptibility([1.0, 2.0], chi_tolerance=2e-3, **kwargs)
    assert r.static_susceptibility.shape == (2,) and r.qmc.converged.all()
    assert np.all(r.stderr <= 2e-3) and np.all(r.qmc.stderr <= 0.05)
    # the bath raises it above the free spin's 2 tanh(beta/2) (renormalised tunnelling)
    free = 2.0 * np.tanh(0.5 / r.temperature)
    assert np.all(r.static_susceptibility - free > 4 * r.stderr)
    d = r.to_dict()
    assert d["temperature"] == [1.0, 2.0] and d["qmc"]["seed"] == 8
    json.dumps(d, allow_nan=False)
