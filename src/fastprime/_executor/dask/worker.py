"""What runs on the dask workers: one chunk of a ``map``, calls of a general ``map``, one
block of a dask array.

Module-level functions, pickled by reference: a worker finds them in its own
fastprime, so the cluster needs fastprime installed on every worker (nothing of it is
shipped).  They import nothing of dask but ``distributed.get_worker``, and that only
to read the worker's thread count.
"""

from __future__ import annotations

import pickle
import time
from typing import Any, Callable, Dict, List, Optional, Tuple

from ..._env import implementation_module
from ..._loader import implementation
from ..tasks import run_task
from .deps import require

__all__ = ["worker_threads", "chunk_task", "call", "calls_task", "block_is_prime"]

#: What a chunk task returns: ``(results, count, error, seconds)``, see ``chunk_task``.
ChunkOutcome = Tuple[Any, int, Optional[BaseException], float]


def worker_threads() -> int:
    """The running dask worker's thread count.

    Returns:
        ``nthreads`` of the dask worker running the caller; 1 outside a dask worker.
    """
    try:
        from distributed import get_worker

        return max(1, int(get_worker().state.nthreads))
    except Exception:  # noqa: BLE001 - not on a worker (or an older distributed): one thread
        return 1


def _available(impl_name: str) -> str:
    # The implementation the client asked for, or the worker's own when that one is
    # not installed there (a worker built without a C compiler): the answers are the same.
    try:
        implementation_module(impl_name)
    except ImportError:
        return implementation
    return impl_name


def _portable(error: Optional[BaseException]) -> Optional[BaseException]:
    # An exception that cannot be pickled would fail the whole task (and lose the
    # results before it): it travels as a RuntimeError that names it instead.
    if error is None:
        return None
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:  # noqa: BLE001 - any pickling failure
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error


def chunk_task(impl_name: str, kind: str, payload: Any) -> ChunkOutcome:
    """One chunk of a batched ``map(fastprime.<kind>, ...)``, on a worker.

    Args:
        impl_name: the implementation the caller used, "cython" or "python" (the
            worker's own is used if that one is not installed on the worker).
        kind: "is_prime", "next_prime" or "prev_prime".
        payload: a 1-D numpy integer array, or a list of anything (the worker applies
            the checks the local functions apply).

    Returns:
        ``(results, count, error, seconds)``: for ``is_prime`` the results are packed
        bits (``numpy.packbits``, 1 bit per number) of ``count`` flags, else a list of
        ``count`` ints; ``error`` is the exception of the first refused item (the one
        after the ``count`` results) or None; ``seconds``, the compute time, sizes the
        next chunks on the client.
    """
    start = time.perf_counter()
    np = require("numpy")
    if kind == "is_prime" and not isinstance(payload, list):
        # Integers in an array: the worker's is_prime_array on all the worker's threads,
        # GIL-free (the answers are the same whichever implementation the worker loaded).
        import fastprime

        flags: Any = fastprime.is_prime_array(payload, workers=worker_threads())
        error: Optional[BaseException] = None
    else:
        values = payload if isinstance(payload, list) else payload.tolist()
        flags, error = run_task(_available(impl_name), kind, values)
    if kind == "is_prime":
        bits = np.frombuffer(flags, dtype=np.uint8) if isinstance(flags, (bytes, bytearray)) else flags
        return np.packbits(bits), len(bits), _portable(error), time.perf_counter() - start
    return flags, len(flags), _portable(error), time.perf_counter() - start


def call(fn: Callable[..., Any], args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Any:
    """``fn(*args, **kwargs)``: the task of ``submit``.

    Through this function, ``fn``'s own keyword arguments never collide with
    ``client.submit``'s (``key``, ``pure``, ``workers``...).
    """
    return fn(*args, **kwargs)


def calls_task(fn: Callable[..., Any], arg_tuples: List[Tuple[Any, ...]]) -> ChunkOutcome:
    """``chunksize`` calls of a general ``map`` in one task, stopping at the first error.

    Args:
        fn: the user's function.
        arg_tuples: the arguments of each call.

    Returns:
        ``(results, count, error, seconds)`` as ``chunk_task`` returns them (a list of
        results).
    """
    start = time.perf_counter()
    out: List[Any] = []
    error: Optional[BaseException] = None
    try:
        for args in arg_tuples:
            out.append(fn(*args))
    except Exception as exc:  # noqa: BLE001 - raised on the client, at its item
        error = exc
    return out, len(out), _portable(error), time.perf_counter() - start


def block_is_prime(block: Any) -> Any:
    """The ``map_blocks`` body of ``is_prime_dask_array``: one block, on the worker's threads.

    Args:
        block: a numpy array of integers (any shape).

    Returns:
        ``fastprime.is_prime_array(block)``: bools, same shape.
    """
    import fastprime

    return fastprime.is_prime_array(block, workers=worker_threads())
