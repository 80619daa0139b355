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
    "DEFAULT_FIT_WINDOW",
    "FIT_METHOD",
    "BathFit",
    "bath_correlation",
    "fit_bath",
    "qutip_environment",
]

FIT_METHOD = "espira-I"
DEFAULT_FIT_WINDOW = 10.0  # t_max = DEFAULT_FIT_WINDOW / T: C(t) decays as exp(-2 pi T t)
FIT_SAMPLES = 2000
CACHE_VERSION = 1


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


def bath_correlation(
    t: np.ndarray, dissipation: Dissipation, values: dict, *, alpha: float, temperature: float
) -> np.ndarray:
    """C_nu(t) = <X_nu(t) X_nu(0)> in our convention, by QuTiP's closed form (reduced units)."""
    env = qutip_environment(dissipation, values, alpha=alpha, temperature=temperature)
    return np.asarray(env.correlation_function(np.asarray(t, dtype=float)))


@dataclass(frozen=True)
class BathFit:
    """An exponential fit of the bath correlation C(t) of alpha_nu = 1.

    ``exponents`` holds QuTiP's (type, ck, vk, ck2) of each term (complex
    numbers as (re, im) pairs, so that the fit can be cached as JSON);
    ``fit_error`` is max |C(t) - C_fit(t)| / |C(0)| over 0 <= t <= t_max.
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
        End of the fit window (default ``DEFAULT_FIT_WINDOW / T``).

    Returns
    -------
    BathFit
        With the exponents and the largest error on C(t) relative to C(0).
    """
    name, omega_c, _ = _shape(dissipation, values)
    _check_temperature(temperature)
    if int(n_terms) != n_terms or n_terms < 1:
        raise NumericInputError(f"n_terms must be an integer >= 1, got {n_terms!r}")
    t_max = DEFAULT_FIT_WINDOW / temperature if t_max is None else float(t_max)
    params = {
        "dissipation": name,
        "omega_c": omega_c,
        "temperature": float(temperature),
        "method": FIT_METHOD,
        "n_terms": int(n_terms),
        "t_max": t_max,
        "samples": FIT_SAMPLES,
    }
    cache = JsonCache("heom-bath-fit", CACHE_VERSION, cache_dir)
    stored = cache.load(params) if use_cache else None
    if stored is not None:
        return BathFit.from_json(stored["fit"])
    env = qutip_environment(dissipation, values, alpha=1.0, temperature=temperature)
    t = np.linspace(0.0, t_max, FIT_SAMPLES)
    approx, _ = env.approximate(FIT_METHOD, t, Nr=int(n_terms))
    exact = env.correlation_function(t)
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
