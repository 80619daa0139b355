"""``heatbounds models`` and ``heatbounds derive``: the JSON contract, text, refusals."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import sympy as sp
from contracts import DERIVE_JSON_KEYS
from sympy.core.function import AppliedUndef

from heatbounds.cli import main
from heatbounds.symbolic.models import BUILTIN_MODELS

BUILTIN_NAMES = {
    "hbar",
    "k_B",
    "omega0",
    "Delta",
    "omega_c",
    "alpha_L",
    "alpha_R",
    "T",
    "T_L",
    "T_R",
}


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_models_lists_every_builtin(capsys):
    code, out, _ = run(capsys, "models")
    assert code == 0
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == list(BUILTIN_MODELS)
    assert "Eq. 16" in next(line for line in lines if line.startswith("spin-boson "))
    code, out, _ = run(capsys, "models", "--json")
    assert code == 0
    listing = json.loads(out)
    assert listing == [{"name": n, "description": d} for n, (_, d) in BUILTIN_MODELS.items()]
    for entry in listing:  # every listed name is a MODEL the other commands accept
        assert run(capsys, "derive", entry["name"], "--format", "json")[0] == 0


def test_models_refuses_arguments(capsys):
    with pytest.raises(SystemExit) as refused:
        main(["models", "spin-boson"])
    assert refused.value.code == 2
    assert "unrecognized arguments: spin-boson" in capsys.readouterr().err


@pytest.mark.parametrize("model", list(BUILTIN_MODELS))
@pytest.mark.parametrize("moment", [1, 3])
def test_json_contract(capsys, model, moment):
    if moment == 3 and model in ("n-level", "three-level"):
        pytest.skip("covered at s = 1; the s = 3 tensor sums are large")
    code, out, _ = run(capsys, "derive", model, "--moment", str(moment), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == DERIVE_JSON_KEYS
    assert data["model"] == model
    assert data["moment"] == moment
    assert "Eq. 7" in data["convention"]
    listed = set(data["parameters"]) | set(data["expectations"])
    for key in ("sum_rule", "current_bound", "conductance_bound"):
        entry = data[key]
        assert set(entry) == {"sympy", "latex"}
        parsed = sp.sympify(entry["sympy"])
        for sym in parsed.free_symbols:
            assert sym.name.isidentifier() and sym.name in listed, (key, sym)
        for fn in parsed.atoms(AppliedUndef):
            assert type(fn).__name__ in listed, (key, fn)
        assert (entry["latex"] and "\\" in entry["latex"]) or entry["latex"]
    assert all(isinstance(v, str) and v for v in data["parameters"].values())
    used = {name for name in data["parameters"] if name in BUILTIN_NAMES}
    assert {"hbar", "k_B", "alpha_L", "alpha_R"} <= used


def test_spin_boson_json_values(capsys):
    _, out, _ = run(capsys, "derive", "spin-boson", "--format", "json")
    data = json.loads(out)
    sx, Delta, hbar = sp.symbols("sigma_x Delta hbar")
    aL, aR, kB, TL, TR = sp.symbols("alpha_L alpha_R k_B T_L T_R")
    assert sp.simplify(sp.sympify(data["sum_rule"]["sympy"]) + Delta * sx / hbar) == 0
    eq17 = sp.pi * 4 * aL * aR / (aL + aR) / 4 * kB * (TL - TR) * (-Delta * sx)
    assert sp.simplify(sp.sympify(data["current_bound"]["sympy"]) - eq17) == 0
    assert sp.simplify(sp.sympify(data["conductance_bound"]["sympy"]) - eq17 / (TL - TR)) == 0
    assert "sigma_x" in data["expectations"]
    assert r"\langle \hat{\sigma}_{x} \rangle" in data["sum_rule"]["latex"]
    assert r"\alpha" in data["conductance_bound"]["latex"]
    assert r"\gamma" in data["conductance_bound"]["latex"]


def test_text_form_on_the_spin_boson(capsys):
    code, out, _ = run(capsys, "derive", "spin-boson")
    assert code == 0
    assert "-Delta*sigma_x/hbar" in out
    assert "Eq. 9" in out and "Eq. 10" in out


def test_text_form_states_the_current_bound_for_either_order(capsys):
    """Fix 1: Eq. 9 is for T_L >= T_R; the text adds the |J_Q| form with |T_L - T_R|."""
    code, out, _ = run(capsys, "derive", "spin-boson")
    assert code == 0
    assert "current bound (Eq. 9), for T_L >= T_R: J_Q <=\n" in out
    assert "for either order |J_Q| <= the same with |T_L - T_R|" in out
    code, out, _ = run(capsys, "derive", "spin-boson", "--format", "json")
    current = json.loads(out)["current_bound"]  # the contract keeps Eq. 9's form
    assert "Abs" not in current["sympy"] and "T_L" in current["sympy"]


def test_latex_form_has_labelled_equations(capsys):
    code, out, _ = run(capsys, "derive", "harmonic", "--format", "latex")
    assert code == 0
    assert out.count("\\begin{equation}") == 3
    assert "\\label{eq:harmonic-sum-rule}" in out
    assert "\\omega_{0}" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["derive", "nonsense"], "unknown model 'nonsense'"),
        (["derive", "spin-boson", "--moment", "2"], "even moment s = 2"),
        (["derive", "spin-boson", "--moment", "0"], "odd integer s >= 1"),
    ],
)
def test_refusals_exit_2_with_a_message(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert message in err and "Traceback" not in err


def test_derivation_is_deterministic(capsys):
    _, first, _ = run(capsys, "derive", "three-level", "--format", "json")
    _, second, _ = run(capsys, "derive", "three-level", "--format", "json")
    assert first == second


def test_console_script_runs():
    result = subprocess.run(
        [sys.executable, "-m", "heatbounds", "derive", "spin-boson", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(result.stdout)["model"] == "spin-boson"


def test_indexed_expectations_are_described_by_their_family(capsys):
    # The sum rule uses A_b_L at several index values (A_b_L(1, 3, p), ...); the
    # glossary names the function and its arguments, not one arbitrary instance.
    code, out, _ = run(capsys, "derive", "three-level", "--format", "json")
    assert code == 0
    data = json.loads(out)
    glossary = data["expectations"]
    assert glossary["A_b_L"].startswith("A_b_L(a, b, p) = <A[a,b] b[L,p]>: expectation value")
    assert glossary["A_bdag_R"].startswith("A_bdag_R(a, b, p) = <A[a,b] b^dag[R,p]>:")
    assert glossary["A_2_2"].startswith("<A[2,2]>: expectation value")
    used = {str(f.func) for f in sp.sympify(data["sum_rule"]["sympy"]).atoms(AppliedUndef)}
    assert {"A_b_L", "A_bdag_L", "A_b_R", "A_bdag_R"} <= used
