"""``DaskExecutor``: a ``concurrent.futures.Executor`` on a ``dask.distributed`` client.

What ``fastprime.Executor(backend=client)`` delegates to.  ``submit`` wraps one dask
task in a real ``concurrent.futures.Future``; ``map`` over fastprime's own functions is
batched (``feed.MapWindow`` over ``worker.chunk_task``), any other ``map`` sends
``chunksize`` calls per task.  A scheduler that goes away is a
``SchedulerUnavailableError``, not a hang: every wait polls the client's status.
"""

from __future__ import annotations

import concurrent.futures
import os
import threading
import time
import warnings
from concurrent.futures import Future
from typing import Any, Callable, Iterable, Iterator, Optional, Set, Tuple

from ..._env import implementation_name
from ..base import check_max_workers
from ..tasks import fast_function
from .deps import require
from .feed import IN_FLIGHT_PER_THREAD, PRIOR_COST, ArgsSource, ChunkSizes, MapWindow, Outcome, Source
from .worker import call, calls_task, chunk_task

__all__ = ["DaskExecutor", "SchedulerUnavailableError"]

# How long one wait for a task's result lasts before the client's status is looked at
# again: a scheduler that went away is noticed within this (plus the client's timeout).
_POLL_SECONDS = 0.5


class SchedulerUnavailableError(ConnectionError):
    """The dask scheduler cannot be reached (an ``OSError``): it went away, or the client
    could not reconnect within its timeout."""


def _expand_list(out: Any, count: int) -> Any:
    return out


