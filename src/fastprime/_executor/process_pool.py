"""The process pool the executor uses: the standard library's, with two of its hangs fixed.

1. gh-115634 (Python 3.11 to 3.13, and 3.14 before the fix): with
   ``max_tasks_per_child``, a worker that exits at its limit is replaced only when the
   pool's idle-worker semaphore has no token, but a token is released on every task
   completion and only ``submit`` consumes them; with a backlog queued, a stale token
   outlives the worker, no replacement is spawned, and the queued tasks wait for ever
   (``Executor(1, backend="process", max_tasks_per_child=2).map(...)`` hung).  As
   CPython's fix does, a worker that exits is replaced whenever the pool is below
   ``max_workers``, without asking the semaphore.
2. gh-94777 (Python 3.10 only):

On Python 3.10, when a worker process dies while a large task is still being written
into the pipe to the workers, ``ProcessPoolExecutor`` hangs for ever: the thread that
cleans up after the crash waits for the pipe's writer thread, which waits for a reader
that no longer exists (CPython gh-94777).  Python 3.11 fixed it by closing the parent's
end of that pipe first, so the write fails instead of blocking.  Chunked maps send
tasks of thousands of numbers, so the executor would meet this; on 3.10 it gets the
same fix through the pool's cleanup thread.

``check_picklable`` turns the ``PicklingError`` a lambda meets on its way to a worker
process into one that says why the executor uses processes and what to do.
"""

from __future__ import annotations

import pickle
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from typing import Any

__all__ = ["ProcessPool", "check_picklable"]


def check_picklable(fn: Any, reason: str) -> None:
    """Raise a ``PicklingError`` that explains itself when ``fn`` cannot go to a process.

    Only the callable is checked (pickled by reference for a module-level function:
    about a microsecond); its arguments meet the standard library's own error.

    Args:
        fn: the callable about to be submitted.
        reason: why the executor uses processes, for the message.

    Raises:
        pickle.PicklingError: ``fn`` does not pickle.
    """
    try:
        pickle.dumps(fn)
    except Exception as exc:  # noqa: BLE001 - any failure to pickle means the same to the user
        raise pickle.PicklingError(
            f"fastprime.Executor runs this call in a worker process ({reason}), and "
            f"{fn!r} cannot be sent to one: {exc}. Use a function defined at module level "
            "(not a lambda or a nested function), or Executor(backend='thread'), which "
            "runs any callable (with the compiled kernel installed, threads are the default)."
        ) from exc


if sys.version_info >= (3, 11):

    class ProcessPool(ProcessPoolExecutor):
        """``ProcessPoolExecutor`` whose exited workers are always replaced (gh-115634)."""

        def _adjust_process_count(self) -> None:
            manager = getattr(self, "_executor_manager_thread", None)
            if manager is not None and threading.current_thread() is manager:
                # Called by the manager thread because a worker exited at its
                # max_tasks_per_child limit: replace it if the pool is short, whatever
                # the (possibly stale) idle-worker semaphore says.
                if len(self._processes) < self._max_workers:  # type: ignore[attr-defined]
                    self._spawn_process()  # type: ignore[attr-defined]
                return
            super()._adjust_process_count()  # type: ignore[misc]

else:  # pragma: no cover - exercised by the 3.10 test run
    from concurrent.futures import process as _process

    class _ManagerThread(_process._ExecutorManagerThread):
        def terminate_broken(self, cause: str) -> None:
            # As Python 3.11 does (gh-94777): with the parent's reader closed, the
            # writer thread's send fails (EPIPE) once the workers are gone.
            try:
                self.call_queue._reader.close()  # type: ignore[attr-defined]
            except OSError:
                pass
            super().terminate_broken(cause)

    class ProcessPool(ProcessPoolExecutor):
        """``ProcessPoolExecutor`` with the gh-94777 fix (Python 3.10 only)."""

        def _start_executor_manager_thread(self) -> None:
            # The standard library's 3.10 method, with the fixed thread class.
            if self._executor_manager_thread is None:
                if not self._safe_to_dynamically_spawn_children:  # fork: start them now
                    self._launch_processes()
                self._executor_manager_thread = _ManagerThread(self)
                self._executor_manager_thread.start()
                _process._threads_wakeups[self._executor_manager_thread] = self._executor_manager_thread_wakeup
