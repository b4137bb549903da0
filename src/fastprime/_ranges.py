"""Ranges: every prime in [start, stop), counted, listed, as a numpy array, or lazily.

``primes``, ``count_primes``, ``primes_array`` and ``iter_primes`` take bounds as
``range`` does (one argument is ``[0, stop)``; ``start >= stop`` is empty; negative
bounds are allowed, there are no negative primes) and follow ``is_prime``'s input rules.

The arithmetic is an engine's (``engine_for``): the compiled one (``_cranges``: the
segmented sieve below 2**64, the wide kernel's windows from 2**64 to 2**128, GIL
released, its own threads) when the kernel is compiled, and the pure-Python engine
(``_sieve_pure``) otherwise and above 2**128.  This
module only parses bounds, refuses results that cannot fit in memory before any work,
and splits the work across ``workers`` threads or a ``concurrent.futures`` executor.
"""

from __future__ import annotations

import math
import os
from concurrent.futures import Executor
from typing import TYPE_CHECKING, Any, Iterator, List, Optional, Tuple

from . import _sieve_pure
from ._arguments import as_int
from ._env import U64, U128
from ._env import implementation_module as _implementation_module
from ._loader import implementation
from ._parallel import map_on_executor, resolve_workers

if TYPE_CHECKING:  # pragma: no cover
    import numpy

__all__ = ["primes", "count_primes", "primes_array", "iter_primes", "count_task", "primes_task"]

# Bytes one prime costs in a result: a list holds a pointer and an int object (a
# 64-bit int is 32 bytes, a bigger one more); an array holds 8 bytes (uint64).
_LIST_BYTES_PER_PRIME = 40
_ARRAY_BYTES_PER_PRIME = 8

# Numbers per task when the work goes to an executor: ~0.1-0.5 s of sieving each on
# the compiled engine, so a task's scheduling cost (~1 ms on dask) stays under 1%.
_TASK_NUMBERS_COMPILED = 1 << 30
_TASK_NUMBERS_PURE = 1 << 24

# iter_primes keeps one sieve below this start (its set-up: ~40 ms at 2**52, measured).
_ITER_SIEVE_BELOW = 1 << 52

_NUMPY_MISSING = "fastprime.primes_array() needs numpy, which is not installed: pip install \"pyfastprime[numpy]\""


def _bounds(func: str, start: object, stop: object) -> Tuple[int, int]:
    """``(lo, hi)`` with ``0 <= lo``: the non-negative part of [start, stop)."""
    if stop is None:
        lo, hi = 0, as_int(start, func)
    else:
        lo, hi = as_int(start, func), as_int(stop, func)
    lo = max(lo, 0)
    return lo, max(hi, lo)


def _physical_memory() -> Optional[int]:
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):  # not on this platform
        return None


def _max_primes(lo: int, hi: int) -> int:
    """An upper bound on the number of primes in [lo, hi).

    The smaller of pi(hi) < 1.25506 hi / ln hi (Rosser & Schoenfeld 1962, hi > 1) and
    the Brun-Titchmarsh bound pi(lo + y) - pi(lo) <= 2y / ln y (Montgomery & Vaughan
    1973, y > 1), plus a little for the smallest ranges.
    """
    width = hi - lo
    if width <= 2:
        return width
    bound = 1.25506 * hi / math.log(hi) if hi > 16 else 6
    bound = min(bound, 2 * width / math.log(width))
    return int(bound) + 2


def _check_fits(func: str, lo: int, hi: int, bytes_per_prime: int) -> None:
    """Refuse, before any work, a result that cannot fit in this machine's memory."""
    memory = _physical_memory()
    most = _max_primes(lo, hi)
    need = most * bytes_per_prime
    if memory is not None and need > memory:
        raise MemoryError(
            f"{func}({lo}, {hi}) would hold up to {most:.3g} primes, about {need / 2**30:,.0f} GiB, "
            f"more than this machine's {memory / 2**30:,.0f} GiB of memory; "
            "count them with count_primes() or stream them with iter_primes()"
        )


def _compiled_engine() -> Any:
    try:
        from . import _cranges
    except ImportError:  # built without it: the pure engine answers the same, slower
        return None
    return _cranges


