"""Fermionic models on the command line: models/anderson-dot.toml and models/resonant-level.toml."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest
import sympy as sp
from contracts import DERIVE_JSON_KEYS

from heatbounds.model_files import load_model
from heatbounds.numeric.electronic_bounds import heat_conductance_bound
from heatbounds.symbolic.fermion_derivation import derive_fermion

MODELS = Path(__file__).resolve().parents[2] / "models"
FERMION_FILES = ["anderson-dot", "resonant-level"]


def path_of(name: str) -> str:
    return str(MODELS / f"{name}.toml")


@pytest.mark.parametrize("name", FERMION_FILES)
@pytest.mark.parametrize("moment", [0, 2])
def test_derive_json_keeps_the_contract_and_adds_statistics(run_command, name, moment):
    status, out, err = run_command(
        "derive", path_of(name), "--format", "json", "--moment", str(moment)
    )
    assert status == 0, err
    data = json.loads(out)
    assert set(data) == DERIVE_JSON_KEYS | {"statistics"} and data["statistics"] == "fermion"
    assert data["model"] == name and data["moment"] == moment
    derived = derive_fermion(load_model(path_of(name)), moment)
    listed = set(data["parameters"]) | set(data["expectations"])
    for key in ("sum_rule", "current_bound", "conductance_bound"):
        parsed = sp.sympify(data[key]["sympy"])  # our own JSON, read back in the test
        assert {s.name for s in parsed.free_symbols} - {"p", "q"} <= listed, key
        assert data[key]["sympy"] == str(getattr(derived, key)) and data[key]["latex"]
    assert "Gamma_L" in data["parameters"] and "mu" in data["parameters"]


def test_derive_text_gives_the_anderson_first_moment(run_command):
    status, out, _ = run_command("derive", path_of("anderson-dot"), "--moment", "1")
    assert status == 0
    assert "U*d_dndag_d_dn/hbar + U*d_updag_d_up/hbar + 2*eps_d/hbar" in out
    assert "statistics: fermion" in out


def test_derive_latex_is_three_aligned_equations(run_command):
    status, out, _ = run_command("derive", path_of("resonant-level"), "--format", "latex")
    assert status == 0
    assert out.startswith("\\begin{align}") and out.count("\\\\") == 2
    assert "\\mu^{(0)}" in out and "c_{0}" in out


@pytest.mark.parametrize("name", FERMION_FILES)
def test_check_passes_with_discretised_leads(run_command, name):
    status, out, err = run_command(
        "check",
        path_of(name),
        "--json",
        "--moments",
        "0,1,2,3",
        "--set",
        "eps_" + ("d=-0.3" if name == "anderson-dot" else "0=0.4"),
    )
    assert status == 0, err
    data = json.loads(out)
    assert data["passed"] and data["statistics"] == "fermion"
    assert data["max_rel_error"] < 1e-12 and {r["moment"] for r in data["rows"]} == {0, 1, 2, 3}


def test_check_refuses_bad_options(run_command):
    model = path_of("anderson-dot")
    for argv, message in (
        (("--moments", "0,x"), "--moments: 'x' is not an integer k >= 0"),
        (("--lead-modes", "0"), "--lead-modes: must be >= 1"),
        (("--set", "U=-1"), "--set U = -1.0: must be >= 0"),
        (("--bath-modes", "2"), "use --lead-modes"),
        (("--units", "si"), "reduced units only"),
    ):
        status, _, err = run_command("check", model, *argv)
        assert status == 2 and message in err, (argv, err)


def test_emit_writes_a_module_of_the_bounds(run_command, tmp_path):
    target = tmp_path / "anderson_bounds.py"
    status, out, err = run_command("emit", path_of("anderson-dot"), "-o", str(target))
    assert status == 0 and out == "", err
    spec = importlib.util.spec_from_file_location(target.stem, target)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    kappa = module.conductance_bound(Gamma_L=0.2, Gamma_R=0.2)
    assert np.isclose(kappa, heat_conductance_bound(2 * 0.1), rtol=1e-14)  # two spins
    assert "heatbounds emit" in target.read_text() and "--units reduced" in target.read_text()


TRANSPORT = ("--t-left", "1", "--t-right", "0.5", "--alpha-l", "0.1", "--alpha-r", "0.1")


@pytest.mark.parametrize(
    ("command", "options"), [("transport", (*TRANSPORT, "--omega-c", "5")), ("latex", ())]
)
def test_commands_for_boson_baths_refuse_a_fermionic_model(run_command, command, options):
    status, _, err = run_command(command, path_of("resonant-level"), *options)
    assert status == 2
    assert "a fermionic model" in err and f"heatbounds {command} takes models with boson" in err
