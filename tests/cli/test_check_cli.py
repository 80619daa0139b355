"""Tests of ``heatbounds check`` (heatbounds/commands/check.py): the JSON contract,
the text form, the exit statuses, SI units and the harmonic f-sum comparison."""

from __future__ import annotations

import io
import json
import math
import re
import sys
from pathlib import Path

import pytest
import scipy.constants
import sympy

from heatbounds.numeric.errors import NumericInputError

ROOT = Path(__file__).resolve().parents[2]

ROW_KEYS = {"moment", "pair", "symbolic", "spectral", "abs_error", "rel_error"}
JAYNES_CUMMINGS = str(ROOT / "tests" / "data" / "jaynes-cummings.toml")


@pytest.fixture
def run(run_command):
    return run_command


def test_json_contract_and_the_emitted_module_does_the_symbolic_side(run):
    status, out, err = run("check", "spin-boson", "--bath-modes", "1", "--json")
    assert status == 0, err
    data = json.loads(out)
    assert {"model", "state", "rows", "max_abs_error", "passed"} <= set(data)
    assert data["model"] == "spin-boson" and data["passed"] is True
    assert data["state"]["kind"] == "thermal" and data["state"]["temperature"] == 0.5
    assert data["state"]["evaluated_by"] == "emitted NumPy module (reduced units)"
    assert [r["moment"] for r in data["rows"]] == [1, 3]
    for row in data["rows"]:
        assert set(row) >= ROW_KEYS and row["pair"] == "z,z"
        assert abs(row["symbolic"] - row["spectral"]) == pytest.approx(row["abs_error"])
    # Eq. 17 in a finite model: m1 = -Delta <sigma_x> with <sigma_x> < 0 at T = 0.5.
    assert 0 < data["rows"][0]["spectral"] < 1
    assert data["max_abs_error"] == max(r["abs_error"] for r in data["rows"])
    assert data["max_abs_error"] < 1e-12


def test_set_changes_the_parameter_and_the_moment(run):
    _, base, _ = run("check", "spin-boson", "--moments", "1", "--json")
    status, out, _ = run("check", "spin-boson", "--moments", "1", "--set", "Delta=2.5", "--json")
    assert status == 0
    data, before = json.loads(out), json.loads(base)
    assert data["parameters"]["Delta"] == 2.5
    # Spin alone: m1 = Delta tanh(Delta / 2T).
    assert data["rows"][0]["spectral"] == pytest.approx(2.5 * math.tanh(2.5))
    assert data["rows"][0]["spectral"] != before["rows"][0]["spectral"]


def test_si_units_pass_through_the_si_module(run):
    status, out, err = run("check", "spin-boson", "--units", "si", "--bath-modes", "1", "--json")
    assert status == 0, err
    data = json.loads(out)
    assert data["units"] == "si" and data["passed"]
    assert data["state"]["evaluated_by"] == "emitted NumPy module (si units)"
    _, reduced, _ = run("check", "spin-boson", "--bath-modes", "1", "--json")
    # Same state in other units: m^(s) scales as omega^s / hbar (omega = 1e12 rad/s).
    for si, red in zip(data["rows"], json.loads(reduced)["rows"], strict=True):
        scale = 1e12 ** si["moment"] / scipy.constants.hbar
        assert si["spectral"] == pytest.approx(red["spectral"] * scale, rel=1e-9)
        assert si["symbolic"] == pytest.approx(red["symbolic"] * scale, rel=1e-9)


def test_si_check_of_a_model_file_scales_its_parameters_by_their_dimensions(run):
    # The Kerr U is an energy (read off H_s): in SI its default is 0.1 hbar omega,
    # so the SI check describes the same state as the reduced one.
    kerr = str(ROOT / "models" / "kerr.toml")
    status, out, err = run("check", kerr, "--units", "si", "--moments", "1,3", "--json")
    assert status == 0, err
    data = json.loads(out)
    energy = scipy.constants.hbar * 1e12
    assert data["parameters"]["U"] == pytest.approx(0.1 * energy, rel=1e-15)
    assert data["parameters"]["omega0"] == pytest.approx(1e12, rel=1e-15)
    _, reduced, _ = run("check", kerr, "--moments", "1,3", "--json")
    for si, red in zip(data["rows"], json.loads(reduced)["rows"], strict=True):
        scale = 1e12 ** si["moment"] / scipy.constants.hbar
        assert si["symbolic"] == pytest.approx(red["symbolic"] * scale, rel=1e-9)
        assert si["spectral"] == pytest.approx(red["spectral"] * scale, rel=1e-9)


