"""The spectral cross-check: derived sum rules vs Eq. 24 in finite matrix models."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from heatbounds.model_files import load_model
from heatbounds.numeric.check_defaults import check_values, parameter_domains
from heatbounds.numeric.errors import NumericInputError
from heatbounds.numeric.matrices import MatrixJunction
from heatbounds.numeric.spectral import (
    broadened_spectrum,
    eigensystem,
    spectral_lines,
    thermal_populations,
)
from heatbounds.numeric.spectral_check import default_values, spectral_check
from heatbounds.symbolic.junction import Junction
from heatbounds.symbolic.models import builtin_model
from heatbounds.symbolic.operators import Levels

CASES = [
    # model, extra values, keyword arguments (kept small: each case is a few seconds at most)
    ("spin-boson", {}, dict(bath_modes=0)),
    ("spin-boson", {}, dict(bath_modes=1, bath_levels=10)),
    ("harmonic", {}, dict(bath_modes=0, boson_levels=30)),
    (
        "harmonic",
        {"alpha_L": 0.01, "alpha_R": 0.01},
        dict(bath_modes=1, boson_levels=20, bath_levels=8, temperature=0.15),
    ),
    pytest.param(
        "harmonic-bare",
        {"alpha_L": 0.01, "alpha_R": 0.01},
        dict(bath_modes=1, boson_levels=20, bath_levels=8, temperature=0.15),
        marks=pytest.mark.slow,
    ),
    ("anharmonic", {}, dict(bath_modes=0, boson_levels=60, temperature=0.2)),
    ("three-level", {}, dict(bath_modes=0)),
    ("three-level", {}, dict(bath_modes=1, bath_levels=10, moments=(1,))),
]


@pytest.mark.parametrize(("model", "extra", "kwargs"), CASES)
def test_builtin_models_agree_to_1e_10(model, extra, kwargs):
    junction = builtin_model(model)
    values = {**default_values(junction), **extra}
    report = spectral_check(junction, values, tolerance=1e-10, **kwargs)
    assert report.passed, report.as_json()
    assert report.max_abs_error < 1e-10 * max(1.0, max(abs(r.spectral) for r in report.rows))
    assert max(abs(r.spectral) for r in report.rows) > 1e-3  # not a comparison of zeros


@pytest.mark.slow
def test_three_level_third_moment_with_a_bath_mode():
    junction = builtin_model("three-level")
    report = spectral_check(
        junction, default_values(junction), bath_modes=1, bath_levels=10, moments=(3,)
    )
    assert report.passed, report.as_json()


def test_state_near_the_boson_cutoff_is_flagged_not_compared():
    junction = builtin_model("anharmonic")
    report = spectral_check(junction, default_values(junction), temperature=3.0, boson_levels=12)
    assert report.cutoff_weight > 1e-10
    assert not report.passed
    assert any("cutoff" in note for note in report.notes)


def test_small_cutoff_weight_is_not_enough_for_steep_potentials():
    """x^4 matrix elements grow near the cutoff: at 40 levels the weight there is
    ~1e-11 but the third moment is off by ~1e-7; the convergence test catches it."""
    junction = builtin_model("anharmonic")
    report = spectral_check(junction, default_values(junction), temperature=0.3, boson_levels=40)
    assert report.cutoff_weight < 1e-10
    assert report.state["truncation_change"] > 1e-10
    assert not report.passed
    assert any("not converged" in note for note in report.notes)


def test_any_stationary_populations_work():
    """A non-thermal stationary state (two-temperature-like populations)."""
    junction = builtin_model("spin-boson")
    values = default_values(junction)
    mj = MatrixJunction(junction, values, bath_modes=1, bath_levels=10)
    energies, _ = eigensystem(mj.hamiltonian())
    p = 0.5 * thermal_populations(energies, 0.2) + 0.5 * thermal_populations(energies, 0.6)
    report = spectral_check(junction, values, populations=p, bath_modes=1, bath_levels=10)
    assert report.state["kind"] == "populations"
    assert report.passed, report.as_json()


def _random_hermitian(rng, n, scale=1.0):
    m = rng.integers(-8, 9, size=(n, n)) + 1j * rng.integers(-8, 9, size=(n, n))
    return scale * (m + m.conj().T) / 16


def _operator(levels, m):
    out = 0
    for a in range(m.shape[0]):
        for b in range(m.shape[1]):
            if m[a, b] != 0:
                out = (
                    levels[a + 1, b + 1]
                    * (sp.nsimplify(m[a, b].real) + sp.I * sp.nsimplify(m[a, b].imag))
                    + out
                )
    return out


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 4), bath=st.booleans())
def test_random_n_level_models(seed, n, bath):
    rng = np.random.default_rng(seed)
    levels = Levels("A", n)
    am = _random_hermitian(rng, n, 0.5)
    if not am.any():
        am[0, 0] = 0.5
    junction = Junction(
        name="random",
        system_hamiltonian=_operator(levels, _random_hermitian(rng, n)),
        couplings={"A": _operator(levels, am)},
    )
    values = {"alpha_L": 0.03, "alpha_R": 0.02, "omega_c": 3.0}
    report = spectral_check(
        junction,
        values,
        level_sizes={"A": n},
        temperature=0.7,
        bath_modes=int(bath),
        bath_levels=9,
        moments=(1, 3) if not bath else (1,),
    )
    assert report.passed, report.as_json()


def test_broadened_spectrum_keeps_the_first_moment():
    junction = builtin_model("spin-boson")
    mj = MatrixJunction(junction, default_values(junction), bath_modes=1, bath_levels=8)
    energies, vectors = eigensystem(mj.hamiltonian())
    a = mj.coupling_matrices()["z"]
    lines = spectral_lines(energies, vectors, thermal_populations(energies, 0.5), a, a)
    omega = np.linspace(0, 40, 8001)
    spectrum = broadened_spectrum(lines, omega, 0.1)
    first = np.trapezoid(omega * spectrum.real, omega) / np.pi
    assert abs(first - lines.moment(1).real) < 1e-6


def test_refusals():
    junction = builtin_model("spin-boson")
    with pytest.raises(NumericInputError, match="temperature"):
        spectral_check(junction, default_values(junction), temperature=-1.0)
    with pytest.raises(NumericInputError, match="populations"):
        spectral_check(junction, default_values(junction), populations=np.ones(3))
    with pytest.raises(NumericInputError, match="no value given for parameter 'Delta'"):
        spectral_check(junction, {}, temperature=1.0)


def test_kubo_lines_give_eq_25_in_si_where_eq_24_as_printed_does_not():
    """Eq. 24 as printed (pi/hbar with delta(hbar omega - E)) carries one 1/hbar too
    many: in SI its first moment misses <[B^dag, [H, A]]>/(2 hbar^2) by a factor
    1/hbar. The lines follow the Kubo form; the commutator here is plain matrices."""
    from scipy import constants

    junction = builtin_model("spin-boson")
    values = default_values(junction, units="si")
    mj = MatrixJunction(junction, values, bath_modes=1, bath_levels=10)
    h = mj.hamiltonian()
    a = mj.coupling_matrices()["z"]
    energies, vectors = eigensystem(h)
    temperature = constants.hbar * 1e12 / constants.k  # k_B T = hbar Delta
    p = thermal_populations(energies, temperature, k_B=constants.k)
    rho = (vectors * p) @ vectors.conj().T
    hbar = constants.hbar
    commutator = a @ (h @ a - a @ h) - (h @ a - a @ h) @ a
    exact = np.trace(rho @ commutator).real / (2 * hbar**2)
    lines = spectral_lines(energies, vectors, p, a, a, hbar=hbar)
    assert lines.moment(1).real == pytest.approx(exact, rel=1e-10)
    as_printed = lines.moment(1).real / hbar  # Eq. 24's delta(hbar omega - E_ba)
    assert abs(as_printed / exact - 1) > 1e30


ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("model", "values", "kwargs", "message"),
    [
        ("spin-boson", {"Delta": -1.0}, {}, "parameter Delta: must be > 0 (Delta is a positive"),
        ("spin-boson", {"omega_c": 0.0}, {}, "parameter omega_c: must be > 0"),
        ("spin-boson", {"alpha_L": -1.0}, {}, "parameter alpha_L: must be >= 0"),
        ("spin-boson", {"alpha_L": -1.0}, {"bath_modes": 1}, "parameter alpha_L: must be >= 0"),
        (
            "spin-boson",
            {"alpha_L": 0.0, "alpha_R": 0.0},
            {},
            "parameter alpha_L, parameter alpha_R: alpha_L + alpha_R must be > 0",
        ),
        ("anharmonic", {"lam": float("nan")}, {}, "parameter lam: must be finite"),
        ("three-level", {"E_2": 1j}, {}, "parameter E_2: must be a real number"),
        ("models/kerr.toml", {"omega0": 0.0}, {}, "parameter omega0: must be > 0"),
    ],
)
def test_parameters_outside_their_domain_are_refused_up_front(model, values, kwargs, message):
    junction = load_model(str(ROOT / model) if model.endswith(".toml") else model)
    with pytest.raises(NumericInputError) as info:
        spectral_check(junction, {**default_values(junction), **values}, **kwargs)
    assert message in str(info.value)


def test_real_and_nonnegative_parameters_take_their_whole_domain():
    lam = load_model(str(ROOT / "models" / "lambda-system.toml"))  # delta, c declared real
    values = {**default_values(lam), "delta": -0.3, "c": -0.2}
    assert spectral_check(lam, values, level_sizes=lam.level_sizes).passed
    junction = builtin_model("spin-boson")  # one bath alone: alpha_R = 0
    values = {**default_values(junction), "alpha_R": 0.0}
    assert spectral_check(junction, values, bath_modes=1).passed
    assert check_values(junction, values) is None
    assert parameter_domains(load_model(str(ROOT / "tests" / "data" / "jaynes-cummings.toml"))) == {
        "hbar": "positive",
        "omega0": "positive",
        "Delta": "positive",
        "g": "real",
        "omega_c": "positive",
    }


def test_a_value_error_of_the_emitted_module_is_an_input_error():
    from heatbounds.numeric.emitted_moments import EmittedEvaluator
    from heatbounds.symbolic.sum_rules import moment

    m = moment(builtin_model("spin-boson"), 1)
    with pytest.raises(NumericInputError, match="emitted sum rule refused its input: Delta"):
        EmittedEvaluator("reduced")(m, {"Delta": -1.0}, {}, {"sigma_x": -0.5})


def test_progress_names_every_step_in_order():
    junction = builtin_model("harmonic")
    steps: list[str] = []
    report = spectral_check(
        junction,
        {**default_values(junction), "alpha_L": 0.01, "alpha_R": 0.01},
        bath_modes=1,
        boson_levels=6,
        bath_levels=4,
        temperature=0.1,
        progress=steps.append,
    )
    assert report.state["dimension"] == 96
    assert steps == [
        "building the 96-dimensional Hamiltonian",
        "diagonalising the 96-dimensional Hamiltonian",
        "forming the state rho",
        "computing the spectral lines of 1 pair(s)",
        "deriving the s = 1 sum rule m_x,x",
        "evaluating the s = 1 sum rule m_x,x",
        "deriving the s = 3 sum rule m_x,x",
        "evaluating the s = 3 sum rule m_x,x",
        "building the 224-dimensional Hamiltonian (convergence check, 14 boson levels)",
        "diagonalising the 224-dimensional Hamiltonian (convergence check, 14 boson levels)",
        "computing the spectral lines of 1 pair(s) (convergence check, 14 boson levels)",
    ]


def test_relative_errors_are_the_residuals_over_the_scale_the_test_uses():
    from scipy import constants

    junction = builtin_model("spin-boson")
    temperature = 0.5 * constants.hbar * 1e12 / constants.k  # 0.5 Delta, in kelvin
    values = default_values(junction, units="si")
    report = spectral_check(junction, values, bath_modes=1, temperature=temperature)
    assert report.passed and max(abs(r.spectral) for r in report.rows) > 1e60  # ~1e36/hbar
    for s in (1, 3):
        rows = [r for r in report.rows if r.moment == s]
        scale = max(abs(r.spectral) for r in rows)
        for r in rows:
            assert r.rel_error == pytest.approx(r.abs_error / scale, rel=1e-12)
    assert report.max_rel_error == max(r.rel_error for r in report.rows) < 1e-10
    data = report.as_json()
    assert data["max_rel_error"] == report.max_rel_error
    assert all("rel_error" in row and "abs_error" in row for row in data["rows"])


def _moment_bodies(junction, s, pairs):
    from heatbounds.numeric.emitted_moments import _drop_zero_sums
    from heatbounds.symbolic.sum_rules import moment

    iota = sp.Symbol("_iota", real=True)
    for pair in pairs:
        linear = moment(junction, s, pair).xreplace({sp.I: iota})
        yield _drop_zero_sums(linear.xreplace({iota: 0}))
        yield _drop_zero_sums(sp.diff(linear, iota))


@pytest.mark.parametrize(
    ("model", "s", "pairs"),
    [
        ("three-level", 1, [((1, 2), (1, 2)), ((1, 2), (2, 3)), ((1, 1), (2, 2))]),
        ("spin-boson", 3, [None]),
        ("harmonic", 3, [None]),
        pytest.param("three-level", 3, [((1, 2), (1, 2))], marks=pytest.mark.slow),
    ],
)
def test_emitted_chunks_are_the_terms_of_the_expansion(model, s, pairs):
    """Issue 13: the terms the evaluator chunks are those of expand, found by distributing."""
    from heatbounds.numeric.emitted_moments import _expanded_terms

    for body in _moment_bodies(builtin_model(model), s, pairs):
        assert _expanded_terms(body) == sp.Add.make_args(sp.expand(body))
