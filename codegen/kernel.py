"""Blocked in-place evaluation: an expression as a sequence of NumPy ufunc calls.

:func:`compile_kernel` turns one SymPy expression (after :func:`sympy.cse`)
into straight-line statements ``np.multiply(b0, T_L, out=b0)`` that write
into a few scratch buffers and the output block. The emitted module calls
the kernel block by block (a few thousand points at a time), so every
intermediate stays in cache and nothing is allocated per operation.

Integer powers are products (``x**3`` is two multiplications), negative powers
one division by the product of the denominators, and the stable atoms of
:mod:`heatbounds.codegen.numpy_printer` reuse the exponentials CSE shares.
Anything without an in-place form (``Piecewise``, mode sums, unknown
functions) is printed by :class:`StableNumPyPrinter` and assigned to its
buffer, so the kernel is always complete.

Examples
--------
>>> from sympy import Symbol
>>> from heatbounds.codegen.numpy_printer import StableNumPyPrinter
>>> x, y = Symbol("x"), Symbol("y")
>>> k = compile_kernel("_k", (x, y), x**2 * y + y, StableNumPyPrinter())
>>> print("\\n".join(k.lines))
np.multiply(y, x, out=out)
np.multiply(out, x, out=out)
np.add(out, y, out=out)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sympy import Add, Expr, Function, Mul, Pow, Rational, Symbol, cse, numbered_symbols
from sympy.core.function import AppliedUndef

from heatbounds.codegen.numpy_printer import (
    ExpDifference,
    NegExpm1,
    StableNumPyPrinter,
    is_leaf,
)
from heatbounds.codegen.pylayout import assignment_lines, call_lines

__all__ = ["UFUNCS", "Kernel", "compile_kernel"]

# SymPy function name -> NumPy ufunc applied in place.
UFUNCS: dict[str, str] = {
    "exp": "np.exp",
    "expm1": "np.expm1",
    "log": "np.log",
    "log1p": "np.log1p",
    "sin": "np.sin",
    "cos": "np.cos",
    "tan": "np.tan",
    "sinh": "np.sinh",
    "cosh": "np.cosh",
    "tanh": "np.tanh",
    "atan": "np.arctan",
    "Abs": "np.absolute",
}


@dataclass(frozen=True)
class Kernel:
    """Statements computing one expression into ``out`` with ``buffers`` scratch arrays."""

    name: str
    inputs: tuple[str, ...]
    buffers: int
    lines: tuple[str, ...]
    helpers: tuple[tuple[str, ...], ...] = ()  # module-level functions (exact differences)


class _Writer:
    def __init__(self, printer: StableNumPyPrinter):
        self.printer = printer
        self.lines: list[str] = []
        self.free: list[str] = []
        self.count = 0
        self.bound: dict[Symbol, str] = {}
        self.lazy: dict[Symbol, Expr] = {}  # placeholder -> exact difference, kept out of CSE
        self.name = ""
        self.helpers: list[list[str]] = []  # module-level functions the kernel calls

    # ---- buffers -------------------------------------------------------
    def take(self) -> str:
        if self.free:
            self.free.sort(key=lambda b: -int(b[1:]))
            return self.free.pop()
        self.count += 1
        return f"b{self.count - 1}"

    def give(self, name: str | None) -> None:
        if name is not None:
            self.free.append(name)

    # ---- printing --------------------------------------------------------
    def plain(self, expr: Expr, wrap: str = "{}") -> str:
        names = {**self.printer._settings["names"], **{s.name: b for s, b in self.bound.items()}}
        return StableNumPyPrinter({**self.printer._settings, "names": names, "wrap": wrap})._print(
            expr
        )

    def is_value(self, expr: Expr) -> bool:
        return expr in self.bound or is_leaf(expr)

    def operand(self, expr: Expr) -> tuple[str, str | None]:
        """Text of ``expr`` as an operand, computing it into a scratch buffer if needed."""
        if self.is_value(expr):
            return self.plain(expr), None
        tmp = self.take()
        self.into(expr, tmp)
        return tmp, tmp

    def emit(self, line: str) -> None:
        self.lines.append(line)

    # ---- statements -----------------------------------------------------
    def into(self, expr: Expr, dest: str) -> None:
        """Emit statements that leave the value of ``expr`` in ``dest``."""
        if self.is_value(expr):
            self.emit(f"{dest}[...] = {self.plain(expr)}")
        elif isinstance(expr, Add):
            self._add(expr, dest)
        elif isinstance(expr, Mul):
            self._product(list(expr.args), dest)
        elif isinstance(expr, Pow) and expr.exp.is_Integer:
            self._product([expr], dest)
        elif isinstance(expr, Pow) and expr.exp in (Rational(1, 2), Rational(-1, 2)):
            self._unary("np.sqrt", expr.base, dest)
            if expr.exp < 0:
                self.emit(f"np.divide(1.0, {dest}, out={dest})")
        elif isinstance(expr, NegExpm1):
            self._neg_expm1(expr, dest)
        elif isinstance(expr, ExpDifference):
            self._exp_difference(expr, dest)
        elif isinstance(expr, Function) and not isinstance(expr, AppliedUndef):
            name = type(expr).__name__
            if name in UFUNCS and len(expr.args) == 1:
                self._unary(UFUNCS[name], expr.args[0], dest)
            else:
                self.emit(f"{dest}[...] = {self.plain(expr)}")
        else:
            self.emit(f"{dest}[...] = {self.plain(expr)}")

    def _unary(self, ufunc: str, arg: Expr, dest: str) -> None:
        if self.is_value(arg):
            self.emit(f"{ufunc}({self.plain(arg)}, out={dest})")
        else:
            self.into(arg, dest)
            self.emit(f"{ufunc}({dest}, out={dest})")

    def _add(self, expr: Add, dest: str) -> None:
        constant = Add(*(t for t in expr.args if t.is_number))
        plus, minus = [], []
        for term in expr.args:
            if term.is_number:
                continue
            coeff, _ = term.as_coeff_Mul()
            (minus if coeff.is_negative else plus).append(-term if coeff.is_negative else term)
        negate = not plus
        first_list = plus or minus
        # Non-leaf terms first, so that the first one is computed straight into dest.
        first_list.sort(key=self.is_value)
        first, rest = first_list[0], first_list[1:]
        others = [("add", t) for t in rest]
        if not negate:
            others += [("subtract", t) for t in minus]
        current = None
        if not self.is_value(first):
            self.into(first, dest)
            current = dest
        else:
            current = self.plain(first)
        for op, term in others:
            text, tmp = self.operand(term)
            self.emit(f"np.{op}({current}, {text}, out={dest})")
            self.give(tmp)
            current = dest
        if negate:
            self.emit(f"np.negative({current}, out={dest})")
            current = dest
        if constant != 0:
            self.emit(f"np.add({current}, {self.plain(constant)}, out={dest})")
            current = dest
        if current != dest:
            self.emit(f"{dest}[...] = {current}")

    def _product(self, factors: list, dest: str) -> None:
        coeff = Mul(*(f for f in factors if f.is_number))
        num: list[tuple[Expr, int]] = []
        den: list[tuple[Expr, int]] = []
        for f in factors:
            if f.is_number:
                continue
            base, e = f.as_base_exp()
            if e.is_Integer and e != 0 and abs(int(e)) <= 16 and not (e == 1 and base != f):
                (num if e > 0 else den).append((base, abs(int(e))))
            else:
                num.append((f, 1))
        current = None
        # A non-leaf factor used once goes straight into dest.
        num.sort(key=lambda item: self.is_value(item[0]) or item[1] != 1)
        held: list[str | None] = []
        for k, (base, count) in enumerate(num):
            if k == 0 and count == 1 and not self.is_value(base):
                self.into(base, dest)
                current = dest
                continue
            text, tmp = self.operand(base)
            held.append(tmp)
            for _ in range(count):
                if current is None:
                    current = text
                else:
                    self.emit(f"np.multiply({current}, {text}, out={dest})")
                    current = dest
        for tmp in held:
            self.give(tmp)
        if den:
            if len(den) == 1 and den[0][1] == 1:
                text, tmp = self.operand(den[0][0])
            else:
                tmp = self.take()
                self._product([Pow(b, c) for b, c in den], tmp)
                text = tmp
            if current is None:
                self.emit(f"np.divide({self.plain(coeff)}, {text}, out={dest})")
                coeff, current = 1, dest
            else:
                self.emit(f"np.divide({current}, {text}, out={dest})")
                current = dest
            self.give(tmp)
        if current is None:
            current = self.plain(coeff)
            coeff = 1
        if coeff == -1:
            self.emit(f"np.negative({current}, out={dest})")
            current = dest
        elif coeff != 1:
            self.emit(f"np.multiply({current}, {self.plain(coeff)}, out={dest})")
            current = dest
        if current != dest:
            self.emit(f"{dest}[...] = {current}")

    def _neg_expm1(self, expr: NegExpm1, dest: str) -> None:
        y, e, n = expr.args
        text, tmp = self.operand(e)
        if n == 1:
            self.emit(f"np.subtract(1.0, {text}, out={dest})")
        else:
            self.emit(f"np.multiply({text}, {text}, out={dest})")
            for _ in range(int(n) - 2):
                self.emit(f"np.multiply({dest}, {text}, out={dest})")
            self.emit(f"np.subtract(1.0, {dest}, out={dest})")
        self.give(tmp)
        ytext, ytmp = self.operand(y)
        self.emit(f"_fix_neg_expm1({dest}, {ytext}, {int(n)})")
        self.give(ytmp)

    def _exp_difference(self, expr: ExpDifference, dest: str) -> None:
        y1, y2, dy, e1, e2 = expr.args
        t1, tmp1 = self.operand(e1)
        t2, tmp2 = self.operand(e2)
        self.emit(f"np.subtract({t1}, {t2}, out={dest})")
        u1, tmp3 = self.operand(y1)
        u2, tmp4 = self.operand(y2)
        exact = self.lazy.get(dy, dy)
        names = sorted({self.plain(s) for s in exact.free_symbols})
        helper = f"{self.name}_dy{len(self.helpers)}"
        body = assignment_lines("_v", exact, self.plain, indent=4)
        definition = call_lines(f"def {helper}(", names, "):", indent=0)
        self.helpers.append([*definition, *("    " + b for b in body), "    return _v"])
        scratch = self.take()
        packed = f"({names[0]},)" if len(names) == 1 else f"({', '.join(names)})"
        args = [dest, u1, u2, t1, t2, scratch, packed, helper]
        self.emit(f"_fix_exp_difference({', '.join(args)})")
        for tmp in (scratch, tmp1, tmp2, tmp3, tmp4):
            self.give(tmp)


def compile_kernel(
    name: str, inputs: Sequence[Symbol], expr: Expr, printer: StableNumPyPrinter
) -> Kernel:
    """Straight-line in-place statements computing ``expr`` into ``out``.

    ``inputs`` are the kernel's arguments (block slices or scalars at run
    time); every other symbol of ``expr`` must be printable by ``printer``
    (module constants such as ``HBAR``).
    """
    # The exact differences of ExpDifference are evaluated only where needed
    # (lazily, on a mask): kept out of CSE so the main path is not built around them.
    lazy = {}
    for node in sorted(expr.atoms(ExpDifference), key=str):
        lazy[Symbol(f"_dy{len(lazy)}")] = node.args[2]
    expr = expr.xreplace(
        {
            n: n.func(*n.args[:2], p, *n.args[3:])
            for p, n in zip(lazy, sorted(expr.atoms(ExpDifference), key=str), strict=True)
        }
    )
    replacements, (reduced,) = cse([expr], symbols=numbered_symbols("_x"), order="canonical")
    statements = [*replacements, (None, reduced)]
    last_use: dict[Symbol, int] = {}
    for k, (_, value) in enumerate(statements):
        for s in value.free_symbols:
            last_use[s] = k
        for p in value.free_symbols & set(lazy):
            for s in lazy[p].free_symbols:
                last_use[s] = k
    writer = _Writer(printer)
    writer.lazy = lazy
    writer.name = name
    for k, (symbol, value) in enumerate(statements):
        if symbol is None:
            writer.into(value, "out")
        elif symbol in last_use:
            buffer = writer.take()
            writer.into(value, buffer)
            writer.bound[symbol] = buffer
        for s, b in list(writer.bound.items()):
            if last_use.get(s) == k:
                writer.give(b)
                del writer.bound[s]
    return Kernel(
        name,
        tuple(str(s) for s in inputs),
        writer.count,
        tuple(writer.lines),
        tuple(tuple(h) for h in writer.helpers),
    )
