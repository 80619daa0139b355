"""Parsing of numeric command-line options (strings from argparse) for the subcommands.

Numbers are read with ``float()`` only, never evaluated. A refusal raises
:class:`~heatbounds.numeric.errors.NumericInputError` whose message starts with
the option (``"--omega-c: must be > 0, got 0"``), which the command line
reports with exit status 2.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from heatbounds.numeric.errors import NumericInputError

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "MODEL_HELP",
    "number",
    "parameter_settings",
    "positive_list",
    "positive_number",
    "seed",
]

MODEL_HELP = "a built-in model (see 'heatbounds models') or the path of a model file FILE.toml"


def number(option: str, text: str) -> float:
    """One finite float from ``text``: "OPTION: 'x' is not a number" / "... is not finite"."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise NumericInputError(f"{option}: {text!r} is not a number") from None
    if not math.isfinite(value):
        raise NumericInputError(f"{option}: {text!r} is not finite")
    return value


def positive_number(option: str, text: str) -> float:
    """:func:`number`, refused unless > 0: "OPTION: must be > 0, got VALUE"."""
    value = number(option, text)
    if value <= 0.0:
        raise NumericInputError(f"{option}: must be > 0, got {value:g}")
    return value


def positive_list(option: str, text: str) -> np.ndarray:
    """Comma-separated finite numbers > 0 (``"0.1, 1,10"``), as a 1-d float array.

    Refuses an empty entry ("OPTION: empty entry in '1,,2'") and names the
    offending entry otherwise ("OPTION: '0' must be > 0").
    """
    import numpy as np

    items = [item.strip() for item in text.split(",")]
    if any(item == "" for item in items):
        raise NumericInputError(f"{option}: empty entry in {text!r}")
    values = np.array([number(option, item) for item in items])
    for item, value in zip(items, values, strict=True):
        if value <= 0.0:
            raise NumericInputError(f"{option}: {item!r} must be > 0")
    return values


def seed(text: str) -> int:
    """A random seed: a non-negative integer, "--seed: '-1' must be a non-negative integer"."""
    if not text.strip().isdigit():
        raise NumericInputError(f"--seed: {text!r} must be a non-negative integer")
    return int(text)


def parameter_settings(pairs: list[str], known: dict) -> dict:
    """``--set NAME=VALUE`` pairs as {name: float}, refusing a name not in ``known``."""
    out = {}
    for text in pairs:
        name, sep, value = text.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier():
            raise NumericInputError(f"--set: expected NAME=VALUE, got {text!r}")
        if name not in known:
            raise NumericInputError(
                f"--set: unknown parameter {name!r}; this model has {', '.join(sorted(known))}"
            )
        out[name] = number(f"--set {name}", value)
    return out
