"""The ``heatbounds`` command line.

Thin by design: each subcommand lives in :mod:`heatbounds.commands` as a module
with ``register(subparsers)``, which adds its parser and sets ``handler`` to a
function ``handler(args) -> int``. This module only wires them together and
turns the package's own errors into a one-line message and exit status 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from heatbounds import __version__
from heatbounds.symbolic.errors import HeatboundsError

# Subcommand modules under heatbounds.commands, in the order --help lists them.
COMMANDS: tuple[str, ...] = (
    "models",
    "derive",
    "latex",
    "conductance",
    "sigma_x",
    "check",
    "emit",
    "figures",
)

EXIT_REFUSED = 2


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered subcommand."""
    parser = argparse.ArgumentParser(
        prog="heatbounds",
        description="Quantum sum-rule bounds on heat transport through nanojunctions "
        "(Taylor & Segal).",
    )
    parser.add_argument("--version", action="version", version=f"heatbounds {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        module = importlib.import_module(f"heatbounds.commands.{name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except HeatboundsError as exc:
        print(f"heatbounds {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_REFUSED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
