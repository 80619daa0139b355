"""Im chi(omega) from an equilibrium correlation function, and the integrals over it.

Reduced units throughout: hbar = k_B = 1, omega and T in one unit.

For A = A^dagger in equilibrium at T, with C(t) = <A(t) A(0)> (C(-t) = C(t)^*)
and the paper's retarded response (Eq. 6) chi(t) = i theta(t) <[A(t), A(0)]>,

.. math::

    S(\\omega) = \\int_{-\\infty}^{\\infty} dt\\, e^{i\\omega t} C(t)
               = 2\\,\\mathrm{Re} \\int_0^\\infty dt\\, e^{i\\omega t} C(t),
    \\qquad
    \\mathrm{Im}\\,\\chi(\\omega) = \\tfrac12 (1 - e^{-\\omega/T}) S(\\omega)

(detailed balance), so Im chi(omega > 0) >= 0. Without detailed balance the
commutator itself gives Im chi(omega) = -2 Int_0^inf sin(omega t) Im C(t) dt
("commutator form"); the two agree for an exactly thermal state, and their
difference measures how far the HEOM's fitted bath is from one.

Quadrature: the trapezoid rule on the samples of C (t = 0, h, ..., t_end)
by a zero-padded FFT, on omega_j = j d omega up to the Nyquist frequency
pi / h. Its leading O(h^2) error cancels in Re (C(0) is real and C'(0)
imaginary). The omega integrals use the trapezoid rule on that grid:

* f-sum (Eq. 7): m = (1/pi) Int_0^inf omega Im chi d omega (= -Delta <sigma_x> for
  A = sigma_z of the spin-boson model, Eq. 16);
* static susceptibility: (2/pi) Int_0^inf Im chi(omega) / omega d omega (Kramers-Kronig,
  = Int_0^beta <A(tau) A(0)> d tau for an ergodic system);
* the linear conductance of Eq. 5 at T_L = T_R (proportional ohmic baths, Eq. 8):
  kappa = (alpha gamma / 4) Int_0^inf d omega omega Im chi(omega) Jtilde(omega) dn/dT,
  Jtilde = omega e^{-omega/omega_c}, dn/dT = (omega / 4 T^2) / sinh^2(omega / 2T).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["SusceptibilitySpectrum", "conductance_weight", "spectrum_from_correlation"]

PAD_FACTOR = 8  # zero padding: d omega = 2 pi / (8 t_end) resolves the trapezoid sum


def conductance_weight(omega: np.ndarray, temperature: float, omega_c: float) -> np.ndarray:
    """omega Jtilde(omega) dn/dT = Jtilde(omega) (x / sinh x)^2, x = omega / 2T (omega > 0).

    The kernel of Eq. 5's conductance without the factor alpha gamma / 4
    (reduced units), evaluated overflow-free as (2 x e^{-x} / (1 - e^{-2x}))^2.
    """
    omega = np.asarray(omega, dtype=float)
    x = omega / (2.0 * temperature)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(x > 0, 2.0 * x * np.exp(-x) / -np.expm1(-2.0 * np.maximum(x, 1e-300)), 1.0)
    return omega * np.exp(-omega / omega_c) * ratio**2


@dataclass(frozen=True)
class SusceptibilitySpectrum:
    """Im chi(omega) on omega >= 0 with the sum-rule integrals (reduced units).

    ``omega`` the grid (0 to pi/h); ``im_chi`` the detailed-balance form,
    ``im_chi_commutator`` the commutator form; ``f_sum``, ``static`` and their
    ``_commutator`` twins the integrals of the module docstring;
    ``im_chi_min`` min over omega > 0 of ``im_chi``; ``tail_error`` bounds
    abs(Im chi) of the correlation beyond the window (from its tail bound).
    """

    temperature: float
    omega: np.ndarray
    im_chi: np.ndarray
    im_chi_commutator: np.ndarray
    f_sum: float
    f_sum_commutator: float
    static: float
    static_commutator: float
    im_chi_min: float
    tail_error: float

    def conductance(
        self, *, alpha: float, gamma: float, omega_c: float, commutator: bool = False
    ) -> float:
        """kappa of Eq. 5 at T_L = T_R: (alpha gamma/4) Int omega Im chi Jtilde dn/dT d omega."""
        im_chi = self.im_chi_commutator if commutator else self.im_chi
        weight = conductance_weight(self.omega, self.temperature, omega_c)
        return 0.25 * alpha * gamma * _trapezoid(weight * im_chi, self.omega)

    def conductance_tail_error(self, *, alpha: float, gamma: float, omega_c: float) -> float:
        """Bound on the change of :meth:`conductance` from the correlation beyond the window."""
        weight = conductance_weight(self.omega, self.temperature, omega_c)
        return 0.25 * alpha * gamma * self.tail_error * _trapezoid(weight, self.omega)


def _trapezoid(values: np.ndarray, grid: np.ndarray) -> float:
    return float(np.trapezoid(values, grid))


def spectrum_from_correlation(
    values: np.ndarray, step: float, temperature: float, *, tail_bound: float = 0.0
) -> SusceptibilitySpectrum:
    """Im chi(omega) from samples C(k h), k = 0..N, of C(t) = <A(t) A(0)> (A Hermitian).

    Parameters
    ----------
    values
        Complex samples of C(t) at t = 0, h, 2h, ...; C is taken as 0 beyond.
    step
        h (reduced units).
    temperature
        T > 0 of the equilibrium state.
    tail_bound
        Int_{t_end}^inf abs(C(t)) dt (from the propagation), for ``tail_error``.

    Returns
    -------
    SusceptibilitySpectrum
    """
    c = np.asarray(values, dtype=complex).copy()
    c[0] *= 0.5
    c[-1] *= 0.5
    n_pad = 1 << int(np.ceil(np.log2(PAD_FACTOR * c.size)))
    half = n_pad // 2 + 1
    # sum_k c_k e^{+i omega_j t_k}, omega_j = 2 pi j / (n_pad h), 0 <= j <= n_pad / 2
    transform = np.fft.ifft(c, n_pad)[:half] * (n_pad * step)
    sine = np.fft.ifft(c.imag, n_pad)[:half].imag * (n_pad * step)
    omega = 2.0 * np.pi * np.arange(half) / (n_pad * step)
    beta = 1.0 / temperature
    spectrum = 2.0 * transform.real
    im_chi = 0.5 * -np.expm1(-beta * omega) * spectrum
    im_chi_commutator = -2.0 * sine
    positive = omega > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        over = np.where(positive, im_chi / omega, 0.5 * beta * spectrum[0])
        times = step * np.arange(c.size)
        slope0 = -2.0 * step * float(np.sum(times * c.imag))  # lim Im chi_comm / omega
        over_comm = np.where(positive, im_chi_commutator / omega, slope0)
    return SusceptibilitySpectrum(
        temperature=float(temperature),
        omega=omega,
        im_chi=im_chi,
        im_chi_commutator=im_chi_commutator,
        f_sum=_trapezoid(omega * im_chi, omega) / np.pi,
        f_sum_commutator=_trapezoid(omega * im_chi_commutator, omega) / np.pi,
        static=2.0 / np.pi * _trapezoid(over, omega),
        static_commutator=2.0 / np.pi * _trapezoid(over_comm, omega),
        im_chi_min=float(im_chi[positive].min()),
        tail_error=float(tail_bound),
    )
