"""Chains and ensembles (symbolic/sites.py): operators with a site index and sums over
sites, through the OperatorExpr machinery, against matrices at concrete site counts.

An expression with free site indices is evaluated at every assignment of them
to the sites of the chain, with its sums written out; the matrices are built
by hand (Kronecker products), never through the symbolic algebra.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from heatbounds.symbolic.commutators import anticommutator, commutator
from heatbounds.symbolic.errors import IndexMismatchError
from heatbounds.symbolic.expectation import Expectation, expectation
from heatbounds.symbolic.indices import LevelIndex, SiteIndex
from heatbounds.symbolic.operators import OperatorExpr, ordered_product
from heatbounds.symbolic.site_families import BOSON_SITES, SPIN_CHAIN
from heatbounds.symbolic.sites import BosonSites, SpinChain, site_sum
from heatbounds.symbolic.words import word_indices

i, j, l, m = (SiteIndex(c) for c in "ijlm")
N = sp.Symbol("N", positive=True, integer=True)
SITES = 3  # spins on sites 1..3
BOSONS, FOCK = 2, 5  # bosons on sites 1..2, Fock levels 0..4
s, a = SpinChain("s"), BosonSites("a")

PLUS = np.array([[0, 1], [0, 0]], dtype=complex)
PAULI = {
    "x": np.array([[0, 1], [1, 0]], dtype=complex),
    "y": np.array([[0, -1j], [1j, 0]], dtype=complex),
    "z": np.diag([1.0 + 0j, -1.0]),
}
SPIN_LOCAL = (PLUS, PAULI["z"], PLUS.T)
LOWER = np.diag(np.sqrt(np.arange(1, FOCK)), 1).astype(complex)


def on_site(matrix, site: int, sites: int) -> np.ndarray:
    d = matrix.shape[0]
    return np.kron(np.kron(np.eye(d ** (site - 1)), matrix), np.eye(d ** (sites - site)))


def pauli(axis: str, site: int) -> np.ndarray:
    return on_site(PAULI[axis], site, SITES)


def _content_matrix(sector, content) -> np.ndarray:
    if sector.family is SPIN_CHAIN:
        locals_, sites, d = SPIN_LOCAL, SITES, 2**SITES
        out = np.eye(d, dtype=complex)
        for local, group in zip(locals_, content, strict=True):
            for site in group:
                out = out @ on_site(local, site, sites)
        return np.kron(out, np.eye(FOCK**BOSONS))
    assert sector.family is BOSON_SITES
    out = np.eye(FOCK**BOSONS, dtype=complex)
    for local, group in ((LOWER.T, content[0]), (LOWER, content[1])):
        for site in group:
            out = out @ on_site(local, site, BOSONS)
    return np.kron(np.eye(2**SITES), out)


def matrix(expr: OperatorExpr, env: dict | None = None) -> np.ndarray:
    """The matrix of ``expr`` with free sites set by ``env`` and its sums written out
    (spins on the first factor, bosons on the second)."""
    env = env or {}
    out = np.zeros((2**SITES * FOCK**BOSONS,) * 2, dtype=complex)
    for (dummies, word), coeff in expr.terms.items():
        ranges = [range(1, int(upper) + 1) for _, upper in dummies]
        for values in itertools.product(*ranges):
            full = {**env, **{d: v for (d, _), v in zip(dummies, values, strict=True)}}
            c = sp.sympify(coeff).xreplace({k: sp.Integer(v) for k, v in full.items()})
            term = np.eye(out.shape[0], dtype=complex)
            for segment in word:
                for sector, content in segment:
                    renamed = sector.family.rename(content, full)
                    term = term @ _content_matrix(sector, renamed)
            out += complex(c) * term
    return out


def assignments(expr_indices, sites: int = SITES):
    symbols = sorted(expr_indices, key=lambda x: x.name)
    for values in itertools.product(range(1, sites + 1), repeat=len(symbols)):
        yield dict(zip(symbols, values, strict=True))


def assert_matches(expr: OperatorExpr, expected, symbols=(), sites: int = SITES):
    """``expected(env)`` is the matrix at each assignment of ``symbols``."""
    for env in assignments(symbols, sites):
        np.testing.assert_allclose(matrix(expr, env), expected(env), atol=1e-10)


def test_the_total_z_generates_rotations_of_every_site():
    total = site_sum(s.z(l), l, N)
    assert commutator(total, s.x(j)) == 2j * s.y(j)
    assert commutator(total, s.y(j)) == -2j * s.x(j)
    assert commutator(total, s.plus(j)) == 2 * s.plus(j)
    assert commutator(site_sum(s.z(l), l, 3), s.x(j) * s.x(m)) == 2j * (
        s.y(j) * s.x(m) + s.x(j) * s.y(m)
    )


def test_one_site_pauli_algebra_and_different_sites():
    for p, q in itertools.product("xyz", repeat=2):
        left, right = getattr(s, p), getattr(s, q)
        np.testing.assert_allclose(matrix(left(2) * right(2)), _spin(pauli(p, 2) @ pauli(q, 2)))
        # on different symbolic sites: exact for equal and different values
        assert_matches(
            left(i) * right(j),
            lambda env, p=p, q=q: _spin(pauli(p, env[i]) @ pauli(q, env[j])),
            (i, j),
        )
    assert s.x(i) * s.x(i) == 1 and s.x(i) * s.y(i) == 1j * s.z(i)


def _spin(matrix_: np.ndarray) -> np.ndarray:
    """A matrix of the spins on the whole space (identity on the bosons)."""
    return np.kron(matrix_, np.eye(FOCK**BOSONS))


def test_a_delta_kills_the_sum():
    # sum_l sigma_-^(l) sigma_+^(j) = sum_l sigma_+^(j) sigma_-^(l) - sigma_z^(j)
    product = site_sum(s.minus(l), l, N) * s.plus(j)
    assert product == site_sum(s.plus(j) * s.minus(l), l, N) - s.z(j)
    assert commutator(site_sum(s.minus(l), l, N), s.plus(j)) == -s.z(j)
    # bosons: sum_l a_l a^dag_j = sum_l a^dag_j a_l + 1
    assert (
        site_sum(a.annihilate(l), l, N) * a.create(j)
        == site_sum(a.create(j) * a.annihilate(l), l, N) + 1
    )
    assert commutator(site_sum(a.number(l), l, N), a.create(j)) == a.create(j)
    assert commutator(a.annihilate(i), a.create(j)) == sp.KroneckerDelta(i, j)


def test_sums_are_canonical_in_their_dummy_names():
    assert site_sum(s.z(l), l, N) == site_sum(s.z(m), m, N)
    one = site_sum(site_sum(s.plus(l) * s.minus(m), m, N), l, N)
    other = site_sum(site_sum(s.plus(m) * s.minus(l), l, N), m, N)
    assert one == other
    assert one.dagger() == one  # sum_{l,m} sigma_+^l sigma_-^m is Hermitian


def test_adjoints():
    product = s.x(i) * s.y(j)
    assert product.dagger() == s.y(j) * s.x(i)
    assert (a.create(i) * a.annihilate(j)).dagger() == a.create(j) * a.annihilate(i)
    assert_matches(
        product.dagger(), lambda env: _spin(pauli("y", env[j]) @ pauli("x", env[i])), (i, j)
    )


def ising_matrix(J: float, h: float) -> np.ndarray:
    zz = sum(pauli("z", n) @ pauli("z", n + 1) for n in range(1, SITES))
    return -J * zz - h * sum(pauli("x", n) for n in range(1, SITES + 1))


def test_transverse_ising_chain_commutators_against_matrices():
    J, h = sp.Rational(3, 2), sp.Rational(-1, 3)
    hamiltonian = -J * sum((s.z(n) * s.z(n + 1) for n in range(1, SITES)), OperatorExpr()) - h * (
        site_sum(s.x(l), l, SITES)
    )
    reference = np.kron(ising_matrix(1.5, -1 / 3), np.eye(FOCK**BOSONS))
    np.testing.assert_allclose(matrix(hamiltonian), reference, atol=1e-12)
    magnetisation = site_sum(s.z(l), l, SITES)
    z_total = np.kron(sum(pauli("z", n) for n in range(1, SITES + 1)), np.eye(FOCK**BOSONS))
    np.testing.assert_allclose(
        matrix(commutator(hamiltonian, magnetisation)),
        reference @ z_total - z_total @ reference,
        atol=1e-12,
    )
    # a free site: [H, sigma_y^(j)] at every j
    np.testing.assert_allclose(matrix(commutator(hamiltonian, s.plus(2))), _comm(reference, 2))
    assert_matches(
        commutator(hamiltonian, s.y(j)),
        lambda env: _comm(reference, env[j], "y"),
        (j,),
    )


def _comm(h, site, axis="+"):
    op = on_site(PLUS if axis == "+" else PAULI[axis], site, SITES)
    op = np.kron(op, np.eye(FOCK**BOSONS))
    return h @ op - op @ h


def test_all_to_all_ising_with_a_symbolic_number_of_sites():
    """H = J sum_{l,m} sigma_z^l sigma_z^m + h sum_l sigma_x^l over N sites: the
    commutator with sigma_x^(j) is derived for symbolic N, then checked at N = 3."""
    J, h = sp.Symbol("J"), sp.Symbol("h")
    hamiltonian = J * site_sum(site_sum(s.z(l) * s.z(m), m, N), l, N) + h * site_sum(s.x(l), l, N)
    derived = commutator(hamiltonian, s.x(j))
    # [sigma_z^l sigma_z^m, sigma_x^j]
    #     = 2i (delta_lj sigma_y^j sigma_z^m + delta_mj sigma_z^l sigma_y^j)
    expected = 2j * J * (site_sum(s.y(j) * s.z(m), m, N) + site_sum(s.z(l) * s.y(j), l, N))
    assert derived == expected
    concrete = derived.terms  # N -> 3 in the sum limits, J = 1/2, h = 2
    at_three = OperatorExpr._collect(
        [
            (
                sp.sympify(c).subs({J: sp.Rational(1, 2), h: 2}),
                tuple((d, sp.Integer(SITES) if u == N else u) for d, u in dummies),
                word,
            )
            for (dummies, word), c in concrete.items()
        ]
    )
    zz = sum(pauli("z", p) @ pauli("z", q) for p in range(1, 4) for q in range(1, 4))
    full = 0.5 * zz + 2 * sum(pauli("x", p) for p in range(1, 4))
    assert_matches(
        at_three,
        lambda env: np.kron(
            full @ pauli("x", env[j]) - pauli("x", env[j]) @ full, np.eye(FOCK**BOSONS)
        ),
        (j,),
    )


# --- random operators with symbolic sites ------------------------------------------

SITE_VALUES = (1, 2, i, j)
ONE_SITE = ("x", "y", "z", "plus", "minus")
gaussian = st.builds(complex, st.integers(-2, 2), st.integers(-2, 2)).filter(bool)


@st.composite
def operators(draw):
    """A small linear combination of spin products, site sums and boson factors."""
    total = OperatorExpr()
    for _ in range(draw(st.integers(1, 2))):
        kind = draw(st.sampled_from(("one", "two", "sum", "boson")))
        if kind == "boson":
            site = draw(st.sampled_from((1, 2, i)))
            op = draw(st.sampled_from((a.create, a.annihilate, a.number)))(site)
        else:
            op = getattr(s, draw(st.sampled_from(ONE_SITE)))(draw(st.sampled_from(SITE_VALUES)))
            if kind == "two":
                other = getattr(s, draw(st.sampled_from(ONE_SITE)))
                op = op * other(draw(st.sampled_from(SITE_VALUES)))
            elif kind == "sum":
                summed = getattr(s, draw(st.sampled_from(ONE_SITE)))(l)
                op = site_sum(summed * op if draw(st.booleans()) else summed, l, SITES)
        total = total + draw(gaussian) * op
    return total


def _free_sites(*exprs) -> set:
    return set().union(*(e.free_indices() for e in exprs))


def _far_from_cutoff() -> np.ndarray:
    occupation = np.indices((FOCK,) * BOSONS).reshape(BOSONS, -1)
    bosons = np.all(occupation < FOCK - 3, axis=0)
    return np.kron(np.ones(2**SITES, dtype=bool), bosons)


@settings(max_examples=40, deadline=None)
@given(operators(), operators())
def test_random_commutators_and_anticommutators_against_matrices(left, right):
    keep = _far_from_cutoff()
    free = _free_sites(left, right)
    for bracket, sign in ((commutator, -1), (anticommutator, 1)):
        result = bracket(left, right)
        for env in assignments(free, BOSONS):
            lm, rm = matrix(left, env), matrix(right, env)
            expected = lm @ rm + sign * rm @ lm
            got = matrix(result, env)
            np.testing.assert_allclose(got[np.ix_(keep, keep)], expected[np.ix_(keep, keep)])


@settings(max_examples=30, deadline=None)
@given(operators(), operators(), operators())
def test_jacobi_identity_is_exactly_zero(x, y, z):
    jacobi = (
        commutator(x, commutator(y, z))
        + commutator(y, commutator(z, x))
        + commutator(z, commutator(x, y))
    )
    # a free-site delta of an inner commutator identifies two sites; the canonical
    # form reduces the word again, so the sum is zero term by term under ==
    assert jacobi == 0, jacobi
    keep = _far_from_cutoff()
    for env in assignments(_free_sites(x, y, z), BOSONS):
        assert np.allclose(matrix(jacobi, env)[np.ix_(keep, keep)], 0)


def test_a_delta_that_repeats_a_site_leaves_the_word_reduced():
    # the canonical form identifies i with 1 and reduces the word (words.word_identify)
    delta = OperatorExpr.scalar(sp.KroneckerDelta(1, i))
    assert str(s.z(1) * s.minus(i) * delta) == "-KroneckerDelta(1, i)*s_-[1]"
    assert s.z(1) * s.minus(i) * delta == -s.minus(1) * delta
    assert s.plus(i) * s.minus(1) * delta == (1 + s.z(1)) / 2 * delta
    assert s.minus(1) * s.minus(i) * delta == 0
    # the subs_indices renaming too
    renamed = (s.plus(i) * s.z(j) * a.create(i)).subs_indices({j: i})
    assert renamed == -s.plus(i) * a.create(i)


# --- printing, expectation values, refusals ------------------------------------------


def test_printing_and_expectation_values():
    expr = site_sum(s.z(l) * s.plus(j), l, N)
    assert str(expr) == "2*s_+[j] + Sum[i](s_+[j] s_z[i])"
    assert expr.latex() == (
        r"2 \hat{\sigma}^{(s,j)}_{+} + \sum_{i} \hat{\sigma}^{(s,j)}_{+} \hat{\sigma}^{(s,i)}_{z}"
    )
    value = expectation(expr)
    assert str(value) == "2*s_plus(j) + Sum(s_plus_s_z(j, i), (i, 1, N))"
    assert str(expectation(site_sum(s.z(l), l, 3))) == "s_z_1 + s_z_2 + s_z_3"
    assert str(expectation(a.create(1) * a.annihilate(j))) == "adag_a(1, j)"
    assert str(a.create(i) * a.annihilate(j)) == "a^dag[i] a[j]"


def test_refusals():
    with pytest.raises(IndexMismatchError, match="level index, not a site index"):
        s.z(LevelIndex("n"))
    with pytest.raises(IndexMismatchError, match="not a site"):
        a.create(0)
    with pytest.raises(IndexMismatchError, match="not a site"):
        s.x(True)
    with pytest.raises(IndexMismatchError, match="a site sum needs a site index"):
        site_sum(s.z(1), LevelIndex("n"), 3)
    # the inner sum's dummy is renamed: the outer sum is over a site it does not hold
    assert site_sum(site_sum(s.z(l), l, 3), l, 3) == 3 * site_sum(s.z(l), l, 3)
    with pytest.raises(IndexMismatchError, match="delta between site index"):
        site_sum(a.annihilate(l) * sp.KroneckerDelta(l, LevelIndex("n")), l, 3)


def test_ordering_without_contractions():
    # bosons on sites order as commuting operators; spins have no contractions
    assert ordered_product(a.annihilate(i), a.create(j)) == a.create(j) * a.annihilate(i)
    wick = a.annihilate(i) * a.create(j) - ordered_product(a.annihilate(i), a.create(j))
    assert wick == sp.KroneckerDelta(i, j)
    assert ordered_product(s.minus(i), s.plus(j)) == s.minus(i) * s.plus(j)


def test_expectation_values_of_site_words_have_site_placeholders():
    (atom,) = expectation(s.plus(j) * s.z(l)).atoms(Expectation)
    assert {type(p) for p in word_indices(atom.template)} == {SiteIndex}
    indices, _ = atom.signature()
    assert [i.name for i in indices] == ["i", "j"] and all(
        isinstance(i, SiteIndex) for i in indices
    )
