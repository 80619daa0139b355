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
* T_K, and the temperatures where Bloch-Redfield exceeds the exact bound;
* the exact linear conductance kappa(T) (Eq. 5 at T_L = T_R) from the HEOM
  susceptibility (:func:`heatbounds.numeric.heom_susceptibility.spin_boson_conductance`),
  with its error estimate, on every ``kappa_stride``-th temperature of the
  grid from ``kappa_t_min`` up (13 of the 25 temperatures, 10 Delta down to the
  grid's lowest, 0.05 Delta, by default; at alpha = 0.2 that point takes depth 5,
  6188 ADOs and about a minute).

Only the QMC and the HEOM are expensive. The QMC run is cached on disk as JSON
under a key made from the parameters it depends on (alpha, omega_c, delta, the
temperatures, tolerance, seed, chains); each exact kappa point on its own
(:func:`exact_conductance_points`, shared with ``heatbounds conductance
spin-boson``), keyed by all of its parameters. The references are recomputed
on every call, so a fix to a formula never hides behind a stale cache.
``gamma`` only scales the bound and is not part of the QMC key.
"""

from __future__ import annotations

import importlib.util
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
from heatbounds.numeric.validation import finite_float, positive_float

__all__ = [
    "CACHE_VERSION",
    "KAPPA_CACHE_VERSION",
    "Figure4Data",
    "default_cache_dir",
    "exact_conductance_points",
    "figure4_data",
]

# Bump when the sampler or the estimator changes what a cached run would give.
CACHE_VERSION = 1
# Bump when the HEOM conductance (heom_susceptibility) changes what a cached point would give.
KAPPA_CACHE_VERSION = 1
BAND_SIGMAS = 2.0  # the error band drawn around the QMC bound, in standard errors
KAPPA_T_MIN = 0.05  # in Delta: the HEOM conductance converges down to here at alpha = 0.2
KAPPA_STRIDE = 2  # exact kappa on every 2nd grid temperature, counted down from t_max
KAPPA_TOLERANCE = 1e-2  # relative change of kappa under refinement accepted as converged
KAPPA_QMC_TOLERANCE = 2e-3  # the QMC checks of each kappa point (<sigma_x>, static chi)
KAPPA_QMC_SEED = 12


@dataclass(frozen=True)
class Figure4Data:
    """Everything Figure 4 draws, on one temperature grid (reduced units).

    bound_qmc_band = (bound_qmc - 2 stderr, bound_qmc + 2 stderr).
    bloch_redfield_exceeds: kappa_BR (printed form, as in the paper) >
    bound_qmc; bloch_redfield_exceeds_band: kappa_BR > the band's upper edge.
    violation_temperatures are the grid temperatures where it exceeds.

    The exact conductance is on the same grid, NaN where it was not computed
    (``kappa_exact_computed`` is False there): kappa_exact, kappa_exact_error
    (the largest change under the last refinement, not a standard error) and
    kappa_exact_converged (False also where not computed). ``kappa_points``
    holds the full record of every computed point
    (:meth:`ConductanceResult.to_dict`).
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
    kappa_exact: np.ndarray
    kappa_exact_error: np.ndarray
    kappa_exact_computed: np.ndarray
    kappa_exact_converged: np.ndarray
    kappa_points: tuple[dict, ...]


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
    kappa_t_min: float | None = KAPPA_T_MIN,
    kappa_stride: int = KAPPA_STRIDE,
    kappa_tolerance: float = KAPPA_TOLERANCE,
    kappa_progress: Callable[[str], None] | None = None,
) -> Figure4Data:
    """Figure 4 data: Eq. 18 with exact and weak-coupling <sigma_x>, kappa_Q, BR, T_K,
    and the exact kappa.

    Reduced units (hbar = k_B = 1); ``t_min``, ``t_max`` and ``omega_c`` in
    units of Delta times ``delta``. The temperature grid is
    geomspace(t_min, t_max, n_temperatures). ``tolerance`` is the target
    standard error of <sigma_x> at each temperature (``time_limit`` seconds
    each at most; unconverged points are flagged in ``qmc_converged``).
    ``refresh`` recomputes and overwrites the cache; ``use_cache=False``
    neither reads nor writes it.

    The exact kappa (HEOM, needs ``heatbounds[exact]``) is computed at every
    ``kappa_stride``-th grid temperature counted down from ``t_max``, down to
    ``kappa_t_min`` (in units of Delta times ``delta``), to the relative
    tolerance ``kappa_tolerance``; ``kappa_t_min=None`` computes none.
    ``kappa_progress`` receives a line of text per point and per refinement
    (:func:`exact_conductance_points`).
    """
    alpha = validate_alpha(alpha)
    for name, value in (("t_min", t_min), ("t_max", t_max), ("omega_c", omega_c)):
        positive_float(name, value)
    if not t_max > t_min:
        raise NumericInputError(f"t_max must exceed t_min, got {t_min!r} .. {t_max!r}")
    if int(n_temperatures) != n_temperatures or n_temperatures < 2:
        raise NumericInputError(f"n_temperatures must be an integer >= 2, got {n_temperatures!r}")
    if int(kappa_stride) != kappa_stride or kappa_stride < 1:
        raise NumericInputError(f"kappa_stride must be an integer >= 1, got {kappa_stride!r}")
    temps = np.geomspace(float(t_min), float(t_max), int(n_temperatures))
    kappa_at = np.zeros(temps.size, dtype=bool)
    if kappa_t_min is not None:
        floor = positive_float("kappa_t_min", kappa_t_min) * float(delta)
        kappa_at[::-1][:: int(kappa_stride)] = True
        kappa_at &= temps >= floor * (1.0 - 1e-12)

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
    points = exact_conductance_points(
        temps[kappa_at],
        alpha=alpha,
        gamma=gamma,
        omega_c=omega_c,
        delta=delta,
        tolerance=kappa_tolerance,
        cache_dir=cache_dir,
        use_cache=use_cache,
        refresh=refresh,
        progress=kappa_progress,
    )
    kappa, kappa_err = np.full(temps.size, np.nan), np.full(temps.size, np.nan)
    kappa_conv = np.zeros(temps.size, dtype=bool)
    kappa[kappa_at] = [p["kappa"] for p in points]
    kappa_err[kappa_at] = [p["kappa_error"] for p in points]
    kappa_conv[kappa_at] = [p["converged"] for p in points]
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
        parameters={
            **params,
            "gamma": float(gamma),
            "kappa_tolerance": float(kappa_tolerance),
            "kappa_qmc_tolerance": KAPPA_QMC_TOLERANCE,
            "kappa_qmc_seed": KAPPA_QMC_SEED,
        },
        cache_file=path if use_cache else None,
        kappa_exact=kappa,
        kappa_exact_error=kappa_err,
        kappa_exact_computed=kappa_at,
        kappa_exact_converged=kappa_conv,
        kappa_points=tuple(points),
    )


