"""The term table of a derived result (symbolic/term_table.py) is SymPy's expand path's."""

from __future__ import annotations

import doctest
from functools import cache
from pathlib import Path

import pytest
from sympy import Float, Function, I, Rational, Sum, Symbol, sin, symbols

from heatbounds.model_files import load_model
from heatbounds.symbolic import compact as compact_module
from heatbounds.symbolic import term_table as module
from heatbounds.symbolic.derivation import derive
from heatbounds.symbolic.term_table import term_table

KERR = str(Path(__file__).resolve().parents[2] / "models" / "kerr.toml")
CASES = [
    ("spin-boson", 1),
    ("three-level", 1),
    (KERR, 1),
    ("spin-boson", 3),
    ("harmonic", 3),
    ("anharmonic", 3),
    (KERR, 3),
]


def test_doctests():
    assert doctest.testmod(module).failed == 0


@cache
def derived(model: str, moment: int):
    return derive(load_model(model), moment=moment)


def _sympy_table(expr, monkeypatch):
    """compact._terms through SymPy's expand (the table switched off)."""
    with monkeypatch.context() as patch:
        patch.setattr(compact_module, "_IS_MONOMIAL_SUM", None)
        return compact_module._terms(expr)


@pytest.mark.parametrize(("model", "moment"), CASES, ids=lambda x: str(x).split("/")[-1])
def test_the_table_is_sympys(model, moment, monkeypatch):
    d = derived(model, moment)
    for expr in (d.sum_rule, d.current_bound, d.conductance_bound):
        fast = term_table(expr)
        assert fast is not None
        slow = _sympy_table(expr, monkeypatch)
        assert fast == slow
        assert all(str(fast[key]) == str(slow[key]) for key in slow)


def test_products_powers_and_the_imaginary_unit_are_multiplied_out(monkeypatch):
    p, M = symbols("p M", integer=True, positive=True)
    x, y = Symbol("x"), Symbol("y")
    g = Function("g")
    expr = Rational(1, 2) * (
        Sum((x + I * g(p)) ** 2 * (y - g(p)), (p, 1, M))
        + (x - y) * (x + y)
        + 3 * x * Sum(g(p), (p, 1, M))
    )
    fast = term_table(expr)
    assert fast == _sympy_table(expr, monkeypatch)


def test_what_it_cannot_read_goes_to_sympy():
    p, M = symbols("p M", integer=True, positive=True)
    g = Function("g")
    assert term_table(Sum(sin(g(p)), (p, 1, M))) is None
    assert term_table(Float(0.5) * Sum(g(p), (p, 1, M))) is None
    assert term_table(Sum(g(p) * Sum(g(p), (p, 1, M)), (p, 1, M))) is None
