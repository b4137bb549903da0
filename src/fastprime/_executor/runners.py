"""Runners: where the chunks of a chunked ``map`` run, and the task each chunk becomes.

- ``ThreadRunner``: one task per chunk in the executor's worker threads; the kernel's
  batch loop runs without the GIL.  Work that would hold the GIL there (numbers
  >= 2**64, next/prev prime searches) goes to a helper process when a chunk has
  enough of it (``offload``).
- ``ProcessRunner``: the chunk is checked in the consuming thread and cut into process
  tasks of about ``TASK_US`` of estimated work each (``cost``).

A runner submits through a ``Scheduler`` (``base``) held by weak reference, because
the standard library lets an executor be collected while its map results are read;
a chunk whose scheduler is gone or shut down is computed in the consuming thread.
"""

from __future__ import annotations

import weakref
from concurrent.futures import Future
from types import ModuleType
from typing import Any, Callable, Iterator, List, Optional, Tuple

from .. import _bpsw
from .._env import U64, U128
from .base import Chunk, Outcome, Scheduler, chunk_source, chunk_values, completed
from .cost import cost_us, costs_us
from .offload import ProcessOffload
from .tasks import apply_each, batch_is_prime, run_task, to_ints

__all__ = ["ThreadRunner", "ProcessRunner"]


# -- chunk tasks run in worker threads ------------------------------------------------


def _thread_is_prime(impl: ModuleType, impl_name: str, chunk: Chunk, offload: Optional[ProcessOffload]) -> Outcome:
    values, start, stop = chunk_source(chunk)
    # With an offload, numbers >= 2**64 are left out of the GIL-free batch and sent to
    # a helper process; without one (no GIL to avoid) the kernel tests them here.
    big: Optional[List[Tuple[int, int]]] = [] if offload is not None else None
    out, error = batch_is_prime(impl, values, big, start, stop)
    if not big:
        return out, error
    positions = [position for position, _ in big]
    ints = [value for _, value in big]
    outcome = offload.run(impl_name, "is_prime", ints)  # type: ignore[union-attr]
    results, big_error = outcome if outcome is not None else run_task(impl_name, "is_prime", ints)
    for position, result in zip(positions, results):
        out[position] = result
    if big_error is not None:  # not for ints, but an error must keep its place anyway
        cut = positions[len(results)]
        if cut < len(out):
            del out[cut:]
            error = big_error
    return out, error


def _thread_apply(impl: ModuleType, impl_name: str, kind: str, chunk: Chunk, offload: Optional[ProcessOffload]) -> Outcome:
    # next_prime/prev_prime keep the GIL for the whole search above 2**128 (and in the
    # pure twin), so with a GIL that work goes to a helper process when there is enough of
    # it.  The compiled searches below 2**128 release the GIL: they stay in this thread.
    ints, error = to_ints(chunk_values(chunk), kind)
    if offload is not None and impl_name == "cython" and ints and max(ints) < U128:
        offload = None
    outcome = offload.run(impl_name, kind, ints) if offload is not None else None
    out, first_error = outcome if outcome is not None else apply_each(getattr(impl, kind), ints)
    # An error among the ints comes before the refused item that ended them.
    return out, first_error if first_error is not None else error


# -- runners -------------------------------------------------------------------------


class _Runner:
    """Starts chunk tasks through a ``Scheduler`` held by weak reference."""

    def __init__(self, scheduler: Scheduler, impl: ModuleType, impl_name: str, kind: str) -> None:
        self._scheduler_ref = weakref.ref(scheduler)
        self.impl = impl
        self.impl_name = impl_name
        self.kind = kind

    def _schedule(self, eager: bool, fn: Callable[..., Any], *args: Any) -> "Optional[Future[Any]]":
        scheduler = self._scheduler_ref()
        if scheduler is None:
            return None
        return scheduler.schedule(eager, fn, *args)


class ThreadRunner(_Runner):
    """Chunks run in the executor's worker threads (GIL-bound parts go to helpers)."""

    def __init__(
        self, scheduler: Scheduler, impl: ModuleType, impl_name: str, kind: str, offload: Optional[ProcessOffload]
    ) -> None:
        super().__init__(scheduler, impl, impl_name, kind)
        self.offload = offload

    def start(self, chunk: Chunk, eager: bool) -> Iterator[Tuple[Any, int]]:
        """Start ``chunk`` as one task, yielding ``(future, item count)``."""
        if self.kind == "is_prime":
            task: Callable[..., Outcome] = _thread_is_prime
            args: Tuple[Any, ...] = (self.impl, self.impl_name, chunk)
        else:
            task = _thread_apply
            args = (self.impl, self.impl_name, self.kind, chunk)
        future = self._schedule(eager, task, *args, self.offload)
        if future is None:
            future = completed(task(*args, None))
        yield future, len(chunk)


class ProcessRunner(_Runner):
    """Chunks run in the executor's worker processes, cut to even out their cost."""

    #: Estimated work (µs) of one process task: large enough to hide the pickling
    #: and pipe traffic, small enough that the last task leaves no worker idle long.
    TASK_US = 10_000.0

    def start(self, chunk: Chunk, eager: bool) -> Iterator[Tuple[Any, int]]:
        """Start ``chunk`` as process tasks, yielding ``(future, item count)`` in order."""
        # Checked here, in the consumer, rather than in the worker: the items sent are
        # then plain ints (cheap to pickle) and their sizes give the cost of each task.
        values = chunk_values(chunk)
        ints, error = to_ints(values, self.kind)
        for piece in self._pieces(ints):
            future = self._schedule(eager, run_task, self.impl_name, self.kind, piece)
            if future is None:
                future = completed(run_task(self.impl_name, self.kind, piece))
            yield future, len(piece)
        if error is not None:
            yield completed(([], error)), len(values) - len(ints)

    def _pieces(self, ints: List[int]) -> Iterator[List[int]]:
        if not ints:
            return
        engine = _bpsw.engine
        if self.kind == "is_prime" and max(ints) < U64 and min(ints) >= 0:
            # Uniform cost: cut by count.
            step = max(1, int(self.TASK_US / cost_us("is_prime", 3, self.impl_name, engine)))
            for start in range(0, len(ints), step):
                yield ints[start:start + step]
            return
        start = 0
        spent = 0.0
        for end, cost in enumerate(costs_us(self.kind, ints, self.impl_name, engine), 1):
            spent += cost
            if spent >= self.TASK_US:
                yield ints[start:end]
                start, spent = end, 0.0
        if start < len(ints):
            yield ints[start:]
