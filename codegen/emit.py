"""Standalone NumPy modules of a model's sum rule and bounds (``heatbounds emit``).

:func:`emit_module` writes one Python module that imports only NumPy and
holds ``sum_rule`` (Eq. 7, 25), ``current_bound`` (Eq. 9),
``conductance_bound`` (Eq. 10), ``ballistic_bound`` (Eq. 2) and
``quantum_of_conductance`` (kappa_Q), a ``PARAMETERS`` glossary and the
header of every generated file: what made it, the template, the versions of
heatbounds, SymPy and NumPy, a sha256 of the source expressions, "generated,
do not edit" and the command that regenerates it. :func:`emit_function`
writes a module with one function of any expression through the same printer
and template (the benchmark emits the Bloch-Redfield conductance with it).

The maths is decided in :mod:`.emit_plan` and printed by
:mod:`.numpy_printer` and :mod:`.kernel`; this module builds the view-model
(names, units, docstrings, laid-out lines) and ``python/module.py.jinja``
lays it out. Emission is deterministic: same model, same versions, same bytes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import version

import numpy
import sympy
from sympy import Expr, preorder_traversal, srepr

from heatbounds.codegen.emit_plan import Argument, FunctionPlan, plan_function
from heatbounds.codegen.emit_text import glossary, module_docstring, parameters_lines
from heatbounds.codegen.latex_printer import paper_latex
from heatbounds.codegen.numpy_printer import CodegenError, StableNumPyPrinter
from heatbounds.codegen.pylayout import (
    WIDTH,
    assignment_lines,
    call_lines,
    split_arguments,
    text_lines,
)
from heatbounds.codegen.templates_env import render
from heatbounds.codegen.units import UNIT_SYSTEMS, argument_unit, output_unit
from heatbounds.symbolic.bounds import ballistic_bound, in_bath_couplings, quantum_of_conductance
from heatbounds.symbolic.derivation import derive
from heatbounds.symbolic.dimensions import parameter_dimensions
from heatbounds.symbolic.junction import Junction

__all__ = ["TEMPLATE", "FunctionSpec", "emit_function", "emit_module"]

TEMPLATE = "python/module.py.jinja"
DOC_FORMULA_NODES = 20_000  # larger expressions are not printed into the docstring


@dataclass(frozen=True)
class FunctionSpec:
    """One function to emit: its expression (paper notation) and how to present it."""

    name: str
    expr: Expr
    positional: tuple[str, ...]
    summary: str
    unit: str = ""
    sweep: tuple[str, ...] = ()
    source_hint: str = "print it with heatbounds derive."


@dataclass(frozen=True)
class FunctionView:
    """One emitted function, laid out: the template only places these lines."""

    name: str
    arguments: tuple[Argument, ...]
    definition: list[str]
    doc: list[str]
    checks: list[str]
    edges: list[dict]
    prelude: list[str]
    blocks: list[str]
    limits: list[str]
    kernel_definition: list[str]
    kernel_body: list[str]
    kernel_helpers: list[list[str]]


def _doc(
    spec: FunctionSpec, plan: FunctionPlan, expr: Expr, units: str, meanings: dict, dimensions
) -> list:
    """Docstring lines: summary, the formula as plain text and LaTeX, parameters, returns."""
    out = [*text_lines(f"{spec.summary}, in {UNIT_SYSTEMS[units].title}.", indent=11)]
    size = sum(1 for _ in preorder_traversal(expr))
    if size > DOC_FORMULA_NODES:
        # Thousands of terms help no reader and cost minutes to print twice.
        note = f"The formula ({size} SymPy nodes) is too long to show here; {spec.source_hint}"
        out += ["", *text_lines(note, indent=11)]
    else:
        out += ["", "Plain text::", ""]
        out += ["    " + line for line in text_lines(str(in_bath_couplings(expr)), indent=12)]
        out += ["", ".. math::", ""]
        out += ["    " + line for line in text_lines(paper_latex(expr), indent=12)]
    out += ["", "Parameters", "----------"]
    for arg in plan.arguments:
        unit = argument_unit(arg.name, arg.kind, units, dimensions)
        text = f"{meanings.get(arg.name, arg.name)} [{unit}]"
        if arg.axes:
            axes = ", ".join(str(a) for a in arg.axes)
            text += f"; leading axes ({axes}) indexed 1-based as in the formula, then broadcast"
        if arg.kind == "complex":
            text += "; may be complex"
        out.append(f"{arg.name} : {'int' if arg.kind == 'count' else 'array_like'}")
        out += ["    " + line for line in text_lines(text, indent=8)]
    out += [
        "out : ndarray, optional",
        "    float64 array of the broadcast shape to write the result into.",
        "",
        "Returns",
        "-------",
        "ndarray or numpy.float64",
        f"    The value in {spec.unit}, float64, of the broadcast shape of the arguments.",
        "",
        "Raises",
        "------",
        "ValueError",
        "    An argument outside its domain (the message names it), or an unfit ``out``.",
    ]
    return out


def _checks(plan: FunctionPlan) -> list[str]:
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


def _value_lines(head: list[str], name: str, expr: Expr, show, indent: int) -> list[str]:
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


def _blocks_lines(plan: FunctionPlan) -> list[str]:
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


def _tuple_text(items: Sequence[str]) -> str:
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"


_CALL = re.compile(r"^(?P<head>[\w.]+\()(?P<args>.*)\)$")


def _kernel_line(line: str) -> list[str]:
    """A kernel statement laid out at indent 4 (a long call split as ruff splits it)."""
    match = _CALL.match(line)
    if 4 + len(line) <= WIDTH or not match:
        if 4 + len(line) > WIDTH:
            raise CodegenError(f"kernel statement too long to lay out: {line[:80]}...")
        return [line]
    return call_lines(match["head"], split_arguments(match["args"]), ")", indent=4)


def _function_view(
    spec: FunctionSpec, units: str, meanings: dict, dimensions: dict | None
) -> FunctionView:
    system = UNIT_SYSTEMS[units]
    expr = system.apply(spec.expr)
    printer = StableNumPyPrinter({"names": system.names})
    plan = plan_function(
        spec.name,
        in_bath_couplings(expr),
        positional=spec.positional,
        printer=printer,
        constants=set(system.names),
        sweep=spec.sweep,
    )
    show = printer.doprint
    hints = {a.name: "int" if a.kind == "count" else "ArrayLike" for a in plan.arguments}
    signature = [f"{a.name}: {hints[a.name]}" for a in plan.arguments if a.positional]
    signature += ["*"] + [f"{a.name}: {hints[a.name]}" for a in plan.arguments if not a.positional]
    signature.append("out: np.ndarray | None = None")
    edges = []
    for edge in (*plan.edges, *plan.forbidden):
        what = " = ".join(edge.symbols)
        edges.append(
            {
                "mask": edge.mask,
                "zeros": ", ".join(edge.symbols) + ("," if len(edge.symbols) == 1 else ""),
                "symbols": edge.symbols,
                "floor": "_T_FLOOR" if edge.temperature else "0.0",
                "forbidden": edge in plan.forbidden,
                "message": f"{spec.name} has no finite limit at {what} = 0",
            }
        )
    prelude = [
        line
        for name, value in plan.prelude
        for line in assignment_lines(name, value, show, indent=8)
    ]
    kernel = plan.kernel
    limits = []
    for k, (on, off, value) in enumerate(plan.limits):
        on_text, off_text = (_tuple_text(t) for t in (on, off))
        head = ["_assign(", "result", f"_edge_mask({on_text}, {off_text})"]
        limits += _value_lines(head, f"_limit{k}", value, show, indent=8)
    return FunctionView(
        name=spec.name,
        arguments=plan.arguments,
        definition=call_lines(
            f"def {spec.name}(", signature, ") -> np.ndarray | np.float64:", indent=0
        ),
        doc=_doc(spec, plan, expr, units, meanings, dimensions),
        checks=_checks(plan),
        edges=edges,
        prelude=prelude,
        blocks=_blocks_lines(plan),
        limits=limits,
        kernel_definition=call_lines(
            f"def {kernel.name}(",
            [*kernel.inputs, "out", *(f"b{k}" for k in range(kernel.buffers))],
            "):",
            indent=0,
        ),
        kernel_body=[line for raw in kernel.lines for line in _kernel_line(raw)],
        kernel_helpers=[list(h) for h in kernel.helpers],
    )


def source_hash(exprs: Sequence[Expr]) -> str:
    """sha256 of the source expressions (their ``srepr``, one per line)."""
    return hashlib.sha256("\n".join(srepr(e) for e in exprs).encode()).hexdigest()


def _render(specs, *, title, units, command, source, meanings, dimensions=None) -> str:
    views = [_function_view(spec, units, meanings, dimensions) for spec in specs]
    arguments = {a.name: a for v in views for a in v.arguments}
    return render(
        TEMPLATE,
        header=[
            "Generated, do not edit: heatbounds emit (heatbounds.codegen.emit)",
            f"Template: {TEMPLATE}",
            f"Versions: heatbounds {version('heatbounds')}, SymPy {sympy.__version__}, "
            f"NumPy {numpy.__version__}",
            *text_lines(f"Source: {source}", indent=2),
            f"sha256 of the source expressions: {source_hash([s.expr for s in specs])}",
            *text_lines(f"Regenerate: {command}", indent=2),
        ],
        docstring=module_docstring(title, units, [], [v.name for v in views]),
        constants=UNIT_SYSTEMS[units].constants,
        parameters=parameters_lines(
            [arguments[n] for n in sorted(arguments)], meanings, units, dimensions
        ),
        functions=views,
        exports=call_lines(
            "__all__ = [",
            [f'"{n}"' for n in sorted(["PARAMETERS", *(v.name for v in views)])],
            "]",
            indent=0,
        ),
    )


def emit_module(
    junction: Junction, *, units: str = "reduced", moment: int = 1, command: str
) -> str:
    """The numeric module of ``junction``'s sum rule and bounds (Eq. 2, 7, 9, 10), as text.

    ``units`` is "reduced" (hbar = k_B = 1) or "si"; ``command`` is written in
    the header as the command that regenerates the file. Raises
    :class:`~heatbounds.codegen.numpy_printer.CodegenError` (a ModelError) for
    a model whose expressions cannot be evaluated numerically (symbolic level count).
    """
    if units not in UNIT_SYSTEMS:
        raise CodegenError(f"unknown units {units!r}; choose from {', '.join(UNIT_SYSTEMS)}")
    d = derive(junction, moment=moment)
    specs = [
        FunctionSpec(
            "sum_rule",
            d.sum_rule,
            (),
            f"h-weighted moment sum rule M_{moment} = sum h m^({moment}) of the "
            f"{d.model} model (Eq. 7, 25)",
            output_unit("sum_rule", units, moment),
        ),
        FunctionSpec(
            "current_bound",
            d.current_bound,
            ("T_L", "T_R"),
            f"Sum-rule bound on the heat current J_Q of the {d.model} model (Eq. 9)",
            output_unit("current_bound", units),
        ),
        FunctionSpec(
            "conductance_bound",
            d.conductance_bound,
            ("T",),
            f"Sum-rule bound on the thermal conductance kappa of the {d.model} model (Eq. 10)",
            output_unit("conductance_bound", units),
        ),
        FunctionSpec(
            "ballistic_bound",
            ballistic_bound(),
            ("T_L", "T_R"),
            "Ballistic bound on the heat current from unitarity alone (Eq. 2)",
            output_unit("ballistic_bound", units),
        ),
        FunctionSpec(
            "quantum_of_conductance",
            quantum_of_conductance(),
            ("T",),
            "Quantum of thermal conductance kappa_Q = pi k_B^2 T / (6 hbar)",
            output_unit("quantum_of_conductance", units),
        ),
    ]
    exprs = [in_bath_couplings(s.expr) for s in specs]
    return _render(
        specs,
        title=f"Sum-rule bounds of the {d.model} junction: {d.description}",
        units=units,
        command=command,
        source=f"heatbounds derive {d.model} --moment {moment}",
        meanings=glossary(d, exprs),
        dimensions=parameter_dimensions(junction),
    )


def _expression_source(expr: Expr) -> str:
    text = str(expr)
    if len(text) <= 300:
        return f"expression {text}"
    return f"an expression of {len(text)} characters (its sha256 below)"


def emit_function(
    expr: Expr,
    name: str,
    args: Sequence[str],
    *,
    units: str = "reduced",
    summary: str = "",
    unit: str = "",
    command: str = "heatbounds.codegen.emit.emit_function",
    meanings: dict | None = None,
    source: str | None = None,
) -> str:
    """A module holding one function ``name(*args, *, <other symbols>)`` of ``expr``.

    ``args`` are the positional (per-point) arguments; every other symbol of
    ``expr`` becomes a keyword-only argument. Same printer, checks and
    template as :func:`emit_module`; ``unit`` names the unit of the value
    and ``meanings`` adds glossary entries (name -> meaning) for PARAMETERS.
    """
    if units not in UNIT_SYSTEMS:
        raise CodegenError(f"unknown units {units!r}; choose from {', '.join(UNIT_SYSTEMS)}")
    spec = FunctionSpec(
        name,
        expr,
        tuple(args),
        summary or (f"{name} = {expr}" if len(str(expr)) <= 300 else name),
        unit or output_unit(name, units),
        sweep=tuple(args),
    )
    return _render(
        [spec],
        title=summary or name,
        units=units,
        command=command,
        source=source or _expression_source(expr),
        meanings=glossary(None, [expr], extra=meanings or {}),
    )
