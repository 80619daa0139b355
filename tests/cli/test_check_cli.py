"""Tests of ``heatbounds check`` (heatbounds/commands/check.py): the JSON contract,
the text form, the exit statuses, SI units and the harmonic f-sum comparison."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import scipy.constants

ROOT = Path(__file__).resolve().parents[2]

ROW_KEYS = {"moment", "pair", "symbolic", "spectral", "abs_error"}


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
    ],
)
def test_refusals_exit_2_naming_the_problem(run, argv, message):
    status, out, err = run("check", *argv)
    assert status == 2 and out == ""
    assert err.startswith("heatbounds check: error:") and message in err
