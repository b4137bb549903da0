"""Feeding a ``map`` to the cluster: the input read into chunks, their sizes, the window
of chunks in flight.

- ``Source`` reads the input lazily; a numpy integer array, a list, a tuple or a
  range is sliced (no per-item Python code on the client), a slice of a list of ints
  that fit in 64 bits travels as a uint64 array (``to_u64``: one C loop), a range as
  ``arange`` arithmetic; anything else (big ints, floats, strings...) travels as a
  list.  ``ArgsSource`` reads the argument tuples of a general ``map``.
- ``ChunkSizes`` sizes the chunks from the compute time the tasks report.
- ``MapWindow`` keeps at most ``max_in_flight`` chunks submitted ahead of the one being
  read, yields their results in order and raises an item's error at its position.
"""

from __future__ import annotations

import array
import concurrent.futures
import itertools
import os
from collections import deque
from typing import Any, Callable, Deque, Iterable, Iterator, List, Optional, Protocol, Sequence, Tuple

from ..._env import U64
from .deps import require

__all__ = [
    "TASK_SECONDS",
    "MIN_TASK_SECONDS",
    "MAX_CHUNK",
    "IN_FLIGHT_PER_THREAD",
    "PRIOR_COST",
    "to_u64",
    "Source",
    "ArgsSource",
    "ChunkSizes",
    "MapWindow",
]

#: Each chunk task is sized for about this much compute on its worker.  Measured here
#: (bench_dask.py --sweep, LocalCluster 2 x 1 thread): a task costs 3.6 ms of wall time
#: beyond its work on a quiet machine (4.1-4.8 ms per streamed trivial task), up to
#: ~9.5 ms when the machine is loaded by other processes; 0.25 s of work keeps that
#: at 1.5-4%.
TASK_SECONDS = 0.25
#: Chunks near the end of an input of known length shrink so the workers finish
#: together, but never below this much work: 20 x the 4-5 ms per-task cost (< 5%).
MIN_TASK_SECONDS = 0.1
#: Never more items per chunk (memory: 32 MB of uint64 per chunk in flight).
MAX_CHUNK = 1 << 22
#: Default chunks in flight per worker thread of the cluster: one running, one queued,
#: so a worker never idles for a round trip (a lone task's round trip is ~10 ms).
#: Measured (10^7 numbers, 2 threads): 1 per thread 1.25 s, 2: 1.15 s, 3: 0.95 s,
#: 4: 1.09 s on a loaded machine -- within noise beyond 2; more only costs memory.
IN_FLIGHT_PER_THREAD = 2

#: Prior estimates of the compute time per item (seconds, one thread), used until the
#: first tasks report their real cost: (implementation, kind) -> seconds.  Measured here
#: on random odd 64-bit numbers; a wrong prior only mis-sizes the first chunks.
PRIOR_COST = {
    ("cython", "is_prime"): 4e-8,
    ("python", "is_prime"): 4.3e-6,
    ("cython", "next_prime"): 1.3e-6,
    ("python", "next_prime"): 9e-5,
    ("cython", "prev_prime"): 1.3e-6,
    ("python", "prev_prime"): 9e-5,
}

#: What a finished chunk gives: ``(results, count, error, seconds)`` (``worker.chunk_task``).
Outcome = Tuple[Any, int, Optional[BaseException], float]


def to_u64(np: Any, part: Sequence[Any]) -> Any:
    """``part`` as a uint64 array when every item is an integer in [0, 2**64).

    ``array('Q', ...)`` converts in one C loop through ``__index__``, exactly the
    conversion fastprime's functions apply; floats, strings, negative and big ints
    make it refuse.

    Args:
        np: the numpy module.
        part: the items.

    Returns:
        A uint64 array, or None (then the part travels as it is and the worker reports
        the error of a refused item at its position).
    """
    try:
        return np.frombuffer(array.array("Q", part), dtype=np.uint64)
    except Exception:  # noqa: BLE001 - TypeError, OverflowError, or an __index__ that raises
        return None


