"""The chunked ``map`` behind ``Executor.map(fastprime.is_prime, ...)``.

The standard library's ``map`` makes one future per item and reads its whole input
up front.  Here the input is read lazily in chunks; each chunk is one task, at most a
bounded number of input items are in flight at once (so an endless input runs in
bounded memory), and the results come back as one ``bool`` (or ``int``) per input
item, in order.  An exception for an item is raised at that item's position, after
every result before it, and ends the iteration, as in the standard library.

A chunk task returns ``(results, error)``: the results of the chunk's leading items
and the error of the first refused one (or ``None``), see ``_chunks``.
"""

from __future__ import annotations

import time
import weakref
from collections import deque
from concurrent.futures import Future
from itertools import islice
from types import ModuleType
from typing import Any, Callable, Deque, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from . import _bpsw
from ._chunks import Outcome, apply_each, batch_is_prime, run_task, to_ints
from ._cost import cost_us, costs_us
from ._offload import ProcessOffload

__all__ = ["chunked_map", "ThreadRunner", "ProcessRunner", "ChunkSizes"]

_U64 = 1 << 64

# -- chunk tasks run in worker threads ------------------------------------------------


def _thread_is_prime(impl: ModuleType, impl_name: str, chunk: "Chunk", offload: Optional[ProcessOffload]) -> Outcome:
    values, start, stop = _source(chunk)
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


def _thread_apply(impl: ModuleType, impl_name: str, kind: str, chunk: "Chunk", offload: Optional[ProcessOffload]) -> Outcome:
    # next_prime/prev_prime keep the GIL for the whole search, so with a GIL their
    # work goes to a helper process when there is enough of it.
    ints, error = to_ints(_values(chunk), kind)
    outcome = offload.run(impl_name, kind, ints) if offload is not None else None
    out, first_error = outcome if outcome is not None else apply_each(getattr(impl, kind), ints)
    # An error among the ints comes before the refused item that ended them.
    return out, first_error if first_error is not None else error


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

    def _schedule(self, eager: bool, fn: Callable[..., Any], *args: Any) -> "Optional[Future[Any]]":
        executor = self._executor_ref()
        if executor is None:
            return None
        future: "Optional[Future[Any]]" = executor._schedule(eager, fn, *args)
        return future

    def start(self, chunk: "Chunk", eager: bool) -> Iterator[Tuple[Any, int]]:
        """Start ``chunk`` as one or more tasks, yielding ``(future, item count)`` in order."""
        raise NotImplementedError


class ThreadRunner(_Runner):
    """Chunks run in the executor's worker threads (GIL-bound parts go to helpers)."""

    def __init__(self, executor: Any, impl: ModuleType, impl_name: str, kind: str, offload: Optional[ProcessOffload]) -> None:
        super().__init__(executor, impl, impl_name, kind)
        self.offload = offload

    def start(self, chunk: "Chunk", eager: bool) -> Iterator[Tuple[Any, int]]:
        if self.kind == "is_prime":
            task: Callable[..., Outcome] = _thread_is_prime
            args: Tuple[Any, ...] = (self.impl, self.impl_name, chunk)
        else:
            task = _thread_apply
            args = (self.impl, self.impl_name, self.kind, chunk)
        future = self._schedule(eager, task, *args, self.offload)
        if future is None:
            future = _completed(task(*args, None))
        yield future, len(chunk)


class ProcessRunner(_Runner):
    """Chunks run in the executor's worker processes, cut to even out their cost."""

    #: Estimated work (µs) of one process task: large enough to hide the pickling
    #: and pipe traffic, small enough that the last task leaves no worker idle long.
    TASK_US = 10_000.0

    def start(self, chunk: "Chunk", eager: bool) -> Iterator[Tuple[Any, int]]:
        # Checked here, in the consumer, rather than in the worker: the items sent are
        # then plain ints (cheap to pickle) and their sizes give the cost of each task.
        values = _values(chunk)
        ints, error = to_ints(values, self.kind)
        for piece in self._pieces(ints):
            future = self._schedule(eager, run_task, self.impl_name, self.kind, piece)
            if future is None:
                future = _completed(run_task(self.impl_name, self.kind, piece))
            yield future, len(piece)
        if error is not None:
            yield _completed(([], error)), len(values) - len(ints)

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
        for end, cost in enumerate(costs_us(self.kind, ints, self.impl_name, engine), 1):
            spent += cost
            if spent >= self.TASK_US:
                yield ints[start:end]
                start, spent = end, 0.0
        if start < len(ints):
            yield ints[start:]


# -- chunk sizes ---------------------------------------------------------------------


