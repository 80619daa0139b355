"""Time kappa(T) for 200 temperatures: batched ln(omega) quadrature vs adaptive quad in a loop.

Run: ``.venv/bin/python benchmarks/bench_harmonic_quadrature.py``. All methods
compute the exact-form harmonic conductance (Eq. 5, 10) at the paper's
alpha_L = alpha_R = 0.4, omega_c = 10 omega_0 (reduced units) on
T = 10^-3 ... 10^3 omega_0, in the same run. The loops use scipy's adaptive
``quad`` at epsabs=0, epsrel=1e-10, split at the resonance and at multiples of
T, with two integrands: a lean hand-written scalar one (math and
scipy.special scalars: quad's best case) and the library's own
``im_susceptibility`` called per point (what a user would write first).
Prints the times, the ratios, the loops' integrand evaluations and the largest
relative difference between the results.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable

import numpy as np
from scipy import integrate, special

from heatbounds.numeric.harmonic_response import im_susceptibility
from heatbounds.numeric.harmonic_transport import exact_conductance

PARAMS = {"alpha_L": 0.4, "alpha_R": 0.4, "omega_c": 10.0}
PREFACTOR = 0.4 * 0.4 / 0.8  # alpha gamma / 4
ALPHA, OMEGA_C = 0.8, 10.0


def im_chi_lean(w: float) -> float:
    """Exact-form Im chi (omega0 = 1), scalar, written out for speed."""
    x = w / OMEGA_C
    g = math.exp(-x) * special.expi(x) + math.exp(x) * special.exp1(x)
    re = 1.0 - w * w + ALPHA * w * g
    im = math.pi * ALPHA * w * math.exp(-x)
    return 2.0 * im / (re * re + im * im)


def im_chi_library(w: float) -> float:
    return im_susceptibility(w, **PARAMS)


def kappa_by_quad_loop(
    temps: np.ndarray, im_chi: Callable[[float], float]
) -> tuple[np.ndarray, int]:
    out = np.empty_like(temps)
    evaluations = 0
    for i, t in enumerate(temps):

        def f(w, t=t):
            x = w / t
            kernel = x * x * math.exp(-x) / math.expm1(-x) ** 2
            return PREFACTOR * w * math.exp(-w / OMEGA_C) * im_chi(w) * kernel

        upper = max(70 * min(t, 5.0), min(70 * t, 6.0))
        edges = sorted({0.0, upper, *[e for e in (0.1 * t, t, 5 * t, 0.5, 1.3, 3.0) if e < upper]})
        total = 0.0
        for lo, hi in itertools.pairwise(edges):
            value, _, info = integrate.quad(
                f, lo, hi, epsabs=0, epsrel=1e-10, limit=200, full_output=True
            )
            total += value
            evaluations += info["neval"]
        out[i] = total
    return out, evaluations


def best_of(fn, repeat: int):
    best, result = math.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    temps = np.logspace(-3, 3, 200)
    t_batch, k_batch = best_of(lambda: exact_conductance(temps, **PARAMS, rtol=1e-10), 5)
    t_lean, (k_lean, n_lean) = best_of(lambda: kappa_by_quad_loop(temps, im_chi_lean), 3)
    t_lib, (k_lib, n_lib) = best_of(lambda: kappa_by_quad_loop(temps, im_chi_library), 1)
    print(f"{temps.size} temperatures (1e-3 .. 1e3 omega0), exact chi, relative tolerance 1e-10")
    print(f"batched ln(omega) Gauss-Kronrod:        {t_batch * 1e3:9.1f} ms  (best of 5)")
    print(f"quad loop, lean scalar integrand:       {t_lean * 1e3:9.1f} ms  ({n_lean} evaluations)")
    print(f"quad loop, im_susceptibility per point: {t_lib * 1e3:9.1f} ms  ({n_lib} evaluations)")
    print(f"ratio lean loop / batched:              {t_lean / t_batch:9.1f}")
    print(f"ratio library loop / batched:           {t_lib / t_batch:9.1f}")
    diff = max(np.max(np.abs(k_batch / k_lean - 1)), np.max(np.abs(k_batch / k_lib - 1)))
    print(f"max relative difference of the results: {diff:9.2e}")


if __name__ == "__main__":
    main()
