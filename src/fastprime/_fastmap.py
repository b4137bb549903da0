"""The chunked ``map`` behind ``Executor.map(fastprime.is_prime, ...)``.

The standard library's ``map`` makes one future per item and reads its whole input
up front.  Here the input is read lazily in chunks; each chunk is one task, at most a
bounded number of input items are in flight at once (so an endless input runs in
bounded memory), and the results come back as one ``bool`` (or ``int``) per input
item, in order.  An exception for an item is raised at that item's position, after
every result before it, and ends the iteration, as in the standard library.

A chunk task returns ``(results, error, parts)``: ``parts`` are the pieces of the
chunk that were sent elsewhere (see ``_offload``), merged here in the consumer.
"""

from __future__ import annotations

import itertools
import operator
import time
import weakref
from collections import deque
from concurrent.futures import BrokenExecutor, Future
from itertools import islice
from types import ModuleType
from typing import Any, Callable, Deque, Iterable, Iterator, List, Optional, Sequence, Tuple

from . import _bpsw
from ._chunks import apply_each, batch_is_prime, run_task, to_ints
from ._cost import cost_us
from ._offload import Part, ProcessOffload

__all__ = ["chunked_map", "ThreadRunner", "ProcessRunner", "chunk_sizes"]

_U64 = 1 << 64

Result = Tuple[List[Any], Optional[BaseException], Optional[List[Part]]]


# -- chunk tasks run in worker threads ------------------------------------------------


def _thread_is_prime(impl: ModuleType, impl_name: str, values: List[Any], offload: Optional[ProcessOffload]) -> Result:
    # With an offload, numbers >= 2**64 are left out of the GIL-free batch and sent to
    # processes; without one (no GIL to avoid) the kernel tests them here.
    big: Optional[List[int]] = [] if offload is not None else None
    out, error = batch_is_prime(impl, values, big)
    if not big:
        return out, error, None
    ints = [v if type(v) is int else operator.index(v) for v in map(values.__getitem__, big)]
    return out, error, offload.run(impl_name, "is_prime", big, ints)  # type: ignore[union-attr]


def _thread_apply(impl: ModuleType, impl_name: str, kind: str, values: List[Any], offload: Optional[ProcessOffload]) -> Result:
    # next_prime/prev_prime keep the GIL for the whole search, so with a GIL their
    # work goes to processes when there is enough of it.
    ints, error = to_ints(values, kind)
    if offload is None:
        out, first_error = apply_each(getattr(impl, kind), ints)
        return out, first_error if first_error is not None else error, None
    return [None] * len(ints), error, offload.run(impl_name, kind, range(len(ints)), ints)


# -- runners: where a chunk runs -----------------------------------------------------


def _completed(result: Any) -> "Future[Any]":
    future: "Future[Any]" = Future()
    future.set_result(result)
    return future


def _cancelled() -> "Future[Any]":
    future: "Future[Any]" = Future()
    future.cancel()
    future.set_running_or_notify_cancel()
    return future


class _Runner:
    """Starts chunk tasks on an executor, held by weak reference.

    The executor's ``_schedule(eager, fn, *args)`` returns a future, or ``None`` when
    it is shut down (the chunk is then computed in the consuming thread, as the
    standard library's results stay available after ``shutdown``), or a cancelled
    future after ``shutdown(cancel_futures=True)``.  A weak reference, because the
    standard library lets an executor be collected while its map results are read.
    """

    def __init__(self, executor: Any, impl: ModuleType, impl_name: str, kind: str) -> None:
        self._executor_ref = weakref.ref(executor)
        self.impl = impl
        self.impl_name = impl_name
        self.kind = kind
        self.offload: Optional[ProcessOffload] = None

    def _schedule(self, eager: bool, fn: Callable[..., Any], *args: Any) -> "Optional[Future[Any]]":
        executor = self._executor_ref()
        if executor is None:
            return None
        return executor._schedule(eager, fn, *args)

    def start(self, values: List[Any], eager: bool) -> Iterator[Tuple[Any, int]]:
        """Start ``values`` as one or more tasks, yielding ``(future, item count)`` in order."""
        raise NotImplementedError

    def recompute(self, ints: Sequence[int]) -> Tuple[List[Any], Optional[BaseException]]:
        """Compute a part whose worker processes broke, here."""
        return run_task(self.impl_name, self.kind, ints)


