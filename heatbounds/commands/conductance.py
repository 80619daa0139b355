"""``heatbounds conductance MODEL``: exact thermal conductance kappa(T) with its bounds.

Two junctions::

    heatbounds conductance harmonic --temperature 0.1,1,10 --alpha-l 0.4 --alpha-r 0.4 \\
        --omega-c 10 [--omega0 1] [--chi exact|paper] [--json]
    heatbounds conductance spin-boson --temperature 0.3,1 --alpha-l 0.1 --alpha-r 0.1 \\
        --omega-c 10 [--delta 1] [--tolerance 0.01] [--time-limit SECONDS] [--no-cache] [--json]

Reduced units hbar = k_B = 1: temperatures and frequencies in one unit (that of
omega0, or of Delta), kappa in k_B times that unit. For the harmonic junction
(Eq. 13-15) it prints kappa (Eq. 10, left side, from Eq. 5 with the exact
response), the sum-rule bound pi alpha gamma omega0 / 4 (Eq. 10/15) and
kappa_Q = pi T / 6. For the spin-boson junction (Eq. 16) it prints the exact
kappa from the HEOM susceptibility
(:func:`heatbounds.numeric.heom_susceptibility.spin_boson_conductance`,
refined until converged, with its error estimate), the bound Eq. 18 with the
exact <sigma_x> of the kink QMC, kappa_Q and the Bloch-Redfield kappa; its
finished points are cached on disk (:func:`heatbounds.numeric.figure4.exact_conductance_points`)
and it needs ``heatbounds[exact]``. Numbers given on the command line are
parsed with float() only (never evaluated) and refused, naming the option,
when outside their domain, before any solver starts.
"""

from __future__ import annotations

import argparse
import json
import math
import sys

from heatbounds.commands._limits import limited
from heatbounds.commands._options import number, positive_list, positive_number
from heatbounds.numeric.errors import NumericInputError
from heatbounds.symbolic.errors import ModelError

__all__ = ["handler", "register"]

