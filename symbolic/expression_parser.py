"""Model-file expressions as text -> SymPy c-numbers and operators, never evaluated.

The expressions of a model file (H_s, the coupling operators A_n of Eq. 3, the
flags h_{nn'} of Eq. 8, the Lorentzian's parameters) are read by this module's
own tokenizer and recursive-descent parser, which builds SymPy and operator
objects directly; user text is never passed to ``eval``, ``sympify`` or any
other evaluator. Grammar (``**`` binds tighter than unary minus, as in Python)::

    expr  := term (("+" | "-") term)*
    term  := unary (("*" | "/") unary)*
    unary := ("+" | "-") unary | power
    power := atom ("**" unary)?
    atom  := NUMBER | NAME | NAME "." NAME | NAME "[" INT "," INT "]"
           | NAME "(" expr ")" | "(" expr ")"
    NUMBER := (DIGITS ("." DIGITS?)? | "." DIGITS) (("e" | "E") ("+" | "-")? DIGITS)?

The range of a NUMBER (decimal ASCII digits, no sign: ``-`` is unary minus) is
checked on its text before any SymPy number is built: at most
``MAX_NUMBER_CHARACTERS`` = 40 characters; the exponent an integer from
-``MAX_DECIMAL_EXPONENT`` to ``MAX_DECIMAL_EXPONENT`` (-300 to 300, at most 3
digits); the exact value, if non-zero, between 1e-300 and 1e300 in magnitude
(both included). Values are exact rationals (``0.1`` is 1/10). Numbers computed
inside an expression stay exact and are bounded instead by ``MAX_NUMBER_EXPONENT``
(a number exponent of at most 1000 in magnitude) and ``MAX_BITS`` (numerator and
denominator of at most 100000 bits): ``1e300*1e300`` is the exact 10**600,
``(9**999)**999`` is refused. TOML numbers of a model file (the flags) are
checked in :mod:`~heatbounds.symbolic.model_text`: integers with
``|n| < TOML_INTEGER_LIMIT`` = 2**63, floats finite and, if non-zero, between
1e-300 and 1e300 in magnitude.

Every refusal is a :class:`~heatbounds.symbolic.errors.ModelFileError` naming
the source, the field and the column.

>>> from heatbounds.symbolic.operators import Boson
>>> parse_expression("dag(a)*a + 1/2", {"a": Boson("a").annihilate})
1/2 + a^dag a
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sympy
from sympy import Expr, I, Integer, Rational, conjugate, cos, exp, pi, sin, sqrt

from heatbounds.symbolic.errors import ModelFileError
from heatbounds.symbolic.operators import Levels, OperatorExpr, Spin
from heatbounds.symbolic.parameters import hbar, k_B

__all__ = [
    "MAX_DECIMAL_EXPONENT",
    "MAX_DEPTH",
    "MAX_EXPRESSION",
    "MAX_NUMBER_CHARACTERS",
    "TOML_INTEGER_LIMIT",
    "parse_expression",
]

MAX_EXPRESSION = 100_000  # characters of one expression (refused before tokenizing)
MAX_DEPTH = 60  # nesting of brackets, signs and powers (far below the recursion limit)
MAX_OPERATOR_POWER = 16
MAX_TERMS = 5_000  # terms of one operator expression
MAX_WORK = 20_000  # term-by-term products of operators over one whole expression
MAX_NUMBER_EXPONENT = 1_000  # |e| in number ** e
MAX_BITS = 100_000  # numerator and denominator of an exact number
MAX_NUMBER_CHARACTERS = 40  # of one NUMBER token
MAX_DECIMAL_EXPONENT = 300  # |e| in a NUMBER's exponent; also its magnitude 1e-300..1e300
MAX_EXPONENT_DIGITS = len(str(MAX_DECIMAL_EXPONENT))
SMALLEST = Rational(1, 10**MAX_DECIMAL_EXPONENT)  # magnitude of a non-zero NUMBER, exact
LARGEST = Integer(10**MAX_DECIMAL_EXPONENT)
TOML_INTEGER_LIMIT = 2**63  # a TOML integer n has |n| < 2**63 (64 bits)
SPIN_PARTS = ("x", "y", "z", "plus", "minus")
FUNCTIONS = {"sqrt": sqrt, "exp": exp, "sin": sin, "cos": cos}
CONSTANTS = {"hbar": hbar, "k_B": k_B, "pi": pi, "I": I}
_TOKEN = re.compile(
    r"\s*(?:(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(?P<name>[A-Za-z_]\w*)"
    r"|(?P<op>\*\*|[-+*/()\[\],.]))",
    re.ASCII,
)
_NUMBER = re.compile(r"(\d*)\.?(\d*)(?:[eE]([+-]?)(\d+))?", re.ASCII)


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
        text = token.text if len(token.text) <= 40 else f"{token.text[:40]}..."
        got = "the end of the expression" if token.kind == "end" else repr(text)
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
            raise self.err("an exponent must be a c-number, not an operator", token.column)
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
            return self.number(token)
        if token.is_op("("):
            value = self.nested(token, self.expr)
            self.expect(")", f"')' closing the '(' at column {token.column}")
            return value
        if token.kind != "name":
            raise self.fail(token, "a number, a name or '('")
        return self.named(token)

    def number(self, token: _Token) -> Expr:
        """The exact value of a NUMBER, its range checked on the text before building it."""
        text, column = token.text, token.column
        if len(text) > MAX_NUMBER_CHARACTERS:
            raise self.err(f"a number of more than {MAX_NUMBER_CHARACTERS} characters", column)
        whole, fraction, sign, exponent = _NUMBER.fullmatch(text).groups()
        sign, exponent = sign or "", exponent or "0"
        if len(exponent) > MAX_EXPONENT_DIGITS or int(exponent) > MAX_DECIMAL_EXPONENT:
            limit = f"{-MAX_DECIMAL_EXPONENT} to {MAX_DECIMAL_EXPONENT}"
            message = f"the exponent of a number must be an integer from {limit}"
            raise self.err(f"{message} (at most {MAX_EXPONENT_DIGITS} digits)", column)
        shift, digits = int(sign + exponent) - len(fraction), int(whole + fraction)
        value = Integer(digits * 10**shift) if shift >= 0 else Rational(digits, 10**-shift)
        if value != 0 and not SMALLEST <= value <= LARGEST:
            bounds = f"1e-{MAX_DECIMAL_EXPONENT} and 1e{MAX_DECIMAL_EXPONENT}"
            raise self.err(f"a non-zero number must be between {bounds} in magnitude", column)
        return value

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
        digit = token.kind == "number" and token.text.isdigit() and len(token.text) <= 2
        if not digit or not 1 <= int(token.text) <= size:
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

    >>> parse_expression("2*x**2 + 1/2", {"x": sympy.Symbol("x")})
    2*x**2 + 1/2
    """
    if not isinstance(text, str):
        raise _error(source, field, f"expected a string, got {type(text).__name__}")
    return _Parser(text, names, source, field).parse()
