"""What the pieces of a chunked ``map`` share: chunks, outcomes, and the scheduler interface.

``fastprime.Executor`` and the chunked map talk only through ``Scheduler``, a
Protocol: the map's runners submit chunk tasks to it and never touch an executor's
private names.  ``executor.PoolScheduler`` implements it over a standard-library pool.
"""

from __future__ import annotations

import operator
from concurrent.futures import Future
from typing import Any, Callable, Iterator, List, Optional, Protocol, Sequence, Tuple, Union

__all__ = [
    "check_max_workers",
    "Outcome",
    "Scheduler",
    "Runner",
    "Span",
    "Chunk",
    "chunk_values",
    "chunk_source",
    "completed",
    "cancelled",
]

#: What a chunk task returns: the results of the chunk's leading items, and the error
#: of the first refused item (or None).  See ``tasks``.
Outcome = Tuple[List[Any], Optional[BaseException]]


class Scheduler(Protocol):
    """Where chunk tasks run: a pool that may shut down while a map is being read."""

    def schedule(self, eager: bool, fn: Callable[..., Any], *args: Any) -> "Optional[Future[Any]]":
        """Submit ``fn(*args)``.

        Args:
            eager: True while ``map()`` itself is running: a shut-down pool then raises
                ``RuntimeError``, as the standard library's ``map`` does.
            fn, args: the chunk task.

        Returns:
            The task's future; ``None`` when the pool is shut down (the caller computes
            the chunk itself, as the standard library's results stay available after
            ``shutdown``); a cancelled future after ``shutdown(cancel_futures=True)``.

        Raises:
            RuntimeError: ``eager`` and the pool is shut down, or the pool is broken.
        """
        ...


class Runner(Protocol):
    """Starts the tasks of one chunk (see ``runners``)."""

    impl: Any
    kind: str

    def start(self, chunk: "Chunk", eager: bool) -> Iterator[Tuple["Future[Any]", int]]:
        """Start ``chunk`` as one or more tasks, yielding ``(future, item count)`` in order."""
        ...


class Span:
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


Chunk = Union[List[Any], Span]


def chunk_values(chunk: Chunk) -> List[Any]:
    """The chunk's items as a list (a list chunk is returned as it is)."""
    return chunk if type(chunk) is list else chunk.values()  # type: ignore[union-attr]


def chunk_source(chunk: Chunk) -> Tuple[Sequence[Any], int, Optional[int]]:
    """``(sequence, start, stop)`` for the kernel's batch call, which reads lists and
    tuples in place: no copy of the chunk, no reference taken per number."""
    if type(chunk) is list:
        return chunk, 0, None  # type: ignore[return-value]
    sequence = chunk.sequence  # type: ignore[union-attr]
    if type(sequence) is range:
        return chunk.values(), 0, None  # type: ignore[union-attr]
    return sequence, chunk.start, chunk.stop  # type: ignore[union-attr]


def check_max_workers(max_workers: object) -> int:
    """``max_workers`` as the standard library's executors take it (not None).

    Raises:
        TypeError: not an integer.
        ValueError: not positive.
    """
    try:
        count = operator.index(max_workers)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(f"max_workers must be an integer or None, not {type(max_workers).__name__!r}") from None
    if count <= 0:
        raise ValueError("max_workers must be greater than 0")
    return count


def completed(result: Any) -> "Future[Any]":
    """A future that already holds ``result``."""
    future: "Future[Any]" = Future()
    future.set_result(result)
    return future


def cancelled() -> "Future[Any]":
    """A future that is already cancelled."""
    future: "Future[Any]" = Future()
    future.cancel()
    future.set_running_or_notify_cancel()
    return future
