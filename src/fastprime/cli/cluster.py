"""``--scheduler ADDRESS``: the run's work on a dask.distributed cluster.

The command connects a ``distributed.Client`` to the scheduler and hands
``fastprime.Executor(backend=client)`` the work; output, ordering, error lines and exit
statuses stay those of a local run.  dask is imported only here, only for
``--scheduler``.  The client is the command's own: it is closed when the run ends
(``Executor.shutdown`` leaves a client alone).

Errors: dask not installed, or a scheduler that cannot be reached within dask's
connect timeout (``distributed.comm.timeouts.connect``, 30 s unless configured, e.g.
``DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT=5s``), are usage errors (status 2, like a
file that cannot be opened); a cluster that fails once the work has started is a
failure (status 1).
"""

from __future__ import annotations

import concurrent.futures
import logging
from typing import Any

import fastprime

from .options import Usage

__all__ = ["DASK_MISSING", "cluster_executor", "cluster_threads", "connect", "describe"]

DASK_MISSING = '--scheduler needs dask.distributed, which is not installed: pip install "pyfastprime[dask]"'


def connect(address: str) -> Any:
    """A ``distributed.Client`` connected to the scheduler at ``address``.

    Raises:
        Usage: dask.distributed is not installed, or the scheduler cannot be reached.
    """
    try:
        from distributed import Client
        from distributed.comm.addressing import resolve_address
    except ImportError:
        raise Usage(DASK_MISSING) from None
    try:
        # A malformed address or an unknown host first: a Client that fails on those
        # is left half-made, and its finalizer then hangs the interpreter's exit.
        resolve_address(address)
        client = Client(address, set_as_default=False)  # type: ignore[no-untyped-call,unused-ignore]
    except Exception as exc:  # noqa: BLE001 - whatever dask raises, it is one line here
        raise Usage(f"cannot reach the dask scheduler at {address!r}: {_first_line(exc)}") from None
    # The command reports a failure in one line of its own; dask's client would log
    # its reconnection attempts and tracebacks to stderr as well.
    _quiet_dask_logging()
    return client


def _quiet_dask_logging() -> None:
    # dask's configuration gives some of its loggers levels of their own
    # (distributed.client: warning), so each is raised, not only the parents; tornado
    # (dask's event loop) logs the errors of callbacks whose futures nobody awaits.
    roots = ("distributed", "tornado")
    for name in [*roots, *logging.root.manager.loggerDict]:
        if name.split(".")[0] in roots:
            logging.getLogger(name).setLevel(logging.CRITICAL)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def describe(exc: BaseException) -> str:
    """A failure during the run in a few words: ``exc``'s type and the first line of
    its message, and what a lost connection probably means."""
    said = _first_line(exc)
    if isinstance(exc, (OSError, TimeoutError, concurrent.futures.CancelledError)):
        said += " (the scheduler or a worker went away?)"
    return said


def cluster_executor(client: Any, max_workers: int | None) -> Any:
    """``fastprime.Executor(max_workers, backend=client)``.

    Raises:
        Usage: this fastprime's Executor cannot run on a dask client.
    """
    try:
        return fastprime.Executor(max_workers, backend=client)
    except (ImportError, TypeError, ValueError) as exc:
        raise Usage(f"--scheduler: fastprime.Executor cannot use the dask client: {exc}") from None


def cluster_threads(client: Any) -> int:
    """The worker threads of the cluster (at least 1)."""
    try:
        return max(1, int(sum(client.nthreads().values())))
    except Exception:  # noqa: BLE001 - a guess is good enough for a window size
        return 1
