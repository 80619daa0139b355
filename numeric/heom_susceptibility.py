"""Exact linear thermal conductance of the spin-boson junction from Im chi_zz (HEOM).

Reduced units throughout: hbar = k_B = 1; T, Delta, omega_c in one unit;
kappa in units of k_B times that unit (the unit of the bound Eq. 18).

Model (paper Eq. 16): H_s = (Delta/2) sigma_x, A = sigma_z, proportional ohmic
baths J_nu = 2 alpha_nu omega e^{-omega/omega_c} (Eq. 8). At T_L = T_R Eq. 5
differentiated by T_L gives

.. math::

    \\kappa = \\frac{\\alpha\\gamma}{4} \\int_0^\\infty d\\omega\\,
      \\omega\\, \\mathrm{Im}\\,\\chi_{zz}(\\omega)\\, \\omega e^{-\\omega/\\omega_c}
      \\frac{\\partial n}{\\partial T},
    \\qquad \\frac{\\partial n}{\\partial T} = \\frac{\\omega / 4T^2}{\\sinh^2(\\omega/2T)},

gamma = 4 alpha_L alpha_R / alpha^2, with the exact equilibrium Im chi_zz of
:func:`heatbounds.numeric.heom_spin_boson.spin_boson_spectrum` (HEOM steady
state, C(t) = <sigma_z(t) sigma_z(0)> propagated with the HEOM generator,
Im chi = (1/2)(1 - e^{-omega/T}) S(omega)).

:func:`spin_boson_conductance` refines the hierarchy depth, the bath exponents
and the time grid until kappa changes by less than the tolerance, and checks
every spectrum three ways, returning the results: its f-sum (Eq. 7)
(1/pi) Int_0^inf omega Im chi d omega against -Delta <sigma_x> (HEOM and QMC;
Eq. 16-17), Im chi(omega > 0) >= 0 within the change of the spectrum under
refinement, and its static susceptibility (2/pi) Int_0^inf Im chi / omega
d omega against the QMC's Int_0^beta <sigma_z(tau) sigma_z(0)> d tau
(:func:`heatbounds.numeric.spin_boson_qmc.static_susceptibility`).

Cost (2 shared cores, alpha = 0.2, omega_c = 10 Delta, 1 %): see
``benchmarks/bench_heom.py``.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, fields

import numpy as np

from heatbounds.numeric.errors import NumericInputError
from heatbounds.numeric.heom_spectrum import SusceptibilitySpectrum
from heatbounds.numeric.heom_spin_boson import check_spin_boson, spin_boson_spectrum
from heatbounds.numeric.heom_steady import ado_count
from heatbounds.numeric.validation import finite_float, positive_float, temperatures

__all__ = ["ConductanceResult", "spin_boson_conductance"]

START = (3, 5)  # (depth, n_terms) of the first hierarchy; refined from there
STEP_FACTOR = 2.5  # RK4 step 2.5 / rho(L); the refined grid halves it
TAIL_PER_TOLERANCE = 1e-4  # window: max |C| < 1e-4 tolerance max |C|; refined: 100 x smaller
MAX_ADOS = 12_000
_SHARED = ("alpha", "gamma", "delta", "omega_c", "tolerance")  # not per temperature


@dataclass(frozen=True)
class ConductanceResult:
    """Exact linear conductance kappa(T) of the spin-boson junction, with its checks.

    Reduced units (hbar = k_B = 1). Every field is JSON-ready (numbers,
    booleans, strings, dicts; ``None`` where a value is absent); for an array
    of temperatures every per-temperature field is a tuple over them.

    The fields:

    temperature, alpha, gamma, delta, omega_c, tolerance
        The inputs (alpha = alpha_L + alpha_R, gamma = 4 alpha_L alpha_R / alpha^2).
    kappa, kappa_error
        Eq. 5 at T_L = T_R from the most refined hierarchy, and the largest of
        the last changes under refinement (``changes``).
    converged
        Every last change below tolerance * kappa (else see ``note``).
    changes
        {"depth", "exponents", "time_grid"}: abs(kappa change) of the last
        refinement of each; "window": the bound on the neglected tail of C(t).
    kappa_commutator
        kappa from the commutator form of Im chi (no detailed balance): its
        distance from kappa measures how far the fitted bath is from thermal.
    sigma_x, sigma_x_error
        HEOM <sigma_x> of the final hierarchy and its largest last change (``None``
        if the hierarchy was not refined).
    sigma_x_qmc, sigma_x_qmc_stderr
        The QMC's <sigma_x> and standard error (``None`` without QMC).
    bound, bound_error
        Eq. 18: (pi alpha gamma / 4)(-Delta <sigma_x>) with the QMC value (HEOM without).
    f_sum
        Check 1, m = (1/pi) Int_0^inf omega Im chi d omega (Eq. 7; over all omega it
        is 2 m); equals -Delta <sigma_x> (Eq. 17) up to the detailed balance of the fit.
    im_chi_min, im_chi_max, spectrum_error
        Check 2: min and max of Im chi(omega > 0) (max ``None`` for the free spin's
        delta function), and the largest change of Im chi(omega) in the last
        refinement: Im chi >= 0 holds within it where im_chi_min >= -spectrum_error.
    static_susceptibility, static_susceptibility_qmc, static_susceptibility_qmc_stderr
        Check 3: (2/pi) Int_0^inf Im chi / omega d omega, and the QMC's
        Int_0^beta <sigma_z(tau) sigma_z(0)> d tau (1/energy).
    settings
        The final hierarchy (:class:`SpectrumPoint` settings).
    history
        Every hierarchy computed: depth, n_terms, step_factor, tail_tolerance,
        kappa, sigma_x, ados, seconds.
    seconds, note
        Wall time, and why it did not converge ("" if it did).
    """

    temperature: float
    alpha: float
    gamma: float
    delta: float
    omega_c: float
    tolerance: float
    kappa: float
    kappa_error: float
    converged: bool
    changes: dict
    kappa_commutator: float
    sigma_x: float
    sigma_x_error: float | None
    sigma_x_qmc: float | None
    sigma_x_qmc_stderr: float | None
    bound: float
    bound_error: float
    f_sum: float
    im_chi_min: float
    im_chi_max: float | None
    spectrum_error: float
    static_susceptibility: float
    static_susceptibility_qmc: float | None
    static_susceptibility_qmc_stderr: float | None
    settings: dict
    history: tuple
    seconds: float
    note: str = ""

    @staticmethod
    def stack(results) -> ConductanceResult:
        """One result over temperatures: per-temperature fields become tuples."""
        cols = {}
        for f in fields(ConductanceResult):
            values = tuple(getattr(r, f.name) for r in results)
            cols[f.name] = values[0] if f.name in _SHARED else values
        return ConductanceResult(**cols)

    def to_dict(self) -> dict:
        """A plain dict (tuples become lists under ``json.dumps``)."""
        return asdict(self)


def spin_boson_conductance(
    temperature,
    *,
    alpha: float,
    omega_c: float,
    delta: float = 1.0,
    gamma: float = 1.0,
    tolerance: float = 0.01,
    qmc: bool = True,
    qmc_tolerance: float = 2e-3,
    qmc_seed: int = 12,
    start: tuple[int, int] = START,
    max_ados: int = MAX_ADOS,
    time_limit: float | None = None,
    memory_limit: int | None = None,
):
    """Exact linear thermal conductance kappa(T) of the spin-boson junction (Eq. 5, 16).

    Reduced units (hbar = k_B = 1): temperature, delta and omega_c in one unit,
    kappa in k_B times that unit. The hierarchy starts at ``start`` = (depth,
    n_terms) and is refined, one axis at a time, until each of the depth, the
    bath exponents (n_terms + 1) and the time grid (half the RK4 step, a window
    to a 100 x smaller tail; checked once, at the first hierarchy) changes
    kappa by less than ``tolerance`` (relative); kappa is that of the last
    hierarchy and kappa_error the largest last change. Refinement stops,
    unconverged, at ``max_ados`` ADOs, at ``time_limit`` seconds, or where the
    next hierarchy would not fit in memory.

    Parameters
    ----------
    temperature : float or 1-d sequence of float
        T > 0 (T_L = T_R); a sequence gives a result of tuples.
    alpha : float
        alpha_L + alpha_R, 0 <= alpha < 1 (alpha = 0: the free spin, kappa = 0).
    omega_c, delta : float
        Cutoff of Jtilde = omega e^{-omega/omega_c} (Eq. 8) and the tunnelling Delta.
    gamma : float
        4 alpha_L alpha_R / alpha^2 in [0, 1] (kappa is linear in it).
    tolerance : float
        Relative change of kappa accepted as converged.
    qmc, qmc_tolerance, qmc_seed
        Run the kink QMC (:func:`heatbounds.numeric.spin_boson_qmc.static_susceptibility`)
        for the exact <sigma_x> and static susceptibility of the checks and Eq. 18.

    Returns
    -------
    ConductanceResult

    Examples
    --------
    >>> r = spin_boson_conductance(1.0, alpha=0.0, omega_c=10.0, qmc=False)
    >>> r.kappa, r.f_sum == -r.sigma_x
    (0.0, True)
    """
    temps = temperatures("temperature", temperature)
    if temps.ndim > 1 or temps.size == 0:
        raise NumericInputError("temperature must be a number or a non-empty 1-d sequence")
    gamma = finite_float("gamma", gamma, minimum=0)
    if gamma > 1.0:
        raise NumericInputError(f"gamma = 4 alpha_L alpha_R / alpha^2 must be <= 1, got {gamma}")
    tolerance = positive_float("tolerance", tolerance)
    # the temperatures are checked above; 1.0 stands in for them
    _, alpha, omega_c, delta = check_spin_boson(1.0, alpha, omega_c, delta)
    opts = {
        "alpha": alpha,
        "gamma": gamma,
        "delta": delta,
        "omega_c": omega_c,
        "tolerance": tolerance,
    }
    run = {
        "qmc": qmc,
        "qmc_tolerance": qmc_tolerance,
        "qmc_seed": qmc_seed,
        "start": start,
        "max_ados": max_ados,
        "time_limit": time_limit,
        "memory_limit": memory_limit,
    }
    checks = _qmc_checks(temps.ravel(), opts, run) if qmc else [dict.fromkeys(_QMC)] * temps.size
    # all QMC first: a numba (OpenMP) run between two MKL PARDISO solves makes MKL's
    # OpenMP runtime print "OMP: Warning #97" (harmless)
    results = [
        _conductance_one(float(t), opts, run, q) for t, q in zip(temps.ravel(), checks, strict=True)
    ]
    return results[0] if temps.ndim == 0 else ConductanceResult.stack(results)


_QMC = (
    "sigma_x_qmc",
    "sigma_x_qmc_stderr",
    "static_susceptibility_qmc",
    "static_susceptibility_qmc_stderr",
)


def _qmc_checks(temps: np.ndarray, opts: dict, run: dict) -> list[dict]:
    """The QMC's <sigma_x> and static susceptibility at each temperature (None if absent)."""
    from heatbounds.numeric.spin_boson_qmc import static_susceptibility

    r = static_susceptibility(
        temps,
        alpha=opts["alpha"],
        omega_c=opts["omega_c"],
        delta=opts["delta"],
        tolerance=run["qmc_tolerance"],
        seed=run["qmc_seed"],
    )
    columns = (r.qmc.sigma_x, r.qmc.stderr, r.static_susceptibility, r.stderr)
    return [
        {
            k: float(v[i]) if math.isfinite(v[i]) else None
            for k, v in zip(_QMC, columns, strict=True)
        }
        for i in range(temps.size)
    ]


