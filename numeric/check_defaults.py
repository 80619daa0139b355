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

__all__ = [
    "SCALE_SI",
    "USER_OTHER",
    "USER_POSITIVE",
    "check_values",
    "default_values",
    "domain_of",
    "parameter_domains",
    "si_factor",
]

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


def parameter_domains(junction: Junction) -> dict:
    """name -> "positive", "nonnegative" or "real": the domain of each parameter.

    Read off the assumptions of the symbols in H_s, the coupling operators
    (:meth:`~heatbounds.symbolic.junction.Junction.parameter_symbols`: a model
    file's own parameters as declared) and the dissipation (omega_c, omega_res,
    eta), and for any other name those of the built-in parameter
    (:func:`~heatbounds.symbolic.parameters.symbol`: omega0, Delta, omega_c,
    omega_res, eta, hbar, k_B positive; alpha_L, alpha_R non-negative; lam and
    the level energies E_n real).

    Parameters
    ----------
    junction:
        The model.

    Returns
    -------
    dict
        Domains by parameter name (names of H_s, A_n and Jtilde; others are
        looked up by :func:`domain_of`).
    """
    symbols = dict(junction.parameter_symbols())
    for symbol in junction.dissipation.spectral_function().free_symbols:
        if symbol.name != "omega":  # the frequency variable of Jtilde(omega)
            symbols.setdefault(symbol.name, symbol)
    return {name: _kind(symbol) for name, symbol in symbols.items()}


def _kind(symbol) -> str:
    if symbol.is_positive:
        return "positive"
    if symbol.is_nonnegative:
        return "nonnegative"
    return "real"


def domain_of(name: str, domains: dict) -> str:
    """The domain of ``name``: from ``domains``, else that of the built-in parameter."""
    if name in domains:
        return domains[name]
    from heatbounds.symbolic.parameters import symbol

    return _kind(symbol(name))


_RULES = {
    "positive": (lambda x: x > 0, "must be > 0"),
    "nonnegative": (lambda x: x >= 0, "must be >= 0"),
    "real": (lambda x: True, "must be a finite real number"),
}


def check_values(junction: Junction, values: dict, *, label: str = "parameter {name}") -> None:
    """Refuse any parameter value outside its domain, before any computation.

    Every value must be a finite real number; one declared positive must be
    > 0, one non-negative >= 0 (:func:`parameter_domains`), and the couplings
    must not both vanish (alpha = alpha_L + alpha_R > 0: gamma = 4 alpha_L
    alpha_R / alpha^2 and the bath are undefined otherwise).

    Parameters
    ----------
    junction:
        The model whose parameters these are.
    values:
        Values by name (``M``, the number of bath modes, is not checked here).
    label:
        How a parameter is named in the message; ``"--set {name}"`` on the
        command line.

    Raises
    ------
    NumericInputError
        E.g. "--set Delta: must be > 0 (Delta is a positive parameter), got -1".
    """
    import math

    domains = parameter_domains(junction)
    numbers = {}
    for name, value in values.items():
        if name == "M":
            continue
        where = label.format(name=name)
        try:
            if getattr(value, "imag", 0) != 0:
                raise TypeError
            number = float(getattr(value, "real", value))
        except (TypeError, ValueError):
            raise NumericInputError(f"{where}: must be a real number, got {value!r}") from None
        if not math.isfinite(number):
            raise NumericInputError(f"{where}: must be finite, got {number!r}")
        kind = domain_of(name, domains)
        accept, rule = _RULES[kind]
        if not accept(number):
            raise NumericInputError(
                f"{where}: {rule} ({name} is a {kind} parameter), got {number:g}"
            )
        numbers[name] = number
    if (
        "alpha_L" in numbers
        and "alpha_R" in numbers
        and numbers["alpha_L"] + numbers["alpha_R"] <= 0
    ):
        both = ", ".join(label.format(name=n) for n in ("alpha_L", "alpha_R"))
        raise NumericInputError(
            f"{both}: alpha_L + alpha_R must be > 0 (each >= 0, not both 0), got "
            f"{numbers['alpha_L']:g} + {numbers['alpha_R']:g}"
        )
