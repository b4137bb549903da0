"""One invocation: its job, executor, output stream, Ctrl-C handling and cleanup."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any, Protocol

import fastprime

from .._env import usable_cores
from .interrupt import CtrlC, quiet_worker
from .options import Job, Usage

__all__ = ["OutputError", "Run"]


class OutputError(Exception):
    """The output cannot be written (a full disk, an I/O error; not a closed pipe).

    Reported as ``fastprime: error: cannot write the output: ...``, exit status 1.
    """


class _Output(Protocol):
    def write(self, data: bytes | memoryview, /) -> int: ...

    def flush(self) -> None: ...


class _TextAsBinary:
    """Lets the renderers' bytes go to a text-only sys.stdout (an embedding host's)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, data: bytes | memoryview) -> int:
        return int(self._stream.write(bytes(data).decode("utf-8")))

    def flush(self) -> None:
        self._stream.flush()


class Run:
    """One invocation's executor, output stream and cleanup."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.job = Job(args)
        self.executor: Any | None = None
        self.scanner: tuple[Callable[..., Any], int] | None = None  # (scan_lines, its mode)
        self.window = 1
        self.client: Any | None = None  # with --scheduler: the dask client, ours to close
        self.primes_found = 0  # fastprime primes: the primes counted so far
        self.ctrl_c = CtrlC()
        sys.stdout.flush()
        self.out: _Output = getattr(sys.stdout, "buffer", None) or _TextAsBinary(sys.stdout)

    def start_executor(self, backend: str | None = None) -> Any:
        """Start the run's ``fastprime.Executor`` (and choose the C scanner if it can serve).

        Args:
            backend: the backend to use instead of ``--backend``.

        Returns:
            The executor, also kept in ``self.executor``.  With ``--scheduler``, one on
            that dask cluster (the C scanner cannot run there: blocks then go through
            ``executor.map``).

        Raises:
            Usage: ``--scheduler`` cannot be used (see ``cluster``).
        """
        if getattr(self.args, "scheduler", None):
            return self._start_on_cluster(self.args.scheduler)
        self.executor = fastprime.Executor(
            max_workers=self.args.workers, backend=backend or self.args.backend, initializer=quiet_worker
        )
        # With the compiled kernel on threads, whole blocks are parsed, tested and
        # printed in C, in the worker threads, without the GIL.
        if self.job.scan_mode is not None and fastprime.implementation == "cython" and self.executor.backend == "thread":
            from .. import _cfastprime

            self.scanner = (_cfastprime.scan_lines, getattr(_cfastprime, self.job.scan_mode))
        self.window = 2 * (self.args.workers or usable_cores()) + 1
        return self.executor

    def _start_on_cluster(self, address: str) -> Any:
        from .cluster import cluster_executor, cluster_threads, connect

        if self.args.backend != "auto":
            raise Usage("--backend cannot be combined with --scheduler (the cluster runs the work)")
        # Connecting waits up to dask's connect timeout: Ctrl-C interrupts it at once.
        self.ctrl_c.reading = True
        try:
            self.client = connect(address)
        finally:
            self.ctrl_c.reading = False
        self.ctrl_c.check()
        self.executor = cluster_executor(self.client, self.args.workers)
        self.window = 2 * (self.args.workers or cluster_threads(self.client)) + 1
        return self.executor

    def close(self) -> None:
        """Close the dask client of ``--scheduler`` (after the executor is shut down)."""
        if self.client is not None:
            client, self.client = self.client, None
            try:
                client.close()
            except Exception:  # noqa: BLE001, S110 - the run's outcome is decided already
                pass

    def abandon(self) -> None:
        """Cancel what has not started, let what runs finish, and shut down.

        Used on Ctrl-C and a closed pipe.  Running tasks are chunks of milliseconds;
        waiting for them lets the pool stop its workers in order, where leaving at
        once can strand worker processes (forked ones hold the pool's pipes open, so
        they never see it go).  A second Ctrl-C ends the process at once.
        """
        if self.executor is not None:
            executor, self.executor = self.executor, None
            executor.shutdown(wait=True, cancel_futures=True)

    def finish(self) -> None:
        """Shut the executor down once all its work is done."""
        if self.executor is not None:
            self.executor.shutdown(wait=True)
            self.executor = None

    def write(self, data: bytes | memoryview) -> None:
        """Write and flush ``data`` to standard output.

        Raises:
            BrokenPipeError: the reader went away (the command then exits quietly).
            OutputError: any other failure to write (ENOSPC, EIO, ...).
        """
        if data:
            try:
                self.out.write(data)
                self.out.flush()
            except BrokenPipeError:
                raise
            except OSError as exc:
                raise OutputError(f"cannot write the output: {exc.strerror or exc}") from None
