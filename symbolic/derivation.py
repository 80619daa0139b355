"""One derivation: a model's moment sum rule and the bounds it implies, with meanings.

:func:`derive` is what ``heatbounds derive`` prints: the h-weighted moment
sum rule M_s = sum_{nn'} h_{nn'} m^(s)_{nn'} (Eq. 7 order), the current bound
Eq. 9 and the conductance bound Eq. 10 for the model's dissipation, and a
one-line meaning for every parameter and expectation value that appears.

Examples
--------
>>> from heatbounds.symbolic.models import spin_boson
>>> d = derive(spin_boson())
>>> d.sum_rule
-Delta*sigma_x/hbar
>>> d.conductance_bound
-pi*Delta*alpha*gamma*k_B*sigma_x/4
"""

from __future__ import annotations

from dataclasses import dataclass

from sympy import Expr, Function, Symbol, expand, latex
from sympy.concrete.expr_with_limits import ExprWithLimits
from sympy.core.function import AppliedUndef

from heatbounds.symbolic.bath_sums import bath_sums_to_integrals
from heatbounds.symbolic.bounds import (
    T_L,
    T_R,
    conductance_bound,
    current_bound,
    in_bath_couplings,
)
from heatbounds.symbolic.errors import ModelError
from heatbounds.symbolic.expectation import Expectation
from heatbounds.symbolic.junction import Junction, SymmetricCoupling
from heatbounds.symbolic.parameters import MEANINGS
from heatbounds.symbolic.printing import word_str
from heatbounds.symbolic.sum_rules import ORDERS, check_moment_order, weighted_moment

__all__ = ["Derivation", "derive"]

_BATH_WORDS = {"L": "left", "R": "right"}


@dataclass(frozen=True)
class Derivation:
    """A model's sum rule and bounds (SymPy, paper notation) with their glossary."""

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

    def in_bath_couplings(self, expr: Expr) -> Expr:
        """An expression with alpha, gamma replaced by alpha_L, alpha_R."""
        return in_bath_couplings(expr)

    def _repr_latex_(self) -> str:
        r"""The sum rule and both bounds as LaTeX (Jupyter's display; Eq. 7/25, 9, 10).

        The current bound is printed as (T_L - T_R) times the conductance bound,
        which it is for Eq. 9 and 10 (checked here; otherwise printed as it is).

        >>> from heatbounds.symbolic.models import harmonic
        >>> for row in derive(harmonic())._repr_latex_().split(r" \\ "):
        ...     print(row.replace(" &", "\n  &"))
        $\displaystyle \begin{aligned} \sum_{n n'} h_{n n'} m^{(1)}_{n n'}
          &= \frac{\omega_{0}}{\hbar}
          && \text{(Eq. 7)}
        J_Q
          &\le \left(T_{L} - T_{R}\right) \frac{\pi \alpha \gamma k_{B} \omega_{0}}{4}
          && \text{(Eq. 9)}
        \kappa
          &\le \frac{\pi \alpha \gamma k_{B} \omega_{0}}{4}
          && \text{(Eq. 10)} \end{aligned}$
        """
        kappa = latex(self.conductance_bound)
        if expand(self.current_bound - self.conductance_bound * (T_L - T_R)) == 0:
            factor = kappa
            if self.conductance_bound.is_Add or kappa.startswith("-"):
                factor = rf"\left({kappa}\right)"
            current = rf"\left(T_{{L}} - T_{{R}}\right) {factor}"
        else:
            current = latex(self.current_bound)
        s = self.moment
        rows = [
            (
                rf"\sum_{{n n'}} h_{{n n'}} m^{{({s})}}_{{n n'}}",
                "=",
                latex(self.sum_rule),
                7 if s == 1 else 25,
            ),
            ("J_Q", r"\le", current, 9),
            (r"\kappa", r"\le", kappa, 10),
        ]
        body = r" \\ ".join(
            rf"{lhs} &{rel} {rhs} && \text{{(Eq. {eq})}}" for lhs, rel, rhs, eq in rows
        )
        return rf"$\displaystyle \begin{{aligned}} {body} \end{{aligned}}$"


def _function_meaning(name: str) -> str | None:
    for nu, side in _BATH_WORDS.items():
        if name == f"g_{nu}":
            return (
                f"coupling g_{{{nu} k}} of mode k of the {side} bath (energy), "
                f"J_{nu}(w) = (4/hbar^2) sum_k g^2 delta(w - w_k) (Eq. 4)"
            )
        if name.startswith(f"g_{nu}_"):
            label = name[len(f"g_{nu}_") :]
            return f"coupling of A_{label} to mode k of the {side} bath (energy, Eq. 3)"
        if name == f"omega_{nu}":
            return f"frequency omega_{{{nu} k}} of mode k of the {side} bath (rad/s)"
    return None


def _with_families(key) -> str:
    """The word of an expectation atom's key with each operator's family, e.g. ``s_x (spin s)``."""
    families = [
        f"{sector[1]} {sector[2]}"
        for segment in key.template
        if isinstance(segment, tuple)
        for sector, _ in segment
    ]
    return f"{key.name} ({', '.join(families)})" if families else key.name


def _free_symbols(expr: Expr) -> set:
    """``expr.free_symbols``, with each sum's taken as its summand's less its indices
    plus its limits' (what SymPy's gives for plain indices, without substituting
    them: the written-out s = 3 sum rules have thousands of sums)."""
    if isinstance(expr, ExprWithLimits):
        out = _free_symbols(expr.function)
        for index, *bounds in expr.limits:
            if not index.is_Symbol:
                return expr.free_symbols
            out.discard(index)
            for bound in bounds:
                out |= bound.free_symbols
        return out
    if expr.is_Add or expr.is_Mul or expr.is_Pow:
        return set().union(*(_free_symbols(a) for a in expr.args))
    return expr.free_symbols


