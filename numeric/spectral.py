"""The spectral representation of the junction correlators (Supplement, Eq. 20-25).

For a stationary state ``rho = sum_a p_a |a><a|`` in the eigenbasis of the full H,
the Kubo response chi_{A,B}(t) = (i/hbar) theta(t) <[A(t), B^dagger]> has

.. math::
    \\mathrm{Im}\\chi_{A,B}(\\omega) = \\frac{\\pi}{\\hbar}\\sum_{ab}(p_a - p_b)
        \\langle a|A|b\\rangle\\langle b|B^\\dagger|a\\rangle\\,\\delta(\\omega - \\omega_{ba}),
    \\qquad \\omega_{ba} = E_{ba}/\\hbar,

a set of discrete lines at omega_ba with weights
w_ab = (p_a - p_b) A_ab (B^dagger)_ba / hbar (so Im chi = pi sum w delta(omega - omega_ba)).

Eq. 24 as printed writes delta(hbar omega - E_ba) = delta(omega - omega_ba)/hbar
with the same pi/hbar prefactor: one factor 1/hbar too many, so that its own
Eq. 25 (and Eq. 7, m = <[A^dagger, [H, A]]>/(2 hbar^2)) would not follow from
it. The code follows the Kubo form above, which does give Eq. 25; in reduced
units (hbar = 1) the two agree, and the SI spectral check
(``heatbounds check MODEL --units si``) is what tells them apart.

For odd s the moment of the odd part of Im chi over omega > 0 is

.. math::
    m^{(s)} = \\frac{1}{\\pi}\\int_0^\\infty \\omega^s\\,
        \\frac{\\mathrm{Im}\\chi(\\omega) - \\mathrm{Im}\\chi(-\\omega)}{2}\\,d\\omega
      = \\frac{1}{2}\\sum_{ab} w_{ab}\\,\\omega_{ba}^s
      = \\frac{\\langle[B^\\dagger, \\mathrm{ad}_H^s(A)]\\rangle}{2\\hbar^{s+1}},

the last step being the sum rule (Eq. 25); for A = B Hermitian
Im chi is odd and this is the plain (1/pi) Int_0^inf omega^s Im chi of Eq. 7.
Reduced units (hbar = 1) unless ``hbar`` is passed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from heatbounds.numeric.errors import NumericInputError

__all__ = [
    "SpectralLines",
    "broadened_spectrum",
    "eigensystem",
    "spectral_lines",
    "spectral_moment",
    "thermal_populations",
]


@dataclass(frozen=True)
class SpectralLines:
    """Discrete Im chi: ``pi * sum(weights * delta(omega - frequencies))`` (Eq. 24)."""

    frequencies: np.ndarray
    weights: np.ndarray

    def moment(self, s: int) -> complex:
        """(1/pi) Int_0^inf omega^s [odd part of Im chi] d omega, for odd s."""
        if s < 1 or s % 2 == 0:
            raise NumericInputError(f"spectral moments are odd orders s >= 1, got {s}")
        return 0.5 * complex(np.sum(self.weights * self.frequencies**s))


def eigensystem(hamiltonian: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Eigenvalues and eigenvectors of a Hermitian H (refusing a non-Hermitian one)."""
    h = np.asarray(hamiltonian)
    if not np.allclose(h, h.conj().T, atol=1e-12 * max(1.0, np.abs(h).max())):
        raise NumericInputError("the Hamiltonian matrix is not Hermitian")
    return np.linalg.eigh(h)


def thermal_populations(energies: np.ndarray, temperature: float, *, k_B: float = 1.0):
    """Boltzmann populations exp(-E/k_B T)/Z, computed without overflow."""
    if not np.isfinite(temperature) or temperature <= 0:
        raise NumericInputError(f"temperature must be positive and finite, got {temperature}")
    x = -(energies - energies.min()) / (k_B * temperature)
    p = np.exp(x)
    return p / p.sum()


def spectral_lines(
    energies, vectors, populations, a: np.ndarray, b: np.ndarray, *, hbar: float = 1.0
) -> SpectralLines:
    """The lines of Im chi_{A,B} (Eq. 24 without its extra 1/hbar, module docstring)
    in the state with ``populations``."""
    a_eig = vectors.conj().T @ a @ vectors
    bdag_eig = vectors.conj().T @ b.conj().T @ vectors
    p = np.asarray(populations, dtype=float)
    dp = p[:, None] - p[None, :]  # p_a - p_b
    weights = dp * a_eig * bdag_eig.T / hbar  # A_ab (B^dagger)_ba; not Eq. 24's 1/hbar^2
    freqs = (energies[None, :] - energies[:, None]) / hbar  # omega_ba
    return SpectralLines(freqs.reshape(-1), weights.reshape(-1))


def spectral_moment(lines: SpectralLines, s: int) -> complex:
    """m^(s) from the lines (module docstring)."""
    return lines.moment(s)


def broadened_spectrum(lines: SpectralLines, omega: np.ndarray, width: float) -> np.ndarray:
    """The odd part of Im chi with each line a normalised Gaussian of ``width``.

    Its first moment equals the discrete one exactly; the third differs by
    3 width^2 m^(1) (a Gaussian's third moment about zero).
    """
    if width <= 0:
        raise NumericInputError(f"broadening width must be positive, got {width}")
    omega = np.asarray(omega, dtype=float)
    keep = np.abs(lines.weights) > 0
    f, w = lines.frequencies[keep], lines.weights[keep]
    norm = 1.0 / (width * np.sqrt(2 * np.pi))
    out = np.zeros(omega.shape, dtype=complex)
    for start in range(0, len(f), 512):
        fs, ws = f[start : start + 512], w[start : start + 512]
        plus = np.exp(-0.5 * ((omega[:, None] - fs[None, :]) / width) ** 2)
        minus = np.exp(-0.5 * ((omega[:, None] + fs[None, :]) / width) ** 2)
        out += (plus - minus) @ ws * norm / 2
    return np.pi * out
