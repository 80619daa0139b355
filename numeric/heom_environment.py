"""The baths of Eq. 3 as QuTiP environments, fitted by exponentials for the HEOM.

Reduced units throughout: hbar = k_B = 1, frequencies, energies and
temperatures in one unit.

Our convention (Eq. 3, 4; the docs page "Conventions and units"): bath nu
couples through X_nu = sum_k g_{nu k} (b_{nu k} + b_{nu k}^dagger) to a system
operator Q, with J_nu(omega) = 4 sum_k g_{nu k}^2 delta(omega - omega_{nu k}) =
2 alpha_nu Jtilde(omega). Its correlation function is

.. math::

    C_\\nu(t) = \\langle X_\\nu(t) X_\\nu(0)\\rangle
    = \\frac14 \\int_0^\\infty d\\omega\\, J_\\nu(\\omega)
      \\left[\\coth\\frac{\\omega}{2T}\\cos\\omega t - i \\sin\\omega t\\right].

QuTiP writes the same correlation function with a prefactor 1/pi, so its
spectral density is J_QuTiP = (pi/4) J_nu = (pi alpha_nu / 2) Jtilde: for the
ohmic form Jtilde = omega exp(-omega/omega_c) that is
``OhmicEnvironment(T, alpha=pi alpha_nu / 2, wc=omega_c, s=1)``, with the
system coupling operator Q itself (no factor). ``tests/numeric/
test_heom_environment.py`` checks this against our own quadrature of C(t) and
against the discretised bath of :mod:`heatbounds.numeric.matrices`, not by
assumption.

C_nu is linear in alpha_nu, so one fit per shape and temperature serves every
coupling: :func:`fit_bath` fits the correlation function of alpha_nu = 1 with
QuTiP's ESPIRA-I (``BosonicEnvironment.approximate("espira-I", ...)``) on
0 <= t <= t_max, records how many exponents it used and its largest error on
C(t) relative to C(0), and :meth:`BathFit.environment` rescales it. Fits are
cached on disk (:mod:`heatbounds.numeric.disk_cache`).

The Lorentzian form of the Supplement, omega / (1 + eta (omega - omega_R)^2),
has no high-frequency cutoff: its C(0) diverges logarithmically, so it has no
exponential fit and is refused.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from heatbounds.numeric.disk_cache import JsonCache
from heatbounds.numeric.errors import NumericInputError
from heatbounds.symbolic.dissipation import Dissipation, Lorentzian, Ohmic, PowerLaw

__all__ = [
    "FIT_METHOD",
    "BathFit",
    "bath_correlation",
    "default_fit_window",
    "fit_bath",
    "qutip_environment",
]

FIT_METHOD = "espira-I"
FIT_RESOLUTION = 10  # samples of C(t) per 1/omega_c, so that its cutoff part is resolved
CACHE_VERSION = 2  # 2: C(t) sampled FIT_RESOLUTION times per 1/omega_c


def fit_samples(omega_c: float, t_max: float) -> int:
    """Samples of C(t) on [0, t_max]: ``FIT_RESOLUTION`` per 1/omega_c, 2000 to 40000."""
    return int(min(40_000, max(2_000, math.ceil(FIT_RESOLUTION * omega_c * t_max))))


def default_fit_window(temperature: float, omega_c: float) -> float:
    """End of the bath fit, 10/T (reduced units): C(t) decays as exp(-2 pi T t).

    The window must hold the slow thermal tail, which static and low-frequency
    quantities feel (a window of 3/T moved the spin's interaction energy
    <sigma_z X> by 1e-3 and the harmonic current by 0.5 %); the samples
    (:func:`fit_samples`) must resolve the cutoff part, ~1/(omega_c t)^2: with
    2000 samples over 10/T the spin-boson <sigma_x> at T = 0.1 Delta,
    omega_c = 10 Delta was -0.714 against the QMC's -0.7435(10); resolved, it is
    -0.741. ``omega_c`` is accepted for callers that pass it.

    >>> default_fit_window(1.0, 10.0), default_fit_window(0.1, 10.0)
    (10.0, 100.0)
    """
    return 10.0 / temperature


def _require_qutip():
    try:
        import qutip  # noqa: F401
    except ImportError:
        raise NumericInputError(
            "exact transport needs QuTiP (its HEOM solver): pip install 'heatbounds[exact]'"
        ) from None


def _shape(dissipation: Dissipation, values: dict) -> tuple[str, float, int]:
    """(name, omega_c, power s) of a dissipation the HEOM can fit; refuses the others."""
    if isinstance(dissipation, Lorentzian):
        raise NumericInputError(
            "the Lorentzian dissipation omega / (1 + eta (omega - omega_R)^2) has no "
            "high-frequency cutoff: its bath correlation C(0) diverges logarithmically, so "
            "the HEOM cannot represent it; use ohmic or power:S dissipation"
        )
    if not isinstance(dissipation, Ohmic | PowerLaw):
        raise NumericInputError(f"no HEOM bath for the dissipation {dissipation}")
    if "omega_c" not in values:
        raise NumericInputError("the bath needs omega_c (the cutoff frequency of Jtilde)")
    omega_c = float(values["omega_c"])
    if not (math.isfinite(omega_c) and omega_c > 0):
        raise NumericInputError(f"omega_c must be finite and > 0, got {omega_c!r}")
    power = dissipation.s if isinstance(dissipation, PowerLaw) else 1
    return str(dissipation), omega_c, power


def qutip_environment(
    dissipation: Dissipation, values: dict, *, alpha: float, temperature: float, tag=None
):
    """The QuTiP environment of a bath with J_nu = 2 alpha Jtilde at ``temperature``.

    Ohmic and power-law forms map to ``OhmicEnvironment(T, pi alpha / 2, omega_c, s)``
    (reduced units; see the module docstring for the factor pi/4 between the
    two conventions).
    """
    _require_qutip()
    from qutip.core.environment import OhmicEnvironment

    _, omega_c, power = _shape(dissipation, values)
    _check_temperature(temperature)
    return OhmicEnvironment(
        T=float(temperature), alpha=math.pi * float(alpha) / 2, wc=omega_c, s=power, tag=tag
    )


def _check_temperature(temperature: float) -> None:
    if not (math.isfinite(temperature) and temperature > 0):
        raise NumericInputError(f"temperature must be finite and > 0, got {temperature!r}")


# B_{2k} / (2k)! for the Euler-Maclaurin tail of the Hurwitz zeta function
_BERNOULLI = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6)
_DIRECT_TERMS = 24


def hurwitz_zeta(order: int, z: np.ndarray) -> np.ndarray:
    """zeta(order, z) = sum_{n >= 0} (n + z)^(-order) for complex z, Re z >= 1, order >= 2.

    The first terms directly, the rest by Euler-Maclaurin (checked against
    mpmath to 2e-16 in the tests).
    """
    z = np.asarray(z, dtype=complex)
    n = np.arange(_DIRECT_TERMS).reshape((-1,) + (1,) * z.ndim)
    total = np.sum((z + n) ** (-order), axis=0)
    w = z + _DIRECT_TERMS
    tail = w ** (1 - order) / (order - 1) + 0.5 * w ** (-order)
    for k, b in enumerate(_BERNOULLI, start=1):
        rising = math.prod(order + i for i in range(2 * k - 1))
        tail = tail + b / math.factorial(2 * k) * rising * w ** (-order - 2 * k + 1)
    return total + tail


def bath_correlation(
    t: np.ndarray, dissipation: Dissipation, values: dict, *, alpha: float, temperature: float
) -> np.ndarray:
    """C_nu(t) = <X_nu(t) X_nu(0)> of J_nu = 2 alpha Jtilde, in closed form (reduced units).

    For Jtilde = omega^s exp(-omega/omega_c) / omega_c^(s-1) (s = 1: ohmic),
    expanding coth = 1 + 2 sum_n e^{-n beta omega} and integrating term by term,

    .. math::

        C(t) = \\frac{\\alpha\\, s!}{2\\omega_c^{s-1}} \\Big[ (1/\\omega_c + i t)^{-s-1}
          + \\beta^{-s-1} \\big(\\zeta(s+1, 1 + (1/\\omega_c - i t)/\\beta)
          + \\zeta(s+1, 1 + (1/\\omega_c + i t)/\\beta)\\big) \\Big]

    with the Hurwitz zeta function (:func:`hurwitz_zeta`). Tests check it
    against a direct quadrature of Eq. 4's definition and against QuTiP's own
    (mpmath) evaluation; it is some hundred times faster than the latter.
    """
    _, omega_c, power = _shape(dissipation, values)
    _check_temperature(temperature)
    t = np.asarray(t, dtype=float)
    beta = 1.0 / temperature
    order = power + 1
    prefactor = float(alpha) * math.factorial(power) / (2 * omega_c ** (power - 1))
    vacuum = (1 / omega_c + 1j * t) ** (-order)
    thermal = (
        hurwitz_zeta(order, 1 + (1 / omega_c - 1j * t) / beta)
        + hurwitz_zeta(order, 1 + (1 / omega_c + 1j * t) / beta)
    ) / beta**order
    return prefactor * (vacuum + thermal)


@dataclass(frozen=True)
class BathFit:
    """An exponential fit of the bath correlation C(t) of alpha_nu = 1.

    ``exponents`` holds QuTiP's (type, ck, vk, ck2) of each term (complex
    numbers as (re, im) pairs, so that the fit can be cached as JSON);
    ``fit_error`` is max abs(C(t) - C_fit(t)) / abs(C(0)) over 0 <= t <= t_max.
    """

    dissipation: str
    omega_c: float
    temperature: float
    method: str
    n_terms: int
    t_max: float
    fit_error: float
    exponents: tuple

    @property
    def n_exponents(self) -> int:
        """Exponents in the HEOM per bath (an "RI" exponent counts once)."""
        return len(self.exponents)

    def environment(self, alpha: float, tag=None):
        """The fitted environment of J_nu = 2 alpha Jtilde, as QuTiP exponents."""
        _require_qutip()
        from qutip.core.environment import CFExponent, ExponentialBosonicEnvironment

        terms = []
        for kind, ck, vk, ck2 in self.exponents:
            ck, vk = complex(*ck) * alpha, complex(*vk)
            ck2 = None if ck2 is None else complex(*ck2) * alpha
            terms.append(CFExponent(kind, ck, vk, ck2=ck2, tag=tag))
        return ExponentialBosonicEnvironment(
            exponents=terms, combine=False, T=self.temperature, tag=tag
        )

    def as_json(self) -> dict:
        return {
            "dissipation": self.dissipation,
            "omega_c": self.omega_c,
            "temperature": self.temperature,
            "method": self.method,
            "n_terms": self.n_terms,
            "t_max": self.t_max,
            "fit_error": self.fit_error,
            "exponents": [list(e) for e in self.exponents],
        }

    @classmethod
    def from_json(cls, data: dict) -> BathFit:
        exponents = tuple(
            (kind, tuple(ck), tuple(vk), None if ck2 is None else tuple(ck2))
            for kind, ck, vk, ck2 in data["exponents"]
        )
        fields = {k: data[k] for k in cls.__dataclass_fields__ if k != "exponents"}
        return cls(**fields, exponents=exponents)


def _pair(z: complex) -> tuple[float, float]:
    return (float(np.real(z)), float(np.imag(z)))


def fit_bath(
    dissipation: Dissipation,
    values: dict,
    *,
    temperature: float,
    n_terms: int = 4,
    t_max: float | None = None,
    use_cache: bool = True,
    cache_dir=None,
) -> BathFit:
    """Fit C(t) of alpha_nu = 1 with ``2 n_terms`` exponents (ESPIRA-I, QuTiP).

    Parameters
    ----------
    dissipation, values
        The shape Jtilde and its parameters (``omega_c``), as in a junction.
    temperature
        T > 0 of the bath (reduced units).
    n_terms
        QuTiP's ``Nr``: the fit has ``2 n_terms`` exponents (complex pairs).
    t_max
        End of the fit window (default :func:`default_fit_window`).

    Returns
    -------
    BathFit
        With the exponents and the largest error on C(t) relative to C(0).
    """
    name, omega_c, _ = _shape(dissipation, values)
    _check_temperature(temperature)
    if int(n_terms) != n_terms or n_terms < 1:
        raise NumericInputError(f"n_terms must be an integer >= 1, got {n_terms!r}")
    t_max = default_fit_window(temperature, omega_c) if t_max is None else float(t_max)
    params = {
        "dissipation": name,
        "omega_c": omega_c,
        "temperature": float(temperature),
        "method": FIT_METHOD,
        "n_terms": int(n_terms),
        "t_max": t_max,
        "samples": fit_samples(omega_c, t_max),
    }
    cache = JsonCache("heom-bath-fit", CACHE_VERSION, cache_dir)
    stored = cache.load(params) if use_cache else None
    if stored is not None:
        return BathFit.from_json(stored["fit"])
    from qutip.core.environment import BosonicEnvironment

    t = np.linspace(0.0, t_max, fit_samples(omega_c, t_max))
    exact = bath_correlation(t, dissipation, values, alpha=1.0, temperature=temperature)
    sampled = BosonicEnvironment.from_correlation_function(exact, tlist=t, T=float(temperature))
    approx, _ = sampled.approximate(FIT_METHOD, t, Nr=int(n_terms))
    error = float(np.max(np.abs(approx.correlation_function(t) - exact)) / abs(exact[0]))
    exponents = tuple(
        (e.type.name, _pair(e.ck), _pair(e.vk), None if e.ck2 is None else _pair(e.ck2))
        for e in approx.exponents
    )
    fit = BathFit(
        name, omega_c, float(temperature), FIT_METHOD, int(n_terms), t_max, error, exponents
    )
    if use_cache:
        cache.store(params, {"fit": fit.as_json()})
    return fit
