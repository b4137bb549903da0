"""``PoolScheduler``: the ``Scheduler`` (see ``base``) over a standard-library pool.

``fastprime.Executor`` owns one and shuts it down with the pool; the chunked map's
runners hold it by weak reference, so it dies with the executor.
"""

from __future__ import annotations

import concurrent.futures
from concurrent.futures import Future
from typing import Any, Callable, Optional

from .base import cancelled

__all__ = ["PoolScheduler"]


class PoolScheduler:
    """Submits chunk tasks to ``pool``, and knows whether the executor was shut down."""

    def __init__(self, pool: concurrent.futures.Executor) -> None:
        self.pool = pool
        self.shut_down = False
        self.cancel_pending = False

    def shutdown(self, cancel_futures: bool) -> None:
        """Mark the executor shut down (the pool itself is shut down by its owner)."""
        if cancel_futures:
            self.cancel_pending = True
        self.shut_down = True

    def schedule(self, eager: bool, fn: Callable[..., Any], *args: Any) -> "Optional[Future[Any]]":
        """Submit a chunk task of a fast-path ``map`` (see ``base.Scheduler.schedule``).

        Once shut down: ``map()`` itself raises ``RuntimeError`` (``eager``) as the
        standard library's does; later chunks give ``None`` (the caller computes them
        itself), or a cancelled future after ``shutdown(cancel_futures=True)``.
        """
        if not self.shut_down:
            try:
                return self.pool.submit(fn, *args)
            except RuntimeError:
                if not self.shut_down:  # broken, or the interpreter is exiting
                    raise
        if eager:
            raise RuntimeError("cannot schedule new futures after shutdown")
        return cancelled() if self.cancel_pending else None
