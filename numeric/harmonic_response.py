"""Response function of the harmonic junction (Taylor & Segal, Eq. 13-14).

Model (Eq. 3, 13): H_s = hbar omega_0 (a^dag a + 1/2), A = a + a^dag, coupled
linearly to two ohmic baths, J_nu(omega) = 2 alpha_nu omega exp(-omega/omega_c)
(Eq. 4, 8), alpha = alpha_L + alpha_R.

Units: reduced, hbar = k_B = 1. Frequencies, temperatures and energies share one
unit (omega_0 is the natural one, but any positive omega_0 is accepted); chi is
then in inverse energy units.

Sign convention (chi of Eq. 6, chi(t) = (i/hbar) Theta(t) <[A(t), A(0)]>):
the free oscillator gives chi_0(omega) = 2 omega_0 / (omega_0^2 - omega^2), so
Im chi(omega > 0) >= 0 and Re chi(0) > 0. The paper prints Eq. 14 with
(omega^2 - omega_0^2) in the denominator, i.e. minus the complex conjugate of
the "paper" form below; the two agree on Im chi, which is all Eq. 5 uses.

Two forms of chi are provided (:class:`ChiForm`):

``exact``
    The exact response of the model with the usual counterterm
    A^2 sum_k g_k^2 / (hbar omega_k) (docs, "Where the printed paper differs"):

    chi = 2 omega_0 / (omega_0^2 - omega^2 - 2 omega_0 [Pi(omega) - Pi(0)]),
    Pi(omega) = (1/2) Int_0^inf d w J(w) w / (w^2 - (omega + i0)^2),

    with J = J_L + J_R. For the exponential cutoff, x = ``|omega|/omega_c``,

    ``Re[Pi(omega) - Pi(0)] = -(alpha |omega| / 2) g(x)``,
    g(x) = exp(-x) Ei(x) + exp(x) E1(x)          (Kramers-Kronig, closed form)
    Im Pi(omega) = (pi/4) J(omega) = (pi alpha omega / 2) exp(-x).

    It satisfies the f-sum rule (1/pi) Int_0^inf omega Im chi = omega_0 exactly.
``paper``
    Eq. 14 as printed (up to the overall sign of Re chi): only Im Pi is kept,
    chi = 2 omega_0 / (omega_0^2 - omega^2 - i pi omega_0 J(omega) / 2).
    It is not causal, and its f-sum moment falls short of omega_0
    (see :func:`harmonic_fsum_report`).
"""

from __future__ import annotations

import enum
import math
from dataclasses import asdict, dataclass

import numpy as np
from scipy import special

from heatbounds.numeric.errors import NumericInputError
from heatbounds.numeric.quadrature import QuadratureError, Resonance, integrate_log_omega
from heatbounds.numeric.validation import (
    finite_array,
    finite_float,
    positive_float,
    scalar_or_array,
)

__all__ = [
    "ChiForm",
    "FsumMoment",
    "as_chi_form",
    "bath_spectral_density",
    "fsum_moment",
    "harmonic_fsum_report",
    "im_susceptibility",
    "junction_resonance",
    "kramers_kronig_kernel",
    "self_energy",
    "susceptibility",
    "validate_junction",
]


class ChiForm(enum.Enum):
    """Which harmonic-junction susceptibility to use (see the module docstring)."""

    EXACT = "exact"
    PAPER = "paper"


def as_chi_form(form: ChiForm | str) -> ChiForm:
    """The :class:`ChiForm` named by ``form`` ("exact" or "paper"); refuses anything else."""
    try:
        return ChiForm(form)
    except ValueError:
        raise NumericInputError(
            f"chi form must be one of {[f.value for f in ChiForm]}, got {form!r}"
        ) from None


def validate_junction(
    alpha_L: float, alpha_R: float, omega_c: float, omega0: float
) -> tuple[float, float, float, float]:
    """Check the harmonic-junction parameters; returns them as floats.

    Refuses (:class:`NumericInputError`, naming the argument) non-finite values,
    alpha_L < 0, alpha_R < 0, alpha_L + alpha_R = 0 (no bath),
    omega_c <= 0 and omega0 <= 0.
    """
    a_l = finite_float("alpha_L", alpha_L, minimum=0)
    a_r = finite_float("alpha_R", alpha_R, minimum=0)
    if a_l + a_r <= 0:
        raise NumericInputError("alpha_L + alpha_R must be > 0 (the junction needs a bath)")
    w_c = positive_float("omega_c", omega_c)
    w_0 = positive_float("omega0", omega0)
    return a_l, a_r, w_c, w_0


