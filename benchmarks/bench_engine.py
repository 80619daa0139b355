"""Benchmark: the symbolic engine at scale, in one process (issue 13, item 3).

Jobs and targets (wall time measured in-process, interpreter start excluded):

* the three-level third moment with bath modes -- ``weighted_moment`` (the
  combination ``derive`` prints, symbolic level indices summed) and the single
  entry m^(3)_{12,12} the spectral check compares -- at most 2 s and 300 MB;
* ``heatbounds derive three-level --moment 3`` end to end, in text, LaTeX and
  JSON (``heatbounds.cli.main`` called in-process, stdout captured): at most
  10 s each;
* the spin-boson s = 5 moment: at most 0.5 s;
* the jobs of ``bench_symbolic.py`` (ours only, median of 3 runs after a
  warm-up, as there): the N = 8 tensor, [x, [H_s, x]] with lam x^10 and Eq. 12
  with symbolic indices, each at most 0.05 s (issue 2; ``--skip-symbolic``
  leaves them out).

Each job builds its model afresh (moments are memoised on the junction), so
every run pays for the whole derivation; SymPy's global cache (and with it the
engine's memos, which ``clear_cache`` empties too) is warm from the jobs before
(as in a session, not as in a fresh process). Wall and CPU time are printed: on
a shared machine the wall time also counts other processes. Peak memory is the
peak of Python allocations (``tracemalloc``) in a separate, untimed run of each
moment job after clearing SymPy's cache (tracing slows the run), and the
process's peak resident size at the end.

Run: ``.venv/bin/python benchmarks/bench_engine.py`` (``--skip-cli`` leaves out
the three ``derive`` runs, about 10 s each;
``--cli-time-limit`` is passed to ``derive --time-limit``).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import resource
import time
import tracemalloc

from sympy.core.cache import clear_cache

from heatbounds.cli import main
from heatbounds.symbolic.models import builtin_model
from heatbounds.symbolic.sum_rules import moment, weighted_moment

MB = 1024 * 1024


def three_level_weighted():
    return weighted_moment(builtin_model("three-level"), 3)


def three_level_entry():
    return moment(builtin_model("three-level"), 3, ((1, 2), (1, 2)))


def spin_boson_fifth():
    return moment(builtin_model("spin-boson"), 5)


MOMENT_JOBS = [
    ("three-level s=3 weighted_moment (bath modes)", three_level_weighted, 2.0, 300.0),
    ("three-level s=3 m_{12,12} (bath modes)", three_level_entry, 2.0, 300.0),
    ("spin-boson s=5 moment", spin_boson_fifth, 0.5, None),
]


def symbolic_jobs() -> list:
    """(label, job, target seconds) of the bench_symbolic.py jobs, ours only."""
    import bench_symbolic as bs  # beside this file
    from sympy import Symbol

    from heatbounds.symbolic.models import n_level_concrete
    from heatbounds.symbolic.sum_rules import moment_tensor

    energies = [Symbol(f"E_{m}", real=True) for m in range(1, bs.N_LEVELS + 1)]

    def tensor():
        return moment_tensor(n_level_concrete(energies, include_bath=False), 1)

    return [
        (f"(i)   N={bs.N_LEVELS} tensor m_ij,kl", tensor, bs.TARGET_S["i"]),
        (
            f"(ii)  [x,[H_s,x]], lam x^{bs.ORDER}",
            bs.ours_system_double_commutator,
            bs.TARGET_S["ii"],
        ),
        ("(iii) Eq. 12, symbolic indices", bs.ours_eq12, bs.TARGET_S["iii"]),
    ]


def timed(job, *, cold: bool = True) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds, result) of one call of ``job``; ``cold``: from a cold
    SymPy cache and a collected heap (the earlier jobs' garbage is not charged to it)."""
    if cold:
        clear_cache()
        gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    result = job()
    return time.perf_counter() - start, time.process_time() - cpu, result


def traced_peak(job) -> float:
    clear_cache()  # a cold SymPy cache, as in the timed run
    tracemalloc.start()
    try:
        job()
        return tracemalloc.get_traced_memory()[1] / MB
    finally:
        tracemalloc.stop()


def derive_job(fmt: str, limit: float):
    def job():
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            status = main(
                [
                    "derive",
                    "three-level",
                    "--moment",
                    "3",
                    "--format",
                    fmt,
                    "--time-limit",
                    str(limit),
                ]
            )
        return status, len(out.getvalue())

    return job


def report(label: str, seconds: float, cpu: float, target: float | None, extra: str = "") -> None:
    ratio = f"{seconds / target:6.2f}x target {target:g} s" if target else "(no target)"
    # CPU time too: on a shared machine the wall time also counts other processes.
    print(f"{label:48s} {seconds:8.2f} s  {ratio}  (cpu {cpu:.2f} s){extra}", flush=True)


def run(skip_cli: bool, cli_limit: float, skip_symbolic: bool = False) -> None:
    print("job                                              wall        ratio to target")
    for label, job, target, memory_target in MOMENT_JOBS:
        seconds, cpu, _ = timed(job)
        report(label, seconds, cpu, target)
        if memory_target is not None:
            peak = traced_peak(job)
            print(
                f"{'  peak traced memory':48s} {peak:8.1f} MB "
                f"{peak / memory_target:6.2f}x target {memory_target:g} MB",
                flush=True,
            )
    if not skip_symbolic:
        for label, job, target in symbolic_jobs():
            job()  # warm-up, as bench_symbolic.py does
            runs = sorted(timed(job, cold=False)[:2] for _ in range(3))
            seconds, cpu = runs[1]  # the median run
            report(f"bench_symbolic {label}", seconds, cpu, target)
    if not skip_cli:
        for fmt in ("text", "latex", "json"):
            seconds, cpu, (status, size) = timed(derive_job(fmt, cli_limit))
            report(
                f"derive three-level --moment 3 --format {fmt}",
                seconds,
                cpu,
                10.0,
                f"  (exit {status}, {size / 1000:.0f} kB)",
            )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    print(f"{'peak resident size of this process':48s} {rss:8.1f} MB")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-cli", action="store_true", help="leave out the derive runs")
    parser.add_argument(
        "--skip-symbolic", action="store_true", help="leave out the bench_symbolic.py jobs"
    )
    parser.add_argument(
        "--cli-time-limit", type=float, default=600.0, help="derive --time-limit, seconds"
    )
    return parser.parse_args(argv)


if __name__ == "__main__":
    args = parse_args()
    run(args.skip_cli, args.cli_time_limit, args.skip_symbolic)
