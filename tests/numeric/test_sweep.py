"""Parameter sweeps on Dask distributed (issue 15): the sweep file, the seeds, the store,
and a 2-worker LocalCluster that loses a worker, is interrupted, and meets a failing point.
Reduced units throughout."""

from __future__ import annotations

import math
import os
import signal

import pytest

pytest.importorskip("distributed")

import pandas as pd
import pyarrow.parquet
from dask.distributed import Client, LocalCluster

from heatbounds.numeric import sweep_jobs
from heatbounds.numeric.errors import NumericInputError
from heatbounds.numeric.sweep_jobs import SweepContext, check_point
from heatbounds.numeric.sweep_runner import run_sweep
from heatbounds.numeric.sweep_spec import parse_sweep, point_seed
from heatbounds.numeric.sweep_store import ResultStore

SIGMA_X = """
job = "sigma-x"
model = "spin-boson"
seed = 7
[fixed]
omega_c = 10
tolerance = 2e-2
[axes]
alpha = [0.1, 0.2]
temperature = { geomspace = [0.5, 5, 3] }
"""


def test_the_sweep_file_contract_and_its_grid():
    spec = parse_sweep(SIGMA_X)
    assert (spec.job, spec.model, spec.seed) == ("sigma-x", "spin-boson", 7)
    assert spec.fixed == {"omega_c": 10.0, "tolerance": 0.02}
    assert spec.axes["temperature"] == pytest.approx((0.5, math.sqrt(5 * 0.5), 5.0))
    points = spec.points()
    assert len(points) == spec.size == 6
    assert [(p["alpha"], p["temperature"]) for p in points[:2]] == [
        (0.1, 0.5),
        (0.1, points[1]["temperature"]),
    ]
    assert len({p["point_id"] for p in points}) == 6 and len({p["seed"] for p in points}) == 6
    lin = parse_sweep(SIGMA_X.replace("{ geomspace = [0.5, 5, 3] }", "{ linspace = [1, 2, 3] }"))
    assert lin.axes["temperature"] == (1.0, 1.5, 2.0)


def test_seeds_depend_on_the_point_not_on_the_grid_or_its_order():
    small = parse_sweep(SIGMA_X.replace("alpha = [0.1, 0.2]", "alpha = [0.2]")).points()
    big = parse_sweep(SIGMA_X.replace("alpha = [0.1, 0.2]", "alpha = [0.3, 0.2, 0.1]")).points()
    by_values = {(p["alpha"], p["temperature"]): p["seed"] for p in big}
    for p in small:
        assert by_values[(p["alpha"], p["temperature"])] == p["seed"]
    assert point_seed(7, {"a": 1.0}) != point_seed(8, {"a": 1.0})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('job = "sigma-x"', 'job = "relax"'), "job must be one of sigma-x, conductance"),
        (("alpha = [0.1, 0.2]", "alpha = []"), "[axes] alpha: the axis is empty"),
        (("alpha = [0.1, 0.2]", "alpha = [0.1, 0.1]"), "repeats a value"),
        (("alpha = [0.1, 0.2]", 'alpha = "0.1"'), "an axis is a list of numbers"),
        (("[0.5, 5, 3]", "[0, 5, 3]"), "geomspace bounds must be > 0"),
        (("seed = 7", "seed = -1"), "seed must be an integer"),
        (("tolerance = 2e-2", "tolerance = nan"), "is not a finite number"),
        (("seed = 7", "seed = 7\nsteps = 3"), "unknown key(s) steps"),
        (("[fixed]", "[fixed]\nalpha = 0.1"), "alpha both fixed and an axis"),
    ],
)
def test_bad_sweep_files_are_refused(change, message):
    with pytest.raises(NumericInputError) as info:
        parse_sweep(SIGMA_X.replace(*change))
    assert message in str(info.value)


def test_too_many_points_names_the_count_and_the_way_to_raise_the_limit():
    text = SIGMA_X.replace("[0.5, 5, 3]", "[0.5, 5, 400]")
    with pytest.raises(
        NumericInputError,
        match="800 points, more than the limit of 500; raise it with --max-points 800",
    ):
        parse_sweep(text, max_points=500)


SB = {"alpha": 0.1, "omega_c": 10, "temperature": 1}
PAIR = {"temperature": 1, "alpha_L": 0.6, "alpha_R": 0.5, "omega_c": 10}


@pytest.mark.parametrize(
    ("job", "model", "point", "message"),
    [
        ("sigma-x", "spin-boson", {**SB, "alpha": 1.2}, "alpha = 1.2 is outside its domain (0 <="),
        ("sigma-x", "spin-boson", {**SB, "temperature": -1}, "temperature = -1 is outside"),
        ("sigma-x", "harmonic", SB, "supports the models spin-boson"),
        ("sigma-x", "spin-boson", {"alpha": 0.1, "temperature": 1}, "needs omega_c"),
        ("sigma-x", "spin-boson", {**SB, "beta": 2}, "unknown parameter(s) beta"),
        ("conductance", "spin-boson", PAIR, "alpha_L + alpha_R = 1.1"),
    ],
)
def test_points_outside_a_domain_are_refused_without_work(job, model, point, message):
    with pytest.raises(NumericInputError) as info:
        check_point(SweepContext(job, model), {**point, "point_id": "x", "seed": 1})
    assert message in str(info.value)


def test_a_bad_point_stops_the_sweep_before_any_worker_starts(tmp_path):
    spec = parse_sweep(SIGMA_X.replace("alpha = [0.1, 0.2]", "alpha = [0.1, 1.5]"))

    class NoClient:
        def __getattr__(self, name):
            raise AssertionError("a worker was asked for work")

    with pytest.raises(NumericInputError, match=r"alpha = 1\.5 is outside its domain"):
        run_sweep(spec, SweepContext("sigma-x", "spin-boson"), tmp_path, client=NoClient())
    assert ResultStore(tmp_path).done_ids() == set()