def bath_spectral_density(omega: np.ndarray | float, *, alpha: float, omega_c: float):
    """Ohmic spectral function ``J(omega) = 2 alpha omega exp(-|omega|/omega_c)`` (Eq. 4, 8).

    Reduced units (hbar = k_B = 1); J has units of frequency. Odd in omega, as
    the Fourier transform of a bath correlator requires.
    """
    w = finite_array("omega", omega)
    return scalar_or_array(2.0 * alpha * w * np.exp(-np.abs(w) / omega_c))


# Series sum_k x^k / (k k!) of Ei and E1, split into odd k (as x P(x^2)) and
# even k >= 2 (as x^2 Q(x^2)); through k = 21 the remainder is < 1e-20 below x = 1.
_ODD_COEFFS = np.array([1.0 / (k * math.factorial(k)) for k in range(1, 22, 2)])
_EVEN_COEFFS = np.array([1.0 / (k * math.factorial(k)) for k in range(2, 22, 2)])
# Asymptotic series g(x) ~ 2 sum_j (2j)! / x^(2j+1), used from x = 40.
_ASYM_COEFFS = np.array([2.0 * math.factorial(2 * j) for j in range(16)])
_SMALL_X, _LARGE_X = 1.0, 40.0


def kramers_kronig_kernel(x: np.ndarray | float):
    """g(x) = exp(-x) Ei(x) + exp(x) E1(x) for x >= 0 (dimensionless).

    With it, Re[Pi(omega) - Pi(0)] = -(alpha omega / 2) g(omega/omega_c), the
    principal value alpha omega^2 P Int_0^inf exp(-w/omega_c) / (w^2 - omega^2) dw.
    g(0) = 0, g(x) = 2x(1 - gamma_E - ln x) + O(x^2 ln x), g(x) ~ 2/x + 4/x^3 + ...

    Evaluated without cancellation or overflow: below x = 1 the power series of
    Ei and E1 with the logarithms collected,
    g = 2 cosh(x) S_odd(x) - 2 sinh(x) [gamma_E + ln x + S_even(x)],
    S = sum_k x^k/(k k!) over odd / even k >= 1; scipy's expi/exp1 up to x = 40;
    the asymptotic series beyond.
    """
    x = finite_array("x", x)
    if np.any(x < 0):
        raise NumericInputError("kramers_kronig_kernel needs x >= 0")
    g = np.zeros_like(x)
    small = (x > 0) & (x < _SMALL_X)
    if np.any(small):
        xs = x[small]
        x2 = xs * xs
        s_odd = xs * np.polynomial.polynomial.polyval(x2, _ODD_COEFFS)
        s_even = x2 * np.polynomial.polynomial.polyval(x2, _EVEN_COEFFS)
        g[small] = 2.0 * np.cosh(xs) * s_odd - 2.0 * np.sinh(xs) * (
            np.euler_gamma + np.log(xs) + s_even
        )
    mid = (x >= _SMALL_X) & (x < _LARGE_X)
    if np.any(mid):
        xm = x[mid]
        g[mid] = np.exp(-xm) * special.expi(xm) + np.exp(xm) * special.exp1(xm)
    large = x >= _LARGE_X
    if np.any(large):
        inv2 = 1.0 / x[large] ** 2
        g[large] = np.polynomial.polynomial.polyval(inv2, _ASYM_COEFFS) / x[large]
    return scalar_or_array(g)


def self_energy(omega: np.ndarray | float, *, alpha: float, omega_c: float):
    """Retarded bath self-energy with counterterm, Pi(omega) - Pi(0) (complex).

    Pi(omega) = (1/2) Int_0^inf dw J(w) w / (w^2 - (omega + i0)^2) for
    J = 2 alpha w exp(-w/omega_c) (both baths, alpha = alpha_L + alpha_R), so
    Pi(0) = alpha omega_c and, with x = ``|omega|/omega_c``::

        Re[Pi - Pi(0)] = -(alpha |omega| / 2) g(x)      (even in omega)
        Im Pi = (pi/4) J(omega) = (pi alpha omega / 2) exp(-x)   (odd, >= 0 for omega > 0)

    g is :func:`kramers_kronig_kernel`. Reduced units hbar = k_B = 1; Pi is a
    frequency: it enters chi^-1 = chi_0^-1 - Pi + Pi(0), with
    chi_0^-1 = (omega_0^2 - omega^2) / (2 omega_0).
    """
    w = finite_array("omega", omega)
    x = np.abs(w) / omega_c
    re = -0.5 * alpha * np.abs(w) * kramers_kronig_kernel(x)
    im = 0.5 * math.pi * alpha * w * np.exp(-x)
    return scalar_or_array(re + 1j * im)


