"""Where a generated file came from: the model it was derived from and its source hash.

Emitted modules (:mod:`.emit`) and LaTeX documents (:mod:`.latex_document`)
name their model in the header. A built-in model is named by its command-line
name (``heatbounds derive harmonic``). A model file is named by the path it was
loaded from and the sha256 of its bytes
(:class:`~heatbounds.symbolic.junction.ModelOrigin`, set by
:func:`heatbounds.model_files.load_model`): its ``name`` field may be that of a
built-in model it is not (``models/harmonic.toml`` is Eq. 13 as printed, the
built-in ``harmonic`` carries the counterterm). Any other junction was built
in Python and no command re-derives it. Nothing here depends on time or
place, so the same inputs give the same header.

Examples
--------
>>> from heatbounds.symbolic.models import builtin_model
>>> source_lines(builtin_model("spin-boson"), 1)
['Source: heatbounds derive spin-boson --moment 1']
>>> model_description(builtin_model("spin-boson"))
'built-in model spin-boson'
"""

from __future__ import annotations

import hashlib
import shlex
from collections.abc import Sequence

from sympy import Expr, srepr

from heatbounds.symbolic.junction import Junction
from heatbounds.symbolic.models import BUILTIN_MODELS

__all__ = [
    "expression_source",
    "model_argument",
    "model_description",
    "source_hash",
    "source_lines",
]


def model_argument(junction: Junction) -> str | None:
    """The MODEL argument that names ``junction`` on the command line (shell-quoted).

    The model file's path for a junction read from one, the name of a built-in
    model, None for a junction built in Python.
    """
    if junction.origin is not None:
        return shlex.quote(junction.origin.path)
    if junction.name in BUILTIN_MODELS:
        return junction.name
    return None


def model_description(junction: Junction) -> str:
    """``built-in model NAME``, ``model file PATH (sha256 HEX)`` or a junction built in Python."""
    if junction.origin is not None:
        return f"model file {junction.origin.path} (sha256 {junction.origin.sha256})"
    if junction.name in BUILTIN_MODELS:
        return f"built-in model {junction.name}"
    return f"junction {junction.name!r} built in Python (no model file)"


def source_lines(junction: Junction, moment: int) -> list[str]:
    """The header lines naming what an emitted module was derived from (Eq. 7, 9, 10).

    A built-in model: ``Source: heatbounds derive NAME --moment S``. A model
    file: its path, the sha256 of its bytes and the ``heatbounds derive`` call
    on that path, so the header names the file even where the file's ``name``
    is that of a built-in model. A junction built in Python: its name only.
    """
    argument = model_argument(junction)
    if argument is None:
        return [f"Source: {model_description(junction)}, derived with moment {moment}"]
    command = f"heatbounds derive {argument} --moment {moment}"
    if junction.origin is None:
        return [f"Source: {command}"]
    return [
        f"Source: model file {junction.origin.path}",
        f"sha256 of the model file: {junction.origin.sha256}",
        f"Derived as: {command}",
    ]


def source_hash(exprs: Sequence[Expr]) -> str:
    """sha256 of the source expressions (their ``srepr``, one per line)."""
    from heatbounds.symbolic.term_order import fast_term_order

    with fast_term_order():  # the same text, long sums ordered fast
        return hashlib.sha256("\n".join(srepr(e) for e in exprs).encode()).hexdigest()


def expression_source(expr: Expr, text: str | None = None) -> str:
    """The ``Source:`` of a module emitted from one expression: the expression, if short.

    ``text`` is ``str(expr)`` where the caller has it already.
    """
    text = str(expr) if text is None else text
    if len(text) <= 300:
        return f"expression {text}"
    return f"an expression of {len(text)} characters (its sha256 below)"
