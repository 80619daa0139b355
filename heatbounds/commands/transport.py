"""``heatbounds transport MODEL``: the exact steady-state heat current by the HEOM, with its bounds.

::

    heatbounds transport MODEL --t-left TL --t-right TR --alpha-l A --alpha-r A
        --omega-c W [--set NAME=VALUE ...] [--tolerance E] [--time-limit SECONDS]
        [--no-cache] [--json]

Reduced units hbar = k_B = 1: temperatures, omega_c and the model's
parameters in one unit (the model scale, e.g. omega0 or Delta). Prints the
heat current J_Q into the right bath (QuTiP's HEOM, refined until one more
level, exponent pair and boson-level step change it and the bound by less than
``--tolerance`` of the bound) with its error estimate, the Eq. 9 bound on
|J_Q| evaluated through the model's emitted module with the HEOM expectation
values, the ballistic bound Eq. 2, the expectation values, and the hierarchy
used. Finished points are cached on disk (``HEATBOUNDS_CACHE_DIR``, default
``~/.cache/heatbounds``) keyed by every parameter, so a repeated point is
instant; ``--no-cache`` neither reads nor writes. Needs ``heatbounds[exact]``.
"""

from __future__ import annotations

import argparse
import json
import sys

from heatbounds.commands._limits import limited, time_limit_seconds
from heatbounds.commands._options import (
    MODEL_HELP,
    number,
    parameter_settings,
    positive_number,
)
from heatbounds.commands._progress import StepLines

__all__ = ["CACHE_VERSION", "handler", "register"]

CACHE_VERSION = 1
DEFAULT_TIME_LIMIT = 1800.0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``transport`` parser."""
    parser = subparsers.add_parser(
        "transport",
        help="exact heat current by the HEOM, with the Eq. 9 and Eq. 2 bounds",
        description="Exact steady-state heat current J_Q into the right bath by the "
        "hierarchical equations of motion (QuTiP), converged by the code, with the Eq. 9 "
        "bound evaluated through the model's emitted module and the ballistic bound Eq. 2. "
        "Reduced units hbar = k_B = 1.",
    )
    parser.add_argument("model", metavar="MODEL", help=MODEL_HELP)
    parser.add_argument("--t-left", required=True, metavar="TL", help="left bath temperature > 0")
    parser.add_argument("--t-right", required=True, metavar="TR", help="right bath temperature > 0")
    parser.add_argument("--alpha-l", required=True, metavar="A", help="left coupling alpha_L >= 0")
    parser.add_argument("--alpha-r", required=True, metavar="A", help="right coupling alpha_R >= 0")
    parser.add_argument("--omega-c", required=True, metavar="W", help="bath cutoff omega_c > 0")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a model parameter (repeatable); the others take the defaults of "
        "'heatbounds check' (reduced units)",
    )
    parser.add_argument(
        "--tolerance",
        default="1e-2",
        metavar="E",
        help="largest change under one more refinement, relative to the bound (default 0.01)",
    )
    parser.add_argument(
        "--time-limit",
        default=f"{DEFAULT_TIME_LIMIT:g}",
        metavar="SECONDS",
        help=f"wall-clock limit (default {DEFAULT_TIME_LIMIT:g} s); past it, exit status 2",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="neither read nor write the cache of points"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.set_defaults(handler=handler)


def _values(args: argparse.Namespace, junction) -> dict:
    from heatbounds.numeric.check_defaults import check_values, default_values

    values = default_values(junction, units="reduced")
    values.update(parameter_settings(args.set, values))
    values["alpha_L"] = number("--alpha-l", args.alpha_l)
    values["alpha_R"] = number("--alpha-r", args.alpha_r)
    values["omega_c"] = positive_number("--omega-c", args.omega_c)
    check_values(junction, values, label="--set {name}")
    return values


def _cache_parameters(args, junction, values, t_left, t_right, tolerance) -> dict:
    origin = getattr(junction, "origin", None)
    return {
        "model": junction.name,
        "model_sha256": None if origin is None else origin.sha256,
        "values": {k: float(v) for k, v in sorted(values.items())},
        "t_left": t_left,
        "t_right": t_right,
        "tolerance": tolerance,
    }


def handler(args: argparse.Namespace) -> int:
    """Compute (or read from the cache) one transport point and print it."""
    from heatbounds.model_files import load_bosonic_model
    from heatbounds.numeric.disk_cache import JsonCache
    from heatbounds.numeric.heom_transport import exact_transport

    t_left = positive_number("--t-left", args.t_left)
    t_right = positive_number("--t-right", args.t_right)
    tolerance = positive_number("--tolerance", args.tolerance)
    seconds = time_limit_seconds(args)
    junction = load_bosonic_model(args.model, "transport")
    values = _values(args, junction)
    params = _cache_parameters(args, junction, values, t_left, t_right, tolerance)
    cache = JsonCache("transport", CACHE_VERSION)
    record = None if args.no_cache else cache.load(params)
    if record is None:
        steps = StepLines(sys.stderr) if sys.stderr.isatty() else None
        what = f"the HEOM transport of {junction.name}"
        try:
            with limited(seconds, what, tick=False):
                result = exact_transport(
                    junction,
                    values,
                    t_left=t_left,
                    t_right=t_right,
                    tolerance=tolerance,
                    progress=steps,
                )
        except BaseException:
            if steps is not None:
                steps.abandon()
            raise
        if steps is not None:
            steps.close()
        record = {"result": result.as_json()}
        if not args.no_cache:
            cache.store(params, record)
    data = {**record["result"], "units": "reduced: hbar = k_B = 1", "parameters": values}
    if args.json:
        print(json.dumps(data, indent=2))
    else:
        print(_text(data))
    if not data["converged"]:
        print(
            "heatbounds transport: warning: not converged to the tolerance (see heom.refinements)",
            file=sys.stderr,
        )
    return 0


def _text(d: dict) -> str:
    heom = d["heom"]
    lines = [
        f"model: {d['model']}  T_L = {d['t_left']:g}, T_R = {d['t_right']:g} "
        "(reduced units hbar = k_B = 1)",
        f"heat current into the right bath  J_Q = {d['current']:.8g} +- {d['current_error']:.2g}",
        f"Eq. 9 bound   |J_Q| <= {d['current_bound']:.8g} +- {d['current_bound_error']:.2g}",
        f"Eq. 2 bound   |J_Q| <= {d['ballistic_bound']:.8g}",
        "expectation values: "
        + ", ".join(f"{k} = {v:.8g}" for k, v in sorted(d["expectations"].items())),
        f"HEOM: depth {heom['depth']}, {heom['exponents_per_bath']} exponents per bath, "
        f"{heom['baths']} bath(s), {heom['ados']} ADOs, {heom['boson_levels']} boson levels, "
        f"bath fit error {heom['fit_error']:.1e}",
        "converged" if d["converged"] else "NOT converged",
    ]
    return "\n".join(lines)