class ThreadRunner(_Runner):
    """Chunks run in the executor's worker threads (GIL-bound parts go to processes)."""

    def __init__(self, executor: Any, impl: ModuleType, impl_name: str, kind: str, offload: Optional[ProcessOffload]) -> None:
        super().__init__(executor, impl, impl_name, kind)
        self.offload = offload

    def start(self, values: List[Any], eager: bool) -> Iterator[Tuple[Any, int]]:
        if self.kind == "is_prime":
            task: Callable[..., Result] = _thread_is_prime
            args: Tuple[Any, ...] = (self.impl, self.impl_name, values)
        else:
            task = _thread_apply
            args = (self.impl, self.impl_name, self.kind, values)
        future = self._schedule(eager, task, *args, self.offload)
        if future is None:
            future = _completed(task(*args, None))
        yield future, len(values)


class ProcessRunner(_Runner):
    """Chunks run in the executor's worker processes, cut to even out their cost."""

    #: Estimated work (µs) of one process task: large enough to hide the pickling
    #: and pipe traffic, small enough that the last task leaves no worker idle long.
    TASK_US = 10_000.0

    def start(self, values: List[Any], eager: bool) -> Iterator[Tuple[Any, int]]:
        # Checked here, in the consumer, rather than in the worker: the items sent are
        # then plain ints (cheap to pickle) and their sizes give the cost of each task.
        ints, error = to_ints(values, self.kind)
        for piece in self._pieces(ints):
            future = self._schedule(eager, run_task, self.impl_name, self.kind, piece)
            if future is None:
                future = _completed(run_task(self.impl_name, self.kind, piece))
            yield _Adapted(future), len(piece)
        if error is not None:
            yield _completed(([], error, None)), len(values) - len(ints)

    def _pieces(self, ints: List[int]) -> Iterator[List[int]]:
        if not ints:
            return
        engine = _bpsw.engine
        if self.kind == "is_prime" and max(ints) < _U64 and min(ints) >= 0:
            # Uniform cost: cut by count.
            step = max(1, int(self.TASK_US / cost_us("is_prime", 3, self.impl_name, engine)))
            for start in range(0, len(ints), step):
                yield ints[start:start + step]
            return
        start = 0
        spent = 0.0
        for end, n in enumerate(ints, 1):
            spent += cost_us(self.kind, n, self.impl_name, engine)
            if spent >= self.TASK_US:
                yield ints[start:end]
                start, spent = end, 0.0
        if start < len(ints):
            yield ints[start:]


class _Adapted:
    """A process task's future seen as a chunk's: ``run_task`` returns
    ``(results, error)``, chunk results carry a third item, the parts sent elsewhere."""

    __slots__ = ("_future",)

    def __init__(self, future: "Future[Any]") -> None:
        self._future = future

    def result(self, timeout: Optional[float] = None) -> Result:
        out, error = self._future.result(timeout)
        return out, error, None

    def cancel(self) -> bool:
        return self._future.cancel()

    def done(self) -> bool:
        return self._future.done()


# -- chunk sizes ---------------------------------------------------------------------


