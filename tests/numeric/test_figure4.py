"""Figure 4 data: assembled from the references and the QMC, cached by parameters."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from kondo import FIGURE4_KONDO_TEMPERATURE

from heatbounds.numeric import figure4
from heatbounds.numeric.errors import NumericInputError
from heatbounds.numeric.figure4 import figure4_data

# the QMC part only (kappa_t_min=None: no exact kappa; that has its tests at the end)
SMALL = {
    "t_min": 0.1,
    "t_max": 1.0,
    "n_temperatures": 3,
    "tolerance": 4e-3,
    "seed": 11,
    "kappa_t_min": None,
}


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
    assert data.kondo_temperature == pytest.approx(FIGURE4_KONDO_TEMPERATURE, rel=1e-12)
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


# --- the exact kappa (HEOM): where it is computed, and its per-point cache --------------


@pytest.fixture
def fake_heom(monkeypatch):
    """spin_boson_conductance replaced by a record of its calls (kappa = T / 100)."""
    pytest.importorskip("qutip")
    from heatbounds.numeric import heom_susceptibility

    calls = []

    class Result:
        def __init__(self, temperature, kwargs):
            self.point = {
                "temperature": temperature,
                "kappa": temperature / 100,
                "kappa_error": temperature / 1e4,
                "converged": temperature < 5,
                "note": "" if temperature < 5 else "stopped",
                "history": [
                    {
                        "depth": 3,
                        "n_terms": 5,
                        "step_factor": 2.5,
                        "kappa": 0.0,
                        "ados": 286,
                        "seconds": 0.0,
                    }
                ],
                "seconds": 0.0,
                **kwargs,
            }

        def to_dict(self):
            return dict(self.point)

    def fake(temperature, **kwargs):
        calls.append((temperature, kwargs))
        return Result(temperature, kwargs)

    monkeypatch.setattr(heom_susceptibility, "spin_boson_conductance", fake)
    return calls


def test_exact_kappa_on_every_other_temperature_from_kappa_t_min(fake_heom, tmp_path):
    grid = {"t_min": 0.05, "t_max": 10.0, "n_temperatures": 5, "tolerance": 5e-3, "seed": 3}
    grid["kappa_t_min"] = 0.1
    data = figure4_data(**grid, cache_dir=tmp_path)  # kappa_t_min = 0.1: 0.71 and 10
    assert [t for t, _ in fake_heom] == pytest.approx([math.sqrt(0.5), 10.0])
    assert fake_heom[0][1] | {} == {
        "alpha": 0.2,
        "gamma": 1.0,
        "omega_c": 10.0,
        "delta": 1.0,
        "tolerance": 0.01,
        "qmc": True,
        "qmc_tolerance": 2e-3,
        "qmc_seed": 12,
    }
    assert data.kappa_exact_computed.tolist() == [False, False, True, False, True]
    computed = data.kappa_exact_computed
    assert np.allclose(data.kappa_exact[computed], data.temperature[computed] / 100)
    assert np.all(np.isnan(data.kappa_exact[~computed]))
    assert np.all(np.isnan(data.kappa_exact_error[~computed]))
    assert data.kappa_exact_converged.tolist() == [False, False, True, False, False]
    assert [p["cached"] for p in data.kappa_points] == [False, False]
    # one cached point each: a second call, and a finer grid through the same
    # temperatures, compute nothing; another tolerance computes again
    again = figure4_data(**grid, cache_dir=tmp_path)
    assert len(fake_heom) == 2 and [p["cached"] for p in again.kappa_points] == [True, True]
    assert np.array_equal(again.kappa_exact, data.kappa_exact, equal_nan=True)
    figure4_data(**(grid | {"n_temperatures": 9, "kappa_t_min": 0.5}), cache_dir=tmp_path)
    assert len(fake_heom) == 3  # 0.71 and 10 from the cache, 2.66 computed
    figure4_data(**grid, kappa_tolerance=0.02, cache_dir=tmp_path)
    assert len(fake_heom) == 5
    figure4_data(**grid, cache_dir=tmp_path, use_cache=False)
    assert len(fake_heom) == 7


def test_exact_kappa_lines_and_table_columns(fake_heom, tmp_path):
    from heatbounds.numeric.figure_tables import figure4_table

    lines = []
    data = figure4_data(
        t_min=0.5,
        t_max=2.0,
        n_temperatures=3,
        tolerance=5e-3,
        seed=3,
        kappa_stride=1,
        kappa_progress=lines.append,
        cache_dir=tmp_path,
    )
    assert lines[0] == "[1/3] T = 0.5: QMC checks and HEOM refinement ..."
    assert lines[1].startswith("[1/3] T = 0.5:   depth 3, 10 exponents, step 2.5/rho: 286 ADOs")
    assert lines[2].startswith("[1/3] T = 0.5: kappa = 0.005 +- 5e-05")
    assert len(lines) == 9
    table = figure4_table(data)
    assert np.allclose(table.column("kappa_exact_heom"), [0.005, 0.01, 0.02])
    assert np.allclose(table.column("kappa_exact_heom_error"), [5e-5, 1e-4, 2e-4])
    assert table.column("kappa_exact_heom_converged").tolist() == [1.0, 1.0, 1.0]
    lines.clear()
    figure4_data(
        t_min=0.5,
        t_max=2.0,
        n_temperatures=3,
        tolerance=5e-3,
        seed=3,
        kappa_stride=1,
        kappa_progress=lines.append,
        cache_dir=tmp_path,
    )
    assert lines == [
        f"[{i}/3] T = {t:g}: kappa = {t / 100:g} (cached)"
        for i, t in ((1, 0.5), (2, 1.0), (3, 2.0))
    ]


def test_exact_kappa_input_errors(fake_heom, tmp_path):
    from heatbounds.numeric.figure4 import exact_conductance_points

    with pytest.raises(NumericInputError, match="kappa_stride"):
        figure4_data(kappa_stride=0, use_cache=False)
    with pytest.raises(NumericInputError, match="kappa_t_min"):
        figure4_data(kappa_t_min=0.0, use_cache=False)
    for bad, match in (
        ({"alpha": 1.0}, "localised"),
        ({"gamma": 2.0}, "gamma"),
        ({"omega_c": 0.0}, "omega_c"),
        ({"tolerance": -1.0}, "tolerance"),
    ):
        args = {"alpha": 0.2, "omega_c": 10.0} | bad
        with pytest.raises(NumericInputError, match=match):
            exact_conductance_points([1.0], **args, cache_dir=tmp_path)
    with pytest.raises(NumericInputError, match="temperature"):
        exact_conductance_points([1.0, 0.0], alpha=0.2, omega_c=10.0, cache_dir=tmp_path)
    assert fake_heom == []  # nothing ran