def _free_spin(temperature, opts, qmc_fields) -> ConductanceResult:
    """alpha = 0: Im chi = -pi <sigma_x> delta(omega - Delta) on omega > 0 and kappa = 0."""
    delta = opts["delta"]
    sx = -math.tanh(0.5 * delta / temperature)
    zero = {"depth": 0.0, "exponents": 0.0, "time_grid": 0.0, "window": 0.0}
    return ConductanceResult(
        temperature=temperature,
        **opts,
        kappa=0.0,
        kappa_error=0.0,
        converged=True,
        changes=zero,
        kappa_commutator=0.0,
        sigma_x=sx,
        sigma_x_error=0.0,
        bound=0.0,
        bound_error=0.0,
        f_sum=-delta * sx,
        im_chi_min=0.0,
        im_chi_max=None,
        spectrum_error=0.0,
        static_susceptibility=-2.0 * sx / delta,
        settings={},
        history=(),
        seconds=0.0,
        note="alpha = 0: the free spin, exactly",
        **qmc_fields,
    )


def _spectrum_change(a: SusceptibilitySpectrum, b: SusceptibilitySpectrum) -> float:
    """max abs(Im chi_a - Im chi_b) on omega > 0 up to the lower of the two Nyquist frequencies."""
    grid = np.linspace(0.0, min(a.omega[-1], b.omega[-1]), 8193)[1:]
    diff = np.interp(grid, a.omega, a.im_chi) - np.interp(grid, b.omega, b.im_chi)
    return float(np.abs(diff).max())


