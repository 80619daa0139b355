r"""Displayed equations in the paper's notation: long sums broken over rows, bounds as Eq. 9/17.

Printers produce the maths, templates the layout: an :class:`Equation` holds a
left-hand side, a relation and the right-hand side already cut into rows, and
the template macro ``display`` (``templates/latex/equation.tex.jinja``) lays it
out as an ``equation`` (one row) or an ``align`` (several rows, numbered once).

A long sum (the N-level sum rules of Eq. 12 are sums over levels and bath
modes) is cut between the terms of its SymPy ``Add``, in the printer's order,
with an estimate of the printed width; a common factor stays in front of a
``\Bigl[ ... \Bigr]`` that spans the rows.

The bounds are written as in Eq. 9 and 17: the prefactor
:math:`\frac{\pi\alpha\gamma}{4} k_B`, the temperature difference, and the
sum-rule factor :math:`\hbar\sum_l c_l \mathcal{M}_l`, e.g.
:math:`\frac{\pi\alpha\gamma}{4} k_B (T_L - T_R)(-\Delta\langle\hat\sigma_x\rangle)`.

Examples
--------
>>> from heatbounds.symbolic.derivation import derive
>>> from heatbounds.symbolic.models import harmonic, spin_boson
>>> print(current_bound_latex(derive(harmonic())))  # Eq. 15
\frac{\pi \alpha \gamma}{4} k_{B} \left(T_{L} - T_{R}\right) \omega_{0}
>>> print(paper_latex(bound_factor(derive(spin_boson()))))  # Eq. 17
- \Delta \langle \hat{\sigma}_{x} \rangle
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sympy import Expr, Mul, S, Sum, Symbol, pi
from sympy.core.function import _coeff_isneg

from heatbounds.codegen.latex_printer import (
    PaperLatexPrinter,
    operator_paper_latex,
    paper_latex,
)
from heatbounds.codegen.templates_env import render
from heatbounds.symbolic.compact import compact_derivation
from heatbounds.symbolic.derivation import Derivation
from heatbounds.symbolic.expectation import Expectation
from heatbounds.symbolic.operators import OperatorExpr
from heatbounds.symbolic.parameters import alpha, gamma, k_B

__all__ = [
    "ABS_TEMPERATURES_TEX",
    "BOUND_PREFACTOR",
    "ROW_WIDTH",
    "Equation",
    "bound_factor",
    "conductance_bound_equation",
    "conductance_bound_latex",
    "current_bound_equation",
    "current_bound_latex",
    "derivation_equations",
    "derivation_latex",
    "equation",
    "label_name",
    "operator_equation",
    "pack_rows",
    "sum_rule_lhs",
    "visible_width",
]

# (pi alpha gamma / 4) k_B of Eq. 9, 10, 17, 18; the rest of a bound is hbar sum h m.
BOUND_PREFACTOR = pi * alpha * gamma * k_B / 4
PREFACTOR_TEX = r"\frac{\pi \alpha \gamma}{4} k_{B}"
TEMPERATURES_TEX = r"\left(T_{L} - T_{R}\right)"
# |T_L - T_R| of the bound on |J_Q| for either order of the temperatures (Eq. 9 with the
# baths swapped where T_L < T_R); the equations here keep Eq. 9's T_L - T_R.
ABS_TEMPERATURES_TEX = r"\left|T_{L} - T_{R}\right|"
AT_EQUAL_TEMPERATURES = r"_{T_{L} = T_{R}}"

# Estimated printed width of one row, in characters of math italic (an A4 page
# with 2.5 cm margins holds about 75 at 11 pt; the estimate errs long).
ROW_WIDTH = 62


@dataclass(frozen=True)
class Equation:
    """One displayed equation: ``lhs relation rows[0]``, continued by ``rows[1:]``."""

    lhs: str
    relation: str
    rows: tuple[str, ...]
    label: str


def _braced(tex: str, start: int) -> tuple[str, int]:
    """The group ``{...}`` opening at ``tex[start]`` and the index after it."""
    depth = 0
    for pos in range(start, len(tex)):
        if tex[pos] == "{":
            depth += 1
        elif tex[pos] == "}":
            depth -= 1
            if depth == 0:
                return tex[start + 1 : pos], pos + 1
    return tex[start + 1 :], len(tex)


_INVISIBLE = re.compile(r"\\(left|right|[Bb]igg?[lr]?|hat|mathrm|mathcal|nonumber|quad|qquad)\b")
_COMMAND = re.compile(r"\\[A-Za-z]+|\\.")


def visible_width(tex: str) -> int:
    r"""A rough printed width of math-mode LaTeX, in characters.

    A command counts as one character, a fraction as its wider part, a
    ``\substack`` as its longest line; braces, spaces and sizing commands
    count nothing.

    >>> visible_width(r"\frac{\pi \alpha \gamma}{4} k_{B}")
    5
    """
    width = 0
    pos = 0
    while pos < len(tex):
        if tex.startswith(r"\frac", pos) and tex[pos + 5 : pos + 6] == "{":
            numerator, pos = _braced(tex, pos + 5)
            denominator, pos = _braced(tex, pos)
            width += max(visible_width(numerator), visible_width(denominator))
            continue
        if tex.startswith(r"\substack", pos):
            body, pos = _braced(tex, pos + len(r"\substack"))
            width += max(visible_width(line) for line in body.split(r"\\"))
            continue
        match = _COMMAND.match(tex, pos)
        if match:
            pos = match.end()
            width += 0 if _INVISIBLE.fullmatch(match.group()) else 1
            continue
        width += 0 if tex[pos] in "{} ^_&" else 1
        pos += 1
    return width


def _split_factor(expr: Expr) -> tuple[Expr, Expr]:
    """(c, s) with expr = c * s and s a sum where expr is a multiple of one."""
    if expr.is_Add:
        return S.One, expr
    if expr.is_Mul:
        sums = [f for f in expr.args if f.is_Add]
        if len(sums) == 1:
            return Mul(*(f for f in expr.args if f is not sums[0])), sums[0]
    return S.One, expr


_PLACEHOLDER = Symbol("zzplaceholder")


def _long_sum(term: Expr) -> tuple[Expr, Sum] | None:
    """(c, Sum) where ``term`` is c times one Sum of a sum (a compact bath sum, Eq. 12)."""
    sums = [f for f in Mul.make_args(term) if isinstance(f, Sum)]
    if len(sums) != 1 or not sums[0].function.is_Add:
        return None
    return Mul(*(f for f in Mul.make_args(term) if f is not sums[0])), sums[0]


def _pieces(total: Expr) -> list[str]:
    r"""Signed pieces of a sum for :func:`pack_rows`; a sum over modes or levels wider
    than a row is opened, ``c \sum_{p} \Bigl( ... \Bigr)``, so rows break inside it."""
    out: list[str] = []
    for position, (sign, tex, body) in enumerate(_signed_bodies(total, lazy=True)):
        lead = ("- " if sign == "-" else "") if position == 0 else f"{sign} "
        if tex is None:  # a sum too long for one row, whatever its terms print as
            split = _long_sum(body)
        else:
            split = _long_sum(body) if visible_width(tex) > ROW_WIDTH else None
        if split is None:
            out.append(lead + tex)
            continue
        coefficient, total_sum = split
        opened = paper_latex(Sum(_PLACEHOLDER, *total_sum.limits))
        head = " ".join(
            p
            for p in (_coefficient_tex(coefficient), opened.removesuffix(str(_PLACEHOLDER)).strip())
            if p
        )
        inner = _pieces(total_sum.function)
        inner[0] = rf"{lead}{head} \Bigl( {inner[0]}"
        inner[-1] = rf"{inner[-1]} \Bigr)"
        out.extend(inner)
    return out


def _surely_wider_than_a_row(expr: Expr) -> bool:
    """Whether ``expr`` is c times a Sum of a sum with so many terms that its LaTeX is
    wider than a row, whatever they print as: n terms show n - 1 signs and at least a
    character each (:func:`visible_width`)."""
    split = _long_sum(expr)
    return split is not None and 2 * len(split[1].function.args) - 1 > ROW_WIDTH


def _surely_rows(total: Expr, lead: int) -> bool:
    """Whether a sum is wider than a row after ``lead`` whatever its terms print as."""
    return total.is_Add and (
        lead + 2 * len(total.args) - 1 > ROW_WIDTH
        or any(_surely_wider_than_a_row(t) for t in total.args)
    )


def _signed_bodies(total: Expr, *, lazy: bool = False) -> list[tuple[str, str | None, Expr]]:
    """(sign, LaTeX, term without its sign) of each term, in the paper printer's order.

    ``lazy``: the LaTeX of a sum :func:`_pieces` opens anyway is None (not printed).
    """
    printer = PaperLatexPrinter({"order": "lex"})
    out = []
    for term in printer._as_ordered_terms(total, order="lex"):
        sign = "-" if _coeff_isneg(term) else "+"
        body = -term if sign == "-" else term
        if lazy and _surely_wider_than_a_row(body):
            out.append((sign, None, body))
            continue
        tex = printer._print(body)
        if printer._needs_add_brackets(body):
            tex = rf"\left({tex}\right)"
        out.append((sign, tex, body))
    return out


def _signed(pieces: list[tuple[str, str]]) -> list[str]:
    """Pieces of a sum as printed: the first with its sign only if negative."""
    out = []
    for position, (sign, tex) in enumerate(pieces):
        if position == 0:
            out.append(f"- {tex}" if sign == "-" else tex)
        else:
            out.append(f"{sign} {tex}")
    return out


def pack_rows(pieces: list[str], *, opening: str = "", closing: str = "", lead: int = 0):
    """Signed pieces of a sum packed into rows of about ROW_WIDTH.

    ``opening`` starts the first row (which ``lead`` characters precede),
    ``closing`` ends the last; a row holds at least one piece.
    """
    rows: list[list[str]] = [[opening] if opening else []]
    used, count = lead + visible_width(opening), 0
    for piece in pieces:
        width = visible_width(piece) + 1
        if count and used + width > ROW_WIDTH:
            rows.append([])
            used, count = 4, 0  # a continuation row starts with \qquad
        rows[-1].append(piece)
        used, count = used + width, count + 1
    if closing:
        rows[-1].append(closing)
    return tuple(" ".join(row) for row in rows)


def _rows(prefix: str, expr: Expr, suffix: str, lead: int) -> tuple[str, ...]:
    """``prefix expr suffix`` cut into rows of about ROW_WIDTH (``lead`` used on row one)."""
    coefficient, total = _split_factor(expr)
    if _surely_rows(total, lead):  # not worth printing the whole to measure it
        head = [p for p in (prefix, _coefficient_tex(coefficient)) if p]
        return pack_rows(
            _pieces(total),
            opening=" ".join([*head, r"\Bigl["]) if head else "",
            closing=" ".join(p for p in (r"\Bigr]" if head else "", suffix) if p),
            lead=lead,
        )
    whole = paper_latex(expr)
    if prefix and (expr.is_Add or _coeff_isneg(expr)):
        whole = rf"\left({whole}\right)"
    single = " ".join(p for p in (prefix, whole, suffix) if p)
    coefficient, total = _split_factor(expr)
    if lead + visible_width(single) <= ROW_WIDTH or not total.is_Add:
        return (single,)
    head = [p for p in (prefix, _coefficient_tex(coefficient)) if p]
    return pack_rows(
        _pieces(total),
        opening=" ".join([*head, r"\Bigl["]) if head else "",
        closing=" ".join(p for p in (r"\Bigr]" if head else "", suffix) if p),
        lead=lead,
    )


def _coefficient_tex(coefficient: Expr) -> str:
    if coefficient == 1:
        return ""
    if coefficient == -1:
        return "-"
    return paper_latex(coefficient)


def equation(lhs: str, relation: str, expr: Expr, label: str, *, prefix: str = "") -> Equation:
    """``lhs relation prefix expr``, cut into rows when long."""
    return Equation(lhs, relation, _rows(prefix, expr, "", visible_width(lhs) + 2), label)


def operator_equation(lhs: str, operator: OperatorExpr, label: str) -> Equation:
    """``lhs = operator`` (e.g. H_s), one term of the operator after another, cut into rows."""
    pieces = []
    for coefficient, dummies, word in operator.sorted_terms():
        tex = operator_paper_latex(OperatorExpr.from_word(word, coefficient, dummies))
        pieces.append(("-", tex[1:].lstrip()) if tex.startswith("-") else ("+", tex))
    if not pieces:
        return Equation(lhs, "=", ("0",), label)
    return Equation(lhs, "=", pack_rows(_signed(pieces), lead=visible_width(lhs) + 2), label)


def sum_rule_lhs(s: int) -> str:
    r"""The left-hand side of the h-weighted sum rule (Eq. 7, 9), :math:`\sum h m^{(s)}`."""
    return (
        rf"\sum_{{\vec n, \vec n'}} h_{{\vec n \vec n'}} "
        rf"m^{{({s})}}_{{\vec n \vec n'}}"
    )


def bound_factor(d: Derivation) -> Expr:
    r"""The sum-rule factor :math:`\hbar\sum_l c_l\mathcal{M}_l` of the bounds (Eq. 9, 17).

    It is the conductance bound (Eq. 10) divided by
    :math:`\frac{\pi\alpha\gamma}{4} k_B`: the f-sum rule times hbar for ohmic
    dissipation, e.g. :math:`-\Delta\langle\hat\sigma_x\rangle` for the spin-boson model.
    """
    return d.conductance_bound / BOUND_PREFACTOR


def _at_equal_temperatures(factor: Expr, tex: str) -> str:
    """Eq. 10/18's evaluation at T_L = T_R where the factor has expectation values."""
    if factor.has(Expectation):
        return rf"\left. {tex} \right|{AT_EQUAL_TEMPERATURES}"
    return tex


