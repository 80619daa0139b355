"""Plain-text and LaTeX printing of operator expressions (symbolic/printing.py)."""

from __future__ import annotations

import sympy as sp

from heatbounds.symbolic.indices import LevelIndex, ModeIndex
from heatbounds.symbolic.operators import Abstract, Bath, Boson, Levels, Spin, level_sum
from heatbounds.symbolic.printing import (
    operator_latex,
    operator_str,
    readable_dummies,
    word_str,
)

a, s = Boson("a"), Spin("s")
i = LevelIndex("i")


def only_word(expr):
    ((_, _, word),) = expr.sorted_terms()
    return word


def test_word_text_of_every_family():
    assert word_str(only_word(a.create * a.create * a.annihilate)) == "a^dag^2 a"
    assert word_str(only_word(s.z)) == "s_z"
    assert word_str(only_word(Levels("A", "N")[i, 2])) == "A[i,2]"
    bath, k = Bath(), ModeIndex("k")
    assert word_str(only_word(bath.create("L", k) * bath.annihilate("R", k))) == (
        "b^dag[L,k] b[R,k]"
    )
    assert word_str(only_word(Abstract("X").op)) == "X"
    assert word_str(()) == ""


def test_operator_text_signs_coefficients_and_sums():
    assert operator_str(3 * a.annihilate * a.create - a.x) == "3 - a - a^dag + 3*a^dag a"
    assert operator_str(s.x - s.x) == "0"
    assert operator_str(sp.Integer(2) + 0 * s.x) == "2"
    c = sp.Symbol("c")
    assert operator_str((1 + c) * s.z) == "(c + 1)*s_z"
    n = LevelIndex("_dummy")
    levels = Levels("A", "N")
    # The summed dummy gets a readable name apart from the free index i.
    assert operator_str(level_sum(levels[n, i] * c, n, levels.size)) == "Sum[n](c*A[n,i])"
    n_free = LevelIndex("n")
    assert operator_str(level_sum(levels[n, n_free], n, levels.size)) == "Sum[m](A[m,n])"


def test_operator_latex_and_a_custom_coefficient_printer():
    assert operator_latex(s.x - s.x) == "0"
    assert operator_latex(2 * a.number - a.annihilate) == (
        r"-\hat{a} + 2 \hat{a}^{\dagger} \hat{a}"
    )
    c = sp.Symbol("c")
    assert operator_latex((1 + c) * s.z) == r"\left(c + 1\right) \hat{\sigma}^{(s)}_{z}"
    n = LevelIndex("_dummy")
    levels = Levels("A", "N")
    assert operator_latex(level_sum(levels[n, i], n, levels.size)) == r"\sum_{n} \hat{A}_{ni}"
    upper = operator_latex(2 * s.x, coefficient_latex=lambda e: f"<{e}>")
    assert upper == r"<2> \hat{\sigma}^{(s)}_{x}"


def test_readable_dummies_avoid_taken_names_and_keep_kinds():
    d1, d2, m = LevelIndex("_d1"), LevelIndex("_d2"), ModeIndex("_m")
    mapping = readable_dummies(((d1, 3), (d2, 3), (m, sp.Symbol("M"))), {"n"})
    assert mapping == {d1: LevelIndex("m"), d2: LevelIndex("r"), m: ModeIndex("p")}
    assert all(type(v) is type(d) for d, v in mapping.items())
    taken = {"n", "m", "r", "s", "t", "u"}
    assert readable_dummies(((d1, 3),), taken) == {d1: LevelIndex("l1")}