def test_text_form_of_the_harmonic_junction_shows_which_chi_meets_the_f_sum(run):
    status, out, _ = run("check", "harmonic", "--moments", "1", "--boson-levels", "30")
    assert status == 0
    assert out.rstrip().endswith("PASSED")
    lines = [line for line in out.splitlines() if line.startswith("continuum f-sum")]
    assert [line.split(",")[0] for line in lines] == ["continuum f-sum"] * 3
    assert "alpha = 0.8" in lines[0] and "misses omega0 by -18.95 %" in lines[0]
    assert "alpha = 0.05" in lines[1] and "alpha = 0.2" in lines[2]


def test_a_state_at_the_boson_cutoff_exits_1(run):
    status, out, _ = run(
        "check", "anharmonic", "--temperature", "3", "--boson-levels", "12", "--json"
    )
    assert status == 1
    data = json.loads(out)
    assert data["passed"] is False and any("cutoff" in n for n in data["notes"])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["spin-boson", "--moments", "2"], "--moments: '2' is not an odd integer"),
        (["spin-boson", "--set", "Delta"], "--set: expected NAME=VALUE"),
        (["spin-boson", "--set", "omega0=1"], "unknown parameter 'omega0'"),
        (["spin-boson", "--set", "Delta=nan"], "--set Delta"),
        (["spin-boson", "--temperature", "-1"], "--temperature"),
        (["spin-boson", "--boson-levels", "1"], "--boson-levels: must be >= 2"),
        (["spin-boson", "--bath-modes", "-1"], "--bath-modes: must be >= 0"),
        (["no-such-model"], "no-such-model"),
        (["spin-boson", "--set", "Delta=-1"], "--set Delta: must be > 0 (Delta is a positive"),
        (["spin-boson", "--set", "omega_c=0"], "--set omega_c: must be > 0"),
        (["spin-boson", "--set", "alpha_L=-1"], "--set alpha_L: must be >= 0"),
        (["spin-boson", "--set", "alpha_L=-1", "--bath-modes", "1"], "--set alpha_L: must be >="),
        (
            ["spin-boson", "--set", "alpha_L=0", "--set", "alpha_R=0"],
            "--set alpha_L, --set alpha_R: alpha_L + alpha_R must be > 0",
        ),
        ([JAYNES_CUMMINGS, "--set", "Delta=0"], "--set Delta: must be > 0"),
        (
            ["harmonic", "--boson-levels", "100000"],
            "--boson-levels 100000, --bath-modes 0, --bath-levels 10: the Hilbert space has "
            "dimension 100000; the dense Hamiltonian, its eigenvectors and the spectral arrays "
            "need 1639.3 GiB, more than the",
        ),
        (
            ["harmonic", "--bath-modes", "50"],
            "--bath-modes 50, --bath-levels 10: the Hilbert space has dimension 2.40e+101;",
        ),
        (["n-level"], "model 'n-level' has a symbolic number of levels N_levels"),
    ],
)
def test_refusals_exit_2_naming_the_problem(run, argv, message):
    status, out, err = run("check", *argv)
    assert status == 2 and out == ""
    assert err.startswith("heatbounds check: error:") and message in err
    assert err.count("\n") == 1  # one line, no traceback


def test_the_memory_available_decides(run, monkeypatch):
    from heatbounds.numeric import check_limits

    monkeypatch.setattr(check_limits, "available_memory", lambda: 2**20)  # 1 MiB
    status, out, err = run("check", "spin-boson", "--bath-modes", "1")
    assert status == 2 and out == ""
    assert "dimension 200; " in err and "more than the 0.000977 GiB of memory available" in err


