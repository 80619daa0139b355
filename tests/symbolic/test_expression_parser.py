"""The model-file expression parser (symbolic/expression_parser.py): grammar and no eval.

The refusals (sizes, depths, numbers, columns) are tested at length, with the
tables around them, in test_model_text.py; this module tests the grammar itself.
"""

from __future__ import annotations

import builtins
import doctest

import pytest
import sympy as sp

from heatbounds.symbolic import expression_parser
from heatbounds.symbolic.errors import ModelFileError
from heatbounds.symbolic.expression_parser import parse_expression
from heatbounds.symbolic.operators import Boson, Levels, Spin
from heatbounds.symbolic.parameters import hbar

x, y = sp.Symbol("x", real=True), sp.Symbol("y", real=True)
a, s, q = Boson("a"), Spin("s"), Levels("q", 2)
NAMES = {"x": x, "y": y, "a": a.annihilate, "s": s, "q": q}


def parse(text):
    return parse_expression(text, NAMES, source="t.toml", field="f")


def test_doctests():
    assert doctest.testmod(expression_parser).failed == 0


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("-x**2", -(x**2)),  # ** binds tighter than unary minus, as in Python
        ("2**3**2", sp.Integer(2) ** 9),  # right-associative
        ("2**-1", sp.Rational(1, 2)),
        ("x - y - 1", x - y - 1),  # left-associative
        ("x / y / 2", x / y / 2),
        ("(x + y) * 2", 2 * x + 2 * y),
        ("0.5e1 + .5", sp.Rational(11, 2)),
        ("sqrt(4) + exp(0) + sin(0) + cos(0)", 4),
        ("hbar * pi * I", hbar * sp.pi * sp.I),
        ("dag(x + I*y)", x - sp.I * y),
    ],
)
def test_c_number_grammar(text, value):
    assert sp.expand(parse(text) - value) == 0


def test_operators_of_every_kind():
    assert parse("dag(a)*a + 1/2") == a.number + sp.Rational(1, 2)
    assert parse("s.x*s.y") == s.x * s.y
    assert parse("s.plus") == s.plus
    assert parse("q[1,2]*q[2,1]") == q[1, 1]
    assert parse("(a + dag(a))**2") == a.x * a.x
    assert parse("x*a/2") == a.annihilate * x / 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("__import__('os')", "unexpected character"),
        ("x.__class__", "takes no attribute or index"),
        ("eval(1)", "unknown function 'eval'"),
        ("z", "undeclared name 'z'"),
        ("a**x", "an operator power must be an integer 0..16"),
        ("x**a", "an exponent must be a c-number"),
        ("1/a", "cannot divide by an operator"),
        ("sqrt(a)", "takes a c-number, not an operator"),
        ("q[0,1]", "a level number 1..2"),
        ("s.w", "a spin component"),
    ],
)
def test_refusals_name_source_field_and_column(text, message):
    with pytest.raises(ModelFileError, match=r"^t\.toml: f, column \d+: .*" + message):
        parse(text)


def test_text_is_never_evaluated(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("user text reached an evaluator")

    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(sp, "sympify", forbidden)
    monkeypatch.setattr(sp, "parse_expr", forbidden)
    assert parse("x**2 + dag(a)*a*y - 3/4") == a.number * y + x**2 - sp.Rational(3, 4)
    with pytest.raises(ModelFileError):
        parse("exec('1')")


def test_only_strings_are_parsed():
    with pytest.raises(ModelFileError, match="expected a string, got int"):
        parse_expression(1, NAMES)
