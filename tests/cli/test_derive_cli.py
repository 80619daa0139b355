"""``heatbounds models`` and ``heatbounds derive``: the JSON contract, text, refusals."""

from __future__ import annotations

import json
import os
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


def _text_block(out: str, header: str) -> str:
    """The indented expression line after ``header`` in the text form."""
    lines = out.splitlines()
    return lines[next(i for i, line in enumerate(lines) if line.startswith(header)) + 1].strip()


def test_text_form_is_compact_on_the_three_level_model(capsys):
    """Issue 13 item 2: b and b^dag enter as X = b + b^dag, one Sum per bath."""
    code, out, _ = run(capsys, "derive", "three-level")
    assert code == 0
    from heatbounds.symbolic.derivation import derive

    flat = derive(BUILTIN_MODELS["three-level"][0]())
    flat_length = sum(
        len(str(e)) for e in (flat.sum_rule, flat.current_bound, flat.conductance_bound)
    )
    assert 3 * len(out) <= flat_length  # the flat text was longer still (its glossary)
    assert "A_b_L" not in out and "A_bdag_R" not in out
    rule = _text_block(out, "sum rule (moment s = 1")
    assert rule.count("Sum(") == 2
    glossary = out.split("expectation values:\n")[1]
    assert "A_X_L: A_X_L(a, b, p) = <A[a,b] X[L,p]>, X[L,p] = b[L,p] + b^dag[L,p]: expectation" in (
        glossary
    )
    assert {line.split(":")[0].strip() for line in glossary.splitlines()} == {
        "A_1_1",
        "A_2_2",
        "A_3_3",
        "A_X_L",
        "A_X_R",
    }


@pytest.mark.parametrize("model", ["three-level", "n-level", "spin-boson"])
def test_text_form_equals_the_json_values(capsys, model):
    """The compact text, its coordinates expanded, is the flat JSON value (exact)."""
    from heatbounds.symbolic.compact import expand_compact

    _, out, _ = run(capsys, "derive", model)
    _, js, _ = run(capsys, "derive", model, "--format", "json")
    data = json.loads(js)
    headers = {
        "sum_rule": "sum rule (moment s = 1",
        "current_bound": "current bound (Eq. 9)",
        "conductance_bound": "conductance bound (Eq. 10)",
    }
    alpha, gamma = sp.symbols("alpha gamma")
    aL, aR = sp.symbols("alpha_L alpha_R")
    couplings = {alpha: aL + aR, gamma: 4 * aL * aR / (aL + aR) ** 2}
    for key, header in headers.items():
        # gamma is Eq. 5's symbol here, not SymPy's gamma function
        text = sp.sympify(_text_block(out, header), locals={"gamma": gamma}).subs(couplings)
        for nu in ("L", "R"):  # X = b + b^dag, as the glossary defines it
            x, b, bdag = (sp.Function(f"A_{w}_{nu}") for w in ("X", "b", "bdag"))
            text = text.replace(x, lambda *i, b=b, bdag=bdag: b(*i) + bdag(*i))
        flat = sp.sympify(data[key]["sympy"])
        assert sp.expand(expand_compact(text) - expand_compact(flat)) == 0, key


def test_json_keeps_the_flat_expectations_of_the_emitted_modules(capsys):
    """The JSON sympy strings stay flat: their names are the emitted modules' arguments."""
    _, js, _ = run(capsys, "derive", "three-level", "--format", "json")
    data = json.loads(js)
    assert "A_X_L" not in data["sum_rule"]["sympy"] and "A_X_L" not in data["expectations"]


def test_text_is_byte_identical_across_hash_seeds():
    outs = set()
    for seed in ("1", "2"):
        result = subprocess.run(
            [sys.executable, "-m", "heatbounds", "derive", "three-level"],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        outs.add(result.stdout)
    assert len(outs) == 1


def _plain(expr):
    """``expr`` as ``sympify`` reads its text: expectation values as symbols or
    functions of their indices, couplings and frequencies as undefined functions,
    symbols without assumptions (the flat s = 3 text is too deep to parse)."""
    from heatbounds.symbolic.expectation import Expectation
    from heatbounds.symbolic.junction import SymmetricCoupling

    memo: dict = {}

    def plain(e):
        if e in memo:
            return memo[e]
        if isinstance(e, Expectation):
            if all(i.is_Integer for i in e.indices):
                out = sp.Symbol(str(e))
            else:
                out = sp.Function(e.identifier)(*(plain(i) for i in e.indices))
        elif isinstance(e, sp.Symbol):
            out = sp.Symbol(e.name)
        elif isinstance(e, (AppliedUndef, SymmetricCoupling)):
            out = sp.Function(type(e).__name__)(*(plain(a) for a in e.args))
        elif not e.args:
            out = e
        else:
            out = e.func(*(plain(a) for a in e.args))
        memo[e] = out
        return out

    return plain(expr)


def test_three_level_third_moment_json_is_exact_and_compact(capsys):
    """Issue 13: the s = 3 three-level JSON (bath sums over up to three modes) parses to
    the flat derived expressions, term for term up to the names of summed modes, and
    its size is held: 626 kB before relabelling, halving and nesting, 306 kB after,
    277 kB with plain parentheses around one-line material (the target, 300 kB)."""
    from heatbounds.symbolic.bounds import in_bath_couplings
    from heatbounds.symbolic.compact import _terms
    from heatbounds.symbolic.derivation import derive
    from heatbounds.symbolic.models import builtin_model
    from heatbounds.symbolic.relabel import canonical_terms

    code, out, _ = run(capsys, "derive", "three-level", "--moment", "3", "--format", "json")
    assert code == 0
    assert len(out.encode()) <= 300_000
    data = json.loads(out)
    assert set(data) == DERIVE_JSON_KEYS
    d = derive(builtin_model("three-level"), moment=3)
    for key, flat in (
        ("sum_rule", d.sum_rule),
        ("current_bound", d.current_bound),
        ("conductance_bound", d.conductance_bound),
    ):
        parsed = sp.sympify(data[key]["sympy"])
        reference = _plain(in_bath_couplings(flat))
        assert canonical_terms(_terms(parsed)) == canonical_terms(_terms(reference)), key
