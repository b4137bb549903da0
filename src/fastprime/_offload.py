"""Worker processes for the work a worker thread could only do holding the GIL.

On the thread backend, numbers below 2**64 are tested by the kernel's batch loop with
the GIL released, so threads scale.  Numbers >= 2**64 (strong BPSW on Python ints or
gmpy2) and the scalar ``next_prime``/``prev_prime`` loops hold the GIL: in threads they
would run one at a time.  When there is enough of that work to pay for inter-process
traffic, it goes to a process pool started on first need; otherwise, or when processes
cannot be used (shut down, broken, not startable), it is computed in the calling thread.
Either way the caller gets futures, so it does not care where the work ran.
"""

from __future__ import annotations

import multiprocessing
import threading
import warnings
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, List, Optional, Sequence, Tuple

from . import _bpsw
from ._chunks import run_task
from ._cost import cost_us

__all__ = ["ProcessOffload", "Part", "MIN_OFFLOAD_US"]

#: Below this much estimated work (µs) per chunk, processes cost more than they save.
MIN_OFFLOAD_US = 2_000.0
# Bounds on the work of one process task: above ~1 ms the pickling and pipe traffic
# is noise; below ~20 ms the last task does not leave the other workers idle long.
_MIN_TASK_US = 1_000.0
_MAX_TASK_US = 20_000.0

#: ``(positions in the chunk, future of (results, error), the ints sent)``
Part = Tuple[Sequence[int], "Future[Tuple[List[Any], Optional[BaseException]]]", Sequence[int]]


def _process_context() -> Any:
    # Never "fork": this pool is started from a process that runs threads (the
    # executor's own), where fork can deadlock the child and warns since 3.12.
    # forkserver is what Python 3.14 uses by default on POSIX; elsewhere, spawn.
    if "forkserver" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


def _done(impl_name: str, kind: str, ints: Sequence[int]) -> "Future[Any]":
    future: "Future[Any]" = Future()
    future.set_result(run_task(impl_name, kind, ints))
    return future


class ProcessOffload:
    """A lazily started process pool for GIL-bound work coming from worker threads."""

    def __init__(self, max_workers: int) -> None:
        self._max_workers = max_workers
        self._lock = threading.Lock()
        self._pool: Optional[ProcessPoolExecutor] = None
        self._closed = False
        self._warned = False

    @property
    def started(self) -> bool:
        """Whether worker processes were ever started."""
        return self._pool is not None

    def run(self, impl_name: str, kind: str, positions: Sequence[int], ints: Sequence[int]) -> List[Part]:
        """Compute ``kind`` over ``ints`` (at ``positions`` of a chunk) in processes or here.

        Returns the parts in position order: ``(positions, future, ints)``, where the
        future yields ``(results, error)`` for those ints.
        """
        engine = _bpsw.engine
        costs = [cost_us(kind, n, impl_name, engine) for n in ints]
        total = sum(costs)
        pool = self._get_pool() if total >= MIN_OFFLOAD_US else None
        if pool is None:
            return [(positions, _done(impl_name, kind, ints), ints)]
        # At least two tasks per worker when there is enough work, for balance.
        budget = min(_MAX_TASK_US, max(_MIN_TASK_US, total / (2 * self._max_workers)))
        parts: List[Part] = []
        start = 0
        spent = 0.0
        for end, cost in enumerate(costs, 1):
            spent += cost
            if spent >= budget or end == len(costs):
                piece = ints[start:end]
                parts.append((positions[start:end], self._submit(pool, impl_name, kind, piece), piece))
                start, spent = end, 0.0
        return parts

    def _submit(self, pool: ProcessPoolExecutor, impl_name: str, kind: str, ints: Sequence[int]) -> "Future[Any]":
        try:
            return pool.submit(run_task, impl_name, kind, ints)
        except Exception as error:  # shut down meanwhile, broken, or processes cannot start
            if not self._closed:
                self._warn(error)
            return _done(impl_name, kind, ints)

    def _get_pool(self) -> Optional[ProcessPoolExecutor]:
        with self._lock:
            if self._closed:
                return None
            if self._pool is None:
                try:
                    self._pool = ProcessPoolExecutor(self._max_workers, mp_context=_process_context())
                except Exception as error:  # e.g. no working semaphores on this platform
                    self._closed = True
                    self._warn(error)
                    return None
            return self._pool

    def _warn(self, error: BaseException) -> None:
        if not self._warned:
            self._warned = True
            warnings.warn(
                "fastprime.Executor could not use worker processes for big numbers "
                f"({type(error).__name__}: {error}); computing them in threads instead",
                RuntimeWarning,
                stacklevel=3,
            )

    def broken(self, error: BaseException) -> None:
        """Note that a task failed because the processes broke (the caller recomputes it)."""
        self._warn(error)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Stop accepting work; shut the processes down if they were started."""
        with self._lock:
            self._closed = True
            pool = self._pool
        if pool is not None:
            pool.shutdown(wait=wait, cancel_futures=cancel_futures)
