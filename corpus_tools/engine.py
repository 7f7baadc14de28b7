"""Where extraction runs: this process, local worker processes, or a Dask cluster.

The work is a list of independent calls (batches of documents); every engine returns their
results in the same order, so the tables do not depend on which engine made them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from tqdm import tqdm

from corpus_tools.validation import check_number


def available_cores() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class Engine:
    """How to run independent calls.

    Args:
        jobs: Worker processes on this machine (1: run in this process).
        scheduler: A Dask scheduler address (``tcp://host:8786``), or ``"local"`` for a Dask
            ``LocalCluster`` of ``jobs`` worker processes; empty: no Dask.
    """

    jobs: int = 1
    scheduler: str = ""

    def __post_init__(self) -> None:
        check_number("jobs", self.jobs, minimum=1)

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
        if self.scheduler:
            return self._dask(function, arguments)
        bar = tqdm(total=len(arguments), desc=desc, unit="batch", disable=not progress, delay=0.5)
        try:
            if self.jobs == 1 or len(arguments) == 1:
                results = []
                for args in arguments:
                    results.append(function(*args))
                    bar.update()
                return results
            with ProcessPoolExecutor(max_workers=self.jobs) as pool:
                results = []
                for result in pool.map(_call, [(function, args) for args in arguments]):
                    results.append(result)
                    bar.update()
                return results
        finally:
            bar.close()

    def _dask(self, function: Callable[..., Any], arguments: Sequence[tuple]) -> list[Any]:
        from dask.distributed import Client, LocalCluster

        if self.scheduler == "local":
            cluster = LocalCluster(
                n_workers=self.jobs, threads_per_worker=1, processes=True, dashboard_address=None
            )
            with cluster, Client(cluster) as client:
                return client.gather(
                    client.map(_call, [(function, a) for a in arguments], pure=False)
                )
        with Client(self.scheduler) as client:
            return client.gather(client.map(_call, [(function, a) for a in arguments], pure=False))


def _call(task: tuple[Callable[..., Any], tuple]) -> Any:
    function, args = task
    return function(*args)
