"""Im chi_zz(omega) of the equilibrium spin-boson model from one HEOM hierarchy.

Reduced units throughout: hbar = k_B = 1; T, Delta, omega_c in one unit.

Model (paper Eq. 16): H_s = (Delta/2) sigma_x, A = sigma_z, proportional
ohmic baths J_nu = 2 alpha_nu omega e^{-omega/omega_c} (Eq. 8); at T_L = T_R
the two act as one bath with alpha = alpha_L + alpha_R. One point of
:func:`spin_boson_spectrum` is

1. the bath fit on 0 <= t <= :func:`fit_window` (:func:`~heatbounds.numeric.
   heom_environment.fit_bath`, 2 n_terms exponents) and the HEOM steady state
   of the merged bath at depth ``depth`` (:mod:`.heom_steady`);
2. C(t) = <sigma_z(t) sigma_z(0)>: sigma_z times every ADO from the left,
   propagated with the HEOM generator (:mod:`.heom_propagation`);
3. Im chi(omega) = (1/2)(1 - e^{-omega/T}) S(omega) and its integrals
   (:mod:`.heom_spectrum`).

No refinement happens here: :func:`heatbounds.numeric.heom_susceptibility.
spin_boson_conductance` refines the truncation until kappa converges.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from heatbounds.numeric.errors import NumericInputError
from heatbounds.numeric.heom_environment import default_fit_window as fit_window
from heatbounds.numeric.heom_environment import fit_bath
from heatbounds.numeric.heom_propagation import (
    CorrelationTrace,
    equilibrium_correlation,
    require_propagation_memory,
)
from heatbounds.numeric.heom_spectrum import SusceptibilitySpectrum, spectrum_from_correlation
from heatbounds.numeric.heom_steady import HeomSettings, ado_count, heom_steady_state
from heatbounds.numeric.validation import finite_float, positive_float

__all__ = ["SpectrumPoint", "check_spin_boson", "fit_window", "spin_boson_spectrum"]

SIGMA_X = np.array([[0, 1], [1, 0]], dtype=complex)
SIGMA_Z = np.array([[1, 0], [0, -1]], dtype=complex)


def check_spin_boson(temperature, alpha, omega_c, delta) -> tuple[float, float, float, float]:
    """(T, alpha, omega_c, Delta) as floats; NumericInputError naming a bad one.

    T, omega_c, Delta finite and > 0; 0 <= alpha < 1 (alpha >= 1 is the localised phase).
    """
    temperature = positive_float("temperature", temperature)
    alpha = finite_float("alpha", alpha, minimum=0)
    if alpha >= 1.0:
        raise NumericInputError(
            f"alpha must be < 1, got {alpha}: at alpha >= 1 the ohmic spin-boson model is "
            "localised (Leggett et al., RMP 59, 1 (1987)) and does not conduct in linear response"
        )
    return temperature, alpha, positive_float("omega_c", omega_c), positive_float("delta", delta)


@dataclass(frozen=True)
class SpectrumPoint:
    """Im chi_zz of one HEOM hierarchy (reduced units).

    ``spectrum`` the :class:`SusceptibilitySpectrum`, ``trace`` C(t);
    ``sigma_x`` the HEOM steady-state <sigma_x>; ``settings`` a JSON-ready
    dict of the truncation: depth, n_terms, exponents, ados, fit_error,
    fit_window, step_factor, tail_tolerance, time_step, time_window,
    window_complete, dimension and nonzeros of the propagated generator.
    """

    spectrum: SusceptibilitySpectrum
    trace: CorrelationTrace
    sigma_x: float
    settings: dict
    seconds: float


def spin_boson_spectrum(
    temperature: float,
    *,
    alpha: float,
    omega_c: float,
    delta: float = 1.0,
    depth: int = 4,
    n_terms: int = 6,
    step_factor: float = 2.5,
    tail_tolerance: float = 1e-6,
    memory_limit: int | None = None,
) -> SpectrumPoint:
    """Im chi_zz(omega) of the spin-boson model in equilibrium at T, from one hierarchy.

    Parameters
    ----------
    temperature, alpha, omega_c, delta : float
        T > 0, alpha = alpha_L + alpha_R in [0, 1) (> 0 here), the cutoff and
        Delta (reduced units).
    depth, n_terms : int
        HEOM depth and QuTiP's Nr (2 n_terms exponents in the bath fit).
    step_factor : float
        RK4 step in units of 1/rho(L), at most 2.6.
    tail_tolerance : float
        The window ends once max abs(C) over a period 2 pi/Delta is below this.
    memory_limit : int, optional
        Bytes allowed (default: what the system has available).

    Returns
    -------
    SpectrumPoint
    """
    from heatbounds.symbolic.models import builtin_model

    start = time.perf_counter()
    temperature, alpha, omega_c, delta = check_spin_boson(temperature, alpha, omega_c, delta)
    if alpha == 0.0:
        raise NumericInputError("alpha must be > 0 for the HEOM (alpha = 0 is the free spin)")
    settings = HeomSettings(depth=int(depth), n_terms=int(n_terms))
    n_exp = 2 * settings.n_terms
    require_propagation_memory(ado_count(n_exp, settings.depth), 2, n_exp, memory_limit)
    model = builtin_model("spin-boson")
    values = {"Delta": delta, "alpha_L": alpha / 2, "alpha_R": alpha / 2, "omega_c": omega_c}
    values["hbar"] = 1.0
    window = fit_window(temperature, omega_c)
    fit = fit_bath(
        model.dissipation, values, temperature=temperature, n_terms=n_terms, t_max=window
    )
    state = heom_steady_state(
        model,
        values,
        t_left=temperature,
        t_right=temperature,
        settings=settings,
        fits={"LR": fit},
        memory_limit=memory_limit,
    )
    trace = equilibrium_correlation(
        state,
        SIGMA_Z,
        SIGMA_Z,
        step_factor=step_factor,
        tail_tolerance=tail_tolerance,
        chunk_time=2 * math.pi / delta,
        max_time=2000.0 / min(delta, temperature),
    )
    if not trace.window_complete:
        raise NumericInputError(
            f"C(t) = <sigma_z(t) sigma_z> did not decay to {tail_tolerance:g} of C(0) by "
            f"t = {trace.window:g} (alpha = {alpha:g} too weak a damping?)"
        )
    spectrum = spectrum_from_correlation(
        trace.values, trace.step, temperature, tail_bound=trace.tail_bound
    )
    info = {
        "depth": settings.depth,
        "n_terms": settings.n_terms,
        "exponents": fit.n_exponents,
        "ados": int(state.info["ados"]),
        "fit_error": float(fit.fit_error),
        "fit_window": window,
        "step_factor": float(step_factor),
        "tail_tolerance": float(tail_tolerance),
        "time_step": trace.step,
        "time_window": trace.window,
        "window_complete": trace.window_complete,
        "dimension": trace.dimension,
        "nonzeros": trace.nonzeros,
    }
    sigma_x = float(state.expect(SIGMA_X).real)
    return SpectrumPoint(spectrum, trace, sigma_x, info, time.perf_counter() - start)
