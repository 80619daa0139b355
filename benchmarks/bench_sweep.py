"""Benchmark: 40 QMC points, serial against ``heatbounds sweep`` on 2 Dask workers (issue 15).

The spin-boson <sigma_x> (kink QMC) at 40 grid points, alpha in {0.1, 0.2},
omega_c = 10 Delta, 20 temperatures from 0.1 to 1 Delta, to a standard error
of 2e-3, reduced units. Three timings in one process:

* serial: the points one after another in this process, one thread each (the
  same work as one sweep task), after a warm-up that compiles the sampler;
* ``sigma-x`` as a user runs it today: one call over the temperature list per
  alpha, its chains spread over the machine's threads;
* the sweep: ``run_sweep`` on a LocalCluster of 2 process workers into a fresh
  store, timed without and with the cluster's start (the workers' start, their
  imports and their loading of the compiled sampler, and this process's import
  of pyarrow for the store, about a second paid once per cluster;
  the serial run's warm-up is not timed either).

It prints the speedup of the sweep over the serial run (target: at least
1.7x on the 2-core machine) and the scheduler's overhead per point, (sweep
wall time x workers - the serial time) / points. Run with
``.venv/bin/python benchmarks/bench_sweep.py``.
"""

from __future__ import annotations

import tempfile
import time

SWEEP = """
job = "sigma-x"
model = "spin-boson"
seed = 11
[fixed]
omega_c = 10
tolerance = 2e-3
[axes]
alpha = [0.1, 0.2]
temperature = { geomspace = [0.1, 1, 20] }
"""
TARGET = 1.7


def main() -> None:
    from heatbounds.numeric.spin_boson_qmc import sigma_x
    from heatbounds.numeric.sweep_jobs import SweepContext, run_point, warm_up
    from heatbounds.numeric.sweep_runner import run_sweep
    from heatbounds.numeric.sweep_spec import parse_sweep

    spec = parse_sweep(SWEEP)
    points = spec.points()
    context = SweepContext("sigma-x", "spin-boson")
    sigma_x(1.0, alpha=0.1, omega_c=10.0, tolerance=0.05, seed=1, n_threads=1)  # compile

    start = time.perf_counter()
    for point in points:
        run_point(context, point)
    serial = time.perf_counter() - start

    start = time.perf_counter()
    for alpha in spec.axes["alpha"]:
        sigma_x(list(spec.axes["temperature"]), alpha=alpha, omega_c=10.0, tolerance=2e-3, seed=11)
    threaded = time.perf_counter() - start

    from dask.distributed import Client, LocalCluster

    start = time.perf_counter()
    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=50
    )
    client = Client(cluster)
    client.run(warm_up, "sigma-x")  # as run_sweep does: imports, compiled sampler
    import pyarrow.parquet  # noqa: F401  the store's writer, imported once per process

    started = time.perf_counter() - start
    try:
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            summary = run_sweep(spec, context, out, text=SWEEP, client=client)
            swept = time.perf_counter() - start
    finally:
        client.close()
        cluster.close()
    assert summary.computed == len(points) and summary.failed == 0

    n = len(points)
    print(f"{n} QMC points, stderr 2e-3, alpha = 0.1, 0.2, T = 0.1..1 Delta, omega_c = 10 Delta")
    print(f"serial, one thread per point:      {serial:7.1f} s ({serial / n:.2f} s per point)")
    print(f"sigma-x over the list (threads):   {threaded:7.1f} s ({serial / threaded:.2f}x serial)")
    print(f"LocalCluster start and warm-up:    {started:7.1f} s")
    print(f"sweep, 2 process workers:          {swept:7.1f} s")
    speedup = serial / swept
    print(f"speedup of the sweep over serial:  {speedup:.2f}x (target >= {TARGET}x)")
    print(f"  with the cluster start:          {serial / (swept + started):.2f}x")
    overhead = (swept * 2 - serial) / n
    print(f"scheduler overhead per point:      {overhead:.3f} s")


if __name__ == "__main__":
    main()
