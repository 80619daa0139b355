"""``heatbounds derive n-level --moment 3`` in every format, and its LaTeX document compiles.

The symbolic-index n-level s = 3 sum rule has powers of the level energies
(``energy(n)**2``): SymPy's LaTeX printer passes ``exp=`` to a function's
``_latex`` hook for those, which once ended the command in a TypeError
(issue 13), and the paper printer's ``g^{ab}_{L k}`` squared once printed a
double superscript that pdflatex refused.
"""

from __future__ import annotations

import json
import re

import pytest
from contracts import DERIVE_JSON_KEYS
from latex_compile import compile_latex

from heatbounds.cli import main

ENERGY_POWER = re.compile(r"E_\{[a-z]\}\^\{[23]\}")


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def balanced(text: str) -> bool:
    depth = 0
    for char, before in zip(text, " " + text, strict=False):
        if before != "\\":
            depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


@pytest.fixture
def derive_once(monkeypatch):
    """One n-level derivation per moment for the whole test (each takes seconds)."""
    from heatbounds.codegen import latex_document
    from heatbounds.symbolic import derivation

    memo, calls = {}, []

    def memoised(junction, moment=1):
        calls.append((junction.name, moment))
        if (junction.name, moment) not in memo:
            memo[junction.name, moment] = derive(junction, moment)
        return memo[junction.name, moment]

    derive = derivation.derive
    monkeypatch.setattr(derivation, "derive", memoised)
    monkeypatch.setattr(latex_document, "derive", memoised)
    return calls


def test_every_format_and_the_document(capsys, tmp_path, derive_once):
    code, out, err = run(capsys, "derive", "n-level", "--moment", "3")
    assert code == 0 and "Traceback" not in err
    assert "energy(" in out and "Eq. 9" in out and "Eq. 10" in out

    code, out, err = run(capsys, "derive", "n-level", "--moment", "3", "--format", "latex")
    assert code == 0 and "Traceback" not in err
    assert ENERGY_POWER.search(out) and balanced(out)
    assert "}^{2}^{" not in out and "}_{L p}^{" not in out  # no double superscript

    code, out, err = run(capsys, "derive", "n-level", "--moment", "3", "--format", "json")
    assert code == 0 and "Traceback" not in err
    data = json.loads(out)
    assert set(data) == DERIVE_JSON_KEYS and data["moment"] == 3 and data["model"] == "n-level"
    rule = data["sum_rule"]
    assert ENERGY_POWER.search(rule["latex"]) and balanced(rule["latex"])
    assert "energy(" in rule["sympy"] and ")**2" in rule["sympy"]
    assert {"energy", "N_levels", "g_L", "g_R"} <= set(data["parameters"])

    target = tmp_path / "n_level.tex"
    code, _, err = run(capsys, "latex", "n-level", "--moments", "3", "-o", str(target))
    assert code == 0 and "Traceback" not in err
    tex = target.read_text()
    assert ENERGY_POWER.search(tex) and balanced(tex)
    assert ("n-level", 3) in derive_once  # the memo stood in for the real derivations
    compile_latex(tex, tmp_path, "n_level")
