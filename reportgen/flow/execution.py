"""Where the heavy stages run: this process, a local process pool, or Dask distributed workers.

An :class:`Executor` maps a module-level function over picklable tasks.  The stages hand it whole
units of work (a partition of sources, a chunk of mentions to score), never rows one by one, so the
cost of shipping a task stays small next to the work in it.  Three kinds:

- ``serial``: in this process; ``[execution] engine = "local"`` with one worker (the default);
- ``pool``: a :class:`~concurrent.futures.ProcessPoolExecutor` of ``workers`` processes on this host;
- ``dask``: a Dask distributed client, connected to ``[execution] scheduler`` or to a
  ``LocalCluster`` started here with ``workers`` processes.  Its dashboard link is logged.  A task
  whose worker dies is rescheduled by Dask on another worker, and one that raises is retried
  (``retries``); the tasks' writes are upserts, so running a partition twice stores it once.

Dask is imported only when the dask engine is chosen: the local path needs nothing beyond the
base install.
"""

from __future__ import annotations

import logging
import os
import pickle
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from typing import Any, TypeVar

from reportgen.config.execution import ExecutionSettings
from reportgen.errors import ConfigError, ReportgenError

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

RETRIES = 2  # a task that raises (a database hiccup, say) runs up to this many more times
WORKER_WAIT_S = 60.0  # how long to wait for a remote scheduler's workers to appear
# Two Dask defaults that cost reportgen's CPU-bound, allocation-heavy Python tasks dearly (measured
# with benchmarks/bench_scale.py): the worker's profiler sampling the task thread's stack every 10 ms
# (~40 %), and MALLOC_TRIM_THRESHOLD_=65536, which has glibc return freed memory to the OS at once
# (~30 %).  Off for the LocalCluster started here; `dask worker` hosts read deploy/dask/reportgen.yaml.
WORKER_CONFIG: dict[str, Any] = {
    "distributed.worker.profile.enabled": False,
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
}


class Executor:
    """Runs tasks here, one after the other."""

    kind = "serial"

    def __init__(self, workers: int = 1) -> None:
        self.workers = workers

    def map_unordered(self, fn: Callable[[T], R], tasks: Sequence[T]) -> Iterator[R]:
        """``fn(t)`` for every task, as each finishes, so the caller can store one result while
        the others still run."""
        for t in tasks:
            yield fn(t)

    def describe(self) -> str:
        return "this process"


class PoolExecutor(Executor):
    """A process pool on this host; processes start on the first task."""

    kind = "pool"

    def __init__(self, workers: int) -> None:
        super().__init__(workers)
        self._pool: ProcessPoolExecutor | None = None

    def _get(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.workers)
        return self._pool

    def map_unordered(self, fn: Callable[[T], R], tasks: Sequence[T]) -> Iterator[R]:
        for future in as_completed([self._get().submit(fn, t) for t in tasks]):
            yield future.result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()

    def describe(self) -> str:
        return f"{self.workers} local processes"


class DaskExecutor(Executor):
    """Tasks on Dask distributed workers, through ``client``."""

    kind = "dask"

    def __init__(self, client: Any, workers: int) -> None:
        super().__init__(workers)
        self.client = client

    def map_unordered(self, fn: Callable[[T], R], tasks: Sequence[T]) -> Iterator[R]:
        """A sliding window of two tasks per worker: each worker always has its next task queued,
        and the scheduler never holds every task's data at once (a stage's rows can be large)."""
        if not tasks:
            return
        # optional: Dask (the dask extra), only with engine = "dask"
        from dask.distributed import as_completed as dask_completed

        waiting = list(tasks)[::-1]

        def submit() -> Any:
            packed = pickle.dumps(waiting.pop(), protocol=pickle.HIGHEST_PROTOCOL)
            return self.client.submit(run_packed, fn, packed, retries=RETRIES, pure=False)

        running = dask_completed([submit() for _ in range(min(len(waiting), 2 * self.workers))])
        for future in running:
            result = pickle.loads(future.result())
            future.release()
            if waiting:
                running.add(submit())
            yield result

    def describe(self) -> str:
        return f"{self.workers} Dask workers via {self.client.scheduler.address}"


def run_packed(fn: Callable[[Any], Any], packed: bytes) -> bytes:
    """``fn`` on a pickled task, its result pickled: Dask ships bytes as they are, where it walks a
    list of dicts (a chunk's judgement rows) item by item, which cost more CPU than judging them."""
    return pickle.dumps(fn(pickle.loads(packed)), protocol=pickle.HIGHEST_PROTOCOL)


@contextmanager
def open_executor(settings: ExecutionSettings, workers: int | None = None) -> Iterator[Executor]:
    """The executor ``[execution]`` asks for; ``workers`` (``--workers``) overrides its size."""
    if settings.distributed:
        with _dask(settings, workers or settings.workers) as executor:
            yield executor
        return
    n = max(1, workers or settings.workers or 1)
    if n == 1:
        yield Executor()
        return
    pool = PoolExecutor(min(n, os.cpu_count() or 1))
    try:
        yield pool
    finally:
        pool.close()


@contextmanager
def _dask(settings: ExecutionSettings, workers: int | None) -> Iterator[DaskExecutor]:
    try:
        import dask  # optional: Dask (the dask extra), only with engine = "dask"
        from dask.distributed import Client, LocalCluster  # optional: Dask (the dask extra), only with engine = "dask"
    except ImportError:
        raise ConfigError('[execution] engine = "dask" needs dask.distributed, which is not installed',
                          hint="pip install 'reportgen[dask]' on this host and on every worker") from None
    cluster = None
    try:
        if settings.scheduler:
            client = Client(settings.scheduler, timeout="20s")
            wanted = workers or 1
            client.wait_for_workers(wanted, timeout=WORKER_WAIT_S)
        else:
            wanted = workers or os.cpu_count() or 1
            # one thread per worker process: the stages are CPU-bound Python, the GIL would serialise threads
            with dask.config.set(WORKER_CONFIG):
                cluster = LocalCluster(n_workers=wanted, threads_per_worker=1, processes=True, host="127.0.0.1",
                                       dashboard_address="127.0.0.1:0")
            client = Client(cluster)
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        where = settings.scheduler or "a local cluster"
        raise ReportgenError(f"cannot start Dask on {where}: {exc.__class__.__name__}: {exc}",
                             hint="check that `dask scheduler` runs there and that workers have joined it "
                                  "(`dask worker <scheduler>` on each worker host)") from None
    count = len(client.scheduler_info().get("workers", {}))
    log.info("dask: %d workers via %s; dashboard %s", count, client.scheduler.address, client.dashboard_link)
    try:
        yield DaskExecutor(client, max(count, 1))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
