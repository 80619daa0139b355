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

from sympy import Expr, Function, Matrix, eye, latex, sympify
from sympy.core.function import UndefinedFunction

from heatbounds.symbolic.dissipation import Dissipation, Ohmic, check_proportional
from heatbounds.symbolic.errors import BoundConditionError, ModelError
from heatbounds.symbolic.indices import LevelIndex, ModeIndex
from heatbounds.symbolic.operators import Bath, Levels, OperatorExpr, level_sum, mode_sum
from heatbounds.symbolic.parameters import alpha_L as ALPHA_L
from heatbounds.symbolic.parameters import alpha_R as ALPHA_R
from heatbounds.symbolic.parameters import hbar
from heatbounds.symbolic.printing import operator_latex

__all__ = [
    "Junction",
    "MatrixUnits",
    "ModelOrigin",
    "SymmetricCoupling",
    "mode_frequency",
    "symmetric_coupling",
]

BATHS = ("L", "R")


class SymmetricCoupling(Function):
    """g_nu(a, b, k) = g_nu(b, a, k): real coupling of ``|a><b|`` to bath mode k."""

    is_real = True
    nargs = 3

    @classmethod
    def eval(cls, a, b, k):
        if b.sort_key() < a.sort_key():
            return cls(b, a, k)
        return None


class KeyedFunctionClass(UndefinedFunction):
    """The class of a function that carries its data (name and keyword data) on itself.

    As for ``sympy.Function(name, **data)``, two classes made with equal name and
    data compare equal, with equal hash, so no registry is needed to make equal
    terms equal. SymPy recomputes that hash on every call, which costs about
    20 us and made the n-level s = 3 moment 60 % slower; it is computed once here.
    """

    def __new__(mcl, name, bases, **data):
        cls = super().__new__(mcl, name, bases, **data)
        cls._class_hash = UndefinedFunction.__hash__(cls)
        return cls

    def __hash__(cls):
        return cls._class_hash

    def __eq__(cls, other):
        return cls is other or UndefinedFunction.__eq__(cls, other)

    def __ne__(cls, other):
        return not cls == other


def symmetric_coupling(name: str) -> type:
    """The SymmetricCoupling function called ``name``.

    Like ``sympy.Function(name)``, the class is made afresh on each call and
    compares equal (with equal hash) to every other of the same name, so equal
    names give equal terms without a registry.
    """
    return KeyedFunctionClass(name, (SymmetricCoupling,))


def _coupling_function(name: str, symmetric: bool = False):
    if symmetric:
        return symmetric_coupling(name)
    return Function(name, real=True)


def mode_frequency(nu: str):
    """The frequency function omega_nu(k) of the modes of bath nu."""
    return Function(f"omega_{nu}", positive=True)


@dataclass(frozen=True)
class MatrixUnits:
    """The coupling operators ``A_ij = |i><j|`` of an N-level system (Eq. 11)."""

    levels: Levels

    def operator(self, label) -> OperatorExpr:
        i, j = label
        return self.levels[i, j]


@dataclass(frozen=True)
class ModelOrigin:
    """The model file a junction was read from: its path as given and the sha256 of its bytes.

    Set by :func:`heatbounds.model_files.load_model`; generated files name the
    model by it (a file's ``name`` may be that of a built-in model it is not).
    """

    path: str
    sha256: str


