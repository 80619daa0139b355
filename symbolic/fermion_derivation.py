"""The derivation of a fermionic junction: its spectral sum rule and the heat-current bounds.

:func:`derive_fermion` is what ``heatbounds derive`` prints for a model with
``statistics = "fermion"``:

* the sum rule: the weighted spectral moment M_k = sum_{nn'} h_{n'n} mu^(k)_{nn'},
  mu^(k)_{nn'} = <{L^k A_n, A_n'^dag}> (frequency^k; every k >= 0 is a sum
  rule, :mod:`~heatbounds.symbolic.fermion_junction`), lead sums kept as sums
  over the lead modes (under the wide-band limit they diverge from k = 2 on:
  sum_k t^2 is the integral of Gamma over the band);
* the bounds, from mu^(0) only, for wide-band proportional leads at zero bias
  (docs, "Electronic junctions"):

  .. math::
      J_Q \\le \\frac{c_0}{\\hbar} k_B (T_L - T_R)\\, \\Gamma_{\\rm eff} M_0,
      \\qquad \\kappa \\le \\frac{c_0}{\\hbar} k_B\\, \\Gamma_{\\rm eff} M_0,
      \\qquad \\Gamma_{\\rm eff} = \\frac{\\Gamma_L \\Gamma_R}{\\Gamma_L + \\Gamma_R},

  c_0 = max_x x^2 e^x/(1 + e^x)^2 = 0.43923... (kept as the symbol ``c_0``).

Examples
--------
>>> from sympy import Symbol
>>> from heatbounds.symbolic.fermion_junction import FermionJunction
>>> from heatbounds.symbolic.operators import Fermion
>>> d = Fermion("d")
>>> j = FermionJunction("level", Symbol("eps_0", real=True) * d.number, {"A1": d.annihilate})
>>> derive_fermion(j, 1).sum_rule
eps_0/hbar
>>> derive_fermion(j).conductance_bound
Gamma_L*Gamma_R*c_0*k_B/(hbar*(Gamma_L + Gamma_R))
"""

from __future__ import annotations

from dataclasses import dataclass

from sympy import Expr, Function, Symbol, latex
from sympy.core.function import AppliedUndef

from heatbounds.symbolic.bounds import T_L, T_R
from heatbounds.symbolic.errors import ModelError
from heatbounds.symbolic.expectation import Expectation
from heatbounds.symbolic.fermion_junction import FermionJunction, weighted_spectral_moment
from heatbounds.symbolic.parameters import MEANINGS, hbar, k_B, symbol
from heatbounds.symbolic.printing import word_str

__all__ = ["CONVENTION", "FermionDerivation", "derive_fermion", "effective_width"]

CONVENTION = (
    "mu^(k)_{nn'} = <{L^k A_n, A_n'^dag}>, L X = [X, H]/hbar (moments of the spectral "
    "function A = i(G^r - G^a), G^r_{nn'}(t) = -i theta(t) <{A_n(t), A_n'^dag}>); "
    "sum_rule = sum_{n n'} h[n', n] mu[n, n']"
)
_LEAD_WORDS = {"L": "left", "R": "right"}
_LEAD_MEANINGS = {
    "M": "number of modes in each lead (oo for a continuum)",
    "T": "temperature of both leads, T_L = T_R = T (K)",
    "T_L": "temperature of the left lead (K)",
    "T_R": "temperature of the right lead (K)",
}


@dataclass(frozen=True)
class FermionDerivation:
    """A fermionic model's spectral sum rule and heat-transport bounds, with their glossary."""

    model: str
    description: str
    moment: int
    convention: str
    bound_moments: tuple
    sum_rule: Expr
    current_bound: Expr
    conductance_bound: Expr
    parameters: dict
    expectations: dict
    statistics: str = "fermion"

    def _repr_latex_(self) -> str:
        """The sum rule and both bounds as one aligned LaTeX block (Jupyter's display)."""
        k = self.moment
        rows = [
            (rf"\sum_{{n n'}} h_{{n' n}} \mu^{{({k})}}_{{n n'}}", "=", latex(self.sum_rule)),
            ("J_Q", r"\le", latex(self.current_bound)),
            (r"\kappa", r"\le", latex(self.conductance_bound)),
        ]
        body = r" \\ ".join(rf"{lhs} &{rel} {rhs}" for lhs, rel, rhs in rows)
        return rf"$\displaystyle \begin{{aligned}} {body} \end{{aligned}}$"


