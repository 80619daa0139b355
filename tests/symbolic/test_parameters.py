"""Named parameters, their symbols and meanings (symbolic/parameters.py)."""

from __future__ import annotations

import sympy as sp

from heatbounds.symbolic.parameters import (
    MEANINGS,
    alpha,
    alpha_L,
    alpha_R,
    derived,
    gamma,
    hbar,
    k_B,
    symbol,
)


def test_symbols_carry_their_assumptions():
    assert symbol("hbar").is_positive and symbol("omega_c").is_positive
    assert symbol("alpha_L").is_nonnegative and symbol("alpha_L").is_positive is None
    assert symbol("M").is_integer and symbol("N_levels").is_positive
    assert symbol("lam").is_real and symbol("lam").is_positive is None
    # The same name gives the same symbol, so built-in models share them.
    assert symbol("hbar") == hbar and symbol("k_B") == k_B
    assert symbol("alpha_R") == alpha_R and symbol("alpha_L") != sp.Symbol("alpha_L")


def test_every_meaning_is_one_line_for_an_identifier():
    for name, meaning in MEANINGS.items():
        assert name.isidentifier() and meaning and "\n" not in meaning


def test_derived_couplings_are_below_eq_5():
    values = derived()
    assert values[alpha] == alpha_L + alpha_R
    assert values[gamma].subs({alpha_L: 2, alpha_R: 2}) == 1  # symmetric coupling
    assert values[gamma].subs({alpha_L: 1, alpha_R: 3}) == sp.Rational(3, 4)