@dataclass
class Junction:
    """A nanojunction model (Eq. 3) with its dissipation (Eq. 4, 5, 8).

    Parameters
    ----------
    name, description:
        What the model is called and is.
    system_hamiltonian:
        H_s as an :class:`~heatbounds.symbolic.operators.OperatorExpr`.
    couplings:
        Either a dict label -> A_n, or :class:`MatrixUnits` of an N-level system.
    flags:
        The matrix h_{nn'} of Eq. 8 (over the labels, in order); identity if None.
        For :class:`MatrixUnits`, only the identity (h = delta_{ik} delta_{jl}).
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
    couplings: dict | MatrixUnits
    flags: Matrix | None = None
    dissipation: Dissipation | tuple = field(default_factory=Ohmic)
    counterterm: bool = False
    parameters: dict = field(default_factory=dict)
    description: str = ""
    alpha_L: Expr = ALPHA_L
    alpha_R: Expr = ALPHA_R
    include_bath: bool = True
    level_sizes: dict = field(default_factory=dict)
    origin: ModelOrigin | None = field(default=None, compare=False)
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self):
        if not isinstance(self.system_hamiltonian, OperatorExpr):
            raise ModelError(
                f"model {self.name!r}: H_s must be an operator expression, "
                f"got {type(self.system_hamiltonian).__name__}"
            )
        if isinstance(self.couplings, dict):
            for label, op in self.couplings.items():
                if not isinstance(op, OperatorExpr):
                    raise ModelError(
                        f"model {self.name!r}: coupling operator {label!r} is of unknown kind "
                        f"{type(op).__name__}; give an operator expression"
                    )
        if isinstance(self.dissipation, tuple):
            if len(self.dissipation) != 2:
                raise ModelError("dissipation: give one shape or a (left, right) pair")
            self.dissipation = check_proportional(*self.dissipation)
        if isinstance(self.couplings, MatrixUnits):
            if self.flags is not None and self.flags != "identity":
                raise ModelError(
                    "matrix-unit couplings take only the identity flags h = delta (Eq. 12)"
                )
        else:
            if not self.couplings:
                raise ModelError(f"model {self.name!r}: no coupling operators A_n")
            n = len(self.couplings)
            flags = eye(n) if self.flags is None else Matrix(self.flags)
            if flags.shape != (n, n):
                raise ModelError(
                    f"model {self.name!r}: flags h must be {n}x{n} for {n} coupling operators, "
                    f"got {flags.shape[0]}x{flags.shape[1]}"
                )
            self.flags = flags
            self._check_flags()
        self._check_hermitian()

    @property
    def alpha(self) -> Expr:
        """alpha = alpha_L + alpha_R (below Eq. 5)."""
        return self.alpha_L + self.alpha_R

    @property
    def gamma(self) -> Expr:
        """gamma = 4 alpha_L alpha_R / alpha^2 (below Eq. 5); 1 for symmetric coupling."""
        return 4 * self.alpha_L * self.alpha_R / self.alpha**2

    # --- conditions of the bounds ---------------------------------------------------
    def _check_flags(self):
        h = self.flags
        if h != h.T:
            raise BoundConditionError(
                f"model {self.name!r}: flag matrix h is not symmetric (h_nn' = h_n'n, Eq. 8)"
            )
        psd = h.is_positive_semidefinite
        if psd is False:
            raise BoundConditionError(
                f"model {self.name!r}: flag matrix h = {h.tolist()} is not positive "
                "semidefinite, so sum h Im chi(omega > 0) >= 0 fails and Eq. 9 does not hold"
            )
        if psd is None:
            raise BoundConditionError(
                f"model {self.name!r}: cannot decide whether the flag matrix h is positive "
                "semidefinite (needed by Eq. 9); give numeric flags"
            )

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
        if isinstance(self.couplings, MatrixUnits):
            raise ModelError("matrix-unit couplings have symbolic labels (i, j)")
        return tuple(self.couplings)

    def coupling_operator(self, label) -> OperatorExpr:
        """A_n for a label (a pair of level indices for matrix units)."""
        if isinstance(self.couplings, MatrixUnits):
            return self.couplings.operator(label)
        try:
            return self.couplings[label]
        except KeyError:
            raise ModelError(
                f"model {self.name!r} has no coupling operator {label!r}; "
                f"its labels are {list(self.couplings)}"
            ) from None

    def bath_operator(self, nu: str, k) -> OperatorExpr:
        """X_{nu k} = sum_n g^n_{nu k} A_n, the system operator coupled to mode (nu, k)."""
        if isinstance(self.couplings, MatrixUnits):
            levels = self.couplings.levels
            a, b = LevelIndex("_ca"), LevelIndex("_cb")
            g = _coupling_function(f"g_{nu}", symmetric=True)
            inner = level_sum(levels[a, b] * g(a, b, k), a, levels.size)
            return level_sum(inner, b, levels.size)
        total = OperatorExpr()
        single = len(self.couplings) == 1
        for label, op in self.couplings.items():
            g = _coupling_function(f"g_{nu}" if single else f"g_{nu}_{label}")
            total = total + op * g(k)
        return total

    @property
    def bath_hamiltonian(self) -> OperatorExpr:
        """H_B = sum_{nu k} hbar omega_{nu k} b^dagger b (Eq. 3)."""
        bath, k = Bath(), ModeIndex("_hb")
        out = OperatorExpr()
        for nu in BATHS:
            number = bath.create(nu, k) * bath.annihilate(nu, k)
            out = out + mode_sum(number * (hbar * mode_frequency(nu)(k)), k)
        return out

    @property
    def coupling_hamiltonian(self) -> OperatorExpr:
        """H_SB = sum_{nu k} X_{nu k} (b_{nu k} + b_{nu k}^dagger) (Eq. 3)."""
        if "H_SB" not in self._cache:
            bath, k = Bath(), ModeIndex("_hsb")
            out = OperatorExpr()
            for nu in BATHS:
                out = out + mode_sum(self.bath_operator(nu, k) * bath.displacement(nu, k), k)
            self._cache["H_SB"] = out
        return self._cache["H_SB"]

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

    @property
    def hamiltonian(self) -> OperatorExpr:
        """The full H of Eq. 3: H_s + H_B + H_SB (+ counterterm)."""
        if "H" not in self._cache:
            h = self.system_hamiltonian
            if self.include_bath:
                h = h + self.bath_hamiltonian + self.coupling_hamiltonian
                h = h + self.counterterm_hamiltonian
            self._cache["H"] = h
        return self._cache["H"]

    def parameter_symbols(self) -> dict:
        """name -> SymPy symbol (with its assumptions) of every symbol in the
        coefficients of H_s and of the coupling operators A_n."""
        operators = [self.system_hamiltonian]
        if isinstance(self.couplings, dict):
            operators += list(self.couplings.values())
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
        if isinstance(self.couplings, MatrixUnits):
            size = latex(self.couplings.levels.size)
            rows.append(rf"\hat A_{{ij}} &= |i\rangle\langle j|, \quad i, j = 1 \ldots {size}")
            rows.append(r"h_{ij,kl} &= \delta_{ik} \delta_{jl}")
        else:
            for label, op in self.couplings.items():
                name = str(label).replace("_", r"\_")
                rows.append(rf"\hat A_{{\mathrm{{{name}}}}} &= {operator_latex(op)}")
            rows.append(rf"h &= {latex(self.flags)}")
        rows.append(rf"\tilde J(\omega) &= {latex(self.dissipation.spectral_function())}")
        return r"$\displaystyle \begin{aligned} " + r" \\ ".join(rows) + r" \end{aligned}$"

    def flag(self, left, right) -> Expr:
        """h_{n n'} for two labels."""
        if isinstance(self.couplings, MatrixUnits):
            from heatbounds.symbolic.indices import delta

            return sympify(delta(left[0], right[0])) * sympify(delta(left[1], right[1]))
        labels = self.labels
        return self.flags[labels.index(left), labels.index(right)]
