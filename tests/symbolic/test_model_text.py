"""The model-file parser (symbolic/model_text.py): expressions, tables, refusals, fuzzing."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from heatbounds.symbolic import expression_parser
from heatbounds.symbolic.errors import ModelError, ModelFileError
from heatbounds.symbolic.expression_parser import (
    MAX_DECIMAL_EXPONENT,
    MAX_DEPTH,
    MAX_NUMBER_CHARACTERS,
    MAX_TERMS,
    MAX_WORK,
    parse_expression,
)
from heatbounds.symbolic.model_text import junction_from_table
from heatbounds.symbolic.operators import Boson, Levels, OperatorExpr, Spin
from heatbounds.symbolic.parameters import MEANINGS, hbar, symbol

U = sp.Symbol("U", real=True)
NAMES = {"a": Boson("a").annihilate, "s": Spin("s"), "q": Levels("q", 3), "U": U}
KERR = {
    "name": "kerr",
    "description": "Kerr oscillator",
    "operators": {"a": "boson"},
    "parameters": {"omega0": "positive", "U": "real"},
    "model": {
        "hamiltonian": "hbar*omega0*(dag(a)*a + 1/2) + U*dag(a)*dag(a)*a*a",
        "coupling": ["a + dag(a)"],
        "flags": [[1]],
        "dissipation": "ohmic",
    },
}


def parse(text: str):
    return parse_expression(text, NAMES, source="t.toml", field="model.hamiltonian")


def kerr(**changes):
    """The Kerr table with ``changes`` as "section.key" (or "key") -> value (None deletes)."""
    data = copy.deepcopy(KERR)
    for path, value in changes.items():
        *outer, key = path.split("__")
        table = data
        for part in outer:
            table = table[part]
        if value is None:
            del table[key]
        else:
            table[key] = value
    return data


def test_numbers_are_exact_and_names_are_the_builtin_symbols():
    assert parse("0.25 + 3/4") == 1
    assert parse("1e-3") == sp.Rational(1, 1000)
    junction = junction_from_table(KERR, source="kerr.toml")
    a = Boson("a")
    h_s = hbar * symbol("omega0") * (a.number + sp.Rational(1, 2))
    assert junction.system_hamiltonian == h_s + U * a.create**2 * a.annihilate**2
    assert junction.parameters["omega0"] == MEANINGS["omega0"]


def test_operators_spin_components_level_units_and_functions():
    s, q = NAMES["s"], NAMES["q"]
    assert parse("s.plus") == s.plus and parse("dag(s.minus)") == s.plus
    assert parse("q[1,3] + q[3,1]") == q[1, 3] + q[3, 1]
    assert parse("dag(q[1,2])") == q[2, 1]
    assert parse("sqrt(4)*exp(0)*cos(0) + sin(pi)") == 2
    assert parse("dag(I*U)") == -sp.I * U
    a = Boson("a")
    assert parse("(a + dag(a))**2") == a.x * a.x
    assert parse("2*a/2 - a") == a.annihilate * 0


def kerr_sum_rule() -> sp.Expr:
    """The derived f-sum rule of the Kerr table, expectations as the plain names of
    ``derive --format json`` (a2 = <a^2>, adag2 = <a^dag^2>, adag_a = <a^dag a>)."""
    from heatbounds.commands.derive import as_json
    from heatbounds.symbolic.derivation import derive

    data = as_json(derive(junction_from_table(KERR, source="kerr.toml")))
    return sp.sympify(data["sum_rule"]["sympy"], locals={"U": U})


def test_kerr_f_sum_rule_by_hand():
    """[A, [H, A]] with A = a + a^dag, H = hbar w0 a^dag a + U a^dag^2 a^2 is
    2 hbar w0 + U (8 a^dag a - 2 a^2 - 2 a^dag^2), and m = <[A, [H, A]]>/(2 hbar^2)."""
    a2, adag2, adag_a, w0, h = sp.symbols("a2 adag2 adag_a omega0 hbar")
    expected = w0 / h + U / h**2 * (4 * adag_a - a2 - adag2)
    got = kerr_sum_rule().subs({symbol("omega0"): w0, hbar: h})
    assert sp.simplify(got - expected) == 0


def test_kerr_f_sum_rule_against_fock_matrices():
    """Independent route: the double commutator in a truncated Fock space (hbar = 1)."""
    n, w0, u = 40, 1.3, 0.37
    a = np.diag(np.sqrt(np.arange(1, n)), 1)
    ad = a.T
    h = w0 * (ad @ a + 0.5 * np.eye(n)) + u * ad @ ad @ a @ a
    x = a + ad
    c = x @ (h @ x - x @ h) - (h @ x - x @ h) @ x
    rng = np.random.default_rng(1)
    psi = rng.normal(size=12) + 1j * rng.normal(size=12)  # far below the cutoff
    rho = np.zeros((n, n), complex)
    rho[:12, :12] = np.outer(psi, psi.conj()) / np.vdot(psi, psi)
    values = {
        "a2": np.trace(rho @ a @ a),
        "adag2": np.trace(rho @ ad @ ad),
        "adag_a": np.trace(rho @ ad @ a),
        "omega0": w0,
        "U": u,
        "hbar": 1.0,
    }
    m = kerr_sum_rule()
    got = complex(m.subs({sym: values[sym.name] for sym in m.free_symbols}))
    assert abs(got - np.trace(rho @ c) / 2) < 1e-10


REFUSED_EXPRESSIONS = [
    ("__import__('os')", 'unexpected character "\'"', 12),
    ("__import__(os)", "unknown function '__import__'", 1),
    ("a.real", "takes no attribute", 2),
    ("s.w", "spin component", 3),
    ("lambda x: x", "unexpected character ':'", 9),
    ("lambda", "undeclared name 'lambda'", 1),
    ("[x for x in a]", "expected a number, a name or '('", 1),
    ("x + 1", "undeclared name 'x'", 1),
    ("a**-1", "operator power", 2),
    ("a**U", "operator power", 2),
    ("a**a", "exponent must be a c-number", 2),
    ("(a + 1", "')' closing the '(' at column 1", 7),
    ("a + 1)", "or the end of the expression", 6),
    ("a + (1]", "')' closing", 7),
    ("sqrt(a)", "takes a c-number", 1),
    ("a/dag(a)", "cannot divide by an operator", 2),
    ("1/(1 - 1)", "division by zero", 2),
    ("q[0,1]", "level number 1..3", 3),
    ("q[1,4]", "level number 1..3", 5),
    ("q", "'[i,j]'", 2),
    ("s + 1", "'.' and a component", 3),
    ("10**10**10", "exponent must be at most", 3),
    ("1 @ 2", "unexpected character '@'", 3),
    ("a.__class__", "takes no attribute", 2),
    ("U(1)", "unknown function 'U'", 1),
    ("2 a", "or the end of the expression", 3),
]


@pytest.mark.parametrize(("text", "message", "column"), REFUSED_EXPRESSIONS)
def test_refused_expressions_name_field_and_column(text, message, column):
    with pytest.raises(ModelFileError) as info:
        parse(text)
    text_of = str(info.value)
    assert text_of.startswith("t.toml: model.hamiltonian, column ")
    assert f"column {column}:" in text_of and message in text_of, text_of


@pytest.mark.parametrize(
    "text",
    [
        "(" * (MAX_DEPTH + 1) + "1" + ")" * (MAX_DEPTH + 1),
        "-" * 5000 + "1",
        "2**" * 5000 + "2",
        "(" * 20_000 + "1",
        "dag(" * 5000 + "a",
    ],
)
def test_deep_nesting_is_refused_before_the_recursion_limit(text):
    with pytest.raises(ModelFileError, match=r"column \d+: nested more than"):
        parse(text)


def test_huge_expressions_are_refused_before_tokenizing(monkeypatch):
    # The length is checked on the text: not one token of the 10 MB is made.
    tokenized = []
    tokens = expression_parser._tokens
    monkeypatch.setattr(
        expression_parser, "_tokens", lambda text, *a: tokenized.append(text) or tokens(text, *a)
    )
    with pytest.raises(ModelFileError, match="column 1: expression of 10000000 characters"):
        parse("a+" * 5_000_000)
    assert tokenized == []
    assert parse("a+a") == 2 * NAMES["a"] and tokenized == ["a+a"]  # the spy sees real calls


def test_big_operator_products_and_numbers_are_refused(monkeypatch):
    names = {f"b{n}": Boson(f"b{n}").annihilate for n in range(4)}
    with pytest.raises(ModelFileError, match="operator products to expand"):
        parse_expression("(b0+dag(b0)+b1+dag(b1)+b2+dag(b2)+b3+dag(b3))**16", names)
    # The work is bounded, not the time: of the 8000 factors, the parser expands a few
    # dozen products (at most MAX_WORK term-by-term products in all) and then refuses.
    products = []
    multiply = expression_parser._Parser.multiply

    def counted(parser, left, right, op):
        sizes = [len(x) if isinstance(x, OperatorExpr) else 1 for x in (left, right)]
        products.append((parser.work, *sizes))
        return multiply(parser, left, right, op)

    monkeypatch.setattr(expression_parser._Parser, "multiply", counted)
    with pytest.raises(ModelFileError, match="operator products to expand"):
        parse("(a+dag(a))*" * 8000 + "a")  # 88 kB, under the size limit
    assert 10 < len(products) < 100
    assert all(work <= MAX_WORK for work, _, _ in products)
    assert max(max(left, right) for _, left, right in products) <= MAX_TERMS
    with pytest.raises(ModelFileError, match="bits"):
        parse("(9**999)**999")


EXPONENT = "the exponent of a number must be an integer from -300 to 300 (at most 3 digits)"
MAGNITUDE = "a non-zero number must be between 1e-300 and 1e300 in magnitude"


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ("1e-999999*hbar*dag(a)*a", EXPONENT, 1),
        ("1e99999999*U", EXPONENT, 1),
        ("U + 1e301", EXPONENT, 5),
        ("U*1e-301", EXPONENT, 3),
        ("1E+0300", EXPONENT, 1),  # four exponent digits, though the value is in range
        ("0e999", EXPONENT, 1),
        ("1000e298", MAGNITUDE, 1),  # exponent in range, value 1e301
        ("0.001e-298", MAGNITUDE, 1),
        ("-" + "9" * 30 + "e300", MAGNITUDE, 2),
        ("1" * 41, "a number of more than 40 characters", 1),
        ("q[" + "1" * 5000 + ",1]", "expected a level number 1..3, got '" + "1" * 40 + "...'", 3),
    ],
)
def test_number_literals_out_of_range_are_refused_quickly(monkeypatch, text, message, column):
    # Refused on the text: no number past 40 digits times 1e300 is ever built on the way
    # (1e-999999 as an exact number would be a million-digit denominator).
    built = []
    for name in ("Integer", "Rational"):
        original = getattr(expression_parser, name)
        monkeypatch.setattr(
            expression_parser,
            name,
            lambda *args, _make=original: built.append(args) or _make(*args),
        )
    with pytest.raises(ModelFileError) as info:
        parse(text)
    assert str(info.value) == f"t.toml: model.hamiltonian, column {column}: {message}"
    largest = 10 ** (MAX_NUMBER_CHARACTERS + MAX_DECIMAL_EXPONENT)
    assert all(abs(int(value)) <= largest for args in built for value in args)
    parse("2.5e3")
    assert built[-1] == (2500,)  # the spy sees the numbers that are built


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1e300", sp.Integer(10) ** 300),
        ("1e-300", sp.Rational(1, 10**300)),
        ("-1E+300", -(sp.Integer(10) ** 300)),
        ("1000e297", sp.Integer(10) ** 300),
        ("0.001e-297", sp.Rational(1, 10**300)),
        ("9" * 36 + "e264", (10**36 - 1) * sp.Integer(10) ** 264),
        ("0e300 + 0.0e-300", 0),
        ("1" * 40, sp.Integer(int("1" * 40))),
        ("0." + "0" * 37 + "1", sp.Rational(1, 10**38)),
        (
            "1.234567890123456789012345678901234e-300",  # 40 characters
            sp.Rational(1234567890123456789012345678901234, 10**333),
        ),
        ("1e300*1e300", sp.Integer(10) ** 600),  # computed numbers: bounded by MAX_BITS
        ("1e-300/1e300", sp.Rational(1, 10**600)),
    ],
)
def test_number_literals_in_range_keep_their_exact_value(text, value):
    got = parse(text)
    assert got == value and (got.is_Rational or got == 0)


def test_computed_numbers_past_the_bit_limit_are_refused():
    with pytest.raises(ModelFileError, match=r"column \d+: a number of more than 100000 bits"):
        parse("(1e300)**1000")
    with pytest.raises(ModelFileError, match="exponent must be at most 1000"):
        parse("1e300**1001")


def kerr_error(**changes) -> str:
    with pytest.raises(ModelFileError) as info:
        junction_from_table(kerr(**changes), source="kerr.toml")
    assert isinstance(info.value, ModelError)
    return str(info.value)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"model__coupling": ["a"]},
            "kerr.toml: model.coupling[0], column 1: coupling operator A_1 is not Hermitian",
        ),
        (
            {"model__coupling": ["a + dag(a)", "I*(a - dag(a))*0 + a"], "model__flags": None},
            "model.coupling[1], column 1: coupling operator A_2 is not Hermitian",
        ),
        (
            {"model__hamiltonian": "hbar*omega0*a"},
            "model.hamiltonian, column 1: H_s is not Hermitian",
        ),
        ({"model__hamiltonian": "U*a*a + x"}, "model.hamiltonian, column 9: undeclared name 'x'"),
        ({"operators__a": "anyon"}, "operators.a: unknown operator kind 'anyon'"),
        ({"operators__a": "levels:1"}, "operators.a: unknown operator kind"),
        ({"operators__a": 3}, "operators.a: expected a string, got int"),
        ({"parameters__U": "complex"}, "parameters.U: unknown parameter kind 'complex'"),
        (
            {"parameters__omega0": "real"},
            "parameters.omega0: built-in parameter 'omega0' has other",
        ),
        ({"parameters__hbar": "positive"}, "parameters.hbar: 'hbar' is reserved"),
        ({"parameters__E": "real"}, "parameters.E: 'E' is a SymPy name"),
        ({"parameters__a": "real"}, "parameters.a: 'a' is declared twice"),
        ({"model__dissipation": "drude"}, "model.dissipation: unknown dissipation 'drude'"),
        (
            {"model__dissipation": "lorentzian:omega_res,a"},
            "model.dissipation, column 22: ETA must be a c-number",
        ),
        ({"model__hamiltonian": None}, "model: missing required key 'hamiltonian'"),
        ({"name": None}, "top level: missing required key 'name'"),
        ({"model__hamiltonian": 3}, "model.hamiltonian: expected a string, got int"),
        ({"model__coupling": "a + dag(a)"}, "model.coupling: expected a non-empty array"),
        ({"model__coupling": [1]}, "model.coupling[0]: expected a string, got int"),
        ({"model__coupling": ["2"]}, "model.coupling[0], column 1: a coupling operator A_n must"),
        ({"model__flags": [[True]]}, "model.flags[0][0]: expected a number, got bool"),
        ({"model__flags": [[1, 0]]}, "model.flags: expected 1 rows of 1 entries"),
        ({"model__flags": [["a"]]}, "model.flags[0][0]: expected a finite c-number"),
        ({"model__flags": [[float("nan")]]}, "model.flags[0][0]: expected a finite c-number"),
        ({"model__flags": [[float("inf")]]}, "model.flags[0][0]: expected a finite c-number"),
        ({"model__flags": [[-1]]}, "kerr.toml: model: model 'kerr': flag matrix h"),
        ({"model__flags": [[2**63]]}, "model.flags[0][0]: integer of 64 bits is out of range"),
        ({"model__flags": [[-(2**63)]]}, "model.flags[0][0]: integer of 64 bits is out of"),
        ({"model__flags": [[10**5000]]}, "model.flags[0][0]: integer of 16610 bits is out of"),
        ({"model__flags": [[5e-324]]}, "model.flags[0][0]: expected a finite c-number; a non-"),
        ({"model__flags": [[1e301]]}, "model.flags[0][0]: expected a finite c-number; a non-"),
        ({"model__flags": [[9.9e-301]]}, "between 1e-300 and 1e300 in magnitude"),
        ({"parameters__U": 10**5000}, "parameters.U: unknown parameter kind of type int"),
        ({"model__counterterm": "yes"}, "model.counterterm: expected true or false"),
        ({"model__extra": 1}, "model: unknown key 'extra'"),
        ({"colour": "red"}, "top level: unknown key 'colour'"),
        ({"model": "H"}, "model: expected a table, got str"),
        ({"name": "x\ny"}, "name: expected letters"),
        ({"description": 'say "hi"'}, "description: expected at most 300"),
    ],
)
def test_refused_tables_name_the_file_and_field(changes, expected):
    assert expected in kerr_error(**changes)


def test_junction_refusals_still_name_the_file():
    two = {
        "model__coupling": ["a + dag(a)", "dag(a)*a"],
        "model__flags": [[1, 2], [2, 1]],
    }
    message = kerr_error(**two)
    assert message.startswith("kerr.toml: model: ") and "positive semidefinite" in message
    assert junction_from_table(
        kerr(model__flags=[["1", 0.5], [0.5, 1]], model__coupling=two["model__coupling"]),
        source="k",
    ).flags[0, 1] == sp.Rational(1, 2)


@pytest.mark.parametrize(
    ("flag", "value"),
    [
        (2**63 - 1, sp.Integer(2**63 - 1)),
        (1e300, sp.Integer(10) ** 300),
        (1e-300, sp.Rational(1, 10**300)),
        (0.0, 0),
        ("1e300", sp.Integer(10) ** 300),
    ],
)
def test_toml_numbers_in_range_keep_their_exact_value(flag, value):
    data = kerr(model__flags=[[flag]])
    assert junction_from_table(data, source="k").flags[0, 0] == value


ALPHABET = "as.xyzplumin q[],()+-*/**0123456789.eE U_Idag sqrt\t"


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=60), st.text(alphabet=ALPHABET, max_size=60)))
def test_fuzzed_text_parses_or_is_refused_by_the_package(text):
    try:
        value = parse(text)
    except ModelFileError as exc:
        assert str(exc).startswith("t.toml: model.hamiltonian")
    else:
        assert value is not None


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.sampled_from(["a", "dag(a)", "s.x", "s.z", "q[1,2]", "U", "2", "0.5", "pi", "I"]),
        lambda inner: st.one_of(
            st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "**"]), inner).map("".join),
            inner.map(lambda x: f"({x})"),
            inner.map(lambda x: f"dag({x})"),
        ),
        max_leaves=12,
    )
)
def test_fuzzed_grammar_strings_parse_or_are_refused(text):
    try:
        parse(text)
    except ModelFileError:
        pass


def test_python_api_energies_are_never_parsed_as_text():
    from heatbounds.symbolic.errors import ModelError
    from heatbounds.symbolic.models import n_level_concrete

    with pytest.raises(ModelError, match="energies must be numbers or SymPy expressions"):
        n_level_concrete(['__import__("os")', 1])
    assert n_level_concrete([0, 1.5]).name == "2-level"
