"""``heatbounds sweep``: the summary contract, the Parquet store, the plot, and refusals
before any worker starts (issue 15). Reduced units."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("distributed")

import pandas as pd
from dask.distributed import Client, LocalCluster

from heatbounds.numeric import sweep_jobs, sweep_runner

SUMMARY_KEYS = {"points", "computed", "skipped", "failed", "store", "seconds"}

BOUND = """
job = "bound"
model = "harmonic"
seed = 3
[fixed]
omega_c = 10
temperature = 1
[axes]
alpha = { linspace = [0.1, 0.4, 4] }
"""


def write(tmp_path, text: str, name: str = "sweep.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def in_process(monkeypatch):
    """The sweep's cluster as one in-process worker (fast; lets a job be replaced)."""
    opened = []

    def local_client(workers):
        cluster = LocalCluster(n_workers=1, processes=False, dashboard_address=":0")
        opened.append(cluster)
        return Client(cluster), cluster

    monkeypatch.setattr(sweep_runner, "_local_client", local_client)
    return opened


@pytest.fixture
def no_workers(monkeypatch):
    def refuse(workers):
        raise AssertionError("a cluster was started before the input was checked")

    monkeypatch.setattr(sweep_runner, "_local_client", refuse)


def test_json_summary_store_and_plot_on_two_process_workers(run_command, tmp_path):
    out = tmp_path / "out"
    argv = ["sweep", write(tmp_path, BOUND), "--out", str(out), "--workers", "2"]
    status, text, err = run_command(*argv, "--json", "--plot")
    assert status == 0, err
    data = json.loads(text)
    assert set(data) == SUMMARY_KEYS | {"plot"}
    assert (data["points"], data["computed"], data["skipped"], data["failed"]) == (4, 4, 0, 0)
    rows = pd.read_parquet(data["store"]).sort_values("alpha")
    assert rows["alpha"].tolist() == pytest.approx([0.1, 0.2, 0.3, 0.4])
    assert rows["bound"].to_numpy() == pytest.approx(3.141592653589793 * rows["alpha"] / 4)
    assert {"seconds", "seed", "point_id", "bound_error"} <= set(rows)
    assert (out / "sweep.png").stat().st_size > 0
    provenance = json.loads((out / "provenance.json").read_text())
    assert provenance["sweep_file"] == BOUND and provenance["versions"]["distributed"]
    status, text, _ = run_command(*argv)  # the rerun computes nothing
    assert status == 0 and "4 points: 0 computed, 4 already stored, 0 failed" in text


def test_two_axes_give_a_heat_map_and_three_are_refused_for_plotting(
    run_command, tmp_path, in_process
):
    two = BOUND.replace("temperature = 1\n", "").replace(
        "[axes]\n", "[axes]\ntemperature = [1, 2]\n"
    )
    status, _, err = run_command(
        "sweep", write(tmp_path, two), "--out", str(tmp_path / "a"), "--plot"
    )
    assert status == 0, err
    assert (tmp_path / "a" / "sweep.png").exists()
    three = two.replace("omega_c = 10\n", "").replace("[axes]\n", "[axes]\nomega_c = [5, 10]\n")
    status, _, err = run_command(
        "sweep", write(tmp_path, three, "three.toml"), "--out", str(tmp_path / "b"), "--plot"
    )
    assert status == 2 and "--plot draws one axis (curves) or two (a heat map)" in err


@pytest.mark.parametrize(
    ("change", "extra", "message"),
    [
        (('job = "bound"', 'job = "magic"'), [], "job must be one of sigma-x"),
        (("{ linspace = [0.1, 0.4, 4] }", "[]"), [], "[axes] alpha: the axis is empty"),
        (("{ linspace = [0.1, 0.4, 4] }", "[0.5, 1.5]"), [], "alpha = 1.5 is outside its domain"),
        (("", ""), ["--max-points", "3"], "4 points, more than the limit of 3"),
        (('model = "harmonic"', 'model = "kerr-2"'), [], "kerr-2"),
        (("", ""), ["--workers", "0"], "--workers: must be an integer >= 1"),
    ],
)
def test_bad_input_is_refused_before_any_worker_starts(
    run_command, tmp_path, no_workers, change, extra, message
):
    text = BOUND.replace(*change) if change[0] else BOUND
    status, out, err = run_command("sweep", write(tmp_path, text), "--out", str(tmp_path), *extra)
    assert status == 2 and out == "" and message in err


