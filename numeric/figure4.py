"""Data of the paper's Figure 4: spin-boson conductance bounds against temperature.

Reduced units throughout: hbar = k_B = 1, temperatures and omega_c in units
of Delta (``delta`` sets that unit), conductances in units of k_B Delta.

For alpha = 0.2, gamma = 1, omega_c = 10 Delta over T = 0.05 ... 10 Delta (log
grid), :func:`figure4_data` returns

* the sum-rule bound Eq. 18, (pi alpha gamma/4)(-Delta <sigma_x>), with the
  exact <sigma_x> from the kink QMC and its standard error;
* the same bound with the weak-coupling <sigma_x> = -tanh(Delta/2T);
* kappa_Q = pi T/6 (Eq. 2);
* the Bloch-Redfield kappa as printed in the paper (omega_c -> inf) and with
  the finite-omega_c factor exp(-Delta/omega_c);
* T_K, and the temperatures where Bloch-Redfield exceeds the exact bound.

Only the QMC part is expensive; it is cached on disk as JSON under a key made
from the parameters it depends on (alpha, omega_c, delta, the temperatures,
tolerance, seed, chains). The references are recomputed on every call, so a
fix to a formula never hides behind a stale cache. ``gamma`` only scales the
bound and is not part of the key.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from heatbounds.numeric.disk_cache import JsonCache, default_cache_dir
from heatbounds.numeric.errors import NumericInputError
from heatbounds.numeric.spin_boson_qmc import ProgressInfo, sigma_x, validate_alpha
from heatbounds.numeric.spin_boson_reference import (
    bloch_redfield_conductance,
    bloch_redfield_conductance_printed,
    conductance_bound,
    kappa_quantum,
    kondo_temperature,
    sigma_x_weak_coupling,
)
from heatbounds.numeric.validation import positive_float

__all__ = ["CACHE_VERSION", "Figure4Data", "default_cache_dir", "figure4_data"]

# Bump when the sampler or the estimator changes what a cached run would give.
CACHE_VERSION = 1
BAND_SIGMAS = 2.0  # the error band drawn around the QMC bound, in standard errors


@dataclass(frozen=True)
class Figure4Data:
    """Everything Figure 4 draws, on one temperature grid (reduced units).

    bound_qmc_band = (bound_qmc - 2 stderr, bound_qmc + 2 stderr).
    bloch_redfield_exceeds: kappa_BR (printed form, as in the paper) >
    bound_qmc; bloch_redfield_exceeds_band: kappa_BR > the band's upper edge.
    violation_temperatures are the grid temperatures where it exceeds.
    """

    temperature: np.ndarray
    sigma_x_qmc: np.ndarray
    sigma_x_qmc_stderr: np.ndarray
    qmc_converged: np.ndarray
    bound_qmc: np.ndarray
    bound_qmc_stderr: np.ndarray
    bound_qmc_band: tuple[np.ndarray, np.ndarray]
    bound_weak_coupling: np.ndarray
    kappa_quantum: np.ndarray
    kappa_bloch_redfield: np.ndarray
    kappa_bloch_redfield_finite_cutoff: np.ndarray
    kondo_temperature: float
    bloch_redfield_exceeds: np.ndarray
    bloch_redfield_exceeds_band: np.ndarray
    violation_temperatures: np.ndarray
    parameters: dict
    cache_file: Path | None


def figure4_data(
    *,
    alpha: float = 0.2,
    gamma: float = 1.0,
    omega_c: float = 10.0,
    delta: float = 1.0,
    t_min: float = 0.05,
    t_max: float = 10.0,
    n_temperatures: int = 25,
    tolerance: float = 1e-3,
    seed: int = 2018,
    n_chains: int = 4,
    time_limit: float = 120.0,
    cache_dir: str | os.PathLike | None = None,
    use_cache: bool = True,
    refresh: bool = False,
    progress: Callable[[ProgressInfo], None] | None = None,
) -> Figure4Data:
    """Figure 4 data: Eq. 18 with exact and weak-coupling <sigma_x>, kappa_Q, BR, T_K.

    Reduced units (hbar = k_B = 1); ``t_min``, ``t_max`` and ``omega_c`` in
    units of Delta times ``delta``. The temperature grid is
    geomspace(t_min, t_max, n_temperatures). ``tolerance`` is the target
    standard error of <sigma_x> at each temperature (``time_limit`` seconds
    each at most; unconverged points are flagged in ``qmc_converged``).
    ``refresh`` recomputes and overwrites the cache; ``use_cache=False``
    neither reads nor writes it.
    """
    alpha = validate_alpha(alpha)
    for name, value in (("t_min", t_min), ("t_max", t_max), ("omega_c", omega_c)):
        positive_float(name, value)
    if not t_max > t_min:
        raise NumericInputError(f"t_max must exceed t_min, got {t_min!r} .. {t_max!r}")
    if int(n_temperatures) != n_temperatures or n_temperatures < 2:
        raise NumericInputError(f"n_temperatures must be an integer >= 2, got {n_temperatures!r}")
    temps = np.geomspace(float(t_min), float(t_max), int(n_temperatures))

    params = {
        "alpha": alpha,
        "omega_c": float(omega_c),
        "delta": float(delta),
        "temperatures": temps.tolist(),
        "tolerance": float(tolerance),
        "seed": int(seed),
        "n_chains": int(n_chains),
    }
    cache = JsonCache("figure4", CACHE_VERSION, cache_dir)
    path = cache.path(params)
    cached = cache.load(params) if use_cache and not refresh else None
    if cached is None:
        run = sigma_x(
            temps,
            alpha=alpha,
            omega_c=omega_c,
            delta=delta,
            tolerance=tolerance,
            seed=seed,
            n_chains=n_chains,
            time_limit=time_limit,
            progress=progress,
        )
        cached = {"qmc": run.to_dict()}
        if use_cache:
            cache.store(params, cached)
    qmc = cached["qmc"]
    sx = np.array(qmc["sigma_x"])
    sx_err = np.array(qmc["stderr"])

    bound = conductance_bound(sx, alpha=alpha, gamma=gamma, delta=delta)
    bound_err = 0.25 * math.pi * alpha * gamma * delta * sx_err
    br = bloch_redfield_conductance_printed(temps, alpha=alpha, gamma=gamma, delta=delta)
    upper = bound + BAND_SIGMAS * bound_err
    exceeds = br > bound
    return Figure4Data(
        temperature=temps,
        sigma_x_qmc=sx,
        sigma_x_qmc_stderr=sx_err,
        qmc_converged=np.array(qmc["converged"], dtype=bool),
        bound_qmc=bound,
        bound_qmc_stderr=bound_err,
        bound_qmc_band=(bound - BAND_SIGMAS * bound_err, upper),
        bound_weak_coupling=conductance_bound(
            sigma_x_weak_coupling(temps, delta=delta), alpha=alpha, gamma=gamma, delta=delta
        ),
        kappa_quantum=kappa_quantum(temps),
        kappa_bloch_redfield=br,
        kappa_bloch_redfield_finite_cutoff=bloch_redfield_conductance(
            temps, alpha=alpha, gamma=gamma, delta=delta, omega_c=omega_c
        ),
        kondo_temperature=float(kondo_temperature(alpha, omega_c=omega_c, delta=delta)),
        bloch_redfield_exceeds=exceeds,
        bloch_redfield_exceeds_band=br > upper,
        violation_temperatures=temps[exceeds],
        parameters={**params, "gamma": float(gamma)},
        cache_file=path if use_cache else None,
    )
