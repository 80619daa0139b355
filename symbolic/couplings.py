"""The coupling operators A_n of Eq. 3 and their flag matrix h (Eq. 8), as one protocol.

A junction couples its subsystem to the baths through operators A_n, each
with its own constants g^n_{nu k}, and the bounds weight the sum-rule tensor
m_{nn'} with the flags h_{nn'}. Two kinds of couplings exist, and every caller
sees them through the same :class:`Couplings` protocol:

* :class:`OperatorCouplings`: a finite list of named operators, label -> A_n,
  with a flag matrix h over the labels (the identity unless given);
* :class:`MatrixUnits`: all matrix units ``A_ij = |i><j|`` of an N-level system
  (Eq. 11), N a number or a symbol, with h_{ij,kl} = delta_ik delta_jl and one
  coupling g_nu(i, j, k) symmetric in (i, j) (Eq. 12).

What differs between them is answered by the protocol, not by asking which
kind a junction holds: ``labels`` (concrete labels, refused for a symbolic N),
``operator``, ``bath_operator``, ``flag`` and ``flags``, ``single_label`` (the
label when there is one A), ``level_sums`` (the N-level system whose level
sums run over the labels, or None for a finite list), ``dimensionless`` (the
operators whose coefficients carry no units) and ``latex_rows``.

>>> from heatbounds.symbolic.operators import Spin
>>> s = Spin("sigma")
>>> couplings = OperatorCouplings({"z": s.z})
>>> couplings.labels, couplings.single_label, couplings.flag("z", "z")
(('z',), 'z', 1)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from sympy import Expr, Function, ImmutableMatrix, eye, latex, sympify
from sympy.matrices import MatrixBase

from heatbounds.symbolic.errors import BoundConditionError, ModelError
from heatbounds.symbolic.fermions import odd_terms
from heatbounds.symbolic.indices import LevelIndex, delta
from heatbounds.symbolic.keyed_functions import symmetric_coupling
from heatbounds.symbolic.operators import Levels, OperatorExpr, level_sum
from heatbounds.symbolic.printing import operator_latex

__all__ = ["Couplings", "MatrixUnits", "OperatorCouplings", "as_couplings"]


class Couplings(Protocol):
    """What the sum rules, bounds, printers and numeric checks ask of the A_n (Eq. 3, 8)."""

    @property
    def labels(self) -> tuple:
        """The labels n of the A_n, in order (the rows and columns of h)."""

    @property
    def flags(self) -> ImmutableMatrix:
        """The flag matrix h_{nn'} of Eq. 8 over :attr:`labels`."""

    @property
    def single_label(self):
        """The label of the only A, or None when there are several."""

    @property
    def level_sums(self) -> Levels | None:
        """The N-level system whose level sums run over the labels (i, j), or None."""

    def operator(self, label) -> OperatorExpr:
        """A_n for a label."""

    def bath_operator(self, nu: str, k) -> OperatorExpr:
        """X_{nu k} = sum_n g^n_{nu k} A_n, the system operator coupled to mode (nu, k)."""

    def flag(self, left, right) -> Expr:
        """h_{n n'} for two labels (symbolic level labels give Kronecker deltas)."""

    def dimensionless(self) -> tuple[OperatorExpr, ...]:
        """The A_n whose coefficients must carry no units (g carries them)."""

    def latex_rows(self) -> list[str]:
        """Aligned LaTeX rows ``\\hat A ... &= ...`` and ``h &= ...``."""


def _real_coupling(name: str):
    return Function(name, real=True)


@dataclass(frozen=True)
class OperatorCouplings:
    """A finite list of coupling operators label -> A_n with flags h (Eq. 8).

    ``flags`` defaults to the identity; it must be square over the labels,
    symmetric and positive semidefinite (Eq. 9's condition), else
    :class:`~heatbounds.symbolic.errors.BoundConditionError`.
    """

    operators: tuple[tuple[str, OperatorExpr], ...]
    flags: ImmutableMatrix = field(default=None)

    def __init__(self, operators, flags=None, *, model: str = "model"):
        pairs = tuple(operators.items()) if isinstance(operators, dict) else tuple(operators)
        if not pairs:
            raise ModelError(f"model {model!r}: no coupling operators A_n")
        for label, op in pairs:
            if not isinstance(op, OperatorExpr):
                raise ModelError(
                    f"model {model!r}: coupling operator {label!r} is of unknown kind "
                    f"{type(op).__name__}; give an operator expression"
                )
            if odd_terms(op.terms):
                raise ModelError(
                    f"model {model!r}: coupling operator {label!r} is odd in the fermions; "
                    "the boson baths couple to even operators (a density such as dag(d)*d)"
                )
        n = len(pairs)
        h = ImmutableMatrix(eye(n) if flags is None else flags)
        if h.shape != (n, n):
            raise ModelError(
                f"model {model!r}: flags h must be {n}x{n} for {n} coupling operators, "
                f"got {h.shape[0]}x{h.shape[1]}"
            )
        _check_flags(h, model)
        object.__setattr__(self, "operators", pairs)
        object.__setattr__(self, "flags", h)

    @property
    def labels(self) -> tuple:
        return tuple(label for label, _ in self.operators)

    @property
    def single_label(self):
        return self.operators[0][0] if len(self.operators) == 1 else None

    @property
    def level_sums(self) -> None:
        return None

    def as_dict(self) -> dict:
        """label -> A_n."""
        return dict(self.operators)

    def operator(self, label) -> OperatorExpr:
        for name, op in self.operators:
            if name == label:
                return op
        raise ModelError(f"no coupling operator {label!r}; the labels are {list(self.labels)}")

    def bath_operator(self, nu: str, k) -> OperatorExpr:
        total = OperatorExpr()
        single = len(self.operators) == 1
        for label, op in self.operators:
            g = _real_coupling(f"g_{nu}" if single else f"g_{nu}_{label}")
            total = total + op * g(k)
        return total

    def flag(self, left, right) -> Expr:
        labels = self.labels
        return self.flags[labels.index(left), labels.index(right)]

    def dimensionless(self) -> tuple[OperatorExpr, ...]:
        return tuple(op for _, op in self.operators)

    def latex_rows(self) -> list[str]:
        rows = []
        for label, op in self.operators:
            name = str(label).replace("_", r"\_")
            rows.append(rf"\hat A_{{\mathrm{{{name}}}}} &= {operator_latex(op)}")
        rows.append(rf"h &= {latex(self.flags)}")
        return rows


@dataclass(frozen=True)
class MatrixUnits:
    """The coupling operators ``A_ij = |i><j|`` of an N-level system (Eq. 11, 12).

    h_{ij,kl} = delta_ik delta_jl; the bath couples through one real
    g_nu(i, j, k) = g_nu(j, i, k), so that the total coupling is Hermitian.
    """

    levels: Levels

    @property
    def size(self) -> Expr:
        """N, a positive integer or a symbol."""
        return self.levels.size

    @property
    def labels(self) -> tuple:
        if not self.size.is_Integer:
            raise ModelError(
                f"matrix units of {self.levels.name!r} have symbolic labels (i, j), "
                f"i, j = 1..{self.size}"
            )
        n = int(self.size)
        return tuple((i, j) for i in range(1, n + 1) for j in range(1, n + 1))

    @property
    def flags(self) -> ImmutableMatrix:
        return ImmutableMatrix(eye(len(self.labels)))

    @property
    def single_label(self) -> None:
        return None

    @property
    def level_sums(self) -> Levels:
        return self.levels

    def operator(self, label) -> OperatorExpr:
        i, j = label
        return self.levels[i, j]

    def bath_operator(self, nu: str, k) -> OperatorExpr:
        a, b = LevelIndex("_ca"), LevelIndex("_cb")
        g = symmetric_coupling(f"g_{nu}")
        inner = level_sum(self.levels[a, b] * g(a, b, k), a, self.size)
        return level_sum(inner, b, self.size)

    def flag(self, left, right) -> Expr:
        return sympify(delta(left[0], right[0])) * sympify(delta(left[1], right[1]))

    def dimensionless(self) -> tuple[OperatorExpr, ...]:
        return ()

    def latex_rows(self) -> list[str]:
        size = latex(self.size)
        return [
            rf"\hat A_{{ij}} &= |i\rangle\langle j|, \quad i, j = 1 \ldots {size}",
            r"h_{ij,kl} &= \delta_{ik} \delta_{jl}",
        ]


def as_couplings(couplings, flags=None, *, model: str = "model") -> Couplings:
    """The :class:`Couplings` of a junction's ``couplings`` and ``flags`` arguments.

    A dict label -> A_n (or an :class:`OperatorCouplings`) takes flags; matrix
    units take none but their own h = delta_ik delta_jl.
    """
    if isinstance(couplings, MatrixUnits):
        if flags is not None and not _is_identity_over(couplings, flags):
            raise ModelError(
                f"model {model!r}: matrix-unit couplings take only the identity flags "
                "h = delta (Eq. 12); give no flags"
            )
        return couplings
    if isinstance(couplings, OperatorCouplings):
        if flags is not None and ImmutableMatrix(flags) != couplings.flags:
            raise ModelError(f"model {model!r}: flags given twice, with different values")
        return couplings
    if isinstance(couplings, dict):
        return OperatorCouplings(couplings, flags, model=model)
    raise ModelError(
        f"model {model!r}: couplings must be a dict label -> A_n or MatrixUnits, "
        f"got {type(couplings).__name__}"
    )


def _is_identity_over(units: MatrixUnits, flags) -> bool:
    """Whether ``flags`` is h = delta_ik delta_jl over the labels of concrete matrix units
    (what :func:`dataclasses.replace` passes back to a junction)."""
    if not units.size.is_Integer or not isinstance(flags, (list, tuple, MatrixBase)):
        return False
    try:
        return ImmutableMatrix(flags) == units.flags
    except (TypeError, ValueError):
        return False


def _check_flags(h: ImmutableMatrix, model: str) -> None:
    if h != h.T:
        raise BoundConditionError(
            f"model {model!r}: flag matrix h is not symmetric (h_nn' = h_n'n, Eq. 8)"
        )
    psd = h.is_positive_semidefinite
    if psd is False:
        raise BoundConditionError(
            f"model {model!r}: flag matrix h = {h.tolist()} is not positive "
            "semidefinite, so sum h Im chi(omega > 0) >= 0 fails and Eq. 9 does not hold"
        )
    if psd is None:
        raise BoundConditionError(
            f"model {model!r}: cannot decide whether the flag matrix h is positive "
            "semidefinite (needed by Eq. 9); give numeric flags"
        )