def effective_width(junction: FermionJunction) -> Expr:
    """Gamma_eff = Gamma_L Gamma_R' / (Gamma_L + Gamma_R'), Gamma_R' = right_scale Gamma_R."""
    gamma_l, gamma_r = symbol("Gamma_L"), junction.right_scale * symbol("Gamma_R")
    return gamma_l * gamma_r / (gamma_l + gamma_r)


def _function_meaning(name: str) -> str | None:
    for nu, side in _LEAD_WORDS.items():
        if name == f"epsilon_{nu}":
            return f"energy epsilon_{{{nu} k}} of mode k of the {side} lead (energy)"
        if name.startswith(f"t_{nu}_"):
            label = name[len(f"t_{nu}_") :]
            return (
                f"real tunnelling amplitude t^{label}_{{{nu} k}} of {label} to mode k of the "
                f"{side} lead (energy); Gamma^{{nn'}}_{nu}(e) = 2 pi sum_k t^n t^n' delta(e - e_k)"
            )
    return None


def _glossary(junction: FermionJunction, exprs: list) -> tuple[dict, dict]:
    parameters: dict[str, str] = {}
    expectations: dict[str, str] = {}
    known = {**MEANINGS, **_LEAD_MEANINGS, **junction.parameters}
    for expr in exprs:
        for atom in expr.atoms(Expectation):
            concrete = all(i.is_Integer for i in atom.indices)
            if concrete:
                name, label = str(atom), f"<{word_str(atom.word())}>"
            else:
                indices, generic = atom.signature()
                name = atom.identifier
                label = f"{name}({', '.join(i.name for i in indices)}) = <{word_str(generic)}>"
            expectations[name] = f"{label}: expectation value in the steady state of dot and leads"
        for sym in expr.free_symbols:
            if isinstance(sym, Symbol) and not isinstance(sym, Expectation):
                parameters[sym.name] = known.get(sym.name, f"parameter {sym.name} of H_s")
        for fn in expr.atoms(AppliedUndef, Function):
            if isinstance(fn, Expectation):
                continue
            meaning = _function_meaning(type(fn).__name__)
            if meaning is not None:
                parameters[type(fn).__name__] = meaning
    if clash := sorted(parameters.keys() & expectations.keys()):
        raise ModelError(
            f"model {junction.name!r}: the parameter {clash[0]!r} has the name of an "
            "expectation value; rename the parameter"
        )
    return dict(sorted(parameters.items())), dict(sorted(expectations.items()))


def derive_fermion(junction: FermionJunction, moment: int = 0) -> FermionDerivation:
    """The weighted spectral sum rule mu^(``moment``) and the wide-band bounds (module docstring).

    The bounds use mu^(0) whatever ``moment`` is asked.
    """
    sum_rule = weighted_spectral_moment(junction, moment)
    zeroth = sum_rule if moment == 0 else weighted_spectral_moment(junction, 0)
    c_0 = symbol("c_0")
    conductance = c_0 * k_B * effective_width(junction) * zeroth / hbar
    current = conductance * (T_L - T_R)
    parameters, expectations = _glossary(junction, [sum_rule, current])
    for name in ("T_L", "T_R", "T"):
        parameters.setdefault(name, _LEAD_MEANINGS[name])
    parameters.setdefault("mu", MEANINGS["mu"])
    return FermionDerivation(
        model=junction.name,
        description=junction.description,
        moment=moment,
        convention=CONVENTION,
        bound_moments=(0,),
        sum_rule=sum_rule,
        current_bound=current,
        conductance_bound=conductance,
        parameters=dict(sorted(parameters.items())),
        expectations=expectations,
    )
