"""The jobs a sweep runs at each grid point, their parameters and their outputs.

Reduced units (hbar = k_B = 1). Each job names its parameters (required, and
optional with defaults) and returns a flat dict of numbers and booleans, one
Parquet row per point (:mod:`heatbounds.numeric.sweep_store`):

* ``sigma-x`` (spin-boson): the exact <sigma_x> by the kink QMC
  (:func:`heatbounds.numeric.spin_boson_qmc.sigma_x`), seeded per point;
  outputs ``sigma_x``, ``stderr``, ``converged``, ``burned_in``, ``n_kinks``.
* ``conductance``: harmonic (Eq. 10, 13-15) or spin-boson (HEOM, Eq. 5, with
  Eq. 18 from the QMC); outputs ``kappa``, ``kappa_error``, ``sum_rule_bound``,
  ``kappa_Q`` (and for spin-boson ``sigma_x``, ``converged``).
* ``transport``: any model with proportional baths, by the HEOM
  (:func:`heatbounds.numeric.heom_transport.exact_transport`); outputs
  ``current``, ``current_error``, ``current_bound``, ``ballistic_bound``,
  ``converged``.
* ``bound``: the conductance bound with its exact input: Eq. 18 with the QMC
  <sigma_x> (spin-boson), Eq. 15 (harmonic); outputs ``bound`` and
  ``bound_error`` (one standard error).
* ``check``: the spectral check of the sum rules (Eq. 24, 25) at the point's
  parameters; outputs ``max_rel_error`` and ``passed``.

:func:`check_point` refuses a point outside a parameter's domain before any
worker starts; :func:`run_point` computes one.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from heatbounds.numeric.errors import NumericInputError

__all__ = [
    "JOB_PARAMETERS",
    "SweepContext",
    "check_point",
    "outputs_of",
    "run_point",
    "warm_up",
]

# job -> (required, optional with defaults); model parameters come on top for transport/check
JOB_PARAMETERS = {
    "sigma-x": (
        ("alpha", "omega_c", "temperature"),
        {"delta": 1.0, "tolerance": 2e-3, "time_limit": 60.0},
    ),
    "conductance": (
        ("temperature", "alpha_L", "alpha_R", "omega_c"),
        {"omega0": 1.0, "delta": 1.0, "tolerance": 1e-2},
    ),
    "transport": (("t_left", "t_right", "alpha_L", "alpha_R", "omega_c"), {"tolerance": 1e-2}),
    "bound": (
        ("alpha", "omega_c", "temperature"),
        {"gamma": 1.0, "delta": 1.0, "omega0": 1.0, "tolerance": 2e-3, "time_limit": 60.0},
    ),
    "check": (("temperature",), {"tolerance": 1e-8}),
}
_POSITIVE = {
    "omega_c", "temperature", "delta", "tolerance", "time_limit", "omega0", "t_left", "t_right",
}  # fmt: skip
_MODELS = {
    "sigma-x": ("spin-boson",),
    "conductance": ("harmonic", "spin-boson"),
    "bound": ("harmonic", "spin-boson"),
}


@dataclass(frozen=True)
class SweepContext:
    """What every task of a sweep shares: sent to the workers once (Dask scatter).

    ``junction`` is the model (built-in or from a file) for the jobs that
    build matrices; ``defaults`` its parameter defaults (reduced units)."""

    job: str
    model: str
    junction: object = None
    defaults: tuple = ()


def _domain_error(name: str, value: float, rule: str, where: str) -> NumericInputError:
    return NumericInputError(f"{where}: {name} = {value:g} is outside its domain ({rule})")


def check_point(context: SweepContext, point: dict, where: str = "sweep") -> dict:
    """The point's parameters with the job's defaults filled in, or a refusal naming the
    parameter and the rule. No work is done."""
    required, optional = JOB_PARAMETERS[context.job]
    allowed = _MODELS.get(context.job)
    if allowed is not None and context.model not in allowed:
        raise NumericInputError(
            f"{where}: job {context.job!r} supports the models {', '.join(allowed)}, "
            f"not {context.model!r} (use transport or check for a model file)"
        )
    params = {k: v for k, v in point.items() if k not in ("point_id", "seed")}
    model_names = set(dict(context.defaults))
    known = set(required) | set(optional) | model_names
    unknown = sorted(set(params) - known)
    if unknown:
        raise NumericInputError(
            f"{where}: unknown parameter(s) {', '.join(unknown)} for job {context.job!r} "
            f"(known: {', '.join(sorted(known))})"
        )
    missing = [name for name in required if name not in params]
    if missing:
        raise NumericInputError(f"{where}: job {context.job!r} needs {', '.join(missing)}")
    full = {**dict(context.defaults), **optional, **params}
    for name, value in full.items():
        if name in _POSITIVE and not value > 0:
            raise _domain_error(name, value, "> 0", where)
    if "alpha" in params and not 0 <= full["alpha"] < 1:
        raise _domain_error("alpha", full["alpha"], "0 <= alpha < 1", where)
    for name in ("alpha_L", "alpha_R"):
        if name in full and full[name] < 0:
            raise _domain_error(name, full[name], ">= 0", where)
    if "alpha_L" in full and context.job in ("conductance", "transport"):
        total = full["alpha_L"] + full["alpha_R"]
        limit = 1.0 if context.model == "spin-boson" or context.job == "transport" else math.inf
        if not 0 < total < limit:
            rule = "0 < alpha_L + alpha_R" + (" < 1" if limit == 1.0 else "")
            raise _domain_error("alpha_L + alpha_R", total, rule, where)
    if "gamma" in full and not 0 <= full["gamma"] <= 1:
        raise _domain_error("gamma", full["gamma"], "0 <= gamma <= 1", where)
    if context.junction is not None and model_names:
        from heatbounds.numeric.check_defaults import check_values

        values = {k: v for k, v in full.items() if k in model_names}
        check_values(context.junction, values, label=f"{where}: {{name}}")
    return full


def outputs_of(result: dict) -> dict:
    """Only JSON/Parquet-friendly scalars: floats (NaN for None), booleans, ints."""
    out = {}
    for key, value in result.items():
        if isinstance(value, bool):
            out[key] = value
        elif value is None:
            out[key] = math.nan
        else:
            out[key] = float(value)
    return out


def run_point(context: SweepContext, point: dict) -> dict:
    """Compute one grid point: its parameters, the job's outputs and ``seconds``."""
    start = time.perf_counter()
    p = check_point(context, point)
    result = _JOBS[context.job](context, p, int(point["seed"]))
    return {**outputs_of(result), "seconds": time.perf_counter() - start}


