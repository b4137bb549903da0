"""``fastprime.Executor``: a ``concurrent.futures`` executor that runs fastprime on every core.

>>> import fastprime
>>> with fastprime.Executor() as executor:
...     list(executor.map(fastprime.is_prime, [112272535095293, 112272535095295]))
[True, False]

It is a ``concurrent.futures.Executor`` like ``ThreadPoolExecutor`` and
``ProcessPoolExecutor`` (it wraps one of them), with one difference you can measure:
``map(fastprime.is_prime, numbers)`` does not make one future per number.  It reads the
numbers in chunks; each chunk is tested by the compiled kernel's batch loop, which
releases the GIL, so worker threads run in parallel; results come back lazily, one
``bool`` per number, in order.  ``next_prime`` and ``prev_prime`` are chunked too.
"""

from __future__ import annotations

import concurrent.futures
import operator
import os
import sys
import weakref
from concurrent.futures import Future, ThreadPoolExecutor
from types import ModuleType
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, ParamSpec, Tuple, TypeVar

from ._chunks import implementation_name
from ._fastmap import ChunkSizes, ProcessRunner, ThreadRunner, _cancelled, chunked_map
from ._offload import ProcessOffload
from ._process_pool import ProcessPool

__all__ = ["Executor", "default_max_workers", "gil_enabled"]

T = TypeVar("T")
P = ParamSpec("P")

BACKENDS = ("auto", "thread", "process")

_THREAD_OPTIONS = frozenset({"initializer", "initargs", "thread_name_prefix"})
_PROCESS_OPTIONS = frozenset({"initializer", "initargs", "mp_context", "max_tasks_per_child"})

#: ``Executor.map`` has ``buffersize`` where the standard library's has it (3.14+).
HAS_BUFFERSIZE = sys.version_info >= (3, 14)

# Chunk sizes, in items read per chunk: (smallest, largest); see chunk_sizes().
#  - threads: the kernel's batch costs ~0.1 µs per number, a task ~20 µs of overhead;
#    long inputs get chunks of 65536 (fewer hand-offs of the GIL between the workers
#    measured faster than 16384), short ones are cut so every worker gets a share,
#    which matters when the numbers are big (milliseconds each in a helper process).
#  - processes: pickling and the pipe cost more; with the pure-Python twin (~6 µs per
#    number) even small chunks are worth it, and tasks are cut further by cost.
_THREAD_CHUNKS = (128, 65536)
_PROCESS_CHUNKS = {"python": (1, 4096), "cython": (256, 16384)}


def default_max_workers() -> int:
    """The number of CPUs this process may run on (its affinity mask, where known)."""
    process_cpu_count = getattr(os, "process_cpu_count", None)  # Python 3.13+
    if process_cpu_count is not None:
        count = process_cpu_count()
    else:
        try:
            count = len(os.sched_getaffinity(0))
        except (AttributeError, OSError):
            count = os.cpu_count()
    return count or 1


def gil_enabled() -> bool:
    """Whether this interpreter runs with the GIL (always, before free-threaded 3.13t)."""
    is_gil_enabled = getattr(sys, "_is_gil_enabled", None)
    return True if is_gil_enabled is None else bool(is_gil_enabled())


def _auto_backend() -> str:
    from . import implementation

    # Threads scale when the work runs without the GIL: the compiled kernel's batch
    # loop releases it, and a free-threaded interpreter has none.
    return "thread" if implementation == "cython" or not gil_enabled() else "process"


def _fast_functions() -> List[Tuple[Callable[..., Any], str, ModuleType]]:
    from . import fallback

    modules: List[ModuleType] = [fallback]
    try:
        from . import _cfastprime
    except ImportError:
        pass
    else:
        modules.append(_cfastprime)
    return [(getattr(module, kind), kind, module) for module in modules for kind in ("is_prime", "next_prime", "prev_prime")]


_FAST: Optional[List[Tuple[Callable[..., Any], str, ModuleType]]] = None


def _fast_function(fn: object) -> Optional[Tuple[str, ModuleType]]:
    """``(kind, implementation module)`` if ``fn`` is one of fastprime's functions."""
    global _FAST
    if _FAST is None:
        _FAST = _fast_functions()
    for function, kind, module in _FAST:
        # Identity, not ==: fn may be any callable, even an unhashable one.
        if fn is function:
            return kind, module
    return None


