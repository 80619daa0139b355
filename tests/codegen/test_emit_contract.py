"""The calling contract of emitted modules: broadcasting, dtype, out=, every check, edges.

Also the cross-check of Eq. 18: the spin-boson ``conductance_bound`` with the
free-spin <sigma_x> = -tanh(hbar Delta / 2 k_B T) is the closed form, in SI
and in reduced units.
"""

from __future__ import annotations

import importlib.util
import warnings

import numpy as np
import pytest
import scipy.constants

from heatbounds.codegen.emit import emit_module
from heatbounds.symbolic.models import builtin_model

HBAR, K_B = scipy.constants.hbar, scipy.constants.k
SCALE = {"reduced": 1.0, "si": 1e12}  # Delta in rad/s in SI

_MODULES: dict = {}


def emitted(model: str, units: str):
    """The loaded module of one model, emitted once per test session."""
    if (model, units) not in _MODULES:
        source = emit_module(builtin_model(model), units=units, command="test")
        spec = importlib.util.spec_from_loader(f"contract_{model}_{units}".replace("-", "_"), None)
        module = importlib.util.module_from_spec(spec)
        exec(compile(source, f"<emitted {model} {units}>", "exec"), module.__dict__)
        _MODULES[model, units] = module
    return _MODULES[model, units]


# ---- broadcasting, dtype, out -------------------------------------------------------------
def sb():
    return emitted("spin-boson", "reduced")


KW = {"Delta": 1.0, "alpha_L": 0.1, "alpha_R": 0.3}


def test_broadcasting_dtype_and_scalars():
    m = sb()
    T_L = np.linspace(1.0, 2.0, 3)[:, None]
    T_R = [0.5, 0.6, 0.7, 0.8]
    sigma_x = np.array(-0.4)
    result = m.current_bound(T_L, T_R, sigma_x=sigma_x, **KW)
    assert result.shape == (3, 4) and result.dtype == np.float64
    expected = np.pi * 1.0 * 0.1 * 0.3 / 0.4 * (T_L - np.array(T_R)) * 0.4
    np.testing.assert_allclose(result, expected, rtol=1e-14)
    scalar = m.conductance_bound(1, Delta=1, alpha_L=1, alpha_R=1, sigma_x=-1)
    assert type(scalar) is np.float64
    assert m.ballistic_bound(np.arange(3.0), 1.0).shape == (3,)
    # Delta broadcasts too (a prelude array), and T only widens the result shape.
    out = m.conductance_bound(
        np.ones((2, 1)), Delta=[1.0, 2.0], alpha_L=0.1, alpha_R=0.3, sigma_x=-1
    )
    assert out.shape == (2, 2)


@pytest.mark.parametrize("n", [5, 200_003])
def test_out_is_written_and_returned(n):
    m = sb()
    T = np.linspace(0.1, 3.0, n)
    out = np.empty(n)
    returned = m.conductance_bound(T, sigma_x=-np.tanh(0.5 / T), out=out, **KW)
    assert returned is out
    np.testing.assert_allclose(out, np.pi * 0.075 * np.tanh(0.5 / T), rtol=1e-14)
    # out aliasing an input is safe.
    sx = -np.tanh(0.5 / T)
    m.conductance_bound(T, sigma_x=sx, out=sx, **KW)
    np.testing.assert_allclose(sx, out, rtol=1e-15)


@pytest.mark.parametrize("bad", [np.empty(3), np.empty(4, dtype=np.float32), [0.0] * 4])
def test_unfit_out_is_refused(bad):
    with pytest.raises(ValueError, match="out must be a float64 array of shape"):
        sb().ballistic_bound(np.ones(4), 1.0, out=bad)


# ---- validation ----------------------------------------------------------------------------
BAD = {
    "T": (-1.0, np.nan, np.inf),
    "Delta": (0.0, -1.0, np.nan, np.inf),
    "alpha_L": (-0.1, np.nan, np.inf),
    "sigma_x": (np.nan, np.inf, -np.inf, 1j),
}