class _Refinement:
    """The hierarchies computed for one temperature, with their kappa (reduced units)."""

    def __init__(self, temperature, opts, memory_limit):
        self.temperature = temperature
        self.opts = opts
        self.memory_limit = memory_limit
        self.history = []

    def evaluate(self, depth, n_terms, grid):
        o = self.opts
        point = spin_boson_spectrum(
            self.temperature,
            alpha=o["alpha"],
            omega_c=o["omega_c"],
            delta=o["delta"],
            depth=depth,
            n_terms=n_terms,
            step_factor=grid[0],
            tail_tolerance=grid[1],
            memory_limit=self.memory_limit,
        )
        kappa = self.kappa(point)
        step = {"depth": depth, "n_terms": n_terms, "step_factor": grid[0]}
        step.update(tail_tolerance=grid[1], kappa=kappa, sigma_x=point.sigma_x)
        step.update(ados=point.settings["ados"], seconds=point.seconds)
        self.history.append(step)
        return point, kappa

    def kappa(self, point, commutator=False):
        o = self.opts
        return point.spectrum.conductance(
            alpha=o["alpha"], gamma=o["gamma"], omega_c=o["omega_c"], commutator=commutator
        )


def _conductance_one(temperature, opts, run, qmc_fields) -> ConductanceResult:
    clock = time.perf_counter()
    alpha, delta, tolerance = opts["alpha"], opts["delta"], opts["tolerance"]
    if alpha == 0.0:
        return _free_spin(temperature, opts, qmc_fields)
    ref = _Refinement(temperature, opts, run["memory_limit"])
    grid = (STEP_FACTOR, TAIL_PER_TOLERANCE * tolerance)
    depth, n_terms = run["start"]
    point, kappa = ref.evaluate(depth, n_terms, grid)
    changes, sx_changes, note = {}, {}, ""
    for _ in range(3):  # the time grid, at the first (cheapest) hierarchy
        finer = (grid[0] / 2, grid[1] / 100)
        fine, kappa_fine = ref.evaluate(depth, n_terms, finer)
        changes["time_grid"] = abs(kappa_fine - kappa)
        spectrum_error = _spectrum_change(point.spectrum, fine.spectrum)
        if changes["time_grid"] <= tolerance * abs(kappa):
            break
        grid, point, kappa = finer, fine, kappa_fine
    pending = ["depth", "exponents"]  # round robin over the axes not yet converged
    while pending:
        axis = pending.pop(0)
        new = (depth + 1, n_terms) if axis == "depth" else (depth, n_terms + 1)
        ados = ado_count(2 * new[1], new[0])
        if ados > run["max_ados"]:
            note = f"stopped before depth {new[0]}, n_terms {new[1]}: {ados} ADOs > max_ados"
            break
        if run["time_limit"] is not None and time.perf_counter() - clock > run["time_limit"]:
            note = f"time limit of {run['time_limit']:g} s reached"
            break
        try:
            refined, kappa_new = ref.evaluate(*new, grid)
        except NumericInputError as exc:  # memory, or an unstable hierarchy
            note = f"stopped before depth {new[0]}, n_terms {new[1]}: {exc}"
            break
        changes[axis] = abs(kappa_new - kappa)
        sx_changes[axis] = abs(refined.sigma_x - point.sigma_x)
        spectrum_error = _spectrum_change(point.spectrum, refined.spectrum)
        (depth, n_terms), point, kappa = new, refined, kappa_new
        if changes[axis] > tolerance * abs(kappa):
            pending.append(axis)
    changes["window"] = point.spectrum.conductance_tail_error(
        alpha=alpha, gamma=opts["gamma"], omega_c=opts["omega_c"]
    )
    converged = bool(not note and max(changes.values()) <= tolerance * abs(kappa))
    if not converged and not note:
        note = "the time grid or the window changes kappa by more than the tolerance"
    sx_ref = point.sigma_x if qmc_fields["sigma_x_qmc"] is None else qmc_fields["sigma_x_qmc"]
    sx_err = qmc_fields["sigma_x_qmc_stderr"]
    if sx_err is None:
        sx_err = max(sx_changes.values(), default=0.0)
    prefactor = 0.25 * math.pi * alpha * opts["gamma"] * delta
    positive = point.spectrum.omega > 0
    return ConductanceResult(
        temperature=temperature,
        **opts,
        kappa=kappa,
        kappa_error=max(changes.values()),
        converged=converged,
        changes=changes,
        kappa_commutator=ref.kappa(point, commutator=True),
        sigma_x=point.sigma_x,
        sigma_x_error=max(sx_changes.values(), default=None),
        bound=-prefactor * sx_ref,
        bound_error=prefactor * sx_err,
        f_sum=point.spectrum.f_sum,
        im_chi_min=point.spectrum.im_chi_min,
        im_chi_max=float(point.spectrum.im_chi[positive].max()),
        spectrum_error=spectrum_error,
        static_susceptibility=point.spectrum.static,
        settings=point.settings,
        history=tuple(ref.history),
        seconds=time.perf_counter() - clock,
        note=note,
        **qmc_fields,
    )
