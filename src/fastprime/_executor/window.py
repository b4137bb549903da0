"""The chunked ``map`` behind ``Executor.map(fastprime.is_prime, ...)``: the window of chunks.

The standard library's ``map`` makes one future per item and reads its whole input
up front.  Here the input is read lazily in chunks; each chunk is one task, at most a
bounded number of input items are in flight at once (so an endless input runs in
bounded memory), and the results come back as one ``bool`` (or ``int``) per input
item, in order.  An exception for an item is raised at that item's position, after
every result before it, and ends the iteration, as in the standard library.

A chunk task returns an ``Outcome``, ``(results, error)``: the results of the chunk's
leading items and the error of the first refused one (or ``None``), see ``tasks``.
Where a chunk runs is the runner's business (``runners``).
"""

from __future__ import annotations

import time
from collections import deque
from itertools import islice
from typing import Any, Deque, Iterable, Iterator, List, Optional, Sequence, Tuple

from .base import Chunk, Runner, Span, completed

__all__ = ["chunked_map", "ChunkSizes"]

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


_SEQUENCES = (list, tuple, range)


class _Window:
    """The chunks in flight, in input order, and the input they are read from."""

    def __init__(self, runner: Runner, iterable: Iterable[Any], sizes: ChunkSizes, max_in_flight: int) -> None:
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
                    self._start(Span(self.sequence, start, stop), eager)
                continue
            values: List[Any] = []
            try:
                values.extend(islice(self.source, want))
            except Exception as error:  # noqa: BLE001 - re-raised after the items before it
                # The input itself failed: its error comes after the items read before it.
                self.source = None
                self._start(values, eager)
                self.entries.append((completed(([], error)), 0))
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
            self.entries.append((completed(([], error)), 0))

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
    runner: Runner,
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
