"""Benchmark: exact spin-boson numbers from the HEOM, against their wall-time targets.

Targets (issue 12), alpha = 0.2, omega_c = 10 Delta, reduced units (hbar = k_B = 1,
Delta = 1), on the 2-core machine, every bath fit from a cold cache:

(a) <sigma_x> at T = Delta to 1e-3, with its error estimate: at most 10 s;
(b) the linear conductance kappa (Eq. 5 at T_L = T_R) at T = Delta and at
    T = 0.3 Delta to 1 % relative, with its error estimate: at most 60 s each.

(a) uses :func:`heom_steady_state` at the settings found converged (depth 4,
n_terms 6, bath fit on 0 <= t <= 3/T); its error is the larger of the changes
from depth 3 and from n_terms 5. (b) calls :func:`spin_boson_conductance`,
which refines until converged (QMC checks included). Each measurement gets a
fresh temporary HEATBOUNDS_CACHE_DIR. Run with
``.venv/bin/python benchmarks/bench_heom.py``; timings are noisy when other
jobs share the machine.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

import numpy as np

ALPHA, OMEGA_C = 0.2, 10.0
SIGMA_X_TARGET, KAPPA_TARGET = 10.0, 60.0
SIGMA_X_SETTINGS = (4, 6)  # (depth, n_terms)


def _fresh_cache() -> None:
    os.environ["HEATBOUNDS_CACHE_DIR"] = tempfile.mkdtemp(prefix="bench-heom-")


def sigma_x_point(temperature: float = 1.0) -> None:
    """(a): <sigma_x> from the HEOM steady state, its error, and the QMC value."""
    _fresh_cache()
    start = time.perf_counter()
    from heatbounds.numeric.heom_environment import fit_bath
    from heatbounds.numeric.heom_spin_boson import SIGMA_X, fit_window
    from heatbounds.numeric.heom_steady import HeomSettings, heom_steady_state
    from heatbounds.symbolic.models import builtin_model

    model = builtin_model("spin-boson")
    values = {"Delta": 1.0, "alpha_L": ALPHA / 2, "alpha_R": ALPHA / 2, "omega_c": OMEGA_C}
    values["hbar"] = 1.0
    window = fit_window(temperature, OMEGA_C)

    fit_seconds = []

    def sx(depth: int, n_terms: int) -> float:
        clock = time.perf_counter()
        fit = fit_bath(
            model.dissipation, values, temperature=temperature, n_terms=n_terms, t_max=window
        )
        fit_seconds.append(time.perf_counter() - clock)
        state = heom_steady_state(
            model,
            values,
            t_left=temperature,
            t_right=temperature,
            settings=HeomSettings(depth=depth, n_terms=n_terms),
            fits={"LR": fit},
        )
        return float(state.expect(SIGMA_X).real)

    depth, n_terms = SIGMA_X_SETTINGS
    value = sx(depth, n_terms)
    error = max(abs(value - sx(depth - 1, n_terms)), abs(value - sx(depth, n_terms - 1)))
    wall = time.perf_counter() - start
    from heatbounds.numeric.spin_boson_qmc import sigma_x

    qmc = sigma_x(temperature, alpha=ALPHA, omega_c=OMEGA_C, tolerance=1e-3, seed=1)
    print(
        f"(a) <sigma_x>(T = {temperature:g}) = {value:.5f} +- {error:.1e} (HEOM depth {depth}, "
        f"n_terms {n_terms}; QMC {qmc.sigma_x:.4f} +- {qmc.stderr:.4f})\n"
        f"    {wall:.1f} s wall ({sum(fit_seconds):.1f} s in two bath fits), cold cache: "
        f"{wall / SIGMA_X_TARGET:.2f} x the {SIGMA_X_TARGET:g} s target"
    )


def kappa_point(temperature: float) -> None:
    """(b): one converged kappa with its error and the three checks."""
    _fresh_cache()
    start = time.perf_counter()
    from heatbounds.numeric.heom_susceptibility import spin_boson_conductance

    r = spin_boson_conductance(temperature, alpha=ALPHA, omega_c=OMEGA_C, tolerance=0.01)
    wall = time.perf_counter() - start
    s = r.settings
    fits = sorted({h["n_terms"] for h in r.history})
    hierarchy_seconds = sum(h["seconds"] for h in r.history)
    print(
        f"(b) kappa(T = {temperature:g}) = {r.kappa:.6f} +- {r.kappa_error:.1e} "
        f"({r.kappa_error / r.kappa:.2%}), converged {r.converged}; Eq. 18 bound "
        f"{r.bound:.5f} +- {r.bound_error:.1e}\n"
        f"    final depth {s['depth']}, n_terms {s['n_terms']} ({s['ados']} ADOs, fit error "
        f"{s['fit_error']:.1e}), RK4 step {s['time_step']:.4f}, window {s['time_window']:.1f}; "
        f"{len(r.history)} hierarchies, fits for n_terms {fits}\n"
        f"    f-sum {r.f_sum:.5f} vs -<sigma_x> HEOM {-r.sigma_x:.5f}, QMC "
        f"{-r.sigma_x_qmc:.4f} +- {r.sigma_x_qmc_stderr:.4f}; min Im chi {r.im_chi_min:.1e} "
        f"(spectrum error {r.spectrum_error:.1e}); static {r.static_susceptibility:.4f} vs QMC "
        f"{r.static_susceptibility_qmc:.4f} +- {r.static_susceptibility_qmc_stderr:.4f}\n"
        f"    {wall:.1f} s wall ({hierarchy_seconds:.1f} s in the hierarchies), cold cache: "
        f"{wall / KAPPA_TARGET:.2f} x the {KAPPA_TARGET:g} s target"
    )


def main(argv: list[str]) -> int:
    temps = [float(t) for t in argv] or [1.0, 0.3]
    print(
        f"alpha = {ALPHA}, omega_c = {OMEGA_C} Delta, Delta = 1; {os.cpu_count()} cores, "
        f"numpy {np.__version__}"
    )
    sigma_x_point()
    for t in temps:
        kappa_point(t)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
