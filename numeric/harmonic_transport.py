"""Exact heat transport through the harmonic junction, and the bounds it obeys.

Taylor & Segal, Eq. 1, 2, 5, 10, 15, for H_s = hbar omega_0 (a^dag a + 1/2),
A = a + a^dag and ohmic baths J_nu = 2 alpha_nu Jtilde, Jtilde(omega) = omega exp(-omega/omega_c).

Units: reduced, hbar = k_B = 1. Temperatures, frequencies (omega_0, omega_c) and
energies share one unit; a current J_Q is then in (that unit)^2 (energy per
time), a conductance kappa in that unit (k_B per time). With the units restored
Eq. 5 reads J_Q = (hbar^2 alpha gamma / 4) Int d omega omega Im chi Jtilde [n_L - n_R]
with chi in inverse energy (chi = (2 omega_0/hbar)/(...)); setting hbar = 1 gives
the formulas below unchanged.

Formulas (alpha = alpha_L + alpha_R, gamma = 4 alpha_L alpha_R / alpha^2, so
alpha gamma / 4 = alpha_L alpha_R / alpha):

* current, Eq. 5:
  J_Q = (alpha gamma/4) Int_0^inf d omega omega Jtilde(omega) Im chi(omega) [n_L - n_R],
  n_nu = 1/(exp(omega/T_nu) - 1);
* conductance, Eq. 10 left side: kappa = dJ_Q/dT_L at T_L = T_R = T
  = (alpha gamma/4) Int_0^inf d omega Jtilde Im chi (omega/2T)^2 / sinh^2(omega/2T),
  since omega dn/dT = x^2 e^x/(e^x - 1)^2 with x = omega/T (closed form, no
  finite difference);
* Landauer transmission, Eq. 1 = Eq. 5: T(omega) = (pi alpha gamma/2) Jtilde Im chi
  = 4 Im Pi_L Im Pi_R ``|chi|^2`` (Caroli form), 0 for omega <= 0 (bosons);
* ballistic bound, Eq. 2: J_Q <= pi (T_L^2 - T_R^2)/12; kappa_Q = pi T/6;
* sum-rule bounds, Eq. 15 and 10 with m = omega_0: J_Q <= (pi alpha gamma/4) omega_0 (T_L - T_R),
  kappa <= pi alpha gamma omega_0 / 4.

chi is :func:`~heatbounds.numeric.harmonic_response.susceptibility` in either
form ("exact" with the Kramers-Kronig real part, or "paper", Eq. 14 as printed).
Integrals use :func:`~heatbounds.numeric.quadrature.integrate_log_omega` on
all temperatures at once. Each temperature has its window
[1e-5 min(T, centre), 45 min(T, omega_c/2)], extended to the resonance while
70 T reaches it; the batch shares one ln(omega) panel grid over the union of
the windows, so Im chi is evaluated once per node, not once per node and
temperature. Default relative tolerance 1e-10, checked per temperature by
the Gauss-Kronrod error estimate (QuadratureError if not met).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from heatbounds.numeric.harmonic_response import (
    ChiForm,
    as_chi_form,
    im_susceptibility,
    junction_resonance,
    validate_junction,
)
from heatbounds.numeric.quadrature import QuadratureError, integrate_log_omega
from heatbounds.numeric.validation import finite_array, scalar_or_array, temperatures

__all__ = [
    "TransportEstimate",
    "ballistic_current_bound",
    "exact_conductance",
    "heat_current",
    "landauer_transmission",
    "quantum_of_thermal_conductance",
    "sum_rule_conductance_bound",
    "sum_rule_current_bound",
]

# Integration window in omega. Below 1e-5 min(T, centre) the integrands go like
# omega^2, so the part left out is < 1e-15 of the total. Above, they fall like
# exp(-omega/T) (times omega^4 at most) and exp(-2 omega/omega_c): beyond
# 45 min(T, omega_c/2) less than 1e-14 is left. The resonance, where Im chi ~ 1/alpha,
# is kept up to 70 T (its weight there is below exp(-70)/alpha).
_LOWER_FACTOR = 1e-5
_UPPER_FACTOR = 45.0
_RESONANCE_FACTOR = 70.0
# Uniform panels of one unit of ln(omega): the nearest singularities of the
# Bose factors lie pi/2 off the real ln(omega) axis, so K21 on such panels is
# converged far below 1e-10 (the error estimate checks it, and refines if not).
_PANEL_WIDTH = 1.0


@dataclass(frozen=True)
class TransportEstimate:
    """A current or conductance with its quadrature error estimate (same shape, units)."""

    value: np.ndarray | float
    error: np.ndarray | float


def _result(value, error, with_error: bool):
    """Scalar-or-array ``value``, or a :class:`TransportEstimate` with its ``error``."""
    value = scalar_or_array(value)
    if with_error:
        return TransportEstimate(value=value, error=scalar_or_array(error))
    return value


def _prefactor(alpha_L: float, alpha_R: float) -> float:
    """alpha gamma / 4 = alpha_L alpha_R / (alpha_L + alpha_R)."""
    return alpha_L * alpha_R / (alpha_L + alpha_R)


def _bose_difference(omega: np.ndarray, t_hot: np.ndarray, t_cold: np.ndarray) -> np.ndarray:
    """n(omega, t_hot) - n(omega, t_cold) >= 0 for t_hot >= t_cold, without overflow.

    = [e^{-x_h} / (1 - e^{-x_h})] [(1 - e^{-dx}) / (1 - e^{-x_c})], x = omega/T,
    dx = x_c - x_h = omega (t_hot - t_cold) / (t_hot t_cold) taken from the
    temperature difference directly (no cancellation when t_hot ~ t_cold); each
    bracket stays finite for x -> 0 and x -> inf.
    """
    x_h = omega / t_hot
    x_c = omega / t_cold
    dx = omega * ((t_hot - t_cold) / (t_hot * t_cold))
    return (np.exp(-x_h) / -np.expm1(-x_h)) * (np.expm1(-dx) / np.expm1(-x_c))


def _bose_derivative_kernel(x: np.ndarray) -> np.ndarray:
    """omega dn/dT at x = omega/T: x^2 e^x / (e^x - 1)^2 = (x/2)^2 / sinh^2(x/2), -> 1 as x -> 0.

    Written as x^2 e^{-x} / expm1(-x)^2 (no overflow at large x); x is floored
    at 1e-150, where the kernel is 1 to double precision, so x^2 cannot underflow.
    """
    x = np.maximum(x, 1e-150)
    return x * x * np.exp(-x) / np.expm1(-x) ** 2


def _window(t_low: np.ndarray, t_high: np.ndarray, omega_c: float, center: float):
    lower = _LOWER_FACTOR * np.minimum(t_low, center)
    upper = np.maximum(
        _UPPER_FACTOR * np.minimum(t_high, 0.5 * omega_c),
        np.minimum(_RESONANCE_FACTOR * t_high, 4.0 * center),
    )
    return lower, upper


def _check(res, what: str, temps: np.ndarray) -> None:
    """Raise QuadratureError naming (up to five) temperatures whose integral failed."""
    failed = ~np.asarray(res.converged).reshape(-1)
    if np.any(failed):
        bad = np.asarray(temps).reshape(failed.size, -1)[failed]
        raise QuadratureError(f"{what} did not reach rtol at T = {bad[:5].tolist()}")


def heat_current(
    t_left: np.ndarray | float,
    t_right: np.ndarray | float,
    *,
    alpha_L: float,
    alpha_R: float,
    omega_c: float,
    omega0: float = 1.0,
    form: ChiForm | str = ChiForm.EXACT,
    rtol: float = 1e-10,
    with_error: bool = False,
):
    """Steady heat current J_Q(T_L, T_R) from the left bath, Eq. 5 (exact for this model).

    J_Q = (alpha gamma/4) Int_0^inf d omega omega Jtilde Im chi [n_L(omega) - n_R(omega)].

    Reduced units hbar = k_B = 1: temperatures in the unit of omega0, J_Q in
    that unit squared. t_left and t_right broadcast; scalar in, scalar out.
    Positive when T_L > T_R. ``form`` picks chi ("exact" or "paper", Eq. 14).
    The quadrature meets rtol (relative, per temperature pair) or raises
    :class:`~heatbounds.numeric.quadrature.QuadratureError`; with
    ``with_error=True`` a :class:`TransportEstimate` (value, error) is returned.
    """
    a_l, a_r, w_c, w_0 = validate_junction(alpha_L, alpha_R, omega_c, omega0)
    kind = as_chi_form(form)
    t_l, t_r = np.broadcast_arrays(temperatures("t_left", t_left), temperatures("t_right", t_right))
    hot, cold = np.maximum(t_l, t_r), np.minimum(t_l, t_r)
    sign = np.where(t_l >= t_r, 1.0, -1.0)
    peak = junction_resonance(alpha_L=a_l, alpha_R=a_r, omega_c=w_c, omega0=w_0, form=kind)
    pref = _prefactor(a_l, a_r)
    model = {"alpha_L": a_l, "alpha_R": a_r, "omega_c": w_c, "omega0": w_0, "form": kind}

    def integrand(w: np.ndarray, t_hot: np.ndarray, t_cold: np.ndarray) -> np.ndarray:
        im_chi = im_susceptibility(w, **model)
        return pref * w * w * np.exp(-w / w_c) * im_chi * _bose_difference(w, t_hot, t_cold)

    lower, upper = _window(cold, hot, w_c, peak.center)
    res = integrate_log_omega(
        integrand,
        lower,
        upper,
        args=(hot, cold),
        resonances=[peak],
        rtol=rtol,
        panel_width=_PANEL_WIDTH,
        shared_grid=True,
    )
    _check(res, "heat current", np.stack([t_l.ravel(), t_r.ravel()], axis=1))
    return _result(sign * res.integral, res.error, with_error)


def exact_conductance(
    temperature: np.ndarray | float,
    *,
    alpha_L: float,
    alpha_R: float,
    omega_c: float,
    omega0: float = 1.0,
    form: ChiForm | str = ChiForm.EXACT,
    rtol: float = 1e-10,
    with_error: bool = False,
):
    """Thermal conductance kappa(T) = dJ_Q/dT_L at T_L = T_R = T (Eq. 10, left side).

    kappa = (alpha gamma/4) Int_0^inf d omega Jtilde(omega) Im chi(omega) x^2 e^x/(e^x - 1)^2,
    x = omega/T, the Bose derivative in closed form (written as x^2 e^-x / expm1(-x)^2,
    no overflow). Reduced units hbar = k_B = 1: kappa in the unit of omega0
    (k_B per time). Vectorised over ``temperature`` (one quadrature batch);
    scalar in, scalar out. Limits: kappa -> (8 pi^5 alpha_L alpha_R / 15 omega0^2) T^3
    as T -> 0 and -> (alpha gamma/4) Int Jtilde Im chi (< pi alpha gamma omega0/4) as T -> inf.
    """
    a_l, a_r, w_c, w_0 = validate_junction(alpha_L, alpha_R, omega_c, omega0)
    kind = as_chi_form(form)
    t = temperatures("temperature", temperature)
    peak = junction_resonance(alpha_L=a_l, alpha_R=a_r, omega_c=w_c, omega0=w_0, form=kind)
    pref = _prefactor(a_l, a_r)
    model = {"alpha_L": a_l, "alpha_R": a_r, "omega_c": w_c, "omega0": w_0, "form": kind}

    def integrand(w: np.ndarray, temp: np.ndarray) -> np.ndarray:
        im_chi = im_susceptibility(w, **model)
        return pref * w * np.exp(-w / w_c) * im_chi * _bose_derivative_kernel(w / temp)

    lower, upper = _window(t, t, w_c, peak.center)
    res = integrate_log_omega(
        integrand,
        lower,
        upper,
        args=(t,),
        resonances=[peak],
        rtol=rtol,
        panel_width=_PANEL_WIDTH,
        shared_grid=True,
    )
    _check(res, "conductance", t.reshape(-1))
    return _result(res.integral, res.error, with_error)


def landauer_transmission(
    omega: np.ndarray | float,
    *,
    alpha_L: float,
    alpha_R: float,
    omega_c: float,
    omega0: float = 1.0,
    form: ChiForm | str = ChiForm.EXACT,
):
    """Transmission T(omega) that makes Eq. 1 equal Eq. 5 (dimensionless).

    Identification: Eq. 1 for bosons (T = 0 at omega <= 0) is
    J_Q = (1/2 pi) Int_0^inf d omega omega T(omega) [n_L - n_R]; matching the
    integrand of Eq. 5 frequency by frequency gives::

        T(omega) = (pi alpha gamma / 2) Jtilde(omega) Im chi(omega)
                 = pi^2 alpha_L alpha_R Jtilde^2 |chi|^2 = 4 Im Pi_L Im Pi_R |chi|^2,

    (Im Pi_nu = pi J_nu/4), the Caroli form. Because ``|chi^-1| >= Im Pi_L + Im Pi_R``,
    0 <= T <= gamma <= 1 for both chi forms, which is why Eq. 2 holds; the paper
    form reaches gamma at omega = omega0. Independent of temperature (harmonic
    model). Reduced units hbar = 1.
    """
    a_l, a_r, w_c, w_0 = validate_junction(alpha_L, alpha_R, omega_c, omega0)
    w = finite_array("omega", omega)
    im_chi = np.asarray(
        im_susceptibility(w, alpha_L=a_l, alpha_R=a_r, omega_c=w_c, omega0=w_0, form=form)
    )
    jt = w * np.exp(-np.abs(w) / w_c)
    trans = np.where(w > 0, 2.0 * math.pi * _prefactor(a_l, a_r) * jt * im_chi, 0.0)
    return scalar_or_array(trans)


def ballistic_current_bound(t_left: np.ndarray | float, t_right: np.ndarray | float):
    """Ballistic bound Eq. 2: J_Q <= pi (T_L^2 - T_R^2) / 12 (reduced units hbar = k_B = 1).

    Eq. 1 with T(omega) = 1; holds for T_L > T_R. Broadcasts; scalar in, scalar out.
    """
    t_l = temperatures("t_left", t_left)
    t_r = temperatures("t_right", t_right)
    return scalar_or_array(math.pi * (t_l - t_r) * (t_l + t_r) / 12.0)


def quantum_of_thermal_conductance(temperature: np.ndarray | float):
    """kappa_Q = pi k_B^2 T / (6 hbar) = pi T / 6 in reduced units (T_L -> T_R limit of Eq. 2)."""
    t = temperatures("temperature", temperature)
    return scalar_or_array(math.pi * t / 6.0)


def sum_rule_current_bound(
    t_left: np.ndarray | float,
    t_right: np.ndarray | float,
    *,
    alpha_L: float,
    alpha_R: float,
    omega0: float = 1.0,
):
    """Sum-rule bound Eq. 15: J_Q <= (pi alpha gamma / 4) omega0 k_B (T_L - T_R).

    Eq. 9 with the harmonic f-sum m = omega0/hbar (Eq. 7 for A = a + a^dag).
    Reduced units hbar = k_B = 1. Holds for T_L > T_R. Broadcasts.
    """
    a_l, a_r, _, w_0 = validate_junction(alpha_L, alpha_R, 1.0, omega0)
    t_l = temperatures("t_left", t_left)
    t_r = temperatures("t_right", t_right)
    return scalar_or_array(math.pi * _prefactor(a_l, a_r) * w_0 * (t_l - t_r))


def sum_rule_conductance_bound(*, alpha_L: float, alpha_R: float, omega0: float = 1.0):
    """Conductance bound Eq. 10 for the harmonic junction: kappa <= pi alpha gamma omega0 k_B / 4.

    (alpha gamma / 4 = alpha_L alpha_R / alpha.) Reduced units hbar = k_B = 1;
    temperature independent.
    """
    a_l, a_r, _, w_0 = validate_junction(alpha_L, alpha_R, 1.0, omega0)
    return math.pi * _prefactor(a_l, a_r) * w_0
