"""``heatbounds sweep SWEEP.toml --out DIR``: a parameter map on Dask distributed.

::

    heatbounds sweep SWEEP.toml --out DIR [--scheduler ADDRESS] [--workers N]
        [--max-points N] [--time-limit SECONDS] [--plot] [--json]

One task per grid point of the sweep file
(:mod:`heatbounds.numeric.sweep_spec`), run by Dask distributed: a
LocalCluster of process workers (one per core) unless ``--scheduler`` gives
the address of a running scheduler (e.g. one on a Slurm cluster started by
dask-jobqueue). Each finished point is written at once to the Parquet dataset
``DIR/results``; a rerun skips the points present, so an interrupted sweep
resumes. A point that raises is recorded in ``DIR/failed`` and the rest go
on; exit status 1 if any failed. Reduced units hbar = k_B = 1. Needs
``heatbounds[sweep]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from heatbounds.numeric.errors import NumericInputError

__all__ = ["handler", "register"]

MAX_SWEEP_BYTES = 100_000


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``sweep`` parser."""
    parser = subparsers.add_parser(
        "sweep",
        help="run a parameter sweep (sigma-x, conductance, transport, bound, check) on Dask",
        description="Run one task per grid point of a TOML sweep file on Dask distributed "
        "(a LocalCluster of process workers unless --scheduler is given); each point is "
        "written at once to the Parquet dataset DIR/results, and a rerun skips what is there. "
        "Reduced units hbar = k_B = 1.",
    )
    parser.add_argument("sweep", metavar="SWEEP.toml", help="the sweep file")
    parser.add_argument("--out", required=True, metavar="DIR", help="results directory")
    parser.add_argument(
        "--scheduler", metavar="ADDRESS", help="a running Dask scheduler (tcp://host:port)"
    )
    parser.add_argument(
        "--workers", metavar="N", help="local process workers (default: one per core)"
    )
    parser.add_argument(
        "--max-points",
        metavar="N",
        help="refuse a grid of more points than this (default 10000)",
    )
    parser.add_argument(
        "--time-limit",
        metavar="SECONDS",
        help="stop after this wall time (default: none); the finished points stay stored and "
        "the same command goes on from there (exit status 2)",
    )
    parser.add_argument(
        "--plot", action="store_true", help="draw DIR/sweep.png from the store afterwards"
    )
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.set_defaults(handler=handler)


def _positive_int(option: str, text: str | None, default: int | None) -> int | None:
    if text is None:
        return default
    try:
        value = int(text)
    except ValueError:
        raise NumericInputError(f"{option}: must be an integer >= 1, got {text!r}") from None
    if value < 1:
        raise NumericInputError(f"{option}: must be an integer >= 1, got {value}")
    return value


def _read(path: str) -> str:
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > MAX_SWEEP_BYTES:
            raise NumericInputError(f"{path}: sweep file of {size} bytes is over {MAX_SWEEP_BYTES}")
        return file.read_text(encoding="utf-8")
    except OSError as exc:
        raise NumericInputError(f"{path}: cannot read the sweep file: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise NumericInputError(f"{path}: the sweep file is not UTF-8 text") from None


def _context(spec, sweep_path: str):
    """The shared task context: the model (loaded where a job builds matrices)."""
    from heatbounds.model_files import load_bosonic_model
    from heatbounds.numeric.sweep_jobs import SweepContext
    from heatbounds.symbolic.catalogue import BUILTIN_MODEL_DESCRIPTIONS

    model = spec.model
    if model not in BUILTIN_MODEL_DESCRIPTIONS:
        beside = Path(sweep_path).parent / model  # a model file is found beside the sweep file
        model = str(beside) if beside.exists() else model
    if spec.job not in ("transport", "check"):
        load_bosonic_model(model, "sweep")  # refuses an unknown model name or a bad file
        return SweepContext(spec.job, spec.model)
    from heatbounds.numeric.check_defaults import default_values

    junction = load_bosonic_model(model, "sweep")
    defaults = default_values(junction, units="reduced")
    return SweepContext(spec.job, junction.name, junction, tuple(sorted(defaults.items())))


def handler(args: argparse.Namespace) -> int:
    from heatbounds.numeric.sweep_spec import DEFAULT_MAX_POINTS, parse_sweep

    workers = _positive_int("--workers", args.workers, None)
    max_points = _positive_int("--max-points", args.max_points, DEFAULT_MAX_POINTS)
    seconds = None
    if args.time_limit is not None:
        from heatbounds.commands._options import positive_number

        seconds = positive_number("--time-limit", args.time_limit)
    text = _read(args.sweep)
    spec = parse_sweep(text, source=args.sweep, max_points=max_points)
    context = _context(spec, args.sweep)
    from heatbounds.numeric.sweep_runner import run_sweep

    bar = _ProgressLine(sys.stderr) if sys.stderr.isatty() else None
    try:
        summary = run_sweep(
            spec,
            context,
            args.out,
            text=text,
            scheduler=args.scheduler,
            workers=workers,
            progress=bar,
            time_limit=seconds,
        )
    finally:
        if bar is not None:
            bar.close()
    data = summary.as_json()
    if args.plot:
        from heatbounds.numeric.sweep_plot import plot_sweep
        from heatbounds.numeric.sweep_store import ResultStore

        path = plot_sweep(
            ResultStore(args.out).read(), spec.job, list(spec.axes), Path(args.out) / "sweep.png"
        )
        data["plot"] = str(path)
    if args.json:
        print(json.dumps(data, indent=2))
    else:
        print(
            f"{data['points']} points: {data['computed']} computed, {data['skipped']} already "
            f"stored, {data['failed']} failed ({data['seconds']:.1f} s); store {data['store']}"
        )
        if "plot" in data:
            print(f"plot {data['plot']}")
    if summary.failed:
        print(
            f"heatbounds sweep: {summary.failed} point(s) failed; their errors are in "
            f"{Path(args.out) / 'failed'}; a rerun retries them",
            file=sys.stderr,
        )
        return 1
    return 0


class _ProgressLine:
    """One self-overwriting line: points done, failed, estimated time left."""

    def __init__(self, stream):
        self.stream = stream

    def __call__(self, info) -> None:
        eta = "" if info.eta is None else f", about {info.eta:.0f} s left"
        width = 30
        filled = int(width * (info.done + info.failed) / max(info.total, 1))
        self.stream.write(
            f"\rsweep [{'#' * filled}{'.' * (width - filled)}] {info.done}/{info.total} done, "
            f"{info.failed} failed{eta}   "
        )
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()
