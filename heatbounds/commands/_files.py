"""Writing output files whole or not at all.

A command that writes (``latex -o``, ``emit -o``, ``figures``) goes through
:func:`write_atomically`: the content lands in a temporary file in the target's
directory and is renamed over the target, so a refusal or a crash never leaves
a half-written file, and a reader never sees one. A target that cannot be
written (a directory, a missing parent directory, an unwritable place) is
refused with :class:`~heatbounds.symbolic.errors.OutputFileError` naming the
path as the user gave it, never the temporary file; the command line prints
it on one line and exits with status 2.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from heatbounds.symbolic.errors import OutputFileError

__all__ = ["check_output", "deliver", "write_atomically"]


def _reason(exc: OSError) -> str:
    """``Is a directory`` -> ``is a directory``: the OS's reason, as the end of a sentence."""
    text = exc.strerror or type(exc).__name__
    return text[:1].lower() + text[1:]


def _refusal(path: Path, shown: str) -> str | None:
    """Why ``path`` cannot be a new or replaced regular file, or None if it may be."""
    if shown.endswith(("/", os.sep)) or path.is_dir():
        return "is a directory"
    directory = path.parent
    if not directory.exists():
        return f"no such directory: {directory}"
    if not directory.is_dir():
        return f"not a directory: {directory}"
    return None


def check_output(path: str | os.PathLike, *, option: str = "") -> None:
    """Refuse early (before rendering) a target :func:`write_atomically` would refuse.

    Raises :class:`~heatbounds.symbolic.errors.OutputFileError` when ``path``
    is a directory or its parent directory is missing or not a directory.
    """
    shown = os.fspath(path)
    if (reason := _refusal(Path(shown), shown)) is not None:
        raise OutputFileError(f"{option} {shown}: {reason}" if option else f"{shown}: {reason}")


def write_atomically(path: str | os.PathLike, content: str | bytes, *, option: str = "") -> None:
    """Write ``content`` (text as UTF-8 with ``\\n`` line ends, or bytes) to ``path``.

    ``option`` (e.g. ``"-o"``) is the command-line option that named the path;
    a refusal reads ``-o PATH: is a directory``. Raises
    :class:`~heatbounds.symbolic.errors.OutputFileError` naming ``path`` as
    given when it is a directory, its parent directory is missing or not a
    directory, or the file cannot be created or renamed there; nothing is left
    behind. Other errors (and interrupts) also remove the temporary file.
    """
    shown = os.fspath(path)
    where = f"{option} {shown}" if option else shown
    path = Path(shown)
    if (reason := _refusal(path, shown)) is not None:
        raise OutputFileError(f"{where}: {reason}")
    directory = path.parent
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputFileError(
            f"{where}: cannot create a file in {directory}: {_reason(exc)}"
        ) from None
    try:
        if isinstance(content, bytes):
            stream = os.fdopen(handle, "wb")
        else:
            stream = os.fdopen(handle, "w", encoding="utf-8", newline="\n")
        with stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise OutputFileError(f"{where}: cannot write: {_reason(exc)}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def deliver(text: str, output: str | None, *, option: str = "-o") -> None:
    """``text`` to stdout, or written whole to ``output`` (the path given with ``option``)."""
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomically(output, text, option=option)
