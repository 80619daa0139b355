"""A quantum dot between two metallic leads, and the spectral sum rules of its Green's function.

.. math::
    \\hat H = \\hat H_s + \\sum_{\\nu=L,R}\\sum_k \\epsilon_{\\nu k}
        \\hat c^\\dagger_{\\nu k}\\hat c_{\\nu k}
      + \\sum_{\\nu k n} t^n_{\\nu k}\\big(\\hat c^\\dagger_{\\nu k}\\hat A_n
        + \\hat A_n^\\dagger \\hat c_{\\nu k}\\big)

with odd operators A_n of the dot (``d_up``, ``d_up * d_dn^dag * d_dn``, ...),
real tunnelling amplitudes t_{nu,n}(k) (the phase of each lead mode is free, so
real amplitudes are no restriction for one coupling operator) and level
widths Gamma^{nn'}_nu(eps) = 2 pi sum_k t^n_{nu k} t^n'_{nu k} delta(eps -
eps_{nu k}) = h_{nn'} Gamma_nu(eps), proportional between the leads.

The retarded Green's function G_{nn'}(t) = -i theta(t) <{A_n(t), A_n'^dag}>
has the spectral function A_{nn'}(omega) whose moments are equal-time
anticommutators, for every k >= 0:

.. math::
    \\int \\frac{d\\omega}{2\\pi}\\, \\omega^k A_{nn'}(\\omega)
      = \\mu^{(k)}_{nn'} = \\langle\\{\\mathcal L^k \\hat A_n, \\hat A_{n'}^\\dagger\\}\\rangle,
    \\qquad \\mathcal L X = [X, \\hat H]/\\hbar

(the time derivative i dA/dt = L A). mu^(k) is in units of frequency^k; the
weighted moment is sum_{nn'} h_{n'n} mu^(k)_{nn'} = Tr[h mu^(k)]. The
spectral function, and so these sum rules, belong to a stationary state (one
that commutes with H, e.g. the steady state of the junction): there
{L^k A_n, A_n^dag} and its adjoint, which differ by a commutator with H, have
the same (real) expectation value.

Examples
--------
>>> from heatbounds.symbolic.operators import Fermion
>>> from sympy import Symbol
>>> d, eps = Fermion("d"), Symbol("eps_0", real=True)
>>> j = FermionJunction("level", eps * d.number, {"A1": d.annihilate})
>>> weighted_spectral_moment(j, 0), weighted_spectral_moment(j, 1)
(1, eps_0/hbar)
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from sympy import Add, Expr, Function, ImmutableMatrix, expand, eye, latex, sympify

from heatbounds.symbolic.commutators import anticommutator, commutator
from heatbounds.symbolic.errors import ModelError, MomentOrderError
from heatbounds.symbolic.expectation import expectation
from heatbounds.symbolic.fermions import fermion_count_parities
from heatbounds.symbolic.indices import ModeIndex
from heatbounds.symbolic.junction import ModelOrigin
from heatbounds.symbolic.leads import LEADS, Leads
from heatbounds.symbolic.operators import OperatorExpr, mode_sum
from heatbounds.symbolic.parameters import hbar
from heatbounds.symbolic.printing import operator_latex

__all__ = [
    "FermionJunction",
    "lead_energy",
    "spectral_moment",
    "spectral_moment_operator",
    "tunnelling",
    "weighted_spectral_moment",
]

STATISTICS = "fermion"


def lead_energy(nu: str):
    """The energy function eps_nu(k) of the modes of lead nu."""
    return Function(f"epsilon_{nu}", real=True)


def tunnelling(nu: str, label: str):
    """The real tunnelling amplitude t_{nu,n}(k) of A_n (label n) to mode k of lead nu."""
    return Function(f"t_{nu}_{label}", real=True)


def _proportional(a: OperatorExpr, b: OperatorExpr) -> bool:
    """Whether a = c b for a nonzero c-number c."""
    if a.is_zero() or a.terms.keys() != b.terms.keys():
        return False
    ratios = {expand(sympify(a.terms[key]) / b.terms[key]) for key in a.terms}
    return len(ratios) == 1


@dataclass(frozen=True)
class FermionJunction:
    """A dot H_s between two fermionic leads (the module's Hamiltonian), frozen.

    Parameters
    ----------
    name:
        What the model is called.
    dot_hamiltonian:
        H_s, Hermitian and even in the fermions.
    couplings:
        label -> A_n, each odd in the fermions (the tunnelling adds h.c.).
    flags:
        The matrix h_{nn'} of Gamma^{nn'}_nu = h_{nn'} Gamma_nu (real symmetric,
        over the labels in order); identity if None.
    right_scale:
        Gamma_R^{nn'} = right_scale h_{nn'} Gamma_R: the factor between the
        flags of the right and the left lead, when a model gives both.
    parameters:
        identifier -> one-line meaning, for every parameter of H_s.
    """

    name: str
    dot_hamiltonian: OperatorExpr
    couplings: Mapping[str, OperatorExpr]
    flags: ImmutableMatrix | None = None
    right_scale: Expr = 1
    description: str = ""
    parameters: Mapping[str, str] = field(default_factory=dict)
    origin: ModelOrigin | None = field(default=None, compare=False)

    statistics = STATISTICS

    def __post_init__(self) -> None:
        if not self.couplings:
            raise ModelError(f"model {self.name!r}: give at least one coupling operator A_n")
        couplings = dict(self.couplings)
        object.__setattr__(self, "couplings", couplings)
        if fermion_count_parities(self.dot_hamiltonian.terms) - {0}:
            raise ModelError(f"model {self.name!r}: H_s must be even in the fermions")
        if not (self.dot_hamiltonian.dagger() - self.dot_hamiltonian).is_zero():
            raise ModelError(f"model {self.name!r}: H_s is not Hermitian")
        for label, op in couplings.items():
            if op.is_scalar() or fermion_count_parities(op.terms) != {1}:
                raise ModelError(
                    f"model {self.name!r}: coupling operator {label} is not odd in the fermions "
                    "(tunnelling t c^dag A + h.c. moves one electron: every term of A_n must "
                    "hold an odd number of fermion operators)"
                )
        labels = list(couplings)
        for i, first in enumerate(labels):
            for second in labels[i + 1 :]:
                if _proportional(couplings[second], couplings[first].dagger()):
                    raise ModelError(
                        f"model {self.name!r}: coupling operators {first} and {second} are a "
                        "Hermitian-conjugate pair; give each A_n once (the tunnelling adds h.c.)"
                    )
        n = len(labels)
        flags = eye(n) if self.flags is None else ImmutableMatrix(self.flags)
        if flags.shape != (n, n):
            raise ModelError(f"model {self.name!r}: flags must be {n} x {n}, one per coupling")
        if any(x.is_real is not True for x in flags) or flags != flags.T:
            raise ModelError(
                f"model {self.name!r}: flags h_nn' must be real and symmetric "
                "(Gamma^{nn'} of real tunnelling amplitudes)"
            )
        object.__setattr__(self, "flags", ImmutableMatrix(flags))

    def __hash__(self) -> int:
        return hash((self.name, tuple(self.couplings), self.flags, self.right_scale))

    @property
    def labels(self) -> tuple:
        return tuple(self.couplings)

    def _repr_latex_(self) -> str:
        r"""H_s, the coupling operators A_n and the flags h as LaTeX (Jupyter's display).

        >>> from heatbounds.symbolic.operators import Fermion
        >>> d = Fermion("d")
        >>> text = FermionJunction("rlm", 2 * d.number, {"A1": d.annihilate})._repr_latex_()
        >>> for row in text.split(r" \\ "):
        ...     print(row)
        $\displaystyle \begin{aligned} \hat H_s &= 2 \hat{d}^{\dagger} \hat{d}
        \hat A_{\mathrm{A1}} &= \hat{d}
        h &= \left[\begin{matrix}1\end{matrix}\right] \end{aligned}$
        """
        rows = [rf"\hat H_s &= {operator_latex(self.dot_hamiltonian)}"]
        rows += [
            rf"\hat A_{{\mathrm{{{label}}}}} &= {operator_latex(op)}"
            for label, op in self.couplings.items()
        ]
        rows.append(rf"h &= {latex(self.flags)}")
        return r"$\displaystyle \begin{aligned} " + r" \\ ".join(rows) + r" \end{aligned}$"

    @cached_property
    def hamiltonian(self) -> OperatorExpr:
        """H = H_s + sum_nu H_nu + H_T (the module's equation)."""
        c, k = Leads(), ModeIndex("k")
        out = self.dot_hamiltonian
        for nu in LEADS:
            out = out + mode_sum(lead_energy(nu)(k) * c.number(nu, k), k)
            for label, a in self.couplings.items():
                hop = c.create(nu, k) * a + a.dagger() * c.annihilate(nu, k)
                out = out + mode_sum(tunnelling(nu, label)(k) * hop, k)
        return out


_MEMO: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _liouvillian_powers(junction: FermionJunction, label: str, k: int) -> OperatorExpr:
    """L^k A_n = [..[A_n, H], .. H] / hbar^k, memoised per junction."""
    memo = _MEMO.setdefault(junction, {})
    key = (label, k)
    if key not in memo:
        if k == 0:
            memo[key] = junction.couplings[label]
        else:
            previous = _liouvillian_powers(junction, label, k - 1)
            memo[key] = commutator(previous, junction.hamiltonian) * (1 / hbar)
    return memo[key]


def _order(k) -> int:
    if isinstance(k, bool) or not isinstance(k, int) or k < 0:
        raise MomentOrderError(
            f"a spectral moment mu^(k) needs an integer k >= 0 (even and odd are both sum "
            f"rules), got {k!r}"
        )
    return k


def spectral_moment_operator(junction: FermionJunction, k: int, pair: tuple) -> OperatorExpr:
    """{L^k A_n, A_n'^dag} for ``pair = (n, n')`` (labels)."""
    n, n_prime = pair
    return anticommutator(
        _liouvillian_powers(junction, n, _order(k)), junction.couplings[n_prime].dagger()
    )


def spectral_moment(junction: FermionJunction, k: int, pair: tuple) -> Expr:
    """mu^(k)_{nn'} = <{L^k A_n, A_n'^dag}> (frequency^k)."""
    return expectation(spectral_moment_operator(junction, k, pair))


def weighted_spectral_moment(junction: FermionJunction, k: int) -> Expr:
    """sum_{nn'} h_{n'n} mu^(k)_{nn'}: the moment of Tr[Gamma_eff A] per unit Gamma_eff."""
    labels = junction.labels
    terms = []
    for i, n in enumerate(labels):
        for j, n_prime in enumerate(labels):
            weight = junction.flags[j, i]
            if weight != 0:
                terms.append(weight * spectral_moment(junction, k, (n, n_prime)))
    return Add(*terms)
