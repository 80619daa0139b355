"""Data for Figures 2 and 3 of Taylor & Segal (harmonic junction), both chi forms.

Parameters (paper): alpha_L = alpha_R = 0.4, so alpha = 0.8 and gamma = 1. The
paper does not give omega_c for these figures; we use omega_c = 10 omega_0
(:data:`FIGURE_OMEGA_C`), the value of its Fig. 4. Reduced units hbar = k_B = 1
with omega_0 = 1 unless passed: temperatures in omega_0, currents in omega_0^2,
conductances in omega_0.

Figure 2: heat current J_Q versus T_L - T_R at fixed T_R, at a low (T_R = 0.1 omega_0)
and a high (T_R = 3 omega_0) temperature, T_L - T_R from 0 to T_R; with the
ballistic bound Eq. 2 and the sum-rule bound Eq. 15.

Figure 3: conductance kappa(T) on a log grid T = 10^-2 ... 10^2 omega_0 (200
points), with kappa_Q = pi T / 6 and the sum-rule bound pi alpha gamma omega_0 / 4
(Eq. 10). The paper's temperature ranges are not stated; these are ours.

The "exact" and "paper" curves are Eq. 5 with the exact chi (Kramers-Kronig real
part) and with Eq. 14 as printed; see
:mod:`heatbounds.numeric.harmonic_response`. Everything is returned as numpy
arrays in frozen dataclasses; ``as_dict()`` gives plain lists for JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from heatbounds.numeric.harmonic_response import ChiForm, harmonic_fsum_report
from heatbounds.numeric.harmonic_transport import (
    ballistic_current_bound,
    exact_conductance,
    heat_current,
    quantum_of_thermal_conductance,
    sum_rule_conductance_bound,
    sum_rule_current_bound,
)

__all__ = [
    "FIGURE_ALPHA_LEFT",
    "FIGURE_ALPHA_RIGHT",
    "FIGURE_OMEGA_C",
    "CurrentPanel",
    "Figure2Data",
    "Figure3Data",
    "figure2_data",
    "figure3_data",
]

FIGURE_ALPHA_LEFT = 0.4
FIGURE_ALPHA_RIGHT = 0.4
FIGURE_OMEGA_C = 10.0
"""omega_c / omega_0 used for Figs. 2 and 3 (not stated in the paper)."""


def _plain(value):
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


@dataclass(frozen=True)
class CurrentPanel:
    """One panel of Fig. 2: currents at fixed ``t_right`` versus ``delta_t`` = T_L - T_R.

    ``current`` maps chi form ("exact", "paper") to J_Q (Eq. 5); the bounds are
    Eq. 2 (``ballistic_bound``) and Eq. 15 (``sum_rule_bound``). Reduced units.
    """

    t_right: float
    delta_t: np.ndarray
    current: dict[str, np.ndarray]
    ballistic_bound: np.ndarray
    sum_rule_bound: np.ndarray

    def as_dict(self) -> dict:
        """Plain dict of lists."""
        return {k: _plain(v) for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class Figure2Data:
    """Fig. 2: a low- and a high-temperature :class:`CurrentPanel`, and the parameters."""

    low: CurrentPanel
    high: CurrentPanel
    parameters: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict:
        """Plain dict of lists."""
        return {
            "low": self.low.as_dict(),
            "high": self.high.as_dict(),
            "parameters": self.parameters,
        }


@dataclass(frozen=True)
class Figure3Data:
    """Fig. 3: kappa(T) per chi form, kappa_Q, the Eq. 10 bound and the f-sum moments.

    ``fsum_moment`` maps chi form to (1/pi) Int_0^inf omega Im chi (the bound
    uses omega_0, which only the exact form reproduces). Reduced units.
    """

    temperature: np.ndarray
    kappa: dict[str, np.ndarray]
    kappa_Q: np.ndarray
    sum_rule_bound: np.ndarray
    fsum_moment: dict[str, float]
    parameters: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict:
        """Plain dict of lists."""
        return {k: _plain(v) for k, v in self.__dict__.items()}


def _parameters(alpha_L: float, alpha_R: float, omega_c: float, omega0: float) -> dict:
    alpha = alpha_L + alpha_R
    return {
        "alpha_L": alpha_L,
        "alpha_R": alpha_R,
        "alpha": alpha,
        "gamma": 4.0 * alpha_L * alpha_R / alpha**2,
        "omega_c": omega_c,
        "omega0": omega0,
    }


def _panel(t_right: float, n_points: int, model: dict) -> CurrentPanel:
    delta_t = np.linspace(0.0, t_right, n_points)
    t_left = t_right + delta_t
    current = {kind.value: heat_current(t_left, t_right, **model, form=kind) for kind in ChiForm}
    coupling = {k: model[k] for k in ("alpha_L", "alpha_R", "omega0")}
    return CurrentPanel(
        t_right=t_right,
        delta_t=delta_t,
        current=current,
        ballistic_bound=np.asarray(ballistic_current_bound(t_left, t_right)),
        sum_rule_bound=np.asarray(sum_rule_current_bound(t_left, t_right, **coupling)),
    )


def figure2_data(
    *,
    alpha_L: float = FIGURE_ALPHA_LEFT,
    alpha_R: float = FIGURE_ALPHA_RIGHT,
    omega_c: float = FIGURE_OMEGA_C,
    omega0: float = 1.0,
    low_t_right: float = 0.1,
    high_t_right: float = 3.0,
    n_points: int = 41,
) -> Figure2Data:
    """Fig. 2 data: J_Q(T_L - T_R) at T_R = low_t_right and high_t_right (units of omega0).

    T_L - T_R runs over ``n_points`` values from 0 to T_R. Reduced units
    hbar = k_B = 1; defaults are the paper's couplings and our omega_c = 10 omega0.
    """
    model = {
        "alpha_L": alpha_L,
        "alpha_R": alpha_R,
        "omega_c": omega_c,
        "omega0": omega0,
    }
    return Figure2Data(
        low=_panel(low_t_right * omega0, n_points, model),
        high=_panel(high_t_right * omega0, n_points, model),
        parameters=_parameters(alpha_L, alpha_R, omega_c, omega0),
    )


def figure3_data(
    *,
    alpha_L: float = FIGURE_ALPHA_LEFT,
    alpha_R: float = FIGURE_ALPHA_RIGHT,
    omega_c: float = FIGURE_OMEGA_C,
    omega0: float = 1.0,
    temperature: np.ndarray | None = None,
) -> Figure3Data:
    """Fig. 3 data: kappa(T) for both chi forms, kappa_Q and the Eq. 10 bound.

    Default grid: 200 temperatures log-spaced from 10^-2 to 10^2 omega0.
    Reduced units hbar = k_B = 1.
    """
    temps = (
        np.logspace(-2.0, 2.0, 200) * omega0
        if temperature is None
        else np.atleast_1d(np.asarray(temperature, dtype=float))
    )
    model = {
        "alpha_L": alpha_L,
        "alpha_R": alpha_R,
        "omega_c": omega_c,
        "omega0": omega0,
    }
    kappa = {kind.value: exact_conductance(temps, **model, form=kind) for kind in ChiForm}
    bound = sum_rule_conductance_bound(alpha_L=alpha_L, alpha_R=alpha_R, omega0=omega0)
    report = harmonic_fsum_report(alpha_L, alpha_R, omega_c, omega0)
    return Figure3Data(
        temperature=temps,
        kappa=kappa,
        kappa_Q=np.asarray(quantum_of_thermal_conductance(temps)),
        sum_rule_bound=np.full(temps.shape, bound),
        fsum_moment={k: v.moment for k, v in report.items()},
        parameters=_parameters(alpha_L, alpha_R, omega_c, omega0),
    )
