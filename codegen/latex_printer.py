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

from sympy import Expr
from sympy.printing.latex import LatexPrinter

__all__ = ["PaperLatexPrinter", "paper_latex"]

SYMBOL_NAMES = {
    "hbar": r"\hbar",
    "omega0": r"\omega_{0}",
    "omega_c": r"\omega_{c}",
    "omega_R": r"\omega_{R}",
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
        for nu in ("L", "R"):
            if name in (f"g_{nu}", f"omega_{nu}"):
                base = "g" if name.startswith("g") else r"\omega"
                args = " ".join(self._print(a) for a in expr.args)
                if name.startswith("g") and len(expr.args) == 3:
                    a, b, k = (self._print(x) for x in expr.args)
                    tex = f"g^{{{a}{b}}}_{{{nu} {k}}}"
                else:
                    tex = f"{base}_{{{nu} {args}}}"
                return f"{tex}^{{{exp}}}" if exp else tex
        return super()._print_Function(expr, exp)


def paper_latex(expr: Expr) -> str:
    """LaTeX of ``expr`` in the paper's notation (deterministic)."""
    return PaperLatexPrinter({"order": "lex"}).doprint(expr)
