"""Jupyter's rich display of junctions and derivations (``_repr_latex_``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from heatbounds.model_files import load_model
from heatbounds.symbolic.derivation import derive
from heatbounds.symbolic.models import BUILTIN_MODELS

ROOT = Path(__file__).resolve().parents[2]
MODEL_FILES = sorted(str(p) for p in (ROOT / "models").glob("*.toml"))
MODELS = sorted(BUILTIN_MODELS) + [m for m in MODEL_FILES if load_model(m).statistics == "boson"]
FERMIONIC = [m for m in MODEL_FILES if load_model(m).statistics == "fermion"]


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


@pytest.mark.parametrize("spec", FERMIONIC)
def test_fermionic_junction_and_derivation_display_as_one_aligned_block(spec):
    from heatbounds.symbolic.fermion_derivation import derive_fermion

    junction = load_model(spec)
    for text in (junction._repr_latex_(), derive_fermion(junction, 1)._repr_latex_()):
        assert text.startswith(r"$\displaystyle \begin{aligned} ")
        assert text.endswith(r" \end{aligned}$") and text.count("$") == 2
        assert balanced(text), text
    rows = derive_fermion(junction, 1)._repr_latex_().split(r" \\ ")
    assert len(rows) == 3 and r"\mu^{(1)}" in rows[0] and rows[2].startswith(r"\kappa &\le")
