"""Expectation values (symbolic/expectation.py): atoms, words, sums, no aliasing by text."""

from __future__ import annotations

import doctest
import pickle

import pytest
import sympy as sp

from heatbounds.symbolic import expectation as expectation_module
from heatbounds.symbolic.expectation import Expectation, WordKey, expectation, expectation_of_word
from heatbounds.symbolic.families import BOSON, SPIN
from heatbounds.symbolic.indices import LevelIndex, ModeIndex
from heatbounds.symbolic.operators import Abstract, Bath, Boson, Levels, Spin, level_sum

i, j, n = LevelIndex("i"), LevelIndex("j"), LevelIndex("_n")
k = ModeIndex("k")


def test_doctests():
    assert doctest.testmod(expectation_module).failed == 0


def test_operators_of_different_families_never_alias():
    # Regression (issue 13): the spin s's s_x and a boson named s_x print alike,
    # but they are different operators with different expectation values.
    spin_x = expectation(Spin("s").x)
    boson = expectation(Boson("s_x").annihilate)
    assert str(spin_x) == str(boson) == "s_x"
    assert spin_x != boson and hash(spin_x) != hash(boson)
    assert spin_x - boson != 0 and (spin_x + boson).is_Add
    assert spin_x.word() == Spin("s").x.sorted_terms()[0][2]
    assert boson.word() == Boson("s_x").annihilate.sorted_terms()[0][2]
    # The boson's word is its own, whichever atom was made first.
    assert expectation(Boson("s_x").annihilate).word() != spin_x.word()
    assert sp.conjugate(boson) == expectation(Boson("s_x").create)
    assert sp.conjugate(spin_x) == spin_x
    # The words' sectors carry different family objects.
    ((spin_sector, _),) = spin_x.word()[0]
    ((boson_sector, _),) = boson.word()[0]
    assert spin_sector.family is SPIN and boson_sector.family is BOSON
    assert (expectation(Spin("s").x) == expectation(Boson("s_x").annihilate)) is False


def test_levels_and_bosons_of_one_name_do_not_alias():
    levels, boson = Levels("a", 2), Boson("a")
    assert expectation(levels[1, 1]) != expectation(boson.number)
    assert expectation(levels[1, 2]).word() != expectation(boson.number).word()


def test_equal_words_give_equal_atoms():
    first = expectation(Spin("s").x * 2)
    second = expectation(Spin("s").x)
    assert first == 2 * second and (first - 2 * second) == 0
    assert expectation(Levels("A", "N")[i, j]) == expectation(Levels("A", "N")[i, j])


def test_atom_carries_its_word_identifier_and_indices():
    levels = Levels("A", "N")
    atom = expectation(levels[i, j])
    assert isinstance(atom, Expectation) and str(atom) == "A(i, j)"
    assert atom.indices == (i, j) and atom.identifier == "A"
    assert atom.key == "A[_i0,_i1]" and isinstance(atom.args[0], WordKey)
    assert atom.word() == levels[i, j].sorted_terms()[0][2]
    assert atom.free_symbols == {i, j}
    concrete = atom.xreplace({i: sp.Integer(1), j: sp.Integer(2)})
    assert str(concrete) == "A_1_2" and concrete == expectation(levels[1, 2])
    assert sp.latex(atom) == r"\langle \hat{A}_{ij} \rangle"


def test_signature_names_levels_then_modes_generically():
    atom = expectation(Levels("A", "N")[i, j] * Bath().annihilate("L", k))
    assert str(atom) == "A_b_L(i, j, k)"
    indices, generic = atom.signature()
    assert [x.name for x in indices] == ["a", "b", "p"]
    assert [type(x) for x in indices] == [LevelIndex, LevelIndex, ModeIndex]
    assert expectation_of_word(generic).indices == indices
    # <A[i,j] b[L,k]>^* = <b^dag[L,k] A[j,i]>
    assert str(sp.conjugate(atom)) == "A_bdag_L(j, i, k)"


def test_identity_boson_and_abstract_words():
    assert expectation_of_word(()) == 1
    a = Boson("a")
    assert expectation(a.annihilate * a.create) == expectation(a.number) + 1
    assert str(expectation(a.number)) == "adag_a"
    x = Abstract("X")
    assert str(expectation(x.op)) == "X" and expectation(x.op) != expectation(Spin("X").x)


def test_sums_are_written_out_only_over_concrete_ranges():
    symbolic, concrete = Levels("A", "N"), Levels("A", 3)
    total = expectation(level_sum(symbolic[n, n], n, symbolic.size))
    assert isinstance(total, sp.Sum) and str(total) == "Sum(A(n, n), (n, 1, N))"
    written = expectation(level_sum(concrete[n, n], n, 3))
    assert written == sum(expectation(concrete[m, m]) for m in (1, 2, 3))
    kept = expectation(level_sum(concrete[n, n], n, 3), write_out=False)
    assert isinstance(kept, sp.Sum) and kept.doit() == written


def test_powers_print_in_latex_and_text():
    atom = expectation(Spin("sigma").x)
    assert sp.latex(atom**2) == r"\langle \hat{\sigma}_{x} \rangle^{2}"
    assert str(atom**3) == "sigma_x**3"


def test_atoms_pickle_with_their_word():
    atom = expectation(Boson("s_x").annihilate)
    again = pickle.loads(pickle.dumps(atom))
    assert again == atom and again.word() == atom.word()
    assert again != expectation(Spin("s").x)


def test_srepr_tells_the_families_apart():
    assert sp.srepr(expectation(Spin("s").x)) != sp.srepr(expectation(Boson("s_x").annihilate))


def test_only_word_keys_make_atoms():
    with pytest.raises(TypeError, match="WordKey"):
        Expectation(sp.core.symbol.Str("sigma_x"))


def test_written_out_sums_are_the_substituted_ones(monkeypatch):
    """Issue 13: concrete level sums are written out factor by factor and their mode
    sums built without SymPy's constructor; the expression is the one substitution
    into the whole term and ``Sum`` give (the s = 3 case is in the benchmark)."""
    from sympy import Sum, srepr

    from heatbounds.symbolic import expectation as module
    from heatbounds.symbolic.models import builtin_model
    from heatbounds.symbolic.sum_rules import weighted_moment

    fast = srepr(weighted_moment(builtin_model("three-level"), 1))

    def substituted(coeff, atom, indices, order=None):
        body = coeff * atom
        return lambda values: body.xreplace(dict(zip(indices, values, strict=True)))

    monkeypatch.setattr(module, "_written_out", substituted)
    monkeypatch.setattr(module, "sum_of", lambda b, limits, plain=False: Sum(b, *limits))
    assert srepr(weighted_moment(builtin_model("three-level"), 1)) == fast


def test_sum_of_is_sympys_sum():
    from sympy import Function, Piecewise, Sum, Symbol, Tuple

    from heatbounds.symbolic.expectation import sum_of
    from heatbounds.symbolic.indices import ModeIndex

    p, x = ModeIndex("p"), Symbol("x")
    limits = (Tuple(p, 1, Symbol("M")),)
    g = Function("g")
    for body in (g(p) * x, Piecewise((g(p), x > 0), (0, True)), Sum(g(p), (x, 1, 2))):
        built = sum_of(body, limits)
        assert built == Sum(body, *limits) and built.is_commutative
