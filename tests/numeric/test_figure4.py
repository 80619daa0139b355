"""Figure 4 data: assembled from the references and the QMC, cached by parameters."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from heatbounds.numeric import figure4
from heatbounds.numeric.errors import NumericInputError
from heatbounds.numeric.figure4 import figure4_data

SMALL = {"t_min": 0.1, "t_max": 1.0, "n_temperatures": 3, "tolerance": 4e-3, "seed": 11}


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("figure4-cache")


@pytest.fixture(scope="module")
def data(cache):
    return figure4_data(**SMALL, cache_dir=cache)


def test_columns_follow_their_formulas(data):
    t = data.temperature
    assert np.allclose(t, [0.1, math.sqrt(0.1), 1.0])
    a = 0.2  # alpha = 0.2, gamma = 1, Delta = 1, omega_c = 10 (the paper's Figure 4)
    assert np.allclose(data.bound_qmc, math.pi * a / 4 * -data.sigma_x_qmc, rtol=1e-14)
    assert np.allclose(data.bound_qmc_stderr, math.pi * a / 4 * data.sigma_x_qmc_stderr)
    assert np.allclose(data.bound_weak_coupling, math.pi * a / 4 * np.tanh(0.5 / t))
    assert np.allclose(data.kappa_quantum, math.pi * t / 6)
    br = math.pi / 8 * a / t**2 / np.sinh(1 / t)
    assert np.allclose(data.kappa_bloch_redfield, br, rtol=1e-12)
    assert np.allclose(data.kappa_bloch_redfield_finite_cutoff, br * math.exp(-0.1), rtol=1e-12)
    assert data.kondo_temperature == pytest.approx(0.6318, abs=1e-4)
    lo, hi = data.bound_qmc_band
    assert np.allclose(hi - lo, 4 * data.bound_qmc_stderr)
    assert np.all(data.qmc_converged) and np.all(data.sigma_x_qmc_stderr <= 4e-3)


def test_bloch_redfield_exceeds_the_exact_bound_near_t_kondo(data):
    # The paper's central observation: at T = Delta (~1.6 T_K) Bloch-Redfield is above
    # the exact bound by many error bars; at T = 0.1 Delta it is far below.
    assert data.bloch_redfield_exceeds.tolist() == [False, False, True]
    assert data.bloch_redfield_exceeds_band[-1]
    gap = data.kappa_bloch_redfield[-1] - data.bound_qmc[-1]
    assert gap > 10 * data.bound_qmc_stderr[-1]
    assert np.array_equal(data.violation_temperatures, data.temperature[-1:])
    # ...which the weak-coupling <sigma_x> can never show
    assert np.all(data.kappa_bloch_redfield <= data.bound_weak_coupling)


def test_second_call_reads_the_cache(data, cache, monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("the QMC ran although the cache holds this run")

    monkeypatch.setattr(figure4, "sigma_x", fail)
    again = figure4_data(**SMALL, cache_dir=cache)
    assert np.array_equal(again.sigma_x_qmc, data.sigma_x_qmc)
    assert again.cache_file == data.cache_file and data.cache_file.exists()
    # gamma only scales the bound: same cache entry
    half = figure4_data(**SMALL, gamma=0.5, cache_dir=cache)
    assert np.allclose(half.bound_qmc, 0.5 * data.bound_qmc, rtol=1e-14)
    stored = json.loads(data.cache_file.read_text())
    assert stored["parameters"]["seed"] == SMALL["seed"]


def test_other_parameters_do_not_hit_the_cache(data, cache, monkeypatch):
    calls = []

    def fake(temps, **kwargs):
        calls.append(kwargs)
        raise RuntimeError("stop")

    monkeypatch.setattr(figure4, "sigma_x", fake)
    for change in ({"seed": 12}, {"tolerance": 5e-3}, {"omega_c": 20.0}, {"n_temperatures": 4}):
        with pytest.raises(RuntimeError, match="stop"):
            figure4_data(**(SMALL | change), cache_dir=cache)
    with pytest.raises(RuntimeError, match="stop"):
        figure4_data(**SMALL, cache_dir=cache, refresh=True)
    assert len(calls) == 5


def test_corrupt_cache_file_is_recomputed(cache, monkeypatch, data):
    data.cache_file.write_text("{not json")
    fresh = figure4_data(**SMALL, cache_dir=cache)
    assert np.array_equal(fresh.sigma_x_qmc, data.sigma_x_qmc)  # same seed, same numbers
    assert json.loads(data.cache_file.read_text())["cache_version"] == figure4.CACHE_VERSION


def test_input_errors():
    with pytest.raises(NumericInputError, match="t_max"):
        figure4_data(t_min=1.0, t_max=0.5, use_cache=False)
    with pytest.raises(NumericInputError, match="localised"):
        figure4_data(alpha=1.0, use_cache=False)
    with pytest.raises(NumericInputError, match="n_temperatures"):
        figure4_data(n_temperatures=1, use_cache=False)
