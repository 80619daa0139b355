"""``heatbounds latex MODEL [--moments 1,3] [-o FILE.tex]``.

Renders the standalone LaTeX document of a built-in model (template
``latex/document.tex.jinja``): H_s, the coupling operators and Eq. 3's bath
part, the conventions (Eq. 7 against Eq. 12), the moment sum rules M_s asked
for (Eq. 7, 25), the bounds Eq. 9 and 10 with Eq. 2 and kappa_Q, and the
conditions under which they hold. It compiles with ``pdflatex``.

Without ``-o`` the document goes to stdout. With ``-o`` it is rendered in
full first, written to a temporary file beside FILE and renamed onto it, so a
refused model or moment never leaves a partial file; a FILE that is a
directory, in a missing directory or unwritable is refused with exit status 2
and a message naming it (:class:`~heatbounds.symbolic.errors.OutputFileError`).
Moment orders are parsed by hand (comma-separated integers, never evaluated);
even or non-positive orders are refused
(:class:`~heatbounds.symbolic.errors.MomentOrderError`). The document's header
names the model: a built-in name, or a model file's path and sha256.
"""

from __future__ import annotations

import argparse
import re
import sys

from heatbounds.commands._files import check_output, deliver
from heatbounds.commands._limits import (
    MOMENT_HINT,
    add_time_limit,
    limited,
    time_limit_seconds,
)
from heatbounds.commands._options import MODEL_HELP
from heatbounds.symbolic.errors import MomentOrderError

__all__ = ["handler", "parse_moments", "register"]

_INTEGER = re.compile(r"[+-]?[0-9]+")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``latex`` parser."""
    parser = subparsers.add_parser(
        "latex",
        help="a standalone LaTeX document of a model's sum rules and bounds (Eq. 7, 9, 10)",
        description="Render a standalone LaTeX document (compiles with pdflatex) of a "
        "built-in model: Hamiltonian, couplings, conventions, moment sum rules, bounds "
        "and the conditions under which they hold.",
    )
    parser.add_argument("model", metavar="MODEL", help=MODEL_HELP)
    parser.add_argument(
        "--moments",
        default="1",
        metavar="S[,S...]",
        help="odd moment orders to print, comma-separated (default 1, the f-sum rule Eq. 7)",
    )
    parser.add_argument(
        "-o", "--output", default=None, metavar="FILE.tex", help="write here (default: stdout)"
    )
    add_time_limit(parser, "deriving and rendering the document")
    parser.set_defaults(handler=handler)


def parse_moments(text: str) -> tuple[int, ...]:
    """``"1,3"`` -> (1, 3): comma-separated odd integers, sorted, without repeats.

    >>> parse_moments("3, 1,3")
    (1, 3)
    """
    from heatbounds.codegen.latex_document import normalise_moments

    orders = []
    for item in text.split(","):
        item = item.strip()
        if not _INTEGER.fullmatch(item):
            raise MomentOrderError(
                f"--moments: {item!r} is not an integer; give odd orders like 1,3"
            )
        orders.append(int(item))
    return normalise_moments(orders)


def handler(args: argparse.Namespace) -> int:
    """Render the document, then print it or write it atomically (refusals: exit 2)."""
    from heatbounds.codegen.latex_document import latex_document
    from heatbounds.model_files import load_bosonic_model

    moments = parse_moments(args.moments)
    seconds = time_limit_seconds(args)
    if args.output is not None:
        check_output(args.output, option="-o")
    junction = load_bosonic_model(args.model, "latex")
    what = f"deriving the document of {junction.name} (moments {args.moments})"
    with limited(seconds, what, hint=MOMENT_HINT.format(option="--moments")):
        document = latex_document(junction, moments=moments)
    deliver(document, args.output)
    if args.output is not None:
        print(f"heatbounds latex: wrote {args.output}", file=sys.stderr)
    return 0
