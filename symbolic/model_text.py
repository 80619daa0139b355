"""Model files as text: a loaded TOML table -> a :class:`Junction` (Eq. 3), never evaluated.

A model file declares the subsystem's operators and parameters and gives H_s,
the coupling operators A_n of Eq. 3, the flags h_{nn'} of Eq. 8 and the
dissipation Jtilde (Eq. 5, 8). Expressions are read by this module's own
tokenizer and recursive-descent parser, which builds SymPy and operator
objects directly; user text is never passed to ``eval``, ``sympify`` or any
other evaluator. Grammar (``**`` binds tighter than unary minus, as in Python)::

    expr  := term (("+" | "-") term)*
    term  := unary (("*" | "/") unary)*
    unary := ("+" | "-") unary | power
    power := atom ("**" unary)?
    atom  := NUMBER | NAME | NAME "." NAME | NAME "[" INT "," INT "]"
           | NAME "(" expr ")" | "(" expr ")"

Every refusal is a :class:`~heatbounds.symbolic.errors.ModelFileError` naming
the source, the field and the column.

>>> from heatbounds.symbolic.sum_rules import moment
>>> j = junction_from_table({"name": "osc", "operators": {"a": "boson"},
...     "parameters": {"omega0": "positive"},
...     "model": {"hamiltonian": "hbar*omega0*(dag(a)*a + 1/2)", "coupling": ["a + dag(a)"]}},
...     source="osc.toml")
>>> moment(j, 1)
omega0/hbar
"""

from __future__ import annotations

import builtins
import keyword
import math
import re
from dataclasses import dataclass

import sympy
from sympy import Basic, Expr, I, Integer, Rational, Symbol, conjugate, cos, exp, pi, sin, sqrt

from heatbounds.symbolic.dissipation import ETA, OMEGA_C, OMEGA_R, Lorentzian, Ohmic, PowerLaw
from heatbounds.symbolic.errors import HeatboundsError, ModelFileError
from heatbounds.symbolic.junction import Junction, MatrixUnits
from heatbounds.symbolic.operators import Boson, Levels, OperatorExpr, Spin
from heatbounds.symbolic.parameters import MEANINGS, hbar, k_B, symbol

__all__ = ["MAX_DEPTH", "MAX_EXPRESSION", "junction_from_table", "parse_expression"]

MAX_EXPRESSION = 100_000  # characters of one expression (refused before tokenizing)
MAX_DEPTH = 60  # nesting of brackets, signs and powers (far below the recursion limit)
MAX_OPERATOR_POWER = 16
MAX_TERMS = 5_000  # terms of one operator expression
MAX_WORK = 20_000  # term-by-term products of operators over one whole expression
MAX_NUMBER_EXPONENT = 1_000  # |e| in number ** e
MAX_BITS = 100_000  # numerator and denominator of an exact number
KINDS = {"positive": {"positive": True}, "nonnegative": {"nonnegative": True}}
KINDS["real"] = {"real": True}
SPIN_PARTS = ("x", "y", "z", "plus", "minus")
FUNCTIONS = {"sqrt": sqrt, "exp": exp, "sin": sin, "cos": cos}
CONSTANTS = {"hbar": hbar, "k_B": k_B, "pi": pi, "I": I}
# Names the bath, bounds and printers use; never user parameters or operators.
RESERVED = {*CONSTANTS, *FUNCTIONS, "dag", "alpha", "gamma", "alpha_L", "alpha_R", "omega"}
RESERVED |= {"omega_c", "omega_L", "omega_R", "eta", "T", "T_L", "T_R", "M", "N_levels", "np"}
RESERVED |= {"energy", "numpy", "math"}
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,31}")
_MODEL_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_DESCRIPTION = re.compile(r"[A-Za-z0-9 ,.;:()'/+=_-]{0,300}")
_TOKEN = re.compile(
    r"\s*(?:(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(?P<name>[A-Za-z_]\w*)"
    r"|(?P<op>\*\*|[-+*/()\[\],.]))",
    re.ASCII,
)
TOP_KEYS = {"name", "description", "operators", "parameters", "model"}
MODEL_KEYS = {"hamiltonian", "coupling", "flags", "dissipation", "counterterm"}


@dataclass(frozen=True)
class _Token:
    kind: str  # number | name | op | end
    text: str
    column: int

    def is_op(self, *texts: str) -> bool:
        return self.kind == "op" and self.text in texts