def _factor_tex(factor: Expr) -> str:
    tex = paper_latex(factor)
    if factor.is_Add or _coeff_isneg(factor):
        tex = rf"\left({tex}\right)"
    return tex


def current_bound_latex(d: Derivation) -> str:
    r"""Right-hand side of Eq. 9 on one line, e.g. Eq. 17 for the spin-boson model."""
    return f"{PREFACTOR_TEX} {TEMPERATURES_TEX} {_factor_tex(bound_factor(d))}"


def conductance_bound_latex(d: Derivation) -> str:
    r"""Right-hand side of Eq. 10 on one line, e.g. Eq. 18 for the spin-boson model."""
    factor = bound_factor(d)
    return f"{PREFACTOR_TEX} {_at_equal_temperatures(factor, _factor_tex(factor))}"


def current_bound_equation(d: Derivation, label: str) -> Equation:
    """Eq. 9 for the model: J_Q <= prefactor (T_L - T_R) factor, cut into rows when long."""
    lhs = "J_{Q}"
    rows = _rows(f"{PREFACTOR_TEX} {TEMPERATURES_TEX}", bound_factor(d), "", visible_width(lhs))
    return Equation(lhs, r"\le", rows, label)


def conductance_bound_equation(d: Derivation, label: str) -> Equation:
    """Eq. 10 for the model: kappa <= prefactor factor at T_L = T_R, cut into rows when long."""
    factor = bound_factor(d)
    lhs = r"\kappa"
    suffix = rf"\Bigr|{AT_EQUAL_TEMPERATURES}" if factor.has(Expectation) else ""
    rows = _rows(PREFACTOR_TEX, factor, suffix, visible_width(lhs) + 2)
    if len(rows) == 1:
        rows = (conductance_bound_latex(d),)
    return Equation(lhs, r"\le", rows, label)


