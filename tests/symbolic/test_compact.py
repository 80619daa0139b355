"""The compact form of derived results (bath coordinates, one sum per bath) is exact.

Expanding the compact form (:func:`expand_compact`) gives back the flat derived
expression term for term, for every paper model and a model file, at s = 1 and
where cheap at s = 3; the printed form is deterministic and reads like Eq. 12.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from sympy import I, Sum, expand, latex

from heatbounds.model_files import load_model
from heatbounds.symbolic.compact import (
    BathCoordinate,
    compact,
    coordinate_glossary,
    expand_compact,
    printed_expectations,
)
from heatbounds.symbolic.derivation import derive
from heatbounds.symbolic.expectation import Expectation

ROOT = Path(__file__).resolve().parents[2]
KERR = str(ROOT / "models" / "kerr.toml")

CASES = [
    ("spin-boson", 1),
    ("harmonic", 1),
    (KERR, 1),
    ("three-level", 1),
    ("n-level", 1),
    ("spin-boson", 3),
    ("harmonic", 3),
    (KERR, 3),
]


@cache
def derived(model: str, moment: int):
    return derive(load_model(model), moment=moment)


def _results(d):
    return {
        "sum_rule": d.sum_rule,
        "current_bound": d.current_bound,
        "conductance_bound": d.conductance_bound,
    }


@pytest.mark.parametrize(("model", "moment"), CASES, ids=lambda x: str(x).split("/")[-1])
def test_expanding_the_compact_form_gives_the_flat_result(model, moment):
    for key, flat in _results(derived(model, moment)).items():
        short = compact(flat)
        # expand_compact names the summed modes of each term canonically (compact
        # relabels them), so both sides go through it.
        reference = expand_compact(flat)
        assert expand(expand_compact(short) - reference) == 0, key
        # The flat result is already in expanded form: only the names of summed modes change.
        assert expand(expand_compact(reference) - reference) == 0, key
        assert len(str(short)) <= len(str(flat)), key


@pytest.mark.parametrize(("model", "moment"), CASES[:5], ids=lambda x: str(x).split("/")[-1])
def test_compact_form_is_idempotent_and_deterministic(model, moment):
    flat = derived(model, moment).sum_rule
    once = compact(flat)
    assert str(compact(flat)) == str(once)
    assert expand(expand_compact(compact(once)) - expand_compact(flat)) == 0


def test_three_level_f_sum_rule_is_a_third_of_the_flat_length():
    """Issue 13 item 2: 72 bath sums of <A b> and <A b^dag> become one sum per bath."""
    d = derived("three-level", 1)
    short = compact(d.sum_rule)
    assert 3 * len(str(short)) <= len(str(d.sum_rule))
    sums = sorted(short.atoms(Sum), key=str)
    assert len(sums) == 2  # one per bath
    assert {str(s.limits) for s in sums} == {"((p, 1, M),)"}
    coordinates = short.atoms(BathCoordinate)
    assert {c.identifier for c in coordinates} == {"A_X_L", "A_X_R"}
    assert {c.kind for c in coordinates} == {"X"}  # b and b^dag enter only as b + b^dag
    # No <A b> or <A b^dag> is left outside a coordinate.
    assert printed_expectations([short]) == {"A_1_1", "A_2_2", "A_3_3"}
    # The symmetric coupling g^{12} multiplies <A_12 X> + <A_21 X> once.
    assert "-3*(A_X_L(1, 2, p) + A_X_L(2, 1, p))*g_L(1, 2, p)" in str(short)


def test_current_bound_takes_the_temperature_difference_out_once():
    d = derived("three-level", 1)
    text = str(compact(d.current_bound))
    assert text.startswith("pi*alpha*gamma*k_B*(T_L - T_R)*(")
    assert text.count("T_L") == 1
    assert str(compact(d.conductance_bound)).startswith("pi*alpha*gamma*k_B*(")


def test_n_level_sum_rule_reads_like_eq_12():
    """Eq. 12 summed with h: level energies, then one sum per bath over <A X_nu> g."""
    short = compact(derived("n-level", 1).sum_rule)
    sums = sorted(short.atoms(Sum), key=str)
    assert len(sums) == 3
    assert str(short) == (
        "(Sum((energy(m) - energy(n))*A(n, n), (n, 1, N_levels), (m, 1, N_levels))"
        " + Sum(-N_levels*g_L(m, n, p)*A_X_L(n, m, p) + g_L(m, m, p)*A_X_L(n, n, p),"
        " (p, 1, M), (n, 1, N_levels), (m, 1, N_levels))"
        " + Sum(-N_levels*g_R(m, n, p)*A_X_R(n, m, p) + g_R(m, m, p)*A_X_R(n, n, p),"
        " (p, 1, M), (n, 1, N_levels), (m, 1, N_levels)))/hbar**2"
    )


def test_unequal_coefficients_give_the_momentum():
    """At s = 3 the spin-boson sum rule has i g omega (<s_y b> - <s_y b^dag>): P = i(b^dag - b)."""
    short = compact(derived("spin-boson", 3).sum_rule)
    kinds = {(c.identifier, c.kind) for c in short.atoms(BathCoordinate)}
    assert kinds == {("sigma_y_P_L", "P"), ("sigma_y_P_R", "P")}
    assert " - 2*Sum(g_L(p)*omega_L(p)*sigma_y_P_L(p), (p, 1, M))/hbar" in str(short)
    glossary = coordinate_glossary([short])
    assert glossary["sigma_y_P_L"] == (
        "sigma_y_P_L(p) = <sigma_y P[L,p]>, P[L,p] = i (b^dag[L,p] - b[L,p])"
    )


def test_coordinate_atoms_are_their_definitions():
    d = derived("three-level", 1)
    flat = {str(a): a for a in d.sum_rule.atoms(Expectation)}
    coordinate = next(
        c for c in compact(d.sum_rule).atoms(BathCoordinate) if str(c) == "A_X_L(1, 2, p)"
    )
    b, bdag = flat["A_b_L(1, 2, p)"], flat["A_bdag_L(1, 2, p)"]
    assert coordinate.definition() == b + bdag
    momentum = BathCoordinate("P", b, bdag)
    assert expand(momentum.definition() - I * (bdag - b)) == 0
    assert str(momentum) == "A_P_L(1, 2, p)"
    # Its indices are SymPy arguments: free symbols and substitution reach them.
    assert coordinate.free_symbols == b.free_symbols
    (p,) = (i for i in coordinate.indices if not i.is_Integer)
    q = type(p)("q")
    assert str(coordinate.xreplace({p: q})) == "A_X_L(1, 2, q)"
    assert latex(coordinate) == (
        r"\langle \hat{A}_{12} \left(\hat{b}_{L p} + \hat{b}^{\dagger}_{L p}\right) \rangle"
    )
    assert latex(momentum) == (
        r"\langle \hat{A}_{12} i \left(\hat{b}^{\dagger}_{L p} - \hat{b}_{L p}\right) \rangle"
    )
    with pytest.raises(ValueError, match="unknown bath-coordinate kind"):
        BathCoordinate("Y", b, bdag)


def test_glossary_defines_each_coordinate_in_generic_indices():
    short = compact(derived("three-level", 1).sum_rule)
    assert coordinate_glossary([short]) == {
        "A_X_L": "A_X_L(a, b, p) = <A[a,b] X[L,p]>, X[L,p] = b[L,p] + b^dag[L,p]",
        "A_X_R": "A_X_R(a, b, p) = <A[a,b] X[R,p]>, X[R,p] = b[R,p] + b^dag[R,p]",
    }


def test_models_without_bath_terms_only_collect():
    assert str(compact(derived(KERR, 1).sum_rule)) == (
        "(-U*(a2 + adag2)/hbar + 4*U*adag_a/hbar + omega0)/hbar"
    )
    assert str(compact(derived("spin-boson", 1).current_bound)) == (
        "-pi*Delta*alpha*gamma*k_B*(T_L - T_R)*sigma_x/4"
    )


@pytest.mark.parametrize(("model", "moment"), CASES, ids=lambda x: str(x).split("/")[-1])
def test_fast_paths_give_the_same_compact_form(model, moment, monkeypatch):
    """Issue 13: expand, factor_terms and the coordinate substitution are skipped where
    they would give their input back; the compact form is the same expression."""
    from heatbounds.symbolic import compact as module

    fast = {key: compact(flat) for key, flat in _results(derived(model, moment)).items()}
    monkeypatch.setattr(module, "_is_monomial_sum", lambda e: False)
    monkeypatch.setattr(module, "_may_share_a_factor", lambda c: True)
    for key, flat in _results(derived(model, moment)).items():
        slow = compact(flat)
        assert slow == fast[key] and str(slow) == str(fast[key]), key


@pytest.mark.parametrize(("model", "moment"), CASES[:5], ids=lambda x: str(x).split("/")[-1])
def test_flat_atoms_text_parses_to_the_flat_result(model, moment):
    """The derive JSON's sympy strings: compact form, coordinates written out."""
    from sympy import sympify

    from heatbounds.symbolic.bounds import in_bath_couplings
    from heatbounds.symbolic.compact import flat_atoms_str

    for key, flat in _results(derived(model, moment)).items():
        text = flat_atoms_str(in_bath_couplings(compact(flat)))  # as the JSON has it
        assert "_X_" not in text and "_P_" not in text, key
        parsed, reference = sympify(text), sympify(str(in_bath_couplings(flat)))
        assert expand(expand_compact(parsed) - expand_compact(reference)) == 0, key
