"""Every built-in model and random models against plain numpy matrices.

The symbolic sum rule, evaluated numerically, must equal the matrix double
commutator <[A_{n'}^dagger, ad_H^s(A_n)]>/(2 hbar^(s+1)) in a random stationary
state. Hamiltonians here are written by hand with numpy (tests/oracles.py);
hbar != 1 so that every power of hbar is checked.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oracles import Space, evaluate, matrix_moment, stationary_state

from heatbounds.symbolic.junction import Junction
from heatbounds.symbolic.models import harmonic, n_level, n_level_concrete, spin_boson
from heatbounds.symbolic.operators import Levels
from heatbounds.symbolic.sum_rules import moment, moment_tensor

HBAR = 0.7
BATH = {"g_L": 0.31, "omega_L": 0.9, "g_R": 0.22, "omega_R": 1.7}


def bath_functions():
    return {
        "g_L": lambda k: BATH["g_L"],
        "g_R": lambda k: BATH["g_R"],
        "omega_L": lambda k: BATH["omega_L"],
        "omega_R": lambda k: BATH["omega_R"],
    }


def add_baths(space: Space, dim: int, margin: int) -> Space:
    for nu in "LR":
        space.add(("bath", nu, 1), dim, margin)
    return space


def bath_terms(space: Space, coupled: np.ndarray, counterterm: bool) -> np.ndarray:
    h = np.zeros((space.size, space.size), dtype=complex)
    for nu in "LR":
        b = space.a(("bath", nu, 1))
        g, w = BATH[f"g_{nu}"], BATH[f"omega_{nu}"]
        h += HBAR * w * b.conj().T @ b + g * coupled @ (b + b.conj().T)
        if counterterm:
            h += g**2 / (HBAR * w) * coupled @ coupled
    return h


@pytest.mark.parametrize("s", [1, 3])
def test_spin_boson_with_bath_modes(s):
    delta = 1.3
    space = add_baths(Space().add("sigma", 2), 3, s + 2)
    sz = space.pauli("sigma", "z")
    h = HBAR * delta / 2 * space.pauli("sigma", "x") + bath_terms(space, sz, False)
    rho = stationary_state(space, h, np.random.default_rng(s))
    expected = matrix_moment(h, sz, sz, rho, s, HBAR)
    symbolic = moment(spin_boson(), s)
    got = evaluate(symbolic, space, rho, {"hbar": HBAR, "Delta": delta, "M": 1}, bath_functions())
    assert abs(got - expected) < 1e-10 * max(1, abs(expected))
    assert abs(expected) > 1e-3  # the check is not vacuous


@pytest.mark.parametrize(
    ("order", "counterterm", "s"),
    [
        (None, True, 1),
        (None, False, 3),
        (None, True, 3),
        (4, True, 1),
        (6, False, 1),
        (10, True, 1),
        (4, True, 3),
    ],
)
def test_harmonic_family_with_bath_modes(order, counterterm, s):
    w0, lam = 1.1, 0.05
    degree = max(order or 2, 2)
    space = add_baths(Space().add("a", 5, s * degree + 2), 2, s + 2)
    a = space.a("a")
    x = a + a.conj().T
    h = HBAR * w0 * (a.conj().T @ a + 0.5 * np.eye(space.size)) + bath_terms(space, x, counterterm)
    if order:
        h += lam * np.linalg.matrix_power(x, order)
    rho = stationary_state(space, h, np.random.default_rng(7))
    expected = matrix_moment(h, x, x, rho, s, HBAR)
    junction = harmonic(anharmonic_order=order, counterterm=counterterm)
    got = evaluate(
        moment(junction, s),
        space,
        rho,
        {"hbar": HBAR, "omega0": w0, "lam": lam, "M": 1},
        bath_functions(),
    )
    assert abs(got - expected) < 1e-9 * max(1, abs(expected))


def _level_space(n: int, margin: int) -> Space:
    return add_baths(Space().add("A", n), 2, margin)


def _level_coupling(space, n, g_table, nu):
    out = np.zeros((space.size, space.size), dtype=complex)
    for a in range(1, n + 1):
        for b in range(1, n + 1):
            out += g_table[nu][a - 1, b - 1] * space.unit("A", a, b)
    return out


def _symmetric(rng, n):
    m = rng.normal(size=(n, n))
    return (m + m.T) / 2


@pytest.mark.parametrize("s", [1, pytest.param(3, marks=pytest.mark.slow)])
def test_n_level_symbolic_indices_against_matrices(s):
    """Eq. 12's tensor with symbolic i, j, k, l, then indices set, vs matrices (N = 3)."""
    n, rng = 3, np.random.default_rng(11 + s)
    energies = rng.normal(size=n)
    g = {nu: _symmetric(rng, n) * 0.3 for nu in "LR"}
    space = _level_space(n, s + 2)
    h = sum(energies[m] * space.unit("A", m + 1, m + 1) for m in range(n))
    for nu in "LR":
        b = space.a(("bath", nu, 1))
        h = h + HBAR * BATH[f"omega_{nu}"] * b.conj().T @ b
        h = h + _level_coupling(space, n, g, nu) @ (b + b.conj().T)
    rho = stationary_state(space, h, rng)
    i, j, k, l = sp.symbols("i j k l")
    from heatbounds.symbolic.indices import LevelIndex

    i, j, k, l = (LevelIndex(c) for c in "ijkl")
    generic = moment(n_level(), s, ((i, j), (k, l)))
    functions = {
        "energy": lambda m: energies[m - 1],
        "g_L": lambda a, b, p: g["L"][a - 1, b - 1],
        "g_R": lambda a, b, p: g["R"][a - 1, b - 1],
        "omega_L": lambda p: BATH["omega_L"],
        "omega_R": lambda p: BATH["omega_R"],
    }
    combos = [(1, 2, 2, 3), (2, 1, 2, 1), (3, 3, 3, 3), (1, 3, 1, 2), (2, 3, 3, 2)]
    for ci, cj, ck, cl in combos:
        entry = generic.subs({i: ci, j: cj, k: ck, l: cl})
        got = evaluate(entry, space, rho, {"hbar": HBAR, "N_levels": n, "M": 1}, functions)
        expected = matrix_moment(h, space.unit("A", ci, cj), space.unit("A", ck, cl), rho, s, HBAR)
        assert abs(got - expected) < 1e-10 * max(1, abs(expected)), (ci, cj, ck, cl)


