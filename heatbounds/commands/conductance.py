"""``heatbounds conductance MODEL``: exact thermal conductance kappa(T) with its bounds.

Only the harmonic junction (Eq. 13-15) is supported for now::

    heatbounds conductance harmonic --temperature 0.1,1,10 --alpha-l 0.4 --alpha-r 0.4 \\
        --omega-c 10 [--omega0 1] [--chi exact|paper] [--json]

Reduced units hbar = k_B = 1: temperatures and frequencies in one unit (that of
omega0), kappa in that unit. Prints kappa (Eq. 10, left side, from Eq. 5), the
sum-rule bound pi alpha gamma omega0 / 4 (Eq. 10/15) and kappa_Q = pi T / 6.
Numbers given on the command line are parsed with float() only (never
evaluated) and refused, naming the option, when outside their domain.
"""

from __future__ import annotations

import argparse
import json

from heatbounds.commands._options import number, positive_list, positive_number
from heatbounds.numeric.errors import NumericInputError
from heatbounds.symbolic.errors import ModelError

__all__ = ["handler", "register"]

SUPPORTED_MODELS = ("harmonic",)
# The values of heatbounds.numeric.harmonic_response.ChiForm (a test checks they
# agree); spelled out so that building the parser does not import SciPy.
CHI_FORMS = ("exact", "paper")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``conductance`` parser."""
    parser = subparsers.add_parser(
        "conductance",
        help="exact thermal conductance kappa(T) with the sum-rule bound and kappa_Q",
        description="Exact thermal conductance kappa(T) = dJ_Q/dT_L (Eq. 5, 10) with the "
        "sum-rule bound (Eq. 10/15) and kappa_Q, in reduced units hbar = k_B = 1.",
    )
    parser.add_argument("model", metavar="MODEL", help="junction model (supported: harmonic)")
    parser.add_argument(
        "--temperature", required=True, metavar="T[,T...]", help="temperatures, comma-separated"
    )
    parser.add_argument("--alpha-l", required=True, metavar="A", help="left coupling alpha_L >= 0")
    parser.add_argument("--alpha-r", required=True, metavar="A", help="right coupling alpha_R >= 0")
    parser.add_argument("--omega-c", required=True, metavar="W", help="bath cutoff omega_c > 0")
    parser.add_argument("--omega0", default="1", metavar="W0", help="oscillator frequency (1)")
    parser.add_argument(
        "--chi",
        choices=CHI_FORMS,
        default="exact",
        help="susceptibility: exact (with Kramers-Kronig real part) or paper (Eq. 14 as printed)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(handler=handler)


def _harmonic(args: argparse.Namespace) -> dict:
    import numpy as np

    from heatbounds.numeric.harmonic_transport import (
        exact_conductance,
        quantum_of_thermal_conductance,
        sum_rule_conductance_bound,
    )

    temps = positive_list("--temperature", args.temperature)
    alpha_l = number("--alpha-l", args.alpha_l)
    alpha_r = number("--alpha-r", args.alpha_r)
    for option, value in (("--alpha-l", alpha_l), ("--alpha-r", alpha_r)):
        if value < 0:
            raise NumericInputError(f"{option}: coupling must be >= 0, got {value}")
    if alpha_l + alpha_r <= 0:
        raise NumericInputError("--alpha-l, --alpha-r: at least one coupling must be > 0")
    omega_c = positive_number("--omega-c", args.omega_c)
    omega0 = positive_number("--omega0", args.omega0)
    model = {"alpha_L": alpha_l, "alpha_R": alpha_r, "omega_c": omega_c, "omega0": omega0}
    est = exact_conductance(temps, **model, form=args.chi, with_error=True)
    bound = sum_rule_conductance_bound(alpha_L=alpha_l, alpha_R=alpha_r, omega0=omega0)
    alpha = alpha_l + alpha_r
    return {
        "model": "harmonic",
        "chi": args.chi,
        "units": "reduced: hbar = k_B = 1; T, omega in the unit of omega0; kappa in that unit",
        "parameters": {
            **model,
            "alpha": alpha,
            "gamma": 4.0 * alpha_l * alpha_r / alpha**2,
        },
        "temperature": temps.tolist(),
        "kappa": np.asarray(est.value).tolist(),
        "kappa_error": np.asarray(est.error).tolist(),
        "sum_rule_bound": [bound] * temps.size,
        "kappa_Q": np.asarray(quantum_of_thermal_conductance(temps)).tolist(),
    }


def _table(result: dict) -> str:
    p = result["parameters"]
    lines = [
        f"harmonic junction, chi = {result['chi']}: alpha_L = {p['alpha_L']:g}, "
        f"alpha_R = {p['alpha_R']:g}, omega_c = {p['omega_c']:g}, omega0 = {p['omega0']:g}",
        "reduced units hbar = k_B = 1; sum-rule bound = pi alpha gamma omega0 / 4 (Eq. 10/15), "
        "kappa_Q = pi T / 6",
        f"{'T':>12}  {'kappa':>14}  {'sum_rule_bound':>14}  {'kappa_Q':>14}  "
        f"{'kappa/bound':>11}  {'kappa/kappa_Q':>13}",
    ]
    for t, k, b, q in zip(
        result["temperature"],
        result["kappa"],
        result["sum_rule_bound"],
        result["kappa_Q"],
        strict=True,
    ):
        lines.append(
            f"{t:>12.6g}  {k:>14.8e}  {b:>14.8e}  {q:>14.8e}  {k / b:>11.6f}  {k / q:>13.6f}"
        )
    return "\n".join(lines)


def handler(args: argparse.Namespace) -> int:
    """Compute and print; unsupported models raise ModelError (exit 2 from the CLI)."""
    if args.model not in SUPPORTED_MODELS:
        raise ModelError(
            f"model {args.model!r} is not supported by conductance "
            f"(supported: {', '.join(SUPPORTED_MODELS)})"
        )
    result = _harmonic(args)
    print(json.dumps(result, indent=2) if args.json else _table(result))
    return 0
