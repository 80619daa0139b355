"""The indexed families (symbolic/site_families.py) against matrices, for every value
of their symbolic sites.

A content with symbolic sites means one operator for each assignment of the
symbols to sites, equal or not: every rule (product, adjoint, renaming) is
checked at every assignment of the symbols to the sites of a short chain,
including those that make two symbols equal.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from heatbounds.symbolic.canonical import DUMMY_PREFIX, INDEX_CLASS
from heatbounds.symbolic.errors import IndexMismatchError
from heatbounds.symbolic.families import FAMILIES
from heatbounds.symbolic.indices import LevelIndex, ModeIndex, SiteIndex, delta
from heatbounds.symbolic.site_families import BOSON_SITES, SPIN_CHAIN

i, j, k = (SiteIndex(c) for c in "ijk")
SYMBOLS = (i, j, k)
SITES = 3  # the spin chain the matrices live on
BOSON_SITES_N, FOCK = 2, 6  # the boson sites, and Fock levels per site

PLUS = np.array([[0, 1], [0, 0]], dtype=complex)
Z = np.diag([1.0 + 0j, -1.0])
LOCAL = (PLUS, Z, PLUS.T)  # sigma_+, sigma_z, sigma_- (the groups of a spin content)
ANNIHILATE = np.diag(np.sqrt(np.arange(1, FOCK)), 1).astype(complex)


def on_site(matrix: np.ndarray, site: int, sites: int = SITES) -> np.ndarray:
    d = matrix.shape[0]
    return np.kron(np.kron(np.eye(d ** (site - 1)), matrix), np.eye(d ** (sites - site)))


def assignments(*symbols, sites: int = SITES):
    """Every map of the symbols to the sites 1..sites (coinciding ones included)."""
    for values in itertools.product(range(1, sites + 1), repeat=len(symbols)):
        yield dict(zip(symbols, values, strict=True))


def value(site, env: dict) -> int:
    return env.get(site, site)


def spin_matrix(content, env: dict) -> np.ndarray:
    """sigma_+^P sigma_z^Z sigma_-^M at the assignment ``env``, in stored order."""
    out = np.eye(2**SITES, dtype=complex)
    if content is None:
        return out
    for local, sites in zip(LOCAL, content, strict=True):
        for s in sites:
            out = out @ on_site(local, value(s, env))
    return out


def boson_matrix(content, env: dict) -> np.ndarray:
    out = np.eye(FOCK**BOSON_SITES_N, dtype=complex)
    if content is None:
        return out
    for local, sites in ((ANNIHILATE.T, content[0]), (ANNIHILATE, content[1])):
        for s in sites:
            out = out @ on_site(local, value(s, env), BOSON_SITES_N)
    return out


def weight_at(weight, env: dict) -> complex:
    if isinstance(weight, sp.Basic):
        weight = weight.xreplace({s: sp.Integer(v) for s, v in env.items()})
    return complex(weight)


def total(terms, matrix, env: dict) -> np.ndarray:
    return sum(weight_at(w, env) * matrix(c, env) for w, c in terms)


site_values = st.sampled_from((1, 2, *SYMBOLS))


def _sorted(sites) -> tuple:
    return tuple(sorted(sites, key=lambda s: (1, s.name) if isinstance(s, SiteIndex) else (0, s)))


# Contents as stored: sorted groups, a site possibly repeated (left by a renaming).
spin_contents = st.tuples(*[st.lists(site_values, max_size=2).map(_sorted)] * 3)
boson_values = st.sampled_from((1, *SYMBOLS))  # 2 is a value of the symbols
boson_contents = st.tuples(*[st.lists(boson_values, max_size=2).map(_sorted)] * 2)


def _reduced(content) -> bool:
    sites = [s for group in content for s in group] if content else []
    return len(sites) == len(set(sites))


@settings(max_examples=120, deadline=None)
@given(spin_contents, spin_contents)
def test_spin_products_are_exact_at_every_assignment(left, right):
    terms = SPIN_CHAIN.multiply(left, right)
    assert all(_reduced(c) for _, c in terms)  # a product never repeats a site
    for env in assignments(*SYMBOLS):
        expected = spin_matrix(left, env) @ spin_matrix(right, env)
        np.testing.assert_allclose(total(terms, spin_matrix, env), expected, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(spin_contents)
def test_spin_adjoint_and_renaming_are_exact(content):
    adjoint = SPIN_CHAIN.adjoint(content)
    assert SPIN_CHAIN.adjoint(adjoint) == content
    renamed = SPIN_CHAIN.rename(content, {j: i, k: 2})  # identifies sites
    for env in assignments(*SYMBOLS):
        matrix = spin_matrix(content, env)
        np.testing.assert_allclose(spin_matrix(adjoint, env), matrix.conj().T)
        if env[j] == env[i] and env[k] == 2:
            np.testing.assert_allclose(spin_matrix(renamed, env), matrix)


@settings(max_examples=60, deadline=None)
@given(boson_contents, boson_contents)
def test_boson_products_follow_wick_at_every_assignment(left, right):
    terms = BOSON_SITES.multiply(left, right)
    ordered = BOSON_SITES.order(left, right)
    assert len(ordered) == 1 and ordered[0][1] == terms[0][1]  # the uncontracted term
    # away from the Fock cutoff (two quanta below it on every site) the rule is exact
    occupation = np.indices((FOCK,) * BOSON_SITES_N).reshape(BOSON_SITES_N, -1)
    keep = np.all(occupation < FOCK - 4, axis=0)
    for env in assignments(*SYMBOLS, sites=BOSON_SITES_N):
        expected = boson_matrix(left, env) @ boson_matrix(right, env)
        got = total(terms, boson_matrix, env)
        np.testing.assert_allclose(got[np.ix_(keep, keep)], expected[np.ix_(keep, keep)])
        adjoint = boson_matrix(BOSON_SITES.adjoint(left), env)
        np.testing.assert_allclose(adjoint, boson_matrix(left, env).conj().T)


def test_one_site_table():
    plus, z, minus = ((1,), (), ()), ((), (1,), ()), ((), (), (1,))
    assert SPIN_CHAIN.multiply(plus, plus) == []
    assert SPIN_CHAIN.multiply(z, z) == [(1, None)]
    assert SPIN_CHAIN.multiply(z, plus) == [(1, plus)]
    assert SPIN_CHAIN.multiply(plus, z) == [(-1, plus)]
    assert SPIN_CHAIN.multiply(minus, z) == [(1, minus)]
    half = sp.Rational(1, 2)
    assert SPIN_CHAIN.multiply(minus, plus) == [(half, None), (-half, z)]
    # different concrete sites commute; no delta is ever written for them
    assert SPIN_CHAIN.multiply(((), (), (2,)), plus) == [(1, ((1,), (), (2,)))]


def test_a_delta_places_the_commutator_on_the_representative_site():
    # sigma_z^(j) sigma_+^(i) = sigma_+^(i) sigma_z^(j) + 2 delta_ij sigma_+^(i)
    out = SPIN_CHAIN.multiply(((), (j,), ()), ((i,), (), ()))
    assert out == [(1, ((i,), (j,), ())), (2 * sp.KroneckerDelta(i, j), ((i,), (), ()))]
    # the representative is the least site by index_key: numbers before names
    out = SPIN_CHAIN.multiply(((), (i,), ()), ((2,), (), ()))
    assert out[1] == (2 * sp.KroneckerDelta(2, i), ((2,), (), ()))
    # same group: sigma_z's commute on any sites
    assert SPIN_CHAIN.multiply(((), (j,), ()), ((), (i,), ())) == [(1, ((), (i, j), ()))]


def test_renaming_keeps_one_content_and_may_repeat_a_site():
    content = ((i,), (j,), (k,))
    assert SPIN_CHAIN.rename(content, {i: k, k: i}) == ((k,), (j,), (i,))
    assert SPIN_CHAIN.rename(((), (i, j), ()), {j: i}) == ((), (i, i), ())  # sigma_z^2 = 1
    assert BOSON_SITES.rename(((j, i), ()), {j: 1}) == ((1, i), ())


def test_index_handling():
    content = ((i,), (1, j), (k,))
    assert SPIN_CHAIN.indices(content) == (i, 1, j, k)
    assert SPIN_CHAIN.index_kinds(content) == ("site",) * 4
    assert SPIN_CHAIN.with_indices(content, iter((2, 3, 4, 5))) == ((2,), (3, 4), (5,))
    assert BOSON_SITES.indices(((i,), (1, j))) == (i, 1, j)
    assert BOSON_SITES.index_kinds(((i,), (1, j))) == ("site",) * 3
    assert SPIN_CHAIN.sort_key(((), (1,), ())) < SPIN_CHAIN.sort_key(((), (i,), ()))


def test_site_indices_are_their_own_kind():
    assert i.kind == "site" and delta(i, 2) == sp.KroneckerDelta(i, 2)
    with pytest.raises(IndexMismatchError, match="site index i with level index n"):
        delta(i, LevelIndex("n"))
    with pytest.raises(IndexMismatchError, match="site index i with mode index p"):
        delta(i, ModeIndex("p"))
    assert DUMMY_PREFIX["site"] == "_s" and INDEX_CLASS["site"] is SiteIndex


def test_printing():
    content = ((i,), (2,), (j,))
    assert SPIN_CHAIN.text("s", content) == ["s_+[i]", "s_z[2]", "s_-[j]"]
    assert SPIN_CHAIN.latex("sigma", ((), (i,), ())) == r"\hat{\sigma}^{(i)}_{z}"
    assert SPIN_CHAIN.latex("s", ((i,), (), ())) == r"\hat{\sigma}^{(s,i)}_{+}"
    assert SPIN_CHAIN.identifier("s", content) == "s_plus_s_z_s_minus"
    boson = ((i,), (1,))
    assert BOSON_SITES.text("a", boson) == ["a^dag[i]", "a[1]"]
    assert BOSON_SITES.latex("a", boson) == r"\hat{a}^{\dagger}_{i} \hat{a}_{1}"
    assert BOSON_SITES.identifier("a", boson) == "adag_a"


def test_the_families_are_registered_and_even():
    assert FAMILIES["spin_chain"] is SPIN_CHAIN and FAMILIES["boson_sites"] is BOSON_SITES
    assert SPIN_CHAIN.parity == BOSON_SITES.parity == 0
    assert SPIN_CHAIN.model_kind is None and BOSON_SITES.model_kind is None  # not in model files
