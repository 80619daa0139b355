"""Plain-text and LaTeX printing of operator expressions.

The LaTeX of each operator family comes from its rule table
(:mod:`heatbounds.symbolic.sectors`); summed dummies print as
:math:`\\sum_{n}` with readable names chosen apart from the free indices.
"""

from __future__ import annotations

from collections.abc import Callable

from sympy import Basic, latex

from heatbounds.symbolic.indices import Index
from heatbounds.symbolic.words import AbstractOperator, word_latex, word_rename

__all__ = ["operator_latex", "operator_str", "readable_dummies", "word_str"]

_READABLE = {"level": ("n", "m", "r", "s", "t", "u"), "mode": ("p", "q", "k", "k'", "p'", "q'")}


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


def _index_str(v) -> str:
    return v.name if isinstance(v, Index) else str(v)


def word_str(word) -> str:
    """Plain text of a word, e.g. ``adag^2 a sigma_z``."""
    parts = []
    for segment in word:
        if isinstance(segment, AbstractOperator):
            parts.append(segment.label)
            continue
        for (_, family, name), c in segment:
            if family == "boson":
                m, n = c
                if m:
                    parts.append(f"{name}^dag" + ("" if m == 1 else f"^{m}"))
                if n:
                    parts.append(name + ("" if n == 1 else f"^{n}"))
            elif family == "spin":
                parts.append(f"{name}_{c}")
            elif family == "levels":
                parts.append(f"{name}[{_index_str(c[0])},{_index_str(c[1])}]")
            else:
                parts += [f"{name}^dag[{nu},{_index_str(k)}]" for nu, k in c[0]]
                parts += [f"{name}[{nu},{_index_str(k)}]" for nu, k in c[1]]
    return " ".join(parts)


def _terms_for_print(expr):
    free = {i.name for i in expr.free_indices()}
    out = []
    for coeff, dummies, word in expr.sorted_terms():
        mapping = readable_dummies(dummies, free)
        if mapping:
            word = word_rename(word, mapping)
            coeff = coeff.xreplace(mapping) if isinstance(coeff, Basic) else coeff
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
