"""Kink-pair interaction W(tau) of the spin-boson imaginary-time path integral.

Reduced units throughout: hbar = k_B = 1, so beta = 1/T and frequencies,
energies and temperatures share one unit (usually the tunnelling Delta).

Model (paper Eq. 3 and 16): H = (Delta/2) sigma_x + sigma_z X + sum_k omega_k b_k^dag b_k,
X = sum_k g_k (b_k + b_k^dag), with the spectral function of Eq. 4,
J(omega) = 4 sum_k g_k^2 delta(omega - omega_k). For the ohmic bath of the paper
(Eq. 8) J(omega) = 2 alpha omega exp(-omega/omega_c) with
Leggett's alpha.

Tracing out the bath turns a spin path with kinks (spin flips) at
0 < tau_1 < ... < tau_2n < beta into the weight
exp[sum_{i<j} (-1)^(i+j) W(tau_j - tau_i)] with

.. math::

    W(\\tau) = \\int_0^\\infty d\\omega \\frac{J(\\omega)}{\\omega^2}
    \\frac{\\cosh(\\beta\\omega/2) - \\cosh(\\omega(\\beta/2 - \\tau))}{\\sinh(\\beta\\omega/2)}
    = \\int_0^\\infty d\\omega \\frac{J(\\omega)}{\\omega^2}
    \\frac{(1 - e^{-\\omega\\tau})(1 - e^{-\\omega(\\beta - \\tau)})}{1 - e^{-\\beta\\omega}}.

(The second form is the overflow-free one used for quadrature.) For the ohmic
bath, expanding 1/sinh in a geometric series and using
Int_0^inf (e^{-a w} - e^{-b w}) dw / w = ln(b/a) term by term gives a product
of Gamma functions (derivation in :func:`ohmic_kink_interaction`):

    W(tau) = 2 alpha ln[Gamma(x) Gamma(1 + x) / (Gamma(x + t) Gamma(1 + x - t))],
    x = 1/(beta omega_c),  t = tau/beta.

At T = 0 it is 2 alpha ln(1 + omega_c tau), i.e. 2 alpha ln(omega_c tau) for
omega_c tau >> 1, the standard Leggett kink interaction.

Baths are strategy objects: :class:`OhmicBath` (closed form, evaluated exactly
in the sampler), :class:`SpectralDensityBath` (any J through the integral,
tabulated once per temperature) and :class:`SingleModeBath` (one mode,
J = 4 g^2 delta(omega - Omega), tabulated from its exact W).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import integrate, special

from heatbounds.numeric.errors import NumericInputError

__all__ = [
    "KernelSpec",
    "OhmicBath",
    "SingleModeBath",
    "SpectralDensityBath",
    "kink_interaction_integral",
    "ohmic_kink_interaction",
    "tabulate_kink_interaction",
]

# Interaction table: grid uniform in ln(tau) from TABLE_TAU_MIN_FRACTION * beta
# to beta/2 (W is symmetric about beta/2); linear in tau below the grid.
TABLE_POINTS = 4097
TABLE_TAU_MIN_FRACTION = 1e-10

MODE_OHMIC = 0
MODE_TABLE = 1


def _check_positive(name: str, value: float) -> float:
    value = float(value)
    if not math.isfinite(value) or value <= 0.0:
        raise NumericInputError(f"{name} must be a finite number > 0, got {value!r}")
    return value


def _check_tau(tau: np.ndarray, beta: float) -> None:
    if not np.all(np.isfinite(tau)):
        raise NumericInputError("tau must be finite")
    if np.any(tau < 0.0) or np.any(tau > beta):
        raise NumericInputError(f"tau must lie in [0, beta] = [0, {beta}]")


def ohmic_kink_interaction(tau, *, beta: float, alpha: float, omega_c: float):
    """W(tau) for J = 2 alpha omega exp(-omega/omega_c), in closed form.

    Reduced units (hbar = k_B = 1). Derivation: 1/sinh(b w/2) = 2 sum_n
    exp(-b w (n + 1/2)) turns the integrand into
    sum_n [e^{-w n b} + e^{-w (n+1) b} - e^{-w (n b + tau)} - e^{-w ((n+1) b - tau)}] e^{-w/w_c}/w,
    each bracket integrates to a logarithm, and the product over n is
    Gamma(x) Gamma(1+x) / (Gamma(x+t) Gamma(1+x-t)) with x = 1/(beta omega_c),
    t = tau/beta (the powers of n cancel, so the product converges).

    Parameters
    ----------
    tau : float or array, 0 <= tau <= beta
    beta, alpha, omega_c : inverse temperature, Leggett alpha, cutoff.

    Examples
    --------
    >>> abs(ohmic_kink_interaction(0.0, beta=2.0, alpha=0.3, omega_c=10.0)) < 1e-15
    True
    >>> w = ohmic_kink_interaction(0.5, beta=1e6, alpha=0.5, omega_c=10.0)
    >>> abs(w - math.log(1 + 10 * 0.5)) < 1e-5  # T -> 0: 2 alpha ln(1 + omega_c tau)
    True
    """
    beta = _check_positive("beta", beta)
    omega_c = _check_positive("omega_c", omega_c)
    alpha = float(alpha)
    if not math.isfinite(alpha):
        raise NumericInputError(f"alpha must be finite, got {alpha!r}")
    tau = np.asarray(tau, dtype=float)
    _check_tau(tau, beta)
    x = 1.0 / (beta * omega_c)
    t = tau / beta
    w = (
        2.0
        * alpha
        * (
            special.gammaln(x)
            + special.gammaln(1.0 + x)
            - special.gammaln(x + t)
            - special.gammaln(1.0 + x - t)
        )
    )
    return w.item() if w.ndim == 0 else w


def kink_interaction_integral(
    tau,
    *,
    beta: float,
    spectral_density: Callable[[np.ndarray], np.ndarray],
    points: tuple[float, ...] = (),
):
    """W(tau) by adaptive quadrature of its defining integral, for any J.

    Reduced units. Uses the overflow-free form
    W = Int_0^inf dw J(w)/w^2 (1 - e^{-w tau})(1 - e^{-w (beta - tau)}) / (1 - e^{-beta w})
    with all tau at once (:func:`scipy.integrate.quad_vec`), split at
    ``points``. J must be finite on (0, inf) and J(w)/w integrable at 0 (e.g.
    J ~ w^s with s > 0). Adaptive quadrature can step over a feature much
    narrower than its scale: give the frequencies of narrow peaks as
    ``points`` (a peak of width eta at w0: w0 - 10 eta, w0, w0 + 10 eta).
    """
    beta = _check_positive("beta", beta)
    tau = np.asarray(tau, dtype=float)
    _check_tau(tau, beta)
    flat = tau.ravel()

    def integrand(w: float) -> np.ndarray:
        if w <= 0.0:
            return np.zeros_like(flat)
        jw = float(spectral_density(np.asarray(w)))
        if not math.isfinite(jw):
            raise NumericInputError(f"spectral_density({w}) is not finite")
        num = np.expm1(-w * flat) * np.expm1(-w * (beta - flat))
        return (jw / (w * w)) * num / (-math.expm1(-beta * w))

    edges = [0.0, *sorted(float(p) for p in points if 0.0 < float(p) < math.inf), np.inf]
    w_val = np.zeros_like(flat)
    for lo, hi in itertools.pairwise(edges):
        part, _err = integrate.quad_vec(
            integrand, lo, hi, epsabs=1e-13, epsrel=1e-11, norm="max", limit=400
        )
        w_val = w_val + part
    w_val = np.asarray(w_val).reshape(tau.shape)
    return w_val.item() if w_val.ndim == 0 else w_val


@dataclass(frozen=True)
class KernelSpec:
    """What the numba sampler needs to evaluate W(tau) at one beta.

    mode 0 (ohmic closed form): params = [2 alpha, x, lnG(x) + lnG(1+x), 0, 0, 0].
    mode 1 (table): params = [0, 0, 0, tau_min, ln tau_min, d ln tau], table =
    W on the ln(tau) grid up to beta/2, cubic Lagrange interpolation.
    """

    mode: int
    beta: float
    params: np.ndarray
    table: np.ndarray


def tabulate_kink_interaction(
    kink_interaction: Callable[[np.ndarray, float], np.ndarray],
    beta: float,
    n_points: int = TABLE_POINTS,
) -> KernelSpec:
    """Tabulate W on a grid uniform in ln(tau) over [1e-10 beta, beta/2] (mode 1)."""
    beta = _check_positive("beta", beta)
    tau_min = TABLE_TAU_MIN_FRACTION * beta
    s_min, s_max = math.log(tau_min), math.log(0.5 * beta)
    ds = (s_max - s_min) / (n_points - 1)
    grid = np.exp(s_min + ds * np.arange(n_points))
    grid[-1] = 0.5 * beta
    table = np.ascontiguousarray(kink_interaction(grid, beta), dtype=float)
    if not np.all(np.isfinite(table)):
        raise NumericInputError("the kink interaction W(tau) is not finite on the grid")
    params = np.array([0.0, 0.0, 0.0, tau_min, s_min, ds])
    return KernelSpec(MODE_TABLE, beta, params, table)


@dataclass(frozen=True)
class OhmicBath:
    """Ohmic bath J(omega) = 2 alpha omega exp(-omega/omega_c) (Eq. 8, Leggett alpha).

    Reduced units. ``alpha`` is the total coupling alpha_L + alpha_R; only the
    sum enters equilibrium <sigma_x>.
    """

    alpha: float
    omega_c: float

    def __post_init__(self) -> None:
        alpha = float(self.alpha)
        if not math.isfinite(alpha) or alpha < 0.0:
            raise NumericInputError(f"alpha must be a finite number >= 0, got {self.alpha!r}")
        _check_positive("omega_c", self.omega_c)

    def spectral_density(self, omega):
        """J(omega) = 2 alpha omega exp(-omega/omega_c) for omega >= 0."""
        omega = np.asarray(omega, dtype=float)
        j = 2.0 * self.alpha * omega * np.exp(-omega / self.omega_c)
        return j.item() if j.ndim == 0 else j

    def kink_interaction(self, tau, beta: float):
        """W(tau), closed form (:func:`ohmic_kink_interaction`)."""
        return ohmic_kink_interaction(tau, beta=beta, alpha=self.alpha, omega_c=self.omega_c)

    def kernel_spec(self, beta: float) -> KernelSpec:
        """Closed-form parameters for the sampler (mode 0, no table)."""
        beta = _check_positive("beta", beta)
        x = 1.0 / (beta * self.omega_c)
        params = np.array(
            [2.0 * self.alpha, x, math.lgamma(x) + math.lgamma(1.0 + x), 0.0, 0.0, 0.0]
        )
        return KernelSpec(MODE_OHMIC, beta, params, np.zeros(4))


@dataclass(frozen=True)
class SpectralDensityBath:
    """Any bath given by its spectral function J(omega) (Eq. 4), via the integral.

    Reduced units. ``spectral_density`` maps omega > 0 to J(omega) >= 0; W(tau)
    is computed by quadrature and tabulated once per temperature. ``points``:
    frequencies where J has narrow structure (see :func:`kink_interaction_integral`).
    """

    spectral_density: Callable[[np.ndarray], np.ndarray]
    name: str = "custom"
    points: tuple[float, ...] = ()

    @classmethod
    def power_law(cls, alpha: float, omega_c: float, s: float) -> SpectralDensityBath:
        """J = 2 alpha omega^s omega_c^(1-s) exp(-omega/omega_c) (s = 1: ohmic)."""
        alpha = float(alpha)
        if not math.isfinite(alpha) or alpha < 0.0:
            raise NumericInputError(f"alpha must be a finite number >= 0, got {alpha!r}")
        omega_c = _check_positive("omega_c", omega_c)
        s = _check_positive("s", s)

        def j(omega):
            omega = np.asarray(omega, dtype=float)
            return 2.0 * alpha * omega**s * omega_c ** (1.0 - s) * np.exp(-omega / omega_c)

        return cls(
            j, name=f"power law s={s:g}, alpha={alpha:g}, omega_c={omega_c:g}", points=(omega_c,)
        )

    def kink_interaction(self, tau, beta: float):
        """W(tau) by quadrature (:func:`kink_interaction_integral`)."""
        return kink_interaction_integral(
            tau, beta=beta, spectral_density=self.spectral_density, points=self.points
        )

    def kernel_spec(self, beta: float) -> KernelSpec:
        """Tabulated W for the sampler (mode 1)."""
        return tabulate_kink_interaction(self.kink_interaction, beta)


@dataclass(frozen=True)
class SingleModeBath:
    """One bath mode: H_int = g sigma_z (b + b^dag), mode energy Omega.

    Reduced units. J(omega) = 4 g^2 delta(omega - Omega), so the integral gives
    W(tau) = (4 g^2/Omega^2) (1 - e^{-Omega tau})(1 - e^{-Omega(beta-tau)})/(1 - e^{-beta Omega}).
    The sampler uses it through the table (mode 1), like any non-ohmic bath.
    """

    coupling: float
    frequency: float

    def __post_init__(self) -> None:
        if not math.isfinite(float(self.coupling)):
            raise NumericInputError(f"coupling must be finite, got {self.coupling!r}")
        _check_positive("frequency", self.frequency)

    def kink_interaction(self, tau, beta: float):
        """Exact W(tau) for the single mode."""
        beta = _check_positive("beta", beta)
        tau = np.asarray(tau, dtype=float)
        _check_tau(tau, beta)
        om = float(self.frequency)
        pref = 4.0 * float(self.coupling) ** 2 / om**2
        w = pref * np.expm1(-om * tau) * np.expm1(-om * (beta - tau)) / (-math.expm1(-beta * om))
        return w.item() if w.ndim == 0 else w

    def kernel_spec(self, beta: float) -> KernelSpec:
        """Tabulated W for the sampler (mode 1)."""
        return tabulate_kink_interaction(self.kink_interaction, beta)
