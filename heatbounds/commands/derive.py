"""``heatbounds derive MODEL [--moment S] [--format text|latex|json]``.

Prints the h-weighted moment sum rule of the model and its current and
conductance bounds (Eq. 7, 9, 10). The JSON form is a contract: keys
``model, moment, convention, sum_rule, current_bound, conductance_bound``
(each of the last three ``{"sympy": ..., "latex": ...}``), ``parameters`` and
``expectations`` (identifier -> one-line meaning). The ``sympy`` strings parse
to the derived expressions, in the identifiers of ``expectations`` and
``parameters`` (those of the emitted modules' arguments), in compact form.
The bounds' ``latex`` reads like Eq. 9/17: prefactor, temperature difference,
sum-rule factor, e.g.
``\\frac{\\pi \\alpha \\gamma}{4} k_{B} \\left(T_{L} - T_{R}\\right) \\left(- \\Delta ...\\right)``.
The current bound is Eq. 9 as printed, for T_L >= T_R (the JSON and LaTeX keep
that form); the text output adds that for either order of the temperatures
``|J_Q|`` obeys the same bound with ``|T_L - T_R|`` (the emitted ``current_bound``).
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from heatbounds.commands._limits import (
    MOMENT_HINT,
    add_time_limit,
    limited,
    time_limit_seconds,
)
from heatbounds.commands._options import MODEL_HELP

if TYPE_CHECKING:
    from heatbounds.symbolic.derivation import Derivation

# SymPy and the codegen wing are imported inside the functions below, so that
# building the parser (``heatbounds --help``) stays fast.


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "derive", help="derive a model's sum rule and its current and conductance bounds"
    )
    parser.add_argument("model", metavar="MODEL", help=MODEL_HELP)
    parser.add_argument(
        "--moment",
        type=int,
        default=None,
        metavar="S",
        help="odd moment order s (default 1, Eq. 7); for a fermionic model the order k >= 0 "
        "of the spectral moment mu^(k) (default 0)",
    )
    parser.add_argument(
        "--format",
        choices=("text", "latex", "json"),
        default="text",
        help="text (default), LaTeX equations, or JSON (keys model, moment, convention, "
        "sum_rule, current_bound, conductance_bound, parameters, expectations)",
    )
    add_time_limit(parser, "the derivation")
    parser.set_defaults(handler=handler)


def _entries(d: Derivation) -> list[tuple[str, str, object]]:
    return [
        ("sum_rule", "sum rule", d.sum_rule),
        ("current_bound", "current bound", d.current_bound),
        ("conductance_bound", "conductance bound", d.conductance_bound),
    ]


def as_json(d: Derivation) -> dict:
    """The JSON contract of ``derive --format json``.

    ``sympy`` strings are the compact form (:mod:`heatbounds.symbolic.compact`:
    one sum per bath, terms collected) written in the flat expectation values,
    the identifiers of ``expectations`` and of the emitted modules' arguments
    (a bath coordinate prints as its definition, ``(A_b_L(1, 2, p) +
    A_bdag_L(1, 2, p))``; :func:`~heatbounds.symbolic.compact.flat_atoms_str`), with
    alpha and gamma in alpha_L, alpha_R. Parsed, each equals the flat expression
    (``expand_compact`` of the two agree). ``latex`` strings are the compact form.
    The flat expansion of an s = 3 sum rule with bath modes is over a megabyte of
    text; this form is a fraction of it.
    """
    from heatbounds.codegen.latex_equations import conductance_bound_latex, current_bound_latex
    from heatbounds.codegen.latex_printer import paper_latex
    from heatbounds.symbolic.compact import compact_derivation, flat_atoms_str
    from heatbounds.symbolic.term_order import fast_term_order

    out = {"model": d.model, "moment": d.moment, "convention": d.convention}
    with fast_term_order():  # SymPy's order of long sums, computed fast (same text)
        short = compact_derivation(d)
        latex = {
            "sum_rule": paper_latex(short.sum_rule),
            "current_bound": current_bound_latex(short),
            "conductance_bound": conductance_bound_latex(short),
        }
        for key, _, expr in _entries(short):
            out[key] = {"sympy": flat_atoms_str(d.in_bath_couplings(expr)), "latex": latex[key]}
    out["parameters"] = d.parameters
    out["expectations"] = d.expectations
    return out


def as_text(d: Derivation) -> str:
    """The text form: sum rule and bounds in compact form, then their glossary."""
    from heatbounds.symbolic.compact import compact_derivation
    from heatbounds.symbolic.term_order import fast_term_order

    with fast_term_order():  # SymPy's order of long sums, computed fast (same text)
        return _text(compact_derivation(d))


def _text(d: Derivation) -> str:
    s = d.moment
    lines = [
        f"model: {d.model} -- {d.description}",
        f"convention: {d.convention}",
        f"sum rule (moment s = {s}, Eq. 7/25): M_{s} = sum h m^({s}) =",
        f"    {d.sum_rule}",
        "bounds use the moment(s) "
        + ", ".join(str(x) for x in d.bound_moments)
        + " (majorant of the dissipation; alpha = alpha_L + alpha_R, "
        "gamma = 4 alpha_L alpha_R / alpha^2):",
        "current bound (Eq. 9), for T_L >= T_R: J_Q <=",
        f"    {d.current_bound}",
        "    for either order |J_Q| <= the same with |T_L - T_R| (swap the baths; alpha, gamma "
        "are symmetric)",
        "conductance bound (Eq. 10), kappa <=",
        f"    {d.conductance_bound}",
    ]
    if d.expectations:
        lines.append("expectation values:")
        lines += [f"    {k}: {v}" for k, v in d.expectations.items()]
    return "\n".join(lines)


def as_latex(d: Derivation) -> str:
    """The sum rule and both bounds as labelled LaTeX equations (Eq. 7, 9, 10), compact."""
    from heatbounds.codegen.latex_equations import derivation_latex
    from heatbounds.symbolic.term_order import fast_term_order

    with fast_term_order():  # SymPy's order of long sums, computed fast (same text)
        return derivation_latex(d).rstrip("\n")


def handler(args: argparse.Namespace) -> int:
    from heatbounds.model_files import load_model
    from heatbounds.symbolic.derivation import derive

    seconds = time_limit_seconds(args)
    junction = load_model(args.model)
    if junction.statistics == "fermion":
        args.moment = 0 if args.moment is None else args.moment
        return _fermion_handler(args, junction, seconds)
    args.moment = 1 if args.moment is None else args.moment
    what = f"deriving the s = {args.moment} sum rule of {junction.name}"
    with limited(seconds, what, hint=MOMENT_HINT.format(option="--moment")):
        derivation = derive(junction, moment=args.moment)
        if args.format == "json":
            text = json.dumps(as_json(derivation), indent=2)
        elif args.format == "latex":
            text = as_latex(derivation)
        else:
            text = as_text(derivation)
    print(text)
    return 0


def _fermion_handler(args: argparse.Namespace, junction, seconds) -> int:
    """A dot between leads: the spectral moment mu^(K) (any K >= 0) and the bounds."""
    from heatbounds.commands import _fermion_derive
    from heatbounds.symbolic.fermion_derivation import derive_fermion

    what = f"deriving the k = {args.moment} spectral sum rule of {junction.name}"
    with limited(seconds, what, hint=MOMENT_HINT.format(option="--moment")):
        derivation = derive_fermion(junction, moment=args.moment)
        if args.format == "json":
            text = json.dumps(_fermion_derive.as_json(derivation), indent=2)
        elif args.format == "latex":
            text = _fermion_derive.as_latex(derivation)
        else:
            text = _fermion_derive.as_text(derivation)
    print(text)
    return 0
