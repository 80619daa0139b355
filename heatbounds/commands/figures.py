"""``heatbounds figures``: the paper's Figures 2, 3 and 4 and the electronic figure as
PNG, with their data as CSV.

::

    heatbounds figures [--out DIR] [--only 2,3,4,electronic] [--quick] [--refresh]
        [--no-cache] [--seed S] [--json]

Writes ``figureN.png`` and ``figureN.csv`` (``figure-electronic.*`` for the
electronic one) into DIR (default ``figures``, created if missing) for each
figure asked for. The electronic figure, not in the paper, is the resonant
level's exact heat conductance against its sum-rule bound and the electronic
quantum of thermal conductance (:mod:`heatbounds.numeric.figure_electronic`).
Parameters are the paper's (Figs. 2-3: alpha_L = alpha_R = 0.4, gamma = 1,
omega_c = 10 omega_0; Fig. 4: alpha = 0.2, gamma = 1, omega_c = 10 Delta). Figure 4 needs the exact
<sigma_x> from the kink QMC (25 temperatures to a standard error of 1e-3,
about 20 s) and the exact kappa from the HEOM (13 of those temperatures, from
0.05 to 10 Delta, about 3 minutes; needs ``heatbounds[exact]``); both are
cached (see :func:`heatbounds.numeric.figure4.default_cache_dir`),
``--refresh`` recomputes them, ``--no-cache`` neither reads nor writes the
cache, ``--quick`` uses 9 temperatures to 3e-3 and 3 kappa points for a
preview. Every figure is computed and drawn before any file is written, and
each file is written atomically. On a terminal, each step, the QMC and each
kappa point show their progress on stderr.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Callable
from pathlib import Path

from heatbounds.commands._files import write_atomically
from heatbounds.commands._options import seed as parse_seed
from heatbounds.commands._progress import QmcProgressBar, Steps
from heatbounds.numeric.errors import NumericInputError

__all__ = ["FIGURES", "QUICK_FIGURE4", "handler", "register"]

FIGURES = (2, 3, 4, "electronic")
DEFAULT_SEED = 2018
# 9 QMC temperatures; the exact kappa at the 3 of them from 0.3 Delta up (0.71, 2.7, 10)
QUICK_FIGURE4 = {"n_temperatures": 9, "tolerance": 3e-3, "kappa_t_min": 0.3}
PNG_DPI = 150
# No software version or date in the PNG: the same data gives the same bytes.
PNG_METADATA = {"Software": None}


def parse_figures(text: str) -> tuple:
    """``"2,4"`` -> (2, 4): figures among 2, 3, 4, electronic, in that order, each once.

    >>> parse_figures("electronic, 4, 2,4")
    (2, 4, 'electronic')
    """
    names = {str(n): n for n in FIGURES}
    chosen = set()
    for item in text.split(","):
        item = item.strip()
        if item not in names:
            raise NumericInputError(
                f"--only: {item!r} is not one of the figures 2, 3, 4, electronic"
            )
        chosen.add(names[item])
    return tuple(n for n in FIGURES if n in chosen)


def _stem(figure) -> str:
    return f"figure{figure}" if isinstance(figure, int) else f"figure-{figure}"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``figures`` parser."""
    parser = subparsers.add_parser(
        "figures",
        help="write the paper's Figures 2-4 and the electronic figure as PNG with CSV data",
        description="Figures 2, 3 (harmonic junction) and 4 (spin-boson) of Taylor & Segal "
        "as PNG, each with its data as CSV, in the paper's layout and parameters, with the "
        "exact curves the paper does not have drawn beside its own; and the electronic "
        "figure: the resonant level's exact heat conductance, its sum-rule bound and the "
        "electronic quantum of thermal conductance.",
    )
    parser.add_argument("--out", default="figures", metavar="DIR", help="output directory")
    parser.add_argument(
        "--only",
        default="2,3,4,electronic",
        metavar="N[,N...]",
        help="figures (2,3,4,electronic)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="coarse Figure 4 (QMC at 9 temperatures to stderr 3e-3, exact kappa at 3)",
    )
    parser.add_argument(
        "--refresh", action="store_true", help="recompute the cached QMC and HEOM of Figure 4"
    )
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write it")
    parser.add_argument(
        "--seed", default=str(DEFAULT_SEED), metavar="S", help=f"QMC seed ({DEFAULT_SEED})"
    )
    parser.add_argument("--json", action="store_true", help="print what was written as JSON")
    parser.set_defaults(handler=handler)


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=PNG_DPI, metadata=PNG_METADATA)
    return buffer.getvalue()


