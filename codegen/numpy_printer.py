"""NumPy printing of symbolic results: numerically stable forms, powers, masks.

:class:`StableNumPyPrinter` is SymPy's :class:`~sympy.printing.numpy.NumPyPrinter`
with the habits the emitted modules need (style anchors, Codegen 4):

- integer powers are written out as products and negative powers as
  divisions (never ``x**(-1.0)``); ``Rational(1, 2)`` powers become ``np.sqrt``;
- numeric factors of a product are folded into one float literal;
- ``Piecewise`` is evaluated with masks, each branch only where it applies
  (never ``numpy.select``, which evaluates every branch everywhere);
- mode sums ``Sum(g_L(a, b, p) * A_b_L(a, b, p), (p, 1, M))`` become
  ``np.einsum`` over the mode axes of 1-based indexed array arguments
  (``g_L(a, b, p)`` is ``g_L[a - 1, b - 1, p - 1]``), trailing axes broadcast;
- anything else it cannot print raises :class:`CodegenError` (an explicit
  ``_print_not_supported``), never a comment in the output.

:func:`stabilise` rewrites an expression into stable atoms before printing:
Bose functions 1/(exp(x) - 1) as exp(-x)/(-expm1(-x)), a difference of two
Bose functions in a combined form accurate when the temperatures are close,
and 1/sinh(x) as 2 exp(-x)/(-expm1(-2x)) (no overflow at large x).

Examples
--------
>>> from sympy import Symbol, exp, sinh
>>> x, y = Symbol("x", positive=True), Symbol("y", real=True)
>>> StableNumPyPrinter().doprint(y**3 / x**2)
'y * y * y / (x * x)'
>>> stabilise(1 / sinh(x))
2*exp(-x)/NegExpm1(-x, exp(-x), 2)
"""

from __future__ import annotations

import math
from typing import ClassVar

from sympy import (
    Add,
    Basic,
    Expr,
    Float,
    Function,
    Integer,
    Mul,
    Pow,
    Rational,
    Sum,
    Symbol,
    exp,
    re,
    sinh,
    together,
)
from sympy.core.function import AppliedUndef
from sympy.core.logic import fuzzy_and
from sympy.printing.numpy import NumPyPrinter

from heatbounds.symbolic.errors import ModelError
from heatbounds.symbolic.expectation import Expectation
from heatbounds.symbolic.junction import SymmetricCoupling

__all__ = [
    "SMALL",
    "CodegenError",
    "ExpDifference",
    "NegExpm1",
    "StableNumPyPrinter",
    "float_literal",
    "is_leaf",
    "stabilise",
]

# Below this |argument| the subtraction 1 - exp(y) (or exp(y1) - exp(y2)) would
# lose more than about five bits, so the emitted code switches to expm1 there.
SMALL = 0.03125


class CodegenError(ModelError):
    """An expression or model that cannot become a standalone NumPy module."""


class NegExpm1(Function):
    """-expm1(n*y) = 1 - e**n, with the hint e = exp(y) (y <= 0) shared with other terms.

    Emitted code computes 1 - e**n from the shared exponential and recomputes
    -expm1(n*y) only where n*|y| < SMALL, where the subtraction would cancel.
    """

    nargs = 3

    def _eval_is_positive(self):
        y, _, n = self.args
        return fuzzy_and([y.is_negative, n.is_positive])

    def _eval_is_real(self):
        return self.args[0].is_real


class ExpDifference(Function):
    """exp(y1) - exp(y2), accurate when y1 is close to y2.

    Arguments ``(y1, y2, dy, e1, e2)``: ``dy`` is y1 - y2 written so that it is
    accurate on its own (e.g. Delta (T_L - T_R)/(T_L T_R)), ``e1, e2`` the
    shared exponentials. Where ``|y1 - y2| < SMALL`` the emitted code uses
    ``sign(dy) exp(max(y1, y2)) (-expm1(-|dy|))``, elsewhere ``e1 - e2``.
    """

    nargs = 5

    def _eval_is_real(self):
        return fuzzy_and(a.is_real for a in self.args[:3])


def float_literal(value) -> str:
    """The shortest repr of ``value`` as a float64 literal (deterministic)."""
    text = repr(float(value))
    return text if ("e" in text or "." in text or "inf" in text or "nan" in text) else text + ".0"


def _float64(number: Expr) -> float:
    """An exact SymPy number as float64, refused (CodegenError) beyond its range."""
    try:
        value = number.p / number.q  # correctly rounded for any size of p and q
    except OverflowError:
        value = math.inf
    if not math.isfinite(value):
        digits = len(str(abs(number.p))) - len(str(number.q))
        raise CodegenError(
            f"a number of about 10^{digits} is beyond float64 (1.8e308), in which the "
            "emitted module computes; rescale the model's parameters"
        )
    return value


