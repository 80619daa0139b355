"""The stable NumPy printer, the in-place kernels and functions emitted through them.

The Bloch-Redfield conductance and a Bose-function current are not part of
any model's bounds; they are emitted with ``emit_function`` (as the benchmark
does) and checked against mpmath at 30 digits where naive forms fail: large
beta hbar Delta (overflow of sinh, exp), T_L close to T_R (cancellation in
n_L - n_R), T = 0 (the limit), high temperature (cancellation in 1 - exp(-x)).
"""

from __future__ import annotations

import importlib.util
import warnings
from pathlib import Path

import mpmath
import numpy as np
import pytest
import sympy as sp

from heatbounds.codegen.emit import emit_function
from heatbounds.codegen.kernel import compile_kernel
from heatbounds.codegen.numpy_printer import (
    CodegenError,
    ExpDifference,
    NegExpm1,
    StableNumPyPrinter,
    stabilise,
)
from heatbounds.symbolic.parameters import alpha, gamma, symbol

x, y = sp.Symbol("x", positive=True), sp.Symbol("y", real=True)
T, T_L, T_R, D, wc = (symbol(n) for n in ("T", "T_L", "T_R", "Delta", "omega_c"))
aL, aR = symbol("alpha_L"), symbol("alpha_R")


def show(expr, **settings) -> str:
    return StableNumPyPrinter(settings).doprint(expr)


def bose(t):
    return 1 / (sp.exp(D / t) - 1)


# ---- printing --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("expr", "text"),
    [
        (y**3, "y * y * y"),
        (y**3 / x**2, "y * y * y / (x * x)"),
        (1 / x, "1.0 / x"),
        (1 / (x + y), "1.0 / (x + y)"),
        (sp.sqrt(x), "np.sqrt(x)"),
        (x ** sp.Rational(-1, 2), "1.0 / np.sqrt(x)"),
        (sp.pi * x / 8, "0.39269908169872414 * x"),
        (-sp.pi * x * y / (4 * (x + y)), "-3.141592653589793 * y * x / (4 * x + 4 * y)"),
        (2 * sp.I * y, "2.0j * y"),
        (sp.Symbol("hbar") * x, "HBAR * x"),
        (x**y, "np.power(x, y)"),  # a parameter as exponent (was a TypeError from mpmath)
        (x ** sp.Rational(1, 3), "np.power(x, 0.3333333333333333)"),
    ],
)
def test_powers_divisions_and_constants(expr, text):
    assert show(expr, names={"hbar": "HBAR"}) == text
    assert "**" not in text


def test_piecewise_is_evaluated_with_masks_branch_by_branch():
    expr = sp.Piecewise((1, sp.Eq(y, 0)), (sp.sin(y) / y, True))
    text = show(expr)
    assert "select" not in text and text.startswith("_piecewise(")
    helpers = load(emit_function(x, "f", ("x",)), "pw_helpers")
    namespace = {"np": np, "_piecewise": helpers._piecewise, "_sub": helpers._sub}
    namespace["y"] = np.array([0.0, 1.0, 2.0])
    with np.errstate(all="raise"):  # sin(y)/y is never evaluated at y = 0
        value = eval(text, namespace)
    np.testing.assert_allclose(value, [1.0, np.sin(1.0), np.sin(2.0) / 2])


def test_mode_sums_become_einsum_over_1_based_axes():
    g = sp.Function("g_L", real=True)
    p, q = sp.symbols("p q", integer=True)
    M = sp.Symbol("M", positive=True, integer=True)
    text = show(sp.Sum(g(1, 2, p) * g(2, 2, q) * sp.Function("w")(p), (p, 1, M), (q, 1, M)))
    assert text == 'np.einsum("p...,q...,p...->...", g_L[0, 1], g_L[1, 1], w)'
    arr, w = np.arange(12.0).reshape(2, 2, 3), np.array([1.0, 2.0, 3.0])
    value = eval(text, {"np": np, "g_L": arr, "w": w})
    assert value == pytest.approx((arr[0, 1] * w).sum() * arr[1, 1].sum())