def engine_for(lo: int, hi: int) -> Any:
    """The compiled engine module when it covers [lo, hi), else ``None`` (pure engine)."""
    if implementation == "cython" and hi <= U128:
        return _compiled_engine()
    return None


def _is_prime() -> Any:
    return _implementation_module(implementation).is_prime


def _task_engine(impl_name: str, hi: int) -> Any:
    return _compiled_engine() if impl_name == "cython" and hi <= U128 else None


def count_task(impl_name: str, lo: int, hi: int) -> int:
    """One piece of a ``count_primes`` sent to an executor (module level: it pickles)."""
    engine = _task_engine(impl_name, hi)
    if engine is not None:
        return int(engine.count(lo, hi, 1))
    return _sieve_pure.count(lo, hi, _implementation_module(impl_name).is_prime)


def primes_task(impl_name: str, lo: int, hi: int) -> List[int]:
    """One piece of a ``primes`` sent to an executor (module level: it pickles)."""
    engine = _task_engine(impl_name, hi)
    if engine is not None:
        return engine.primes(lo, hi, 1)  # type: ignore[no-any-return]
    return _sieve_pure.primes(lo, hi, _implementation_module(impl_name).is_prime)


def _on_executor(executor: Executor, task: Any, lo: int, hi: int) -> Iterator[Any]:
    size = _TASK_NUMBERS_COMPILED if implementation == "cython" else _TASK_NUMBERS_PURE
    pieces = ((implementation, a, min(a + size, hi)) for a in range(lo, hi, size))
    return map_on_executor(executor, task, pieces)


def _check_executor(func: str, executor: object) -> None:
    if executor is not None and not isinstance(executor, Executor):
        raise TypeError(f"{func}() executor must be a concurrent.futures.Executor or None, not {type(executor).__name__!r}")


def count_primes(
    start: object, stop: object = None, *, workers: Optional[int] = None, executor: Optional[Executor] = None
) -> int:
    """How many primes are in ``[start, stop)`` (``[0, start)`` with one argument).

    Args:
        start, stop: ints (or ``__index__``), as ``range`` takes them.
        workers: threads for the compiled sieve: ``None`` every usable core, ``1`` the
            calling thread.  The answer never depends on it.
        executor: a ``concurrent.futures.Executor`` (a ``fastprime.Executor``, one on
            dask, ...) to run the pieces of the range on instead; ``workers`` is then
            the worker's business.

    Returns:
        The count.  Memory stays bounded (O(sqrt(stop)) plus a few segments per thread).

    Raises:
        TypeError: a bound is not an integer, or ``workers``/``executor`` is of the wrong kind.
        ValueError: ``workers`` < 1.

    >>> count_primes(100)
    25
    >>> count_primes(10**12, 10**12 + 1000)
    37
    """
    lo, hi = _bounds("count_primes", start, stop)
    threads = resolve_workers(workers, "count_primes")
    _check_executor("count_primes", executor)
    if lo >= hi:
        return 0
    if executor is not None:
        return sum(_on_executor(executor, count_task, lo, hi))
    engine = engine_for(lo, hi)
    if engine is not None:
        return int(engine.count(lo, hi, threads))
    return _sieve_pure.count(lo, hi, _is_prime())


def primes(
    start: object, stop: object = None, *, workers: Optional[int] = None, executor: Optional[Executor] = None
) -> List[int]:
    """The primes of ``[start, stop)`` (``[0, start)`` with one argument), as a list.

    Args:
        start, stop: ints (or ``__index__``), as ``range`` takes them.
        workers: threads for the compiled sieve (``None``: every usable core).
        executor: a ``concurrent.futures.Executor`` to run the pieces on instead.

    Returns:
        A new list of ints, increasing.

    Raises:
        TypeError: a bound is not an integer, or ``workers``/``executor`` is of the wrong kind.
        ValueError: ``workers`` < 1.
        MemoryError: the list could not fit in this machine's memory (raised before
            any work: use ``count_primes`` or ``iter_primes``).

    >>> primes(30)
    [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]
    >>> primes(10**12, 10**12 + 100)
    [1000000000039, 1000000000061, 1000000000063, 1000000000091]
    """
    lo, hi = _bounds("primes", start, stop)
    threads = resolve_workers(workers, "primes")
    _check_executor("primes", executor)
    if lo >= hi:
        return []
    _check_fits("primes", lo, hi, _LIST_BYTES_PER_PRIME)
    if executor is not None:
        out: List[int] = []
        for part in _on_executor(executor, primes_task, lo, hi):
            out.extend(part)
        return out
    engine = engine_for(lo, hi)
    if engine is not None:
        return engine.primes(lo, hi, threads)  # type: ignore[no-any-return]
    return _sieve_pure.primes(lo, hi, _is_prime())


