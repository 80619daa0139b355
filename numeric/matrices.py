"""Finite matrix representations of junction models (for the spectral cross-check).

A :class:`MatrixJunction` represents H (Eq. 3) and the coupling operators A_n
of a :class:`~heatbounds.symbolic.junction.Junction` as dense numpy matrices:
bosons truncated at ``boson_levels``, spins and N-level systems exact, and
optionally ``bath_modes`` discretised modes per bath (each truncated at
``bath_levels``) with couplings drawn from J_nu (Eq. 4):

.. math::
    g_{\\nu k} = \\frac{\\hbar}{2}\\sqrt{J_\\nu(\\omega_k)\\,\\Delta\\omega},
    \\qquad J_\\nu = 2\\alpha_\\nu \\tilde J,

so that (4/hbar^2) sum_k g_{nu k}^2 delta(omega - omega_k) samples J_nu on the
grid omega_k = (k - 1/2) Delta omega, k = 1..M, Delta omega = omega_max / M.
Matrix-unit couplings g^{ab}_{nu k} get a fixed symmetric pattern c_ab (so the
total coupling stays Hermitian). Without bath modes only H_s is kept.

Units are reduced (hbar = k_B = 1) unless ``hbar`` is given among the values.

Each operator family's matrices come from the
:class:`~heatbounds.numeric.matrix_forms.MatrixForm` registered on its family
object (:mod:`heatbounds.numeric.matrix_forms`; the symbolic layer imports no
numerics). A factor of the basis is a :class:`~heatbounds.symbolic.families.Sector`
of the subsystem or one discretised :class:`BathMode`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import reduce
from itertools import product

import numpy as np
import sympy as sp
from scipy import sparse
from sympy.core.function import AppliedUndef

from heatbounds.numeric.check_limits import BYTES_COMPLEX, HAMILTONIAN_ARRAYS, check_dimension
from heatbounds.numeric.errors import NumericInputError
from heatbounds.numeric.matrix_forms import BathMode
from heatbounds.symbolic.junction import Junction
from heatbounds.symbolic.operator_family import Sector
from heatbounds.symbolic.operators import OperatorExpr

__all__ = ["MatrixJunction", "evaluate_coefficient"]


def evaluate_coefficient(expr, values: dict, functions: dict, env: dict | None = None) -> complex:
    """A SymPy c-number coefficient as a complex number.

    ``values`` maps symbol names to numbers, ``functions`` maps undefined-function
    names to callables of integer arguments; ``env`` binds summed indices.
    """
    env = dict(env or {})

    def walk(e) -> complex:
        if isinstance(e, int | float | complex):
            return complex(e)
        if e.is_Add:
            return sum(walk(a) for a in e.args)
        if e.is_Mul:
            out = 1 + 0j
            for a in e.args:
                out *= walk(a)
            return out
        if e.is_Pow:
            return walk(e.base) ** walk(e.exp)
        if e is sp.I:
            return 1j
        if e.is_Number or e.is_NumberSymbol:
            return complex(e)
        if isinstance(e, sp.Symbol):
            if e in env:
                return env[e]
            if e.name not in values:
                raise NumericInputError(f"no value given for parameter {e.name!r}")
            return complex(values[e.name])
        if isinstance(e, sp.KroneckerDelta):
            a, b = (walk(x) for x in e.args)
            return 1.0 if a == b else 0.0
        if isinstance(e, sp.Sum):
            return walk_sum(e.function, list(e.limits))
        if isinstance(e, AppliedUndef | sp.Function):
            name = type(e).__name__
            if name in functions:
                return complex(functions[name](*(int(walk(a).real) for a in e.args)))
            if isinstance(e, AppliedUndef):
                raise NumericInputError(f"no values given for function {name!r}")
            args = [walk(a) for a in e.args]
            if all(a.imag == 0 and float(a.real).is_integer() for a in args):
                # e.g. the level energies E_n of a concrete N-level model
                evaluated = e.func(*(sp.Integer(int(a.real)) for a in args))
                if not isinstance(evaluated, type(e)):
                    return walk(evaluated)
            return complex(sp.N(e.func(*(sp.Float(a.real) for a in args))))
        raise NumericInputError(f"cannot evaluate {e!r} numerically")

    def walk_sum(body, limits) -> complex:
        if not limits:
            return walk(body)
        (index, lo, hi), rest = limits[0], limits[1:]
        total = 0j
        for v in range(int(walk(lo).real), int(walk(hi).real) + 1):
            env[index] = complex(v)
            total += walk_sum(body, rest)
        env.pop(index, None)
        return total

    return walk(sp.sympify(expr, strict=True))  # SymPy objects and numbers, never text


@dataclass
class MatrixJunction:
    """H and the A_n of a junction as matrices in a truncated basis.

    Parameters
    ----------
    junction:
        The symbolic model.
    values:
        Parameter values by name (reduced units: hbar = k_B = 1 by default).
    boson_levels:
        Fock levels kept per system boson.
    bath_modes:
        Discretised modes M per bath (0: the isolated subsystem).
    bath_levels:
        Fock levels kept per bath mode.
    omega_max:
        Upper end of the bath frequency grid (default 4 omega_c).
    level_sizes:
        N of N-level systems that are not the model's matrix-unit couplings.
    memory_limit:
        Bytes the dense matrices may take (None: the memory available,
        :func:`~heatbounds.numeric.check_limits.available_memory`).
    site_counts:
        name -> number of sites of a spin chain or bosons on sites whose count
        the model does not fix (:func:`~heatbounds.numeric.matrix_forms.site_count`).

    Raises
    ------
    NumericInputError
        Levels below 2, negative modes, or a Hilbert space whose dense
        Hamiltonian (HAMILTONIAN_ARRAYS D x D complex arrays while it is built)
        would not fit in ``memory_limit`` -- checked before anything is allocated.
    """

    junction: Junction
    values: dict
    boson_levels: int = 12
    bath_modes: int = 0
    bath_levels: int = 3
    omega_max: float | None = None
    level_sizes: dict = field(default_factory=dict)
    memory_limit: int | float | None = None
    site_counts: dict = field(default_factory=dict)
    factors: list = field(init=False)

    def __post_init__(self):
        self.values = {"hbar": 1.0, "k_B": 1.0, **self.values}
        if self.boson_levels < 2 or self.bath_levels < 2 or self.bath_modes < 0:
            raise NumericInputError("boson/bath levels must be >= 2 and bath modes >= 0")
        system = self._factors()
        self.system_factors = system
        check_dimension(
            [d for _, d in system],
            bath_modes=self.bath_modes,
            bath_levels=self.bath_levels,
            settings=self.settings(),
            what="the dense Hamiltonian's arrays",
            bytes_for=lambda dim: BYTES_COMPLEX * HAMILTONIAN_ARRAYS * dim**2,
            memory_limit=self.memory_limit,
        )
        self.factors = system + [
            (BathMode(nu, k), self.bath_levels)
            for nu in ("L", "R")
            for k in range(1, self.bath_modes + 1)
        ]
        self.functions = self._bath_functions()
        self._words: dict = {}

    # --- the basis ----------------------------------------------------------------
    def _sectors(self, expr: OperatorExpr) -> set:
        out = set()
        for _, word in expr.terms:
            for segment in word:
                if not isinstance(segment, tuple):
                    raise NumericInputError("abstract operators have no matrix")
                out |= {s for s, _ in segment if s.family.matrix_form.subsystem}
        return out

    def _factors(self) -> list:
        sectors = set(self._sectors(self.junction.system_hamiltonian))
        for op in self._coupling_operators().values():
            sectors |= self._sectors(op)
        # the subsystem's; __post_init__ adds the bath modes
        return [(s, s.family.matrix_form.factor_size(self, s)) for s in sorted(sectors)]

    def settings(self) -> str:
        """The truncation as the command line's options (for messages)."""
        return (
            f"--boson-levels {self.boson_levels}, --bath-modes {self.bath_modes}, "
            f"--bath-levels {self.bath_levels}"
        )

    def _levels_size(self, name: str) -> int:
        size = None
        if name in self.level_sizes:
            return int(self.level_sizes[name])
        if self.junction.couplings.level_sums is not None:
            size = self.junction.couplings.level_sums.size
        if size is None or not size.is_Integer:
            raise NumericInputError(f"levels {name!r} need a concrete N for matrices")
        return int(size)

    def _coupling_operators(self) -> dict:
        c = self.junction.couplings
        return {label: c.operator(label) for label in c.labels}

    @property
    def dimension(self) -> int:
        return math.prod(d for _, d in self.factors)  # Python ints: never overflows

    # --- bath discretisation (Eq. 4) ------------------------------------------------
    def bath_grid(self) -> tuple[np.ndarray, float]:
        """Mode frequencies omega_k and the spacing Delta omega."""
        omega_c = float(self.values.get("omega_c", 1.0))
        top = self.omega_max if self.omega_max is not None else 4 * omega_c
        step = top / max(self.bath_modes, 1)
        return (np.arange(1, self.bath_modes + 1) - 0.5) * step, step

    def _bath_functions(self) -> dict:
        if not self.bath_modes:
            return {}
        omegas, step = self.bath_grid()
        shape = sp.lambdify(
            sp.Symbol("omega", positive=True),
            self.junction.dissipation.spectral_function().subs(
                {
                    s: self.values[s.name]
                    for s in self.junction.dissipation.spectral_function().free_symbols
                    if s.name in self.values
                }
            ),
            "numpy",
        )
        hbar = float(self.values["hbar"])
        out = {}
        for nu in ("L", "R"):
            a_nu = float(self.values[f"alpha_{nu}"])
            g = hbar / 2 * np.sqrt(2 * a_nu * shape(omegas) * step)
            out[f"omega_{nu}"] = lambda k, w=omegas: w[k - 1]
            out[f"g_{nu}"] = lambda *args, g=g: _pattern(args[:-1]) * g[args[-1] - 1]
            for label in self._coupling_operators():
                out[f"g_{nu}_{label}"] = lambda k, g=g: g[k - 1]
        return out

    # --- matrices ---------------------------------------------------------------------
    def _embed(self, key, matrix: np.ndarray):
        mats = [
            sparse.csr_matrix(matrix) if f == key else sparse.identity(d, format="csr")
            for f, d in self.factors
        ]
        return reduce(lambda a, b: sparse.kron(a, b, format="csr"), mats)

    def word_matrix(self, word, *, dense: bool = True):
        """The matrix of a normal-ordered word with concrete indices (dense, or the
        cached scipy CSR matrix with ``dense=False``)."""
        return self._word_sparse(word).toarray() if dense else self._word_sparse(word)

    def _word_sparse(self, word):
        key = repr(word)
        if key not in self._words:
            out = sparse.identity(self.dimension, dtype=complex, format="csr")
            for segment in word:
                for sector, content in segment:
                    out = out @ self._content_matrix(sector, content)
            self._words[key] = out
        return self._words[key]

    def _content_matrix(self, sector: Sector, content):
        return sector.family.matrix_form.content_matrix(self, sector, content)

    def matrix(self, expr: OperatorExpr, *, dense: bool = True):
        """The matrix of an operator expression; mode sums run over the discretised modes
        (a scipy CSR matrix with ``dense=False``)."""
        out = sparse.csr_matrix((self.dimension, self.dimension), dtype=complex)
        for (dummies, word), coeff in expr.terms.items():
            if _has_bath(word) and not self.bath_modes:
                continue
            ranges = [range(1, self._upper(u) + 1) for _, u in dummies]
            for values in product(*ranges):
                env = {d: v for (d, _), v in zip(dummies, values, strict=True)}
                concrete = _rename(word, env)
                c = evaluate_coefficient(
                    coeff, self.values, self.functions, {d: complex(v) for d, v in env.items()}
                )
                if c != 0:
                    out = out + c * self._word_sparse(concrete)
        return out.toarray() if dense else out

    def _upper(self, upper) -> int:
        if upper.is_Integer:
            return int(upper)
        if upper.name == "M":
            return self.bath_modes
        raise NumericInputError(f"sum up to {upper} has no concrete range")

    def _degree(self, sector: Sector) -> int:
        """The most quanta one term of H moves in a truncated factor (at least 1)."""
        form, degree = sector.family.matrix_form, 1
        for _, word in self.junction.hamiltonian.terms:
            for segment in word:
                for sec, content in segment:
                    if sec == sector:
                        degree = max(degree, form.degree(content))
        return degree

    def hamiltonian(self) -> np.ndarray:
        """H = H_s (+ H_B + H_SB + counterterm with bath modes)."""
        j = self.junction
        h = self.matrix(j.system_hamiltonian)
        if self.bath_modes:
            h = h + self.matrix(j.bath_hamiltonian) + self.matrix(j.coupling_hamiltonian)
            h = h + self.matrix(j.counterterm_hamiltonian)
        return h

    def coupling_matrices(self, *, dense: bool = True) -> dict:
        """label -> matrix of A_n (scipy CSR matrices with ``dense=False``: cheaper
        products with the dense eigenvectors)."""
        ops = self._coupling_operators()
        return {label: self.matrix(op, dense=dense) for label, op in ops.items()}

    def cutoff_projector(self, steps: int) -> np.ndarray:
        """Diagonal weights: 1 on basis states that ``steps`` applications of H can
        carry past a boson cutoff (each step raises a mode by at most the degree of
        H in it: 1 for bath modes, the largest power of a, a^dagger for a system boson;
        the factors whose family's :class:`MatrixForm` is ``truncated``)."""
        grids = np.meshgrid(*[np.arange(d) for _, d in self.factors], indexing="ij")
        near = np.zeros([d for _, d in self.factors], dtype=bool)
        for (key, d), g in zip(self.factors, grids, strict=True):
            if isinstance(key, BathMode):
                near |= g >= d - steps
            elif key.family.matrix_form.truncated:
                form = key.family.matrix_form
                near |= form.near_cutoff(self, key, g, d, steps * self._degree(key))
        return near.reshape(-1).astype(float)


def _pattern(levels: tuple) -> float:
    """A fixed symmetric coupling pattern c_ab for matrix-unit couplings."""
    if not levels:
        return 1.0
    a, b = sorted(levels)
    return 1.0 / (1 + abs(a - b)) * (1 if (a + b) % 2 == 0 else 0.5)


def _has_bath(word) -> bool:
    """Whether the word acts on bath modes (factors outside the subsystem)."""
    return any(
        not s.family.matrix_form.subsystem for seg in word if isinstance(seg, tuple) for s, _ in seg
    )


def _rename(word, env: dict):
    from heatbounds.symbolic.words import word_rename

    return word_rename(word, env) if env else word
