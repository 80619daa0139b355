"""The junction of Eq. 3: a subsystem H_s coupled linearly to two boson baths.

.. math::
    \\hat H = \\sum_{\\nu=L,R}\\sum_k \\Big[\\hbar\\omega_{\\nu k}
        \\hat b^\\dagger_{\\nu k}\\hat b_{\\nu k}
        + \\sum_{\\vec n} g^{\\vec n}_{\\nu k}\\hat A_{\\vec n}
          (\\hat b^\\dagger_{\\nu k} + \\hat b_{\\nu k})\\Big] + \\hat H_s

The bath part is *inside* the Hamiltonian whose commutators give the sum
rules: it is what produces the g-dependent terms of Eq. 12. Each coupling
operator A_n gets its own real coupling constants g_{nu,n}(k) (so that the
flag matrix h of Eq. 8 may be the identity); the matrix units of an N-level
system share one coupling g_nu(a, b, k), symmetric in (a, b) so that the total
coupling is Hermitian.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from sympy import Expr, Function, ImmutableMatrix, latex

from heatbounds.symbolic.couplings import (
    Couplings,
    MatrixUnits,
    OperatorCouplings,
    as_couplings,
)
from heatbounds.symbolic.dissipation import Dissipation, Ohmic, check_proportional
from heatbounds.symbolic.errors import BoundConditionError, ModelError
from heatbounds.symbolic.indices import ModeIndex
from heatbounds.symbolic.keyed_functions import (
    KeyedFunctionClass,
    SymmetricCoupling,
    symmetric_coupling,
)
from heatbounds.symbolic.operators import Bath, OperatorExpr, mode_sum
from heatbounds.symbolic.parameters import alpha_L as ALPHA_L
from heatbounds.symbolic.parameters import alpha_R as ALPHA_R
from heatbounds.symbolic.parameters import hbar
from heatbounds.symbolic.printing import operator_latex

__all__ = [
    "Couplings",
    "Junction",
    "KeyedFunctionClass",
    "MatrixUnits",
    "ModelOrigin",
    "OperatorCouplings",
    "SymmetricCoupling",
    "mode_frequency",
    "symmetric_coupling",
]

BATHS = ("L", "R")


def mode_frequency(nu: str):
    """The frequency function omega_nu(k) of the modes of bath nu."""
    return Function(f"omega_{nu}", positive=True)


@dataclass(frozen=True)
class ModelOrigin:
    """The model file a junction was read from: its path as given and the sha256 of its bytes.

    Set by :func:`heatbounds.model_files.load_model`; generated files name the
    model by it (a file's ``name`` may be that of a built-in model it is not).
    """

    path: str
    sha256: str


@dataclass(frozen=True)
class Junction:
    """A nanojunction model (Eq. 3) with its dissipation (Eq. 4, 5, 8).

    Frozen: a variant is made with :func:`dataclasses.replace`, which checks it
    afresh. Derived operators (H, H_SB) are computed once per junction; the
    sum rules memoise their moments outside it (:mod:`~heatbounds.symbolic.sum_rules`).

    Parameters
    ----------
    name, description:
        What the model is called and is.
    system_hamiltonian:
        H_s as an :class:`~heatbounds.symbolic.operators.OperatorExpr`.
    couplings:
        A dict label -> A_n, or any :class:`~heatbounds.symbolic.couplings.Couplings`
        (:class:`~heatbounds.symbolic.couplings.OperatorCouplings`,
        :class:`~heatbounds.symbolic.couplings.MatrixUnits` of an N-level
        system); stored as a ``Couplings``.
    flags:
        The matrix h_{nn'} of Eq. 8 (over the labels, in order); identity if None.
        Matrix units take none (h = delta_{ik} delta_{jl}). Stored as the
        couplings' flags (None for a symbolic N).
    dissipation:
        The shape Jtilde (Eq. 5), or a pair (left, right) that must be proportional.
    counterterm:
        Add sum_{nu k} X_{nu k}^2 / (hbar omega_{nu k}), X = sum_n g^n A_n (the
        usual counterterm; docs, "Conventions and units").
    parameters:
        identifier -> one-line meaning, for every parameter of H_s.
    include_bath:
        Keep H_B and H_SB inside H for the commutators (the default, and what
        the sum rules of the junction need). ``False`` gives the isolated
        subsystem's part only.
    level_sizes:
        name -> N for each N-level system of H_s whose N is a number (model
        files set it); the numeric checks build their matrices from it.
    origin:
        The :class:`ModelOrigin` of a junction read from a model file, None
        otherwise (a built-in model or one built in Python). Not compared.
    """

    name: str
    system_hamiltonian: OperatorExpr
    couplings: Couplings
    flags: ImmutableMatrix | None = None
    dissipation: Dissipation | tuple = field(default_factory=Ohmic)
    counterterm: bool = False
    parameters: dict = field(default_factory=dict)
    description: str = ""
    alpha_L: Expr = ALPHA_L
    alpha_R: Expr = ALPHA_R
    include_bath: bool = True
    level_sizes: dict = field(default_factory=dict)
    origin: ModelOrigin | None = field(default=None, compare=False)

    statistics = "boson"  # baths of oscillators (a fermionic junction: FermionJunction)

    def __post_init__(self):
        if not isinstance(self.system_hamiltonian, OperatorExpr):
            raise ModelError(
                f"model {self.name!r}: H_s must be an operator expression, "
                f"got {type(self.system_hamiltonian).__name__}"
            )
        if isinstance(self.dissipation, tuple):
            if len(self.dissipation) != 2:
                raise ModelError("dissipation: give one shape or a (left, right) pair")
            object.__setattr__(self, "dissipation", check_proportional(*self.dissipation))
        couplings = as_couplings(self.couplings, self.flags, model=self.name)
        object.__setattr__(self, "couplings", couplings)
        object.__setattr__(self, "flags", self._couplings_flags())
        object.__setattr__(self, "parameters", dict(self.parameters))
        object.__setattr__(self, "level_sizes", dict(self.level_sizes))
        self._check_hermitian()

    def _couplings_flags(self):
        """The couplings' h, or None where the labels are symbolic."""
        try:
            return self.couplings.flags
        except ModelError:
            return None

    def __hash__(self) -> int:
        """By the parts that are hashable; equal junctions hash equal (the memo of moments)."""
        return hash((self.name, self.counterterm, self.include_bath, self.alpha_L, self.alpha_R))

    @property
    def alpha(self) -> Expr:
        """alpha = alpha_L + alpha_R (below Eq. 5)."""
        return self.alpha_L + self.alpha_R

    @property
    def gamma(self) -> Expr:
        """gamma = 4 alpha_L alpha_R / alpha^2 (below Eq. 5); 1 for symmetric coupling."""
        return 4 * self.alpha_L * self.alpha_R / self.alpha**2

    # --- conditions of the bounds ---------------------------------------------------
    def _check_hermitian(self):
        h_sb = self.coupling_hamiltonian
        if not (h_sb.dagger() - h_sb).is_zero():
            raise BoundConditionError(
                f"model {self.name!r}: the total bath coupling sum_n g^n A_n (b + b^dagger) "
                "is not Hermitian (Eq. 3); use Hermitian coupling operators A_n"
            )
        if not (self.system_hamiltonian.dagger() - self.system_hamiltonian).is_zero():
            raise ModelError(f"model {self.name!r}: H_s is not Hermitian")

    # --- the Hamiltonian -----------------------------------------------------------
    @property
    def labels(self) -> tuple:
        """The labels n of the A_n (refused for matrix units of a symbolic N)."""
        return self.couplings.labels

    def coupling_operator(self, label) -> OperatorExpr:
        """A_n for a label (a pair of level indices for matrix units)."""
        try:
            return self.couplings.operator(label)
        except ModelError:
            raise ModelError(
                f"model {self.name!r} has no coupling operator {label!r}; "
                f"its labels are {list(self.couplings.labels)}"
            ) from None

    def bath_operator(self, nu: str, k) -> OperatorExpr:
        """X_{nu k} = sum_n g^n_{nu k} A_n, the system operator coupled to mode (nu, k)."""
        return self.couplings.bath_operator(nu, k)

    @property
    def bath_hamiltonian(self) -> OperatorExpr:
        """H_B = sum_{nu k} hbar omega_{nu k} b^dagger b (Eq. 3)."""
        bath, k = Bath(), ModeIndex("_hb")
        out = OperatorExpr()
        for nu in BATHS:
            number = bath.create(nu, k) * bath.annihilate(nu, k)
            out = out + mode_sum(number * (hbar * mode_frequency(nu)(k)), k)
        return out

    @cached_property
    def coupling_hamiltonian(self) -> OperatorExpr:
        """H_SB = sum_{nu k} X_{nu k} (b_{nu k} + b_{nu k}^dagger) (Eq. 3)."""
        bath, k = Bath(), ModeIndex("_hsb")
        out = OperatorExpr()
        for nu in BATHS:
            out = out + mode_sum(self.bath_operator(nu, k) * bath.displacement(nu, k), k)
        return out

    @property
    def counterterm_hamiltonian(self) -> OperatorExpr:
        """sum_{nu k} X_{nu k}^2 / (hbar omega_{nu k}); zero unless ``counterterm``."""
        if not self.counterterm:
            return OperatorExpr()
        k = ModeIndex("_hct")
        out = OperatorExpr()
        for nu in BATHS:
            x = self.bath_operator(nu, k)
            out = out + mode_sum(x * x / (hbar * mode_frequency(nu)(k)), k)
        return out

    @cached_property
    def hamiltonian(self) -> OperatorExpr:
        """The full H of Eq. 3: H_s + H_B + H_SB (+ counterterm)."""
        h = self.system_hamiltonian
        if self.include_bath:
            h = h + self.bath_hamiltonian + self.coupling_hamiltonian
            h = h + self.counterterm_hamiltonian
        return h

    def parameter_symbols(self) -> dict:
        """name -> SymPy symbol (with its assumptions) of every symbol in the
        coefficients of H_s and of the coupling operators A_n."""
        operators = [self.system_hamiltonian, *self.couplings.dimensionless()]
        out = {}
        for op in operators:
            for coeff in op.terms.values():
                out.update({s.name: s for s in getattr(coeff, "free_symbols", ())})
        return out

    # --- rich display ----------------------------------------------------------------
    def _repr_latex_(self) -> str:
        r"""H_s, the coupling operators A_n, the flags h and Jtilde as LaTeX (Jupyter's display).

        >>> from heatbounds.symbolic.models import spin_boson
        >>> rows = spin_boson()._repr_latex_().split(r" \\ ")
        >>> print(rows[0])
        $\displaystyle \begin{aligned} \hat H_s &= \frac{\Delta \hbar}{2} \hat{\sigma}_{x}
        >>> print(rows[1])
        \hat A_{\mathrm{z}} &= \hat{\sigma}_{z}
        >>> print(rows[3])
        \tilde J(\omega) &= \omega e^{- \frac{\omega}{\omega_{c}}} \end{aligned}$
        """
        rows = [rf"\hat H_s &= {operator_latex(self.system_hamiltonian)}"]
        rows += self.couplings.latex_rows()
        rows.append(rf"\tilde J(\omega) &= {latex(self.dissipation.spectral_function())}")
        return r"$\displaystyle \begin{aligned} " + r" \\ ".join(rows) + r" \end{aligned}$"

    def flag(self, left, right) -> Expr:
        """h_{n n'} for two labels."""
        return self.couplings.flag(left, right)