SUPPORTED_MODELS = ("harmonic", "spin-boson")
# The values of heatbounds.numeric.harmonic_response.ChiForm (a test checks they
# agree); spelled out so that building the parser does not import SciPy.
CHI_FORMS = ("exact", "paper")
# Options of one model only, with their defaults (None on the parser: given or not).
HARMONIC_OPTIONS = {"omega0": "1", "chi": "exact"}
SPIN_BOSON_OPTIONS = {"delta": "1", "tolerance": "1e-2", "time_limit": "1800"}


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``conductance`` parser."""
    parser = subparsers.add_parser(
        "conductance",
        help="exact thermal conductance kappa(T) with the sum-rule bound and kappa_Q",
        description="Exact thermal conductance kappa(T) = dJ_Q/dT_L (Eq. 5, 10) with the "
        "sum-rule bound (harmonic: Eq. 10/15; spin-boson: Eq. 18 with the QMC <sigma_x>) and "
        "kappa_Q, in reduced units hbar = k_B = 1. The spin-boson kappa comes from the HEOM "
        "(needs heatbounds[exact]); its finished temperatures are cached on disk.",
    )
    parser.add_argument(
        "model", metavar="MODEL", help="junction model (supported: harmonic, spin-boson)"
    )
    parser.add_argument(
        "--temperature", required=True, metavar="T[,T...]", help="temperatures, comma-separated"
    )
    parser.add_argument("--alpha-l", required=True, metavar="A", help="left coupling alpha_L >= 0")
    parser.add_argument("--alpha-r", required=True, metavar="A", help="right coupling alpha_R >= 0")
    parser.add_argument("--omega-c", required=True, metavar="W", help="bath cutoff omega_c > 0")
    parser.add_argument(
        "--omega0", metavar="W0", help="harmonic: the oscillator frequency > 0 (default 1)"
    )
    parser.add_argument(
        "--chi",
        choices=CHI_FORMS,
        help="harmonic: the susceptibility, exact (default; with the Kramers-Kronig real "
        "part) or paper (Eq. 14 as printed)",
    )
    parser.add_argument(
        "--delta", metavar="D", help="spin-boson: the tunnelling frequency Delta > 0 (default 1)"
    )
    parser.add_argument(
        "--tolerance",
        metavar="E",
        help="spin-boson: the largest relative change of kappa under one more refinement of "
        "the hierarchy (default 0.01)",
    )
    parser.add_argument(
        "--time-limit",
        metavar="SECONDS",
        help="spin-boson: wall-clock limit (default 1800 s); past it, exit status 2 "
        "(finished temperatures stay cached)",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="spin-boson: neither read nor write the disk cache of finished points",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(handler=handler)


def _model_options(args: argparse.Namespace) -> None:
    """Refuse the options of the other model; fill in the defaults of this one."""
    own, other = (
        (SPIN_BOSON_OPTIONS, HARMONIC_OPTIONS)
        if args.model == "spin-boson"
        else (HARMONIC_OPTIONS, SPIN_BOSON_OPTIONS)
    )
    given = [name for name in other if getattr(args, name) is not None]
    if args.model != "spin-boson" and args.no_cache:
        given.append("no_cache")
    if given:
        names = ", ".join("--" + name.replace("_", "-") for name in given)
        raise NumericInputError(f"{names}: not an option of conductance {args.model}")
    for name, default in own.items():
        if getattr(args, name) is None:
            setattr(args, name, default)


def _couplings(args: argparse.Namespace) -> tuple[float, float]:
    """alpha_L, alpha_R: each >= 0, not both 0."""
    alpha_l = number("--alpha-l", args.alpha_l)
    alpha_r = number("--alpha-r", args.alpha_r)
    for option, value in (("--alpha-l", alpha_l), ("--alpha-r", alpha_r)):
        if value < 0:
            raise NumericInputError(f"{option}: coupling must be >= 0, got {value}")
    if alpha_l + alpha_r <= 0:
        raise NumericInputError("--alpha-l, --alpha-r: at least one coupling must be > 0")
    return alpha_l, alpha_r


def _harmonic(args: argparse.Namespace) -> dict:
    import numpy as np

    from heatbounds.numeric.harmonic_transport import (
        exact_conductance,
        quantum_of_thermal_conductance,
        sum_rule_conductance_bound,
    )

    temps = positive_list("--temperature", args.temperature)
    alpha_l, alpha_r = _couplings(args)
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


def _finite(value):
    """A JSON number: ``None`` for a missing or non-finite value."""
    return value if value is not None and math.isfinite(value) else None


def _spin_boson(args: argparse.Namespace) -> dict:
    """Check every option, then compute (or read from the cache) each temperature."""
    temps = positive_list("--temperature", args.temperature)
    alpha_l, alpha_r = _couplings(args)
    alpha = alpha_l + alpha_r
    if alpha >= 1.0:
        raise NumericInputError(
            f"--alpha-l, --alpha-r: alpha = alpha_L + alpha_R must be < 1, got {alpha:g}: at "
            "alpha >= 1 the ohmic spin-boson model is localised and does not conduct in "
            "linear response"
        )
    omega_c = positive_number("--omega-c", args.omega_c)
    delta = positive_number("--delta", args.delta)
    tolerance = positive_number("--tolerance", args.tolerance)
    seconds = positive_number("--time-limit", args.time_limit)
    gamma = 4.0 * alpha_l * alpha_r / alpha**2

    import numpy as np

    from heatbounds.numeric.figure4 import (
        KAPPA_QMC_SEED,
        KAPPA_QMC_TOLERANCE,
        exact_conductance_points,
    )
    from heatbounds.numeric.spin_boson_reference import (
        bloch_redfield_conductance,
        bloch_redfield_conductance_printed,
        kappa_quantum,
    )

    def line(text: str) -> None:
        sys.stderr.write(text + "\n")
        sys.stderr.flush()

    hint = "ask a longer --time-limit" + (
        ""
        if args.no_cache
        else "; the finished temperatures are cached, so the same command goes on from there"
    )
    with limited(seconds, "the HEOM conductance of the spin-boson model", hint=hint, tick=False):
        points = exact_conductance_points(
            temps,
            alpha=alpha,
            gamma=gamma,
            omega_c=omega_c,
            delta=delta,
            tolerance=tolerance,
            use_cache=not args.no_cache,
            progress=line if sys.stderr.isatty() else None,
        )
    model = {"alpha_L": alpha_l, "alpha_R": alpha_r, "omega_c": omega_c, "delta": delta}
    ref = {"alpha": alpha, "gamma": gamma, "delta": delta}

    def column(key: str) -> list:
        return [_finite(p[key]) for p in points]

    return {
        "model": "spin-boson",
        "method": "kappa: Eq. 5 at T_L = T_R with the exact Im chi_zz from the HEOM "
        "(QuTiP's HEOMSolver), refined until converged; sigma_x: kink QMC",
        "units": "reduced: hbar = k_B = 1; T, Delta, omega_c in one unit; kappa in k_B times it",
        "parameters": {
            **model,
            "alpha": alpha,
            "gamma": gamma,
            "tolerance": tolerance,
            "qmc_tolerance": KAPPA_QMC_TOLERANCE,
            "qmc_seed": KAPPA_QMC_SEED,
        },
        "temperature": temps.tolist(),
        "kappa": column("kappa"),
        "kappa_error": column("kappa_error"),
        "converged": [bool(p["converged"]) for p in points],
        "sum_rule_bound": column("bound"),
        "sum_rule_bound_error": column("bound_error"),
        "sigma_x": column("sigma_x_qmc"),
        "sigma_x_stderr": column("sigma_x_qmc_stderr"),
        "sigma_x_heom": column("sigma_x"),
        "kappa_Q": np.atleast_1d(kappa_quantum(temps)).tolist(),
        "kappa_bloch_redfield": np.atleast_1d(
            bloch_redfield_conductance_printed(temps, **ref)
        ).tolist(),
        "kappa_bloch_redfield_finite_cutoff": np.atleast_1d(
            bloch_redfield_conductance(temps, **ref, omega_c=omega_c)
        ).tolist(),
        "checks": {
            key: column(key)
            for key in (
                "f_sum",
                "im_chi_min",
                "spectrum_error",
                "static_susceptibility",
                "static_susceptibility_qmc",
                "static_susceptibility_qmc_stderr",
                "kappa_commutator",
            )
        },
        "heom": [
            {**p["settings"], "changes": p["changes"], "refinements": list(p["history"])}
            for p in points
        ],
        "seconds": column("seconds"),
        "cached": [p["cached"] for p in points],
        "notes": [p["note"] for p in points],
    }


def _cell(value, spec: str, width: int) -> str:
    """``value`` formatted by ``spec`` and right-aligned; ``n/a`` where it is missing."""
    return f"{'n/a' if value is None else format(value, spec):>{width}}"


def _spin_boson_table(result: dict) -> str:
    p = result["parameters"]
    lines = [
        f"spin-boson junction: alpha_L = {p['alpha_L']:g}, alpha_R = {p['alpha_R']:g} "
        f"(alpha = {p['alpha']:g}, gamma = {p['gamma']:g}), omega_c = {p['omega_c']:g}, "
        f"Delta = {p['delta']:g}",
        "reduced units hbar = k_B = 1; kappa exact (HEOM, Eq. 5 at T_L = T_R); bound = Eq. 18 "
        "with the QMC <sigma_x>; kappa_Q = pi T / 6; BR = Bloch-Redfield as printed",
        f"{'T':>10}  {'kappa':>12}  {'+-':>8}  {'Eq. 18 bound':>12}  {'+-':>8}  "
        f"{'kappa/bound':>11}  {'kappa_Q':>12}  {'BR':>12}  {'converged':>9}",
    ]
    c = result["checks"]
    for i, t in enumerate(result["temperature"]):
        k, b = result["kappa"][i], result["sum_rule_bound"][i]
        lines.append(
            "  ".join(
                [
                    _cell(t, ".6g", 10),
                    _cell(k, ".6e", 12),
                    _cell(result["kappa_error"][i], ".1e", 8),
                    _cell(b, ".6e", 12),
                    _cell(result["sum_rule_bound_error"][i], ".1e", 8),
                    _cell(None if k is None or not b else k / b, ".4f", 11),
                    _cell(result["kappa_Q"][i], ".6e", 12),
                    _cell(result["kappa_bloch_redfield"][i], ".6e", 12),
                    f"{'yes' if result['converged'][i] else 'NO':>9}",
                ]
            )
        )
    lines += [
        "checks of each spectrum: f-sum (1/pi) Int omega Im chi against -Delta <sigma_x> "
        "(Eq. 7, 17; QMC); static chi (2/pi) Int Im chi / omega against the QMC",
        f"{'T':>10}  {'f-sum':>10}  {'-D<sx> QMC':>10}  {'min Im chi':>10}  "
        f"{'static chi':>10}  {'QMC':>10}  {'+-':>8}",
    ]
    for i, t in enumerate(result["temperature"]):
        sx = result["sigma_x"][i]
        lines.append(
            "  ".join(
                [
                    _cell(t, ".6g", 10),
                    _cell(c["f_sum"][i], ".6f", 10),
                    _cell(None if sx is None else -p["delta"] * sx, ".6f", 10),
                    _cell(c["im_chi_min"][i], ".1e", 10),
                    _cell(c["static_susceptibility"][i], ".6f", 10),
                    _cell(c["static_susceptibility_qmc"][i], ".6f", 10),
                    _cell(c["static_susceptibility_qmc_stderr"][i], ".1e", 8),
                ]
            )
        )
    return "\n".join(lines)


def handler(args: argparse.Namespace) -> int:
    """Compute and print; unsupported models raise ModelError (exit 2 from the CLI)."""
    if args.model not in SUPPORTED_MODELS:
        raise ModelError(
            f"model {args.model!r} is not supported by conductance "
            f"(supported: {', '.join(SUPPORTED_MODELS)})"
        )
    _model_options(args)
    if args.model == "harmonic":
        result = _harmonic(args)
        print(json.dumps(result, indent=2) if args.json else _table(result))
        return 0
    result = _spin_boson(args)
    print(json.dumps(result, indent=2, allow_nan=False) if args.json else _spin_boson_table(result))
    late = [f"{t:g}" for t, ok in zip(result["temperature"], result["converged"], strict=True)
            if not ok]  # fmt: skip
    if late:
        print(
            f"heatbounds conductance: warning: not converged to the tolerance at T = "
            f"{', '.join(late)} (see notes and heom[].changes in --json)",
            file=sys.stderr,
        )
    return 0
