"""The import shim symbolic/sectors.py: the old names are the family table's."""

from __future__ import annotations

from heatbounds.symbolic import sectors
from heatbounds.symbolic.families import BATH_NAME, FAMILIES, Sector


def test_shim_reexports_the_family_table():
    assert sectors.RULES is FAMILIES
    assert sectors.BATH_FAMILY == BATH_NAME == "b"
    assert sectors.Sector is Sector
    assert sectors.RULES["levels"].rank == 0
