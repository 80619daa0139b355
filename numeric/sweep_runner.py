"""Run a sweep's grid points on Dask distributed, one task per point.

Dask is the scheduler (a LocalCluster of process workers, one per core and
one thread each, unless a scheduler address is given); this module adds the
physics-tool parts around it:

* every point is checked (:func:`heatbounds.numeric.sweep_jobs.check_point`)
  before any worker starts;
* what all tasks share (the job, the model, its defaults) goes to the workers
  once, by ``client.scatter(..., broadcast=True)``, and each worker imports the
  job's modules and loads its compiled kernels once, before its first point;
* each finished point is written to the store at once
  (:class:`~heatbounds.numeric.sweep_store.ResultStore`), and points already
  stored are skipped, so an interrupted sweep resumes;
* a worker that dies has its task rerun elsewhere by the scheduler; a task that
  raises is recorded with its error and the others go on;
* seeds come from the sweep seed and the point's values, not from the worker.
"""

from __future__ import annotations

import os
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from heatbounds.numeric.sweep_jobs import SweepContext, check_point, run_point, warm_up
from heatbounds.numeric.sweep_store import ResultStore
from heatbounds.symbolic.errors import TimeLimitError

__all__ = ["SweepProgress", "SweepSummary", "run_sweep"]


@dataclass(frozen=True)
class SweepProgress:
    """Points done (computed now or before), failed, total, and seconds elapsed."""

    done: int
    failed: int
    total: int
    elapsed: float

    @property
    def eta(self) -> float | None:
        """Estimated seconds left, from the rate so far (None before the first point)."""
        finished = self.done + self.failed
        if finished == 0:
            return None
        return self.elapsed / finished * (self.total - finished)


@dataclass(frozen=True)
class SweepSummary:
    points: int
    computed: int
    skipped: int
    failed: int
    store: str
    seconds: float

    def as_json(self) -> dict:
        return dict(self.__dict__)


def _local_client(workers: int | None):
    from dask.distributed import Client, LocalCluster

    n = workers or os.cpu_count() or 1
    cluster = LocalCluster(
        n_workers=n,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=50,
        env={"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"},
    )
    return Client(cluster), cluster


def run_sweep(
    spec,
    context: SweepContext,
    out_dir: str | os.PathLike,
    *,
    text: str = "",
    scheduler: str | None = None,
    workers: int | None = None,
    client=None,
    progress: Callable[[SweepProgress], None] | None = None,
    time_limit: float | None = None,
) -> SweepSummary:
    """Compute every grid point of ``spec`` not yet in ``out_dir``; return the summary.

    ``client`` (a ``dask.distributed.Client``) is used as given; else one is
    connected to ``scheduler``, else a LocalCluster of ``workers`` process
    workers (default: one per core) is started and closed afterwards.
    Past ``time_limit`` seconds the unfinished tasks are cancelled and
    :class:`~heatbounds.symbolic.errors.TimeLimitError` is raised; the points
    finished by then are stored, so the same call goes on from there.
    """
    start = time.perf_counter()
    points = spec.points()
    for point in points:  # every refusal before any worker starts
        check_point(context, point, where=f"point {_describe(point)}")
    store = ResultStore(out_dir)
    store.write_provenance(spec, text)
    done = store.done_ids()
    todo = [p for p in points if p["point_id"] not in done]
    skipped = len(points) - len(todo)
    computed = failed = 0
    report = progress or (lambda info: None)
    report(SweepProgress(skipped, 0, len(points), 0.0))
    if todo:
        own = client is None
        cluster = None
        if own and scheduler:
            from dask.distributed import Client

            client = Client(scheduler)
        elif own:
            client, cluster = _local_client(workers)
        try:
            from dask.distributed import as_completed

            shared = client.scatter(context, broadcast=True, hash=False)
            client.run(warm_up, context.job)  # imports and compiled kernels, once per worker
            futures = {
                client.submit(run_point, shared, p, key=f"point-{p['point_id']}", pure=False): p
                for p in todo
            }
            remaining = None if time_limit is None else time_limit - (time.perf_counter() - start)
            try:
                finished = as_completed(futures, timeout=remaining)
                for future in finished:
                    computed, failed = _record(store, futures[future], future, computed, failed)
                    report(
                        SweepProgress(
                            skipped + computed, failed, len(points), time.perf_counter() - start
                        )
                    )
            except TimeoutError:
                client.cancel(list(futures))
                raise TimeLimitError(
                    f"--time-limit {time_limit:g}: the sweep did not finish within "
                    f"{time_limit:g} s ({skipped + computed} of {len(points)} points stored, "
                    f"{failed} failed); run the same command again to go on"
                ) from None
        finally:
            if own:
                client.close()
                if cluster is not None:
                    cluster.close()
    return SweepSummary(
        points=len(points),
        computed=computed,
        skipped=skipped,
        failed=failed,
        store=str(store.results),
        seconds=time.perf_counter() - start,
    )


def _record(store, point: dict, future, computed: int, failed: int) -> tuple[int, int]:
    """Write one finished task to the store: its outputs, or its error."""
    if future.status == "error":
        exc = future.exception()
        store.write_failure(point, "".join(traceback.format_exception_only(type(exc), exc)).strip())
        failed += 1
    else:
        store.write_point(point, future.result())
        computed += 1
    future.release()
    return computed, failed


def _describe(point: dict) -> str:
    return ", ".join(f"{k} = {v:g}" for k, v in point.items() if k not in ("point_id", "seed"))