@pytest.mark.parametrize("expr", [sp.zeta(x), sp.Function("mystery")(x)])
def test_unsupported_nodes_are_refused_not_commented(expr):
    with pytest.raises(CodegenError):
        show(expr)


# ---- stable forms ----------------------------------------------------------------------------
def test_bose_functions_their_difference_and_csch_are_rewritten():
    n = stabilise(bose(T))
    assert n.has(NegExpm1) and not n.has(sp.exp(D / T))
    diff = stabilise(D * (bose(T_L) - bose(T_R)))
    assert diff.has(ExpDifference)
    (node,) = diff.atoms(ExpDifference)
    assert sp.simplify(node.args[2] - (-D / T_L + D / T_R)) == 0  # the exact difference
    csch = stabilise(1 / sp.sinh(D / T) ** 2)
    assert csch.has(NegExpm1) and not csch.has(sp.sinh)
    # Identities, numerically, at a harmless point.
    point = {D: 1.3, T: 0.7, T_L: 0.9, T_R: 0.6}
    for original in (bose(T), D * (bose(T_L) - bose(T_R)), 1 / sp.sinh(D / T) ** 2):
        rewritten = (
            stabilise(original)
            .replace(lambda e: isinstance(e, NegExpm1), lambda e: 1 - e.args[1] ** e.args[2])
            .replace(lambda e: isinstance(e, ExpDifference), lambda e: e.args[3] - e.args[4])
        )
        assert float(rewritten.subs(point)) == pytest.approx(float(original.subs(point)), 1e-14)


def test_kernel_is_in_place_with_expanded_powers():
    k = compile_kernel("_k", (x, y), y**3 / x + sp.exp(-x), StableNumPyPrinter())
    assert all("out=" in line for line in k.lines)
    assert not any("**" in line or "power" in line for line in k.lines)
    namespace = {"np": np}
    exec(  # code printed by the package itself
        "def _k(x, y, out, "
        + ", ".join(f"b{i}" for i in range(k.buffers))
        + "):\n"
        + "\n".join("    " + line for line in k.lines),
        namespace,
    )
    xs, ys = np.array([0.5, 2.0]), np.array([-1.0, 3.0])
    out = np.empty(2)
    namespace["_k"](xs, ys, out, *(np.empty(2) for _ in range(k.buffers)))
    np.testing.assert_allclose(out, ys**3 / xs + np.exp(-xs), rtol=1e-15)


# ---- emitted transcendental functions at the edges ------------------------------------
def load(source: str, name: str):
    path = Path(__file__).parent / f"_{name}_generated.py"
    path.write_text(source)
    try:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        path.unlink()
    return module


BLOCH_REDFIELD = sp.pi / 8 * D**3 / T**2 * alpha * gamma / sp.sinh(D / T)
CURRENT = (
    sp.pi
    * D**2
    * sp.exp(-D / wc)
    * aL
    * aR
    * (bose(T_L) - bose(T_R))
    / (aL * (1 + 2 * bose(T_L)) + aR * (1 + 2 * bose(T_R)))
)


@pytest.fixture(scope="module")
def br():
    return load(emit_function(BLOCH_REDFIELD, "kappa", ("T",)), "bloch_redfield").kappa


@pytest.fixture(scope="module")
def current():
    return load(emit_function(CURRENT, "current", ("T_L", "T_R")), "bose_current").current


def exact(expr, **values) -> float:
    with mpmath.workdps(30):
        f = sp.lambdify(sorted(values), expr, "mpmath")
        return float(f(*(mpmath.mpf(values[k]) for k in sorted(values))))


