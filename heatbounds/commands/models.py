"""``heatbounds models``: list the built-in junction models."""

from __future__ import annotations

import argparse

from heatbounds.symbolic.models import BUILTIN_MODELS


def register(subparsers) -> None:
    parser = subparsers.add_parser("models", help="list the built-in junction models")
    parser.set_defaults(handler=handler)


def handler(args: argparse.Namespace) -> int:
    width = max(len(name) for name in BUILTIN_MODELS)
    for name, (_, description) in BUILTIN_MODELS.items():
        print(f"{name:<{width}}  {description}")
    return 0