def _random_hermitian(rng, n, scale=1.0):
    """A random Hermitian matrix with entries in (Z + iZ)/8, exact in SymPy."""
    m = rng.integers(-8, 9, size=(n, n)) + 1j * rng.integers(-8, 9, size=(n, n))
    return scale * (m + m.conj().T) / 16


def _operator_from_matrix(levels: Levels, m: np.ndarray):
    n = m.shape[0]
    out = 0
    for a in range(n):
        for b in range(n):
            if m[a, b] != 0:
                coeff = sp.nsimplify(m[a, b].real) + sp.I * sp.nsimplify(m[a, b].imag)
                out = levels[a + 1, b + 1] * coeff + out
    return out


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    shape=st.sampled_from([(2, 1), (3, 1), (4, 1), (2, 3), (3, 3)]),
)
def test_random_hermitian_n_level_models(seed, shape):
    """Random Hermitian H_s and coupling A on N levels, one mode per bath, vs matrices.

    (N, s) pairs: s = 3 only up to N = 3, where the derivation stays fast.
    """
    n, s = shape
    rng = np.random.default_rng(seed)
    hs, am = _random_hermitian(rng, n), _random_hermitian(rng, n, 0.5)
    if not am.any():
        am[0, 0] = 0.5
    levels = Levels("A", n)
    junction = Junction(
        name="random",
        system_hamiltonian=_operator_from_matrix(levels, hs),
        couplings={"A": _operator_from_matrix(levels, am)},
    )
    space = _level_space(n, s + 2)
    a_mat = sum(am[x, y] * space.unit("A", x + 1, y + 1) for x in range(n) for y in range(n))
    h = sum(hs[x, y] * space.unit("A", x + 1, y + 1) for x in range(n) for y in range(n))
    h = h + bath_terms(space, a_mat, False)
    rho = stationary_state(space, h, rng)
    expected = matrix_moment(h, a_mat, a_mat, rho, s, HBAR)
    got = evaluate(moment(junction, s), space, rho, {"hbar": HBAR, "M": 1}, bath_functions())
    assert abs(got - expected) < 1e-9 * max(1, abs(expected))


def test_concrete_three_level_tensor_against_matrices():
    """Every entry of the fast tensor m_{ij,kl} (s = 1) of the concrete 3-level model."""
    energies = [0.0, 0.8, 2.1]
    junction = n_level_concrete([sp.Float(e) for e in energies])
    space = _level_space(3, 3)
    rng = np.random.default_rng(3)
    g = {nu: _symmetric(rng, 3) * 0.3 for nu in "LR"}
    h = sum(energies[m] * space.unit("A", m + 1, m + 1) for m in range(3))
    for nu in "LR":
        b = space.a(("bath", nu, 1))
        h = h + HBAR * BATH[f"omega_{nu}"] * b.conj().T @ b
        h = h + _level_coupling(space, 3, g, nu) @ (b + b.conj().T)
    rho = stationary_state(space, h, rng)
    functions = {
        "g_L": lambda a, b, p: g["L"][a - 1, b - 1],
        "g_R": lambda a, b, p: g["R"][a - 1, b - 1],
    }
    tensor = moment_tensor(junction, 1)
    labels = [(x, y) for x in (1, 2, 3) for y in (1, 2, 3)]
    for left in labels:
        for right in labels:
            entry = tensor[left[0] - 1, left[1] - 1, right[0] - 1, right[1] - 1]
            got = evaluate(entry, space, rho, {"hbar": HBAR, "M": 1}, functions)
            expected = matrix_moment(
                h, space.unit("A", *left), space.unit("A", *right), rho, 1, HBAR
            )
            assert abs(got - expected) < 1e-10 * max(1, abs(expected)), (left, right)


def test_finite_tensor_matches_entrywise_moments():
    j = spin_boson()
    assert moment_tensor(j, 1)[0, 0] == moment(j, 1)