def test_si_report_shows_relative_errors_next_to_the_huge_absolute_ones(run):
    status, out, err = run("check", "spin-boson", "--units", "si", "--bath-modes", "1", "--json")
    assert status == 0, err
    data = json.loads(out)
    assert data["max_rel_error"] == max(r["rel_error"] for r in data["rows"]) < 1e-10
    for s in (1, 3):
        rows = [r for r in data["rows"] if r["moment"] == s]
        scale = max(abs(r["spectral"]) for r in rows)
        for row in rows:
            assert row["rel_error"] == pytest.approx(row["abs_error"] / scale, rel=1e-12)
    status, text, _ = run("check", "spin-boson", "--units", "si", "--bath-modes", "1")
    lines = text.splitlines()
    assert lines[1].split()[-2:] == ["|error|", "relative"]
    assert [float(line.split()[-1]) for line in lines[2:4]] == pytest.approx(
        [r["rel_error"] for r in data["rows"]], rel=1e-2, abs=1e-300
    )
    summary = next(line for line in lines if line.startswith("max |error|"))
    assert f"max relative error = {data['max_rel_error']:.3e}" in summary


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_step_lines_on_a_terminal_only(run, monkeypatch):
    status, out, err = run("check", JAYNES_CUMMINGS, "--json")
    assert status == 0 and err == ""  # not a terminal: no step lines
    assert json.loads(out)["passed"] is True
    tty = Tty()
    monkeypatch.setattr(sys, "stderr", tty)
    status, out, _ = run("check", JAYNES_CUMMINGS, "--json")
    assert status == 0 and json.loads(out)["passed"] is True  # stdout stays clean
    lines = tty.getvalue().splitlines()
    assert lines[0].startswith("building the 48-dimensional Hamiltonian ... done (")
    assert lines[1].startswith("diagonalising the 48-dimensional Hamiltonian ... done (")
    assert any(line.startswith("deriving the s = 3 sum rule m_A1,A1 ... done") for line in lines)
    assert lines[-1].startswith(
        "computing the spectral lines of 1 pair(s) (convergence check, 32 boson levels) ... done"
    )
    assert all(re.search(r" \.\.\. done \(\d+\.\d s\)$", line) for line in lines)


def test_a_refusal_on_a_terminal_starts_its_own_line(run, monkeypatch):
    def refuse(hamiltonian):
        raise NumericInputError("the Hamiltonian matrix is not Hermitian")

    tty = Tty()
    monkeypatch.setattr(sys, "stderr", tty)
    monkeypatch.setattr("heatbounds.numeric.spectral_check.eigensystem", refuse)
    status, out, _ = run("check", "spin-boson")
    assert status == 2 and out == ""
    assert tty.getvalue().endswith(
        "diagonalising the 2-dimensional Hamiltonian ...\n"
        "heatbounds check: error: the Hamiltonian matrix is not Hermitian\n"
    )


FERMION_DOT = r"""
name = "spinful-dot"
description = "two fermion modes with a Hubbard U, coupled through n_up"

[operators]
d_up = "fermion"
d_dn = "fermion"

[parameters]
eps = "real"
U = "real"
tau = "real"

[model]
hamiltonian = '''hbar*(eps*(dag(d_up)*d_up + dag(d_dn)*d_dn) + U*dag(d_up)*d_up*dag(d_dn)*d_dn
    + tau*(dag(d_up)*d_dn + dag(d_dn)*d_up))'''
coupling = ["dag(d_up)*d_up"]
"""


def test_a_model_with_fermions_derives_and_passes_the_jordan_wigner_check(tmp_path, run_command):
    """Fermion modes in a model file (issue 14): [n_up, [H, n_up]] by the algebra, and every
    moment against Jordan-Wigner matrices in the thermal state."""
    model = tmp_path / "dot.toml"
    model.write_text(FERMION_DOT)
    status, out, err = run_command("derive", str(model), "--format", "json")
    assert status == 0, err
    rule = sympy.sympify(json.loads(out)["sum_rule"]["sympy"])
    tau, hbar = sympy.Symbol("tau"), sympy.Symbol("hbar")
    up_dn, dn_up = sympy.Symbol("d_updag_d_dn"), sympy.Symbol("d_dndag_d_up")
    assert sympy.simplify(rule - (-tau * (up_dn + dn_up) / (2 * hbar))) == 0
    argv = ["check", str(model), "--set", "eps=0.3", "--set", "U=2", "--set", "tau=0.7"]
    status, out, err = run_command(*argv, "--moments", "1,3,5", "--json")
    assert status == 0, err
    rows = json.loads(out)["rows"]
    assert [r["moment"] for r in rows] == [1, 3, 5]
    assert all(abs(r["spectral"]) > 0.1 and r["rel_error"] < 1e-12 for r in rows)