class Source:
    """Reads the iterable of a batched ``map`` in chunks, as compact payloads."""

    def __init__(self, iterable: Iterable[Any]) -> None:
        self.np = np = require("numpy")
        self.length = -1  # unknown
        self.mode = "iter"
        self.position = 0
        self.sequence: Any = None
        if isinstance(iterable, np.ndarray) and iterable.ndim == 1:
            self.sequence = iterable
            sized_int = iterable.dtype.kind in "iu" and iterable.dtype.itemsize in (1, 2, 4, 8)
            self.mode = "array" if sized_int else "objects"
            self.length = len(iterable)
        elif type(iterable) in (list, tuple):
            self.sequence, self.mode, self.length = iterable, "sequence", len(iterable)  # type: ignore[arg-type]
        elif type(iterable) is range:
            try:
                self.length = len(iterable)
                self.sequence, self.mode = iterable, "range"
            except OverflowError:  # range(10**30): read as an iterator
                pass
        self.iterator: Optional[Iterator[Any]] = iter(iterable) if self.mode == "iter" else None
        self.exhausted = False
        self.read = 0

    def take(self, want: int) -> Tuple[Any, int, Optional[BaseException]]:
        """The next chunk.

        Args:
            want: the most items to read.

        Returns:
            ``(payload, count, error)``: the next ``count`` (<= want) items; ``error`` if
            reading the input itself failed after them (the input then ends).
        """
        if self.mode == "iter":
            values: List[Any] = []
            try:
                values.extend(itertools.islice(self.iterator, want))  # type: ignore[arg-type]
            except Exception as exc:  # noqa: BLE001 - the input's own error, at its position
                self.exhausted = True
                return self._list_payload(values), len(values), exc
            self.exhausted = len(values) < want
            self.read += len(values)
            return self._list_payload(values), len(values), None
        start = self.position
        # A list may change length while it is read (as a list iterator sees it).
        length = len(self.sequence) if self.mode == "sequence" else self.length
        stop = min(start + want, length)
        self.position = stop
        self.exhausted = stop >= length
        count = max(0, stop - start)
        self.read += count
        if count == 0:
            return None, 0, None
        return self._slice(start, stop), count, None

    def _slice(self, start: int, stop: int) -> Any:
        np = self.np
        if self.mode == "array":
            part = self.sequence[start:stop]
            return part if part.dtype.isnative else part.astype(part.dtype.newbyteorder("="))
        if self.mode == "objects":  # object, float, bool... arrays: their items, as iterating gives them
            return self._list_payload(list(self.sequence[start:stop]))
        if self.mode == "range":
            r = self.sequence[start:stop]
            if 0 <= min(r[0], r[-1]) and max(r[0], r[-1]) < U64:
                steps = np.arange(len(r), dtype=np.uint64)
                # Modular uint64 arithmetic; every result is in range, so it is exact.
                if r.step > 0:
                    return np.uint64(r[0]) + steps * np.uint64(r.step)
                return np.uint64(r[0]) - steps * np.uint64(-r.step)
            return list(r)
        return self._list_payload(self.sequence[start:stop])

    def _list_payload(self, part: Sequence[Any]) -> Any:
        if not part:
            return None
        packed = to_u64(self.np, part)
        return packed if packed is not None else list(part)


class ArgsSource:
    """The argument tuples of a general ``map``, read ``chunksize`` at a time."""

    def __init__(self, iterator: Iterator[Tuple[Any, ...]]) -> None:
        self.iterator = iterator
        self.exhausted = False
        self.read = 0
        self.length = -1

    def take(self, want: int) -> Tuple[Any, int, Optional[BaseException]]:
        """``(arg_tuples, count, error)``, as ``Source.take``."""
        values: List[Tuple[Any, ...]] = []
        try:
            values.extend(itertools.islice(self.iterator, want))
        except Exception as exc:  # noqa: BLE001 - the input's own error, at its position
            self.exhausted = True
            return values, len(values), exc
        self.exhausted = len(values) < want
        self.read += len(values)
        return values, len(values), None


