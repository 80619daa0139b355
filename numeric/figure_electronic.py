"""The electronic figure: the resonant level's exact heat conductance against its bounds.

A spinless level at eps_0 - mu = 1 (the energy unit) between symmetric
wide-band leads, Gamma_L = Gamma_R = Gamma/2, in two panels: (a) a sharp level,
Gamma = 0.1, and (b) a broad one, Gamma = 2. For each, against k_B T from 0.01
to 10 (log-spaced), in reduced units hbar = k_B = 1:

* the exact zero-bias kappa (:func:`heatbounds.numeric.resonant_level.heat_conductance`);
* the sum-rule bound c0 k_B Gamma_eff mu^(0) / hbar, mu^(0) = 1
  (:func:`heatbounds.numeric.electronic_bounds.heat_conductance_bound`);
* the electronic quantum of thermal conductance pi^2 k_B^2 T / 3h, the most one
  channel carries.

The sharp level touches the bound near k_B T = (eps_0 - mu)/x* = 0.42 (to
within its width); the broad one stays well below it, and there the quantum is
the tighter bound at low temperature.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from heatbounds.numeric.electronic_bounds import (
    fermi_window_maximum,
    heat_conductance_bound,
    thermal_conductance_quantum,
)
from heatbounds.numeric.resonant_level import ResonantLevel, heat_conductance

__all__ = ["ElectronicFigureData", "ElectronicPanel", "electronic_figure_data"]

WIDTHS = (0.1, 2.0)  # Gamma of panels (a) and (b), in units of eps_0 - mu


@dataclass(frozen=True)
class ElectronicPanel:
    """One level width: the temperatures and the three curves."""

    gamma: float
    temperature: np.ndarray
    kappa_exact: np.ndarray
    kappa_bound: np.ndarray
    kappa_quantum: np.ndarray

    @property
    def tightness(self) -> np.ndarray:
        """kappa_exact / kappa_bound at each temperature."""
        return self.kappa_exact / self.kappa_bound


@dataclass(frozen=True)
class ElectronicFigureData:
    """Both panels and the parameters (eps0 - mu, widths, c0, x*)."""

    panels: tuple[ElectronicPanel, ...]
    parameters: dict


def electronic_figure_data(
    temperature=None, widths: tuple[float, ...] = WIDTHS, eps0: float = 1.0
) -> ElectronicFigureData:
    """The data of the electronic figure (default: 41 temperatures from 0.01 to 10)."""
    t = np.geomspace(0.01, 10.0, 41) if temperature is None else np.asarray(temperature, float)
    panels = []
    for gamma in widths:
        level = ResonantLevel(eps0, gamma / 2, gamma / 2)
        kappa = np.array([heat_conductance(level, x) for x in t])
        bound = np.full(t.shape, heat_conductance_bound(level.gamma_eff))
        quantum = np.array([thermal_conductance_quantum(x) for x in t])
        panels.append(ElectronicPanel(gamma, t, kappa, bound, quantum))
    x_star, c0 = fermi_window_maximum()
    parameters = {"eps0_minus_mu": eps0, "c0": c0, "x_star": x_star}
    return ElectronicFigureData(tuple(panels), parameters)
