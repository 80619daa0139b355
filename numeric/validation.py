"""Checks of numeric arguments shared by the numeric wing.

Each helper converts its argument (``float`` or a float array), refuses values
outside the domain with :class:`~heatbounds.numeric.errors.NumericInputError`
(a ``ValueError``) whose message starts with the argument's name, and returns
the converted value. :func:`scalar_or_array` implements the wing's
"scalar in, scalar out; array in, array out" contract for results.
"""

from __future__ import annotations

import math
from typing import SupportsFloat

import numpy as np

from heatbounds.numeric.errors import NumericInputError

__all__ = ["finite_array", "finite_float", "positive_float", "scalar_or_array", "temperatures"]


def finite_float(
    name: str, value: SupportsFloat | str, *, minimum: float | None = None, strictly: bool = False
) -> float:
    """``value`` as a finite float, refused (naming ``name``) otherwise.

    With ``minimum``, also refuses ``value < minimum`` (or ``value <= minimum``
    when ``strictly``). Messages: "NAME must be a real number, got ...",
    "NAME must be finite, got ...", "NAME must be >= MIN, got ..." (">" when strict).
    """
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise NumericInputError(f"{name} must be a real number, got {value!r}") from None
    if not math.isfinite(v):
        raise NumericInputError(f"{name} must be finite, got {v}")
    if minimum is not None and (v < minimum or (strictly and v == minimum)):
        raise NumericInputError(f"{name} must be {'>' if strictly else '>='} {minimum:g}, got {v}")
    return v


def positive_float(name: str, value: SupportsFloat | str) -> float:
    """``value`` as a finite float > 0 ("NAME must be > 0, got ..." otherwise)."""
    return finite_float(name, value, minimum=0, strictly=True)


def finite_array(name: str, value: object) -> np.ndarray:
    """``value`` as a float array (any shape, 0-d for a scalar), every entry finite."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise NumericInputError(f"{name} must be real numbers, got {value!r}") from None
    if not np.all(np.isfinite(arr)):
        raise NumericInputError(f"{name} must be finite")
    return arr


def temperatures(name: str, value: object) -> np.ndarray:
    """``value`` as a float array of temperatures, every entry finite and > 0."""
    t = finite_array(name, value)
    if np.any(t <= 0.0):
        raise NumericInputError(f"{name} must be > 0")
    return t


def scalar_or_array(result: object):
    """A 0-d result as a Python scalar (``float``/``complex``), anything else as an array.

    The numeric functions are vectorised over their first argument; a scalar
    argument gives 0-d arithmetic, which this turns back into a scalar.
    """
    arr = np.asarray(result)
    return arr.item() if arr.ndim == 0 else arr
