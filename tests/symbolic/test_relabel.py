"""Relabelled modes, halved and paired coefficients (symbolic/relabel.py) keep the value."""

from __future__ import annotations

import doctest
import random
from itertools import product

import pytest
from sympy import Add, Function, Integer, Rational, Tuple, symbols
from sympy.core.function import AppliedUndef

from heatbounds.symbolic import relabel
from heatbounds.symbolic.indices import LevelIndex, ModeIndex
from heatbounds.symbolic.relabel import (
    canonical_terms,
    halved,
    merged_by_relabelling,
    paired,
    symmetries,
)

p, q, k = (ModeIndex(c) for c in "pqk")
M = symbols("M", integer=True, positive=True)
LIMITS = (Tuple(p, 1, M), Tuple(q, 1, M), Tuple(k, 1, M))
g, w, a, b = (Function(name) for name in ("g", "w", "a", "b"))


def test_doctests():
    assert doctest.testmod(relabel).failed == 0


def test_symmetries_are_the_permutations_of_equal_ranges():
    assert len(symmetries(LIMITS)) == 5
    n = LevelIndex("n")
    mixed = (Tuple(p, 1, M), Tuple(q, 1, M), Tuple(n, 1, 3))
    assert symmetries(mixed) == [{p: q, q: p}]
    assert symmetries((Tuple(p, 1, M), Tuple(n, 1, M)), modes_only=True) == []


def _value(by_value: dict, seed: int = 0) -> Rational:
    """sum over p, q, k in 1..2 of sum coefficient * value, with the functions given
    random rational values (the same ones on both sides)."""

    def number(atom):  # the same for an atom whichever order atoms are met in
        rng = random.Random(f"{seed} {atom}")
        return Rational(rng.randint(-9, 9), rng.randint(1, 5))

    body = Add(*(c * v for v, c in by_value.items()))
    total = Integer(0)
    for values in product((1, 2), repeat=3):
        here = body.xreplace(dict(zip((p, q, k), map(Integer, values), strict=True)))
        total += here.xreplace({f: number(f) for f in sorted(here.atoms(AppliedUndef), key=str)})
    return total


def _random_coefficient(rng: random.Random):
    factors = [g(p), g(q), g(k), w(p), w(q), w(k)]
    return Add(
        *(
            Integer(rng.randint(-3, 3)) * rng.choice(factors) * rng.choice(factors)
            for _ in range(rng.randint(1, 6))
        )
    )


@pytest.mark.parametrize("seed", range(6))
def test_every_rewriting_keeps_the_value(seed):
    rng = random.Random(seed)
    values = [a(p, q, k), a(q, p, k), b(p, q, k), b(k, q, p), a(p, k, q)]
    by_value = {}
    for value in values:
        c = _random_coefficient(rng)
        by_value[value] = c
        if rng.random() < 0.5:  # a relabelled copy, as the s = 3 sum rules have
            by_value[value.xreplace({p: q, q: p}) + b(p, p, p)] = c.xreplace({p: q, q: p})
    by_value = {v: c for v, c in by_value.items() if c != 0}
    renamings = symmetries(LIMITS)
    reference = _value(by_value)
    merged = merged_by_relabelling(by_value, renamings)
    assert _value(merged) == reference
    assert _value(paired(merged)) == reference
    assert _value(halved(paired(merged), renamings)) == reference


def test_relabelled_copies_share_one_coefficient_and_halving_shortens():
    c = g(p) * w(q) + 2 * g(q) * w(p)
    merged = merged_by_relabelling(
        {a(p, q, k): c, b(p, q, k): c.xreplace({p: q, q: p})}, symmetries(LIMITS)
    )
    assert set(merged.values()) == {c}
    symmetric = g(p) * w(q) + g(q) * w(p) + g(p) * g(q)
    out = halved({a(p, q, k): symmetric}, symmetries(LIMITS))
    assert out == {a(p, q, k) + a(q, p, k): g(p) * w(q) + g(p) * g(q) / 2}


def test_canonical_terms_names_summed_modes_alike():
    one = {(LIMITS[:2], g(p) * w(q) * a(p, q, k)): Integer(2)}
    other = {(LIMITS[:2], g(q) * w(p) * a(q, p, k)): Integer(2)}
    assert canonical_terms(one) == canonical_terms(other)