def susceptibility(
    omega: np.ndarray | float,
    *,
    alpha_L: float,
    alpha_R: float,
    omega_c: float,
    omega0: float = 1.0,
    form: ChiForm | str = ChiForm.EXACT,
):
    """Retarded susceptibility chi(omega) of A = a + a^dag (Eq. 6, 14), complex::

        exact: chi = 2 omega_0 / (omega_0^2 - omega^2 - 2 omega_0 [Pi(omega) - Pi(0)])
        paper: chi = 2 omega_0 / (omega_0^2 - omega^2 - 2 i omega_0 Im Pi(omega))
               = 2 omega_0 / (omega_0^2 - omega^2 - i pi omega_0 J(omega)/2)   (Eq. 14)

    Reduced units hbar = k_B = 1 (with hbar: numerator 2 omega_0/hbar, and
    Pi -> Pi/hbar). Convention: Im chi(omega > 0) >= 0, chi(0) = 2/omega_0 for
    the exact form; the paper's printed Eq. 14 is minus the complex conjugate of
    the paper form, same Im chi. See :func:`self_energy` for Pi.
    """
    a_l, a_r, w_c, w_0 = validate_junction(alpha_L, alpha_R, omega_c, omega0)
    kind = as_chi_form(form)
    w = finite_array("omega", omega)
    sigma = np.asarray(self_energy(w, alpha=a_l + a_r, omega_c=w_c))
    if kind is ChiForm.PAPER:
        sigma = 1j * sigma.imag
    denom = w_0**2 - w**2 - 2.0 * w_0 * sigma
    return scalar_or_array(2.0 * w_0 / denom)


def im_susceptibility(
    omega: np.ndarray | float,
    *,
    alpha_L: float,
    alpha_R: float,
    omega_c: float,
    omega0: float = 1.0,
    form: ChiForm | str = ChiForm.EXACT,
):
    """Im chi(omega), the spectral function entering Eq. 5 and 7 (real, >= 0 for omega > 0).

    Same as ``susceptibility(...).imag`` (reduced units hbar = k_B = 1), computed
    in real arithmetic: with a = Re D, ``b = pi alpha omega_0 omega exp(-|omega|/omega_c)``,
    D the denominator of :func:`susceptibility`, Im chi = 2 omega_0 b / (a^2 + b^2).
    The fast path for transport integrands.
    """
    a_l, a_r, w_c, w_0 = validate_junction(alpha_L, alpha_R, omega_c, omega0)
    kind = as_chi_form(form)
    w = finite_array("omega", omega)
    alpha = a_l + a_r
    aw = np.abs(w)
    x = aw / w_c
    b = math.pi * alpha * w_0 * w * np.exp(-x)
    a = w_0**2 - w * w
    if kind is ChiForm.EXACT:
        a = a + alpha * w_0 * aw * kramers_kronig_kernel(x)
    return scalar_or_array(2.0 * w_0 * b / (a * a + b * b))


def junction_resonance(
    *,
    alpha_L: float,
    alpha_R: float,
    omega_c: float,
    omega0: float = 1.0,
    form: ChiForm | str = ChiForm.EXACT,
) -> Resonance:
    """Centre and half-width of the peak of Im chi, for placing quadrature breakpoints.

    Centre: root of Re chi^-1 near omega_0 (omega_0 itself for the paper form;
    for the exact form the fixed point of
    omega^2 = omega_0^2 + alpha omega_0 omega g(omega/omega_c)).
    Half-width: pi alpha omega_0 exp(-centre/omega_c) / 2 (from Im Pi). A hint
    only: the quadrature's own error estimate decides accuracy. Refuses peaks
    narrower than 1e-10 of their centre, which no fixed rule can be trusted with.
    """
    a_l, a_r, w_c, w_0 = validate_junction(alpha_L, alpha_R, omega_c, omega0)
    alpha = a_l + a_r
    center = w_0
    if as_chi_form(form) is ChiForm.EXACT:
        for _ in range(200):
            new = math.sqrt(w_0**2 + alpha * w_0 * center * kramers_kronig_kernel(center / w_c))
            if abs(new - center) <= 1e-12 * new:
                center = new
                break
            center = new
        else:  # no fixed point found: the bare frequency is a fine hint
            center = w_0
    width = 0.5 * math.pi * alpha * w_0 * math.exp(-center / w_c)
    if not width > 1e-10 * center:
        raise NumericInputError(
            f"resonance half-width {width:.3g} at {center:.6g} is below 1e-10 of its centre: "
            "alpha_L + alpha_R or omega_c too small for the quadrature"
        )
    return Resonance(center=center, width=width)


