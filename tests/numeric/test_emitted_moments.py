"""The symbolic side of the spectral check runs through emitted NumPy modules."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from scipy import constants

from heatbounds.numeric import emitted_moments
from heatbounds.numeric.emitted_moments import EmittedEvaluator
from heatbounds.numeric.errors import NumericInputError
from heatbounds.numeric.matrices import MatrixJunction
from heatbounds.numeric.spectral import eigensystem, thermal_populations
from heatbounds.numeric.spectral_check import (
    default_values,
    evaluate_symbolic,
    expectation_inputs,
    units_of,
)
from heatbounds.symbolic.models import builtin_model
from heatbounds.symbolic.sum_rules import moment


def _state(junction, values, **kwargs):
    mj = MatrixJunction(junction, values, **kwargs)
    energies, vectors = eigensystem(mj.hamiltonian())
    p = thermal_populations(energies, 0.7)
    return mj, (vectors * p) @ vectors.conj().T


def test_complex_moments_match_the_reference_walker_and_the_modules_are_standalone():
    """Matrix-unit couplings E_jl in a state with complex coherences: complex m_{n,n'}."""
    junction = builtin_model("three-level")
    values = default_values(junction)
    mj = MatrixJunction(junction, values, bath_modes=1, bath_levels=3)
    rng = np.random.default_rng(7)
    z = rng.normal(size=(mj.dimension, mj.dimension)) + 1j * rng.normal(size=(mj.dimension,) * 2)
    rho = z @ z.conj().T
    rho /= np.trace(rho).real
    evaluate = EmittedEvaluator("reduced")
    seen_complex = False
    for pair in (((1, 2), (1, 2)), ((1, 2), (2, 3)), ((1, 1), (2, 2))):
        expr = moment(junction, 1, pair)
        inputs = expectation_inputs(expr, mj, rho)
        ours = evaluate(expr, {**mj.values, "M": 1}, mj.functions, inputs)
        ref = evaluate_symbolic(expr, {**mj.values, "M": 1}, mj.functions, inputs)
        assert ours == pytest.approx(ref, rel=1e-13, abs=1e-15)
        seen_complex |= abs(ref.imag) > 1e-3
    assert seen_complex  # the imaginary parts were exercised, not only zeros
    assert evaluate.sources
    for source in evaluate.sources.values():
        assert "Generated, do not edit" in source
        assert "import heatbounds" not in source and "from heatbounds" not in source


def test_long_sum_rules_are_emitted_in_chunks_with_the_same_value(monkeypatch):
    junction = builtin_model("three-level")
    values = default_values(junction)
    mj, rho = _state(junction, values, bath_modes=0)
    expr = moment(junction, 3, ((1, 2), (1, 2))).replace(
        lambda e: isinstance(e, sp.Sum), lambda e: sp.Integer(0)
    )
    inputs = expectation_inputs(expr, mj, rho)
    whole = EmittedEvaluator("reduced")(expr, {**mj.values, "M": 0}, mj.functions, inputs)
    monkeypatch.setattr(emitted_moments, "CHUNK", 3)
    chunked = EmittedEvaluator("reduced")
    value = chunked(expr, {**mj.values, "M": 0}, mj.functions, inputs)
    assert len(chunked.sources) > 2
    assert value == pytest.approx(whole, rel=1e-13)
    assert abs(whole) > 1e-3


def test_si_evaluator_uses_the_si_constants():
    junction = builtin_model("spin-boson")
    values = default_values(junction, units="si")
    assert units_of(values) == "si"
    expr = moment(junction, 1)
    sigma_x = -0.4
    got = EmittedEvaluator("si")(expr, values, {}, {"sigma_x": sigma_x})
    # Eq. 17 in SI: m1 = -Delta <sigma_x> / hbar with Delta in rad/s.
    assert got == pytest.approx(-values["Delta"] * sigma_x / constants.hbar, rel=1e-14)


def test_unit_systems_are_read_off_hbar_and_k_B():
    assert units_of({}) == "reduced"
    assert units_of({"hbar": 1.0, "k_B": 1.0}) == "reduced"
    with pytest.raises(NumericInputError, match=r"hbar = 2\.0"):
        units_of({"hbar": 2.0, "k_B": 1.0})
    with pytest.raises(NumericInputError, match="unknown units"):
        EmittedEvaluator("cgs")


def test_a_missing_value_is_named():
    expr = moment(builtin_model("spin-boson"), 1)
    with pytest.raises(NumericInputError, match="'Delta'"):
        EmittedEvaluator("reduced")(expr, {}, {}, {"sigma_x": np.float64(-0.5)})
