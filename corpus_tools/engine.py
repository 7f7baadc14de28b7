"""Where extraction runs: this process, local worker processes, or a Dask cluster.

The work is a list of independent calls (batches of documents); every engine returns their
results in the same order, so the tables do not depend on which engine made them.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import psutil
from tqdm import tqdm

from corpus_tools.validation import check_number


def worker_pool(jobs: int) -> ProcessPoolExecutor:
    """A pool of ``jobs`` worker processes that end when the process that started them ends.

    A killed parent (SIGKILL from a CI timeout, ``docker stop``) cannot stop its workers; each
    worker watches its parent instead and exits once it is gone.
    """
    return ProcessPoolExecutor(
        max_workers=jobs, initializer=_watch_parent, initargs=(os.getpid(), _PARENT_POLL)
    )


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """Stop a pool now: cancel what has not started and kill the workers running the rest.

    ``shutdown`` alone would wait for every running task (every notebook, on Ctrl-C).
    """
    workers = list((getattr(pool, "_processes", None) or {}).values())  # no public way yet
    pool.shutdown(wait=False, cancel_futures=True)
    started = []  # what the workers started (notebook kernels) goes first, before it is orphaned
    for worker in workers:
        with contextlib.suppress(psutil.Error):
            started += psutil.Process(worker.pid).children(recursive=True)
    _kill(started)
    for worker in workers:
        worker.kill()
    for worker in workers:
        worker.join()
    psutil.wait_procs(started, timeout=5)


def _kill(processes: list[psutil.Process]) -> None:
    for process in processes:
        with contextlib.suppress(psutil.Error):
            process.kill()


_PARENT_POLL = 0.5  # seconds between a worker's checks that its parent still runs


def _watch_parent(parent: int, every: float) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent, which stops us

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        _kill(psutil.Process().children(recursive=True))
        os._exit(1)  # the parent is gone: nobody will read this worker's results

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def available_cores() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass
class Engine:
    """How to run independent calls.

    Args:
        jobs: Worker processes on this machine (1: run in this process).
        scheduler: A Dask scheduler address (``tcp://host:8786``), or ``"local"`` for a Dask
            ``LocalCluster`` of ``jobs`` worker processes; empty: no Dask.

    Used in a ``with`` block, the engine keeps its worker processes (or its Dask client and
    cluster) for every ``map`` inside the block; otherwise each ``map`` starts and stops them.
    """

    jobs: int = 1
    scheduler: str = ""
    _open: list = field(default_factory=list, init=False, repr=False, compare=False)
    _pool: ProcessPoolExecutor | None = field(default=None, init=False, repr=False, compare=False)
    _client: Any = field(default=None, init=False, repr=False, compare=False)
    _depth: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        check_number("jobs", self.jobs, minimum=1)

    def __enter__(self) -> Engine:
        self._depth += 1
        if self._depth > 1:  # already running: an inner ``with`` shares the workers
            return self
        if self.scheduler:
            from dask.distributed import Client, LocalCluster

            if self.scheduler == "local":
                cluster = LocalCluster(
                    n_workers=self.jobs,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                )
                self._open.append(cluster)
                self._client = Client(cluster)
            else:
                self._client = Client(self.scheduler)
            self._open.insert(0, self._client)
        elif self.jobs > 1:
            self._pool = worker_pool(self.jobs)
            self._open.append(self._pool)
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        self._depth -= 1
        if self._depth:
            return
        for resource in self._open:
            if not isinstance(resource, ProcessPoolExecutor):
                resource.close()
            elif kind is None:
                resource.shutdown()
            else:  # an error or an interrupt: the other batches' results are not wanted
                stop_pool(resource)
        self._open.clear()
        self._pool = self._client = None

    def map(
        self,
        function: Callable[..., Any],
        arguments: Sequence[tuple],
        *,
        progress: bool = False,
        desc: str = "",
    ) -> list[Any]:
        """``[function(*args) for args in arguments]``, run by this engine, in order."""
        if not arguments:
            return []
        if not self._depth and (self.scheduler or (self.jobs > 1 and len(arguments) > 1)):
            with self:
                return self.map(function, arguments, progress=progress, desc=desc)
        tasks = [(function, args) for args in arguments]
        if self._client is not None:
            return self._client.gather(self._client.map(_call, tasks, pure=False))
        bar = tqdm(total=len(arguments), desc=desc, unit="batch", disable=not progress, delay=0.5)
        try:
            calls = self._pool.map(_call, tasks) if self._pool is not None else map(_call, tasks)
            results = []
            for result in calls:
                results.append(result)
                bar.update()
            return results
        finally:
            bar.close()


def _call(task: tuple[Callable[..., Any], tuple]) -> Any:
    function, args = task
    return function(*args)
