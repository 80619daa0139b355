"""heatbounds: quantum sum-rule bounds on heat transport through nanojunctions.

The package implements E. Taylor and D. Segal, "Quantum bounds on heat
transport through nanojunctions": from a junction model (Eq. 3) it derives the
exact moment sum rules (Eq. 7, 12, 25), the current and conductance bounds
(Eq. 9, 10, 15, 17, 18), writes them as LaTeX and numeric modules, and checks
them numerically.

Wings: :mod:`heatbounds.symbolic` (operator algebra, models, sum rules),
:mod:`heatbounds.codegen` (LaTeX and emitted modules), :mod:`heatbounds.numeric`
(spectral cross-checks, exact references, QMC).
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from heatbounds.symbolic.errors import (
    BoundConditionError,
    HeatboundsError,
    IndexMismatchError,
    ModelError,
    MomentOrderError,
    OperatorAlgebraError,
)

try:
    __version__ = version("heatbounds")
except PackageNotFoundError:  # pragma: no cover - running from an uninstalled tree
    __version__ = "0+unknown"

__all__ = [
    "BoundConditionError",
    "HeatboundsError",
    "IndexMismatchError",
    "ModelError",
    "MomentOrderError",
    "OperatorAlgebraError",
    "__version__",
]
