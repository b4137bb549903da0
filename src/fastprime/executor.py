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
import sys
import weakref
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable, Dict, Iterable, Iterator, Optional, ParamSpec, Tuple, TypeVar

from ._env import gil_enabled, implementation_name, usable_cores
from ._executor.base import Runner, check_max_workers
from ._executor.offload import ProcessOffload
from ._executor.process_pool import ProcessPool, check_picklable
from ._executor.runners import ProcessRunner, ThreadRunner
from ._executor.scheduler import PoolScheduler
from ._executor.tasks import fast_function
from ._executor.window import ChunkSizes, chunked_map
from ._loader import implementation

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


#: The default ``max_workers``: the CPUs this process may use (see ``_env.usable_cores``).
default_max_workers = usable_cores


def _auto_backend() -> str:
    # Threads scale when the work runs without the GIL: the compiled kernel's batch
    # loop releases it, and a free-threaded interpreter has none.
    return "thread" if implementation == "cython" or not gil_enabled() else "process"


def _is_dask_client(backend: object) -> bool:
    # By the class's module and name, so that dask is never imported to find out.
    return any(
        klass.__name__ == "Client" and klass.__module__.startswith("distributed")
        for klass in type(backend).__mro__
    )


def _backend_reason(asked: str, chosen: str) -> str:
    if asked != "auto":
        return f"backend={asked!r} was asked for"
    if chosen == "process":
        return (
            "backend='auto' chose processes because the compiled kernel is not in use "
            f"(fastprime.implementation == {implementation!r})"
        )
    return "backend='auto' chose threads"


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
    """An executor that runs calls on worker threads, worker processes, or a dask cluster.

    ``Executor(max_workers=None, *, backend="auto", **options)``

    - ``max_workers``: number of workers.  By default: threads, the standard library's
      ``min(32, cpus + 4)`` (fastprime's own batched ``map`` still uses one thread per
      usable CPU, the work being CPU-bound); processes, the usable CPUs; dask, at most
      that many chunks in flight (default: twice the cluster's threads).
    - ``backend``: ``"thread"``, ``"process"``, ``"auto"``, or a
      ``dask.distributed.Client``.  ``"auto"`` picks threads when the compiled kernel is
      loaded (its batch loop runs without the GIL) or the interpreter has no GIL, and
      processes otherwise, that is, when fastprime was installed without a C compiler.
      **The two differ for your own functions**: processes can only run what pickles
      (module-level functions, not lambdas or nested functions), so
      ``submit(lambda: 5)`` works on threads and raises ``PicklingError`` on processes,
      with a message that says so; pass ``backend="thread"`` to run any callable
      everywhere.  A ``Client`` runs everything on its cluster (``executor.backend ==
      "dask"``), and ``shutdown`` leaves the client open: it is yours.  It needs
      ``pip install "pyfastprime[dask]"``.  ``executor.backend`` tells which was chosen.
    - ``options``: the standard library's: ``initializer``, ``initargs`` and
      ``thread_name_prefix`` for threads; ``initializer``, ``initargs``, ``mp_context``
      and ``max_tasks_per_child`` for processes; none for dask.  One the backend cannot
      honour is a ``TypeError``.

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

    def __init__(self, max_workers: Optional[int] = None, *, backend: Any = "auto", **options: Any) -> None:
        self._dask: Optional[concurrent.futures.Executor] = None
        if not isinstance(backend, str) and _is_dask_client(backend):
            if options:
                raise TypeError(f"Executor() got options the dask backend does not take: {', '.join(sorted(options))}")
            from ._executor.dask import DaskExecutor

            self._dask = DaskExecutor(backend, max_workers)
            self._backend = "dask"
            return
        if backend not in BACKENDS:
            raise ValueError(
                f"backend must be one of {', '.join(map(repr, BACKENDS))} or a dask.distributed.Client, not {backend!r}"
            )
        chosen = _auto_backend() if backend == "auto" else backend
        self._backend_reason = _backend_reason(backend, chosen)
        _check_options(chosen, options)
        # The batched fast path is CPU-bound: it runs on the usable cores, whatever the
        # pool's size.  The pool itself sizes as the standard library's does, so generic
        # submit/map work (I/O, barriers) gets the same concurrency as there.
        self._batch_workers = usable_cores()
        if max_workers is None:
            if chosen == "thread":
                max_workers = min(32, self._batch_workers + 4)  # ThreadPoolExecutor's default
            else:
                max_workers = self._batch_workers
                if sys.platform == "win32":
                    max_workers = min(max_workers, 61)  # the limit ProcessPoolExecutor has there
        else:
            max_workers = self._batch_workers = check_max_workers(max_workers)
        self._backend = chosen
        self._max_workers = max_workers
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
        self._scheduler = PoolScheduler(self._pool)

    @property
    def backend(self) -> str:
        """The backend in use: ``"thread"``, ``"process"`` or ``"dask"``."""
        return self._backend

    @property
    def max_workers(self) -> int:
        """The number of worker threads or processes (dask: chunks in flight)."""
        if self._dask is not None:
            return self._dask.max_workers  # type: ignore[attr-defined, no-any-return]
        return self._max_workers

    def __repr__(self) -> str:
        if self._dask is not None:
            return repr(self._dask)
        state = ", shut down" if self._scheduler.shut_down else ""
        return f"<fastprime.Executor backend={self._backend!r} max_workers={self._max_workers}{state}>"

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> "Future[T]":
        """Schedule ``fn(*args, **kwargs)``.

        Args:
            fn: the callable.  On the process backend it must be picklable (a
                module-level function, not a lambda or a nested function).
            args, kwargs: its arguments (picklable on the process backend).

        Returns:
            The call's ``concurrent.futures.Future``.

        Raises:
            RuntimeError: the executor is shut down.
            pickle.PicklingError: on the process backend, ``fn`` cannot be sent to a
                worker process; the message says why the backend is processes and what
                to do.
        """
        if self._dask is not None:
            return self._dask.submit(fn, *args, **kwargs)
        if self._backend == "process":
            check_picklable(fn, self._backend_reason)
        return self._pool.submit(fn, *args, **kwargs)

    def map(
        self,
        fn: Callable[..., T],
        *iterables: Iterable[Any],
        timeout: Optional[float] = None,
        chunksize: int = 1,
        buffersize: Optional[int] = None,
    ) -> Iterator[T]:
        """Return an iterator equivalent to ``map(fn, *iterables)``, computed by the workers.

        Args:
            fn: the function; fastprime's ``is_prime``, ``next_prime`` and
                ``prev_prime`` over one iterable take the chunked fast path (see the
                class docstring).
            iterables: the arguments, read lazily on the fast path.
            timeout: seconds for the whole iteration, from this call.
            chunksize: calls per process task (the standard library's meaning).
            buffersize: at most this many inputs read ahead of the results (Python
                3.14+, as in the standard library; ``TypeError`` before).

        Returns:
            An iterator of the results, in input order.

        Raises:
            TimeoutError: from the iterator, when ``timeout`` runs out.
            RuntimeError: the executor is shut down.
            TypeError, ValueError: bad ``chunksize``/``buffersize``; an item's own error
                is raised by the iterator at that item's position.
        """
        if buffersize is not None and not HAS_BUFFERSIZE:
            raise TypeError("map() got an unexpected keyword argument 'buffersize'")
        if self._dask is not None:
            if buffersize is not None:
                raise TypeError("map() buffersize is not supported by the dask backend (max_workers bounds the chunks in flight)")
            return self._dask.map(fn, *iterables, timeout=timeout, chunksize=chunksize)
        return self._map(fn, iterables, timeout, chunksize, buffersize)

    def _map(
        self,
        fn: Callable[..., T],
        iterables: Tuple[Iterable[Any], ...],
        timeout: Optional[float],
        chunksize: int,
        buffersize: Optional[int],
    ) -> Iterator[T]:
        fast = fast_function(fn) if len(iterables) == 1 else None
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
        workers = self._batch_workers
        runner: Runner
        if self._backend == "thread":
            runner = ThreadRunner(self._scheduler, impl, impl_name, kind, self._offload)
            smallest, largest = _THREAD_CHUNKS
        else:
            runner = ProcessRunner(self._scheduler, impl, impl_name, kind)
            smallest, largest = _PROCESS_CHUNKS[impl_name]
        try:
            hint = operator.length_hint(iterable)
        except Exception:  # noqa: BLE001 - a broken __length_hint__ only costs the size guess
            hint = 0
        sizes = ChunkSizes(hint, workers, smallest, largest, cap=buffersize)
        # Enough chunks in flight that every worker has the next one queued; with a
        # buffersize, no more unread results than that, as in the standard library.
        max_in_flight = (2 * workers + 1) * largest if buffersize is None else buffersize
        return chunked_map(runner, iterable, sizes=sizes, max_in_flight=max_in_flight, timeout=timeout)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Free the workers once pending work is done.

        Safe to call more than once; nothing can be submitted afterwards.

        Args:
            wait: block until running and pending work is done.
            cancel_futures: cancel the work that has not started.
        """
        if self._dask is not None:
            self._dask.shutdown(wait=wait, cancel_futures=cancel_futures)  # never closes the client
            return
        self._scheduler.shutdown(cancel_futures)
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)
        if self._offload is not None:
            self._offload.shutdown(wait=wait)
