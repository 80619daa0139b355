"""A parameter sweep described in TOML: the job, the model, fixed values and axes.

Reduced units (hbar = k_B = 1) throughout, as on the command line. A sweep
file looks like::

    job = "sigma-x"          # or conductance, transport, bound, check
    model = "spin-boson"     # a built-in name or a model file
    seed = 7
    [fixed]
    omega_c = 10
    tolerance = 2e-3
    [axes]
    alpha = [0.1, 0.2]
    temperature = { geomspace = [0.5, 5, 4] }   # also linspace = [a, b, n]

:func:`parse_sweep` checks it all before any work: the job and its model,
every parameter name (the job's own and the model's), every value in its
domain (each axis point included), no empty axis, and at most ``max_points``
grid points. The grid is the outer product of the axes in file order
(:meth:`SweepSpec.points`); each point carries a seed derived from the sweep
seed and the point's own parameter values (:func:`point_seed`), so a result
does not depend on which worker ran it, in which order, or on what else is in
the grid. Values are parsed by ``tomllib`` only: no text is ever evaluated.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import tomllib
from dataclasses import dataclass, field

import numpy as np

from heatbounds.numeric.errors import NumericInputError

__all__ = [
    "DEFAULT_MAX_POINTS",
    "JOBS",
    "SweepSpec",
    "parse_sweep",
    "point_id",
    "point_seed",
]

DEFAULT_MAX_POINTS = 10_000
JOBS = ("sigma-x", "conductance", "transport", "bound", "check")
_TOP_KEYS = {"job", "model", "seed", "fixed", "axes"}


class SweepFileError(NumericInputError):
    """A sweep file that cannot be run: wrong key, value or size (exit status 2)."""


@dataclass(frozen=True)
class SweepSpec:
    """A parsed sweep: ``axes`` name -> tuple of values (file order), ``fixed`` name -> value."""

    job: str
    model: str
    seed: int
    fixed: dict = field(default_factory=dict)
    axes: dict = field(default_factory=dict)
    sha256: str = ""

    @property
    def size(self) -> int:
        return math.prod(len(v) for v in self.axes.values())

    def points(self) -> list[dict]:
        """Every grid point: fixed values, axis values, ``point_id`` and ``seed``."""
        names = list(self.axes)
        out = []
        for values in itertools.product(*(self.axes[n] for n in names)):
            params = {**self.fixed, **dict(zip(names, values, strict=True))}
            out.append(
                {**params, "point_id": point_id(params), "seed": point_seed(self.seed, params)}
            )
        return out


def _canonical(params: dict) -> bytes:
    return json.dumps({k: float(v) for k, v in sorted(params.items())}, sort_keys=True).encode()


def point_id(params: dict) -> str:
    """A stable name of a point: the first 16 hex digits of the sha256 of its values."""
    return hashlib.sha256(_canonical(params)).hexdigest()[:16]


def point_seed(seed: int, params: dict) -> int:
    """A 63-bit seed from the sweep seed and the point's own values (not its position)."""
    digest = hashlib.sha256(str(int(seed)).encode() + b"|" + _canonical(params)).digest()
    return int.from_bytes(digest[:8], "little") >> 1


def _axis(name: str, raw) -> tuple:
    where = f"[axes] {name}"
    if isinstance(raw, list):
        values = raw
    elif isinstance(raw, dict) and len(raw) == 1 and next(iter(raw)) in ("linspace", "geomspace"):
        kind, spec = next(iter(raw.items()))
        if not (isinstance(spec, list) and len(spec) == 3):
            raise SweepFileError(f"{where}: {kind} takes [start, stop, n], got {spec!r}")
        start, stop, n = spec
        if not (isinstance(n, int) and not isinstance(n, bool)) or n < 1:
            raise SweepFileError(f"{where}: {kind} needs an integer number of points >= 1")
        for x in (start, stop):
            if not _is_number(x):
                raise SweepFileError(f"{where}: {kind} bounds must be numbers, got {x!r}")
        if kind == "geomspace" and (start <= 0 or stop <= 0):
            raise SweepFileError(f"{where}: geomspace bounds must be > 0, got {start}, {stop}")
        if n > DEFAULT_MAX_POINTS * 10:
            raise SweepFileError(f"{where}: {n} points on one axis is too many")
        values = getattr(np, kind)(float(start), float(stop), n).tolist()
    else:
        raise SweepFileError(
            f"{where}: an axis is a list of numbers or {{ linspace = [a, b, n] }} or "
            f"{{ geomspace = [a, b, n] }}, got {raw!r}"
        )
    if not values:
        raise SweepFileError(f"{where}: the axis is empty")
    for v in values:
        if not _is_number(v):
            raise SweepFileError(f"{where}: {v!r} is not a finite number")
    if len(set(map(float, values))) != len(values):
        raise SweepFileError(f"{where}: the axis repeats a value")
    return tuple(float(v) for v in values)


def _is_number(x) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def parse_sweep(text: str, *, source: str = "sweep file", max_points: int = DEFAULT_MAX_POINTS):
    """Parse and check a sweep's TOML text; the job's own checks are in
    :func:`heatbounds.numeric.sweep_jobs.check_point`. Raises :class:`SweepFileError`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SweepFileError(f"{source}: not valid TOML: {exc}") from None
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise SweepFileError(f"{source}: unknown key(s) {', '.join(unknown)}")
    job = data.get("job")
    if job not in JOBS:
        raise SweepFileError(f"{source}: job must be one of {', '.join(JOBS)}, got {job!r}")
    model = data.get("model")
    if not isinstance(model, str) or not model:
        raise SweepFileError(f"{source}: model must be a built-in name or a model file path")
    seed = data.get("seed", 0)
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2**63:
        raise SweepFileError(f"{source}: seed must be an integer in [0, 2^63), got {seed!r}")
    fixed = data.get("fixed", {})
    axes_raw = data.get("axes", {})
    if not isinstance(fixed, dict) or not isinstance(axes_raw, dict):
        raise SweepFileError(f"{source}: [fixed] and [axes] must be tables")
    if not axes_raw:
        raise SweepFileError(f"{source}: [axes] names no axis")
    for name, value in fixed.items():
        if not _is_number(value):
            raise SweepFileError(f"{source}: [fixed] {name} = {value!r} is not a finite number")
    both = sorted(set(fixed) & set(axes_raw))
    if both:
        raise SweepFileError(f"{source}: {', '.join(both)} both fixed and an axis")
    axes = {name: _axis(name, raw) for name, raw in axes_raw.items()}
    spec = SweepSpec(
        job=job,
        model=model,
        seed=seed,
        fixed={k: float(v) for k, v in fixed.items()},
        axes=axes,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
    )
    if spec.size > max_points:
        raise SweepFileError(
            f"{source}: the grid has {spec.size} points, more than the limit of {max_points}; "
            f"raise it with --max-points {spec.size}"
        )
    return spec
