"""The data of Figures 2, 3 and 4 as tables: named columns with units, written as CSV.

Each ``figureN_table(data)`` turns the dataclass of
:mod:`heatbounds.numeric.figures23` or :mod:`heatbounds.numeric.figure4` into a
:class:`FigureTable`: ``#`` comment lines (what the figure is, its parameters
and units), a header of column names, and rows of floats in the units the
figure is drawn in (reduced units hbar = k_B = 1; energies in omega_0 for the
harmonic junction, in Delta for the spin boson). Column names say the
physics and the equation: ``sum_rule_bound_eq15``, ``kappa_paper_eq14``.

>>> from heatbounds.numeric.figures23 import figure3_data
>>> table = figure3_data(temperature=[1.0])
>>> print(to_csv(figure3_table(table)).splitlines()[-2])
T,kappa_exact,kappa_paper_eq14,kappa_Q,sum_rule_bound_eq10
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np

from heatbounds.numeric.figure4 import Figure4Data
from heatbounds.numeric.figure_electronic import ElectronicFigureData
from heatbounds.numeric.figures23 import Figure2Data, Figure3Data

__all__ = [
    "FigureTable",
    "electronic_figure_table",
    "figure2_table",
    "figure3_table",
    "figure4_table",
    "to_csv",
]


@dataclass(frozen=True)
class FigureTable:
    """Comment lines, column names and a 2-d float array (one row per point)."""

    comments: tuple[str, ...]
    columns: tuple[str, ...]
    rows: np.ndarray

    def column(self, name: str) -> np.ndarray:
        """The column called ``name``."""
        return self.rows[:, self.columns.index(name)]


def _parameters(p: dict, keys: tuple[str, ...]) -> str:
    return "parameters: " + ", ".join(f"{k} = {p[k]:g}" for k in keys)


def figure2_table(data: Figure2Data) -> FigureTable:
    """Fig. 2: both panels stacked; ``panel`` is 0 for (a) low T_R and 1 for (b) high T_R."""
    w = data.parameters["omega0"]
    blocks = []
    for index, panel in enumerate((data.low, data.high)):
        n = panel.delta_t.size
        blocks.append(
            np.column_stack(
                [
                    np.full(n, float(index)),
                    np.full(n, panel.t_right / w),
                    panel.delta_t / w,
                    panel.current["exact"] / w**2,
                    panel.current["paper"] / w**2,
                    panel.ballistic_bound / w**2,
                    panel.sum_rule_bound / w**2,
                ]
            )
        )
    return FigureTable(
        comments=(
            "Taylor & Segal Fig. 2: heat current through the harmonic junction (Eq. 13)",
            _parameters(data.parameters, ("alpha_L", "alpha_R", "gamma", "omega_c")),
            "units: hbar = k_B = 1, omega_0 = 1; temperatures in hbar omega_0/k_B, "
            "currents in hbar omega_0^2",
            "J_exact: Eq. 5 with the exact chi; J_paper_eq14: with Eq. 14 as printed; "
            "bounds: Eq. 2 (ballistic) and Eq. 15 (sum rule)",
        ),
        columns=(
            "panel",
            "T_R",
            "T_L_minus_T_R",
            "J_exact",
            "J_paper_eq14",
            "ballistic_bound_eq2",
            "sum_rule_bound_eq15",
        ),
        rows=np.vstack(blocks),
    )


def figure3_table(data: Figure3Data) -> FigureTable:
    """Fig. 3: kappa(T) for both chi forms, kappa_Q and the Eq. 10 bound."""
    w = data.parameters["omega0"]
    return FigureTable(
        comments=(
            "Taylor & Segal Fig. 3: thermal conductance of the harmonic junction (Eq. 13)",
            _parameters(data.parameters, ("alpha_L", "alpha_R", "gamma", "omega_c")),
            "units: hbar = k_B = 1, omega_0 = 1; T in hbar omega_0/k_B, kappa in k_B omega_0",
            "f-sum moment (1/pi) Int omega Im chi: "
            + ", ".join(f"{k} = {v / w:.12g}" for k, v in sorted(data.fsum_moment.items()))
            + " (Eq. 10 uses omega_0 = 1)",
        ),
        columns=("T", "kappa_exact", "kappa_paper_eq14", "kappa_Q", "sum_rule_bound_eq10"),
        rows=np.column_stack(
            [
                data.temperature / w,
                data.kappa["exact"] / w,
                data.kappa["paper"] / w,
                data.kappa_Q / w,
                data.sum_rule_bound / w,
            ]
        ),
    )


def figure4_table(data: Figure4Data) -> FigureTable:
    """Fig. 4: the spin-boson bounds, <sigma_x> from QMC with its standard error, and the
    exact kappa from the HEOM (nan at the temperatures where it was not computed)."""
    p = data.parameters
    d = p["delta"]
    return FigureTable(
        comments=(
            "Taylor & Segal Fig. 4: spin-boson conductance bounds (Eq. 16, 18)",
            f"parameters: alpha = {p['alpha']:g}, gamma = {p['gamma']:g}, "
            f"omega_c = {p['omega_c'] / d:g} Delta; QMC seed = {p['seed']}, "
            f"target stderr = {p['tolerance']:g}, chains = {p['n_chains']}",
            "units: hbar = k_B = 1, Delta = 1; T in hbar Delta/k_B, kappa in k_B Delta",
            f"Kondo temperature T_K = {data.kondo_temperature / d:.6g}; "
            "bound_eq18_qmc_stderr is one standard error; qmc_converged is 1 or 0",
            "kappa_exact_heom: the exact kappa, Eq. 5 at T_L = T_R with the HEOM Im chi "
            f"(relative tolerance {p['kappa_tolerance']:g}), nan where not "
            "computed; kappa_exact_heom_error: its change under the last refinement; "
            "kappa_exact_heom_converged is 1, 0, or nan where not computed",
        ),
        columns=(
            "T",
            "sigma_x_qmc",
            "sigma_x_qmc_stderr",
            "qmc_converged",
            "bound_eq18_qmc",
            "bound_eq18_qmc_stderr",
            "bound_eq18_weak_coupling",
            "kappa_Q",
            "kappa_bloch_redfield",
            "kappa_bloch_redfield_finite_cutoff",
            "kappa_exact_heom",
            "kappa_exact_heom_error",
            "kappa_exact_heom_converged",
        ),
        rows=np.column_stack(
            [
                data.temperature / d,
                data.sigma_x_qmc,
                data.sigma_x_qmc_stderr,
                data.qmc_converged.astype(float),
                data.bound_qmc / d,
                data.bound_qmc_stderr / d,
                data.bound_weak_coupling / d,
                data.kappa_quantum / d,
                data.kappa_bloch_redfield / d,
                data.kappa_bloch_redfield_finite_cutoff / d,
                data.kappa_exact / d,
                data.kappa_exact_error / d,
                np.where(data.kappa_exact_computed, data.kappa_exact_converged, np.nan),
            ]
        ),
    )


def electronic_figure_table(data: ElectronicFigureData) -> FigureTable:
    """The electronic figure: both panels stacked; ``Gamma`` names the panel."""
    p = data.parameters
    blocks = [
        np.column_stack(
            [
                np.full(panel.temperature.size, panel.gamma),
                panel.temperature,
                panel.kappa_exact,
                panel.kappa_bound,
                panel.kappa_quantum,
            ]
        )
        for panel in data.panels
    ]
    return FigureTable(
        comments=(
            "heatbounds electronic figure: resonant level between symmetric wide-band leads",
            f"parameters: eps0 - mu = {p['eps0_minus_mu']:g}, Gamma_L = Gamma_R = Gamma/2, "
            f"zero bias; c0 = {p['c0']:.12g} (x* = {p['x_star']:.12g})",
            "units: hbar = k_B = 1, eps0 - mu = 1; T and Gamma in (eps0 - mu), kappa in "
            "k_B (eps0 - mu)/hbar",
            "kappa_exact: Landauer/Meir-Wingreen; kappa_bound: c0 Gamma_eff mu^(0), mu^(0) = 1; "
            "kappa_quantum: pi^2 k_B^2 T/3h",
        ),
        columns=("Gamma", "T", "kappa_exact", "kappa_bound", "kappa_quantum"),
        rows=np.vstack(blocks),
    )


def to_csv(table: FigureTable) -> str:
    """CSV text: ``# `` comment lines, the header, rows with ``repr`` floats (round-trip exact)."""
    out = io.StringIO()
    for line in table.comments:
        out.write(f"# {line}\n")
    out.write(",".join(table.columns) + "\n")
    for row in table.rows:
        out.write(",".join(repr(float(x)) for x in row) + "\n")
    return out.getvalue()
