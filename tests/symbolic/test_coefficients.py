"""Canonical coefficients (symbolic/coefficients.py): the fast product and the memos.

``multiply`` multiplies polynomials in plain factors out term by term instead
of calling ``expand``; its result must be the *same SymPy object* (``srepr``,
type) as ``canonical`` of the plain product, for every coefficient.
"""

from __future__ import annotations

import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import Float, I, Integer, KroneckerDelta, Rational, S, conjugate, exp, sqrt
from sympy.core.cache import clear_cache

from heatbounds.symbolic.coefficients import (
    Memo,
    canonical,
    is_exact,
    is_zero,
    multiply,
    to_coeff,
)
from heatbounds.symbolic.indices import LevelIndex, ModeIndex

g, h, x = sp.symbols("g h x")
i, j = LevelIndex("i"), LevelIndex("j")
k = ModeIndex("k")
omega = sp.Function("omega", positive=True)
coupling = sp.Function("g_L", real=True)

ATOMS = [
    g,
    h,
    x**2,
    h**-1,
    I,
    omega(k),
    omega(k) ** 2,
    coupling(i, j, k),
    KroneckerDelta(i, j),
    KroneckerDelta(j, 2),
    conjugate(x),
    Rational(1, 3),
    Integer(-2),
]


def _old(*factors):
    out = 1
    for f in factors:
        out = out * f
    return canonical(out)


def _same(a, b) -> bool:
    return (
        type(a) is type(b) and sp.srepr(a) == sp.srepr(b)
        if isinstance(a, sp.Basic)
        else (type(a) is type(b) and a == b)
    )


monomials = st.lists(st.sampled_from(ATOMS), min_size=0, max_size=4).map(lambda fs: sp.Mul(*fs))
polynomials = st.lists(monomials, min_size=1, max_size=4).map(lambda ts: canonical(sp.Add(*ts)))
weights = st.sampled_from([1, -1, 2, I, -I, KroneckerDelta(i, j), Integer(3), Rational(-1, 2)])


@settings(max_examples=300, deadline=None)
@given(polynomials, polynomials, weights)
def test_multiply_is_the_canonical_product(a, b, weight):
    assert _same(multiply(a, b), _old(a, b))
    assert _same(multiply(a, b, weight), _old(a, b, weight))
    assert _same(multiply(a, b, weight, -1), _old(a, b, weight, -1))


def test_multiply_keeps_python_ints_and_falls_back_for_other_coefficients():
    assert _same(multiply(2, 3), 6)
    assert _same(multiply(1, 1, 1), 1)
    assert _same(multiply(2, Integer(3)), Integer(6))
    assert _same(multiply(0, g), Integer(0))
    others = [
        Float(0.5) * g + h,
        sqrt(2) * g + 1,
        exp(g) + 1,
        1 / (1 + g),
        (1 + g) ** 2,
    ]
    for a in others:
        for b in [g + h, exp(h) + 2, Float(1.5), 3, I * g]:
            assert _same(multiply(a, b), _old(a, b))
            assert _same(multiply(b, a), _old(b, a))
    assert _same(multiply(g + h, 1.5), _old(g + h, 1.5))  # a Python float


def test_is_exact():
    assert is_exact(3) and is_exact(g * h + Rational(1, 2) * I * omega(k))
    assert not is_exact(Float(0.5) * g)
    assert not is_exact(sqrt(2) * g)
    assert not is_exact(True)
    assert not is_exact(0.5)


def test_memos_are_emptied_by_sympys_clear_cache():
    memo = Memo("test memo", limit=3)
    memo.store("a", 1)
    assert memo == {"a": 1}
    clear_cache()
    assert memo == {}
    for n in range(5):
        memo.store(n, n)
    assert len(memo) <= 3  # emptied when it outgrows its limit
    canonical((1 + g) ** 2)
    multiply(g + 1, g - 1)
    clear_cache()
    from heatbounds.symbolic import coefficients

    assert not coefficients._CACHE and not coefficients._PRODUCTS


def test_zero_and_numbers():
    assert is_zero(0) and is_zero(S.Zero) and not is_zero(g)
    assert to_coeff(2) == 2 and to_coeff(1 + 2j) == 1 + 2 * I
    assert canonical((1 + I) ** 2) == 2 * I
