"""Benchmark and tightness table: kappa of the interacting Anderson dot against its bound.

The 2 x 2 x 2 x 2 grid (T, eps0, U, Gamma) of the docs' table, at production
settings (depth 3, 2 Pade poles per branch, h = min(Gamma/2, pi T, W)/3) with
the error estimate (depth 4; 3 Pade poles; step 2 h). Leads: Gamma_L = Gamma_R
= Gamma/2, W = 5, mu = 0. One JSON line per point (with its wall time) goes to
stdout, or to FILE; ``--part I/N`` runs every N-th point from the I-th, so
that N processes share the grid; ``--temperature T`` runs that T only and
``--refine K`` divides the default step by K (the low-T points, where the
interacting A has features sharper than Gamma/2, need K = 2).

Run from the repository root:
``.venv/bin/python benchmarks/bench_anderson.py [--part I/N] [--out FILE]``.
Wall time (2 cores, two parts in parallel, MKL PARDISO for dimensions >= 6000):
66-97 s a point at T = 0.25 (73-109 energies; with --refine 2, 141-217
energies, 45-107 s), 110-380 s at T = 1 (217-433 energies).
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time

from heatbounds.numeric.anderson_heom import AndersonDot, HeomSettings
from heatbounds.numeric.anderson_transport import anderson_conductance, default_step

TEMPERATURES = (0.25, 1.0)
GAMMAS = (1.0, 2.0)
INTERACTIONS = (2.0, 6.0)
BANDWIDTH = 5.0
SETTINGS = HeomSettings(depth=3, pade=2)


def level_energies(u: float) -> tuple[float, float]:
    """eps0: particle-hole symmetric (-U/2) and a level above mu (0.5)."""
    return (-u / 2, 0.5)


def grid():
    for t, u, gamma in itertools.product(TEMPERATURES, INTERACTIONS, GAMMAS):
        for eps0 in level_energies(u):
            yield t, eps0, u, gamma


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--part", default="0/1")
    parser.add_argument("--out", default=None)
    parser.add_argument("--temperature", type=float, default=None, help="only this T")
    parser.add_argument("--refine", type=float, default=1.0, help="divide the default step by this")
    args = parser.parse_args(argv)
    index, parts = (int(x) for x in args.part.split("/"))
    out = open(args.out, "a", encoding="utf-8") if args.out else sys.stdout
    for number, (t, eps0, u, gamma) in enumerate(grid()):
        if number % parts != index or args.temperature not in (None, t):
            continue
        dot = AndersonDot(eps0, u, gamma / 2, gamma / 2, BANDWIDTH)
        start = time.perf_counter()
        r = anderson_conductance(dot, t, SETTINGS, step=default_step(dot, t) / args.refine)
        record = {
            "T": t,
            "eps0": eps0,
            "U": u,
            "Gamma": gamma,
            "W": BANDWIDTH,
            "kappa": r.kappa,
            "kappa_error": r.kappa_error,
            "bound": r.bound,
            "ratio": r.tightness,
            "G": r.charge,
            "G_error": r.charge_error,
            "n_up": r.occupation,
            "min_A": r.spectral_minimum,
            "changes": r.kappa_changes,
            "settings": r.settings.text(),
            "step": r.step,
            "points": r.points,
            "seconds": round(time.perf_counter() - start, 1),
        }
        print(json.dumps(record), file=out, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
