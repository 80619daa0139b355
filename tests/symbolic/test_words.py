"""Operator words (symbolic/words.py): products, adjoints, keys and printing,
each dispatched to the sectors' family objects."""

from __future__ import annotations

import sympy as sp

from heatbounds.symbolic.families import BATH, BOSON, LEVELS, SPIN
from heatbounds.symbolic.indices import LevelIndex, ModeIndex
from heatbounds.symbolic.words import (
    AbstractOperator,
    word_adjoint,
    word_identifier,
    word_indices,
    word_key,
    word_latex,
    word_product,
    word_rename,
    word_text,
)

n, m = LevelIndex("n"), LevelIndex("m")
p = ModeIndex("p")
A, S, a, b = LEVELS.sector("A"), SPIN.sector("s"), BOSON.sector("a"), BATH.sector("b")
X = AbstractOperator("X", r"\hat{X}")


def test_product_merges_blocks_in_sector_order():
    left = (((S, "x"), (a, (0, 1))),)
    right = (((A, (n, m)), (a, (1, 0))),)
    out = word_product(left, right)
    # a a^dag = a^dag a + 1; the levels sector goes first
    assert out == [
        (1, (((A, (n, m)), (S, "x"), (a, (1, 1))),)),
        (1, (((A, (n, m)), (S, "x")),)),
    ]


def test_product_of_one_sector_uses_its_rule():
    assert word_product((((S, "x"),),), (((S, "y"),),)) == [(sp.I, (((S, "z"),),))]
    assert word_product((((S, "x"),),), (((S, "x"),),)) == [(1, ())]
    ((weight, word),) = word_product((((A, (n, m)),),), (((A, (m, n)),),))
    assert weight == 1 and word == (((A, (n, n)),),)


def test_abstract_operators_separate_blocks():
    word = (((S, "x"),), X, ((S, "y"),))
    assert word_product(word, (((S, "y"),),)) == [(1, (((S, "x"),), X))]
    assert word_product((X,), (((S, "x"),),)) == [(1, (X, ((S, "x"),)))]
    assert word_product((), word) == [(1, word)]


def test_adjoint_reverses_and_is_an_involution():
    word = (((A, (n, 2)), (a, (2, 1))), X, ((b, (((("L", p),), ()))),))
    adjoint = word_adjoint(word)
    assert adjoint == (((b, ((), (("L", p),))),), X.adjoint(), ((A, (2, n)), (a, (1, 2))))
    assert word_adjoint(adjoint) == word


def test_indices_rename_and_key():
    word = (((A, (n, m)), (b, ((("L", p),), ()))),)
    assert word_indices(word) == (n, m, p)
    renamed = word_rename(word, {n: 1, p: ModeIndex("q")})
    assert word_indices(renamed) == (1, m, ModeIndex("q"))
    assert word_rename(word, {}) is word
    assert word_key((X,)) > word_key(word)  # blocks ("B") before abstract ("X")
    assert word_key((((S, "x"),),)) < word_key((((S, "y"),),))


def test_printing():
    word = (((A, (n, 2)), (S, "z"), (a, (2, 1)), (b, ((("L", p),), ()))), X)
    assert word_text(word) == "A[n,2] s_z a^dag^2 a b^dag[L,p] X"
    assert word_latex(word) == (
        r"\hat{A}_{n2} \hat{\sigma}^{(s)}_{z} \hat{a}^{\dagger 2} \hat{a} "
        r"\hat{b}^{\dagger}_{L p} \hat{X}"
    )
    assert word_identifier(word) == "A_s_z_adag2_a_bdag_L_X"