def label_name(name: str) -> str:
    """A model name made safe inside ``\\label{eq:...}`` (letters, digits, ``-``).

    >>> label_name("my model_2%")
    'my-model-2-'
    """
    return re.sub(r"[^A-Za-z0-9-]", "-", name)


def derivation_equations(d: Derivation, *, compact: bool = True) -> list[Equation]:
    """The sum rule asked for (Eq. 7 / 25) and the bounds (Eq. 9, 10), labelled by model.

    ``compact`` (the default) writes them in compact form: bath coordinates
    :math:`\\langle \\hat W (\\hat b_{\\nu p} + \\hat b^\\dagger_{\\nu p}) \\rangle`, one sum
    per bath, terms collected (:mod:`heatbounds.symbolic.compact`); equal to the flat form.
    """
    if compact:
        d = compact_derivation(d)
    name = label_name(d.model)
    return [
        equation(sum_rule_lhs(d.moment), "=", d.sum_rule, f"{name}-sum-rule"),
        current_bound_equation(d, f"{name}-current-bound"),
        conductance_bound_equation(d, f"{name}-conductance-bound"),
    ]


def derivation_latex(d: Derivation) -> str:
    """What ``heatbounds derive MODEL --format latex`` prints (``latex/derive.tex.jinja``)."""
    return render(
        "latex/derive.tex.jinja",
        model=d.model,
        moment=d.moment,
        description=" ".join(d.description.split()),
        equations=derivation_equations(d),
    )