def _calls(m, name, value, n):
    """Every function of the spin-boson module taking ``name``, with it set to ``value``."""
    base = np.full(n, 1.0) if n else 1.0
    bad = np.full(n, value) if n else value
    if n:
        bad = np.array(np.full(n, 0.5), dtype=np.result_type(value, 1.0))
        bad[n // 2] = value
    kw = {"Delta": 1.0, "alpha_L": 0.1, "alpha_R": 0.3, "sigma_x": -0.5 * base}
    if name == "T":
        return [
            lambda: m.conductance_bound(bad, **kw),
            lambda: m.current_bound(bad, base, **kw),
            lambda: m.current_bound(base, bad, **kw),
            lambda: m.ballistic_bound(bad, base),
            lambda: m.quantum_of_conductance(bad),
        ]
    kw[name] = bad
    return [
        lambda: m.conductance_bound(base, **kw),
        lambda: m.current_bound(base, 0.5 * base, **kw),
        *(
            [lambda: m.sum_rule(Delta=kw["Delta"], sigma_x=kw["sigma_x"])]
            if name != "alpha_L"
            else []
        ),
    ]


@pytest.mark.parametrize("n", [0, 7, 150_001])
@pytest.mark.parametrize(("name", "value"), [(k, v) for k, vs in BAD.items() for v in vs])
def test_every_invalid_argument_raises_value_error_naming_it(name, value, n):
    m = sb()
    shown = {"T": ("T", "T_L", "T_R")}.get(name, (name,))
    for call in _calls(m, name, value, n):
        with np.errstate(all="raise"), pytest.raises(ValueError) as info:
            call()
        assert str(info.value).split(" ")[0] in shown, str(info.value)


def test_three_level_mode_arrays_and_count_are_checked():
    m = emitted("three-level", "reduced")
    rng = np.random.default_rng(0)
    arrays = {n: rng.uniform(-1, 1, (3, 3, 2)) for n in ("g_L", "g_R", "A_b_L", "A_b_R")}
    arrays |= {f"A_bdag_{nu}": arrays[f"A_b_{nu}"] for nu in "LR"}
    kw = dict(arrays, A_1_1=0.2, A_2_2=0.3, A_3_3=0.5, E_1=0.0, E_2=1.0, E_3=2.5, M=2)
    assert np.isfinite(m.sum_rule(**kw))
    with pytest.raises(ValueError, match="g_L must have leading axes"):
        m.sum_rule(**{**kw, "g_L": np.ones((3, 3, 3))})
    for bad in (0, 2.0, True, -1):
        with pytest.raises(ValueError, match=r"^M must be an integer"):
            m.sum_rule(**{**kw, "M": bad})
    with pytest.raises(ValueError, match=r"^g_R must be"):
        m.sum_rule(**{**kw, "g_R": np.full((3, 3, 2), np.nan)})
    with pytest.raises(ValueError, match=r"^g_R must be real"):
        m.sum_rule(**{**kw, "g_R": np.ones((3, 3, 2)) * 1j})


def test_complex_expectation_values_must_pair_up():
    m = emitted("three-level", "reduced")
    rng = np.random.default_rng(1)
    g = {n: rng.uniform(-1, 1, (3, 3, 2)) for n in ("g_L", "g_R")}
    z = {nu: rng.normal(size=(3, 3, 2)) + 1j * rng.normal(size=(3, 3, 2)) for nu in "LR"}
    # <A_ab b^dag> = <A_ba b>^*: the sum rule is real.
    pairs = {f"A_b_{nu}": z[nu] for nu in "LR"} | {
        f"A_bdag_{nu}": np.conj(np.swapaxes(z[nu], 0, 1)) for nu in "LR"
    }
    kw = dict(g, **pairs, A_1_1=0.2, A_2_2=0.3, A_3_3=0.5, E_1=0.0, E_2=1.0, E_3=2.5, M=2)
    real = m.sum_rule(**kw)
    kw_real = dict(kw, **{k: v.real for k, v in pairs.items()})
    assert real == pytest.approx(m.sum_rule(**kw_real), rel=1e-12)
    with pytest.raises(ValueError, match="complex result"):
        m.sum_rule(**dict(kw, A_bdag_L=z["L"]))


def test_domain_edges_take_the_limit():
    m = sb()
    with np.errstate(all="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        assert m.conductance_bound(1.0, Delta=1.0, alpha_L=0.0, alpha_R=0.0, sigma_x=-1.0) == 0.0
        both = m.current_bound(
            [2.0, 2.0], 1.0, Delta=1.0, alpha_L=[0.0, 0.2], alpha_R=0.0, sigma_x=-1
        )
        np.testing.assert_array_equal(both, [0.0, 0.0])
        assert m.quantum_of_conductance(0.0) == 0.0


# ---- the closed form of Eq. 18 --------------------------------------------------------------
@pytest.mark.parametrize("units", ["reduced", "si"])
def test_spin_boson_conductance_bound_with_free_spin_sigma_x_is_the_closed_form(units):
    m = emitted("spin-boson", units)
    hbar, k = (HBAR, K_B) if units == "si" else (1.0, 1.0)
    delta = 2.0 * SCALE[units]
    T = np.geomspace(1e-2, 1e2, 41) * hbar * delta / k
    x = hbar * delta / (2 * k * T)
    got = m.conductance_bound(T, Delta=delta, alpha_L=0.1, alpha_R=0.3, sigma_x=-np.tanh(x))
    closed = np.pi * (0.4 * 4 * 0.1 * 0.3 / 0.4**2) / 4 * k * delta * np.tanh(x)
    np.testing.assert_allclose(got, closed, rtol=1e-14)