def primes_array(
    start: object, stop: object = None, *, workers: Optional[int] = None, executor: Optional[Executor] = None
) -> "numpy.ndarray":
    """The primes of ``[start, stop)`` as a numpy array.

    Args:
        start, stop: as for ``primes``.
        workers: threads for the compiled sieve (``None``: every usable core).
        executor: a ``concurrent.futures.Executor`` to run the pieces on instead.

    Returns:
        A ``uint64`` array, or an ``object`` array of ints when ``stop > 2**64``.  The
        compiled sieve writes the primes straight into the array.

    Raises:
        TypeError, ValueError, MemoryError: as for ``primes``.
        ImportError: numpy is not installed.

    >>> primes_array(20).tolist()
    [2, 3, 5, 7, 11, 13, 17, 19]
    """
    lo, hi = _bounds("primes_array", start, stop)
    threads = resolve_workers(workers, "primes_array")
    _check_executor("primes_array", executor)
    try:
        import numpy as np
    except ImportError as exc:
        raise ImportError(_NUMPY_MISSING) from exc
    big = hi > U64
    if lo >= hi:
        return np.zeros(0, dtype=object if big else np.uint64)
    _check_fits("primes_array", lo, hi, _LIST_BYTES_PER_PRIME if big else _ARRAY_BYTES_PER_PRIME)
    engine = engine_for(lo, hi) if executor is None and not big else None
    if engine is not None:
        return engine.primes_array(lo, hi, threads)
    found = primes(lo, hi, workers=threads, executor=executor)
    return np.array(found, dtype=object) if big else np.array(found, dtype=np.uint64)


def iter_primes(start: object = 0, stop: object = None) -> Iterator[int]:
    """The primes from ``start`` up to (not including) ``stop``, lazily.

    Args:
        start: the first number considered (negative: from 0).
        stop: the end, excluded; ``None`` for no end.

    Returns:
        An iterator of ints, increasing.  It holds one window of primes at a time
        (windows grow from 2**16 to 2**24 numbers), so memory stays bounded even
        without a ``stop``.

    Raises:
        TypeError: a bound is not an integer (raised here, before iteration).

    >>> from itertools import islice
    >>> list(islice(iter_primes(2**64), 2))
    [18446744073709551629, 18446744073709551653]
    """
    lo = max(as_int(start, "iter_primes"), 0)
    hi = None if stop is None else as_int(stop, "iter_primes")
    return _iterate(lo, hi)


def _iterate(lo: int, hi: Optional[int]) -> Iterator[int]:
    engine = engine_for(lo, U64) if lo < _ITER_SIEVE_BELOW else None
    if engine is not None:
        # One sieve state for the whole stretch below 2**64, refilling a fixed buffer, its
        # sieving primes added as the range reaches their squares.  Started higher up, its
        # set-up (every sieving prime up to sqrt(start)) would delay the first prime by up
        # to seconds (3.4 s at 2**64, measured), so windows are used there instead, and the
        # engine tests a narrow window's candidates one by one (~12 ns per number).
        end = U64 if hi is None else min(hi, U64)
        yield from engine.PrimeIter(lo, end)
        lo = end
    width = 1 << 16
    while hi is None or lo < hi:
        end = lo + width if hi is None else min(lo + width, hi)
        engine = engine_for(lo, end)
        if engine is not None:
            yield from engine.primes(lo, end, 1)
        else:
            yield from _sieve_pure.primes(lo, end, _is_prime())
        lo = end
        width = min(width * 2, 1 << 24)
