"""Figures 2-4 drawn: the paper's curves and ours, labelled, with the data in figure units."""

from __future__ import annotations

import numpy as np
import pytest

from heatbounds.numeric.figure4 import figure4_data
from heatbounds.numeric.figure_plots import plot_figure2, plot_figure3, plot_figure4
from heatbounds.numeric.figure_tables import figure3_table, figure4_table, to_csv
from heatbounds.numeric.figures23 import figure2_data, figure3_data


def lines_by_label(ax) -> dict:
    return {
        line.get_label(): line for line in ax.get_lines() if not line.get_label().startswith("_")
    }


def test_figure2_has_two_panels_with_the_papers_three_curves_and_the_printed_eq14():
    data = figure2_data(n_points=11)
    fig = plot_figure2(data)
    assert len(fig.axes) == 2
    for ax, panel in zip(fig.axes, (data.low, data.high), strict=True):
        lines = lines_by_label(ax)
        assert set(lines) == {
            r"exact $J_Q$ (exact $\chi$)",
            "ballistic bound (Eq. 2)",
            "sum-rule bound (Eq. 15)",
            r"$J_Q$ with Eq. 14 as printed",
        }
        assert lines["sum-rule bound (Eq. 15)"].get_linestyle() == "-"
        assert lines["ballistic bound (Eq. 2)"].get_linestyle() == "--"
        assert np.array_equal(lines["sum-rule bound (Eq. 15)"].get_ydata(), panel.sum_rule_bound)


def test_figures_scale_to_the_model_unit():
    # omega0 = 2: the drawn curves are in units of omega0 and equal the omega0 = 1 ones
    # (J scales as omega0^2 and kappa as omega0 at fixed T/omega0 and omega_c/omega0)
    t = np.array([0.1, 1.0, 10.0])
    one = plot_figure3(figure3_data(temperature=t))
    two = plot_figure3(figure3_data(temperature=2 * t, omega0=2.0, omega_c=20.0))
    for label, line in lines_by_label(one.axes[0]).items():
        other = lines_by_label(two.axes[0])[label]
        assert np.allclose(line.get_xdata(), other.get_xdata(), rtol=1e-13)
        assert np.allclose(line.get_ydata(), other.get_ydata(), rtol=1e-9), label
    table = figure3_table(figure3_data(temperature=2 * t, omega0=2.0, omega_c=20.0))
    assert np.allclose(table.column("T"), t) and np.allclose(table.column("kappa_Q"), np.pi * t / 6)


def test_figure4_draws_the_qmc_bound_band_and_the_weak_coupling_curves(tmp_path):
    data = figure4_data(
        t_min=0.2,
        t_max=2.0,
        n_temperatures=3,
        tolerance=5e-3,
        seed=5,
        cache_dir=tmp_path,
        kappa_t_min=None,
    )
    ax = plot_figure4(data).axes[0]
    lines = lines_by_label(ax)
    qmc = next(line for label, line in lines.items() if "QMC" in label)
    assert np.array_equal(qmc.get_ydata(), data.bound_qmc)
    assert any("tanh" in label for label in lines) and any("e^{-" in label for label in lines)
    assert not any("HEOM" in label for label in lines)  # no exact kappa computed
    assert len(ax.collections) == 1  # the +-2 stderr band
    assert [t.get_text() for t in ax.texts] == ["$T_K$"]
    csv = to_csv(figure4_table(data)).splitlines()
    assert csv[5].startswith("T,sigma_x_qmc,sigma_x_qmc_stderr,qmc_converged,bound_eq18_qmc")
    assert csv[5].endswith(",kappa_exact_heom,kappa_exact_heom_error,kappa_exact_heom_converged")
    assert len(csv) == 6 + 3
    assert float(csv[6].split(",")[1]) == pytest.approx(data.sigma_x_qmc[0], rel=0, abs=0)
    assert csv[6].endswith(",nan,nan,nan")


def test_figure4_draws_the_converged_exact_kappa_dotted_with_its_band(tmp_path, monkeypatch):
    pytest.importorskip("qutip")
    from heatbounds.numeric import heom_susceptibility

    class Result:  # kappa = T / 100 +- T / 1000; T = 2 not converged
        def __init__(self, temperature):
            self.temperature = temperature

        def to_dict(self):
            t = self.temperature
            return {"temperature": t, "kappa": t / 100, "kappa_error": t / 1000,
                    "converged": t < 1.5, "note": "", "history": [], "seconds": 0.0}  # fmt: skip

    monkeypatch.setattr(heom_susceptibility, "spin_boson_conductance",
                        lambda temperature, **kwargs: Result(temperature))  # fmt: skip
    data = figure4_data(t_min=0.5, t_max=2.0, n_temperatures=3, tolerance=5e-3, seed=5,
                        kappa_stride=1, cache_dir=tmp_path)  # fmt: skip
    ax = plot_figure4(data).axes[0]
    (label,) = [label for label in lines_by_label(ax) if "HEOM" in label]
    exact = lines_by_label(ax)[label]
    assert exact.get_linestyle() == ":" and exact.get_color() == "black"  # the paper's style
    assert np.allclose(exact.get_xdata(), [0.5, 1.0]) and np.allclose(
        exact.get_ydata(), [5e-3, 1e-2]
    )
    assert "0.5" in label  # the lowest temperature drawn
    assert len(ax.collections) == 2  # the QMC bound's band and kappa's
    band = ax.collections[1].get_paths()[0].vertices
    assert band[:, 1].min() == pytest.approx(0.0045) and band[:, 1].max() == pytest.approx(0.011)