def warm_up(job: str) -> None:
    """Import a job's modules and load its compiled kernels in this process (a worker
    does it once, before its first point, so no point's ``seconds`` carry it)."""
    if job in ("sigma-x", "bound"):
        from heatbounds.numeric.spin_boson_qmc import sigma_x

        sigma_x(1.0, alpha=0.1, omega_c=10.0, tolerance=0.05, seed=1, n_threads=1)
    elif job in ("conductance", "transport"):
        import heatbounds.numeric.harmonic_transport
    else:
        import heatbounds.numeric.spectral_check  # noqa: F401


def _sigma_x(context, p, seed) -> dict:
    from heatbounds.numeric.spin_boson_qmc import sigma_x

    r = sigma_x(
        p["temperature"],
        alpha=p["alpha"],
        omega_c=p["omega_c"],
        delta=p["delta"],
        tolerance=p["tolerance"],
        time_limit=p["time_limit"],
        seed=seed,
        n_threads=1,  # one worker per core
    )
    return {
        "sigma_x": None if not r.burned_in else r.sigma_x,
        "stderr": None if not r.burned_in else r.stderr,
        "converged": bool(r.converged),
        "burned_in": bool(r.burned_in),
        "n_kinks": r.n_kinks,
    }


def _bound(context, p, seed) -> dict:
    if context.model == "harmonic":
        alpha, gamma = p["alpha"], p["gamma"]
        return {"bound": math.pi * alpha * gamma * p["omega0"] / 4, "bound_error": 0.0}
    from heatbounds.numeric.spin_boson_reference import conductance_bound

    sx = _sigma_x(context, p, seed)
    if sx["sigma_x"] is None:
        return {**sx, "bound": None, "bound_error": None}
    scale = conductance_bound(1.0, alpha=p["alpha"], gamma=p["gamma"], delta=p["delta"])
    bound = conductance_bound(sx["sigma_x"], alpha=p["alpha"], gamma=p["gamma"], delta=p["delta"])
    return {**sx, "bound": bound, "bound_error": abs(scale) * sx["stderr"]}


