"""Exception classes of heatbounds.

Every refusal the package makes raises one of these, so that callers (and the
command line) can tell a refused model or argument from a bug. Each message
names what was wrong, where, and -- for physics conditions -- the equation of
Taylor & Segal whose hypothesis is violated.
"""

from __future__ import annotations

__all__ = [
    "BoundConditionError",
    "HeatboundsError",
    "IndexMismatchError",
    "ModelError",
    "ModelFileError",
    "MomentOrderError",
    "OperatorAlgebraError",
    "OutputFileError",
    "TimeLimitError",
]


class HeatboundsError(ValueError):
    """Base class of every error raised on purpose by heatbounds."""


class OperatorAlgebraError(HeatboundsError):
    """An operator of unknown kind, or an operation the algebra cannot do."""


class IndexMismatchError(HeatboundsError):
    """Symbolic indices that do not fit together (wrong type or range)."""


class ModelError(HeatboundsError):
    """A junction model that is malformed (missing parts, wrong shapes)."""


class ModelFileError(ModelError):
    """A model file that is refused: the message names the file, field and column."""


class BoundConditionError(HeatboundsError):
    """A hypothesis of the sum-rule bounds (Eq. 5, 9, 10) fails for the model."""


class MomentOrderError(HeatboundsError):
    """A moment order with no commutator sum rule (even or non-positive s)."""


class OutputFileError(HeatboundsError):
    """An output file that cannot be written (``emit -o``, ``latex -o``, ``figures --out``).

    The message names the path as the user gave it -- never the temporary
    file it would have been written through -- and why: a directory, a
    missing parent directory, or a place that cannot be written. Nothing is
    left behind.
    """


class TimeLimitError(HeatboundsError):
    """Work that did not finish within its time limit (names the limit and the option)."""
