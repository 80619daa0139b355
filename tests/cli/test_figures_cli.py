"""``heatbounds figures``: files, CSV columns against their formulas, JSON, refusals."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
from pathlib import Path

import numpy as np
import pytest
from kondo import FIGURE4_KONDO_TEMPERATURE

from heatbounds.commands.figures import QUICK_FIGURE4

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def read_csv(path) -> tuple[list[str], dict[str, np.ndarray]]:
    """(comment lines, {column: values}) of a figure CSV."""
    lines = path.read_text().splitlines()
    comments = [line[2:] for line in lines if line.startswith("# ")]
    rows = list(csv.reader(io.StringIO("\n".join(lines[len(comments) :]))))
    header, body = rows[0], np.array(rows[1:], dtype=float)
    return comments, {name: body[:, i] for i, name in enumerate(header)}


@pytest.fixture
def cache(tmp_path, monkeypatch):
    directory = tmp_path / "cache"
    monkeypatch.setenv("HEATBOUNDS_CACHE_DIR", str(directory))
    return directory


@pytest.fixture(scope="module")
def figure4_run(tmp_path_factory):
    """One quick Figure 4 run shared by the tests that read it (a few seconds of QMC)."""
    from heatbounds import cli

    out = tmp_path_factory.mktemp("figure4")
    printed = io.StringIO()
    mp = pytest.MonkeyPatch()
    mp.setenv("HEATBOUNDS_CACHE_DIR", str(out / "cache"))
    try:
        with contextlib.redirect_stdout(printed):
            status = cli.main(["figures", "--out", str(out), "--only", "4", "--quick", "--json"])
    finally:
        mp.undo()
    return status, out, printed.getvalue()


def test_figures_2_and_3_write_png_and_csv_with_the_formulas(run_command, tmp_path, cache):
    status, out, err = run_command("figures", "--out", str(tmp_path), "--only", "3,2")
    assert status == 0 and err == ""
    names = ["figure2.png", "figure2.csv", "figure3.png", "figure3.csv"]
    assert out.split() == [str(tmp_path / n) for n in names]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)
    for name in ("figure2.png", "figure3.png"):
        data = (tmp_path / name).read_bytes()
        assert data.startswith(PNG_MAGIC) and len(data) > 20_000
    assert not cache.exists()  # nothing of Figure 4 ran

    comments, c = read_csv(tmp_path / "figure3.csv")
    assert "alpha_L = 0.4, alpha_R = 0.4, gamma = 1, omega_c = 10" in comments[1]
    t = c["T"]
    assert t.size == 200 and t[0] == pytest.approx(1e-2) and t[-1] == pytest.approx(1e2)
    assert np.allclose(c["kappa_Q"], math.pi * t / 6, rtol=1e-14)
    assert np.allclose(c["sum_rule_bound_eq10"], math.pi * 0.8 / 4, rtol=1e-14)  # Eq. 10
    # the exact conductance obeys both bounds; it nears kappa_Q at low T and the
    # sum-rule bound at high T (Fig. 3's message)
    assert np.all(c["kappa_exact"] <= c["kappa_Q"]) and np.all(
        c["kappa_exact"] <= c["sum_rule_bound_eq10"]
    )
    assert c["kappa_exact"][-1] / c["sum_rule_bound_eq10"][-1] > 0.7
    # the printed Eq. 14 misses the f-sum rule (m = 0.81 omega_0 at alpha = 0.8)
    assert "exact = 1," in comments[3] and "paper = 0.81" in comments[3]

    _, c = read_csv(tmp_path / "figure2.csv")
    for panel, t_right in ((0, 0.1), (1, 3.0)):
        rows = c["panel"] == panel
        dt, tr = c["T_L_minus_T_R"][rows], c["T_R"][rows]
        assert np.all(tr == t_right) and dt[0] == 0 and dt[-1] == pytest.approx(t_right)
        tl = tr + dt
        assert np.allclose(c["ballistic_bound_eq2"][rows], math.pi / 12 * (tl**2 - tr**2))
        assert np.allclose(c["sum_rule_bound_eq15"][rows], math.pi * 0.8 / 4 * dt)  # Eq. 15
        exact = c["J_exact"][rows]
        assert exact[0] == 0 and np.all(exact[1:] > 0)
        assert np.all(exact <= c["ballistic_bound_eq2"][rows] * (1 + 1e-12))
        assert np.all(exact <= c["sum_rule_bound_eq15"][rows] * (1 + 1e-12))


def test_figure4_quick_run_and_its_json(figure4_run):
    status, out, printed = figure4_run
    assert status == 0
    report = json.loads(printed)
    assert report["files"] == [str(out / "figure4.png"), str(out / "figure4.csv")]
    tk = report["figure4"]["kondo_temperature"]
    assert tk == pytest.approx(FIGURE4_KONDO_TEMPERATURE, rel=1e-12)
    assert report["figure4"]["qmc_converged"] is True
    assert report["figure4"]["cache_file"].startswith(str(out / "cache"))

    _, c = read_csv(out / "figure4.csv")
    t = c["T"]
    assert t.size == QUICK_FIGURE4["n_temperatures"]
    assert np.allclose(t, np.geomspace(0.05, 10.0, t.size))
    a = 0.2
    assert np.all(c["sigma_x_qmc_stderr"] <= QUICK_FIGURE4["tolerance"])
    assert np.allclose(c["bound_eq18_qmc"], math.pi * a / 4 * -c["sigma_x_qmc"], rtol=1e-14)
    assert np.allclose(c["bound_eq18_weak_coupling"], math.pi * a / 4 * np.tanh(0.5 / t))
    br = math.pi / 8 * a / t**2 / np.sinh(1 / t)
    assert np.allclose(c["kappa_bloch_redfield"], br, rtol=1e-12)
    assert np.allclose(c["kappa_bloch_redfield_finite_cutoff"], br * math.exp(-0.1))
    # below a few Delta the exact <sigma_x> is smaller in magnitude than the
    # weak-coupling value by many error bars (bath renormalisation of Delta); at
    # T = omega_c = 10 Delta the two agree within the error bars
    gap = c["bound_eq18_weak_coupling"] - c["bound_eq18_qmc"]
    low = t < 3.0
    assert np.all(gap[low] > 5 * c["bound_eq18_qmc_stderr"][low])
    assert abs(gap[-1]) < 3 * c["bound_eq18_qmc_stderr"][-1]
    violations = report["figure4"]["violation_temperatures"]
    assert violations == t[c["kappa_bloch_redfield"] > c["bound_eq18_qmc"]].tolist()
    assert min(violations) < 1.0 < max(violations)


def test_same_data_gives_the_same_bytes(run_command, tmp_path, cache):
    for name in ("a", "b"):
        assert run_command("figures", "--out", str(tmp_path / name), "--only", "3")[0] == 0
    for name in ("figure3.png", "figure3.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_steps_are_shown_on_a_terminal_only(run_command, tmp_path, monkeypatch, cache):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert run_command("figures", "--out", str(tmp_path), "--only", "2")[0] == 0
    assert terminal.getvalue().startswith("Figure 2 ...") and " s)\n" in terminal.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--only", "5"], "--only: '5' is not one of the figures 2, 3, 4, electronic"),
        (["--only", "2,x"], "--only: 'x' is not one of the figures 2, 3, 4, electronic"),
        (["--seed", "-1"], "--seed: '-1' must be a non-negative integer"),
    ],
)
def test_refusals_exit_2_and_write_nothing(run_command, tmp_path, cache, args, message):
    out = tmp_path / "out"
    status, stdout, err = run_command("figures", "--out", str(out), *args)
    assert status == 2 and stdout == ""
    assert err == f"heatbounds figures: error: {message}\n"
    assert not out.exists() and not cache.exists()


def test_an_output_path_that_is_a_file_is_refused(run_command, tmp_path, cache):
    target = tmp_path / "taken"
    target.write_text("keep me")
    status, _, err = run_command("figures", "--out", str(target), "--only", "3")
    assert status == 2 and "--out:" in err and "is not a directory" in err
    assert target.read_text() == "keep me"


def test_electronic_figure_columns_are_their_formulas_and_the_bound_holds(
    run_command, tmp_path, cache
):
    from heatbounds.numeric.electronic_bounds import fermi_window_maximum
    from heatbounds.numeric.resonant_level import ResonantLevel, heat_conductance

    status, out, err = run_command(
        "figures", "--out", str(tmp_path), "--only", "electronic", "--json"
    )
    assert status == 0 and err == ""
    report = json.loads(out)
    png, table = tmp_path / "figure-electronic.png", tmp_path / "figure-electronic.csv"
    assert report["files"] == [str(png), str(table)]
    assert png.read_bytes().startswith(PNG_MAGIC)
    comments, columns = read_csv(table)
    assert any("eps0 - mu = 1" in line for line in comments)
    _, c0 = fermi_window_maximum()
    gamma, t = columns["Gamma"], columns["T"]
    assert sorted(set(gamma)) == [0.1, 2.0]
    np.testing.assert_allclose(columns["kappa_bound"], c0 * gamma / 4, rtol=1e-12)  # Gamma_eff
    np.testing.assert_allclose(columns["kappa_quantum"], math.pi**2 * t / (3 * 2 * math.pi))
    for row in (0, 20, 60):  # the exact kappa, recomputed
        level = ResonantLevel(1.0, gamma[row] / 2, gamma[row] / 2)
        assert columns["kappa_exact"][row] == pytest.approx(heat_conductance(level, t[row]))
    ratio = columns["kappa_exact"] / columns["kappa_bound"]
    assert np.all(ratio <= 1) and report["electronic"]["bound_holds"] is True
    sharp = ratio[gamma == 0.1]
    assert report["electronic"]["max_tightness"]["0.1"] == pytest.approx(sharp.max())
    assert 0.9 < sharp.max() < 1  # a sharp level nearly touches it, near T = 1/x*
    assert t[gamma == 0.1][np.argmax(sharp)] == pytest.approx(1 / 2.3994, rel=0.1)
    # the caption on the figures page quotes these numbers
    caption = (Path(__file__).resolve().parents[2] / "docs" / "figures.md").read_text()
    caption = caption[caption.index("## The electronic figure") :]
    assert f"comes to {sharp.max():.3f} of it" in caption
    assert f"near $k_B T = {t[gamma == 0.1][np.argmax(sharp)]:.2f}$" in caption
    assert f"broad level reaches {ratio[gamma == 2.0].max():.2f}" in caption