@dataclass(frozen=True)
class FsumMoment:
    """The f-sum moment m = (1/pi) Int_0^inf omega Im chi d omega of one chi form (Eq. 7).

    ``target`` is omega_0 (= m_{0,0} hbar, Eq. 15); ``residual`` = moment - target;
    ``relative_residual`` = residual / target; ``error`` is the quadrature's
    error estimate of ``moment``. Reduced units hbar = 1 (frequency units).
    """

    chi_form: str
    moment: float
    target: float
    residual: float
    relative_residual: float
    error: float

    def as_dict(self) -> dict[str, float | str]:
        """Plain dict, for JSON output."""
        return asdict(self)


def fsum_moment(
    *,
    alpha_L: float,
    alpha_R: float,
    omega_c: float,
    omega0: float = 1.0,
    form: ChiForm | str = ChiForm.EXACT,
    rtol: float = 1e-12,
) -> FsumMoment:
    """f-sum moment (1/pi) Int_0^inf omega Im chi(omega) d omega (Eq. 7) and its residual.

    The exact form gives omega_0 (= hbar m_{0,0} in reduced units) to quadrature
    accuracy; the paper form falls short. Integrated in ln omega
    (:func:`~heatbounds.numeric.quadrature.integrate_log_omega`) from
    1e-7 min(omega_0, centre) to max(80 omega_c, 4 centre) (the integrand is
    ~ omega^2 below and ~ exp(-omega/omega_c)/omega^2 above); raises
    :class:`~heatbounds.numeric.quadrature.QuadratureError` if the estimate
    exceeds rtol.
    """
    a_l, a_r, w_c, w_0 = validate_junction(alpha_L, alpha_R, omega_c, omega0)
    kind = as_chi_form(form)
    peak = junction_resonance(alpha_L=a_l, alpha_R=a_r, omega_c=w_c, omega0=w_0, form=kind)

    def integrand(w: np.ndarray) -> np.ndarray:
        im_chi = im_susceptibility(w, alpha_L=a_l, alpha_R=a_r, omega_c=w_c, omega0=w_0, form=kind)
        return w * im_chi / math.pi

    lower = 1e-7 * min(w_0, peak.center)
    upper = max(80.0 * w_c, 4.0 * peak.center)
    res = integrate_log_omega(integrand, lower, upper, resonances=[peak], rtol=rtol)
    if not bool(res.converged):
        raise QuadratureError(
            f"f-sum moment ({kind.value}) did not converge: estimate {float(res.error):.3g}"
        )
    moment = float(res.integral)
    return FsumMoment(
        chi_form=kind.value,
        moment=moment,
        target=w_0,
        residual=moment - w_0,
        relative_residual=(moment - w_0) / w_0,
        error=float(res.error),
    )


def harmonic_fsum_report(
    alpha_l: float, alpha_r: float, omega_c: float, omega0: float = 1.0
) -> dict[str, FsumMoment]:
    """f-sum moment of both chi forms, keyed "exact" and "paper" (for ``check harmonic``).

    Each entry holds the moment (1/pi) Int_0^inf omega Im chi d omega, the target
    omega_0 (Eq. 7 and 15: m = omega_0/hbar), the residual and the quadrature
    error estimate, in reduced units hbar = 1. The exact form meets the target
    to ~1e-12; the paper form (Eq. 14 as printed) misses it by a few per cent
    at alpha = 0.05 and by about 19 % at the paper's alpha = 0.8, omega_c = 10 omega_0.
    """
    return {
        kind.value: fsum_moment(
            alpha_L=alpha_l, alpha_R=alpha_r, omega_c=omega_c, omega0=omega0, form=kind
        )
        for kind in ChiForm
    }
