"""Exact steady-state heat transport of a junction by the HEOM, against its bounds.

Reduced units throughout: hbar = k_B = 1.

:func:`exact_transport` computes, for a junction between baths at T_L and T_R
(proportional couplings alpha_L, alpha_R, J_nu = 2 alpha_nu Jtilde):

* the heat current J_Q into the right bath (Kato and Tanimura, J. Chem. Phys.
  145, 224105 (2016)), positive when heat flows from left to right;
* every expectation value the derived s = 1 sum rule needs, in the HEOM
  steady state, and with them the Eq. 9 bound abs(J_Q) <= (pi alpha gamma / 4)
  abs(T_L - T_R) sum h m, evaluated *through the emitted module* of the model
  (:func:`heatbounds.codegen.emit.emit_module`), as a user would;
* the ballistic bound Eq. 2, (pi/12) abs(T_L^2 - T_R^2);
* the direct f-sum sum_m m_{Q_m, Q_m} of the independent baths (Eq. 7 with the
  flags the HEOM realises; :mod:`heatbounds.numeric.heom_expectations`) and its
  Eq. 9 bound, in ``heom``; a note where it differs from the emitted one.

System-bath correlations (Eq. 12's bath terms) come from the first-tier ADOs
(:func:`heatbounds.numeric.heom_expectations.expectation_values`). For the
matrix units of an N-level model the package's bound uses the identity flags,
while the symmetric coupling g(a, b, k) = g(b, a, k) makes h_{ab,ba} = 1:
the emitted bound is then the Eq. 9 bound of the model plus
-sum_{a<b} <Q_ab X^{ab}> (>= 0 in equilibrium), a valid but looser bound; the
result's ``notes`` say so with both numbers.

Convergence is the code's job, not the user's: starting from ``start``, the
calculation is repeated with one more hierarchy level, one more pair of bath
exponents and (for system bosons) four more boson levels; the largest change
of the current and of the bound is the error estimate, and the direction that
changed most is refined until the changes are within ``tolerance`` or
``max_depth``, ``max_terms``, ``max_boson_levels`` or the memory stop it
(``converged`` says which). A refinement that does not fit in memory is
replaced by the change under the step back in that direction (depth - 1,
...), as an estimate; a start that does not fit is lowered in depth. Both are
said in ``notes``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from heatbounds.numeric.errors import MemoryLimitError, NumericInputError
from heatbounds.numeric.heom_steady import (
    HeomSettings,
    HeomSteadyState,
    bath_couplings,
    heom_steady_state,
    proportional_dissipation,
)
from heatbounds.symbolic.junction import Junction

__all__ = ["TransportResult", "exact_transport", "sum_rule_expectations"]

DEFAULT_START = HeomSettings(depth=3, n_terms=4, boson_levels=8)


@dataclass(frozen=True)
class TransportResult:
    """The exact steady-state transport of one junction at (T_L, T_R), reduced units.

    current, current_error: J_Q into the right bath and its error estimate (the
    largest change under the last refinement). current_bound: Eq. 9 for
    abs(J_Q), through the emitted module, with the HEOM expectation values;
    current_bound_error its change under the last refinement.
    ballistic_bound: Eq. 2. expectations: identifier -> value (real part; the
    s = 1 sum rule is real; system words only). heom: depth, exponents per
    bath, baths, ADOs, boson levels, fit error of the bath correlation, the
    refinement history, ``sum_rule`` (sum h m of the emitted module) with
    ``sum_rule_imaginary`` (the same form of the imaginary parts: 0 up to
    rounding), ``sum_rule_direct`` and ``current_bound_direct`` (the f-sum of
    the HEOM's independent baths, sum_m m_{Q_m, Q_m}, and its Eq. 9 bound),
    and ``bath_correlations`` (Re of the tables <W Xi_{nu m}>/2 of Eq. 12's
    mode sums). converged: every change within the tolerance. notes: what the
    reader must know (flags of matrix units, estimated refinements).
    """

    model: str
    t_left: float
    t_right: float
    current: float
    current_error: float
    current_bound: float
    current_bound_error: float
    ballistic_bound: float
    expectations: dict
    heom: dict
    converged: bool
    notes: tuple = field(default_factory=tuple)

    def as_json(self) -> dict:
        """The ``heatbounds transport --json`` keys (reduced units)."""
        return {
            "model": self.model,
            "t_left": self.t_left,
            "t_right": self.t_right,
            "current": self.current,
            "current_error": self.current_error,
            "current_bound": self.current_bound,
            "current_bound_error": self.current_bound_error,
            "ballistic_bound": self.ballistic_bound,
            "expectations": dict(self.expectations),
            "heom": dict(self.heom),
            "converged": self.converged,
            "notes": list(self.notes),
        }


def sum_rule_expectations(junction: Junction, state: HeomSteadyState) -> dict:
    """identifier -> value in the HEOM steady state for every expectation value of the
    model's current bound: Tr(W rho) for system words, and for the system-bath
    correlations of Eq. 12 (<W b_{nu p}>, <W b^dagger_{nu p}>) arrays over the
    independent baths holding <W Xi_{nu m}>/2 (complex), to be summed with the
    tables of :func:`heatbounds.numeric.heom_expectations.coupling_tables`."""
    from heatbounds.numeric.heom_expectations import expectation_values
    from heatbounds.symbolic.derivation import derive

    return expectation_values(derive(junction).current_bound, state)


class _EmittedBound:
    """The model's emitted module (reduced units), loaded once; ``current_bound(...)``."""

    def __init__(self, junction: Junction):
        from heatbounds.codegen.emit import emit_module
        from heatbounds.numeric.emitted_moments import load_module
        from heatbounds.symbolic.derivation import derive

        self.expression = derive(junction).current_bound
        source = emit_module(junction, units="reduced", moment=1, command="heatbounds transport")
        self.module = load_module(source, f"heatbounds_transport_{abs(hash(source))}")

    def _arguments(self, names, values: dict, expectations: dict, tables: dict, part) -> dict:
        kwargs = {}
        for name in names:
            if name == "M":
                kwargs[name] = int(tables[name])
            elif name in tables:
                kwargs[name] = np.asarray(tables[name], dtype=float)
            elif name in expectations:
                value = part(np.asarray(expectations[name]))
                kwargs[name] = float(value) if value.ndim == 0 else value
            elif name in values:
                kwargs[name] = float(values[name])
            else:
                raise NumericInputError(f"the bound needs {name!r}; give it with --set")
        return kwargs

    def __call__(
        self, t_left, t_right, values: dict, expectations: dict, tables: dict | None = None
    ) -> tuple[float, float]:
        """(Eq. 9 bound, Eq. 2 bound) with the real parts of the expectation values (the
        coefficients are real) and the coupling tables g_nu, M of the mode sums."""
        names = set(self.module.PARAMETERS) - {"T", "T_L", "T_R"}
        kwargs = self._arguments(names, values, expectations, tables or {}, np.real)
        try:
            current = float(self.module.current_bound(t_left, t_right, **kwargs))
            ballistic = float(self.module.ballistic_bound(t_left, t_right))
        except ValueError as exc:  # the module refuses bad input by naming the argument
            raise NumericInputError(f"the emitted bound refused its input: {exc}") from exc
        return current, ballistic

    def sum_rule(self, values: dict, expectations: dict, tables: dict | None = None) -> complex:
        """sum h m of the emitted module (the package's flags) with the real parts of the
        expectation values, plus i times its linear part at their imaginary parts (0 for
        a physical state: a check)."""
        import inspect

        names = set(inspect.signature(self.module.sum_rule).parameters) - {"out"}
        tables = tables or {}
        real, imag, constant = (
            float(self.module.sum_rule(**self._arguments(names, values, expectations, tables, p)))
            for p in (np.real, np.imag, lambda v: np.zeros(np.shape(v)))
        )
        return complex(real, imag - constant)


def _observables(junction, values, t_left, t_right, settings, bound, fits) -> dict:
    """One HEOM calculation; ``fits`` keeps the bath fits by number of terms."""
    from heatbounds.numeric.heom_expectations import (
        coupling_tables,
        expectation_values,
        flag_notes,
        realised_sum_rule,
    )

    known = fits.setdefault(settings.n_terms, {})
    state = heom_steady_state(
        junction, values, t_left=t_left, t_right=t_right, settings=settings, fits=known
    )
    known.update(state.fits)
    expectations = expectation_values(bound.expression, state)
    tables = coupling_tables(bound.expression, state)
    current_bound, ballistic = bound(t_left, t_right, values, expectations, tables)
    summed = bound.sum_rule(values, expectations, tables)
    direct = realised_sum_rule(state)
    a_l, a_r = float(values["alpha_L"]), float(values["alpha_R"])
    prefactor = math.pi * a_l * a_r / (a_l + a_r) * abs(t_left - t_right)  # pi alpha gamma / 4
    info = {
        **state.info,
        "sum_rule": summed.real,
        "sum_rule_imaginary": summed.imag,
        "sum_rule_direct": direct,
        "current_bound_direct": prefactor * direct,
    }
    tables_out = {k: np.real(v).tolist() for k, v in expectations.items() if np.ndim(v)}
    if tables_out:
        info["bath_correlations"] = tables_out
    return {
        "current": state.heat_current("R"),
        "current_bound": current_bound,
        "ballistic_bound": ballistic,
        "expectations": {k: float(np.real(v)) for k, v in expectations.items() if np.ndim(v) == 0},
        "info": info,
        "notes": flag_notes(junction, summed.real, direct, prefactor),
    }


def _refinements(settings: HeomSettings, has_bosons: bool, limits: dict) -> list:
    out = []
    if settings.depth < limits["depth"]:
        out.append(("depth", replace(settings, depth=settings.depth + 1)))
    if settings.n_terms < limits["n_terms"]:
        out.append(("exponents", replace(settings, n_terms=settings.n_terms + 1)))
    if has_bosons and settings.boson_levels < limits["boson_levels"]:
        out.append(("boson levels", replace(settings, boson_levels=settings.boson_levels + 4)))
    return out


def _change(a: dict, b: dict) -> float:
    """Relative change of the current and the bound (scale: the bound)."""
    scale = max(abs(a["current_bound"]), abs(b["current_bound"]), 1e-300)
    return max(
        abs(a["current"] - b["current"]) / scale,
        abs(a["current_bound"] - b["current_bound"]) / scale,
    )


def exact_transport(
    junction: Junction,
    values: dict,
    *,
    t_left: float,
    t_right: float,
    tolerance: float = 1e-2,
    start: HeomSettings = DEFAULT_START,
    max_depth: int = 6,
    max_terms: int = 7,
    max_boson_levels: int = 24,
    progress: Callable[[str], None] | None = None,
) -> TransportResult:
    """Exact J_Q and its bounds by the HEOM, refined until converged (reduced units).

    Parameters
    ----------
    junction, values
        The model and its parameter values, with alpha_L, alpha_R and omega_c.
    t_left, t_right
        Bath temperatures, > 0.
    tolerance
        Largest change allowed under one more refinement step, relative to the
        Eq. 9 bound (which sets the scale of the current).
    start
        The first truncation; ``max_*`` limit the refinement.
    progress
        Called with a line of text after each HEOM calculation.

    Returns
    -------
    TransportResult
    """
    if not (math.isfinite(tolerance) and tolerance > 0):
        raise NumericInputError(f"tolerance must be finite and > 0, got {tolerance!r}")
    for name, temp in (("T_L", t_left), ("T_R", t_right)):
        if not (math.isfinite(temp) and temp > 0):
            raise NumericInputError(f"{name} must be finite and > 0, got {temp!r}")
    bath_couplings(values)  # 0 < alpha_L + alpha_R < 1, before any work
    proportional_dissipation(junction)  # proportional baths only (Eq. 5)
    limits = {"depth": max_depth, "n_terms": max_terms, "boson_levels": max_boson_levels}
    has_bosons = any(s.family.matrix_form.truncated for s, _ in _factors(junction, values, start))
    bound = _EmittedBound(junction)
    fits: dict = {}
    report = progress or (lambda line: None)
    settings, history, notes = start, [], []
    solved: dict = {}

    def solve(s: HeomSettings) -> dict:
        if s not in solved:
            t0 = time.perf_counter()
            obs = _observables(junction, values, t_left, t_right, s, bound, fits)
            report(
                f"depth {s.depth}, {2 * s.n_terms} exponents/bath, {s.boson_levels} boson "
                f"levels: {obs['info']['ados']} ADOs, J_Q = {obs['current']:.6g} "
                f"({time.perf_counter() - t0:.1f} s)"
            )
            solved[s] = obs
        return solved[s]

    while True:
        try:
            base = solve(settings)
            break
        except MemoryLimitError:  # lower a start depth that does not fit in memory
            if settings.depth <= 1:
                raise
            notes.append(
                f"the start depth {settings.depth} does not fit in memory; started at depth "
                f"{settings.depth - 1}"
            )
            settings = replace(settings, depth=settings.depth - 1)
    converged, error = False, math.inf
    while True:
        steps, estimates = [], []
        for what, refined in _refinements(settings, has_bosons, limits):
            try:
                steps.append((what, refined, solve(refined)))
            except MemoryLimitError as exc:  # the refined hierarchy does not fit in memory
                history.append({"refinement": what, "refused": str(exc)})
                coarser = _step_back(settings, what)
                if coarser is not None:  # estimate the change by the step back
                    estimates.append((what, coarser, solve(coarser)))
        if not steps and not estimates:
            break
        changes = [(_change(base, obs), what, s, obs) for what, s, obs in steps + estimates]
        worst = max(changes, key=lambda item: item[0])
        error = worst[0]
        history.append({"settings": settings.__dict__.copy(), "change": error})
        if estimates:
            history[-1]["estimated"] = [what for what, *_ in estimates]
        if error <= tolerance:
            converged = True
            break
        if worst[1] in {what for what, *_ in estimates}:
            break  # the largest change is in a direction that cannot be refined
        _, _, settings, base = worst
    compared = [obs for *_, obs in steps + estimates]
    current_error = max(
        (abs(obs["current"] - base["current"]) for obs in compared), default=math.inf
    )
    bound_error = max(
        (abs(obs["current_bound"] - base["current_bound"]) for obs in compared),
        default=math.inf,
    )
    if estimates:
        notes.append(
            "one more step in "
            + ", ".join(what for what, *_ in estimates)
            + " does not fit in memory: its change is estimated by the step back, from "
            + ", ".join(f"{s.depth}/{s.n_terms}/{s.boson_levels}" for _, s, _ in estimates)
            + " (depth/n_terms/boson levels)"
        )
    return TransportResult(
        model=junction.name,
        t_left=float(t_left),
        t_right=float(t_right),
        current=base["current"],
        current_error=current_error,
        current_bound=base["current_bound"],
        current_bound_error=bound_error,
        ballistic_bound=base["ballistic_bound"],
        expectations=base["expectations"],
        heom={**base["info"], "refinements": history},
        converged=converged,
        notes=tuple(notes + base["notes"]),
    )


def _step_back(settings: HeomSettings, what: str) -> HeomSettings | None:
    """The truncation one step coarser in the direction ``what`` (None below the floor)."""
    if what == "depth" and settings.depth > 1:
        return replace(settings, depth=settings.depth - 1)
    if what == "exponents" and settings.n_terms > 1:
        return replace(settings, n_terms=settings.n_terms - 1)
    if what == "boson levels" and settings.boson_levels > 5:
        return replace(settings, boson_levels=settings.boson_levels - 4)
    return None


def _factors(junction, values, settings):
    from heatbounds.numeric.matrices import MatrixJunction

    return MatrixJunction(
        junction,
        values,
        boson_levels=settings.boson_levels,
        bath_modes=0,
        level_sizes=junction.level_sizes or {},
    ).factors
