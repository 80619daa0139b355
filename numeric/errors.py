"""Errors of the numeric wing (bad numeric input), part of the package's hierarchy."""

from __future__ import annotations

from heatbounds.symbolic.errors import HeatboundsError

__all__ = ["MemoryLimitError", "NumericInputError"]


class NumericInputError(HeatboundsError):
    """A numeric argument outside its physical domain (names the argument)."""


class MemoryLimitError(NumericInputError):
    """A calculation refused before it starts: its estimated memory exceeds what the
    machine has (the message says how much it would need)."""