def _error(source: str, field: str, message: str, column: int | None = None) -> ModelFileError:
    """The refusal naming source, field and (for expressions) the column."""
    at = f", column {column}" if column is not None else ""
    return ModelFileError(f"{source}: {field}{at}: {message}")


def _tokens(text: str, source: str, field: str) -> list[_Token]:
    out, pos = [], 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            rest = text[pos:].lstrip()
            if not rest:
                break
            expected = "expected a number, a name, an operator + - * / ** or a bracket"
            message = f"unexpected character {rest[0]!r}; {expected}"
            raise _error(source, field, message, len(text) - len(rest) + 1)
        kind = match.lastgroup
        out.append(_Token(kind, match.group(kind), match.start(kind) + 1))
        pos = match.end()
    out.append(_Token("end", "", len(text) + 1))
    return out


class _Parser:
    """Recursive descent over the tokens; values are SymPy c-numbers or OperatorExpr."""

    def __init__(self, text: str, names: dict, source: str, field: str):
        self.names, self.source, self.field = names, source, field
        if len(text) > MAX_EXPRESSION:
            raise self.err(f"expression of {len(text)} characters is over {MAX_EXPRESSION}", 1)
        self.tokens, self.i, self.depth, self.work = _tokens(text, source, field), 0, 0, 0

    def err(self, message: str, column: int) -> ModelFileError:
        return _error(self.source, self.field, message, column)

    def peek(self) -> _Token:
        return self.tokens[self.i]

    def take(self) -> _Token:
        token = self.tokens[self.i]
        self.i = min(self.i + 1, len(self.tokens) - 1)
        return token

    def expect(self, text: str, what: str) -> _Token:
        token = self.take()
        if not token.is_op(text):
            raise self.fail(token, what)
        return token

    def fail(self, token: _Token, expected: str) -> ModelFileError:
        got = "the end of the expression" if token.kind == "end" else repr(token.text)
        return self.err(f"expected {expected}, got {got}", token.column)

    def parse(self):
        value = self.expr()
        if self.peek().kind != "end":
            raise self.fail(self.peek(), "an operator + - * / ** or the end of the expression")
        return value

    def nested(self, token: _Token, inner):
        """``inner()`` one level deeper; refused past MAX_DEPTH (before Python's limit)."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.err(f"nested more than {MAX_DEPTH} levels deep", token.column)
        value = inner()
        self.depth -= 1
        return value

    def expr(self):
        value = self.term()
        while self.peek().is_op("+", "-"):
            op = self.take()
            right = self.term()
            right = right if op.text == "+" else -right
            value = right + value if isinstance(right, OperatorExpr) else value + right
            self.check_size(value, op)
        return value

    def term(self):
        value = self.unary()
        while self.peek().is_op("*", "/"):
            op = self.take()
            right = self.unary()
            value = (self.multiply if op.text == "*" else self.divide)(value, right, op)
        return value

    def unary(self):
        token = self.peek()
        if token.is_op("+", "-"):
            self.take()
            value = self.nested(token, self.unary)
            return -value if token.text == "-" else value
        return self.power()

    def power(self):
        base, token = self.atom(), self.peek()
        if not token.is_op("**"):
            return base
        self.take()
        exponent = self.nested(token, self.unary)
        if isinstance(exponent, OperatorExpr):
            raise self.err("an exponent must be a number, not an operator", token.column)
        if isinstance(base, OperatorExpr):
            if not (exponent.is_Integer and 0 <= exponent <= MAX_OPERATOR_POWER):
                limit = f"an integer 0..{MAX_OPERATOR_POWER}"
                raise self.err(f"an operator power must be {limit}, got {exponent}", token.column)
            value = OperatorExpr.scalar(1)
            for _ in range(int(exponent)):
                value = self.multiply(value, base, token)
            return value
        if base.is_number and exponent.is_number and abs(exponent) > MAX_NUMBER_EXPONENT:
            raise self.err(f"a number exponent must be at most {MAX_NUMBER_EXPONENT}", token.column)
        if base.is_Rational and exponent.is_Integer and base != 0:
            if max(base.p.bit_length(), base.q.bit_length()) * abs(exponent) > MAX_BITS:
                raise self.err(f"a number of more than {MAX_BITS} bits", token.column)
        return self.finite(base**exponent, token)

    def atom(self):
        token = self.take()
        if token.kind == "number":
            if len(token.text) > 40:
                raise self.err("a number of more than 40 characters", token.column)
            return Integer(token.text) if token.text.isdigit() else Rational(token.text)
        if token.is_op("("):
            value = self.nested(token, self.expr)
            self.expect(")", f"')' closing the '(' at column {token.column}")
            return value
        if token.kind != "name":
            raise self.fail(token, "a number, a name or '('")
        return self.named(token)

    def named(self, token: _Token):
        name, nxt = token.text, self.peek()
        if nxt.is_op("("):
            return self.call(token)
        if name in CONSTANTS:
            return CONSTANTS[name]
        if name not in self.names:
            where = "declare it under [operators] or [parameters]"
            raise self.err(f"undeclared name {name!r}; {where}", token.column)
        value = self.names[name]
        if isinstance(value, Spin):
            parts = ", ".join(SPIN_PARTS)
            self.expect(".", f"'.' and a component of spin {name!r} ({parts})")
            part = self.take()
            if part.kind != "name" or part.text not in SPIN_PARTS:
                raise self.fail(part, f"a spin component {parts}")
            return getattr(value, part.text)
        if isinstance(value, Levels):
            self.expect("[", f"'[i,j]' after levels operator {name!r}")
            i = self.level(value)
            self.expect(",", "',' between the two level numbers")
            j = self.level(value)
            self.expect("]", "']' closing the level numbers")
            return value[i, j]
        if nxt.is_op(".", "["):
            only = "only spin-1/2 components s.x and levels units q[i,j]"
            raise self.err(f"{name!r} takes no attribute or index ({only})", nxt.column)
        return value

    def call(self, token: _Token):
        name, bracket = token.text, self.take()
        if name != "dag" and name not in FUNCTIONS:
            expected = "expected dag, sqrt, exp, sin or cos"
            raise self.err(f"unknown function {name!r}; {expected}", token.column)
        arg = self.nested(bracket, self.expr)
        self.expect(")", f"')' closing {name}( at column {bracket.column}")
        if name == "dag":
            return arg.dagger() if isinstance(arg, OperatorExpr) else conjugate(arg)
        if isinstance(arg, OperatorExpr):
            raise self.err(f"{name}() takes a c-number, not an operator", token.column)
        return self.finite(FUNCTIONS[name](arg), token)

    def level(self, levels: Levels) -> int:
        token, size = self.take(), int(levels.size)
        if token.kind != "number" or not token.text.isdigit() or not 1 <= int(token.text) <= size:
            raise self.fail(token, f"a level number 1..{size}")
        return int(token.text)

    def multiply(self, left, right, op: _Token):
        if isinstance(left, OperatorExpr) and isinstance(right, OperatorExpr):
            self.work += len(left) * len(right)
            if self.work > MAX_WORK:
                message = f"more than {MAX_WORK} operator products to expand; simplify it"
                raise self.err(message, op.column)
        if not isinstance(left, OperatorExpr) and not isinstance(right, OperatorExpr):
            return self.finite(left * right, op)
        value = left * right if isinstance(left, OperatorExpr) else right * left
        self.check_size(value, op)
        return value

    def divide(self, left, right, op: _Token):
        if isinstance(right, OperatorExpr):
            raise self.err("cannot divide by an operator", op.column)
        if right == 0:
            raise self.err("division by zero", op.column)
        return left / right if isinstance(left, OperatorExpr) else self.finite(left / right, op)

    def finite(self, value: Expr, token: _Token) -> Expr:
        if value.has(sympy.zoo, sympy.oo, -sympy.oo, sympy.nan):
            raise self.err("the expression is not finite here", token.column)
        if value.is_Rational and max(value.p.bit_length(), value.q.bit_length()) > MAX_BITS:
            raise self.err(f"a number of more than {MAX_BITS} bits", token.column)
        return value

    def check_size(self, value, token: _Token) -> None:
        if isinstance(value, OperatorExpr) and len(value) > MAX_TERMS:
            raise self.err(f"operator expression of more than {MAX_TERMS} terms", token.column)


def parse_expression(text: str, names: dict, *, source: str = "<text>", field: str = "expr"):
    """Parse one expression over ``names`` (name -> Symbol, Boson operator, Spin or Levels).

    Returns a SymPy c-number or an :class:`OperatorExpr`; refuses with
    :class:`ModelFileError` naming ``source``, ``field`` and the column.

    >>> parse_expression("2*x**2 + 1/2", {"x": Symbol("x")})
    2*x**2 + 1/2
    """
    if not isinstance(text, str):
        raise _error(source, field, f"expected a string, got {type(text).__name__}")
    return _Parser(text, names, source, field).parse()


def _table(data, source: str, field: str, keys: set | None, required: set = frozenset()) -> dict:
    """``data`` as a table with only ``keys`` (any if None) and every ``required`` key."""
    if not isinstance(data, dict):
        raise _error(source, field, f"expected a table, got {type(data).__name__}")
    unknown = sorted(set(data) - keys) if keys is not None else []
    if unknown:
        expected = f"expected one of {', '.join(sorted(keys))}"
        raise _error(source, field, f"unknown key {unknown[0]!r}; {expected}")
    missing = sorted(required - set(data))
    if missing:
        raise _error(source, field, f"missing required key {missing[0]!r}")
    return data


def _string(value, source: str, field: str) -> str:
    if not isinstance(value, str):
        raise _error(source, field, f"expected a string, got {type(value).__name__}")
    return value


def _declare(name: str, source: str, field: str, taken: dict) -> None:
    if not _NAME.fullmatch(name):
        raise _error(source, field, "a name is a letter, then letters, digits or '_' (<= 32)")
    if name in RESERVED or keyword.iskeyword(name) or hasattr(builtins, name):
        raise _error(source, field, f"{name!r} is reserved; choose another name")
    if hasattr(sympy, name) and name not in MEANINGS:
        raise _error(source, field, f"{name!r} is a SymPy name (printed strings would misread it)")
    if name in taken:
        raise _error(source, field, f"{name!r} is declared twice")


def _operators(data, source: str, names: dict) -> None:
    for name, kind in _table(data, source, "operators", None).items():
        field = f"operators.{name}"
        _declare(name, source, field, names)
        kind = _string(kind, source, field)
        if kind == "boson":
            names[name] = Boson(name).annihilate
        elif kind == "spin-1/2":
            names[name] = Spin(name)
        elif re.fullmatch(r"levels:[1-9][0-9]?", kind) and int(kind[7:]) >= 2:
            names[name] = Levels(name, int(kind[7:]))
        else:
            expected = "expected boson, spin-1/2 or levels:N with N in 2..99"
            raise _error(source, field, f"unknown operator kind {kind[:40]!r}; {expected}")
    if not names:
        raise _error(source, "operators", "declare at least one operator")


def _parameters(data, source: str, names: dict) -> dict:
    meanings = {}
    for name, kind in _table(data, source, "parameters", None).items():
        field = f"parameters.{name}"
        _declare(name, source, field, names)
        if not isinstance(kind, str) or kind not in KINDS:
            expected = "expected positive, nonnegative or real"
            raise _error(source, field, f"unknown parameter kind {str(kind)[:40]!r}; {expected}")
        names[name] = Symbol(name, **KINDS[kind])
        builtin = symbol(name)  # the built-in models' symbol, with its assumptions
        if name in MEANINGS or name.startswith("E_"):
            if names[name] != builtin:
                own = next(k for k, v in KINDS.items() if Symbol(name, **v) == builtin)
                message = f"built-in parameter {name!r} has other assumptions; declare it {own!r}"
                raise _error(source, field, message)
            names[name] = builtin
        meanings[name] = MEANINGS.get(name, f"model parameter {name} ({kind})")
    return meanings


def _dissipation(text, source: str, names: dict):
    field = "model.dissipation"
    text = _string(text, source, field)
    if text == "ohmic":
        return Ohmic()
    if re.fullmatch(r"power:[1-9]", text):
        return PowerLaw(int(text[6:]))
    if text.startswith("lorentzian:") and text.count(",") == 1:
        env = {**names, "omega_R": OMEGA_R, "eta": ETA, "omega_c": OMEGA_C}
        values, offset = [], 12
        for label, part in zip(("OMEGA_R", "ETA"), text[11:].split(","), strict=True):
            try:
                value = parse_expression(part, env, source=source, field=f"{field} {label}")
            except ModelFileError as exc:
                raise _error(source, field, f"{exc} (the text starts at column {offset})") from None
            if isinstance(value, OperatorExpr):
                raise _error(source, field, f"{label} must be a c-number", offset)
            values.append(value)
            offset += len(part) + 1
        return Lorentzian(*values)
    expected = "expected ohmic, power:S (S in 1..9) or lorentzian:OMEGA_R,ETA"
    raise _error(source, field, f"unknown dissipation {text[:40]!r}; {expected}")


def _flags(data, source: str, names: dict, n: int) -> list:
    if not isinstance(data, list) or not all(isinstance(row, list) for row in data):
        raise _error(source, "model.flags", "expected an array of arrays (h of Eq. 8)")
    if len(data) != n or any(len(row) != n for row in data):
        message = f"expected {n} rows of {n} entries, one per coupling operator"
        raise _error(source, "model.flags", message)
    out = []
    for r, row in enumerate(data):
        out.append([])
        for c, entry in enumerate(row):
            field = f"model.flags[{r}][{c}]"
            if isinstance(entry, bool) or not isinstance(entry, int | float | str):
                raise _error(source, field, f"expected a number, got {type(entry).__name__}")
            if isinstance(entry, str):
                value = parse_expression(entry, names, source=source, field=field)
            elif isinstance(entry, float) and not math.isfinite(entry):  # TOML inf, nan
                value = sympy.nan
            else:
                value = Integer(entry) if isinstance(entry, int) else Rational(repr(entry))
            if isinstance(value, OperatorExpr) or not value.is_finite:
                raise _error(source, field, "expected a finite c-number")
            out[-1].append(value)
    return out


def _hermitian(op: OperatorExpr, source: str, field: str, what: str) -> None:
    if not (op.dagger() - op).is_zero():
        why = "Eq. 3 needs a Hermitian H_s and total coupling sum_n g^n A_n (b + b^dagger), g real"
        raise _error(source, field, f"{what} is not Hermitian ({why})", 1)


def _couplings(model: dict, source: str, names: dict):
    spec = model["coupling"]
    if spec == "matrix-units":
        operators = [v for v in names.values() if not isinstance(v, Basic)]
        if len(operators) != 1 or not isinstance(operators[0], Levels):
            message = "matrix-units needs exactly one operator, of kind levels:N"
            raise _error(source, "model.coupling", message)
        return MatrixUnits(operators[0])
    if not isinstance(spec, list) or not spec:
        message = 'expected a non-empty array of operator strings or "matrix-units"'
        raise _error(source, "model.coupling", message)
    out = {}
    for n, text in enumerate(spec):
        field = f"model.coupling[{n}]"
        op = parse_expression(_string(text, source, field), names, source=source, field=field)
        if not isinstance(op, OperatorExpr) or op.is_scalar():
            raise _error(source, field, "a coupling operator A_n must involve an operator", 1)
        _hermitian(op, source, field, f"coupling operator A_{n + 1}")
        out[f"A{n + 1}"] = op
    return out


def junction_from_table(data: dict, *, source: str) -> Junction:
    """The junction (Eq. 3) described by a loaded model-file table; ``source`` labels messages.

    The junction also gets ``level_sizes`` (name -> N of each levels:N operator),
    which ``heatbounds check`` needs to build its matrices.
    """
    _table(data, source, "top level", TOP_KEYS, {"name", "operators", "model"})
    name = _string(data["name"], source, "name")
    if not _MODEL_NAME.fullmatch(name):
        raise _error(source, "name", "expected letters, digits, '.', '_' or '-' (at most 64)")
    description = _string(data.get("description", ""), source, "description")
    if not _DESCRIPTION.fullmatch(description):
        allowed = "letters, digits, spaces and , . ; : ( ) ' / + = _ -"
        raise _error(source, "description", f"expected at most 300 {allowed}")
    names: dict = {}
    _operators(data["operators"], source, names)
    meanings = _parameters(data.get("parameters", {}), source, names)
    model = _table(data["model"], source, "model", MODEL_KEYS, {"hamiltonian", "coupling"})
    field = "model.hamiltonian"
    h_s = parse_expression(
        _string(model["hamiltonian"], source, field), names, source=source, field=field
    )
    h_s = h_s if isinstance(h_s, OperatorExpr) else OperatorExpr.scalar(h_s)
    _hermitian(h_s, source, field, "H_s")
    couplings, flags = _couplings(model, source, names), None
    if "flags" in model:
        if isinstance(couplings, MatrixUnits):
            raise _error(source, "model.flags", "matrix-units couplings take no flags")
        flags = _flags(model["flags"], source, names, len(couplings))
    counterterm = model.get("counterterm", False)
    if not isinstance(counterterm, bool):
        raise _error(source, "model.counterterm", "expected true or false")
    dissipation = _dissipation(model.get("dissipation", "ohmic"), source, names)
    try:
        junction = Junction(
            name=name,
            description=description,
            system_hamiltonian=h_s,
            couplings=couplings,
            flags="identity" if isinstance(couplings, MatrixUnits) else flags,
            dissipation=dissipation,
            counterterm=counterterm,
            parameters=meanings,
        )
    except HeatboundsError as exc:  # the Junction's own checks (flags, Hermiticity)
        raise _error(source, "model", str(exc)) from None
    junction.level_sizes = {k: int(v.size) for k, v in names.items() if isinstance(v, Levels)}
    return junction
