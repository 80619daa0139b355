"""Jupyter's rich display of junctions and derivations (``_repr_latex_``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from heatbounds.model_files import load_model
from heatbounds.symbolic.derivation import derive
from heatbounds.symbolic.models import BUILTIN_MODELS

ROOT = Path(__file__).resolve().parents[2]
MODELS = sorted(BUILTIN_MODELS) + sorted(str(p) for p in (ROOT / "models").glob("*.toml"))


def balanced(text: str) -> bool:
    depth = 0
    for char, before in zip(text, " " + text, strict=False):
        if before == "\\":
            continue
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


@pytest.mark.parametrize("spec", MODELS)
def test_junction_and_derivation_display_as_one_aligned_block(spec):
    junction = load_model(spec)
    for text in (junction._repr_latex_(), derive(junction)._repr_latex_()):
        assert text.startswith(r"$\displaystyle \begin{aligned} ")
        assert text.endswith(r" \end{aligned}$") and text.count("$") == 2
        assert balanced(text), text
    body = derive(junction)._repr_latex_().removesuffix(r" \end{aligned}$")
    rows = body.split(r" \\ ")
    tags = [row.rsplit("&& ", 1)[1] for row in rows]
    assert tags == [r"\text{(Eq. 7)}", r"\text{(Eq. 9)}", r"\text{(Eq. 10)}"]
    assert rows[1].startswith(r"J_Q &\le \left(T_{L} - T_{R}\right) ")


def test_junction_display_names_every_coupling_operator():
    text = load_model("models/lambda-system.toml")._repr_latex_()
    assert r"\hat A_{\mathrm{A1}} &= \hat{q}_{13}" in text
    assert r"|i\rangle\langle j|" in load_model("n-level")._repr_latex_()