def _bose_argument(expr: Expr) -> Expr | None:
    """x if ``expr`` is 1/(exp(x) - 1) with x > 0, else None."""
    if not (isinstance(expr, Pow) and expr.exp == -1 and isinstance(expr.base, Add)):
        return None
    terms = expr.base.args
    if len(terms) != 2 or Integer(-1) not in terms:
        return None
    other = terms[0] if terms[1] == -1 else terms[1]
    if isinstance(other, exp) and other.args[0].is_positive:
        return other.args[0]
    return None


def _lower_bose(x: Expr) -> Expr:
    e = exp(-x)
    return e / NegExpm1(-x, e, 1)


def _lower_bose_difference(a: Expr, b: Expr) -> Expr:
    ea, eb = exp(-a), exp(-b)
    dy = together(b - a)
    return ExpDifference(-a, -b, dy, ea, eb) / (NegExpm1(-a, ea, 1) * NegExpm1(-b, eb, 1))


def _combine_bose_pairs(expr: Expr) -> Expr:
    """c n(a) - c n(b) -> c (n(a) - n(b)) in the combined form, inside every Add."""
    if not expr.args:
        return expr
    expr = expr.func(*(_combine_bose_pairs(a) for a in expr.args))
    if not isinstance(expr, Add):
        return expr
    terms = list(expr.args)
    found = []
    for i, term in enumerate(terms):
        coeff, rest = term.as_coeff_mul()
        bose = [f for f in rest if _bose_argument(f) is not None]
        if len(bose) == 1:
            others = Mul(*(f for f in rest if f is not bose[0]))
            found.append((i, coeff, others, _bose_argument(bose[0])))
    used: set[int] = set()
    out = []
    for i, ci, oi, ai in found:
        for j, cj, oj, aj in found:
            if i in used or j in used or i == j or ai == aj:
                continue
            if ci > 0 and cj == -ci and oi == oj:
                out.append(ci * oi * _lower_bose_difference(ai, aj))
                used.update((i, j))
    out += [t for k, t in enumerate(terms) if k not in used]
    return Add(*out)


def stabilise(expr: Expr) -> Expr:
    """Rewrite Bose functions, their differences and 1/sinh into stable atoms.

    Only arguments SymPy knows to be positive are rewritten (the emitted code
    is exact for them); the result equals ``expr`` identically. Without ``exp``
    and ``sinh`` there is nothing to rewrite: ``expr`` comes back as it is
    (the walks below would rebuild the same tree).
    """
    if not expr.has(exp, sinh):
        return expr
    expr = _combine_bose_pairs(expr)

    def bose(node):
        return _bose_argument(node) is not None

    expr = expr.replace(bose, lambda node: _lower_bose(_bose_argument(node)))

    def csch(node):
        return (
            isinstance(node, Pow)
            and isinstance(node.base, sinh)
            and node.exp.is_Integer
            and node.exp < 0
            and node.base.args[0].is_positive
        )

    def lower_csch(node):
        x = node.base.args[0]
        e = exp(-x)
        return (2 * e / NegExpm1(-x, e, 2)) ** (-node.exp)

    return expr.replace(csch, lower_csch)