class ChunkSizes:
    """Chunk sizes from the measured cost per item (see ``TASK_SECONDS``)."""

    def __init__(self, prior_cost: float, length: int, slots: int, fixed: Optional[int] = None) -> None:
        self.cost = prior_cost  # seconds per item, one worker thread
        self.length = length
        self.slots = max(1, slots)
        self.fixed = fixed

    def observe(self, count: int, seconds: float) -> None:
        """Take the cost a task reported: ``count`` items in ``seconds``."""
        if count > 0 and seconds > 0:
            measured = seconds / count
            # Smoothed, but a big change (big ints after small ones) is taken quickly.
            self.cost = measured if self.cost <= 0 else 0.5 * self.cost + 0.5 * measured

    def next(self, read: int) -> int:
        """The size of the next chunk, ``read`` items having been read."""
        if self.fixed is not None:
            return self.fixed
        size = max(1, int(TASK_SECONDS / self.cost))
        if self.length >= 0 and self.length > read:
            # A share of what is left, so the last chunks end together.
            smallest = max(1, int(MIN_TASK_SECONDS / self.cost))
            size = min(size, max(smallest, -(-(self.length - read) // (2 * self.slots))))
        return max(1, min(MAX_CHUNK, size))


class Submitter(Protocol):
    """What ``MapWindow`` needs of the executor (``DaskExecutor``)."""

    _shut_down: bool
    _cancel_pending: bool

    def _submit_task(self, fn: Callable[..., Any], args: Tuple[Any, ...], key: str, eager: bool) -> Any: ...

    def _result(self, future: Any, end_time: Optional[float]) -> Outcome: ...


class _Done:
    """A finished chunk that needs no task (an error of the input itself)."""

    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome

    def cancel(self) -> None:
        pass


class _Cancelled:
    """A chunk never submitted: the executor was shut down with ``cancel_futures``."""

    def cancel(self) -> None:
        pass


class MapWindow:
    """The chunks of one ``map`` in flight, in order, and the iterator of their results.

    Each chunk is ONE dask task with a unique key (``<prefix>-<map id>-<n>``): never
    merged with an identical chunk, so cancelling one map's chunk cannot cancel
    another's, and no time goes into hashing megabytes of data to make a key.
    """

    def __init__(
        self,
        executor: Submitter,
        source: Any,
        make_task: Callable[[Any], Tuple[Callable[..., Any], Tuple[Any, ...]]],
        sizes: ChunkSizes,
        max_in_flight: int,
        prefix: str,
        end_time: Optional[float],
        expand: Callable[[Any, int], Any],
    ) -> None:
        self.executor = executor
        self.source = source
        self.make_task = make_task
        self.sizes = sizes
        self.max_in_flight = max(1, max_in_flight)
        self.prefix = f"{prefix}-{os.urandom(16).hex()}"
        self.counter = itertools.count()
        self.end_time = end_time
        self.expand = expand
        self.entries: Deque[Any] = deque()

    def fill(self, eager: bool) -> None:
        """Submit chunks until ``max_in_flight`` are in flight or the input ends.

        Args:
            eager: raise a submission's error now (the first fill, in ``map`` itself);
                later ones are raised by the iterator, at their position.
        """
        ex = self.executor
        while not self.source.exhausted and len(self.entries) < self.max_in_flight:
            payload, count, error = self.source.take(self.sizes.next(self.source.read))
            if count:
                if ex._shut_down and ex._cancel_pending:
                    self.entries.append(_Cancelled())
                else:
                    fn, args = self.make_task(payload)
                    key = f"{self.prefix}-{next(self.counter)}"
                    try:
                        self.entries.append(ex._submit_task(fn, args, key, eager=eager))
                    except Exception as exc:
                        if eager:
                            raise
                        self.source.exhausted = True
                        self.entries.append(_Done(([], 0, exc, 0.0)))
                        return
            if error is not None:
                self.entries.append(_Done(([], 0, error, 0.0)))

    def results(self) -> Iterator[Any]:
        """The chunks' results in order (expanded), then the first error at its item."""
        current = None
        try:
            while True:
                self.fill(eager=False)
                if not self.entries:
                    return
                current = self.entries.popleft()
                if isinstance(current, _Done):
                    out, count, error, seconds = current.outcome
                elif isinstance(current, _Cancelled):
                    raise concurrent.futures.CancelledError()
                else:
                    out, count, error, seconds = self.executor._result(current, self.end_time)
                    self.sizes.observe(count + (error is not None), seconds)
                current = None
                if error is None:
                    # Refill before the caller reads this chunk's results, so the
                    # workers stay busy meanwhile (max_in_flight + this one, at most).
                    self.fill(eager=False)
                if count:
                    yield self.expand(out, count)
                if error is not None:
                    try:
                        raise error
                    finally:
                        error = None
        finally:
            # Read no further, cancel what is in flight (also when the iterator is dropped
            # unfinished; then the client may be gone already, at interpreter exit).
            self.source.exhausted = True
            pending = ([current] if current is not None else []) + list(self.entries)
            self.entries.clear()
            for entry in pending:
                try:
                    entry.cancel()
                except Exception:  # noqa: BLE001, S110 - best effort: the client may be gone
                    pass
