"""Bath-mode sums -> spectral integrals (symbolic/bath_sums.py, Eq. 4 and 5)."""

from __future__ import annotations

import doctest
from dataclasses import replace

import sympy as sp

from heatbounds.symbolic import bath_sums
from heatbounds.symbolic.bath_sums import bath_sums_to_integrals
from heatbounds.symbolic.dissipation import OMEGA_C, PowerLaw
from heatbounds.symbolic.expectation import expectation
from heatbounds.symbolic.junction import mode_frequency
from heatbounds.symbolic.models import n_level, spin_boson
from heatbounds.symbolic.operators import Spin
from heatbounds.symbolic.parameters import alpha_L, alpha_R, hbar

k = sp.Symbol("k", integer=True, positive=True)
M = sp.Symbol("M", integer=True, positive=True)
g_L, g_R = sp.Function("g_L", real=True), sp.Function("g_R", real=True)
omega_L, omega_R = mode_frequency("L"), mode_frequency("R")


def test_doctests():
    assert doctest.testmod(bath_sums).failed == 0


def test_square_coupling_sums_become_ohmic_integrals():
    # sum_k g^2 w^2 = (hbar^2 alpha/2) int w e^(-w/wc) w^2 dw = 3 hbar^2 alpha wc^4
    expr = sp.Sum(g_L(k) ** 2 * omega_L(k) ** 2, (k, 1, M))
    assert (
        sp.simplify(bath_sums_to_integrals(expr, spin_boson()) - 3 * hbar**2 * alpha_L * OMEGA_C**4)
        == 0
    )
    both = sp.Sum(5 * g_R(k) ** 2, (k, 1, M))
    assert (
        sp.simplify(
            bath_sums_to_integrals(both, spin_boson()) - 5 * hbar**2 * alpha_R * OMEGA_C**2 / 2
        )
        == 0
    )


def test_the_dissipation_shape_is_used():
    junction = replace(spin_boson(), dissipation=PowerLaw(3))
    expr = sp.Sum(g_L(k) ** 2, (k, 1, M))
    # (hbar^2 alpha_L / 2) int omega^3 e^(-omega/wc) / wc^2 = 3 hbar^2 alpha_L wc^2
    assert (
        sp.simplify(bath_sums_to_integrals(expr, junction) - 3 * hbar**2 * alpha_L * OMEGA_C**2)
        == 0
    )


def test_sums_that_are_not_coupling_squares_stay():
    sigma_x = expectation(Spin("sigma").x)
    junction = spin_boson()
    kept = [
        sp.Sum(g_L(k) ** 2 * sigma_x * g_L(k), (k, 1, M)),  # g^3
        sp.Sum(g_L(k) * g_R(k), (k, 1, M)),  # two baths
        sp.Sum(g_L(k) * omega_L(k) * sigma_x, (k, 1, M)),  # an expectation inside
    ]
    for expr in kept:
        assert bath_sums_to_integrals(expr, junction).has(sp.Sum)
    # Mode-independent factors come out of the sum and stay as they are.
    out = bath_sums_to_integrals(sp.Sum(sigma_x * g_L(k) ** 2, (k, 1, M)), junction)
    assert not out.has(sp.Sum) and out.has(sigma_x)


def test_matrix_unit_couplings_are_left_as_sums():
    a = sp.Symbol("a")
    expr = sp.Sum(sp.Function("g_L")(a, a, k) ** 2, (k, 1, M))
    assert bath_sums_to_integrals(expr, n_level()).has(sp.Sum)


def test_long_sums_of_matrix_units_are_left_as_they_are():
    """Issue 13: no sum of a matrix-unit model converts; a long one (the s = 3 sum rule
    of a three-level junction has over 5,000 sums) is returned unexpanded, the same value."""
    from heatbounds.symbolic.models import builtin_model

    junction = builtin_model("three-level")
    a = sp.Function("A_b_L")
    g = sp.Function("g_L")
    terms = [sp.Sum((i * g(1, 2, k) + g(1, 1, k)) * a(i, 2, k), (k, 1, M)) for i in range(1, 300)]
    expr = sp.Add(*terms) / (2 * hbar**4)
    assert bath_sums_to_integrals(expr, junction) is expr
    short = sp.Add(*terms[:3]) / (2 * hbar**4)
    out = bath_sums_to_integrals(short, junction)
    assert out != short  # a short one is flattened as before, the same value:
    from heatbounds.symbolic.compact import expand_compact

    assert sp.expand(expand_compact(out) - expand_compact(short)) == 0
