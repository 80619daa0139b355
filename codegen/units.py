"""Unit systems of the emitted modules: reduced (hbar = k_B = 1) and SI.

Units (docs, "Conventions and units"): generated modules choose their units
at generation time. In reduced units hbar and k_B are set to 1 (they are not
parameters); in SI they are embedded as float literals of the
``scipy.constants`` values, so the emitted module needs no SciPy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import scipy.constants
from sympy import Expr, Integer

from heatbounds.codegen.numpy_printer import float_literal
from heatbounds.symbolic.dimensions import ENERGY, FREQUENCY, Dimension, dimension_text
from heatbounds.symbolic.parameters import MEANINGS, hbar, k_B

__all__ = ["UNIT_SYSTEMS", "UnitSystem", "argument_unit", "output_unit", "strip_unit"]

_CODATA = getattr(scipy.constants._codata, "_current_codata", "CODATA")


@dataclass(frozen=True)
class UnitSystem:
    """How one unit system turns the SymPy results into numbers."""

    key: str
    title: str
    description: str
    substitutions: dict = field(default_factory=dict)
    names: dict = field(default_factory=dict)  # symbol name -> module constant
    constants: tuple = ()  # (name, literal, comment)

    def apply(self, expr: Expr) -> Expr:
        """The expression in these units.

        hbar and k_B are plain symbols replaced by numbers, so the structural
        ``xreplace`` equals ``subs`` (tests/codegen/test_term_order.py checks it) at a
        fraction of the cost on long sum rules.
        """
        return expr.xreplace(self.substitutions) if self.substitutions else expr


UNIT_SYSTEMS: dict[str, UnitSystem] = {
    "reduced": UnitSystem(
        key="reduced",
        title="reduced units, hbar = k_B = 1",
        description=(
            "Reduced units: hbar = k_B = 1, so temperatures (k_B T), frequencies "
            "(hbar omega) and energies share one unit, e.g. that of the model scale "
            "Delta or omega0."
        ),
        substitutions={hbar: Integer(1), k_B: Integer(1)},
    ),
    "si": UnitSystem(
        key="si",
        title="SI units",
        description=(
            "SI units: temperatures in K, frequencies in rad/s, energies in J, "
            "currents in W, conductances in W/K; hbar and k_B are the scipy.constants "
            f"values ({_CODATA}) written below as HBAR and K_B."
        ),
        names={"hbar": "HBAR", "k_B": "K_B"},
        constants=(
            ("HBAR", float_literal(scipy.constants.hbar), f"J s, scipy.constants.hbar ({_CODATA})"),
            ("K_B", float_literal(scipy.constants.k), f"J/K, scipy.constants.k ({_CODATA})"),
        ),
    ),
}

_FREQUENCIES = {"Delta", "omega0", "omega_c", "omega_res", "omega_R", "omega_L", "omega"}
_ENERGIES = {"lam", "g_L", "g_R", "energy"}
_SI = {"temperature": "K", "frequency": "rad/s", "energy": "J", "one": "1", "eta": "s^2"}
_REDUCED = {
    "temperature": "k_B T in the energy unit",
    "frequency": "hbar omega in the energy unit",
    "energy": "energy unit",
    "one": "1",
    "eta": "energy unit^-2",
}


def _dimension(name: str, kind: str) -> str:
    if kind == "temperature" or name in ("T", "T_L", "T_R"):
        return "temperature"
    if name in _FREQUENCIES:
        return "frequency"
    if name in _ENERGIES or name.startswith("E_"):
        return "energy"
    if name == "eta":
        return "eta"
    return "one"


def _inferred_unit(dimension: Dimension, units: str) -> str:
    if units == "si":
        return dimension_text(dimension)
    energy, time = dimension
    named = {ENERGY: "energy", FREQUENCY: "frequency", (0, 0): "one"}
    if (energy, time) in named:
        return _REDUCED[named[(energy, time)]]
    return f"energy unit^{energy - time}"  # hbar = 1: a second is an inverse energy


def argument_unit(name: str, kind: str, units: str, dimensions: dict | None = None) -> str:
    """The unit of an argument in ``units`` ("count" for the number of modes).

    ``dimensions`` (from :func:`~heatbounds.symbolic.dimensions.parameter_dimensions`)
    gives the model's own parameters their units, read off H_s; other names
    go by what they are called (``Delta``, ``omega0``: frequencies; ``E_n``:
    energies; expectation values: 1).
    """
    if kind == "count":
        return "count"
    if dimensions and dimensions.get(name) is not None and kind != "temperature":
        return _inferred_unit(dimensions[name], units)
    table = _SI if units == "si" else _REDUCED
    dimension = _dimension(name, kind)
    if dimension == "one" and dimensions and name in dimensions:
        return "unit not fixed by H_s"
    return table[dimension]


def output_unit(function: str, units: str, moment: int = 1) -> str:
    """The unit of a bound function's value."""
    if units != "si":
        return "reduced units"
    return {
        "sum_rule": f"J^-1 s^-{moment + 1}",
        "current_bound": "W",
        "ballistic_bound": "W",
        "conductance_bound": "W/K",
        "quantum_of_conductance": "W/K",
    }.get(function, "SI units")


_UNIT_SUFFIX = (" (K)", " (rad/s)", " (s^2)")


def strip_unit(meaning: str) -> str:
    """A glossary meaning without its trailing unit (units are given separately)."""
    for suffix in _UNIT_SUFFIX:
        if meaning.endswith(suffix):
            return meaning[: -len(suffix)]
    return meaning


def default_meaning(name: str) -> str:
    """The package glossary's meaning of a parameter name, or the name itself."""
    return strip_unit(MEANINGS.get(name, name))