def _figure4(
    args: argparse.Namespace,
    seed: int,
    progress: Callable | None,
    kappa_progress: Callable[[str], None] | None,
):
    from heatbounds.numeric.figure4 import figure4_data

    options = QUICK_FIGURE4 if args.quick else {}
    return figure4_data(
        seed=seed,
        use_cache=not args.no_cache,
        refresh=args.refresh,
        progress=progress,
        kappa_progress=kappa_progress,
        **options,
    )


def handler(args: argparse.Namespace) -> int:
    """Compute and draw every figure asked for, then write PNG and CSV files."""
    # matplotlib, SciPy and numba load here, not when the parser is built
    from heatbounds.numeric.figure_electronic import electronic_figure_data
    from heatbounds.numeric.figure_plots import (
        plot_electronic_figure,
        plot_figure2,
        plot_figure3,
        plot_figure4,
    )
    from heatbounds.numeric.figure_tables import (
        electronic_figure_table,
        figure2_table,
        figure3_table,
        figure4_table,
        to_csv,
    )
    from heatbounds.numeric.figures23 import figure2_data, figure3_data

    figures = parse_figures(args.only)
    seed = parse_seed(args.seed)
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise NumericInputError(f"--out: {str(out)!r} exists and is not a directory")
    terminal = sys.stderr.isatty()
    steps = Steps(sys.stderr if terminal else None)

    files: dict[str, bytes | str] = {}
    summary: dict = {}
    for number in figures:
        steps.begin(f"Figure {number}")
        if number == "electronic":
            data = electronic_figure_data()
            figure, table = plot_electronic_figure(data), electronic_figure_table(data)
            summary["electronic"] = {
                "max_tightness": {f"{p.gamma:g}": float(p.tightness.max()) for p in data.panels},
                "bound_holds": bool(all((p.tightness <= 1).all() for p in data.panels)),
            }
        elif number == 2:
            data = figure2_data()
            figure, table = plot_figure2(data), figure2_table(data)
        elif number == 3:
            data = figure3_data()
            figure, table = plot_figure3(data), figure3_table(data)
            summary["figure3"] = {"fsum_moment": data.fsum_moment}
        else:
            bar = QmcProgressBar(sys.stderr, prefix="Figure 4 QMC ") if terminal else None

            def kappa_line(line: str, bar=bar) -> None:
                bar.close()  # the QMC is done: clear its bar, then one line per step
                sys.stderr.write(f"Figure 4 kappa {line}\n")
                sys.stderr.flush()

            try:
                data = _figure4(args, seed, bar, kappa_line if terminal else None)
            finally:
                if bar is not None:
                    bar.close()
            figure, table = plot_figure4(data), figure4_table(data)
            summary["figure4"] = {
                "kondo_temperature": data.kondo_temperature,
                "violation_temperatures": data.violation_temperatures.tolist(),
                "qmc_converged": bool(data.qmc_converged.all()),
                "cache_file": None if data.cache_file is None else str(data.cache_file),
                "kappa_exact_temperatures": data.temperature[data.kappa_exact_computed].tolist(),
                "kappa_exact_converged": bool(
                    data.kappa_exact_converged[data.kappa_exact_computed].all()
                ),
            }
        files[f"{_stem(number)}.png"] = _png(figure)
        files[f"{_stem(number)}.csv"] = to_csv(table)
        steps.end()

    out.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        write_atomically(out / name, content)
    written = [str(out / name) for name in files]
    if args.json:
        print(json.dumps({"files": written, **summary}, indent=2, allow_nan=False))
    else:
        for path in written:
            print(path)
    if "figure4" in summary and not summary["figure4"]["qmc_converged"]:
        print(
            "heatbounds figures: warning: some Figure 4 QMC points reached the time limit "
            "before the target standard error (qmc_converged = 0 in figure4.csv)",
            file=sys.stderr,
        )
    if "figure4" in summary and not summary["figure4"]["kappa_exact_converged"]:
        print(
            "heatbounds figures: warning: some exact kappa points of Figure 4 did not converge "
            "and are not drawn (kappa_exact_heom_converged = 0 in figure4.csv)",
            file=sys.stderr,
        )
    return 0
