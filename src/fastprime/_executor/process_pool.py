"""The process pool the executor uses: the standard library's, with a 3.10 hang fixed.

On Python 3.10, when a worker process dies while a large task is still being written
into the pipe to the workers, ``ProcessPoolExecutor`` hangs for ever: the thread that
cleans up after the crash waits for the pipe's writer thread, which waits for a reader
that no longer exists (CPython gh-94777).  Python 3.11 fixed it by closing the parent's
end of that pipe first, so the write fails instead of blocking.  Chunked maps send
tasks of thousands of numbers, so the executor would meet this; on 3.10 it gets the
same fix through the pool's cleanup thread.  On 3.11+ this is ProcessPoolExecutor.
"""

from __future__ import annotations

import sys
from concurrent.futures import ProcessPoolExecutor

__all__ = ["ProcessPool"]

if sys.version_info >= (3, 11):
    ProcessPool = ProcessPoolExecutor
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
