r"""A standalone LaTeX document of one junction: model, sum rules, bounds, conditions.

:func:`latex_document` renders ``templates/latex/document.tex.jinja`` from a
prepared view-model (:func:`document_view`): every formula is printed here, in
Python, with the paper printer (:mod:`heatbounds.codegen.latex_printer`) and
cut into rows by :mod:`heatbounds.codegen.latex_equations`; the template only
lays the pieces out. The document holds

- the model, its H_s and its coupling operators A_n (Eq. 3, 11, 13, 16),
- the bath part H_B + H_SB in the form of Eq. 3, the flags h and the
  dissipation Jtilde (Eq. 4, 5, 8) with its odd-power majorant (Supplement),
- the index-order convention (Eq. 7 against Eq. 12 as printed),
- every moment sum rule asked for, M_s = sum h m^(s) (Eq. 7, 25), with
  c-number bath sums turned into spectral integrals (Eq. 4),
- the current and conductance bounds (Eq. 9, 10; Eq. 15, 17, 18 for the
  paper's models), the ballistic bound Eq. 2 and kappa_Q,
- the conditions under which the bounds hold.

Output is deterministic: no timestamp, a provenance header naming the tool
versions and the model (a built-in name, or a model file's path and the sha256
of its bytes, :mod:`.provenance`), so the same model and versions give
byte-identical files.

Examples
--------
>>> from heatbounds.symbolic.models import builtin_model
>>> tex = latex_document(builtin_model("spin-boson"))
>>> print(tex.splitlines()[1])
% regenerate with: heatbounds latex spin-boson --moments 1
>>> r"\label{eq:spin-boson-current-bound}" in tex
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from importlib.metadata import version

from sympy import Abs, Poly, Symbol

from heatbounds import __version__
from heatbounds.codegen.latex_equations import (
    ABS_TEMPERATURES_TEX,
    AT_EQUAL_TEMPERATURES,
    TEMPERATURES_TEX,
    Equation,
    conductance_bound_equation,
    current_bound_equation,
    equation,
    label_name,
    operator_equation,
    sum_rule_lhs,
)
from heatbounds.codegen.latex_printer import operator_paper_latex, paper_latex, tex_escape
from heatbounds.codegen.provenance import model_argument, model_description
from heatbounds.codegen.templates_env import render
from heatbounds.symbolic.bounds import T_L, T_R, ballistic_bound, quantum_of_conductance
from heatbounds.symbolic.compact import compact_derivation
from heatbounds.symbolic.derivation import Derivation, derive
from heatbounds.symbolic.dissipation import omega
from heatbounds.symbolic.errors import MomentOrderError
from heatbounds.symbolic.indices import ModeIndex
from heatbounds.symbolic.junction import Junction
from heatbounds.symbolic.sum_rules import check_moment_order

__all__ = ["TEMPLATE", "document_view", "latex_document", "normalise_moments"]

TEMPLATE = "latex/document.tex.jinja"

# A bound whose explicit form needs more rows than this is given through M_s.
MAX_EXPLICIT_ROWS = 3

# (pi alpha gamma / 4) hbar k_B of Eq. 9 and 10, before the h-weighted moments.
GENERAL_PREFACTOR_TEX = r"\frac{\pi \alpha \gamma}{4} \hbar k_{B}"

# LaTeX of glossary names that are functions rather than symbols.
_FUNCTION_LATEX = {"energy": "E_{n}"}


@dataclass(frozen=True)
class Coupling:
    """One coupling operator: ``name = operator`` (LaTeX), e.g. A_z = sigma_z."""

    name: str
    operator: str


@dataclass(frozen=True)
class Moment:
    """The h-weighted sum rule M_s (Eq. 7 / 25)."""

    order: int
    equation: Equation


@dataclass(frozen=True)
class Entry:
    """A glossary line: the symbol (LaTeX math), its identifier and meaning (LaTeX text)."""

    math: str
    identifier: str
    meaning: str


def normalise_moments(moments: Iterable[int]) -> tuple[int, ...]:
    """The odd moment orders asked for, sorted and without repeats (refused if none)."""
    orders = tuple(sorted({check_moment_order(s) for s in moments}))
    if not orders:
        raise MomentOrderError("ask at least one odd moment order s >= 1")
    return orders


def _default_command(junction: Junction, moments: tuple[int, ...]) -> str:
    listed = ",".join(str(s) for s in moments)
    if (argument := model_argument(junction)) is not None:  # a built-in name or a file's path
        return f"heatbounds latex {argument} --moments {listed}"
    return f"latex_document(<junction {junction.name}>, moments=({listed},)) in Python"


def _header(command: str, junction: Junction) -> dict:
    generator = f"heatbounds {__version__} (SymPy {version('sympy')}, Jinja2 {version('jinja2')})"
    return {
        "generator": generator,
        "command": " ".join(command.split()),
        "template": f"heatbounds/codegen/templates/{TEMPLATE}",
        "model": " ".join(model_description(junction).split()),
    }


def _source(junction: Junction) -> str:
    """A sentence naming where the model comes from: a model file or a built-in model."""
    if junction.origin is not None:  # a long path may break after each slash
        path = tex_escape(junction.origin.path).replace("/", r"/\allowbreak{}")
        return rf"It is read from the model file \texttt{{{path}}}."
    if model_argument(junction) is not None:
        return rf"It is the built-in model \texttt{{{tex_escape(junction.name)}}} of heatbounds."
    return ""


def _couplings(junction: Junction) -> list[Coupling]:
    levels = junction.couplings.level_sums
    if levels is not None:
        size = paper_latex(levels.size)
        return [Coupling(r"\hat{A}_{ij}", rf"|i\rangle\langle j|, \quad i, j = 1, \dots, {size}")]
    return [
        Coupling(rf"\hat{{A}}_{{{tex_escape(str(label))}}}", operator_paper_latex(op))
        for label, op in junction.couplings.operators
    ]


def _flags(junction: Junction) -> dict:
    if junction.couplings.level_sums is not None:
        return {
            "formula": r"h_{ij,kl} = \delta_{ik} \delta_{jl}",
            "order": "",
        }
    labels = ", ".join(rf"\hat{{A}}_{{{tex_escape(str(x))}}}" for x in junction.labels)
    return {"formula": f"h = {paper_latex(junction.flags)}", "order": labels}


def _moment_symbols(orders: Iterable[int]) -> dict:
    return {Symbol(f"M_{s}"): rf"\mathcal{{M}}_{{{s}}}" for s in orders}


def _dissipation(junction: Junction) -> dict:
    """Jtilde (Eq. 8 or the Supplement's forms), its majorant and the bound factor in M_l."""
    shape = junction.dissipation
    orders = shape.moment_orders()
    names = _moment_symbols(orders)
    factor = shape.bound_factor(lambda s: Symbol(f"M_{s}"))
    majorant = shape.bound_factor(lambda s: omega**s)
    degrees = Poly(majorant, omega).monoms() if majorant.is_polynomial(omega) else [(0,)]
    odd = all(d % 2 for (d,) in degrees)
    factor_tex = paper_latex(factor, symbol_names=names)
    if factor.is_Add:
        factor_tex = rf"\left({factor_tex}\right)"
    return {
        "name": tex_escape(str(shape)),
        "shape": paper_latex(shape.spectral_function(omega)),
        "majorant": paper_latex(majorant) if odd else "",
        "factor": factor_tex,
        "orders": ", ".join(str(s) for s in orders),
    }


def _glossary(derivations: list[Derivation]) -> list[Entry]:
    merged: dict[str, str] = {}
    for d in derivations:
        merged.update(d.parameters)
    return [
        Entry(
            _FUNCTION_LATEX.get(name) or paper_latex(Symbol(name)),
            tex_escape(name),
            tex_escape(meaning),
        )
        for name, meaning in sorted(merged.items())
    ]


def _bounds(junction: Junction, d: Derivation, dissipation: dict) -> dict:
    """Eq. 9 and 10 through M_s, explicitly where short (Eq. 15, 17, 18), and Eq. 2."""
    name, factor = label_name(junction.name), dissipation["factor"]
    current = current_bound_equation(d, f"{name}-current-bound-explicit")
    conductance = conductance_bound_equation(d, f"{name}-conductance-bound-explicit")
    return {
        "current": Equation(
            "J_{Q}",
            r"\le",
            (f"{GENERAL_PREFACTOR_TEX} {TEMPERATURES_TEX} {factor}",),
            f"{name}-current-bound",
        ),
        # Eq. 9 is symmetric in the baths: the bound on |J_Q| for either order.
        "magnitude": Equation(
            r"|J_{Q}|",
            r"\le",
            (f"{GENERAL_PREFACTOR_TEX} {ABS_TEMPERATURES_TEX} {factor}",),
            f"{name}-current-bound-either-order",
        ),
        "current_explicit": current if len(current.rows) <= MAX_EXPLICIT_ROWS else None,
        "conductance": Equation(
            r"\kappa",
            r"\le",
            (rf"{GENERAL_PREFACTOR_TEX} \left. {factor} \right|{AT_EQUAL_TEMPERATURES}",),
            f"{name}-conductance-bound",
        ),
        "conductance_explicit": (
            conductance if len(conductance.rows) <= MAX_EXPLICIT_ROWS else None
        ),
        "moment_refs": ", ".join(
            rf"\eqref{{eq:{name}-sum-rule-{s}}}" for s in junction.dissipation.moment_orders()
        ),
        "ballistic": paper_latex(ballistic_bound()),
        "ballistic_magnitude": paper_latex(
            ballistic_bound().xreplace({T_L**2 - T_R**2: Abs(T_L**2 - T_R**2)})
        ),
        "kappa_q": paper_latex(quantum_of_conductance()),
    }


def document_view(
    junction: Junction, *, moments: Iterable[int] = (1,), command: str | None = None
) -> dict:
    """The view-model of the document: every LaTeX string the template lays out."""
    asked = normalise_moments(moments)
    bound_orders = tuple(junction.dissipation.moment_orders())
    orders = tuple(sorted(set(asked) | set(bound_orders)))
    # compact form (Eq. 12's bath coordinates, one sum per bath), as derive prints it
    derivations = {s: compact_derivation(derive(junction, s)) for s in orders}
    name = label_name(junction.name)
    k = ModeIndex("k")
    dissipation = _dissipation(junction)
    return {
        "header": _header(command or _default_command(junction, asked), junction),
        "model": {
            "name": tex_escape(junction.name),
            "source": _source(junction),
            "label": name,
            "description": tex_escape(_sentence(junction.description)),
            "hamiltonian": operator_equation(
                r"\hat{H}_{\mathrm{s}}", junction.system_hamiltonian, f"{name}-hs"
            ),
            "couplings": _couplings(junction),
            "bath_operator": Equation(
                r"\hat{X}_{\nu k}",
                "=",
                (operator_paper_latex(junction.bath_operator("nu", k)),),
                f"{name}-bath-operator",
            ),
            "counterterm": bool(junction.counterterm),
            "flags": _flags(junction),
        },
        "dissipation": dissipation,
        "moments": [
            Moment(
                s,
                equation(
                    rf"\mathcal{{M}}_{{{s}}} \equiv {sum_rule_lhs(s)}",
                    "=",
                    derivations[s].sum_rule,
                    f"{name}-sum-rule-{s}",
                ),
            )
            for s in orders
        ],
        "asked": ", ".join(str(s) for s in asked),
        "extra": ", ".join(str(s) for s in orders if s not in asked),
        "bounds": _bounds(junction, derivations[bound_orders[0]], dissipation),
        "glossary": _glossary(list(derivations.values())),
    }


def latex_document(
    junction: Junction, *, moments: Iterable[int] = (1,), command: str | None = None
) -> str:
    """The standalone LaTeX document of ``junction`` (compiles with ``pdflatex``).

    ``moments`` are the odd orders s of the sum rules M_s to print (Eq. 7, 25);
    the orders the bounds need (s = 1 for ohmic dissipation, Eq. 9) are printed
    as well. ``command`` is the command line named in the provenance header
    (default: the ``heatbounds latex`` call that regenerates the document).
    Refuses an even or non-positive order with
    :class:`~heatbounds.symbolic.errors.MomentOrderError`.
    """
    return render(TEMPLATE, **document_view(junction, moments=moments, command=command))


def _sentence(text: str) -> str:
    """One line of text, capitalised (a model description opens a paragraph)."""
    text = " ".join(text.split())
    return text[:1].upper() + text[1:]
