"""Regenerate ``tests/data/figure4_exact_kappa.json``: the exact spin-boson kappa(T) of Figure 4.

The paper's Figure 4 parameters (alpha = 0.2, gamma = 1, omega_c = 10 Delta;
reduced units hbar = k_B = Delta = 1). Each point is
:func:`heatbounds.numeric.figure4.exact_conductance_points` (the HEOM
susceptibility refined to 1 % relative, with the QMC checks), the same call
that ``heatbounds figures`` and ``heatbounds conductance spin-boson`` make, so
the points land in the disk cache those share. The temperatures are the
Figure 4 grid's kappa points (every other one of 25 from 10 Delta down to 0.05
Delta) and, for the low-temperature law, a few more below T_K = 0.63 Delta.

The file records, for each point, the full result (kappa, its error, the
checks, the hierarchy, the wall time), and its provenance: this command, the
package and QuTiP versions, the date. ``tests/numeric/test_figure4_claims.py``
reads it to answer the paper's Figure 4 claims and recomputes one point live to
show the file is not stale. Run (about 15 minutes on the 2-core machine)::

    .venv/bin/python benchmarks/reference_figure4_kappa.py [--out PATH]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import time
from importlib import metadata
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "tests" / "data" / "figure4_exact_kappa.json"
PARAMETERS = {"alpha": 0.2, "gamma": 1.0, "omega_c": 10.0, "delta": 1.0, "tolerance": 1e-2}
EXTRA_LOW = (0.065, 0.1, 0.14, 0.2, 0.25)  # below T_K, for the T^3 question


def figure4_kappa_temperatures() -> list[float]:
    """The kappa temperatures of the default Figure 4 grid, and EXTRA_LOW."""
    from heatbounds.numeric.figure4 import KAPPA_STRIDE, KAPPA_T_MIN

    grid = np.geomspace(0.05, 10.0, 25)
    chosen = np.zeros(grid.size, dtype=bool)
    chosen[::-1][::KAPPA_STRIDE] = True
    chosen &= grid >= KAPPA_T_MIN * (1 - 1e-12)
    return sorted(set(grid[chosen].tolist()) | set(EXTRA_LOW))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="where to write the JSON")
    args = parser.parse_args(argv)
    from heatbounds.numeric.figure4 import (
        KAPPA_QMC_SEED,
        KAPPA_QMC_TOLERANCE,
        exact_conductance_points,
    )
    from heatbounds.numeric.spin_boson_reference import kondo_temperature

    points = []
    start = time.perf_counter()
    for t in figure4_kappa_temperatures():
        (point,) = exact_conductance_points(
            [t], **PARAMETERS, progress=lambda line: print(line, file=sys.stderr, flush=True)
        )
        points.append(point)
    record = {
        "provenance": {
            "command": "python benchmarks/reference_figure4_kappa.py",
            "heatbounds": metadata.version("heatbounds"),
            "qutip": metadata.version("qutip"),
            "date": datetime.date.today().isoformat(),
            "wall_seconds": round(time.perf_counter() - start, 1),
            "cpu_count": os.cpu_count(),
        },
        "parameters": {
            **PARAMETERS,
            "qmc_tolerance": KAPPA_QMC_TOLERANCE,
            "qmc_seed": KAPPA_QMC_SEED,
            "t_kondo": kondo_temperature(
                PARAMETERS["alpha"], omega_c=PARAMETERS["omega_c"], delta=PARAMETERS["delta"]
            ),
        },
        "points": [{k: v for k, v in p.items() if k != "cached"} for p in points],
    }
    out = Path(args.out)
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(out)
    print(f"wrote {out} ({len(points)} points)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
