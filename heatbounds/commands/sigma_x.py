"""``heatbounds sigma-x``: exact equilibrium <sigma_x> of the spin-boson model by QMC.

::

    heatbounds sigma-x --alpha A --omega-c W --temperature T[,T...] [--delta D]
        [--tolerance E] [--seed S] [--time-limit SECONDS] [--json]

Reduced units hbar = k_B = 1: temperatures, omega_c and delta in one unit.
H = (delta/2) sigma_x + sigma_z X + H_B with J = 2 alpha omega exp(-omega/omega_c)
(paper Eq. 16; Leggett alpha). Each temperature runs the kink QMC until the
standard error of <sigma_x> is below the tolerance (default 2e-3) or the time
limit (default 60 s per temperature, burn-in included) is reached. The latter
is reported on stderr and as ``converged: false``: with the partial mean and
error bar of the sweeps measured so far, or, where the limit falls in the
burn-in, with no estimate (``sigma_x: null``, ``burned_in: false``), since a
chain not yet in equilibrium would bias <sigma_x> toward 0 and the Eq. 18 bound
low. On a terminal a progress line appears at once (setup, burn-in, measuring).
The sum-rule bound Eq. 18 is (pi alpha gamma/4)(-delta <sigma_x>). Numbers are
parsed with float()/int() only, never evaluated.
"""

from __future__ import annotations

import argparse
import json
import math
import sys

from heatbounds.commands._options import number, positive_list, positive_number
from heatbounds.commands._options import seed as parse_seed
from heatbounds.commands._progress import QmcProgressBar
from heatbounds.numeric.errors import NumericInputError

__all__ = ["handler", "register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``sigma-x`` parser."""
    parser = subparsers.add_parser(
        "sigma-x",
        help="exact spin-boson <sigma_x> by continuous-time QMC (for the bound Eq. 18)",
        description="Exact equilibrium <sigma_x> of the ohmic spin-boson model (Eq. 16) by "
        "continuous-time QMC in the kink expansion, in reduced units hbar = k_B = 1.",
    )
    parser.add_argument("--alpha", required=True, metavar="A", help="Leggett alpha, 0 <= A < 1")
    parser.add_argument("--omega-c", required=True, metavar="W", help="bath cutoff omega_c > 0")
    parser.add_argument(
        "--temperature", required=True, metavar="T[,T...]", help="temperatures, comma-separated"
    )
    parser.add_argument("--delta", default="1", metavar="D", help="tunnelling Delta > 0 (1)")
    parser.add_argument(
        "--tolerance", default="2e-3", metavar="E", help="target standard error (2e-3)"
    )
    parser.add_argument("--seed", default=None, metavar="S", help="seed (default: fresh)")
    parser.add_argument(
        "--time-limit", default="60", metavar="SECONDS", help="per temperature (60)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(handler=handler)


def _table(d: dict) -> str:
    lines = [
        f"spin-boson <sigma_x> by kink QMC: alpha = {d['alpha']:g}, omega_c = {d['omega_c']:g}, "
        f"delta = {d['delta']:g}, seed = {d['seed']}",
        "reduced units hbar = k_B = 1; stderr = one standard error; "
        "Eq. 18 bound = (pi alpha gamma/4)(-delta <sigma_x>)",
        f"{'T':>10}  {'sigma_x':>10}  {'stderr':>9}  {'n_kinks':>9}  {'sweeps':>10}  "
        f"{'seconds':>7}  converged",
    ]
    for t, s, e, n, sw, sec, ok in zip(
        d["temperature"],
        d["sigma_x"],
        d["stderr"],
        d["n_kinks"],
        d["sweeps"],
        d["seconds"],
        d["converged"],
        strict=True,
    ):
        lines.append(
            f"{t:>10.5g}  {s:>10.6f}  {e:>9.2e}  {n:>9.4f}  {sw:>10d}  {sec:>7.2f}  "
            f"{'yes' if ok else 'NO'}"
        )
    return "\n".join(lines)


def handler(args: argparse.Namespace) -> int:
    """Run the QMC per temperature and print a table or JSON."""
    from heatbounds.numeric.spin_boson_qmc import sigma_x, validate_alpha

    alpha = number("--alpha", args.alpha)
    omega_c = positive_number("--omega-c", args.omega_c)
    temps = positive_list("--temperature", args.temperature)
    delta = positive_number("--delta", args.delta)
    tolerance = positive_number("--tolerance", args.tolerance)
    time_limit = positive_number("--time-limit", args.time_limit)
    seed = None if args.seed is None else parse_seed(args.seed)
    try:
        validate_alpha(alpha)
    except NumericInputError as exc:
        raise NumericInputError(f"--alpha: {exc}") from None

    bar = QmcProgressBar(sys.stderr) if sys.stderr.isatty() else None
    try:
        result = sigma_x(
            temps,
            alpha=alpha,
            omega_c=omega_c,
            delta=delta,
            tolerance=tolerance,
            seed=seed,
            time_limit=time_limit,
            progress=bar,
        )
    finally:
        if bar is not None:
            bar.close()
    d = result.to_dict()
    d.update(alpha=alpha, omega_c=omega_c, tolerance=tolerance, time_limit=time_limit)
    d["units"] = "reduced: hbar = k_B = 1; T, omega_c, delta in one unit"
    for t, e, ok, burned_in in zip(
        d["temperature"], d["stderr"], d["converged"], d["burned_in"], strict=True
    ):
        if not burned_in:
            why = "during burn-in: no estimate (a chain not yet in equilibrium would bias it)"
        elif not ok:
            why = f"with stderr {e:.2e} > tolerance {tolerance:.1e} (partial estimate)"
        else:
            continue
        print(f"heatbounds sigma-x: warning: T = {t:g}: time limit reached {why}", file=sys.stderr)
    if args.json:
        # inf (no fluctuation seen) and nan (no estimate) are not JSON: write null
        for key in ("sigma_x", "stderr", "n_kinks", "n_kinks_stderr", "tau_int"):
            d[key] = [v if math.isfinite(v) else None for v in d[key]]
        print(json.dumps(d, indent=2, allow_nan=False))
    else:
        print(_table(d))
    return 0