def _check_options(backend: str, options: Dict[str, Any]) -> None:
    allowed = _THREAD_OPTIONS if backend == "thread" else _PROCESS_OPTIONS
    for name in options:
        if name in allowed:
            if name == "max_tasks_per_child" and sys.version_info < (3, 11):
                raise TypeError("Executor() option 'max_tasks_per_child' needs Python 3.11 or newer")
            continue
        if name in _THREAD_OPTIONS or name in _PROCESS_OPTIONS:
            other = "thread" if name in _THREAD_OPTIONS else "process"
            raise TypeError(
                f"Executor() option {name!r} is not supported by the {backend!r} backend "
                f"(it is a {other}-pool option; pass backend={other!r} to use it)"
            )
        raise TypeError(f"Executor() got an unexpected keyword argument {name!r}")


class Executor(concurrent.futures.Executor):
    """An executor that runs calls on a pool of worker threads or processes.

    ``Executor(max_workers=None, *, backend="auto", **options)``

    - ``max_workers``: number of workers; by default, the CPUs this process may use.
    - ``backend``: ``"thread"``, ``"process"`` or ``"auto"``: threads when the compiled
      kernel is loaded (its batch loop runs without the GIL) or the interpreter has no
      GIL, processes otherwise.  ``executor.backend`` tells which was chosen.
    - ``options``: the standard library's: ``initializer``, ``initargs`` and
      ``thread_name_prefix`` for threads; ``initializer``, ``initargs``, ``mp_context``
      and ``max_tasks_per_child`` for processes.  One the backend cannot honour is a
      ``TypeError``.

    ``submit``, ``map``, ``shutdown`` and the context manager behave as in
    ``ThreadPoolExecutor``/``ProcessPoolExecutor`` and return real
    ``concurrent.futures.Future`` objects.  ``map`` over ``fastprime.is_prime``,
    ``next_prime`` or ``prev_prime`` (either implementation's function) with one
    iterable is chunked: no future per item, the input read lazily with a bounded
    number of items in flight (an endless input is fine), one result per item in order,
    and a refused item's ``TypeError`` raised at its position.  ``chunksize`` does not
    apply to it (the chunks are sized from the input); ``timeout`` and ``buffersize``
    do.  On the thread backend, work that would hold the GIL in a thread (numbers
    >= 2**64, the next/prev prime searches) goes to helper processes, one per worker
    thread, started on first need, when there is enough of it (on Linux they are
    forked; elsewhere they are spawned and, as for any process pool, need the main
    module to be importable: the ``if __name__ == "__main__":`` guard).  Read a chunked
    ``map``'s results before the executor shuts down: chunks not yet started then are
    computed in the reading thread.
    """

    def __init__(self, max_workers: Optional[int] = None, *, backend: str = "auto", **options: Any) -> None:
        if backend not in BACKENDS:
            raise ValueError(f"backend must be one of {', '.join(map(repr, BACKENDS))}, not {backend!r}")
        chosen = _auto_backend() if backend == "auto" else backend
        _check_options(chosen, options)
        if max_workers is None:
            max_workers = default_max_workers()
            if chosen == "process" and sys.platform == "win32":
                max_workers = min(max_workers, 61)  # the limit ProcessPoolExecutor has there
        else:
            try:
                max_workers = operator.index(max_workers)
            except TypeError:
                raise TypeError(
                    f"max_workers must be an integer or None, not {type(max_workers).__name__!r}"
                ) from None
            if max_workers <= 0:
                raise ValueError("max_workers must be greater than 0")
        self._backend = chosen
        self._max_workers = max_workers
        self._shut_down = False
        self._cancel_pending = False
        self._pool: concurrent.futures.Executor
        self._offload: Optional[ProcessOffload] = None
        if chosen == "thread":
            self._pool = ThreadPoolExecutor(max_workers, **options)
            if gil_enabled():
                offload = self._offload = ProcessOffload()
                # Stop the helper processes when the executor is collected unshut.
                weakref.finalize(self, offload.shutdown, False)
        else:
            self._pool = ProcessPool(max_workers, **options)

    @property
    def backend(self) -> str:
        """The backend in use: ``"thread"`` or ``"process"``."""
        return self._backend

    @property
    def max_workers(self) -> int:
        """The number of worker threads or processes."""
        return self._max_workers

    def __repr__(self) -> str:
        state = ", shut down" if self._shut_down else ""
        return f"<fastprime.Executor backend={self._backend!r} max_workers={self._max_workers}{state}>"

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> "Future[T]":
        """Schedule ``fn(*args, **kwargs)``; return its ``concurrent.futures.Future``."""
        return self._pool.submit(fn, *args, **kwargs)

    def _map(
        self,
        fn: Callable[..., T],
        iterables: Tuple[Iterable[Any], ...],
        timeout: Optional[float],
        chunksize: int,
        buffersize: Optional[int],
    ) -> Iterator[T]:
        fast = _fast_function(fn) if len(iterables) == 1 else None
        if fast is None:
            extra = {} if buffersize is None else {"buffersize": buffersize}
            return self._pool.map(fn, *iterables, timeout=timeout, chunksize=chunksize, **extra)
        # The same argument checks as the standard library's map on this backend.
        if self._backend == "process" and chunksize < 1:
            raise ValueError("chunksize must be >= 1.")
        if buffersize is not None:
            if not isinstance(buffersize, int):
                raise TypeError("buffersize must be an integer or None")
            if buffersize < 1:
                raise ValueError("buffersize must be None or > 0")
        kind, impl = fast
        impl_name = implementation_name(impl)
        iterable = iterables[0]
        workers = self._max_workers
        if self._backend == "thread":
            runner: Any = ThreadRunner(self, impl, impl_name, kind, self._offload)
            smallest, largest = _THREAD_CHUNKS
        else:
            runner = ProcessRunner(self, impl, impl_name, kind)
            smallest, largest = _PROCESS_CHUNKS[impl_name]
        try:
            hint = operator.length_hint(iterable)
        except Exception:  # a broken __length_hint__ only costs the size guess
            hint = 0
        sizes = ChunkSizes(hint, workers, smallest, largest, cap=buffersize)
        # Enough chunks in flight that every worker has the next one queued; with a
        # buffersize, no more unread results than that, as in the standard library.
        max_in_flight = (2 * workers + 1) * largest if buffersize is None else buffersize
        return chunked_map(runner, iterable, sizes=sizes, max_in_flight=max_in_flight, timeout=timeout)

    if sys.version_info >= (3, 14):  # as the standard library: buffersize is new in 3.14

        def map(
            self,
            fn: Callable[..., T],
            *iterables: Iterable[Any],
            timeout: Optional[float] = None,
            chunksize: int = 1,
            buffersize: Optional[int] = None,
        ) -> Iterator[T]:
            """Return an iterator equivalent to ``map(fn, *iterables)``, computed by the workers.

            ``timeout`` bounds the whole iteration (``TimeoutError``); ``chunksize``
            groups calls per process task; ``buffersize`` bounds how many inputs are
            read ahead of the results.  Over fastprime's own functions the work is
            chunked automatically (see the class docstring).
            """
            return self._map(fn, iterables, timeout, chunksize, buffersize)

    else:

        def map(
            self,
            fn: Callable[..., T],
            *iterables: Iterable[Any],
            timeout: Optional[float] = None,
            chunksize: int = 1,
        ) -> Iterator[T]:
            """Return an iterator equivalent to ``map(fn, *iterables)``, computed by the workers.

            ``timeout`` bounds the whole iteration (``TimeoutError``); ``chunksize``
            groups calls per process task.  Over fastprime's own functions the work is
            chunked automatically (see the class docstring).
            """
            return self._map(fn, iterables, timeout, chunksize, None)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Free the workers once pending work is done; ``cancel_futures`` cancels what has
        not started.  Safe to call more than once; nothing can be submitted afterwards."""
        if cancel_futures:
            self._cancel_pending = True
        self._shut_down = True
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)
        if self._offload is not None:
            self._offload.shutdown(wait=wait)

    def _schedule(self, eager: bool, fn: Callable[..., Any], *args: Any) -> "Optional[Future[Any]]":
        """Submit a chunk task of a fast-path ``map``.

        Once shut down: ``map()`` itself raises ``RuntimeError`` (``eager``) as the
        standard library's does; later chunks give ``None`` (the caller computes them
        itself), or a cancelled future after ``shutdown(cancel_futures=True)``.
        """
        if not self._shut_down:
            try:
                return self._pool.submit(fn, *args)
            except RuntimeError:
                if not self._shut_down:  # broken, or the interpreter is exiting
                    raise
        if eager:
            raise RuntimeError("cannot schedule new futures after shutdown")
        return _cancelled() if self._cancel_pending else None
