"""The laid-out lines of an emitted function's body (:mod:`.emit`).

From a :class:`~heatbounds.codegen.emit_plan.FunctionPlan`: the argument
checks and broadcast shape (:func:`check_lines`), the blocked evaluation with
its per-block checks and T -> 0 edges (:func:`blocks_lines`), the limits at
domain edges (:func:`value_lines`) and the kernel statements
(:func:`kernel_line`), each laid out as ``ruff format`` leaves it
(:mod:`.pylayout`), so the template only places them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sympy import Expr

from heatbounds.codegen.emit_plan import FunctionPlan
from heatbounds.codegen.numpy_printer import CodegenError
from heatbounds.codegen.pylayout import WIDTH, assignment_lines, call_lines, split_arguments

__all__ = ["blocks_lines", "check_lines", "kernel_line", "tuple_text", "value_lines"]


def check_lines(plan: FunctionPlan) -> list[str]:
    """The argument checks (kinds from the SymPy assumptions) and the broadcast shape."""
    lines, batch = [], []
    # The mode count first: the shapes of the mode arrays are checked against it.
    for arg in sorted(plan.arguments, key=lambda a: a.kind != "count"):
        quoted = f'"{arg.name}"'
        if arg.kind == "count":
            lines += call_lines(f"{arg.name} = _count(", [quoted, arg.name], ")", indent=4)
        elif arg.axes:
            axes = ", ".join(str(a) for a in arg.axes) + ("," if len(arg.axes) == 1 else "")
            args = [quoted, arg.name, f"({axes})", f'"{arg.kind}"']
            lines += call_lines(f"{arg.name} = _modes(", args, ")", indent=4)
            batch.append(f"{arg.name}.shape[{len(arg.axes)}:]")
        else:
            # Per-point arrays are only converted here: _blocks checks them block by block.
            verb = "_convert" if arg.per_point else "_check"
            args = [quoted, arg.name, f'"{arg.kind}"']
            lines += call_lines(f"{arg.name} = {verb}(", args, ")", indent=4)
            batch.append(f"{arg.name}.shape")
    return lines + call_lines("shape = np.broadcast_shapes(", batch, ")", indent=4)


def value_lines(head: list[str], name: str, expr: Expr, show, indent: int) -> list[str]:
    """``lambda: expr`` as an argument if it fits, else a local function computing it."""
    text = f"lambda: {show(expr)}"
    if indent + 4 + len(text) + 1 <= WIDTH:
        return call_lines(head[0], [*head[1:], text], ")", indent=indent)
    body = assignment_lines("_v", expr, show, indent=indent + 4)
    return [
        "",
        f"def {name}():",
        *("    " + line for line in body),
        "    return _v",
        "",
        *call_lines(head[0], [*head[1:], name], ")", indent=indent),
    ]


def _tuple_lines(head: str, items: Sequence[str], indent: int) -> list[str]:
    if len(items) == 1:
        return [f"{head}{items[0]},)"]
    return call_lines(head, items, ")", indent=indent)


def blocks_lines(plan: FunctionPlan) -> list[str]:
    """The call of the blocked evaluation, its inputs and per-block checks, and T -> 0 edges."""
    kernel = plan.kernel
    checks = [f'({k}, "{name}", "{kind}")' for k, name, kind in plan.checks]
    lines = _tuple_lines("inputs = (", kernel.inputs, indent=8)
    lines += _tuple_lines("checks = (", checks, indent=8) if checks else ["checks = ()"]
    edged = "edged" if plan.temperature_edges else "_"
    args = [kernel.name, str(kernel.buffers), "shape", "out", str(plan.complex), "inputs", "checks"]
    lines += call_lines(f"result, {edged} = _blocks(", args, ")", indent=8)
    for edge in plan.temperature_edges:
        name = edge.symbols[0]
        lines.append(f"{edge.mask} = _zeros(({name},), _T_FLOOR) if edged else None")
        lines += [f"if {edge.mask} is not None:", f"    {name} = _unzero({name}, {edge.mask})"]
    return lines


def tuple_text(items: Sequence[str]) -> str:
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"


_CALL = re.compile(r"^(?P<head>[\w.]+\()(?P<args>.*)\)$")


def kernel_line(line: str) -> list[str]:
    """A kernel statement laid out at indent 4 (a long call split as ruff splits it)."""
    match = _CALL.match(line)
    if 4 + len(line) <= WIDTH or not match:
        if 4 + len(line) > WIDTH:
            raise CodegenError(f"kernel statement too long to lay out: {line[:80]}...")
        return [line]
    return call_lines(match["head"], split_arguments(match["args"]), ")", indent=4)
