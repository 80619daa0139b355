"""MODEL on the command line: a built-in model's name or the path of a TOML model file.

A model file (see ``models/`` and the README) describes a junction of Eq. 3:
operators, parameters, H_s, the coupling operators A_n, the flags h_{nn'} of
Eq. 8 and the dissipation. The file is read with :mod:`tomllib` and handed to
:func:`heatbounds.symbolic.model_text.junction_from_table`, whose own parser
reads the expressions (nothing from the file is ever evaluated). Every
refusal is a :class:`~heatbounds.symbolic.errors.ModelFileError` naming the
file, so the command line exits with status 2 before writing anything.

A TOML integer too long for Python's integer-string limit (4300 digits), on
which :mod:`tomllib` itself raises ValueError, is refused here with its line
and column; every other TOML number is range-checked on the loaded table
(integers ``|n| < 2**63``, floats within 1e-300..1e300, see
:mod:`heatbounds.symbolic.expression_parser`).
"""

from __future__ import annotations

import hashlib
import re
import sys
import tomllib
from pathlib import Path

from heatbounds.symbolic.errors import ModelFileError
from heatbounds.symbolic.fermion_junction import FermionJunction
from heatbounds.symbolic.junction import Junction, ModelOrigin
from heatbounds.symbolic.model_text import junction_from_table
from heatbounds.symbolic.models import BUILTIN_MODELS, builtin_model

__all__ = ["MAX_FILE_BYTES", "load_bosonic_model", "load_model"]

MAX_FILE_BYTES = 1_000_000
# TOML strings and comments (skipped), else a whole decimal-integer token.
_STRING = r'"""(?:\\.|[^\\])*?"""|\'\'\'.*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'[^\'\n]*\'|#[^\n]*'
_INTEGER = re.compile(_STRING + r"|(?<![\w.+-])(?P<int>[+-]?[0-9][0-9_]*)(?![\w.:-])", re.S)


def _long_integer(spec: str, text: str) -> ModelFileError:
    """The refusal of the TOML integer on which tomllib raised ValueError (too many digits)."""
    where, number = "", "an integer"
    for match in _INTEGER.finditer(text):
        digits = sum(c.isdigit() for c in match["int"] or "")
        if digits > sys.get_int_max_str_digits():
            line = text.count("\n", 0, match.start()) + 1
            column = match.start() - text.rfind("\n", 0, match.start())
            where, number = f" line {line}, column {column}:", f"integer of {digits} digits"
            break
    return ModelFileError(
        f"{spec}:{where} {number} is out of range; a TOML integer must have |n| < 2**63"
    )


def load_bosonic_model(spec: str, command: str) -> Junction:
    """:func:`load_model`, refusing a fermionic model (a dot between leads) that ``command``
    does not take yet."""
    junction = load_model(spec)
    if junction.statistics != "boson":
        raise ModelFileError(
            f"{spec}: a fermionic model (statistics = {junction.statistics!r}, a dot between "
            f"two leads); heatbounds {command} takes models with boson baths only -- derive, "
            "check and emit take this one"
        )
    return junction


def load_model(spec: str) -> Junction | FermionJunction:
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
    except ValueError:  # tomllib's int() of a decimal integer over 4300 digits
        raise _long_integer(spec, text) from None
    except RecursionError:
        raise ModelFileError(f"{spec}: arrays or tables nested too deeply") from None
    origin = ModelOrigin(spec, hashlib.sha256(raw).hexdigest())  # named by generated files
    return junction_from_table(data, source=spec, origin=origin)
