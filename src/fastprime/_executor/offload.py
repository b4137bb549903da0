"""Helper processes for the work a worker thread could only do holding the GIL.

On the thread backend, numbers below 2**64 are tested by the kernel's batch loop with
the GIL released, so threads scale.  Numbers >= 2**64 (strong BPSW on Python ints or
gmpy2) and the scalar ``next_prime``/``prev_prime`` searches hold the GIL: in threads
they would run one at a time.  When a chunk has enough of that work to pay for the
trip, the worker thread hands it to its own helper process over a pipe and waits (the
wait releases the GIL); otherwise, or when helpers cannot be used (shut down, a
helper died, processes cannot start), the thread computes it itself.

One helper per worker thread, talked to directly: a ``ProcessPoolExecutor`` would put
a manager thread and a feeder thread between the two, and on a machine whose cores are
busy with the helpers those extra hand-offs cost more than the arithmetic of a batch
of 512-bit numbers (measured: bench/README.md).
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
import threading
import warnings
from typing import Any, Dict, List, Optional, Sequence, Set, Tuple

from .. import _bpsw
from .base import Outcome
from .cost import costs_us
from .tasks import run_task

__all__ = ["ProcessOffload", "MIN_OFFLOAD_US"]

#: Below this much estimated work (µs) per chunk, the trip costs more than it saves.
MIN_OFFLOAD_US = 1_000.0
_JOIN_TIMEOUT = 5.0


def _process_context() -> Any:
    # On Linux, fork: the helpers are copies that already hold fastprime, start in
    # milliseconds and, unlike spawn and forkserver, never re-run the user's main
    # script (a thread-backed executor must not require an `if __name__ ==
    # "__main__":` guard).  Their only job is run_task on ints, which needs no lock
    # another thread could hold at the fork.  Elsewhere (macOS, where fork is unsafe,
    # and Windows, which has none) the platform's default, as ProcessPoolExecutor.
    if sys.platform == "linux":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _serve(conn: Any) -> None:
    """A helper process: ``(impl_name, kind, ints)`` in, ``run_task``'s outcome out."""
    # Ctrl-C is for the parent, which stops the helpers by closing their pipes.  The
    # helper was started with SIGINT blocked (see _Helper), so none is lost in between.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        conn.send(run_task(*request))


class _Helper:
    """One helper process and the parent's end of its pipe."""

    def __init__(self, context: Any) -> None:
        parent_end, child_end = context.Pipe()
        self.process = context.Process(target=_serve, args=(child_end,), daemon=True, name="fastprime-helper")
        # A terminal's Ctrl-C reaches the whole process group: a helper must not take
        # it before _serve ignores it (it would die printing a traceback).  The child
        # inherits this thread's signal mask; only this thread's is changed, briefly.
        blocked = None
        if hasattr(signal, "pthread_sigmask"):
            blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            self.process.start()
        finally:
            if blocked is not None:
                signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
            child_end.close()
        self.conn = parent_end

    def call(self, impl_name: str, kind: str, ints: Sequence[int]) -> Outcome:
        self.conn.send((impl_name, kind, ints))
        outcome: Outcome = self.conn.recv()
        return outcome

    def close(self, wait: bool) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass  # already gone
        self.conn.close()
        if wait:
            self.process.join(_JOIN_TIMEOUT)
            if self.process.is_alive():
                self.process.terminate()
                self.process.join(_JOIN_TIMEOUT)


class ProcessOffload:
    """Helper processes, one per worker thread, started on first need."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._helpers: Dict[int, _Helper] = {}  # by the ident of the thread that owns it
        self._busy: Set[int] = set()
        self._closed = False
        self._started = False
        self._warned = False

    @property
    def started(self) -> bool:
        """Whether a helper process was ever started."""
        return self._started

    def pids(self) -> List[int]:
        """The process ids of the live helpers."""
        with self._lock:
            return [h.process.pid for h in self._helpers.values() if h.process.pid is not None]

    def run(self, impl_name: str, kind: str, ints: Sequence[int]) -> Optional[Outcome]:
        """``run_task(impl_name, kind, ints)`` in this thread's helper process.

        ``None`` when the caller should compute it itself: too little work for the
        trip, or no helper to be had.
        """
        if sum(costs_us(kind, ints, impl_name, _bpsw.engine)) < MIN_OFFLOAD_US:
            return None
        helper = self._acquire()
        if helper is None:
            return None
        try:
            return helper.call(impl_name, kind, ints)
        except (EOFError, OSError) as error:  # the helper died (killed, out of memory...)
            self._fail(error)
            return None
        finally:
            self._release(helper)

    def _acquire(self) -> Optional[_Helper]:
        ident = threading.get_ident()
        with self._lock:
            if self._closed:
                return None
            helper = self._helpers.get(ident)
            if helper is None:
                try:
                    helper = _Helper(_process_context())
                except Exception as error:  # noqa: BLE001 - no processes on this platform...
                    self._closed = True
                    self._warn(error)
                    return None
                self._helpers[ident] = helper
                self._started = True
            self._busy.add(ident)
            return helper

    def _release(self, helper: _Helper) -> None:
        ident = threading.get_ident()
        with self._lock:
            self._busy.discard(ident)
            if not self._closed:
                return
            # Shut down while this thread was using its helper: close it now.
            mine = self._helpers.pop(ident, None)
        if mine is not None:
            mine.close(wait=False)

    def _fail(self, error: BaseException) -> None:
        # A helper died: stop using helpers for this executor (its threads compute
        # everything themselves from now on) rather than risk a crash loop.
        with self._lock:
            self._closed = True
            self._warn(error)
        self._close_idle(wait=False)

    def _warn(self, error: BaseException) -> None:
        if not self._warned:
            self._warned = True
            warnings.warn(
                "fastprime.Executor could not use helper processes for work that holds "
                f"the GIL ({type(error).__name__}: {error}); computing it in threads instead",
                RuntimeWarning,
                stacklevel=4,
            )

    def _close_idle(self, wait: bool) -> None:
        with self._lock:
            idle: List[Tuple[int, _Helper]] = [(i, h) for i, h in self._helpers.items() if i not in self._busy]
            for ident, _helper in idle:
                del self._helpers[ident]
        for _ident, helper in idle:
            helper.close(wait)

    def shutdown(self, wait: bool = True) -> None:
        """Stop the helpers (those in use stop when their thread is done with them)."""
        with self._lock:
            self._closed = True
        self._close_idle(wait)
