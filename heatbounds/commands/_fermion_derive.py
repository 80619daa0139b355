"""``heatbounds derive`` for a fermionic model: text, LaTeX and JSON of its derivation.

The JSON keeps the contract keys of ``derive --format json`` (``model, moment,
convention, sum_rule, current_bound, conductance_bound, parameters,
expectations``) and adds ``statistics: "fermion"``. The ``sympy`` strings parse
(``sympy.sympify``) to the derived expressions: expectation values print as
their identifiers (``d_dndag_d_dn``, or a function of the lead-mode index,
``cdag_L_d_up(p)``), lead sums as ``Sum(..., (p, 1, M))``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from heatbounds.symbolic.fermion_derivation import FermionDerivation

_ROWS = (
    ("sum_rule", "sum rule"),
    ("current_bound", "current bound"),
    ("conductance_bound", "conductance bound"),
)


def as_json(d: FermionDerivation) -> dict:
    """The JSON document (module docstring)."""
    from sympy import latex

    out: dict = {"model": d.model, "moment": d.moment, "convention": d.convention}
    for key, _ in _ROWS:
        expr = getattr(d, key)
        out[key] = {"sympy": str(expr), "latex": latex(expr)}
    out["parameters"] = d.parameters
    out["expectations"] = d.expectations
    out["statistics"] = d.statistics
    return out


def as_text(d: FermionDerivation) -> str:
    """Sum rule, bounds and glossary as plain text."""
    k = d.moment
    lines = [
        f"model: {d.model} -- {d.description}" if d.description else f"model: {d.model}",
        "statistics: fermion (a dot between two electron leads)",
        f"convention: {d.convention}",
        f"sum rule (spectral moment k = {k}): M_{k} = sum h mu^({k}) =",
        f"    {d.sum_rule}",
        "bounds use mu^(0); wide-band leads, proportional coupling, zero bias "
        "(Gamma_eff = Gamma_L Gamma_R/(Gamma_L + Gamma_R), c_0 = 0.43923...):",
        "current bound, for T_L >= T_R: J_Q <=",
        f"    {d.current_bound}",
        "    for either order |J_Q| <= the same with |T_L - T_R|",
        "heat conductance bound, kappa <=",
        f"    {d.conductance_bound}",
    ]
    if d.expectations:
        lines.append("expectation values:")
        lines += [f"    {name}: {meaning}" for name, meaning in d.expectations.items()]
    return "\n".join(lines)


def as_latex(d: FermionDerivation) -> str:
    """The sum rule and both bounds as labelled LaTeX equations."""
    from sympy import latex

    k = d.moment
    rows = [
        (rf"\sum_{{n n'}} h_{{n' n}} \mu^{{({k})}}_{{n n'}}", "=", latex(d.sum_rule)),
        ("J_Q", r"\le", latex(d.current_bound)),
        (r"\kappa", r"\le", latex(d.conductance_bound)),
    ]
    body = " \\\\\n".join(rf"  {lhs} &{rel} {rhs}" for lhs, rel, rhs in rows)
    return "\\begin{align}\n" + body + "\n\\end{align}"
