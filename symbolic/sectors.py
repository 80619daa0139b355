"""Import shim: the operator families moved to :mod:`heatbounds.symbolic.families`.

``RULES`` is :data:`~heatbounds.symbolic.families.FAMILIES` (key -> family
object) and ``BATH_FAMILY`` the bath's sector name; new code imports from
:mod:`heatbounds.symbolic.families`.
"""

from __future__ import annotations

from heatbounds.symbolic.families import BATH_NAME as BATH_FAMILY
from heatbounds.symbolic.families import FAMILIES as RULES
from heatbounds.symbolic.families import Sector

__all__ = ["BATH_FAMILY", "RULES", "Sector"]
