"""Issue 13: the fast paths of printing and emission give the same text as SymPy's.

SymPy's order of the terms of a sum (computed from sparse exponent vectors),
the memoised free symbols of mode sums, the memoised NumPy printer, the units'
structural replacement and the LaTeX rows that skip measuring a sum they cut
anyway: each is checked against the slow path it replaces.
"""

from __future__ import annotations

import random

import pytest
import sympy as sp
from sympy import Add, Function, I, Rational, Sum, Symbol, pi, preorder_traversal, symbols

from heatbounds.codegen import latex_equations, numpy_printer
from heatbounds.codegen.emit import emit_module
from heatbounds.codegen.latex_equations import derivation_latex
from heatbounds.codegen.units import UNIT_SYSTEMS
from heatbounds.symbolic.derivation import derive
from heatbounds.symbolic.models import builtin_model
from heatbounds.symbolic.term_order import (
    fast_str,
    fast_sum_symbols,
    fast_term_order,
    ordered_terms,
)

x, y, z, p, q, M = symbols("x y z p q M")
g, w = Function("g"), Function("omega")


def _random_sum(rng: random.Random) -> sp.Expr:
    atoms = [x, y, z, g(1, p), w(p), pi, I, sp.sin(x), sp.sqrt(y)]
    terms = []
    for _ in range(rng.randint(2, 30)):
        term = Rational(rng.randint(-9, 9), rng.randint(1, 4))
        for _ in range(rng.randint(0, 4)):
            term *= rng.choice(atoms) ** rng.choice([-2, -1, 1, 1, 2, 3])
        if rng.random() < 0.3:
            term *= Sum(g(1, p) * rng.choice(atoms[:3]) ** rng.randint(1, 2), (p, 1, M))
        terms.append(term)
    return Add(*terms)


@pytest.mark.parametrize("seed", range(40))
def test_ordered_terms_is_sympys_order(seed):
    expr = _random_sum(random.Random(seed))
    for order in (None, "lex"):
        if expr.is_Add:
            assert ordered_terms(expr, order) == expr.as_ordered_terms(order=order)
    with fast_term_order():
        fast = fast_str(expr), sp.latex(expr), sp.srepr(expr)
    assert fast == (str(expr), sp.latex(expr), sp.srepr(expr))


def test_special_cases_of_the_order():
    assert ordered_terms(1 - 2 * x) == (1 - 2 * x).as_ordered_terms()
    assert ordered_terms(x**-2 + x**2 + 1 / y + y) == (x**-2 + x**2 + 1 / y + y).as_ordered_terms()
    assert ordered_terms(x + y, "grlex") == (x + y).as_ordered_terms(order="grlex")


def test_derived_expressions_print_the_same():
    d = derive(builtin_model("three-level"))
    for expr in (d.sum_rule, d.current_bound, d.conductance_bound):
        assert fast_str(expr) == str(expr)
        for sub in preorder_traversal(expr):
            if sub.is_Add:
                assert ordered_terms(sub) == sub.as_ordered_terms()


def test_memoised_free_symbols_are_sympys_and_fresh_sets():
    s = Sum(g(1, p) * x * Sum(w(q) * y, (q, 1, M)), (p, 1, M))
    expected = s.free_symbols
    with fast_sum_symbols():
        first = s.free_symbols
        first.add(Symbol("intruder"))
        assert s.free_symbols == expected == {x, y, M}
        assert (s + z).free_symbols == expected | {z}
    assert s.free_symbols == expected


def test_units_replace_hbar_and_k_b_as_subs_does():
    d = derive(builtin_model("three-level"))
    for system in UNIT_SYSTEMS.values():
        for expr in (d.sum_rule, d.current_bound, d.conductance_bound):
            assert system.apply(expr) == (
                expr.subs(system.substitutions) if system.substitutions else expr
            )


@pytest.mark.parametrize("model", ["three-level", "harmonic", "spin-boson"])
def test_memoised_printer_emits_the_same_module(model, monkeypatch):
    fast = emit_module(builtin_model(model), units="si", command="x")
    plain = numpy_printer.NumPyPrinter
    monkeypatch.setattr(numpy_printer.StableNumPyPrinter, "_print", plain._print)
    monkeypatch.setattr(numpy_printer.StableNumPyPrinter, "doprint", plain.doprint)
    assert emit_module(builtin_model(model), units="si", command="x") == fast


@pytest.mark.parametrize("model", ["three-level", "n-level", "harmonic"])
def test_latex_rows_without_measuring_long_sums_are_the_same(model, monkeypatch):
    d = derive(builtin_model(model), moment=1)
    fast = derivation_latex(d)
    monkeypatch.setattr(latex_equations, "_surely_wider_than_a_row", lambda e: False)
    monkeypatch.setattr(latex_equations, "_surely_rows", lambda total, lead: False)
    assert derivation_latex(d) == fast
