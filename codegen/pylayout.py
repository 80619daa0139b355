"""Line layout of emitted Python, exactly as ``ruff format`` would leave it.

Generated statements take only a few shapes, each laid out here the way
ruff (black style, line length 100) formats it, so an emitted module passes
``ruff format --check`` unchanged:

- :func:`call_lines`: a call or ``def`` -- one line if it fits, else the
  arguments on one indented line, else one argument per line with a
  trailing comma;
- :func:`assignment_lines`: ``name = expr`` where a long sum or product is
  split into several short statements accumulating into ``name`` (never a
  parenthesised multi-line expression);
- :func:`text_lines`: prose wrapped for docstrings and comments.

Examples
--------
>>> call_lines("return f(", ["a", "b"], ")", indent=4)
['return f(a, b)']
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence

from sympy import Add, Expr, Mul, Sum, Symbol

__all__ = [
    "WIDTH",
    "assignment_lines",
    "call_lines",
    "split_arguments",
    "string_lines",
    "text_lines",
]

WIDTH = 100


def split_arguments(text: str) -> list[str]:
    """The top-level comma-separated arguments of a call's argument text.

    >>> split_arguments('"p...,q...->...", g[0, 1], f(a, b)')
    ['"p...,q...->..."', 'g[0, 1]', 'f(a, b)']
    """
    out, depth, start, quoted = [], 0, 0, False
    for k, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif not quoted:
            depth += ch in "([{"
            depth -= ch in ")]}"
            if ch == "," and depth == 0:
                out.append(text[start:k].strip())
                start = k + 1
    return [*out, text[start:].strip()]


def call_lines(head: str, args: Sequence[str], tail: str, *, indent: int) -> list[str]:
    """``head + ", ".join(args) + tail`` laid out in ruff's three call shapes."""
    one = f"{head}{', '.join(args)}{tail}"
    if indent + len(one) <= WIDTH:
        return [one]
    inner = ", ".join(args)
    if indent + 4 + len(inner) <= WIDTH:
        return [head, f"    {inner}", tail.lstrip()]
    return [head, *(f"    {a}," for a in args), tail.lstrip()]


def _sum_lines(
    name: str, expr: Sum, show: Callable[[Expr], str], *, indent: int, depth: int
) -> list[str]:
    """A long one-term mode sum: its einsum call split like a call, then the factors."""
    bound = {lim[0] for lim in expr.limits}
    factors = Mul.make_args(expr.function)
    outside = [f for f in factors if not f.free_symbols & bound]
    if outside:
        helper = f"{name}_{depth}s"
        inner = Sum(Mul(*(f for f in factors if f.free_symbols & bound)), *expr.limits)
        lines = _sum_lines(helper, inner, show, indent=indent, depth=depth + 1)
        product = Mul(*outside) * Symbol(helper)
        return [*lines, *assignment_lines(name, product, show, indent=indent)]
    text = show(expr)
    head, paren, rest = text.partition("(")
    if not paren or not rest.endswith(")"):
        raise ValueError(f"cannot lay out {text[:60]}... within {WIDTH} columns")
    return call_lines(f"{name} = {head}(", split_arguments(rest[:-1]), ")", indent=indent)


def assignment_lines(
    name: str, expr: Expr, show: Callable[[Expr], str], *, indent: int, depth: int = 0
) -> list[str]:
    """``name = expr`` as statements no longer than :data:`WIDTH` at ``indent``.

    A sum or product too long for one line accumulates into ``name`` over
    several statements; a single term too long for a line goes into a
    helper variable ``name_k`` first.
    """
    one = f"{name} = {show(expr)}"
    if indent + len(one) <= WIDTH:
        return [one]
    lines: list[str] = []
    if isinstance(expr, Sum) and not isinstance(expr.function, Add):
        return _sum_lines(name, expr, show, indent=indent, depth=depth)
    if isinstance(expr, Sum):
        # A long mode sum is the sum of one einsum per term (its summand has bound indices).
        expr = Add(*(Sum(t, *expr.limits) for t in expr.function.args), evaluate=False)
    if not isinstance(expr, (Add, Mul)):
        # A power or function of a long argument: name the argument first.
        args = []
        for k, arg in enumerate(expr.args):
            if indent + len(name) + 12 + len(show(arg)) > WIDTH and arg.args:
                helper = f"{name}_{depth}{k}"
                lines += assignment_lines(helper, arg, show, indent=indent, depth=depth + 1)
                arg = Symbol(helper)
            args.append(arg)
        one = f"{name} = {show(expr.func(*args))}"
        if indent + len(one) > WIDTH or not lines:
            raise ValueError(f"cannot lay out {one[:60]}... within {WIDTH} columns")
        return [*lines, one]
    args: list[Expr] = []
    for k, arg in enumerate(expr.args):
        if indent + len(name) + 6 + len(show(arg)) > WIDTH:
            helper = f"{name}_{depth}{k}"
            lines += assignment_lines(helper, arg, show, indent=indent, depth=depth + 1)
            arg = Symbol(helper)
        args.append(arg)
    chunks: list[list[Expr]] = []
    current: list[Expr] = []
    for arg in args:
        prefix = [Symbol(name)] if chunks else []
        text = show(expr.func(*prefix, *current, arg))
        if current and indent + len(name) + 3 + len(text) > WIDTH:
            chunks.append(current)
            current = [arg]
        else:
            current.append(arg)
    chunks.append(current)
    lines.append(f"{name} = {show(expr.func(*chunks[0]))}")
    lines += [f"{name} = {show(expr.func(Symbol(name), *chunk))}" for chunk in chunks[1:]]
    return lines


def text_lines(text: str, *, indent: int) -> list[str]:
    """Prose wrapped to fit :data:`WIDTH` at ``indent`` (words never broken)."""
    return textwrap.wrap(
        text, width=WIDTH - indent, break_long_words=False, break_on_hyphens=False
    ) or [""]


def string_lines(text: str, *, indent: int) -> list[str]:
    """Python string literals (implicit concatenation) holding ``text``, one per line."""
    width = WIDTH - indent - 3
    pieces = textwrap.wrap(
        text, width=width, break_long_words=False, break_on_hyphens=False, drop_whitespace=False
    )
    if "".join(pieces) != text or any('"' in p or "\\" in p for p in pieces):
        raise ValueError(f"cannot write {text[:40]!r}... as plain string literals")
    return [f'"{p}"' for p in pieces] or ['""']