def exact_conductance_points(
    temperatures,
    *,
    alpha: float,
    omega_c: float,
    gamma: float = 1.0,
    delta: float = 1.0,
    tolerance: float = KAPPA_TOLERANCE,
    cache_dir: str | os.PathLike | None = None,
    use_cache: bool = True,
    refresh: bool = False,
    progress: Callable[[str], None] | None = None,
) -> list[dict]:
    """The exact spin-boson kappa(T) by the HEOM, one cached point per temperature.

    Reduced units (hbar = k_B = 1): temperatures, omega_c and delta in one
    unit, kappa in k_B times it. Each point is
    :func:`~heatbounds.numeric.heom_susceptibility.spin_boson_conductance` at
    one temperature (refined to the relative ``tolerance``, with the QMC
    checks at a standard error of :data:`KAPPA_QMC_TOLERANCE`, seed
    :data:`KAPPA_QMC_SEED`) as its JSON-ready dict
    (:meth:`ConductanceResult.to_dict`), plus ``"cached"``: whether it was
    read from the disk cache. Points are cached one by one (namespace
    ``spin-boson-conductance``), keyed by the temperature, alpha, gamma,
    omega_c, delta, the tolerances and the seed, so work stopped part-way
    keeps the finished points, and the same point asked by ``heatbounds
    conductance spin-boson`` and by Figure 4 is computed once. ``refresh``
    recomputes and overwrites; ``use_cache=False`` neither reads nor writes.

    ``progress`` (optional) is called with one line of text when a point
    starts, for each hierarchy of its refinement (after the point: the
    HEOM solver reports nothing while it works), and with its result.

    Raises
    ------
    NumericInputError
        A temperature, coupling or frequency outside its domain, before any
        work; or QuTiP missing (``pip install 'heatbounds[exact]'``).
    """
    temps = np.atleast_1d(np.asarray(temperatures, dtype=float))
    if temps.ndim != 1:
        raise NumericInputError("temperatures must be a number or a 1-d sequence")
    for t in temps:
        positive_float("temperature", t)
    alpha = validate_alpha(alpha)
    gamma = finite_float("gamma", gamma, minimum=0)
    if gamma > 1.0:
        raise NumericInputError(f"gamma = 4 alpha_L alpha_R / alpha^2 must be <= 1, got {gamma}")
    shared = {
        "alpha": alpha,
        "gamma": gamma,
        "omega_c": positive_float("omega_c", omega_c),
        "delta": positive_float("delta", delta),
        "tolerance": positive_float("tolerance", tolerance),
    }
    qmc = {"qmc_tolerance": KAPPA_QMC_TOLERANCE, "qmc_seed": KAPPA_QMC_SEED}
    report = progress or (lambda line: None)
    cache = JsonCache("spin-boson-conductance", KAPPA_CACHE_VERSION, cache_dir)
    keys = [{"temperature": t, **shared, **qmc} for t in temps.tolist()]
    records = [cache.load(k) if use_cache and not refresh else None for k in keys]
    if any(r is None for r in records) and importlib.util.find_spec("qutip") is None:
        raise NumericInputError(
            "the exact conductance needs QuTiP (its HEOM solver): pip install 'heatbounds[exact]'"
        )
    points = []
    for i, (params, record) in enumerate(zip(keys, records, strict=True)):
        t = params["temperature"]
        where = f"[{i + 1}/{temps.size}] T = {t:.4g}"
        if record is not None:
            report(f"{where}: kappa = {record['point']['kappa']:.6g} (cached)")
            points.append({**record["point"], "cached": True})
            continue
        from heatbounds.numeric.heom_susceptibility import spin_boson_conductance

        report(f"{where}: QMC checks and HEOM refinement ...")
        result = spin_boson_conductance(t, **shared, qmc=True, **qmc).to_dict()
        for step in result["history"]:
            report(
                f"{where}:   depth {step['depth']}, {2 * step['n_terms']} exponents, "
                f"step {step['step_factor']:g}/rho: {step['ados']} ADOs, "
                f"kappa = {step['kappa']:.6g} ({step['seconds']:.1f} s)"
            )
        report(
            f"{where}: kappa = {result['kappa']:.6g} +- {result['kappa_error']:.2g}"
            + ("" if result["converged"] else f" NOT converged: {result['note']}")
            + f" ({result['seconds']:.1f} s)"
        )
        if use_cache:
            cache.store(params, {"point": result})
        points.append({**result, "cached": False})
    return points
