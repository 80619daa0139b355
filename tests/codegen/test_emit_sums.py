"""Mode sums in emitted functions: per-point factors inside a sum, reciprocal mode
factors (the counterterm's 1/omega_nu(p)), einsum calls too long for one line,
and constant expressions."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from heatbounds.codegen.emit import emit_function
from heatbounds.codegen.pylayout import WIDTH
from heatbounds.numeric.emitted_moments import load_module

p, q, k = sp.symbols("p q k", integer=True, positive=True)
M = sp.Symbol("M", integer=True, positive=True)
T = sp.Symbol("T", positive=True)
g = sp.Function("g_L", real=True)
w = sp.Function("omega_L", positive=True)


def _emit(expr, args=()):
    source = emit_function(expr, "f", args)
    assert max(len(line) for line in source.splitlines()) <= WIDTH
    return source, load_module(source, "emitted_sums").f


def test_a_temperature_inside_a_mode_sum_is_moved_out():
    expr = sp.Sum(T * g(p) ** 2 / w(p) + g(p), (p, 1, M))
    _, f = _emit(expr, ("T",))
    gv, wv = np.array([0.3, -0.2, 0.5]), np.array([1.0, 2.0, 4.0])
    temps = np.array([0.5, 1.0, 3.0])
    expected = temps * np.sum(gv**2 / wv) + gv.sum()
    np.testing.assert_allclose(f(temps, g_L=gv, omega_L=wv, M=3), expected, rtol=1e-14)


def test_long_einsum_calls_are_laid_out_within_the_line_width():
    a = sp.Function("A_bdag_L_bdag_R_b_L_long_name", real=True)
    expr = -18 * sp.Sum(
        g(k) * g(p) * g(q) * a(p, q, k) / w(k) ** 2, (p, 1, M), (q, 1, M), (k, 1, M)
    )
    source, f = _emit(expr)
    assert "np.einsum(" in source
    rng = np.random.default_rng(3)
    gv, wv, av = rng.normal(size=2), np.array([1.5, 2.5]), rng.normal(size=(2, 2, 2))
    expected = -18 * np.einsum("k,p,q,pqk,k,k->", gv, gv, gv, av, 1 / wv, 1 / wv)
    value = f(g_L=gv, omega_L=wv, M=2, A_bdag_L_bdag_R_b_L_long_name=av)
    assert value == pytest.approx(expected, rel=1e-13)


def test_constant_expressions_emit_a_constant_function():
    _, f = _emit(sp.Integer(0))
    assert f() == 0.0 and f().dtype == np.float64
    _, f = _emit(sp.Integer(3) + 0 * T, ("T",))
    np.testing.assert_array_equal(f([1.0, 2.0]), [3.0, 3.0])