class DaskExecutor(concurrent.futures.Executor):
    """A ``concurrent.futures.Executor`` that runs on a ``dask.distributed`` cluster.

    ``submit`` returns a real ``concurrent.futures.Future`` (``wait``/``as_completed``
    work; ``cancel()`` cancels the dask task; an exception keeps its type).  ``map`` is
    lazy and ordered, with ``timeout`` for the whole iteration; over fastprime's own
    functions it is batched (see the package docstring); otherwise ``chunksize`` calls
    go in one task.  Results of a ``map`` started before ``shutdown`` can still be read
    afterwards (the client is the user's and stays up), except after
    ``shutdown(cancel_futures=True)``: then the chunks not started raise
    ``CancelledError`` when reached.
    """

    def __init__(self, client: Any, max_workers: Optional[int] = None) -> None:
        """Wrap ``client``.

        Args:
            client: a ``dask.distributed.Client``.  It stays the caller's: ``shutdown``
                never closes it.
            max_workers: at most that many tasks (chunks) in flight per ``map``; by
                default ``IN_FLIGHT_PER_THREAD`` (2) times the cluster's total threads,
                read from the client at each ``map`` (a cluster that scales is followed).

        Raises:
            ImportError: dask.distributed is not installed (the message names the extra).
            TypeError: ``client`` is not a ``Client``, or ``max_workers`` not an int.
            ValueError: ``max_workers`` < 1.
            SchedulerUnavailableError: the client is not connected.
        """
        distributed = require("distributed")
        if not isinstance(client, distributed.Client):
            raise TypeError(f"DaskExecutor needs a dask.distributed.Client, not {type(client).__name__!r}")
        if max_workers is not None:
            max_workers = check_max_workers(max_workers)
        self._client = client
        self._max_workers = max_workers
        self._shut_down = False
        self._cancel_pending = False
        self._lock = threading.Lock()
        self._pending: Set[Any] = set()  # dask futures of this executor not yet done
        self._futures: Set["Future[Any]"] = set()  # the Futures of submit() not yet done
        self._check_client()

    @property
    def backend(self) -> str:
        """Always ``"dask"``."""
        return "dask"

    @property
    def client(self) -> Any:
        """The ``dask.distributed.Client`` (the caller's)."""
        return self._client

    @property
    def max_workers(self) -> int:
        """Tasks in flight per map: as given, or 2 x the cluster's threads now."""
        if self._max_workers is not None:
            return self._max_workers
        return IN_FLIGHT_PER_THREAD * max(1, self._total_threads())

    def _total_threads(self) -> int:
        try:
            return sum(self._client.nthreads().values())
        except Exception as exc:
            raise self._unavailable(exc) from exc

    def __repr__(self) -> str:
        state = ", shut down" if self._shut_down else ""
        return f"<fastprime.Executor backend='dask' scheduler={self._address()!r}{state}>"

    # -- the client and its scheduler

    def _address(self) -> str:
        try:
            return str(self._client.scheduler.address)
        except Exception:  # noqa: BLE001 - for messages only
            return "<unknown scheduler>"

    def _unavailable(self, cause: Optional[BaseException] = None) -> SchedulerUnavailableError:
        detail = f" ({type(cause).__name__}: {cause})" if cause is not None else ""
        return SchedulerUnavailableError(
            f"the dask scheduler at {self._address()} is not reachable: client status {self._client.status!r}{detail}"
        )

    def _check_client(self) -> None:
        # Raise SchedulerUnavailableError unless the client is connected, waiting out a
        # (re)connection, which the client itself bounds by its timeout.
        status = self._client.status
        if status == "running":
            return
        if status in ("connecting", "newly-created"):
            timeout = getattr(self._client, "_timeout", None)  # Client(timeout=...)
            if not timeout:
                import dask
                from dask.utils import parse_timedelta

                timeout = parse_timedelta(dask.config.get("distributed.comm.timeouts.connect"))
            deadline = time.monotonic() + float(timeout)
            while self._client.status in ("connecting", "newly-created") and time.monotonic() < deadline:
                time.sleep(0.05)
            if self._client.status == "running":
                return
        raise self._unavailable()

    def _track(self, dask_future: Any) -> None:
        with self._lock:
            self._pending.add(dask_future)

        def done(f: Any) -> None:
            with self._lock:
                self._pending.discard(f)

        dask_future.add_done_callback(done)

    def _submit_task(self, fn: Callable[..., Any], args: Tuple[Any, ...], key: str, eager: bool) -> Any:
        """One chunk's task (``feed.MapWindow`` calls it); its dask future."""
        if self._shut_down and eager:
            raise RuntimeError("cannot schedule new futures after shutdown")
        self._check_client()
        with warnings.catch_warnings():
            # A chunk is a few MB by design (sent once, to one task): not the "large
            # graph" dask warns about.
            warnings.filterwarnings("ignore", message="Sending large graph")
            future = self._client.submit(fn, *args, key=key, pure=False)
        self._track(future)
        return future

    def _result(self, future: Any, end_time: Optional[float]) -> Outcome:
        """A chunk's result, waiting at most until ``end_time``; polling, so a scheduler
        that goes away is noticed (the client's reconnection timeout bounds it)."""
        while True:
            step = _POLL_SECONDS
            if end_time is not None:
                remaining = end_time - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError()
                step = min(step, remaining)
            try:
                return future.result(timeout=step)  # type: ignore[no-any-return]
            except (TimeoutError, concurrent.futures.TimeoutError):
                if future.status == "error":
                    raise  # the task's own TimeoutError, not the wait's
            except concurrent.futures.CancelledError:
                if self._client.status != "running":
                    raise self._unavailable() from None
                raise
            status = self._client.status
            if status in ("closing", "closed", "failed"):
                raise self._unavailable()
            if status != "running":
                self._check_client()

    # -- concurrent.futures.Executor

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> "Future[Any]":
        """Schedule ``fn(*args, **kwargs)`` as one dask task.

        Args:
            fn: any callable dask can pickle (cloudpickle: lambdas too).
            args, kwargs: its arguments.

        Returns:
            A ``concurrent.futures.Future``; cancelling it cancels the task.

        Raises:
            RuntimeError: the executor is shut down.
            SchedulerUnavailableError: the scheduler cannot be reached.
        """
        if self._shut_down:
            raise RuntimeError("cannot schedule new futures after shutdown")
        self._check_client()
        key = f"fastprime-submit-{getattr(fn, '__name__', 'call')}-{os.urandom(16).hex()}"
        dask_future = self._client.submit(call, fn, args, kwargs, key=key, pure=False)
        self._track(dask_future)
        return self._wrap(dask_future)

    def _wrap(self, dask_future: Any) -> "Future[Any]":
        cf_future: "Future[Any]" = Future()
        cf_future._fastprime_dask = dask_future  # type: ignore[attr-defined]  # kept alive with it
        executor = self

        def on_cancel(f: "Future[Any]") -> None:
            with executor._lock:
                executor._futures.discard(f)
            if f.cancelled():
                # Done now, for wait()/as_completed() (no worker thread will pick it up
                # to notify, as in the standard library's pools), and the task goes too.
                f.set_running_or_notify_cancel()
                if not dask_future.done():
                    try:
                        dask_future.cancel()
                    except Exception:  # noqa: BLE001, S110 - best effort: the client may be gone
                        pass

        def on_dask_done(df: Any) -> None:
            status = df.status
            if status == "cancelled":
                if cf_future.cancelled():
                    return
                if executor._client.status != "running":
                    outcome: Tuple[str, Any] = ("error", executor._unavailable())
                else:
                    cf_future.cancel()
                    cf_future.set_running_or_notify_cancel()  # wakes wait()/as_completed()
                    return
            else:
                try:
                    outcome = ("error", df.exception()) if status == "error" else ("result", df.result())
                except BaseException as exc:  # noqa: BLE001 - delivered to the Future
                    outcome = ("error", exc)
            if not cf_future.set_running_or_notify_cancel():
                return  # cancelled by the user meanwhile
            if outcome[0] == "result":
                cf_future.set_result(outcome[1])
            else:
                cf_future.set_exception(outcome[1])

        with self._lock:
            self._futures.add(cf_future)
        cf_future.add_done_callback(on_cancel)
        dask_future.add_done_callback(on_dask_done)
        return cf_future

    def map(
        self,
        fn: Callable[..., Any],
        *iterables: Iterable[Any],
        timeout: Optional[float] = None,
        chunksize: int = 1,
    ) -> Iterator[Any]:
        """``map(fn, *iterables)`` on the cluster: lazy, ordered, a bounded number of tasks
        in flight.

        Args:
            fn: the function; fastprime's ``is_prime``, ``next_prime``, ``prev_prime``
                (either implementation's) over one iterable take the batched path.
            iterables: the arguments, read lazily.
            timeout: seconds for the whole iteration (``TimeoutError`` from the iterator).
            chunksize: calls per task (ignored by the batched path, whose chunks are
                sized from the measured work).

        Returns:
            An iterator of the results in input order; an item's error is raised at
            its position, after every result before it.

        Raises:
            RuntimeError: the executor is shut down.
            TypeError, ValueError: a bad ``chunksize``.
            SchedulerUnavailableError: the scheduler cannot be reached.
        """
        if self._shut_down:
            raise RuntimeError("cannot schedule new futures after shutdown")
        if not isinstance(chunksize, int) or isinstance(chunksize, bool):
            raise TypeError("chunksize must be an integer")
        if chunksize < 1:
            raise ValueError("chunksize must be >= 1.")
        end_time = None if timeout is None else timeout + time.monotonic()
        self._check_client()
        threads = max(1, self._total_threads())
        max_in_flight = self._max_workers if self._max_workers is not None else IN_FLIGHT_PER_THREAD * threads
        slots = min(max_in_flight, threads)  # chunks that run at once: sizes the tail
        fast = fast_function(fn) if len(iterables) == 1 else None
        source: Any
        if fast is not None:
            kind, impl = fast
            impl_name = implementation_name(impl)
            source = Source(iterables[0])
            sizes = ChunkSizes(PRIOR_COST[(impl_name, kind)], source.length, slots)
            np = source.np

            def make_task(payload: Any) -> Tuple[Callable[..., Any], Tuple[Any, ...]]:
                return chunk_task, (impl_name, kind, payload)

            def expand_bits(packed: Any, count: int) -> bytes:
                return np.unpackbits(packed, count=count).tobytes()  # type: ignore[no-any-return]

            expand: Callable[[Any, int], Any] = expand_bits if kind == "is_prime" else _expand_list
            prefix = f"fastprime-{kind}"
        else:
            source = ArgsSource(zip(*iterables))
            sizes = ChunkSizes(1.0, -1, slots, fixed=chunksize)

            def make_task(payload: Any) -> Tuple[Callable[..., Any], Tuple[Any, ...]]:
                return calls_task, (fn, payload)

            expand = _expand_list
            prefix = f"fastprime-map-{getattr(fn, '__name__', 'call')}"
        window = MapWindow(self, source, make_task, sizes, max_in_flight, prefix, end_time, expand)
        window.fill(eager=True)  # the first tasks start now, as the standard library's do
        from ..._loader import implementation_module

        # chain_results expands bytes of flags to bools (in C, compiled), lists as they are.
        return implementation_module.chain_results(window.results(), source.length)  # type: ignore[no-any-return]

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """No new work after this; the client is not closed (it is the caller's).

        Args:
            wait: wait for the tasks not cancelled to finish.
            cancel_futures: cancel the tasks not finished (and the chunks of running
                maps not yet submitted).
        """
        self._shut_down = True
        if cancel_futures:
            self._cancel_pending = True
            with self._lock:
                futures = list(self._futures)
                pending = list(self._pending)
            for future in futures:
                future.cancel()  # cascades to its dask task
            if pending:
                try:
                    self._client.cancel(pending)
                except Exception:  # noqa: BLE001, S110 - best effort: the client may be gone
                    pass
        if not wait:
            return
        distributed = require("distributed")
        while True:
            with self._lock:
                pending = [f for f in self._pending if not f.done()]
                futures = [f for f in self._futures if not f.done()]
            if not pending and not futures:
                return
            if pending and self._client.status == "running":
                try:
                    distributed.wait(pending, timeout=1)
                except Exception:  # noqa: BLE001, S110 - a timeout or a lost client: look again
                    pass
            # The futures are resolved from the tasks' callbacks, also when the
            # scheduler goes away (the client then cancels every task).
            concurrent.futures.wait(futures, timeout=1)
