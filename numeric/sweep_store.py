"""Where a sweep's points land: a Parquet dataset that nothing loses.

``DIR/results/`` is a Parquet dataset (``pandas.read_parquet(DIR / "results")``
reads it), one file and one row per finished point, named by its point id
(:func:`heatbounds.numeric.sweep_spec.point_id`). Each file is written to a
temporary name and renamed into place, so a point is either there whole or
not at all, and never twice: a rerun skips the ids present, which is how an
interrupted sweep resumes. A point whose task raised is written to
``DIR/failed/<id>.json`` with its error (and retried by the next run);
``DIR/provenance.json`` records the versions, the sweep file's hash and text,
and the seed.
"""

from __future__ import annotations

import json
import os
import platform
import tempfile
from importlib import metadata
from pathlib import Path

__all__ = ["ResultStore"]

_PACKAGES = ("heatbounds", "numpy", "scipy", "sympy", "dask", "distributed", "pandas", "pyarrow")


class ResultStore:
    """The results directory of one sweep (created if missing)."""

    def __init__(self, directory: str | os.PathLike):
        self.root = Path(directory)
        self.results = self.root / "results"
        self.failed = self.root / "failed"
        for path in (self.root, self.results, self.failed):
            path.mkdir(parents=True, exist_ok=True)

    def done_ids(self) -> set[str]:
        """Ids of the points already stored."""
        return {p.stem.removeprefix("point-") for p in self.results.glob("point-*.parquet")}

    def _atomic(self, target: Path, write) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".part-", suffix=target.suffix)
        os.close(fd)
        try:
            write(tmp)
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    def write_point(self, point: dict, outputs: dict) -> None:
        """One row: the point's parameters, ``point_id``, ``seed`` and the job's outputs.

        Written by pyarrow directly (a pandas frame per row costs the client
        process twice the CPU, taken from the workers on a small machine).
        """
        import pyarrow as pa
        import pyarrow.parquet as pq

        row = {**point, **outputs, "seed": int(point["seed"])}
        table = pa.Table.from_pylist([row])
        target = self.results / f"point-{point['point_id']}.parquet"
        self._atomic(target, lambda tmp: pq.write_table(table, tmp))
        (self.failed / f"{point['point_id']}.json").unlink(missing_ok=True)

    def write_failure(self, point: dict, error: str) -> None:
        text = json.dumps({"point": point, "error": error}, indent=1, sort_keys=True)
        target = self.failed / f"{point['point_id']}.json"
        self._atomic(target, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))

    def failures(self) -> list[dict]:
        return [
            json.loads(p.read_text(encoding="utf-8")) for p in sorted(self.failed.glob("*.json"))
        ]

    def write_provenance(self, spec, text: str) -> None:
        versions = {}
        for name in _PACKAGES:
            try:
                versions[name] = metadata.version(name)
            except metadata.PackageNotFoundError:
                versions[name] = None
        record = {
            "sweep_sha256": spec.sha256,
            "sweep_file": text,
            "job": spec.job,
            "model": spec.model,
            "seed": spec.seed,
            "seeds": "per point: sha256(seed | the point's values), column 'seed'",
            "points": spec.size,
            "versions": versions,
            "python": platform.python_version(),
        }
        target = self.root / "provenance.json"
        body = json.dumps(record, indent=1, sort_keys=True) + "\n"
        self._atomic(target, lambda tmp: Path(tmp).write_text(body, encoding="utf-8"))

    def read(self):
        """The stored rows as a pandas DataFrame (empty if none)."""
        import pandas as pd

        if not any(self.results.glob("point-*.parquet")):
            return pd.DataFrame()
        return pd.read_parquet(self.results)
