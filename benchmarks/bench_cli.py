"""Benchmark: start-up cost of the command line, as ratios to ``import sympy``.

Targets (issue 11), each the median wall time of a fresh process over the
median of ``python -c "import sympy"`` timed in the same run:

* ``heatbounds --help`` and ``heatbounds models``: at most 0.5x;
* ``heatbounds derive spin-boson``: at most 2x;
* ``heatbounds derive models/kerr.toml --format json``: reported (no target).

Run from the repository root with ``.venv/bin/python benchmarks/bench_cli.py
[repeats]``. The commands run through the installed console script next to
the interpreter (``.venv/bin/heatbounds``), as a user runs them. Repeats are
interleaved (one round runs every command once), so a load that comes and
goes on the machine touches every command alike.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = Path(sys.executable).with_name("heatbounds")
BASELINE = ("import sympy", [sys.executable, "-c", "import sympy"])
COMMANDS: list[tuple[str, list[str], float | None]] = [
    ("heatbounds --help", ["--help"], 0.5),
    ("heatbounds models", ["models"], 0.5),
    ("heatbounds derive spin-boson", ["derive", "spin-boson"], 2.0),
    (
        "heatbounds derive models/kerr.toml --format json",
        ["derive", "models/kerr.toml", "--format", "json"],
        None,
    ),
]


def wall_time(argv: list[str]) -> float:
    """Seconds of one run of ``argv`` (output discarded); a failing command stops the run."""
    start = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main(repeats: int = 7) -> int:
    if not SCRIPT.exists():
        print(f"no console script at {SCRIPT}: run with the venv's python", file=sys.stderr)
        return 2
    runs: dict[str, list[float]] = {name: [] for name, *_ in [BASELINE, *COMMANDS]}
    wall_time(BASELINE[1])  # warm the file cache once
    for _ in range(repeats):
        runs[BASELINE[0]].append(wall_time(BASELINE[1]))
        for name, args, _target in COMMANDS:
            runs[name].append(wall_time([str(SCRIPT), *args]))
    base = statistics.median(runs[BASELINE[0]])
    print(f"median of {repeats} runs each; baseline `python -c 'import sympy'`: {base:.3f} s")
    print(f"{'command':<52} {'seconds':>8} {'ratio':>7}  target")
    missed = 0
    for name, _args, target in COMMANDS:
        seconds = statistics.median(runs[name])
        ratio = seconds / base
        if target is None:
            verdict = "(reported)"
        else:
            ok = ratio <= target
            missed += not ok
            verdict = f"<= {target:g}x {'meets' if ok else 'MISSES'}"
        print(f"{name:<52} {seconds:>8.3f} {ratio:>6.2f}x  {verdict}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 7))