def test_a_failing_point_gives_exit_status_1_and_the_others_are_stored(
    run_command, tmp_path, in_process, monkeypatch
):
    real = sweep_jobs._JOBS["bound"]

    def flaky(context, p, seed):
        if p["alpha"] > 0.35:
            raise ZeroDivisionError("no bound here")
        return real(context, p, seed)

    monkeypatch.setitem(sweep_jobs._JOBS, "bound", flaky)
    out = tmp_path / "out"
    status, text, err = run_command("sweep", write(tmp_path, BOUND), "--out", str(out), "--json")
    assert status == 1 and "1 point(s) failed" in err
    data = json.loads(text)
    assert (data["computed"], data["failed"]) == (3, 1)
    (failure,) = (out / "failed").glob("*.json")
    assert "ZeroDivisionError: no bound here" in failure.read_text()


def test_a_model_file_is_found_beside_the_sweep_file(run_command, tmp_path, in_process):
    from pathlib import Path

    model = Path(__file__).resolve().parents[2] / "models" / "kerr.toml"
    (tmp_path / "kerr.toml").write_text(model.read_text())
    text = """
job = "check"
model = "kerr.toml"
[fixed]
omega0 = 1
[axes]
U = [0.1, 0.2]
temperature = [0.5]
"""
    status, _, err = run_command("sweep", write(tmp_path, text), "--out", str(tmp_path / "o"))
    assert status == 0, err
    rows = pd.read_parquet(tmp_path / "o" / "results")
    assert rows["passed"].all() and (rows["max_rel_error"] < 1e-8).all()


def test_the_time_limit_stops_the_sweep_and_the_rerun_goes_on(run_command, tmp_path, in_process):
    text = """
job = "sigma-x"
model = "spin-boson"
seed = 5
[fixed]
omega_c = 10
tolerance = 2e-3
[axes]
alpha = [0.1, 0.2]
temperature = { geomspace = [0.05, 0.2, 6] }
"""
    out = tmp_path / "out"
    argv = ["sweep", write(tmp_path, text), "--out", str(out)]
    status, printed, err = run_command(*argv, "--time-limit", "1")
    assert status == 2 and printed == ""
    assert "--time-limit 1: the sweep did not finish within 1 s" in err
    assert "run the same command again to go on" in err
    stored = len(list((out / "results").glob("*.parquet")))
    assert stored < 12


def test_a_terminal_sees_the_progress_line(run_command, tmp_path, in_process, monkeypatch):
    import sys

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    status, _, err = run_command("sweep", write(tmp_path, BOUND), "--out", str(tmp_path / "o"))
    assert status == 0
    assert "sweep [" in err and "4/4 done, 0 failed" in err and "s left" in err


def test_a_scheduler_address_runs_the_points_on_that_cluster(run_command, tmp_path, no_workers):
    """--scheduler ADDRESS: no cluster of our own; the points are tasks of that scheduler."""
    from dask.distributed import get_task_stream

    with (
        LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster,
        Client(cluster) as client,
        get_task_stream(client) as stream,
    ):
        out = tmp_path / "out"
        argv = ["sweep", write(tmp_path, BOUND), "--out", str(out), "--json"]
        status, text, err = run_command(*argv, "--scheduler", cluster.scheduler_address)
        assert status == 0, err
        assert json.loads(text)["computed"] == 4
    ran = {t["key"] for t in stream.data if str(t["key"]).startswith("point-")}  # read at exit
    stored = pd.read_parquet(out / "results")
    assert ran == {f"point-{p}" for p in stored["point_id"]} and len(ran) == 4