def chunk_sizes(length_hint: int, workers: int, smallest: int, largest: int) -> Iterator[int]:
    """How many items to read per chunk.

    With a known length, chunks of about a quarter of each worker's share (so work
    balances), within [smallest, largest].  Without one, chunks grow from the smallest
    to the largest, so a short input is still spread over the workers and a long one
    pays little per-chunk overhead.
    """
    if length_hint > 0:
        size = -(-length_hint // (4 * workers))
        return itertools.repeat(min(largest, max(smallest, size)))
    ramp = []
    size = smallest
    while size < largest:
        ramp.append(size)
        size *= 2
    return itertools.chain(ramp, itertools.repeat(largest))


# -- the result iterator -------------------------------------------------------------


class _Window:
    """The chunks in flight, in input order, and the input they are read from."""

    def __init__(self, runner: _Runner, source: Iterator[Any], sizes: Iterator[int], max_in_flight: int) -> None:
        self.runner = runner
        self.source: Optional[Iterator[Any]] = source
        self.sizes = sizes
        self.max_in_flight = max_in_flight
        self.in_flight = 0
        self.entries: Deque[Tuple[Any, int]] = deque()

    def fill(self, eager: bool) -> None:
        """Read and start chunks until ``max_in_flight`` input items are in flight."""
        while self.source is not None and self.in_flight < self.max_in_flight:
            want = min(next(self.sizes), self.max_in_flight - self.in_flight)
            values: List[Any] = []
            try:
                values.extend(islice(self.source, want))
            except Exception as error:
                # The input itself failed: its error comes after the items read before it.
                self.source = None
                self._start(values, eager)
                self.entries.append((_completed(([], error, None)), 0))
                return
            if len(values) < want:
                self.source = None
            self._start(values, eager)

    def _start(self, values: List[Any], eager: bool) -> None:
        if not values:
            return
        try:
            for task in self.runner.start(values, eager):
                self.entries.append(task)
                self.in_flight += task[1]
        except Exception as error:
            if eager:
                raise  # from map() itself, as the standard library's submit raises there
            # The executor broke: the error comes at the first item not started.
            self.source = None
            self.entries.append((_completed(([], error, None)), 0))

    def cancel(self) -> None:
        while self.entries:
            _cancel(self.entries.popleft()[0])


def _cancel(future: Any) -> None:
    if future.cancel() or not future.done():
        return
    try:
        parts = future.result()[2]
    except BaseException:
        return
    for _positions, part, _ints in parts or ():
        part.cancel()


def _remaining(end_time: Optional[float]) -> Optional[float]:
    return None if end_time is None else end_time - time.monotonic()


def _collect(runner: _Runner, future: Any, end_time: Optional[float]) -> Tuple[List[Any], Optional[BaseException]]:
    out, error, parts = future.result(_remaining(end_time))
    if not parts:
        return out, error
    # The chunk's own error (if any) is at position len(out); parts may end earlier.
    error_at = len(out)
    for positions, part, ints in parts:
        try:
            results, part_error = part.result(_remaining(end_time))
        except BrokenExecutor as broken:
            if runner.offload is not None:
                runner.offload.broken(broken)
            results, part_error = runner.recompute(ints)
        for position, value in zip(positions, results):
            out[position] = value
        if part_error is not None:
            at = positions[len(results)]
            if at < error_at:
                error_at, error = at, part_error
            break  # later parts hold later positions: past the error
    for _positions, part, _ints in parts:
        part.cancel()  # no-op for finished parts
    del out[error_at:]
    return out, error


def _results(window: _Window, end_time: Optional[float]) -> Iterator[List[Any]]:
    entries = window.entries
    current = None
    try:
        while entries:
            # Start the next chunk before waiting, so the workers never run dry.
            window.fill(eager=False)
            current, count = entries.popleft()
            out, error = _collect(window.runner, current, end_time)
            current = None
            if out:
                yield out
            # The chunk's results are now consumed: its input is no longer in flight.
            window.in_flight -= count
            if error is not None:
                try:
                    raise error
                finally:
                    error = None
    finally:
        if current is not None:
            _cancel(current)
        window.cancel()


def chunked_map(
    runner: _Runner,
    iterable: Iterable[Any],
    *,
    sizes: Iterator[int],
    max_in_flight: int,
    timeout: Optional[float],
) -> Iterator[Any]:
    """An iterator of ``runner.kind(item)`` for each item of ``iterable``, in order.

    The first chunks are started now (as the standard library submits work when
    ``map`` is called); the rest as results are consumed.
    """
    end_time = None if timeout is None else timeout + time.monotonic()
    window = _Window(runner, iter(iterable), sizes, max_in_flight)
    window.fill(eager=True)
    # Lists of results are flattened in C: per item, reading the results costs no
    # Python bytecode, which matters at tens of nanoseconds per test.
    return itertools.chain.from_iterable(_results(window, end_time))
