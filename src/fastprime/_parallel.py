"""Spreading the pieces of a whole-array or whole-range call: over local threads, or an executor.

Used by every whole-array and whole-range entry point (``is_prime_array``, the range
functions): each cuts its work into chunks of a few milliseconds that release the
GIL, and ``run_tasks`` spreads them over threads, the calling thread among them,
stoppable by Ctrl-C; with ``executor=``, ``map_on_executor`` sends them to any
``concurrent.futures.Executor`` with a bounded number in flight.
"""

from __future__ import annotations

import concurrent.futures
import operator
import threading
from collections import deque
from itertools import chain, islice
from typing import Any, Callable, Deque, Iterable, Iterator, List, Optional, Tuple

from ._env import usable_cores

__all__ = ["resolve_workers", "run_tasks", "map_on_executor"]

# How often the calling thread, once out of work, wakes up while waiting for helper
# threads, so a signal is seen even where a blocked join is not interruptible (Windows).
_POLL_SECONDS = 0.1


def resolve_workers(workers: object, func: str) -> int:
    """The thread count a ``workers=`` argument asks for.

    Args:
        workers: ``None`` (every core this process may use) or a positive int.
        func: the public function's name, for the error messages.

    Returns:
        At least 1.

    Raises:
        TypeError: ``workers`` is not an int (a bool is refused too).
        ValueError: ``workers`` < 1.
    """
    if workers is None:
        return usable_cores()
    if isinstance(workers, bool):
        raise TypeError(f"{func}() workers must be a positive int or None, not 'bool'")
    try:
        count = operator.index(workers)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(
            f"{func}() workers must be a positive int or None, not {type(workers).__name__!r}"
        ) from None
    if count < 1:
        raise ValueError(f"{func}() workers must be at least 1, got {count}")
    return count


def run_tasks(tasks: Iterator[Callable[[], None]], threads: int) -> None:
    """Run every task, on ``threads`` threads of which the calling thread is one.

    Every thread takes the next task from the shared iterator until none are left.
    The calling thread returns to Python between its tasks, so Ctrl-C raises
    KeyboardInterrupt there within one chunk; then no further task is handed out,
    the helpers finish the chunk they are on (milliseconds), and the exception
    propagates with no thread left touching the arrays.  An exception in a helper
    stops the others the same way and is re-raised here.
    """
    if threads > 1:
        head = list(islice(tasks, 2))
        if len(head) < 2:  # a single chunk: not worth a thread
            threads = 1
        tasks = chain(head, tasks)
    if threads == 1:
        for each in tasks:
            each()
        return

    lock = threading.Lock()
    stopped = threading.Event()
    errors: List[BaseException] = []

    def next_task() -> Optional[Callable[[], None]]:
        with lock:  # a generator must not be advanced by two threads at once
            return None if stopped.is_set() else next(tasks, None)

    def work() -> None:
        try:
            task: Optional[Callable[[], None]] = next_task()
            while task is not None:
                task()
                task = next_task()
        except BaseException as exc:  # noqa: BLE001 - re-raised by the calling thread
            errors.append(exc)
            stopped.set()

    helpers = [
        threading.Thread(target=work, name=f"fastprime-{i}", daemon=True) for i in range(threads - 1)
    ]
    try:
        for helper in helpers:
            helper.start()
        task: Optional[Callable[[], None]] = next_task()
        while task is not None:
            task()
            task = next_task()
        for helper in helpers:
            while helper.is_alive():
                helper.join(_POLL_SECONDS)  # with a timeout: stays interruptible everywhere
    except BaseException:
        stopped.set()
        for helper in helpers:
            if helper.ident is not None:
                helper.join()
        raise
    if errors:
        raise errors[0]


def map_on_executor(
    executor: "concurrent.futures.Executor",
    fn: Callable[..., Any],
    arg_tuples: Iterable[Tuple[Any, ...]],
    *,
    max_in_flight: Optional[int] = None,
) -> Iterator[Any]:
    """``fn(*args)`` for each tuple of ``arg_tuples`` on ``executor``, results in order.

    The one way the whole-array and whole-range functions spread their pieces over an
    ``executor=`` (a ``fastprime.Executor`` on threads, processes or dask, a
    ``ProcessPoolExecutor``...): ``fn`` and its arguments must pickle where the
    executor needs it (module-level functions do).

    Args:
        executor: any ``concurrent.futures.Executor``.
        fn: the task.
        arg_tuples: its arguments, one tuple per task; read lazily.
        max_in_flight: tasks submitted ahead of the results read (default: twice the
            executor's ``max_workers`` where it has one, else twice the usable cores),
            so memory stays bounded however many pieces there are.

    Returns:
        An iterator of the results, in order.  The first exception is raised at its
        task, after the results before it; the tasks still pending are then cancelled,
        as they are if the iterator is closed early.

    Raises:
        ValueError: ``max_in_flight`` < 1.
    """
    if max_in_flight is None:
        workers = getattr(executor, "max_workers", None) or getattr(executor, "_max_workers", None)
        if not isinstance(workers, int) or workers < 1:
            workers = usable_cores()
        max_in_flight = 2 * workers
    if max_in_flight < 1:
        raise ValueError("max_in_flight must be >= 1")
    arguments = iter(arg_tuples)
    futures: Deque["concurrent.futures.Future[Any]"] = deque(
        executor.submit(fn, *args) for args in islice(arguments, max_in_flight)
    )

    def results() -> Iterator[Any]:
        try:
            while futures:
                result = futures.popleft().result()
                for args in islice(arguments, 1):
                    futures.append(executor.submit(fn, *args))
                yield result
        finally:
            for future in futures:
                future.cancel()

    return results()
