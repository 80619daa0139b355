"""The shared argument checks: heatbounds.numeric.validation and the CLI's _options."""

from __future__ import annotations

import math

import numpy as np
import pytest

from heatbounds.commands._options import number, positive_list, positive_number
from heatbounds.numeric.errors import NumericInputError
from heatbounds.numeric.validation import (
    finite_array,
    finite_float,
    positive_float,
    scalar_or_array,
    temperatures,
)


def test_finite_float_converts_and_names_the_argument():
    for given in ("2.5", 2.5, np.float64(2.5)):
        got = finite_float("x", given)
        assert got == 2.5 and type(got) is float
    with pytest.raises(NumericInputError, match=r"^x must be a real number, got 'abc'$"):
        finite_float("x", "abc")
    with pytest.raises(NumericInputError, match=r"^x must be finite, got nan$"):
        finite_float("x", math.nan)
    with pytest.raises(NumericInputError, match=r"^x must be finite, got -inf$"):
        finite_float("x", -math.inf)


def test_finite_float_minimum_open_and_closed():
    assert finite_float("a", 0, minimum=0) == 0.0
    with pytest.raises(NumericInputError, match=r"^a must be >= 0, got -0.1$"):
        finite_float("a", -0.1, minimum=0)
    with pytest.raises(NumericInputError, match=r"^a must be > 0, got 0.0$"):
        finite_float("a", 0.0, minimum=0, strictly=True)
    assert finite_float("a", 1e-300, minimum=0, strictly=True) == 1e-300
    with pytest.raises(NumericInputError, match=r"^w must be > 0, got -1.0$"):
        positive_float("w", -1)
    assert positive_float("w", "3") == 3.0


def test_arrays_and_temperatures():
    arr = finite_array("omega", [[1, 2], [3, 4]])
    assert arr.dtype == float and arr.shape == (2, 2)
    assert finite_array("omega", 1.5).shape == ()
    with pytest.raises(NumericInputError, match=r"^omega must be finite$"):
        finite_array("omega", [1.0, math.inf])
    with pytest.raises(NumericInputError, match=r"^omega must be real numbers"):
        finite_array("omega", "abc")
    assert np.array_equal(temperatures("T", [0.5, 2]), [0.5, 2.0])
    with pytest.raises(NumericInputError, match=r"^T must be > 0$"):
        temperatures("T", [1.0, 0.0])
    with pytest.raises(NumericInputError, match=r"^T must be finite$"):
        temperatures("T", math.nan)


def test_scalar_in_scalar_out():
    got = scalar_or_array(np.asarray(2.0) * 3.0)
    assert got == 6.0 and type(got) is float
    assert type(scalar_or_array(np.asarray(1.0 + 2.0j))) is complex
    arr = np.ones(3)
    assert scalar_or_array(arr) is arr
    assert scalar_or_array(np.ones((1,))).shape == (1,)


def test_cli_options_parse_with_float_only():
    assert number("--x", "1e3") == 1000.0
    with pytest.raises(NumericInputError, match=r"^--x: .* is not a number$"):
        number("--x", "__import__('os')")
    with pytest.raises(NumericInputError, match=r"^--x: 'inf' is not finite$"):
        number("--x", "inf")
    assert positive_number("--w", "0.5") == 0.5
    with pytest.raises(NumericInputError, match=r"^--w: must be > 0, got 0$"):
        positive_number("--w", "0")
    assert np.array_equal(positive_list("--t", " 0.1, 1,10"), [0.1, 1.0, 10.0])
    with pytest.raises(NumericInputError, match=r"^--t: empty entry in '1,,2'$"):
        positive_list("--t", "1,,2")
    with pytest.raises(NumericInputError, match=r"^--t: '-2' must be > 0$"):
        positive_list("--t", "1,-2")
    with pytest.raises(NumericInputError, match=r"^--t: 'nan' is not finite$"):
        positive_list("--t", "1,nan")