class ChunkSizes:
    """How many items to read per chunk.

    With a known length, guided by what is left: each chunk is a share of the
    remaining items (``remaining / (2 * workers)``), so chunks are large while there is
    much to do and shrink towards the end, where a large chunk would leave the other
    workers idle while one finishes it.  Without one, chunks grow from the smallest
    to the largest, so a short input is still spread over the workers and a long one
    pays little per-chunk overhead.  Always within [smallest, largest] (and at most
    ``cap``, the ``buffersize``).
    """

    def __init__(self, length_hint: int, workers: int, smallest: int, largest: int, cap: Optional[int] = None) -> None:
        self.total = length_hint
        self.workers = workers
        self.smallest = smallest
        self.largest = min(largest, cap) if cap is not None else largest
        self.ramp = smallest

    def next(self, read: int) -> int:
        """The size of the next chunk, ``read`` items having been read so far."""
        remaining = self.total - read
        if remaining > 0:
            size = -(-remaining // (2 * self.workers))
        else:  # unknown length, or more items than the hint said: grow
            size = self.ramp
            self.ramp = min(self.largest, self.ramp * 2)
        return max(1, min(self.largest, max(self.smallest, size)))


# -- the result iterator -------------------------------------------------------------


class _Span:
    """Items ``start:stop`` of a list, tuple or range, read where they are used.

    For these inputs the consuming thread reads nothing: the worker reads the chunk
    itself (the kernel's batch call reads a list or tuple in place; other kinds of
    work take a slice).
    """

    __slots__ = ("sequence", "start", "stop")

    def __init__(self, sequence: Sequence[Any], start: int, stop: int) -> None:
        self.sequence = sequence
        self.start = start
        self.stop = stop

    def __len__(self) -> int:
        return self.stop - self.start

    def values(self) -> List[Any]:
        part = self.sequence[self.start:self.stop]
        return part if type(part) is list else list(part)


Chunk = Union[List[Any], _Span]


def _values(chunk: Chunk) -> List[Any]:
    return chunk if type(chunk) is list else chunk.values()  # type: ignore[union-attr]


def _source(chunk: Chunk) -> Tuple[Sequence[Any], int, Optional[int]]:
    """``(sequence, start, stop)`` for the kernel's batch call, which reads lists and
    tuples in place: no copy of the chunk, no reference taken per number."""
    if type(chunk) is list:
        return chunk, 0, None  # type: ignore[return-value]
    sequence = chunk.sequence  # type: ignore[union-attr]
    if type(sequence) is range:
        return chunk.values(), 0, None  # type: ignore[union-attr]
    return sequence, chunk.start, chunk.stop  # type: ignore[union-attr]


_SEQUENCES = (list, tuple, range)


class _Window:
    """The chunks in flight, in input order, and the input they are read from."""

    def __init__(self, runner: _Runner, iterable: Iterable[Any], sizes: ChunkSizes, max_in_flight: int) -> None:
        self.runner = runner
        # Exactly these types: a subclass may override __iter__ or __getitem__.
        self.sequence: Optional[Sequence[Any]] = iterable if type(iterable) in _SEQUENCES else None  # type: ignore[assignment]
        self.length = -1  # of the sequence, when it has one that fits a Py_ssize_t
        if self.sequence is not None:
            try:
                self.length = len(self.sequence)
            except OverflowError:  # range(10**30): read it as the iterator it is
                self.sequence = None
        self.position = 0
        self.source: Optional[Iterator[Any]] = iter(iterable)
        self.sizes = sizes
        self.max_in_flight = max_in_flight
        self.in_flight = 0
        self.read = 0
        self.entries: Deque[Tuple[Any, int]] = deque()

    def fill(self, eager: bool) -> None:
        """Read and start chunks until ``max_in_flight`` input items are in flight."""
        while self.source is not None and self.in_flight < self.max_in_flight:
            want = min(self.sizes.next(self.read), self.max_in_flight - self.in_flight)
            if self.sequence is not None:
                # Read by index, as a list iterator does (it sees the same length changes).
                start = self.position
                stop = min(start + want, len(self.sequence))
                self.position = stop
                if stop >= len(self.sequence):
                    self.source = None
                if stop > start:
                    self._start(_Span(self.sequence, start, stop), eager)
                continue
            values: List[Any] = []
            try:
                values.extend(islice(self.source, want))
            except Exception as error:
                # The input itself failed: its error comes after the items read before it.
                self.source = None
                self._start(values, eager)
                self.entries.append((_completed(([], error)), 0))
                return
            if len(values) < want:
                self.source = None
            self._start(values, eager)

    def _start(self, chunk: Chunk, eager: bool) -> None:
        if not len(chunk):
            return
        self.read += len(chunk)
        try:
            for task in self.runner.start(chunk, eager):
                self.entries.append(task)
                self.in_flight += task[1]
        except Exception as error:
            if eager:
                raise  # from map() itself, as the standard library's submit raises there
            # The executor broke: the error comes at the first item not started.
            self.source = None
            self.entries.append((_completed(([], error)), 0))

    def cancel(self) -> None:
        while self.entries:
            self.entries.popleft()[0].cancel()


def _remaining(end_time: Optional[float]) -> Optional[float]:
    return None if end_time is None else end_time - time.monotonic()


def _results(window: _Window, end_time: Optional[float]) -> Iterator[List[Any]]:
    entries = window.entries
    current = None
    try:
        while True:
            # Start the next chunk before waiting, so the workers never run dry.
            window.fill(eager=False)
            if not entries:
                return
            current, count = entries.popleft()
            out, error = current.result(_remaining(end_time))
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
            current.cancel()
        window.cancel()


def chunked_map(
    runner: _Runner,
    iterable: Iterable[Any],
    *,
    sizes: ChunkSizes,
    max_in_flight: int,
    timeout: Optional[float],
) -> Iterator[Any]:
    """An iterator of ``runner.kind(item)`` for each item of ``iterable``, in order.

    The first chunks are started now (as the standard library submits work when
    ``map`` is called); the rest as results are consumed.
    """
    end_time = None if timeout is None else timeout + time.monotonic()
    window = _Window(runner, iterable, sizes, max_in_flight)
    window.fill(eager=True)
    # Chunks of results (flags or lists) are flattened in C: per item, reading the
    # results costs no Python bytecode, which matters at tens of nanoseconds per test.
    # The input's length, when known, lets list() of the results presize its list.
    results: Iterator[Any] = runner.impl.chain_results(_results(window, end_time), window.length)
    return results
