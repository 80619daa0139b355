"""Standalone NumPy modules of a model's sum rule and bounds (``heatbounds emit``).

:func:`emit_module` writes one Python module that imports only NumPy and
holds ``sum_rule`` (Eq. 7, 25), ``current_bound`` (Eq. 9),
``conductance_bound`` (Eq. 10), ``ballistic_bound`` (Eq. 2) and
``quantum_of_conductance`` (kappa_Q), a ``PARAMETERS`` glossary and the
header of every generated file: what made it, the template, the versions of
heatbounds, SymPy and NumPy, the model it was derived from (a built-in name,
or a model file's path and sha256; :mod:`.provenance`), a sha256 of the source
expressions, "generated, do not edit" and the command that regenerates it.

Eq. 9 and Eq. 2 are written for T_L >= T_R. Both are symmetric in the two
baths (T_L <-> T_R with alpha_L <-> alpha_R; alpha and gamma are symmetric),
so the emitted ``current_bound`` and ``ballistic_bound`` return the bounds on
``|J_Q|`` for either order,
``(pi alpha gamma / 4) hbar k_B |T_L - T_R| sum h m`` and
``(pi k_B^2 / 12 hbar) |T_L^2 - T_R^2|`` (:func:`.emit_plan.either_order`):
they are Eq. 9 and Eq. 2 at T_L >= T_R and never change sign with T_L - T_R.

:func:`emit_function` writes a module with one function of any expression
through the same printer and template (the benchmark emits the
Bloch-Redfield conductance with it).

The maths is decided in :mod:`.emit_plan` and printed by
:mod:`.numpy_printer` and :mod:`.kernel`; this module builds the view-model
(names, units, docstrings; the body lines come from :mod:`.emit_body`) and
``python/module.py.jinja`` lays it out. Emission is deterministic: same model,
same versions, same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import version

import numpy
import sympy
from sympy import Expr, preorder_traversal

from heatbounds.codegen.emit_body import (
    blocks_lines,
    check_lines,
    kernel_line,
    tuple_text,
    value_lines,
)
from heatbounds.codegen.emit_plan import Argument, FunctionPlan, either_order, plan_function
from heatbounds.codegen.emit_text import glossary, module_docstring, parameters_lines
from heatbounds.codegen.latex_printer import paper_latex
from heatbounds.codegen.numpy_printer import CodegenError, StableNumPyPrinter
from heatbounds.codegen.provenance import expression_source, source_hash, source_lines
from heatbounds.codegen.pylayout import (
    assignment_lines,
    call_lines,
    text_lines,
)
from heatbounds.codegen.templates_env import render
from heatbounds.codegen.units import UNIT_SYSTEMS, argument_unit, output_unit
from heatbounds.symbolic.bounds import ballistic_bound, in_bath_couplings, quantum_of_conductance
from heatbounds.symbolic.derivation import derive
from heatbounds.symbolic.dimensions import parameter_dimensions
from heatbounds.symbolic.junction import Junction
from heatbounds.symbolic.term_order import fast_str, fast_sum_symbols, fast_term_order

__all__ = [
    "TEMPLATE",
    "FunctionSpec",
    "emit_function",
    "emit_function_and_arguments",
    "emit_module",
    "source_hash",
]

TEMPLATE = "python/module.py.jinja"
DOC_FORMULA_NODES = 20_000  # larger expressions are not printed into the docstring
# Eq. 9 and Eq. 2 hold for T_L >= T_R; as bounds on |J_Q| they hold for either order.
EITHER_ORDER = (
    "current_bound and ballistic_bound bound the magnitude |J_Q| of the heat current for either "
    "order of the temperatures. Eq. 9 and Eq. 2 are written for T_L >= T_R and are symmetric in "
    "the two baths (T_L <-> T_R with alpha_L <-> alpha_R; alpha and gamma are symmetric), so "
    "|J_Q| <= (pi alpha gamma / 4) hbar k_B |T_L - T_R| sum h m and "
    "|J_Q| <= (pi k_B^2 / 12 hbar) |T_L^2 - T_R^2|: Eq. 9 and Eq. 2 at T_L >= T_R, the same "
    "value with T_L and T_R (and alpha_L and alpha_R) swapped, never negative where sum h m >= 0."
)
CURRENT_NOTES = (
    "Eq. 9, J_Q <= (pi alpha gamma / 4) hbar k_B (T_L - T_R) sum h m, is written for "
    "T_L >= T_R. Swapping the baths (T_L <-> T_R, alpha_L <-> alpha_R; alpha and gamma are "
    "symmetric) turns J_Q into -J_Q, so for either order "
    "|J_Q| <= (pi alpha gamma / 4) hbar k_B |T_L - T_R| sum h m, which this returns: Eq. 9 at "
    "T_L >= T_R, symmetric under the swap, and >= 0 whenever sum h m >= 0 (as for the "
    "expectation values of a stationary state). sum h m stands for the sum-rule factor of the "
    "dissipation (sum_l c_l sum h m^(l) for a majorant); it does not depend on T_L, T_R."
)
BALLISTIC_NOTES = (
    "Eq. 2, J_Q <= (pi k_B^2 / 12 hbar)(T_L^2 - T_R^2), is written for T_L >= T_R and is "
    "symmetric in the two baths, so for either order |J_Q| <= (pi k_B^2 / 12 hbar) "
    "|T_L^2 - T_R^2| = (pi k_B^2 / 12 hbar) |T_L - T_R| (T_L + T_R), which this returns "
    "(>= 0 for every T_L, T_R)."
)


@dataclass(frozen=True)
class FunctionSpec:
    """One function to emit: its expression (paper notation) and how to present it.

    ``notes`` is a paragraph of the docstring after the summary (e.g. how a
    bound holds for either order of the temperatures).
    """

    name: str
    expr: Expr
    positional: tuple[str, ...]
    summary: str
    unit: str = ""
    sweep: tuple[str, ...] = ()
    source_hint: str = "print it with heatbounds derive."
    notes: str = ""
    formula: bool = True  # the formula (plain text and LaTeX) in the docstring


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
    if spec.notes:
        out += ["", *text_lines(spec.notes, indent=4)]
    if not spec.formula:
        note = f"The formula is not shown here; {spec.source_hint}"
        out += ["", *text_lines(note, indent=11)]
    elif (size := sum(1 for _ in preorder_traversal(expr))) > DOC_FORMULA_NODES:
        # Thousands of terms help no reader and cost minutes to print twice.
        note = f"The formula ({size} SymPy nodes) is too long to show here; {spec.source_hint}"
        out += ["", *text_lines(note, indent=11)]
    else:
        out += ["", "Plain text::", ""]
        out += ["    " + line for line in text_lines(fast_str(in_bath_couplings(expr)), indent=12)]
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
        on_text, off_text = (tuple_text(t) for t in (on, off))
        head = ["_assign(", "result", f"_edge_mask({on_text}, {off_text})"]
        limits += value_lines(head, f"_limit{k}", value, show, indent=8)
    return FunctionView(
        name=spec.name,
        arguments=plan.arguments,
        definition=call_lines(
            f"def {spec.name}(", signature, ") -> np.ndarray | np.float64:", indent=0
        ),
        doc=_doc(spec, plan, expr, units, meanings, dimensions),
        checks=check_lines(plan),
        edges=edges,
        prelude=prelude,
        blocks=blocks_lines(plan),
        limits=limits,
        kernel_definition=call_lines(
            f"def {kernel.name}(",
            [*kernel.inputs, "out", *(f"b{k}" for k in range(kernel.buffers))],
            "):",
            indent=0,
        ),
        kernel_body=[line for raw in kernel.lines for line in kernel_line(raw)],
        kernel_helpers=[list(h) for h in kernel.helpers],
    )


def _render(
    specs, *, title, units, command, source, meanings, dimensions=None, notes=(), baths=True
) -> str:
    """The module text; ``source`` are the header lines naming its origin, ``notes`` extra
    paragraphs of the module docstring."""
    return _render_views(
        specs,
        title=title,
        units=units,
        command=command,
        source=source,
        meanings=meanings,
        dimensions=dimensions,
        notes=notes,
        baths=baths,
    )[0]


def _render_views(
    specs, *, title, units, command, source, meanings, dimensions=None, notes=(), baths=True
) -> tuple[str, list[FunctionView]]:
    """The module text (see :func:`_render`) and the laid-out functions in it.

    SymPy's ordering of long sums is replaced by the same order computed fast
    (:func:`~heatbounds.symbolic.term_order.fast_term_order`), and the free symbols
    of each mode sum are computed once (``fast_sum_symbols``): the text is the same.
    """
    with fast_term_order(), fast_sum_symbols():
        return _render_text(
            specs, title, units, command, source, meanings, dimensions, notes, baths
        )


def _source_digest(specs) -> str:
    """:func:`source_hash` of the expressions; not computed for modules that are only run
    (every spec without its formula, e.g. the spectral check's chunks of a sum rule)."""
    if all(not s.formula for s in specs):
        return "not computed (a module emitted to be run, not kept)"
    return source_hash([s.expr for s in specs])


def _render_text(specs, title, units, command, source, meanings, dimensions, notes, baths=True):
    views = [_function_view(spec, units, meanings, dimensions) for spec in specs]
    arguments = {a.name: a for v in views for a in v.arguments}
    text = render(
        TEMPLATE,
        header=[
            "Generated, do not edit: heatbounds emit (heatbounds.codegen.emit)",
            f"Template: {TEMPLATE}",
            f"Versions: heatbounds {version('heatbounds')}, SymPy {sympy.__version__}, "
            f"NumPy {numpy.__version__}",
            *(line for entry in source for line in text_lines(entry, indent=2)),
            f"sha256 of the source expressions: {_source_digest(specs)}",
            *text_lines(f"Regenerate: {command}", indent=2),
        ],
        docstring=module_docstring(title, units, list(notes), [v.name for v in views], baths=baths),
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
    return text, views


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
            either_order(d.current_bound),
            ("T_L", "T_R"),
            f"Sum-rule bound on |J_Q|, the magnitude of the heat current of the {d.model} "
            "model, for either order of the temperatures (Eq. 9)",
            output_unit("current_bound", units),
            notes=CURRENT_NOTES,
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
            either_order(ballistic_bound()),
            ("T_L", "T_R"),
            "Ballistic bound on |J_Q| from unitarity alone, for either order of the "
            "temperatures (Eq. 2)",
            output_unit("ballistic_bound", units),
            notes=BALLISTIC_NOTES,
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
        source=source_lines(junction, moment),
        meanings=glossary(d, exprs),
        dimensions=parameter_dimensions(junction),
        notes=[EITHER_ORDER],
    )


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
    return emit_function_and_arguments(
        expr,
        name,
        args,
        units=units,
        summary=summary,
        unit=unit,
        command=command,
        meanings=meanings,
        source=source,
    )[0]


def emit_function_and_arguments(
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
    formula: bool = True,
) -> tuple[str, tuple[Argument, ...]]:
    """:func:`emit_function`'s module text and the arguments of its function.

    The arguments are those the module checks and takes (name, kind, axes), read
    off the expression in ``units``. ``formula=False`` leaves the formula out of
    the docstring and the source hash out of the header (modules that are
    executed, never read, e.g. the spectral check's; the code is the same).
    """
    if units not in UNIT_SYSTEMS:
        raise CodegenError(f"unknown units {units!r}; choose from {', '.join(UNIT_SYSTEMS)}")
    with fast_term_order():
        text = None if summary and source else fast_str(expr)
    spec = FunctionSpec(
        name,
        expr,
        tuple(args),
        summary or (f"{name} = {text}" if len(text) <= 300 else name),
        unit or output_unit(name, units),
        sweep=tuple(args),
        formula=formula,
    )
    module, views = _render_views(
        [spec],
        title=summary or name,
        units=units,
        command=command,
        source=[f"Source: {source or expression_source(expr, text)}"],
        meanings=glossary(None, [expr], extra=meanings or {}),
    )
    return module, views[0].arguments
