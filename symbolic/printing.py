"""Plain-text and LaTeX printing of operator expressions.

The text and LaTeX of each operator family come from its family object
(:mod:`heatbounds.symbolic.families`); summed dummies print as
:math:`\\sum_{n}` with readable names chosen apart from the free indices.
"""

from __future__ import annotations

from collections.abc import Callable

from sympy import Basic, latex

from heatbounds.symbolic.words import word_latex, word_rename_signed, word_text

__all__ = ["operator_latex", "operator_str", "readable_dummies", "word_str"]

_READABLE = {
    "level": ("n", "m", "r", "s", "t", "u"),
    "mode": ("p", "q", "k", "k'", "p'", "q'"),
    "site": ("i", "j", "l", "i'", "j'", "l'"),
}


def readable_dummies(dummies: tuple, taken: set[str]) -> dict:
    """Map internal dummy names to readable ones not in ``taken``."""
    mapping = {}
    used = set(taken)
    for d, _ in dummies:
        for name in _READABLE[d.kind] + tuple(f"{d.kind[0]}{n}" for n in range(1, 99)):
            if name not in used:
                used.add(name)
                mapping[d] = type(d)(name)
                break
    return mapping


def word_str(word) -> str:
    """Plain text of a word, e.g. ``adag^2 a sigma_z`` (each family prints its own
    factors: :meth:`~heatbounds.symbolic.families.OperatorFamily.text`)."""
    return word_text(word)


def _terms_for_print(expr):
    free = {i.name for i in expr.free_indices()}
    out = []
    for coeff, dummies, word in expr.sorted_terms():
        mapping = readable_dummies(dummies, free)
        if mapping:
            sign, word = word_rename_signed(word, mapping)
            coeff = coeff.xreplace(mapping) if isinstance(coeff, Basic) else coeff
            coeff = coeff if sign == 1 else sign * coeff
            dummies = tuple((mapping[d], u) for d, u in dummies)
        out.append((coeff, dummies, word))
    return out


def operator_str(expr) -> str:
    """Plain text of an :class:`~heatbounds.symbolic.operators.OperatorExpr`."""
    if not expr.terms:
        return "0"
    pieces = []
    for coeff, dummies, word in _terms_for_print(expr):
        text = word_str(word)
        if not text:
            body = str(coeff)
        elif coeff == 1:
            body = text
        elif coeff == -1:
            body = "-" + text
        else:
            c = str(coeff)
            body = (f"({c})" if any(ch in c[1:] for ch in "+-") else c) + "*" + text
        if dummies:
            body = "Sum[" + ",".join(d.name for d, _ in dummies) + "](" + body + ")"
        pieces.append(body)
    return " + ".join(pieces).replace("+ -", "- ")


def operator_latex(expr, coefficient_latex: Callable[[Basic], str] = latex) -> str:
    """LaTeX of an operator expression.

    ``coefficient_latex`` prints the c-number coefficients and summed indices
    (SymPy's ``latex`` by default; the codegen wing passes its paper-notation
    printer).
    """
    if not expr.terms:
        return "0"
    pieces = []
    for coeff, dummies, word in _terms_for_print(expr):
        text = word_latex(word)
        if not text:
            body = coefficient_latex(coeff)
        elif coeff == 1:
            body = text
        elif coeff == -1:
            body = "-" + text
        else:
            c = coefficient_latex(coeff)
            body = (rf"\left({c}\right) " if "+" in c or "-" in c[1:] else c + " ") + text
        if dummies:
            body = r"\sum_{" + " ".join(coefficient_latex(d) for d, _ in dummies) + "} " + body
        pieces.append(body)
    return " + ".join(pieces).replace("+ -", "- ")
