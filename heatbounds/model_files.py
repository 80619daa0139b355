"""MODEL on the command line: a built-in model's name or the path of a TOML model file.

A model file (see ``models/`` and the README) describes a junction of Eq. 3:
operators, parameters, H_s, the coupling operators A_n, the flags h_{nn'} of
Eq. 8 and the dissipation. The file is read with :mod:`tomllib` and handed to
:func:`heatbounds.symbolic.model_text.junction_from_table`, whose own parser
reads the expressions (nothing from the file is ever evaluated). Every
refusal is a :class:`~heatbounds.symbolic.errors.ModelFileError` naming the
file, so the command line exits with status 2 before writing anything.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from heatbounds.symbolic.errors import ModelFileError
from heatbounds.symbolic.junction import Junction
from heatbounds.symbolic.model_text import junction_from_table
from heatbounds.symbolic.models import BUILTIN_MODELS, builtin_model

__all__ = ["MAX_FILE_BYTES", "MODEL_HELP", "load_model"]

MAX_FILE_BYTES = 1_000_000
MODEL_HELP = "a built-in model (see 'heatbounds models') or the path of a model file FILE.toml"


def load_model(spec: str) -> Junction:
    """The junction named by ``spec``: a built-in model if it is one, else a .toml file.

    >>> load_model("spin-boson").name
    'spin-boson'
    """
    if spec in BUILTIN_MODELS:
        return builtin_model(spec)
    if not spec.endswith(".toml"):
        raise ModelFileError(
            f"unknown model {spec!r}: give a built-in model ({', '.join(BUILTIN_MODELS)}) "
            "or the path of a model file ending in .toml"
        )
    path = Path(spec)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise ModelFileError(f"{spec}: not a regular file")
        if size > MAX_FILE_BYTES:
            raise ModelFileError(
                f"{spec}: model file of {size} bytes is over the limit of {MAX_FILE_BYTES}"
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ModelFileError(f"{spec}: no such model file") from None
    except OSError as exc:
        raise ModelFileError(f"{spec}: cannot read the model file: {exc.strerror}") from None
    if len(raw) > MAX_FILE_BYTES:  # grew since stat
        raise ModelFileError(f"{spec}: model file is over the limit of {MAX_FILE_BYTES} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ModelFileError(f"{spec}: not UTF-8 text (byte {exc.start})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ModelFileError(f"{spec}: not valid TOML: {exc}") from None
    return junction_from_table(data, source=spec)
