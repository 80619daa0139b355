"""The bath coordinate atom (symbolic/bath_coordinate.py): definition, names, printing."""

from __future__ import annotations

import doctest

import pytest
from sympy import I, expand

from heatbounds.symbolic import bath_coordinate
from heatbounds.symbolic.bath_coordinate import (
    BathCoordinate,
    bath_coordinates,
    coordinate_glossary,
    flat_atoms_str,
)
from heatbounds.symbolic.derivation import derive
from heatbounds.symbolic.models import builtin_model


def test_doctests():
    assert doctest.testmod(bath_coordinate).failed == 0


@pytest.fixture(scope="module")
def sum_rule():
    return derive(builtin_model("three-level")).sum_rule


def test_pairs_of_flat_atoms_become_x_and_p_exactly(sum_rule):
    mapping = bath_coordinates(sum_rule)
    assert mapping  # the three-level sum rule has <A b> and <A b^dag> pairs
    for flat, value in mapping.items():
        x = next(iter(value.atoms(BathCoordinate)))
        b, bdag = x.b, x.bdag
        assert flat in (b, bdag)
        # (X + i P)/2 = b, (X - i P)/2 = b^dag with X = b + b^dag, P = i (b^dag - b)
        definitions = {c: c.definition() for c in value.atoms(BathCoordinate)}
        assert expand(value.xreplace(definitions)) == flat
    x = BathCoordinate("X", b, bdag)
    assert x.definition() == b + bdag and BathCoordinate("P", b, bdag).definition() == I * (
        bdag - b
    )
    with pytest.raises(ValueError, match="unknown bath-coordinate kind"):
        BathCoordinate("Q", b, bdag)


def test_names_glossary_and_flat_text(sum_rule):
    from heatbounds.symbolic.compact import compact

    short = compact(sum_rule)
    glossary = coordinate_glossary([short])
    assert set(glossary) == {"A_X_L", "A_X_R"}
    assert glossary["A_X_L"] == "A_X_L(a, b, p) = <A[a,b] X[L,p]>, X[L,p] = b[L,p] + b^dag[L,p]"
    text = flat_atoms_str(short)
    assert "A_X_L" not in text and "A_b_L(1, 2, p) + A_bdag_L(1, 2, p)" in text