class StableNumPyPrinter(NumPyPrinter):
    """NumPy printing with stable forms, expanded powers and masked Piecewise.

    Settings (keyword arguments): ``names`` maps a symbol name to the Python
    text printed for it (e.g. ``{"hbar": "HBAR"}``); ``wrap`` is a format
    string applied to every symbol (``"_sub({}, m)"`` inside a masked branch).
    """

    printmethod = "_stablenumpycode"
    _default_settings: ClassVar[dict] = {
        **NumPyPrinter._default_settings,
        "names": {},
        "wrap": "{}",
    }

    def __init__(self, settings=None):
        super().__init__({"fully_qualified_modules": False, **(settings or {})})
        self._module = "np"
        self._printed: dict = {}
        self._re_found: dict = {}

    def _print(self, expr, **kwargs):
        # Memoised: the layout (pylayout) prints a long sum's terms over and over as it
        # cuts it into lines. Printing here is a function of the expression and the
        # settings alone (unsupported nodes raise; number symbols print as literals).
        if kwargs or not isinstance(expr, Basic):
            return super()._print(expr, **kwargs)
        text = self._printed.get(expr)
        if text is None:
            marks = self._marks()
            text = super()._print(expr)
            if self._marks() == marks:  # nothing declared on the side: the text is all
                self._printed[expr] = text
        return text

    def _marks(self) -> tuple[int, int]:
        return (
            len(getattr(self, "_number_symbols", ())),
            len(getattr(self, "_not_supported", ())),
        )

    def _has_re(self, expr: Basic) -> bool:
        """Whether ``expr`` holds ``re(...)`` (memoised over the subexpressions)."""
        found = self._re_found.get(expr)
        if found is None:
            found = isinstance(expr, re) or any(
                self._has_re(a) for a in expr.args if isinstance(a, Basic)
            )
            self._re_found[expr] = found
        return found

    def doprint(self, expr, assign_to=None):
        """CodePrinter's ``doprint`` without its walk of the whole expression for
        ``re(UnevaluatedExpr)`` where there is no ``re``: the same text."""
        if assign_to is not None or not isinstance(expr, Basic) or self._has_re(expr):
            return super().doprint(expr, assign_to)
        self._not_supported, self._number_symbols = set(), set()
        lines = self._print(expr).splitlines()
        declared = self._not_supported or self._number_symbols
        self._not_supported, self._number_symbols = set(), set()
        if declared or not self._settings["human"]:
            return super().doprint(expr, assign_to)
        return "\n".join(self._format_code(lines))

    def _module_format(self, fqn, register=True):
        # Emitted modules import numpy as np; record the import, print "np.".
        if register:
            self.module_imports.setdefault("numpy", set())
        return fqn.replace("numpy.", "np.", 1)

    # ---- atoms -------------------------------------------------------------
    def _name(self, text: str) -> str:
        return self._settings["wrap"].format(self._settings["names"].get(text, text))

    def _print_Symbol(self, expr):
        return self._name(expr.name)

    def _print_Expectation(self, expr):
        if any(not i.is_Integer for i in expr.indices):
            raise CodegenError(f"expectation {expr} with a symbolic index outside a mode sum")
        return self._name(str(expr))

    def _print_AppliedUndef(self, expr):
        if not all(a.is_Integer for a in expr.args):
            raise CodegenError(f"function value {expr} with a symbolic index outside a mode sum")
        index = ", ".join(str(int(a) - 1) for a in expr.args)
        return f"{self._name(type(expr).__name__)}[{index}]"

    def _print_Float(self, expr):
        return float_literal(expr)

    def _print_Rational(self, expr):
        if expr.q == 1:
            return self._print_Integer(expr)
        return float_literal(_float64(expr))

    def _print_Integer(self, expr):
        # Beyond 2**53 a float64 cannot hold the integer exactly anyway (the module
        # computes in float64): print the float, so 10**300 is 1e+300, not 301 digits.
        return str(expr.p) if abs(expr.p) < 2**53 else float_literal(_float64(expr))

    def _print_NumberSymbol(self, expr):
        return float_literal(expr.evalf(30))

    _print_Pi = _print_Exp1 = _print_EulerGamma = _print_NumberSymbol

    def _print_ImaginaryUnit(self, expr):
        return "1j"

    # ---- products and powers -------------------------------------------------
    def _coefficient(self, coeff: Expr) -> str:
        """A number as a literal: int, float (folded to float64) or complex."""
        if coeff.is_Integer:
            return str(int(coeff))
        if coeff.is_real:
            return float_literal(coeff.evalf(30))
        re_part, im_part = coeff.as_real_imag()
        if re_part == 0:
            return float_literal(im_part.evalf(30)) + "j"
        return f"complex({float_literal(re_part.evalf(30))}, {float_literal(im_part.evalf(30))})"

    def _print_Mul(self, expr):
        numbers = [a for a in expr.args if a.is_number]
        coeff = Mul(*numbers)
        num, den = [], []
        for factor in expr.args:
            if factor.is_number:
                continue
            base, e = factor.as_base_exp()
            if e.is_Integer and e < 0:
                den.append(base if e == -1 else Pow(base, -e))
            else:
                num.append(factor)
        sign = ""
        if coeff.is_real and coeff.is_negative:
            sign, coeff = "-", -coeff
        parts = [] if coeff == 1 else [self._coefficient(coeff)]
        parts += [self.parenthesize(f, 50) for f in num]
        text = " * ".join(parts) or "1.0"
        if den:
            den_text = " * ".join(self.parenthesize(f, 50) for f in den)
            if len(den) > 1 or (isinstance(den[0], Pow) and den[0].exp.is_Integer):
                den_text = f"({den_text})"
            text = f"{text} / {den_text}"
        return sign + text

    def _print_Pow(self, expr, rational=False):
        base, e = expr.base, expr.exp
        if e.is_Integer and 0 < abs(int(e)) <= 16:
            product = " * ".join([self.parenthesize(base, 50)] * abs(int(e)))
            if e < 0:
                return f"1.0 / ({product})" if abs(int(e)) > 1 else f"1.0 / {product}"
            return product
        if e == Rational(1, 2):
            return f"{self._module_format('numpy.sqrt')}({self._print(base)})"
        if e == Rational(-1, 2):
            return f"1.0 / {self._module_format('numpy.sqrt')}({self._print(base)})"
        exponent = self._print(Float(e)) if e.is_number else self._print(e)  # U**w: a parameter
        return f"{self._module_format('numpy.power')}({self._print(base)}, {exponent})"

    # ---- stable atoms ------------------------------------------------------
    def _print_NegExpm1(self, expr):
        y, _, n = expr.args
        return f"-{self._module_format('numpy.expm1')}({self._print(n * y)})"

    def _print_ExpDifference(self, expr):
        y1, y2, dy = expr.args[:3]
        return f"_exp_difference({self._print(y1)}, {self._print(y2)}, {self._print(dy)})"

    # ---- masks -------------------------------------------------------------
    def _print_Piecewise(self, expr):
        conds, branches = [], []
        masked = StableNumPyPrinter({**self._settings, "wrap": "_sub({}, m)"})
        for value, cond in expr.args:
            conds.append("True" if cond is True or cond == True else self._print(cond))  # noqa: E712
            branches.append(f"lambda m: {masked._print(value)}")
        return f"_piecewise({_tuple(conds)}, {_tuple(branches)})"

    # ---- mode sums -------------------------------------------------------
    def _print_Sum(self, expr):
        body = expr.function
        indices = [lim[0] for lim in expr.limits]
        for index, lower, _ in expr.limits:
            if lower != 1:
                raise CodegenError(f"mode sum over {index} must start at 1: {expr}")
        if isinstance(body, Add):
            return self._print(Add(*(Sum(t, *expr.limits) for t in body.args)))
        factors = Mul.make_args(body)
        outside = [f for f in factors if not (f.free_symbols & set(indices))]
        inside = [f for f in factors if f.free_symbols & set(indices)]
        letters = {index: "pqrstuvw"[k] for k, index in enumerate(indices)}
        operands, subscripts = [], []
        for factor in inside:
            base, power = factor.as_base_exp()
            if not (power.is_Integer and power != 0):
                raise CodegenError(f"cannot vectorise the mode-sum factor {factor}")
            text, sub = self._indexed(base, letters)
            if power < 0:  # e.g. the counterterm's 1/omega_nu(p): an elementwise reciprocal
                text = f"(1.0 / {text})"
            operands += [text] * abs(int(power))
            subscripts += [sub] * abs(int(power))
        spec = ",".join(s + "..." for s in subscripts) + "->..."
        einsum = f'{self._module_format("numpy.einsum")}("{spec}", {", ".join(operands)})'
        if outside:
            return f"{self.parenthesize(Mul(*outside), 50)} * {einsum}"
        return einsum

    def _indexed(self, atom, letters: dict) -> tuple[str, str]:
        """Array text and einsum subscripts of one indexed factor of a mode sum."""
        if isinstance(atom, Expectation):
            name, args = atom.identifier, atom.indices
        elif isinstance(atom, (AppliedUndef, SymmetricCoupling)):
            name, args = type(atom).__name__, atom.args
        else:
            raise CodegenError(f"cannot vectorise the mode-sum factor {atom}")
        select, sub = [], ""
        for a in args:
            if a.is_Integer:
                select.append(str(int(a) - 1))
            elif a in letters:
                select.append(":")
                sub += letters[a]
            else:
                raise CodegenError(f"index {a} of {atom} is neither a number nor summed")
        text = self._name(name)
        if any(s != ":" for s in select):
            while select and select[-1] == ":":
                select.pop()
            text = f"{text}[{', '.join(select)}]"
        return text, sub

    _print_SymmetricCoupling = _print_AppliedUndef

    def _print_not_supported(self, expr):
        raise CodegenError(f"no NumPy form for {type(expr).__name__}: {expr}")

    def _print_Function(self, expr):
        known = self.known_functions.get(type(expr).__name__)
        if known is None:
            return self._print_not_supported(expr)
        return super()._print_Function(expr)


def _tuple(items: list[str]) -> str:
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"


def is_leaf(expr: Expr) -> bool:
    """A symbol or a number: printed as is, computed by nothing."""
    return isinstance(expr, Symbol) or (expr.is_Atom and expr.is_number)
