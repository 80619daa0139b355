"""Reference formulas for the spin-boson junction (paper Eq. 16-18, Fig. 4).

Reduced units throughout: hbar = k_B = 1, so temperatures, Delta and omega_c
share one unit, conductances are in units of k_B times that unit (k_B^2 T/hbar
for kappa_Q), and beta = 1/T. Every function is vectorised over its first
argument: scalar in, scalar out; array in, array out.

Model (Eq. 16): H_s = (Delta/2) sigma_x, A = sigma_z, proportional ohmic baths
J_nu = 2 alpha_nu omega exp(-omega/omega_c); alpha = alpha_L + alpha_R,
gamma = 4 alpha_L alpha_R / alpha^2 (Leggett alpha; docs, "Conventions and units").

Contents: the quantum of thermal conductance (Eq. 2), the sum-rule bound
Eq. 18, the weak-coupling <sigma_x> (equilibrium and two baths), the
Bloch-Redfield conductance (the paper's printed omega_c -> inf form and the
finite-omega_c form), the Kondo temperature, and two exact references for
the QMC: the two-kink (order Delta) <sigma_x> and the Toulouse point alpha = 1/2.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import integrate, special

from heatbounds.numeric.errors import NumericInputError
from heatbounds.numeric.kink_interaction import OhmicBath
from heatbounds.numeric.validation import (
    finite_array,
    finite_float,
    positive_float,
    scalar_or_array,
    temperatures,
)

__all__ = [
    "bloch_redfield_conductance",
    "bloch_redfield_conductance_printed",
    "conductance_bound",
    "kappa_quantum",
    "kondo_prefactor",
    "kondo_temperature",
    "sigma_x_toulouse",
    "sigma_x_two_kink",
    "sigma_x_weak_coupling",
    "sigma_x_weak_coupling_nonequilibrium",
    "toulouse_width",
]


def _gamma(gamma) -> float:
    gamma = finite_float("gamma", gamma, minimum=0)
    if gamma > 1.0:
        raise NumericInputError(f"gamma = 4 alpha_L alpha_R / alpha^2 must be <= 1, got {gamma}")
    return gamma


def _bose(delta: float, t: np.ndarray) -> np.ndarray:
    """n(Delta) = 1/(e^{Delta/T} - 1), overflow-free."""
    x = delta / t
    return np.exp(-x) / -np.expm1(-x)


def kappa_quantum(temperature):
    """Quantum of thermal conductance kappa_Q = pi T / 6 (Eq. 2; pi k_B^2 T/(6 hbar) in SI).

    >>> round(kappa_quantum(6.0 / math.pi), 12)
    1.0
    """
    return scalar_or_array(math.pi * temperatures("temperature", temperature) / 6.0)


def conductance_bound(sigma_x, *, alpha: float, gamma: float = 1.0, delta: float = 1.0):
    """Sum-rule conductance bound Eq. 18: (pi alpha gamma / 4)(-Delta <sigma_x>).

    Reduced units; (pi alpha gamma/4) k_B (-Delta <sigma_x>) in SI with Delta a
    frequency. Linear in <sigma_x>, so a standard error of <sigma_x> maps to
    (pi alpha gamma/4) Delta times it. Any finite <sigma_x> is accepted: a
    QMC estimate may stray past -1 by its error bar.

    >>> round(conductance_bound(-1.0, alpha=0.2), 12) == round(math.pi * 0.2 / 4, 12)
    True
    """
    sx = finite_array("sigma_x", sigma_x)
    alpha = finite_float("alpha", alpha, minimum=0)
    delta = positive_float("delta", delta)
    return scalar_or_array(0.25 * math.pi * alpha * _gamma(gamma) * (-delta * sx))


def sigma_x_weak_coupling(temperature, *, delta: float = 1.0):
    """Weak-coupling equilibrium <sigma_x> = -tanh(Delta / 2T) of H_s = (Delta/2) sigma_x.

    >>> round(sigma_x_weak_coupling(1e-3), 12)
    -1.0
    """
    delta = positive_float("delta", delta)
    return scalar_or_array(-np.tanh(0.5 * delta / temperatures("temperature", temperature)))


def sigma_x_weak_coupling_nonequilibrium(
    temperature_left,
    temperature_right,
    *,
    alpha_L: float,
    alpha_R: float,
    delta: float = 1.0,
):
    """Weak-coupling <sigma_x> between two baths: -1/(1 + 2 nbar).

    nbar = (alpha_L n_L + alpha_R n_R)/alpha with Bose functions at frequency
    Delta; equal temperatures give -tanh(Delta/2T).
    """
    a_l = finite_float("alpha_L", alpha_L, minimum=0)
    a_r = finite_float("alpha_R", alpha_R, minimum=0)
    if a_l + a_r == 0.0:
        raise NumericInputError("alpha_L + alpha_R must be > 0 (no bath sets nbar)")
    delta = positive_float("delta", delta)
    t_l = temperatures("temperature_left", temperature_left)
    t_r = temperatures("temperature_right", temperature_right)
    nbar = (a_l * _bose(delta, t_l) + a_r * _bose(delta, t_r)) / (a_l + a_r)
    return scalar_or_array(-1.0 / (1.0 + 2.0 * nbar))


def bloch_redfield_conductance(
    temperature,
    *,
    alpha: float,
    gamma: float = 1.0,
    delta: float = 1.0,
    omega_c: float = math.inf,
):
    """Bloch-Redfield (weak-coupling) thermal conductance of the spin-boson junction.

    kappa = (pi/8) alpha gamma Delta^3 beta^2 exp(-Delta/omega_c) / sinh(beta Delta).

    With finite ``omega_c`` this is the linear-response formula of the physics
    notes, kappa = (alpha gamma/4) Int dw Jt(w) Im chi(w) (beta w/2)^2/sinh^2(beta w/2),
    evaluated with the free-spin Im chi = pi tanh(beta Delta/2)[delta(w - Delta) - ...]
    and Jt = w exp(-w/omega_c): it carries exp(-Delta/omega_c). The default
    omega_c = inf gives the paper's printed form (its omega_c >> Delta limit,
    (hbar^2 pi / 8 k_B)(Delta^3/T^2) alpha gamma / sinh(beta hbar Delta) in SI);
    :func:`bloch_redfield_conductance_printed` is that form by name. Computed as
    exp(2 ln beta - beta Delta)/(1 - exp(-2 beta Delta)), so large beta Delta
    underflows to 0 instead of overflowing.
    """
    t = temperatures("temperature", temperature)
    alpha = finite_float("alpha", alpha, minimum=0)
    gamma = _gamma(gamma)
    delta = positive_float("delta", delta)
    omega_c = float(omega_c)
    if math.isnan(omega_c) or omega_c <= 0.0:
        raise NumericInputError(f"omega_c must be > 0 (or inf), got {omega_c}")
    x = delta / t
    kappa = (
        0.25
        * math.pi
        * alpha
        * gamma
        * delta**3
        * math.exp(-delta / omega_c)
        * np.exp(-2.0 * np.log(t) - x)
        / -np.expm1(-2.0 * x)
    )
    return scalar_or_array(kappa)


def bloch_redfield_conductance_printed(
    temperature, *, alpha: float, gamma: float = 1.0, delta: float = 1.0
):
    """The paper's printed Bloch-Redfield kappa, the omega_c -> inf form.

    Reduced units: kappa = (pi/8)(Delta^3/T^2) alpha gamma / sinh(Delta/T).
    """
    return bloch_redfield_conductance(temperature, alpha=alpha, gamma=gamma, delta=delta)


def kondo_prefactor(alpha):
    """g_alpha = [Gamma(1 - 2 alpha) cos(pi alpha)]^(1/(2(1 - alpha))) for 0 <= alpha < 1.

    Gamma(1-2a) cos(pi a) = Gamma(2-2a) (pi/2) sinc(1/2 - a) (numpy sinc,
    sin(pi x)/(pi x)): the same function with the removable singularity at
    a = 1/2 taken as its limit pi/2, never as inf * 0.

    >>> round(kondo_prefactor(0.5), 12) == round(math.pi / 2, 12)
    True
    """
    a = np.asarray(alpha, dtype=float)
    if not np.all(np.isfinite(a)) or np.any(a < 0.0) or np.any(a >= 1.0):
        raise NumericInputError("alpha must be finite with 0 <= alpha < 1 for g_alpha")
    log_prod = special.gammaln(2.0 - 2.0 * a) + math.log(0.5 * math.pi) + np.log(np.sinc(0.5 - a))
    return scalar_or_array(np.exp(log_prod / (2.0 * (1.0 - a))))


def kondo_temperature(alpha, *, omega_c: float, delta: float = 1.0):
    """Kondo temperature T_K = g_alpha Delta (Delta/omega_c)^(alpha/(1-alpha)) (after Eq. 18).

    Reduced units (hbar Delta / k_B in SI). For alpha >= 1 (localised phase)
    T_K = 0. At alpha = 1/2 it equals the Toulouse width pi Delta^2/(2 omega_c).
    It is the scaling-limit renormalised tunnelling: the formula assumes
    (Delta/omega_c)^2 Gamma(1-2a) cos(pi a) << 1, which fails as alpha -> 1^-.
    """
    omega_c = positive_float("omega_c", omega_c)
    delta = positive_float("delta", delta)
    a = np.asarray(alpha, dtype=float)
    if not np.all(np.isfinite(a)) or np.any(a < 0.0):
        raise NumericInputError("alpha must be finite and >= 0")
    below = a < 1.0
    ab = np.where(below, a, 0.0)
    g = np.asarray(kondo_prefactor(ab))
    tk = np.where(below, g * delta * (delta / omega_c) ** (ab / (1.0 - ab)), 0.0)
    return scalar_or_array(tk)


def toulouse_width(*, omega_c: float, delta: float = 1.0) -> float:
    """Leggett's Toulouse-point rate Gamma = pi Delta^2 / (2 omega_c) (alpha = 1/2).

    Reduced units. Gamma is the relaxation rate of P(t) = <sigma_z(t)>
    (Leggett et al., RMP 59, 1 (1987)), i.e. the full width of the resonant
    level; its half width (the hybridisation pi rho V^2) is Gamma/2. It equals
    T_K at alpha = 1/2.
    """
    omega_c = positive_float("omega_c", omega_c)
    delta = positive_float("delta", delta)
    return math.pi * delta**2 / (2.0 * omega_c)


def _kink_pair_integral(beta: float, bath) -> float:
    """Int_0^beta exp(-W(tau)) d tau (= 2 Int_0^(beta/2), W symmetric about beta/2)."""
    half = 0.5 * beta
    marks = [half * f for f in (1e-8, 1e-6, 1e-4, 1e-2, 0.1)]
    omega_c = getattr(bath, "omega_c", None)
    if omega_c is not None:
        marks += [1.0 / omega_c, 10.0 / omega_c]
    pts = sorted({p for p in marks if 0.0 < p < half})

    def f(tau: float) -> float:
        return math.exp(-float(bath.kink_interaction(tau, beta)))

    val, _ = integrate.quad(f, 0.0, half, points=pts, limit=400, epsabs=1e-15 * beta, epsrel=1e-12)
    return 2.0 * val


def sigma_x_two_kink(temperature, *, bath, delta: float = 1.0):
    """<sigma_x> to first order in Delta: -(Delta/2) Int_0^beta exp(-W(tau)) d tau.

    Reduced units. The two-kink term of the kink expansion (Z/Z_B = 2[1 +
    (Delta^2/8) beta Int_0^beta e^{-W} + O(Delta^4)]) with <sigma_x> =
    -(2/beta) d ln Z / d Delta. ``bath`` is any kink_interaction strategy.
    At W = 0 it is -beta Delta / 2, the small-Delta limit of -tanh.
    """
    delta = positive_float("delta", delta)
    t = temperatures("temperature", temperature)
    vals = np.array([-0.5 * delta * _kink_pair_integral(1.0 / ti, bath) for ti in t.ravel()])
    return scalar_or_array(vals.reshape(t.shape))


def sigma_x_toulouse(temperature, *, omega_c: float, delta: float = 1.0):
    """Exact <sigma_x> at the Toulouse point alpha = 1/2 (scaling limit Delta, T << omega_c).

    Reduced units. Mapping (Leggett et al., RMP 59, 1 (1987), Sec. VII;
    Guinea, Hakim & Muramatsu, PRB 32, 4410 (1985)): at alpha = 1/2 the kink
    gas is term by term the hybridisation expansion of a resonant level at
    zero energy. Its occupation alternates like the kink charges, and the
    conduction-electron Cauchy determinant of 1/sin(pi T tau) is exactly
    exp[sum (-1)^(i+j) W] with the scaling-limit W. Matching one pair,
    ``(Delta/2)^2 e^{-W} = V^2 |G_0(tau)|``, gives the half width
    pi rho V^2 = Gamma/2, with Gamma = pi Delta^2/(2 omega_c) Leggett's rate
    (:func:`toulouse_width`). So ln Z = const + sum_n ln(1 + Gamma/(2|w_n|))
    over fermionic Matsubara w_n = (2n+1) pi T. Only the O(Gamma) term
    diverges (like ln omega_c), and it is exactly the two-kink term. Here that
    term is evaluated with the true exponential-cutoff W rather than a band
    cutoff. With <sigma_x> = -(2/beta) d ln Z/d Delta:

        <sigma_x> = -(Delta/2) Int_0^beta e^{-W} d tau
                    + (Delta/omega_c) [psi(1/2 + beta Gamma/(4 pi)) - psi(1/2)].

    Limits: at high T (beta Gamma -> 0) it is the two-kink result. In the
    scaling limit Int e^{-W} -> (2/omega_c) ln(2 beta omega_c/pi), so
    <sigma_x> -> (Delta/omega_c)[psi(1/2 + beta Gamma/4 pi) - ln(beta omega_c/2 pi) + gamma_E],
    the textbook form with the exponential cutoff's e^{gamma_E}. At T -> 0 it
    is -(Delta/omega_c) ln(2 omega_c / (e^{gamma_E} Gamma)). The corrections
    vanish as omega_c -> inf. Measured with the QMC at omega_c = 50 Delta:
    ``|QMC - formula| <= 8e-4`` down to T = 0.01 Delta, about 2e-4 at 200 Delta.
    With Gamma/(2 pi) in psi (half width taken as Gamma) the gap at
    T = 0.05 Delta, omega_c = 50 Delta is 4e-3 instead.
    """
    omega_c = positive_float("omega_c", omega_c)
    delta = positive_float("delta", delta)
    t = temperatures("temperature", temperature)
    gam = toulouse_width(omega_c=omega_c, delta=delta)
    two_kink = np.asarray(sigma_x_two_kink(t, bath=OhmicBath(0.5, omega_c), delta=delta))
    z = gam / (4.0 * math.pi * t)
    return scalar_or_array(
        two_kink + (delta / omega_c) * (special.digamma(0.5 + z) - special.digamma(0.5))
    )