def _atoms(expr: Expr) -> tuple[set, set]:
    """``(expr.atoms(Expectation), expr.atoms(AppliedUndef, Function))`` in one walk that
    visits each distinct subexpression once (a written-out s = 3 sum rule repeats its
    couplings and expectation values thousands of times)."""
    seen, stack = set(), [expr]
    expectations, applied = set(), set()
    while stack:
        e = stack.pop()
        if e in seen:
            continue
        seen.add(e)
        if isinstance(e, Expectation):
            expectations.add(e)
        elif isinstance(e, (AppliedUndef, Function)):
            applied.add(e)
        stack.extend(e.args)
    return expectations, applied


def _glossary(junction: Junction, exprs: list[Expr]) -> tuple[dict, dict]:
    parameters: dict[str, str] = {}
    expectations: dict[str, str] = {}
    words: dict[str, tuple] = {}  # identifier -> (text, key) of the word it names
    symbols: set[str] = set()
    functions: set[str] = set()
    known = {**MEANINGS, **junction.dissipation.parameters(), **junction.parameters}
    for expr in exprs:
        atoms, applied = _atoms(expr)
        for atom in atoms:
            concrete = all(i.is_Integer for i in atom.indices)
            name = str(atom) if concrete else atom.identifier
            if concrete:
                word = word_str(atom.word())
                label = f"<{word}>"
            else:  # one function of its indices: describe the family, not this instance
                indices, generic = atom.signature()
                word = word_str(generic)
                label = f"{name}({', '.join(i.name for i in indices)}) = <{word}>"
            # The word's structure, not its text: a spin s's <s_x> and <s_x> of a
            # boson named s_x print alike but are different expectation values.
            described = (word, atom.args[0])
            if words.setdefault(name, described) != described:
                first, second = words[name][0], word
                if first == second:
                    first, second = _with_families(words[name][1]), _with_families(atom.args[0])
                first, second = sorted((first, second))  # the same message in every process
                raise ModelError(
                    f"model {junction.name!r}: two expectation values would both be called "
                    f"{name!r} (<{first}> and <{second}>); rename an operator"
                )
            expectations[name] = (
                f"{label}: expectation value in the steady state of system and baths "
                "(at T_L = T_R = T in the conductance bound)"
            )
        for sym in _free_symbols(expr):
            if isinstance(sym, Symbol) and not isinstance(sym, Expectation):
                if sym.name not in known:
                    raise ModelError(f"internal: no meaning for parameter {sym.name!r}")
                parameters[sym.name] = known[sym.name]
                symbols.add(sym.name)
        for fn in applied:
            if isinstance(fn, Expectation):
                continue
            name = type(fn).__name__
            functions.add(name)
            if isinstance(fn, SymmetricCoupling):
                side = _BATH_WORDS[name[-1]]
                parameters[name] = (
                    f"coupling g^{{ab}}_{{k}} of |a><b| to mode k of the {side} bath, "
                    "symmetric in a, b (energy, Eq. 12)"
                )
                continue
            meaning = _function_meaning(name) or known.get(name)
            if meaning is None:
                continue  # a SymPy function (exp, sqrt, ...)
            parameters[name] = meaning
    if clash := sorted(symbols & functions):
        raise ModelError(
            f"model {junction.name!r}: {clash[0]!r} names both a parameter and a function of "
            "the mode or level indices; rename the parameter"
        )
    if clash := sorted(parameters.keys() & expectations.keys()):
        name = clash[0]
        raise ModelError(
            f"model {junction.name!r}: the parameter {name!r} has the name of the expectation "
            f"value {expectations[name].split(':')[0]}, so the two could not be told apart in "
            "the JSON and the emitted modules; rename the parameter"
        )
    return dict(sorted(parameters.items())), dict(sorted(expectations.items()))


def derive(junction: Junction, moment: int = 1) -> Derivation:
    """The moment-``moment`` sum rule of ``junction`` and its bounds (Eq. 7, 9, 10).

    The bounds use the moments the dissipation's majorant needs (ohmic: s = 1),
    whatever ``moment`` is asked; the sum rule printed is the one asked.
    Raises :class:`~heatbounds.symbolic.errors.ModelError` when two names would
    coincide in the printed expressions (a parameter named like an expectation
    value's identifier, or two words with one identifier): JSON readers and
    emitted modules could not tell them apart.
    """
    check_moment_order(moment)
    sum_rule = bath_sums_to_integrals(weighted_moment(junction, moment), junction)
    current = bath_sums_to_integrals(current_bound(junction), junction)
    conductance = bath_sums_to_integrals(conductance_bound(junction), junction)
    exprs = [in_bath_couplings(e) for e in (sum_rule, current, conductance)]
    parameters, expectations = _glossary(junction, exprs)
    for name in ("T_L", "T_R", "T"):
        parameters.setdefault(name, MEANINGS[name])
    return Derivation(
        model=junction.name,
        description=junction.description,
        moment=moment,
        convention=ORDERS["eq7"] + "; sum_rule = sum_{n n'} h[n, n'] m[n, n']",
        bound_moments=junction.dissipation.moment_orders(),
        sum_rule=sum_rule,
        current_bound=current,
        conductance_bound=conductance,
        parameters=dict(sorted(parameters.items())),
        expectations=expectations,
    )
