"""The ``heatbounds`` command line.

Thin by design: each subcommand lives in :mod:`heatbounds.commands` as a module
with ``register(subparsers)``, which adds its parser and sets ``handler`` to a
function ``handler(args) -> int``. Building the parser imports only those light
modules: each handler imports SymPy, NumPy, SciPy, numba or matplotlib when it
runs, so ``heatbounds --help`` and ``heatbounds models`` start in a fraction of
the time of ``import sympy`` (``benchmarks/bench_cli.py``).

This module wires the subcommands together and turns what can go wrong into
the documented exit statuses: 0 success, 1 a check failed, 2 input refused
(the package's own errors, one line on stderr), 3 a bug (an unexpected
exception, shown with its traceback). A closed output pipe
(``heatbounds derive spin-boson | head -1``) ends the command quietly.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from collections.abc import Sequence

from heatbounds import __version__
from heatbounds.symbolic.errors import HeatboundsError

# Subcommand modules under heatbounds.commands, in the order --help lists them.
COMMANDS: tuple[str, ...] = (
    "models",
    "derive",
    "latex",
    "conductance",
    "transport",
    "sigma_x",
    "check",
    "emit",
    "figures",
    "sweep",
)

EXIT_PASSED = 0
EXIT_FAILED = 1
EXIT_REFUSED = 2
EXIT_BUG = 3
EXIT_INTERRUPTED = 130
EXIT_STATUS_HELP = """exit status:
  0  success (for check: every moment agrees within the tolerance)
  1  a check failed (check: a residual above the tolerance, or weight at a boson cutoff)
  2  input refused (a bad model file, option or parameter; one line on stderr names it)
  3  an internal error: a bug in heatbounds (please report it with the traceback)"""


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, which wraps descriptions, but keeps the exit-status
    table of the epilog line by line."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if text == EXIT_STATUS_HELP:
            return "\n".join(indent + line for line in text.splitlines())
        return super()._fill_text(text, width, indent)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered subcommand."""
    parser = argparse.ArgumentParser(
        prog="heatbounds",
        description="Quantum sum-rule bounds on heat transport through nanojunctions "
        "(Taylor & Segal).",
        epilog=EXIT_STATUS_HELP,
        formatter_class=_HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"heatbounds {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        module = importlib.import_module(f"heatbounds.commands.{name}")
        module.register(subparsers)
    for subparser in subparsers.choices.values():
        subparser.epilog = EXIT_STATUS_HELP
        subparser.formatter_class = _HelpFormatter
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status = int(args.handler(args) or EXIT_PASSED)
        sys.stdout.flush()  # inside the try: a closed pipe shows here, not at exit
        return status
    except HeatboundsError as exc:
        print(f"heatbounds {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_PASSED
    except KeyboardInterrupt:
        print(f"heatbounds {args.command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception:
        # Never exit 1 (a failed check) on a bug: show it, say what it is, exit 3.
        traceback.print_exc()
        print(
            f"heatbounds {args.command}: internal error (a bug in heatbounds, not in "
            "your input; please report it with the traceback above)",
            file=sys.stderr,
        )
        return EXIT_BUG


def _silence_stdout() -> None:
    """The reader closed our stdout (``| head``): send what is still buffered to
    /dev/null, so that the interpreter's flush at exit does not fail loudly."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # stdout replaced by an object without a descriptor
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
