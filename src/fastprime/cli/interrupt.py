"""Ctrl-C, the workers' signals, and output that went away (a closed pipe).

Python raises KeyboardInterrupt wherever the main thread happens to be; the command
turns it into a request honoured at safe points (``CtrlC``), keeps it from the
workers (``quiet_worker``), and leaves quietly when its reader is gone.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from typing import Any, BinaryIO

from .options import EXIT_INTERRUPTED

__all__ = ["CtrlC", "InterruptibleReader", "caused_by_ctrl_c", "flush_quietly", "quiet_worker", "silence_stdout"]


def quiet_worker() -> None:
    """Executor initializer: Ctrl-C is for the main thread of the command alone.

    A terminal's Ctrl-C reaches every process in the foreground group, and a signal
    sent to a process may land on any of its threads.  The main thread shuts the
    executor down in order, so the workers must neither die half-way (printing
    tracebacks, breaking the pool) nor take the signal from it: a worker process
    ignores SIGINT; a worker thread blocks it, and so do the processes it starts (the
    executor's helper processes for big numbers), which inherit its signal mask.
    """
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    elif hasattr(signal, "pthread_sigmask"):  # POSIX
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})


class CtrlC:
    """Ctrl-C as a request that the command honours at safe points.

    Python raises KeyboardInterrupt wherever the main thread happens to be, which
    can be inside the standard library's locking (a queue's, a future's) in the
    middle of executor work, leaving a lock held for ever: the shutdown that follows
    then never ends.  So the first Ctrl-C only sets a flag, checked between blocks
    of results (a few milliseconds apart), and interrupts at once only a wait for
    input, where nothing is locked.  A second Ctrl-C stops everything at once.
    """

    def __init__(self) -> None:
        self.pressed = False
        self.reading = False
        self._previous: Any = None

    def install(self) -> None:
        """Take over SIGINT (from the main thread only; elsewhere a no-op)."""
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._handler)

    def uninstall(self) -> None:
        """Give SIGINT back to the handler ``install`` replaced."""
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
            self._previous = None

    def check(self) -> None:
        """Raise KeyboardInterrupt here if Ctrl-C was pressed.

        Raises:
            KeyboardInterrupt: it was.
        """
        if self.pressed:
            raise KeyboardInterrupt

    def _handler(self, signum: int, frame: Any) -> None:
        if self.pressed:
            _stop_now()
        self.pressed = True
        if self.reading:
            raise KeyboardInterrupt


class InterruptibleReader:
    """A stream whose reads (waits for input) Ctrl-C interrupts at once."""

    def __init__(self, stream: BinaryIO, ctrl_c: CtrlC) -> None:
        self._stream = stream
        self._ctrl_c = ctrl_c

    def read(self, size: int = -1, /) -> bytes:
        """``stream.read``, raising KeyboardInterrupt at a Ctrl-C before or during it."""
        self._ctrl_c.check()
        self._ctrl_c.reading = True
        try:
            return self._stream.read(size)
        finally:
            self._ctrl_c.reading = False

    def readinto(self, buffer: Any, /) -> int | None:
        """``stream.readinto``, raising KeyboardInterrupt at a Ctrl-C before or during it."""
        self._ctrl_c.check()
        self._ctrl_c.reading = True
        try:
            return self._stream.readinto(buffer)  # type: ignore[attr-defined, no-any-return]
        finally:
            self._ctrl_c.reading = False


def _stop_now() -> None:
    """The second Ctrl-C: end the worker processes and this one, now."""
    import multiprocessing

    for child in multiprocessing.active_children():
        child.kill()
    flush_quietly(sys.stdout)
    os._exit(EXIT_INTERRUPTED)


def caused_by_ctrl_c(exc: BaseException) -> bool:
    """Whether ``exc`` is, or was raised while handling, a KeyboardInterrupt."""
    seen = set()
    link: BaseException | None = exc
    while link is not None and id(link) not in seen:
        if isinstance(link, KeyboardInterrupt):
            return True
        seen.add(id(link))
        link = link.__cause__ or link.__context__
    return False


def flush_quietly(stream: Any) -> None:
    """Flush ``stream``; if the output is gone or failing, silence stdout instead."""
    try:
        stream.flush()
    except (OSError, ValueError):  # BrokenPipeError, and a full disk already reported
        silence_stdout()


def silence_stdout() -> None:
    """Point stdout at /dev/null, so the flush at interpreter exit cannot fail."""
    # The reader of our output is gone (or the output failed): point stdout at
    # /dev/null so that the flush at interpreter exit does not complain about it.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
