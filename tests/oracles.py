"""Independent numeric oracles for the symbolic layer (plain numpy matrices).

A :class:`Space` is a tensor product of named factors (spins, truncated
bosons, N-level systems, truncated bath modes). Tests build Hamiltonians and
coupling operators *by hand* from its elementary matrices -- never through the
symbolic algebra -- and compare the matrix double commutator with the symbolic
sum rule evaluated numerically.

Truncation is handled honestly: every boson is built twice, with ``levels``
(the physical truncation, where the state lives) and with ``levels + margin``
(where products are formed). A state supported on the first ``levels`` Fock
states of each mode, and operator strings that raise a mode by at most
``margin`` quanta, give matrix elements equal to the untruncated ones.
"""

from __future__ import annotations

from functools import reduce

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from heatbounds.symbolic.expectation import Expectation

PAULI = {
    "x": np.array([[0, 1], [1, 0]], dtype=complex),
    "y": np.array([[0, -1j], [1j, 0]], dtype=complex),
    "z": np.array([[1, 0], [0, -1]], dtype=complex),
}


def annihilator(dim: int) -> np.ndarray:
    return np.diag(np.sqrt(np.arange(1, dim)), 1).astype(complex)


class Space:
    """A tensor product of factors, each given as (key, physical dim, big dim)."""

    def __init__(self):
        self.keys: list = []
        self.dims: list[int] = []
        self.phys: list[int] = []

    def add(self, key, dim: int, margin: int = 0) -> Space:
        self.keys.append(key)
        self.phys.append(dim)
        self.dims.append(dim + margin)
        return self

    @property
    def size(self) -> int:
        return int(np.prod(self.dims))

    def embed(self, key, matrix: np.ndarray) -> np.ndarray:
        pos = self.keys.index(key)
        factors = [np.eye(d, dtype=complex) for d in self.dims]
        factors[pos] = matrix
        return reduce(np.kron, factors)

    def a(self, key) -> np.ndarray:
        return self.embed(key, annihilator(self.dims[self.keys.index(key)]))

    def pauli(self, key, axis: str) -> np.ndarray:
        return self.embed(key, PAULI[axis])

    def unit(self, key, i: int, j: int) -> np.ndarray:
        n = self.dims[self.keys.index(key)]
        m = np.zeros((n, n), dtype=complex)
        m[i - 1, j - 1] = 1
        return self.embed(key, m)

    def physical_mask(self) -> np.ndarray:
        """Basis states inside the physical truncation of every factor."""
        grids = np.meshgrid(*[np.arange(d) for d in self.dims], indexing="ij")
        mask = np.ones(self.dims, dtype=bool)
        for g, p in zip(grids, self.phys, strict=True):
            mask &= g < p
        return mask.reshape(-1)

    def word_matrix(self, word) -> np.ndarray:
        """The matrix of a normal-ordered word read from an Expectation atom."""
        out = np.eye(self.size, dtype=complex)
        for segment in word:
            for (_, family, name), content in segment:
                if family == "spin":
                    m = self.pauli(name, content)
                elif family == "boson":
                    a = self.a(name)
                    m = np.linalg.matrix_power(a.conj().T, content[0]) @ np.linalg.matrix_power(
                        a, content[1]
                    )
                elif family == "levels":
                    m = self.unit(name, int(content[0]), int(content[1]))
                else:
                    m = np.eye(self.size, dtype=complex)
                    for nu, k in content[0]:
                        m = m @ self.a(("bath", nu, int(k))).conj().T
                    for nu, k in content[1]:
                        m = m @ self.a(("bath", nu, int(k)))
                out = out @ m
        return out


def stationary_state(
    space: Space, hamiltonian: np.ndarray, rng: np.random.Generator, n_states: int | None = None
) -> np.ndarray:
    """A random state diagonal in the eigenbasis of H restricted to the physical space."""
    mask = space.physical_mask()
    h = hamiltonian[np.ix_(mask, mask)]
    energies, vectors = np.linalg.eigh(h)
    n = len(energies) if n_states is None else n_states
    p = rng.random(n)
    p /= p.sum()
    rho_phys = (vectors[:, :n] * p) @ vectors[:, :n].conj().T
    rho = np.zeros((space.size, space.size), dtype=complex)
    rho[np.ix_(mask, mask)] = rho_phys
    return rho


def nested_commutator(h: np.ndarray, x: np.ndarray, s: int) -> np.ndarray:
    for _ in range(s):
        x = h @ x - x @ h
    return x


def matrix_moment(h, a_left, a_right, rho, s: int, hbar: float) -> complex:
    """<[A_{n'}^dagger, ad_H^s(A_n)]> / (2 hbar^(s+1)) with A_n = a_left, A_n' = a_right."""
    inner = nested_commutator(h, a_left, s)
    b = a_right.conj().T
    return np.trace(rho @ (b @ inner - inner @ b)) / (2 * hbar ** (s + 1))


def evaluate(
    expr: sp.Expr, space: Space, rho: np.ndarray, numbers: dict, functions: dict
) -> complex:
    """Evaluate a symbolic sum rule numerically, walking the expression tree.

    Symbols take ``numbers[name]``, undefined functions ``functions[name](*ints)``,
    sums loop over their (numeric) ranges, and every expectation <W> becomes
    Tr(rho W) with W built from the space's elementary matrices.
    """
    cache: dict = {}

    def trace_of(atom, env):
        indices = tuple(int(walk(i, env).real) for i in atom.indices)
        key = (atom.key, indices)
        if key not in cache:
            concrete = atom.func(atom.args[0], *[sp.Integer(i) for i in indices])
            cache[key] = complex(np.trace(rho @ space.word_matrix(concrete.word())))
        return cache[key]

    def walk(e, env) -> complex:
        if isinstance(e, Expectation):
            return trace_of(e, env)
        if e.is_Add:
            return sum(walk(a, env) for a in e.args)
        if e.is_Mul:
            out = 1.0 + 0j
            for a in e.args:
                out *= walk(a, env)
            return out
        if e.is_Pow:
            return walk(e.base, env) ** walk(e.exp, env)
        if e is sp.I:
            return 1j
        if e.is_Number or e.is_NumberSymbol:
            return complex(e)
        if isinstance(e, sp.Symbol):
            if e in env:
                return env[e]
            return numbers[e.name]
        if isinstance(e, sp.KroneckerDelta):
            a, b = (int(walk(x, env).real) for x in e.args)
            return 1.0 if a == b else 0.0
        if isinstance(e, sp.Sum):
            return walk_sum(e.function, list(e.limits), env)
        if isinstance(e, AppliedUndef | sp.Function) and type(e).__name__ in functions:
            args = [int(walk(a, env).real) for a in e.args]
            return functions[type(e).__name__](*args)
        raise AssertionError(f"cannot evaluate {e!r} ({type(e).__name__})")

    def walk_sum(body, limits, env):
        if not limits:
            return walk(body, env)
        (index, lo, hi), rest = limits[0], limits[1:]
        lo, hi = int(walk(lo, env).real), int(walk(hi, env).real)
        return sum(walk_sum(body, rest, {**env, index: v}) for v in range(lo, hi + 1))

    return walk(expr, {})
