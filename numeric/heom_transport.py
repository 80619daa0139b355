"""Exact steady-state heat transport of a junction by the HEOM, against its bounds.

Reduced units throughout: hbar = k_B = 1.

:func:`exact_transport` computes, for a junction between baths at T_L and T_R
(proportional couplings alpha_L, alpha_R, J_nu = 2 alpha_nu Jtilde):

* the heat current J_Q into the right bath (Kato and Tanimura, J. Chem. Phys.
  145, 224105 (2016)), positive when heat flows from left to right;
* every expectation value the derived s = 1 sum rule needs, in the HEOM
  steady state, and with them the Eq. 9 bound |J_Q| <= (pi alpha gamma / 4)
  |T_L - T_R| sum h m, evaluated *through the emitted module* of the model
  (:func:`heatbounds.codegen.emit.emit_module`), as a user would;
* the ballistic bound Eq. 2, (pi/12) |T_L^2 - T_R^2|.

Convergence is the code's job, not the user's: starting from ``start``, the
calculation is repeated with one more hierarchy level, one more pair of bath
exponents and (for system bosons) four more boson levels; the largest change
of the current and of the bound is the error estimate, and the direction that
changed most is refined until the changes are within ``tolerance`` or
``max_depth``, ``max_terms``, ``max_boson_levels`` or the memory stop it
(``converged`` says which).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from heatbounds.numeric.errors import NumericInputError
from heatbounds.numeric.heom_steady import HeomSettings, HeomSteadyState, heom_steady_state
from heatbounds.symbolic.junction import Junction

__all__ = ["TransportResult", "exact_transport", "sum_rule_expectations"]

DEFAULT_START = HeomSettings(depth=3, n_terms=4, boson_levels=8)


@dataclass(frozen=True)
class TransportResult:
    """The exact steady-state transport of one junction at (T_L, T_R), reduced units.

    current, current_error: J_Q into the right bath and its error estimate (the
    largest change under the last refinement). current_bound: Eq. 9 for
    |J_Q|, through the emitted module, with the HEOM expectation values;
    current_bound_error its change under the last refinement.
    ballistic_bound: Eq. 2. expectations: identifier -> value (real part; the
    s = 1 sum rule is real). heom: depth, exponents per bath, baths, ADOs,
    boson levels, fit error of the bath correlation, and the refinement
    history. converged: every change within the tolerance.
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
    """identifier -> <W> in the HEOM steady state, for every expectation value of the
    model's current bound (system words only: Tr(W rho))."""
    from heatbounds.numeric.spectral_check import expectation_inputs
    from heatbounds.symbolic.derivation import derive
    from heatbounds.symbolic.expectation import Expectation

    bound = derive(junction).current_bound
    atoms = bound.atoms(Expectation)
    if any(_has_bath(atom.word()) for atom in atoms):
        raise NumericInputError(
            f"model {junction.name!r}: its sum rule holds system-bath correlations "
            "(Eq. 12's bath terms); the HEOM bound supports system expectation values only"
        )
    return expectation_inputs(bound, state.matrices, state.rho)


def _has_bath(word) -> bool:
    return any(s[1] == "bath" for seg in word if isinstance(seg, tuple) for s, _ in seg)


class _EmittedBound:
    """The model's emitted module (reduced units), loaded once; ``current_bound(...)``."""

    def __init__(self, junction: Junction):
        from heatbounds.codegen.emit import emit_module
        from heatbounds.numeric.emitted_moments import load_module

        source = emit_module(junction, units="reduced", moment=1, command="heatbounds transport")
        self.module = load_module(source, f"heatbounds_transport_{abs(hash(source))}")

    def __call__(self, t_left, t_right, values: dict, expectations: dict) -> tuple[float, float]:
        names = set(self.module.PARAMETERS) - {"T", "T_L", "T_R"}
        kwargs = {}
        for name in names:
            if name in expectations:
                kwargs[name] = float(np.real(expectations[name]))
            elif name in values:
                kwargs[name] = float(values[name])
            else:
                raise NumericInputError(f"the bound needs {name!r}; give it with --set")
        try:
            current = float(self.module.current_bound(t_left, t_right, **kwargs))
            ballistic = float(self.module.ballistic_bound(t_left, t_right))
        except ValueError as exc:  # the module refuses bad input by naming the argument
            raise NumericInputError(f"the emitted bound refused its input: {exc}") from exc
        return current, ballistic


def _observables(junction, values, t_left, t_right, settings, bound, fits) -> dict:
    """One HEOM calculation; ``fits`` keeps the bath fits by number of terms."""
    known = fits.setdefault(settings.n_terms, {})
    state = heom_steady_state(
        junction, values, t_left=t_left, t_right=t_right, settings=settings, fits=known
    )
    known.update(state.fits)
    expectations = sum_rule_expectations(junction, state)
    current_bound, ballistic = bound(t_left, t_right, values, expectations)
    return {
        "current": state.heat_current("R"),
        "current_bound": current_bound,
        "ballistic_bound": ballistic,
        "expectations": {k: float(np.real(v)) for k, v in expectations.items()},
        "info": state.info,
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
    limits = {"depth": max_depth, "n_terms": max_terms, "boson_levels": max_boson_levels}
    has_bosons = any(sector[1] == "boson" for sector, _ in _factors(junction, values, start))
    bound = _EmittedBound(junction)
    fits: dict = {}
    report = progress or (lambda line: None)
    settings, history = start, []

    def solve(s: HeomSettings) -> dict:
        t0 = time.perf_counter()
        obs = _observables(junction, values, t_left, t_right, s, bound, fits)
        report(
            f"depth {s.depth}, {2 * s.n_terms} exponents/bath, {s.boson_levels} boson levels: "
            f"{obs['info']['ados']} ADOs, J_Q = {obs['current']:.6g} "
            f"({time.perf_counter() - t0:.1f} s)"
        )
        return obs

    base = solve(settings)
    converged, error = False, math.inf
    while True:
        steps = []
        for what, refined in _refinements(settings, has_bosons, limits):
            try:
                steps.append((what, refined, solve(refined)))
            except NumericInputError as exc:  # the refined hierarchy does not fit in memory
                history.append({"refinement": what, "refused": str(exc)})
        if not steps:
            break
        changes = [(_change(base, obs), what, s, obs) for what, s, obs in steps]
        error = max(c for c, *_ in changes)
        history.append({"settings": settings.__dict__.copy(), "change": error})
        if error <= tolerance:
            converged = True
            break
        _, _, settings, base = max(changes, key=lambda item: item[0])
    current_error = max(
        (abs(obs["current"] - base["current"]) for _, _, obs in steps), default=math.inf
    )
    bound_error = max(
        (abs(obs["current_bound"] - base["current_bound"]) for _, _, obs in steps),
        default=math.inf,
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
    )


def _factors(junction, values, settings):
    from heatbounds.numeric.matrices import MatrixJunction

    return MatrixJunction(
        junction,
        values,
        boson_levels=settings.boson_levels,
        bath_modes=0,
        level_sizes=junction.level_sizes or {},
    ).factors
