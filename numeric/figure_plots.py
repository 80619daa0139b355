"""Figures 2, 3 and 4 of Taylor & Segal drawn with matplotlib, from the figure data.

Each ``plot_figureN(data)`` takes the dataclass of :mod:`heatbounds.numeric.figures23`
or :mod:`heatbounds.numeric.figure4` and returns a :class:`matplotlib.figure.Figure`
in the paper's layout and line styles:

* Fig. 2: J_Q against T_L - T_R at low (a) and high (b) T_R; exact current dotted,
  ballistic bound Eq. 2 dashed blue, sum-rule bound Eq. 15 solid red.
* Fig. 3: kappa(T), log-log; exact kappa dotted, kappa_Q dashed blue, the bound
  pi alpha gamma omega_0 k_B / 4 (Eq. 10) solid red.
* the electronic figure (not in the paper): the resonant level's exact kappa(T)
  dotted, the sum-rule bound c0 k_B Gamma_eff / hbar solid red, the electronic
  quantum pi^2 k_B^2 T / 3h dashed blue, for a sharp and a broad level.
* Fig. 4: the spin-boson bounds, log-log; Eq. 18 with the exact (QMC) <sigma_x>
  solid red with its 2-standard-error band, kappa_Q dashed blue, Bloch-Redfield
  dot-dashed green, and the exact kappa dotted (the paper's QMC kappa of its
  Ref. 35; here from the HEOM, at its converged points only, with a band of
  its error estimate).

Where the toolkit knows more than the paper, the extra curves are drawn and
labelled: the current and conductance from Eq. 14 as printed (grey), which
lacks the real part of the self-energy and misses the f-sum rule; Eq. 18 with
the weak-coupling <sigma_x> = -tanh(Delta/2T); Bloch-Redfield with the finite
cutoff factor exp(-Delta/omega_c); the Kondo temperature T_K. The paper's QMC
conductance of its Ref. 35 is data we do not have; the exact kappa drawn in its
place is our own, from the HEOM susceptibility.

The figures are built on :class:`~matplotlib.figure.Figure` directly (no pyplot
state, no display needed); ``fig.savefig(path)`` renders with Agg.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from heatbounds.numeric.figure4 import BAND_SIGMAS, Figure4Data
from heatbounds.numeric.figure_electronic import ElectronicFigureData
from heatbounds.numeric.figures23 import CurrentPanel, Figure2Data, Figure3Data

__all__ = ["plot_electronic_figure", "plot_figure2", "plot_figure3", "plot_figure4"]

# The paper's line styles, and ours for the curves it does not have.
EXACT = {"color": "black", "linestyle": ":", "linewidth": 2.0}
BALLISTIC = {"color": "tab:blue", "linestyle": "--", "linewidth": 1.5}
SUM_RULE = {"color": "tab:red", "linestyle": "-", "linewidth": 1.8}
PRINTED = {"color": "0.55", "linestyle": "-.", "linewidth": 1.2}
BLOCH_REDFIELD = {"color": "tab:green", "linestyle": "-.", "linewidth": 1.5}
EXTRA = {"linewidth": 1.2}


def _current_panel(ax, panel: CurrentPanel, tag: str, omega0: float) -> None:
    dt = panel.delta_t / omega0
    scale = 1.0 / omega0**2
    ax.plot(dt, panel.current["exact"] * scale, label=r"exact $J_Q$ (exact $\chi$)", **EXACT)
    ax.plot(dt, panel.ballistic_bound * scale, label="ballistic bound (Eq. 2)", **BALLISTIC)
    ax.plot(dt, panel.sum_rule_bound * scale, label="sum-rule bound (Eq. 15)", **SUM_RULE)
    ax.plot(dt, panel.current["paper"] * scale, label=r"$J_Q$ with Eq. 14 as printed", **PRINTED)
    ax.set_xlabel(r"$T_L - T_R$  [$\hbar\omega_0/k_B$]")
    ax.set_ylabel(r"$J_Q$  [$\hbar\omega_0^2$]")
    ax.set_title(f"({tag}) $k_B T_R = {panel.t_right / omega0:g}\\,\\hbar\\omega_0$", fontsize=10)
    ax.set_xlim(dt[0], dt[-1])
    ax.set_ylim(bottom=0.0)
    ax.grid(alpha=0.3)


def _parameter_text(p: dict) -> str:
    return (
        rf"$\alpha_L = \alpha_R = {p['alpha_L']:g}$ ($\alpha = {p['alpha']:g}$, "
        rf"$\gamma = {p['gamma']:g}$), $\omega_c = {p['omega_c']:g}\,\omega_0$"
    )


def plot_figure2(data: Figure2Data) -> Figure:
    """Fig. 2: heat current through the harmonic junction, low (a) and high (b) T_R.

    Reduced units hbar = k_B = 1 with omega_0 = 1: J_Q in hbar omega_0^2,
    temperatures in hbar omega_0 / k_B.
    """
    fig = Figure(figsize=(9.0, 3.9), layout="constrained")
    axes = fig.subplots(1, 2)
    omega0 = data.parameters["omega0"]
    _current_panel(axes[0], data.low, "a", omega0)
    _current_panel(axes[1], data.high, "b", omega0)
    axes[0].legend(fontsize=8, loc="upper left")
    fig.suptitle("Fig. 2: harmonic junction, " + _parameter_text(data.parameters), fontsize=10)
    return fig


def plot_figure3(data: Figure3Data) -> Figure:
    """Fig. 3: thermal conductance of the harmonic junction against temperature (log-log).

    Reduced units: T in hbar omega_0 / k_B, kappa in k_B omega_0.
    """
    fig = Figure(figsize=(6.0, 4.2), layout="constrained")
    ax = fig.subplots()
    omega0 = data.parameters["omega0"]
    t = data.temperature / omega0
    kappa = {k: v / omega0 for k, v in data.kappa.items()}
    ax.loglog(t, kappa["exact"], label=r"exact $\kappa$ (exact $\chi$)", **EXACT)
    ax.loglog(
        t, data.kappa_Q / omega0, label=r"$\kappa_Q = \pi k_B^2 T/6\hbar$ (Eq. 2)", **BALLISTIC
    )
    ax.loglog(
        t,
        data.sum_rule_bound / omega0,
        label=r"$\pi\alpha\gamma\omega_0 k_B/4$ (Eq. 10)",
        **SUM_RULE,
    )
    ax.loglog(t, kappa["paper"], label=r"$\kappa$ with Eq. 14 as printed", **PRINTED)
    ax.set_xlim(t[0], t[-1])
    bound = float(data.sum_rule_bound[0]) / omega0
    ax.set_ylim(1e-3 * bound, 3.0 * bound)
    ax.set_xlabel(r"$T$  [$\hbar\omega_0/k_B$]")
    ax.set_ylabel(r"$\kappa$  [$k_B\omega_0$]")
    ax.set_title("Fig. 3: " + _parameter_text(data.parameters), fontsize=10)
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(alpha=0.3, which="both")
    return fig


def plot_figure4(data: Figure4Data) -> Figure:
    """Fig. 4: spin-boson conductance bounds against temperature (log-log).

    Reduced units: T in hbar Delta / k_B, kappa in k_B Delta. The red band is
    Eq. 18 +- 2 standard errors of the QMC <sigma_x>; the grey band around the
    exact kappa (dotted, with a marker at each converged HEOM point) is
    kappa +- its error estimate (the change under the last refinement).
    """
    fig = Figure(figsize=(6.4, 4.4), layout="constrained")
    ax = fig.subplots()
    p = data.parameters
    delta = p["delta"]
    t = data.temperature / delta
    lo, hi = (edge / delta for edge in data.bound_qmc_band)
    ax.fill_between(t, lo, hi, color="tab:red", alpha=0.2, linewidth=0)
    ax.loglog(
        t,
        data.bound_qmc / delta,
        label=rf"Eq. 18, exact $\langle\sigma_x\rangle$ (QMC, $\pm{BAND_SIGMAS:g}\sigma$)",
        **SUM_RULE,
    )
    drawn = data.kappa_exact_computed & data.kappa_exact_converged
    if drawn.any():
        k, k_err = data.kappa_exact[drawn] / delta, data.kappa_exact_error[drawn] / delta
        ax.fill_between(t[drawn], k - k_err, k + k_err, color="0.3", alpha=0.25, linewidth=0)
        ax.loglog(
            t[drawn],
            k,
            marker="o",
            markersize=3.0,
            label=rf"exact $\kappa$ (HEOM, $T \geq {t[drawn].min():.2g}\,\Delta$)",
            **EXACT,
        )
    ax.loglog(t, data.kappa_quantum / delta, label=r"$\kappa_Q$ (Eq. 2)", **BALLISTIC)
    ax.loglog(
        t,
        data.kappa_bloch_redfield / delta,
        label=r"Bloch-Redfield ($\omega_c\to\infty$)",
        **BLOCH_REDFIELD,
    )
    ax.loglog(
        t,
        data.bound_weak_coupling / delta,
        label=r"Eq. 18, $\langle\sigma_x\rangle = -\tanh(\hbar\Delta/2k_BT)$",
        color="tab:orange",
        linestyle="--",
        **EXTRA,
    )
    ax.loglog(
        t,
        data.kappa_bloch_redfield_finite_cutoff / delta,
        label=r"Bloch-Redfield $\times e^{-\Delta/\omega_c}$",
        color="tab:olive",
        linestyle=":",
        **EXTRA,
    )
    if np.isfinite(data.kondo_temperature) and data.kondo_temperature > 0:
        ax.axvline(data.kondo_temperature / delta, color="0.4", linewidth=0.8)
        ax.annotate(
            r"$T_K$",
            (data.kondo_temperature / delta, 0.95),
            xycoords=("data", "axes fraction"),
            xytext=(3, 0),
            va="top",
            textcoords="offset points",
            fontsize=9,
        )
    top = float(np.max(data.bound_weak_coupling)) / delta
    ax.set_ylim(1e-2 * top, 3.0 * top)
    ax.set_xlim(t[0], t[-1])
    ax.set_xlabel(r"$T$  [$\hbar\Delta/k_B$]")
    ax.set_ylabel(r"$\kappa$  [$k_B\Delta$]")
    ax.set_title(
        rf"Fig. 4: spin-boson, $\alpha = {p['alpha']:g}$, $\gamma = {p['gamma']:g}$, "
        rf"$\omega_c = {p['omega_c'] / p['delta']:g}\,\Delta$",
        fontsize=10,
    )
    ax.legend(fontsize=7.5, loc="lower center")
    ax.grid(alpha=0.3, which="both")
    return fig


def plot_electronic_figure(data: ElectronicFigureData) -> Figure:
    """The resonant level's kappa(T) against its bounds, one panel per width (log-log).

    Reduced units: T, Gamma in (eps_0 - mu), kappa in k_B (eps_0 - mu)/hbar.
    """
    fig = Figure(figsize=(9.0, 4.0), layout="constrained")
    axes = fig.subplots(1, len(data.panels), sharey=True)
    for ax, panel, tag in zip(axes, data.panels, "abcdef", strict=False):
        t = panel.temperature
        ax.loglog(t, panel.kappa_exact, label=r"exact $\kappa$ (resonant level)", **EXACT)
        ax.loglog(t, panel.kappa_quantum, label=r"$\pi^2 k_B^2 T/3h$", **BALLISTIC)
        ax.loglog(
            t, panel.kappa_bound, label=r"$c_0 k_B \Gamma_{\rm eff}\mu^{(0)}/\hbar$", **SUM_RULE
        )
        most = float(panel.tightness.max())
        title = f"({tag}) $\\Gamma = {panel.gamma:g}$: at most {most:.3f} of the bound"
        ax.set_title(title, fontsize=10)
        ax.set_xlim(t[0], t[-1])
        ax.set_ylim(1e-4 * panel.kappa_bound[0] / 10, 30 * panel.kappa_bound[0])
        ax.set_xlabel(r"$k_B T$  [$\epsilon_0 - \mu$]")
        ax.grid(alpha=0.3, which="both")
    axes[0].set_ylabel(r"$\kappa$  [$k_B(\epsilon_0 - \mu)/\hbar$]")
    axes[0].legend(fontsize=8, loc="lower right")
    return fig
