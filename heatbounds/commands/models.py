"""``heatbounds models``: list the built-in junction models.

::

    heatbounds models [--json]

The text form is one line per model, ``NAME  DESCRIPTION``; the JSON form is a
list of ``{"name": ..., "description": ...}`` in the same order. Any of the
names, or the path of a model file (``models/*.toml``), is a MODEL for
``derive``, ``latex``, ``emit`` and ``check``.
"""

from __future__ import annotations

import argparse
import json

from heatbounds.symbolic.catalogue import BUILTIN_MODEL_DESCRIPTIONS

__all__ = ["handler", "register"]


def register(subparsers) -> None:
    """Add the ``models`` parser."""
    parser = subparsers.add_parser("models", help="list the built-in junction models")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(handler=handler)


def handler(args: argparse.Namespace) -> int:
    """Print the built-in models as a table or as JSON."""
    if args.json:
        listing = [{"name": n, "description": d} for n, d in BUILTIN_MODEL_DESCRIPTIONS.items()]
        print(json.dumps(listing, indent=2))
        return 0
    width = max(len(name) for name in BUILTIN_MODEL_DESCRIPTIONS)
    for name, description in BUILTIN_MODEL_DESCRIPTIONS.items():
        print(f"{name:<{width}}  {description}")
    return 0
