"""Zero-bias kappa and G of the interacting Anderson dot from its HEOM spectral function.

The spectral function A(eps) of :mod:`.anderson_heom` (reduced units
hbar = k_B = e = 1). The Meir-Wingreen conductances (proportional leads, spin sum = 2 A):

    kappa = (1/2 pi) Int d eps ((eps - mu)/T)^2 f (1 - f) Gamma_eff(eps) 2 A(eps),
    G     = (1/2 pi) Int d eps f (1 - f) / T Gamma_eff(eps) 2 A(eps),
    Gamma_eff(eps) = (Gamma_L Gamma_R / Gamma) W^2 / ((eps - mu)^2 + W^2),

by the trapezoid rule on eps_j = j h within mu +- 36 T (x^2 f(1-f) < 3e-13 of
its maximum beyond). For an integrand analytic in a strip abs(Im eps) < d the
error is ~exp(-2 pi d / h); d = min(Gamma/2, pi T, W) at U = 0 (the poles of
A, of f and of Gamma_eff), and h = d/3 by default. The bound of
:mod:`.electronic_bounds` with the maximum Gamma_eff = Gamma_L Gamma_R / Gamma
and mu^(0) = 1 per spin is kappa <= 2 c0 Gamma_L Gamma_R / Gamma.

Error estimate of a result at (depth, Pade terms, h): the sum of the changes of
kappa (and G) when the depth is raised by one, when one Pade pole per branch
is added, and when the step is doubled (the trapezoid sum on every other
point). The first two estimate the truncation error when the sequence
converges (no guarantee: a hierarchy can converge non-monotonically, and a
slowly converging one is under-estimated: at T = 0.25, W = 5 (W/T = 20) kappa
changes by 5%, 1.3%, ... from 2 to 3 to 4 Pade poles, a ratio ~0.3 per pole,
so the one-step change misses ~40% of the error; take more Pade poles when
W/T is large); the last over-estimates the step's error by ~exp(pi d/h)
(~1e4 at h = d/3). At
U != 0 A can have features sharper than Gamma/2 (the Kondo peak at low T);
the h -> 2h change flags a step too large for them.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from heatbounds.numeric.anderson_heom import (
    AndersonDot,
    HeomSettings,
    SpectralSolver,
    _finite,
    _temperature,
    noninteracting_spectral_function,
)
from heatbounds.numeric.errors import NumericInputError

__all__ = [
    "AndersonConductance",
    "SpectralMoments",
    "anderson_conductance",
    "default_step",
    "energy_grid",
    "noninteracting_conductances",
    "spectral_moments",
]

WINDOW_T = 36.0  # x^2 f (1 - f) <= x^2 e^-abs(x) < 3e-13 x its maximum beyond abs(x) = 36
STEP_FRACTION = 3.0  # default h = d / 3, d the half-width of the strip of analyticity


def _weights(dot: AndersonDot, temperature: float, eps):
    """(kappa, G) kernels: (1/2 pi) Gamma_eff(eps) 2 x {x^2, 1/T} f (1 - f)."""
    x = (np.asarray(eps) - dot.mu) / temperature
    window = 0.25 / np.cosh(np.clip(x, -700, 700) / 2) ** 2
    common = 2 * dot.gamma_eff_at(eps) * window / (2 * math.pi)
    return common * x * x, common / temperature


def default_step(dot: AndersonDot, temperature: float) -> float:
    """h = min(Gamma/2, pi T, W) / 3: the trapezoid error is ~e^{-6 pi} ~ 1e-8 at U = 0."""
    strip = min(dot.gamma / 2, math.pi * temperature, dot.bandwidth)
    return strip / STEP_FRACTION


def energy_grid(dot: AndersonDot, temperature: float, step: float) -> np.ndarray:
    """eps_j = j h covering mu +- 36 T, symmetric about 0 (one LU per pair +-eps_j).

    The points of even j are the grid of step 2 h. Both sub-grids are symmetric
    about 0, so their sums differ for an even integrand too (a grid offset by
    h/2 would make the two halves mirror images, and the h -> 2h change of the
    particle-hole symmetric dot exactly zero).
    """
    n = math.ceil((abs(dot.mu) + WINDOW_T * temperature) / step)
    n += n % 2  # both ends on the 2 h grid
    return step * np.arange(-n, n + 1)


def noninteracting_conductances(dot: AndersonDot, temperature: float) -> tuple[float, float]:
    """(kappa, G) at U = 0 with the exact A, by adaptive quadrature (scipy quad)."""
    from scipy.integrate import quad

    t = _temperature(temperature)
    lo, hi = dot.mu - WINDOW_T * t, dot.mu + WINDOW_T * t
    cuts = sorted({lo, hi, *(p for p in (dot.mu, dot.eps0) if lo < p < hi)})
    out = []
    for index in (0, 1):

        def integrand(e, index=index):
            return float(_weights(dot, t, e)[index] * noninteracting_spectral_function(dot, e))

        out.append(
            sum(
                quad(integrand, a, b, epsabs=0, epsrel=1e-12, limit=400)[0]
                for a, b in itertools.pairwise(cuts)
            )
        )
    return out[0], out[1]


@dataclass(frozen=True)
class AndersonConductance:
    """kappa and G of an Anderson dot with their settings and error estimates.

    ``kappa`` and ``charge`` are at ``settings`` and ``step``; ``*_changes`` hold
    the changes (depth + 1, Pade + 1, step x 2) when they were computed, and
    ``kappa_error`` / ``charge_error`` their sum (None when not estimated).
    """

    dot: AndersonDot
    temperature: float
    settings: HeomSettings
    step: float
    points: int
    kappa: float
    charge: float
    occupation: float  # <n_up> in the HEOM steady state
    spectral_minimum: float  # min A on the grid: A >= 0 is the bound's premise
    kappa_changes: dict
    charge_changes: dict
    kappa_error: float | None
    charge_error: float | None

    @property
    def bound(self) -> float:
        """2 c0 Gamma_L Gamma_R / Gamma (mu^(0) = 1 per spin, maximum Gamma_eff)."""
        from heatbounds.numeric.electronic_bounds import heat_conductance_bound

        return heat_conductance_bound(2 * self.dot.gamma_eff)

    @property
    def tightness(self) -> float:
        return self.kappa / self.bound

    def summary(self) -> str:
        err = "n/a" if self.kappa_error is None else f"{self.kappa_error:.1e}"
        return (
            f"kappa = {self.kappa:.6g} +- {err} (bound {self.bound:.6g}, ratio "
            f"{self.tightness:.4f}); {self.settings.text()}, h = {self.step:.4g}, "
            f"{self.points} energies"
        )


def _conductances(solver: SpectralSolver, eps: np.ndarray, step: float):
    """((kappa, G) at step h, (kappa, G) at 2h) by the trapezoid rule on eps."""
    spectral = solver.spectral_function(eps)
    wk, wg = _weights(solver.dot, solver.temperature, eps)
    fine = (step * float(np.sum(wk * spectral)), step * float(np.sum(wg * spectral)))
    coarse = (
        2 * step * float(np.sum((wk * spectral)[::2])),
        2 * step * float(np.sum((wg * spectral)[::2])),
    )
    return fine, coarse, spectral


def anderson_conductance(
    dot: AndersonDot,
    temperature: float,
    settings: HeomSettings | None = None,
    *,
    step: float | None = None,
    estimate_error: bool = True,
) -> AndersonConductance:
    """kappa(T) and G(T) of the Anderson dot at zero bias (hbar = k_B = e = 1).

    ``estimate_error`` runs the HEOM twice more (depth + 1; one more Pade pole)
    on the same grid; the step's part of the error is always estimated.
    """
    t = _temperature(temperature)
    settings = settings or HeomSettings()
    h = default_step(dot, t) if step is None else _finite(step, "step")
    if h <= 0:
        raise NumericInputError(f"step = {step!r}: the energy step must be > 0")
    eps = energy_grid(dot, t, h)
    solver = SpectralSolver(dot, t, settings)
    (kappa, charge), (kappa_2h, charge_2h), spectral = _conductances(solver, eps, h)
    k_changes = {"step x 2": kappa_2h - kappa}
    g_changes = {"step x 2": charge_2h - charge}
    if estimate_error:
        for label, other in (
            ("depth + 1", HeomSettings(settings.depth + 1, settings.pade)),
            ("pade + 1", HeomSettings(settings.depth, settings.pade + 1)),
        ):
            (k2, g2), _, _ = _conductances(SpectralSolver(dot, t, other), eps, h)
            k_changes[label], g_changes[label] = k2 - kappa, g2 - charge
    return AndersonConductance(
        dot=dot,
        temperature=t,
        settings=settings,
        step=h,
        points=len(eps),
        kappa=kappa,
        charge=charge,
        occupation=solver.occupation,
        spectral_minimum=float(spectral.min()),
        kappa_changes=k_changes,
        charge_changes=g_changes,
        kappa_error=sum(map(abs, k_changes.values())) if estimate_error else None,
        charge_error=sum(map(abs, g_changes.values())) if estimate_error else None,
    )


@dataclass(frozen=True)
class SpectralMoments:
    """Moments of A(eps) on the tan-mapped grid, with their changes on half the points.

    ``weight`` = Int d eps A / 2 pi, the sum rule (= <{d, d^dag}> = 1 = mu^(0));
    ``occupation`` = Int d eps f A / 2 pi, which equals the steady state's
    ``steady_occupation`` = <n_up> when the hierarchy's state obeys detailed
    balance (fluctuation-dissipation): their difference is a check of the
    truncation (depth, Pade poles) independent of the conductance's estimate.
    ``minimum`` is the smallest A on the grid (A >= 0 is the bound's premise).
    """

    settings: HeomSettings
    points: int
    weight: float
    weight_change: float
    occupation: float
    occupation_change: float
    steady_occupation: float
    minimum: float


def spectral_moments(
    dot: AndersonDot, temperature: float, settings: HeomSettings, points: int = 256
) -> SpectralMoments:
    """The sum rule and the detailed-balance check of A (see :class:`SpectralMoments`).

    eps = a tan(theta), a = max(abs(eps0), abs(eps0 + U), Gamma, W), by the trapezoid
    rule in theta on (-pi/2, pi/2): A decays like Gamma W^2/eps^4, so the
    integrand A a / cos^2(theta) is smooth and pi-periodic and the rule converges
    exponentially (for the occupation, once the step a pi/points resolves the
    Fermi edge, pi T); the grid is symmetric about 0 (one LU per pair of points).
    """
    if int(points) != points or points < 8 or points % 4:
        raise NumericInputError(f"points = {points!r}: expected a multiple of 4, >= 8")
    t = _temperature(temperature)
    scale = max(abs(dot.eps0), abs(dot.eps0 + dot.interaction), dot.gamma, dot.bandwidth)
    theta = -math.pi / 2 + math.pi * np.arange(1, points) / points
    eps = scale * np.tan(theta)
    eps = np.where(theta < 0, -eps[::-1], eps)  # exactly symmetric
    eps[points // 2 - 1] = 0.0
    solver = SpectralSolver(dot, t, settings)
    spectral = solver.spectral_function(eps)
    density = spectral * scale / np.cos(theta) ** 2 / (2 * math.pi)
    fermi = 0.5 * (1 - np.tanh((eps - dot.mu) / (2 * t)))

    def rule(values):
        fine = float(np.sum(values)) * math.pi / points
        coarse = float(np.sum(values[1::2])) * 2 * math.pi / points  # even k, theta = 0 too
        return fine, coarse - fine

    weight, weight_change = rule(density)
    occupation, occupation_change = rule(density * fermi)
    return SpectralMoments(
        settings=settings,
        points=points,
        weight=weight,
        weight_change=weight_change,
        occupation=occupation,
        occupation_change=occupation_change,
        steady_occupation=solver.occupation,
        minimum=float(spectral.min()),
    )
