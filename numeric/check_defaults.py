"""Default parameter values of ``heatbounds check`` in reduced and SI units.

Light at import (no NumPy, SciPy or SymPy at module level), so that the
command line can show these defaults in ``heatbounds check --help`` without
loading the numeric stack.

>>> USER_POSITIVE, USER_OTHER
(1.0, 0.1)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from heatbounds.numeric.errors import NumericInputError

if TYPE_CHECKING:
    from heatbounds.symbolic.junction import Junction

__all__ = ["SCALE_SI", "USER_OTHER", "USER_POSITIVE", "default_values", "si_factor"]

SCALE_SI = 1.0e12  # rad/s: the model frequency scale used for --units si defaults
USER_POSITIVE = 1.0  # default of a model file's parameter declared positive (model scales)
USER_OTHER = 0.1  # ... declared real or non-negative


def si_factor(dimension) -> float:
    """Reduced -> SI factor of a quantity of dimension J^a s^b ((a, b)): the energy
    unit is hbar * SCALE_SI and the time unit 1 / SCALE_SI."""
    from scipy import constants

    a, b = (float(x) for x in dimension)
    return (constants.hbar * SCALE_SI) ** a * SCALE_SI ** (-b)


def default_values(junction: Junction, *, units: str = "reduced") -> dict:
    """Documented default parameter values for ``heatbounds check`` (reduced units:
    hbar = k_B = 1 and the model scale omega0 or Delta = 1).

    omega0 = Delta = 1, omega_c = 4, alpha_L = alpha_R = 0.05, lam = 0.05,
    level energies E_n = 0, 1, 2.3, 3.1, ...; a model file's own parameters
    USER_POSITIVE = 1 if declared positive, else USER_OTHER = 0.1. With
    ``units="si"`` frequencies are multiplied by 1e12 rad/s and energies by
    hbar * 1e12 rad/s; a model's own parameters are scaled by their dimensions
    read off H_s where those are fixed
    (:func:`~heatbounds.symbolic.dimensions.parameter_dimensions`).
    """
    from heatbounds.symbolic.derivation import derive
    from heatbounds.symbolic.dimensions import parameter_dimensions

    names = set(derive(junction).parameters) | set(junction.parameters)
    symbols = junction.parameter_symbols()
    names |= set(junction.dissipation.parameters())
    level_energies = [0.0, 1.0, 2.3, 3.1, 4.4, 5.2, 6.7, 7.5]
    values: dict = {"alpha_L": 0.05, "alpha_R": 0.05, "omega_c": 4.0}
    frequency = {"omega0": 1.0, "Delta": 1.0, "omega_res": 1.5}
    energy = {"lam": 0.05}
    for n in range(1, 9):
        energy[f"E_{n}"] = level_energies[n - 1]
    values.update({k: v for k, v in frequency.items() if k in names})
    values.update({k: v for k, v in energy.items() if k in names})
    if "eta" in names:
        values["eta"] = 1.0
    for name in junction.parameters:  # a model file's own parameters
        if name not in values and name in symbols:
            values[name] = USER_POSITIVE if symbols[name].is_positive else USER_OTHER
    if units == "si":
        from scipy import constants

        hbar, k_b = constants.hbar, constants.k
        dimensions = parameter_dimensions(junction)
        for key in list(values):
            if dimensions.get(key) is not None:
                values[key] *= si_factor(dimensions[key])
            elif key in frequency or key in ("omega_c",):
                values[key] *= SCALE_SI
            elif key in energy:
                values[key] *= hbar * SCALE_SI
            elif key == "eta":
                values[key] /= SCALE_SI**2
        values.update({"hbar": hbar, "k_B": k_b})
    elif units != "reduced":
        raise NumericInputError(f"units must be 'reduced' or 'si', got {units!r}")
    return values
