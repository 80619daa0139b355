"""A small on-disk cache of finished computations, keyed by their parameters.

Long reference computations (the Figure 4 QMC, bath fits, HEOM points) are
stored as JSON files named ``NAMESPACE-KEY.json`` in :func:`default_cache_dir`,
KEY a hash of the parameters and the namespace's version. A file is used only
if the parameters and the version stored in it match exactly, so a changed
parameter or a new version of the computation never returns stale numbers;
files are written atomically. Deleting the directory at any time is safe.

>>> import tempfile
>>> cache = JsonCache("example", version=1, directory=tempfile.mkdtemp())
>>> cache.load({"T": 1.0}) is None
True
>>> path = cache.store({"T": 1.0}, {"sigma_x": -0.32})
>>> cache.load({"T": 1.0})["sigma_x"]
-0.32
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["JsonCache", "default_cache_dir"]


def default_cache_dir() -> Path:
    """$HEATBOUNDS_CACHE_DIR, else $XDG_CACHE_HOME/heatbounds, else ~/.cache/heatbounds."""
    env = os.environ.get("HEATBOUNDS_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "heatbounds"


@dataclass(frozen=True)
class JsonCache:
    """JSON records of one kind of computation (``namespace``) at one ``version``."""

    namespace: str
    version: int
    directory: str | os.PathLike | None = None

    def path(self, params: dict) -> Path:
        """The file that holds (or would hold) the record of ``params``."""
        blob = json.dumps({**params, "cache_version": self.version}, sort_keys=True)
        key = hashlib.sha256(blob.encode()).hexdigest()[:20]
        return Path(self.directory or default_cache_dir()) / f"{self.namespace}-{key}.json"

    def load(self, params: dict) -> dict | None:
        """The stored record of exactly these parameters and this version, else None."""
        try:
            data = json.loads(self.path(params).read_text())
        except (OSError, ValueError):
            return None
        if data.get("parameters") != params or data.get("cache_version") != self.version:
            return None
        return data

    def store(self, params: dict, record: dict) -> Path:
        """Write ``record`` (JSON-ready) with its parameters and version, atomically."""
        path = self.path(params)
        payload = {**record, "parameters": params, "cache_version": self.version}
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(handle, "w") as stream:
                json.dump(payload, stream, indent=1)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return path
