"""``heatbounds emit MODEL [--units reduced|si] [--moment S] [-o FILE.py]``.

Writes the standalone NumPy module of a built-in model's sum rule and bounds
(Eq. 2, 7, 9, 10; :func:`heatbounds.codegen.emit.emit_module`). Without
``-o`` the module goes to stdout. With ``-o`` it is rendered completely
first, written to a temporary file in the target's directory and renamed
over the target, so a refused model or a failed write never leaves a partial
file; a target that is a directory, in a missing directory or unwritable is
refused with exit status 2 and a message naming it
(:class:`~heatbounds.symbolic.errors.OutputFileError`). The module's header
names the model (a built-in name, or a model file's path and sha256) and
records the command that regenerates it.
"""

from __future__ import annotations

import argparse
import shlex

from heatbounds.commands._files import check_output, deliver
from heatbounds.commands._limits import (
    MOMENT_HINT,
    add_time_limit,
    limited,
    time_limit_seconds,
)
from heatbounds.commands._options import MODEL_HELP

__all__ = ["command_line", "handler", "register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``emit`` parser."""
    parser = subparsers.add_parser(
        "emit",
        help="write a standalone NumPy module of a model's sum rule and bounds",
        description="Write one Python module that imports only NumPy and evaluates the "
        "model's sum rule (Eq. 7), current bound (Eq. 9), conductance bound (Eq. 10), "
        "the ballistic bound (Eq. 2) and kappa_Q, with broadcasting and input checks.",
    )
    parser.add_argument("model", metavar="MODEL", help=MODEL_HELP)
    parser.add_argument(
        "--units",
        choices=("reduced", "si"),
        default="reduced",
        help="reduced (hbar = k_B = 1, the default) or si (K, rad/s, J, W)",
    )
    parser.add_argument(
        "--moment",
        type=int,
        default=None,
        metavar="S",
        help="odd moment order s of sum_rule (1); for a fermionic model the spectral moment "
        "order k >= 0 (0)",
    )
    parser.add_argument(
        "-o", "--output", metavar="FILE.py", default=None, help="write here (default: stdout)"
    )
    add_time_limit(parser, "deriving and emitting the module")
    parser.set_defaults(handler=handler)


def command_line(args: argparse.Namespace) -> str:
    """The canonical command that regenerates the module (written in its header, shell-quoted)."""
    parts = ["heatbounds", "emit", args.model, "--units", args.units]
    if args.moment is not None and args.moment != 1:
        parts += ["--moment", str(args.moment)]
    if args.output is not None:
        parts += ["-o", args.output]
    return shlex.join(parts)


def handler(args: argparse.Namespace) -> int:
    """Emit the module; refusals (unknown model, symbolic level count, an output path
    that cannot be written) propagate as errors, which ``cli.main`` prints (exit 2)."""
    from heatbounds.codegen.emit import emit_module
    from heatbounds.model_files import load_model

    seconds = time_limit_seconds(args)
    if args.output is not None:
        check_output(args.output, option="-o")
    junction = load_model(args.model)
    if junction.statistics == "fermion":
        from heatbounds.codegen.emit_fermion import emit_fermion_module

        moment = 0 if args.moment is None else args.moment
        what = f"emitting the k = {moment} module of {junction.name}"
        with limited(seconds, what, hint=MOMENT_HINT.format(option="--moment")):
            source = emit_fermion_module(
                junction, units=args.units, moment=moment, command=command_line(args)
            )
        deliver(source, args.output)
        return 0
    args.moment = 1 if args.moment is None else args.moment
    what = f"emitting the s = {args.moment} module of {junction.name}"
    with limited(seconds, what, hint=MOMENT_HINT.format(option="--moment")):
        source = emit_module(
            junction, units=args.units, moment=args.moment, command=command_line(args)
        )
    deliver(source, args.output)
    return 0
