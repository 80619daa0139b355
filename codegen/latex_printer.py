"""LaTeX of symbolic results in the paper's notation.

A :class:`~sympy.printing.latex.LatexPrinter` with the package's symbol names
(hbar -> \\hbar, omega0 -> \\omega_0, alpha_L -> \\alpha_L, N_levels -> N, ...)
and the operator/expectation printing of :mod:`heatbounds.symbolic`
(expectation values print as :math:`\\langle\\hat\\sigma_x\\rangle`).

Examples
--------
>>> from sympy import Symbol
>>> paper_latex(Symbol("hbar") * Symbol("omega0") / Symbol("k_B"))
'\\\\frac{\\\\hbar \\\\omega_{0}}{k_{B}}'
"""

from __future__ import annotations

import re

from sympy import Expr, sympify
from sympy.printing.latex import LatexPrinter

from heatbounds.symbolic.operators import OperatorExpr
from heatbounds.symbolic.printing import operator_latex

__all__ = ["PaperLatexPrinter", "operator_paper_latex", "paper_latex", "tex_escape"]

SYMBOL_NAMES = {
    "hbar": r"\hbar",
    "omega0": r"\omega_{0}",
    "omega_c": r"\omega_{c}",
    "omega_res": r"\omega_{R}",  # the Lorentzian resonance (Supplement)
    "alpha_L": r"\alpha_{L}",
    "alpha_R": r"\alpha_{R}",
    "alpha": r"\alpha",
    "gamma": r"\gamma",
    "Delta": r"\Delta",
    "lam": r"\lambda",
    "eta": r"\eta",
    "N_levels": "N",
    "k_B": r"k_{B}",
    "T_L": r"T_{L}",
    "T_R": r"T_{R}",
}


class PaperLatexPrinter(LatexPrinter):
    """SymPy's LaTeX printer with the paper's symbol names and g/omega subscripts."""

    def _print_Symbol(self, expr, style="plain"):
        if expr.name in SYMBOL_NAMES:
            return SYMBOL_NAMES[expr.name]
        return super()._print_Symbol(expr, style)

    def _print_Function(self, expr, exp=None):
        name = type(expr).__name__
        for nu, nu_tex in _BATHS.items():
            if name in (f"g_{nu}", f"omega_{nu}"):
                base = "g" if name.startswith("g") else r"\omega"
                args = " ".join(self._print(a) for a in expr.args)
                if name.startswith("g") and len(expr.args) == 3:
                    a, b, k = (self._print(x) for x in expr.args)
                    tex = f"g^{{{a}{b}}}_{{{nu_tex} {k}}}"
                    # g^{ab}_{L k} has a superscript already: a power needs parentheses.
                    return f"\\left({tex}\\right)^{{{exp}}}" if exp else tex
                else:
                    tex = f"{base}_{{{nu_tex} {args}}}"
                return f"{tex}^{{{exp}}}" if exp else tex
            if name.startswith(f"g_{nu}_") and len(expr.args) == 1:
                # g^n_{nu k}: the coupling of one of several named A_n (Eq. 3).
                label = tex_escape(name[len(f"g_{nu}_") :])
                tex = f"g^{{{label}}}_{{{nu_tex} {self._print(expr.args[0])}}}"
                return f"\\left({tex}\\right)^{{{exp}}}" if exp else tex
        return super()._print_Function(expr, exp)


# Bath labels of the coupling and frequency functions (g_L, omega_R, ...); ``nu``
# prints the generic bath of Eq. 3.
_BATHS = {"L": "L", "R": "R", "nu": r"\nu"}


# An innermost \left( ... \right) pair (no other \left or \right inside).
_INNER_PARENS = re.compile(r"\\left\(((?:(?!\\left|\\right).)*?)\\right\)", re.DOTALL)
# Material taller than a line, which parentheses must grow around.
_TALL = (r"\frac", r"\sum", r"\int", r"\prod", r"\begin", r"\binom", r"\sqrt")


def plain_parentheses(tex: str) -> str:
    r"""``tex`` with ``\left( ... \right)`` written ``( ... )`` around material of one
    line's height (sub- and superscripts included), as typeset by hand; fractions,
    sums, integrals and roots keep growing parentheses.

    >>> plain_parentheses(r"c \left(a + b\right) \left(\frac{a}{b} + 1\right)")
    'c (a + b) \\left(\\frac{a}{b} + 1\\right)'
    """

    def plain(match: re.Match) -> str:
        inner = match[1]
        if any(t in inner for t in _TALL):
            return "\\left\u0000" + inner + "\\right\u0001"  # kept; hidden from the search
        return f"({inner})"

    previous = None
    while previous != tex:
        previous, tex = tex, _INNER_PARENS.sub(plain, tex)
    return tex.replace("\\left\u0000", "\\left(").replace("\\right\u0001", "\\right)")


def paper_latex(expr: Expr, symbol_names: dict | None = None) -> str:
    """LaTeX of ``expr`` in the paper's notation (deterministic).

    ``symbol_names`` maps further symbols to their LaTeX (SymPy's setting).
    Parentheses grow only around tall material (:func:`plain_parentheses`).
    """
    settings = {"order": "lex"}
    if symbol_names:
        settings["symbol_names"] = symbol_names
    return plain_parentheses(PaperLatexPrinter(settings).doprint(sympify(expr, strict=True)))


def operator_paper_latex(expr: OperatorExpr) -> str:
    r"""LaTeX of an operator expression, its coefficients in the paper's notation.

    Operators and expectation values print as :mod:`heatbounds.symbolic` prints
    them (hatted: :math:`\hat a^\dagger`, :math:`\hat\sigma_z`, ...), e.g. H_s of Eq. 16:

    >>> from heatbounds.symbolic.operators import Spin
    >>> from heatbounds.symbolic.parameters import hbar, symbol
    >>> print(operator_paper_latex(hbar * symbol("Delta") / 2 * Spin("sigma").x))
    \frac{\Delta \hbar}{2} \hat{\sigma}_{x}
    """
    return operator_latex(expr, coefficient_latex=paper_latex)


_TEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "%": r"\%",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}


def tex_escape(text: str) -> str:
    r"""Plain text made safe for LaTeX text mode (every special character escaped).

    >>> print(tex_escape("J_L(w) = (4/hbar^2) sum_k g^2, <A|B>"))
    J\_L(w) = (4/hbar\^{}2) sum\_k g\^{}2, \textless{}A\textbar{}B\textgreater{}
    """
    return "".join(_TEX_SPECIALS.get(ch, ch) for ch in text)