def test_bloch_redfield_conductance_is_accurate_from_t_0_to_high_t(br):
    temperatures = np.concatenate([[0.0, 1e-200, 1e-3], np.geomspace(1e-2, 1e3, 40)])
    with np.errstate(all="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        got = br(temperatures, Delta=1.0, alpha_L=0.1, alpha_R=0.3)
    for t, value in zip(temperatures, got, strict=True):
        if t < 1e-2:
            assert value == 0.0  # the limit; exp(-Delta/T) underflows
            continue
        want = exact(
            BLOCH_REDFIELD.subs({alpha: aL + aR, gamma: 4 * aL * aR / (aL + aR) ** 2}),
            T=t,
            Delta=1.0,
            alpha_L=0.1,
            alpha_R=0.3,
        )
        assert value == pytest.approx(want, rel=1e-13, abs=1e-300)


def test_bose_current_is_accurate_when_t_l_is_close_to_t_r_and_at_t_0(current):
    rng = np.random.default_rng(7)
    t_l = np.geomspace(1e-2, 1e3, 30)
    t_r = t_l * (1 + 10.0 ** rng.uniform(-13, -1, 30) * rng.choice([-1, 1], 30))
    kw = {"Delta": 1.0, "omega_c": 10.0, "alpha_L": 0.1, "alpha_R": 0.3}
    with np.errstate(all="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        got = current(t_l, t_r, **kw)
        edges = current([0.0, 1.0, 0.0, 2.0], [1.0, 0.0, 0.0, 2.0], **kw)
    for a, b, value in zip(t_l, t_r, got, strict=True):
        want = exact(CURRENT, T_L=a, T_R=b, **kw)
        assert value == pytest.approx(want, rel=1e-12, abs=1e-300)
    # T_L = 0: only the right bath is excited; both zero or equal temperatures: no current.
    assert edges[0] == pytest.approx(exact(CURRENT, T_L=1e-30, T_R=1.0, **kw), rel=1e-13)
    assert edges[1] == pytest.approx(exact(CURRENT, T_L=1.0, T_R=1e-30, **kw), rel=1e-13)
    assert edges[2] == 0.0 and edges[3] == 0.0


def test_naive_forms_would_fail_where_the_emitted_ones_do_not(current):
    """The reason for the stable forms: lambdify overflows or cancels at these points."""
    naive = sp.lambdify((T_L, T_R, D, wc, aL, aR), CURRENT, "numpy")
    with np.errstate(all="ignore"):
        cold = naive(1e-3, 2e-3, 1.0, 10.0, 0.1, 0.3)
        close = naive(2.0, 2.0 * (1 + 1e-12), 1.0, 10.0, 0.1, 0.3)
    want = exact(
        CURRENT, T_L=2.0, T_R=2.0 * (1 + 1e-12), Delta=1.0, omega_c=10.0, alpha_L=0.1, alpha_R=0.3
    )
    assert not np.isfinite(cold) or abs(close - want) > 1e-6 * abs(want)
    ours = current(2.0, 2.0 * (1 + 1e-12), Delta=1.0, omega_c=10.0, alpha_L=0.1, alpha_R=0.3)
    assert ours == pytest.approx(want, rel=1e-12)


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (sp.Integer(10) ** 300, "1e+300"),
        (sp.Rational(1, 10**300), "1e-300"),
        (sp.Integer(2) ** 53 - 1, str(2**53 - 1)),
        (-(sp.Integer(2) ** 53), "-9007199254740992.0"),
        (sp.Integer(10) ** 308 / 3, "3.333333333333333e+307"),
    ],
)
def test_long_exact_numbers_print_as_one_short_float64_literal(number, text):
    """A model file may hold 1e300: it prints as a float64 literal that fits one line
    (it was 301 digits, which the line layout could not split)."""
    assert StableNumPyPrinter().doprint(number) == text


@pytest.mark.parametrize("number", [sp.Integer(10) ** 309, sp.Rational(10**400, 7)])
def test_numbers_beyond_float64_are_refused_not_printed_as_inf(number):
    with pytest.raises(CodegenError, match="beyond float64"):
        StableNumPyPrinter().doprint(number)