@pytest.fixture(scope="module")
def cluster():
    """Two process workers, one thread each (the sweep's own LocalCluster settings)."""
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=50,
        ) as local,
        Client(local) as client,
    ):
        yield client


def _stored(directory) -> pd.DataFrame:
    return pd.read_parquet(os.path.join(directory, "results"))


def test_a_killed_worker_loses_no_point_and_duplicates_none(cluster, tmp_path):
    text = SIGMA_X.replace("[0.5, 5, 3]", "[0.5, 5, 4]").replace("2e-2", "1e-2")
    spec = parse_sweep(text)
    pids = cluster.run(os.getpid)
    killed = []

    def kill_one(info):
        if info.done >= 1 and not killed:
            pid = next(iter(pids.values()))
            os.kill(pid, signal.SIGKILL)  # the test kills its own worker process
            killed.append(pid)

    summary = run_sweep(
        spec, SweepContext("sigma-x", "spin-boson"), tmp_path, client=cluster, progress=kill_one
    )
    assert killed and summary.failed == 0 and summary.computed == 8
    rows = _stored(tmp_path)
    assert len(rows) == 8 and rows["point_id"].is_unique
    assert set(rows["point_id"]) == {p["point_id"] for p in spec.points()}
    assert rows["converged"].all() and (rows["stderr"] <= 1e-2).all()
    assert list(pd.read_json(tmp_path / "provenance.json", typ="series")[["seed", "job"]]) == [
        7,
        "sigma-x",
    ]


def test_an_interrupted_sweep_resumes_and_recomputes_nothing(cluster, tmp_path):
    spec = parse_sweep(SIGMA_X)
    context = SweepContext("sigma-x", "spin-boson")

    def interrupt(info):
        if info.done >= 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_sweep(spec, context, tmp_path, client=cluster, progress=interrupt)
    first = ResultStore(tmp_path).done_ids()
    assert 2 <= len(first) < 6
    second = run_sweep(spec, context, tmp_path, client=cluster)
    assert (second.skipped, second.computed) == (len(first), 6 - len(first))
    again = run_sweep(spec, context, tmp_path, client=cluster)
    assert (again.skipped, again.computed, again.failed) == (6, 0, 0)
    rows = _stored(tmp_path)
    assert len(rows) == 6 and rows["point_id"].is_unique


def test_results_do_not_depend_on_the_grid_they_ran_in(cluster, tmp_path):
    one = parse_sweep(SIGMA_X.replace("alpha = [0.1, 0.2]", "alpha = [0.2]"))
    context = SweepContext("sigma-x", "spin-boson")
    run_sweep(one, context, tmp_path / "one", client=cluster)
    run_sweep(parse_sweep(SIGMA_X), context, tmp_path / "two", client=cluster)
    a = _stored(tmp_path / "one").set_index("point_id")
    b = _stored(tmp_path / "two").set_index("point_id").loc[a.index]
    assert (a["sigma_x"] == b["sigma_x"]).all() and (a["seed"] == b["seed"]).all()


def test_a_failing_point_is_recorded_and_the_rest_complete(tmp_path, monkeypatch):
    """In-process workers (threads), so that one point can be made to raise."""
    text = SIGMA_X.replace('"sigma-x"', '"bound"').replace('"spin-boson"', '"harmonic"')
    spec = parse_sweep(text)
    real = sweep_jobs._JOBS["bound"]

    def flaky(context, p, seed):
        if p["alpha"] == 0.2 and p["temperature"] == 5.0:
            raise FloatingPointError("the point that fails")
        return real(context, p, seed)

    monkeypatch.setitem(sweep_jobs._JOBS, "bound", flaky)
    with (
        LocalCluster(n_workers=2, processes=False, dashboard_address=":0") as local,
        Client(local) as client,
    ):
        summary = run_sweep(spec, SweepContext("bound", "harmonic"), tmp_path, client=client)
    assert (summary.computed, summary.failed) == (5, 1)
    (failure,) = ResultStore(tmp_path).failures()
    assert "FloatingPointError: the point that fails" in failure["error"]
    assert failure["point"]["alpha"] == 0.2
    rows = _stored(tmp_path)
    assert len(rows) == 5
    assert rows["bound"].to_numpy() == pytest.approx(math.pi * rows["alpha"].to_numpy() / 4)
    monkeypatch.setitem(sweep_jobs._JOBS, "bound", real)  # the rerun retries the failure
    with (
        LocalCluster(n_workers=1, processes=False, dashboard_address=":0") as local,
        Client(local) as client,
    ):
        rerun = run_sweep(spec, SweepContext("bound", "harmonic"), tmp_path, client=client)
    assert (rerun.skipped, rerun.computed, rerun.failed) == (5, 1, 0)
    assert ResultStore(tmp_path).failures() == []


def test_store_writes_are_whole_or_absent(tmp_path, monkeypatch):
    store = ResultStore(tmp_path)
    point = {"alpha": 0.1, "point_id": "abc", "seed": 3}

    def broken(table, path):
        with open(path, "wb") as half:
            half.write(b"PAR1")  # a file begun, then the disk fills
        raise OSError("disk full")

    monkeypatch.setattr(pyarrow.parquet, "write_table", broken)
    with pytest.raises(OSError):
        store.write_point(point, {"bound": 1.0})
    assert store.done_ids() == set() and not list(tmp_path.glob(".part-*"))
