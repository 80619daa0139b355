"""``heatbounds check`` for a fermionic model: mu^(k) against the spectral lines, leads discretised.

The dot and ``--lead-modes`` modes per lead are Jordan-Wigner matrices
(:mod:`heatbounds.numeric.fermion_check`); the thermal state of the full H at
``--temperature`` is the stationary state. Exit status 1 where a residual
exceeds the tolerance.
"""

from __future__ import annotations

import argparse
import json

from heatbounds.commands._limits import limited, time_limit_seconds
from heatbounds.commands._options import parameter_settings, positive_number
from heatbounds.numeric.errors import NumericInputError


def _orders(text: str) -> tuple[int, ...]:
    out = []
    for item in text.split(","):
        item = item.strip()
        if not item.isdigit():
            raise NumericInputError(f"--moments: {item!r} is not an integer k >= 0")
        out.append(int(item))
    return tuple(out)


def fermion_handler(args: argparse.Namespace, junction, text) -> int:
    from heatbounds.numeric.fermion_check import (
        check_fermion_values,
        fermion_check,
        fermion_default_values,
    )

    if args.units != "reduced":
        raise NumericInputError("--units si: fermionic models are checked in reduced units only")
    if args.bath_modes:
        raise NumericInputError("--bath-modes: a fermionic model has leads; use --lead-modes")
    values = fermion_default_values(junction)
    values.update(parameter_settings(args.set, values))
    check_fermion_values(junction, values, "--set {name}")
    temperature = positive_number("--temperature", args.temperature)
    if args.lead_modes < 1:
        raise NumericInputError(f"--lead-modes: must be >= 1, got {args.lead_modes}")
    moments = _orders(args.moments or "0,1,2,3")
    tolerance = positive_number("--tolerance", args.tolerance)
    seconds = time_limit_seconds(args)
    with limited(seconds, f"checking {junction.name}", tick=False):
        report = fermion_check(
            junction,
            values,
            temperature=temperature,
            moments=moments,
            lead_modes=args.lead_modes,
            tolerance=tolerance,
        )
    data = report.as_json()
    data["units"] = "reduced"
    data["parameters"] = values
    data["statistics"] = "fermion"
    print(json.dumps(data, indent=2) if args.json else text(data))
    return 0 if report.passed else 1
