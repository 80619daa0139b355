"""Memory limits of the spectral cross-check (numeric/check_limits.py): the Hilbert-space
dimension in Python integers and the refusal before any large allocation."""

from __future__ import annotations

import pytest

from heatbounds.numeric import check_limits
from heatbounds.numeric.check_defaults import default_values
from heatbounds.numeric.check_limits import (
    BYTES_COMPLEX,
    SPECTRAL_ARRAYS,
    available_memory,
    format_count,
    hilbert_dimension,
    spectral_check_bytes,
)
from heatbounds.numeric.errors import NumericInputError
from heatbounds.numeric.matrices import MatrixJunction
from heatbounds.numeric.spectral_check import spectral_check
from heatbounds.symbolic.models import builtin_model

GIB = 2**30


def test_the_dimension_is_an_exact_python_int():
    assert hilbert_dimension([24], bath_modes=50, bath_levels=10) == 24 * 10**100
    assert hilbert_dimension([2, 3], bath_modes=0, bath_levels=10) == 6
    assert format_count(24 * 10**100) == "2.40e+101"
    assert format_count(4800) == "4800"
    assert format_count(10**5000) == "1.00e+5000"  # past float and int-to-str limits


def test_the_estimate_counts_dense_complex_arrays_and_the_convergence_run():
    # SPECTRAL_ARRAYS per model, and the first model's eigenvectors and rho
    # (2 D^2) kept during the run at 8 more boson levels.
    assert spectral_check_bytes(100) == BYTES_COMPLEX * SPECTRAL_ARRAYS * 100**2
    assert spectral_check_bytes(100, bigger_dimension=200) == BYTES_COMPLEX * (
        2 * 100**2 + SPECTRAL_ARRAYS * 200**2
    )


def test_available_memory_is_read():
    memory = available_memory()
    assert memory is None or memory > 0


def test_a_model_too_large_for_the_memory_is_refused_before_allocating():
    junction = builtin_model("harmonic")
    values = default_values(junction)
    with pytest.raises(NumericInputError) as info:
        spectral_check(junction, values, boson_levels=100_000)
    message = str(info.value)
    assert message.startswith("--boson-levels 100000, --bath-modes 0, --bath-levels 10: ")
    assert "dimension 100000;" in message and "GiB, more than the" in message
    assert "lower --boson-levels, --bath-modes or --bath-levels" in message
    with pytest.raises(NumericInputError, match=r"dimension 2\.40e\+101; .* 1\.\d\de\+196 GiB"):
        spectral_check(junction, values, bath_modes=50)


def test_memory_limit_overrides_the_memory_available(monkeypatch):
    junction = builtin_model("spin-boson")
    values = default_values(junction)
    needed = spectral_check_bytes(200)  # spin x 10 x 10 bath levels, no convergence run
    with pytest.raises(NumericInputError, match=r"dimension 200; .* need 0\.00536 GiB, more than"):
        spectral_check(junction, values, bath_modes=1, memory_limit=needed - 1)
    assert spectral_check(junction, values, bath_modes=1, memory_limit=needed).passed
    # Without memory_limit the memory available is read (here: pretended to be small).
    monkeypatch.setattr(check_limits, "available_memory", lambda: 3 * GIB // 2)
    with pytest.raises(NumericInputError, match=r"than the 1\.5 GiB of memory available"):
        spectral_check(junction, values, bath_modes=3)


def test_astronomical_sizes_are_refused_from_their_logarithm():
    junction = builtin_model("spin-boson")
    values = default_values(junction)
    with pytest.raises(NumericInputError, match=r"about 10\^2000000000; .* at least 10\^"):
        spectral_check(junction, values, bath_modes=10**9)


def test_matrix_junction_refuses_a_dense_hamiltonian_that_does_not_fit():
    junction = builtin_model("harmonic")
    with pytest.raises(NumericInputError, match="the dense Hamiltonian's arrays need"):
        MatrixJunction(junction, default_values(junction), boson_levels=10, bath_modes=50)
    small = MatrixJunction(junction, default_values(junction), boson_levels=10, memory_limit=10**6)
    assert small.dimension == 10
    with pytest.raises(NumericInputError, match="dimension 1000"):
        MatrixJunction(junction, default_values(junction), boson_levels=1000, memory_limit=10**6)
