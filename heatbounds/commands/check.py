"""``heatbounds check MODEL``: the spectral cross-check of the sum rules (issue 4).

Builds the model as matrices (bosons truncated, optional discretised bath
modes), takes a stationary state, and compares every requested odd moment of
Im chi (Eq. 24) with the derived sum rule evaluated in that state. Exit status
1 where a residual exceeds the tolerance or the state touches a boson cutoff.
"""

from __future__ import annotations

import argparse
import json
import sys

from heatbounds.commands._limits import add_time_limit, limited, time_limit_seconds
from heatbounds.commands._options import MODEL_HELP, parameter_settings, positive_number
from heatbounds.commands._progress import StepLines
from heatbounds.numeric.check_defaults import (
    SCALE_SI,
    USER_OTHER,
    USER_POSITIVE,
    check_values,
)
from heatbounds.numeric.errors import NumericInputError


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "check",
        help="check the sum rules against the spectral representation (Eq. 24, 25)",
        description="Build the model as matrices (system bosons truncated, optional "
        "discretised bath modes), take its thermal state, and compare every requested odd "
        "moment of Im chi from its spectral lines (Eq. 24) with the derived sum rule "
        "evaluated through the emitted module in the same state (Eq. 7, 25). Reports "
        "absolute and relative residuals; exit status 1 where one exceeds the tolerance.",
    )
    parser.add_argument("model", metavar="MODEL", help=MODEL_HELP)
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a parameter value (repeatable), refused outside its domain. Defaults (reduced "
        "units): omega0 = Delta = 1, omega_c = 4, alpha_L = alpha_R = 0.05, lam = 0.05, "
        "omega_res = 1.5, eta = 1, E_n = 0, 1, 2.3, 3.1, ...; a model file's own parameters "
        f"{USER_POSITIVE:g} if declared positive, else {USER_OTHER:g} (with --units si "
        "scaled by their dimensions read off H_s)",
    )
    parser.add_argument(
        "--temperature",
        default="0.5",
        metavar="T",
        help="temperature of the thermal state, in model scales (default 0.5)",
    )
    parser.add_argument(
        "--boson-levels",
        type=int,
        default=24,
        metavar="N",
        help="levels kept per system boson (default 24); a state with weight near the "
        "cutoff fails the check",
    )
    parser.add_argument(
        "--bath-modes",
        type=int,
        default=0,
        metavar="M",
        help="discretised modes per bath, each a truncated oscillator (default 0: no bath)",
    )
    parser.add_argument(
        "--bath-levels",
        type=int,
        default=10,
        metavar="L",
        help="levels kept per bath mode (default 10)",
    )
    parser.add_argument(
        "--moments",
        default=None,
        metavar="S[,S...]",
        help="odd moment orders to compare, comma-separated (default 1,3); for a fermionic "
        "model the spectral moment orders k >= 0 (default 0,1,2,3)",
    )
    parser.add_argument(
        "--lead-modes",
        type=int,
        default=2,
        metavar="M",
        help="fermionic models: discretised modes per lead (default 2)",
    )
    parser.add_argument(
        "--tolerance",
        default="1e-10",
        metavar="TOL",
        help="largest residual allowed, relative to the moment's scale (default 1e-10)",
    )
    parser.add_argument(
        "--units",
        choices=("reduced", "si"),
        default="reduced",
        help="reduced (hbar = k_B = 1, the default) or si (K, rad/s, J; scale 1e12 rad/s)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    add_time_limit(parser, "the check")
    parser.set_defaults(handler=handler)


def _moments(text: str) -> tuple[int, ...]:
    out = []
    for item in text.split(","):
        item = item.strip()
        if not item.isdigit() or int(item) % 2 == 0:
            raise NumericInputError(f"--moments: {item!r} is not an odd integer >= 1")
        out.append(int(item))
    return tuple(out)


def handler(args: argparse.Namespace) -> int:
    from heatbounds.model_files import load_model
    from heatbounds.numeric.spectral_check import default_values, spectral_check

    junction = load_model(args.model)
    if junction.statistics == "fermion":
        from heatbounds.commands._fermion_check import fermion_handler

        return fermion_handler(args, junction, _text)
    values = default_values(junction, units=args.units)
    values.update(parameter_settings(args.set, values))
    check_values(junction, values, label="--set {name}")  # before any computation
    temperature = positive_number("--temperature", args.temperature)
    if args.units == "si":
        temperature *= values["hbar"] * SCALE_SI / values["k_B"]
    for option, value in (
        ("--boson-levels", args.boson_levels),
        ("--bath-levels", args.bath_levels),
    ):
        if value < 2:
            raise NumericInputError(f"{option}: must be >= 2, got {value}")
    if args.bath_modes < 0:
        raise NumericInputError(f"--bath-modes: must be >= 0, got {args.bath_modes}")
    moments = _moments(args.moments or "1,3")
    tolerance = positive_number("--tolerance", args.tolerance)
    seconds = time_limit_seconds(args)
    # Step lines on a terminal only: pipes, files and the tests see clean output.
    steps = StepLines(sys.stderr) if sys.stderr.isatty() else None
    try:
        with limited(seconds, f"checking {junction.name}", tick=False):
            report = spectral_check(
                junction,
                values,
                temperature=temperature,
                moments=moments,
                boson_levels=args.boson_levels,
                bath_modes=args.bath_modes,
                bath_levels=args.bath_levels,
                level_sizes=junction.level_sizes or None,
                tolerance=tolerance,
                progress=steps,
            )
            data = report.as_json()
            data["units"] = args.units
            data["parameters"] = values
            extra = None
            if args.model == "harmonic":
                if steps is not None:
                    steps("comparing the continuum f-sum of the harmonic responses")
                extra = _harmonic_continuum(args.model, values)
    except BaseException:
        if steps is not None:
            steps.abandon()
        raise
    if steps is not None:
        steps.close()
    if extra is not None:
        data["continuum_f_sum"] = extra
    if args.json:
        print(json.dumps(data, indent=2))
    else:
        print(_text(data))
    return 0 if report.passed else 1


def _harmonic_continuum(model: str, values: dict):
    """Eq. 14 as printed vs the exact response: which meets m = omega0 (continuum bath)."""
    if model != "harmonic" or ("hbar" in values and values["hbar"] != 1.0):
        return None
    from heatbounds.numeric.harmonic_response import harmonic_fsum_report

    out = []
    for a_l, a_r, w_c in ((0.4, 0.4, 10.0), (0.025, 0.025, 10.0), (0.1, 0.1, 10.0)):
        report = harmonic_fsum_report(a_l, a_r, w_c, omega0=1.0)
        out.append(
            {
                "alpha": a_l + a_r,
                "omega_c": w_c,
                **{
                    form: {
                        "moment": r.moment,
                        "residual": r.residual,
                        "relative_residual": r.relative_residual,
                    }
                    for form, r in report.items()
                },
            }
        )
    return out


def _text(data: dict) -> str:
    lines = [
        f"model: {data['model']}  state: {data['state']}",
        f"{'s':>2} {'pair':>10} {'symbolic':>24} {'spectral':>24} {'|error|':>10} {'relative':>10}",
    ]
    for row in data["rows"]:
        sym, spe = row["symbolic"], row["spectral"]
        lines.append(
            f"{row['moment']:>2} {row['pair']:>10} {sym!s:>24.24} {spe!s:>24.24} "
            f"{row['abs_error']:>10.2e} {row['rel_error']:>10.2e}"
        )
    lines.append(
        f"max |error| = {data['max_abs_error']:.3e}, max relative error = "
        f"{data['max_rel_error']:.3e} (tolerance {data['tolerance']:g} relative, to the "
        f"largest |spectral| of each order s); weight near a boson cutoff "
        f"{data['cutoff_weight']:.1e}"
    )
    lines += [f"note: {n}" for n in data["notes"]]
    for entry in data.get("continuum_f_sum", []):
        lines.append(
            f"continuum f-sum, alpha = {entry['alpha']:g}, omega_c = {entry['omega_c']:g}: "
            f"exact chi m = {entry['exact']['moment']:.12f} (residual "
            f"{entry['exact']['residual']:.1e}); Eq. 14 as printed m = "
            f"{entry['paper']['moment']:.6f} (misses omega0 by "
            f"{100 * entry['paper']['relative_residual']:.2f} %)"
        )
    lines.append("PASSED" if data["passed"] else "FAILED")
    return "\n".join(lines)