def _conductance(context, p, seed) -> dict:
    alpha = p["alpha_L"] + p["alpha_R"]
    gamma = 4 * p["alpha_L"] * p["alpha_R"] / alpha**2
    if context.model == "harmonic":
        from heatbounds.numeric.harmonic_transport import (
            exact_conductance,
            quantum_of_thermal_conductance,
            sum_rule_conductance_bound,
        )

        model = {k: p[k] for k in ("alpha_L", "alpha_R", "omega_c", "omega0")}
        est = exact_conductance([p["temperature"]], **model, with_error=True)
        return {
            "kappa": float(est.value[0]),
            "kappa_error": float(est.error[0]),
            "sum_rule_bound": sum_rule_conductance_bound(
                alpha_L=p["alpha_L"], alpha_R=p["alpha_R"], omega0=p["omega0"]
            ),
            "kappa_Q": float(quantum_of_thermal_conductance(p["temperature"])),
        }
    from heatbounds.numeric.heom_susceptibility import spin_boson_conductance
    from heatbounds.numeric.spin_boson_reference import kappa_quantum

    r = spin_boson_conductance(
        p["temperature"],
        alpha=alpha,
        gamma=gamma,
        omega_c=p["omega_c"],
        delta=p["delta"],
        tolerance=p["tolerance"],
        qmc=True,
        qmc_seed=seed,
    )
    return {
        "kappa": r.kappa,
        "kappa_error": r.kappa_error,
        "sum_rule_bound": r.bound,
        "sum_rule_bound_error": r.bound_error,
        "sigma_x": r.sigma_x_qmc,
        "kappa_Q": float(kappa_quantum(p["temperature"])),
        "converged": bool(r.converged),
    }


def _model_values(context, p) -> dict:
    names = set(dict(context.defaults))
    return {k: v for k, v in p.items() if k in names}


def _transport(context, p, seed) -> dict:
    from heatbounds.numeric.heom_transport import exact_transport

    values = {**_model_values(context, p), "alpha_L": p["alpha_L"], "alpha_R": p["alpha_R"]}
    values["omega_c"] = p["omega_c"]
    r = exact_transport(
        context.junction, values, t_left=p["t_left"], t_right=p["t_right"], tolerance=p["tolerance"]
    )
    return {
        "current": r.current,
        "current_error": r.current_error,
        "current_bound": r.current_bound,
        "ballistic_bound": r.ballistic_bound,
        "converged": bool(r.converged),
    }


def _check(context, p, seed) -> dict:
    from heatbounds.numeric.spectral_check import spectral_check

    report = spectral_check(
        context.junction,
        _model_values(context, p),
        temperature=p["temperature"],
        moments=(1,),
        tolerance=p["tolerance"],
        level_sizes=context.junction.level_sizes or None,
    )
    data = report.as_json()
    return {"max_rel_error": data.get("max_rel_error"), "passed": bool(report.passed)}


_JOBS = {
    "sigma-x": _sigma_x,
    "conductance": _conductance,
    "transport": _transport,
    "bound": _bound,
    "check": _check,
}
