"""``is_prime_array``: which integers in a numpy array (or buffer, or iterable) are prime.

The arithmetic is the implementation's ``is_prime_into`` (the compiled batch loop, which
releases the GIL for each call, or the pure-Python twin's).  This module only decides
how to feed it: the input is viewed as a 1-D run of integers in memory order whenever
that needs no copy, cut into chunks, and the chunks are spread over threads.  Between
chunks the calling thread is back in Python, so Ctrl-C is noticed promptly.

numpy is imported on the first call, never by ``import fastprime``.
"""

from __future__ import annotations

import concurrent.futures
from functools import partial
from types import ModuleType
from typing import TYPE_CHECKING, Any, Callable, Iterator, List, Optional, Tuple

from . import fallback
from ._arguments import as_int
from ._env import implementation_module as implementation_module_named
from ._env import implementation_name
from ._loader import implementation_module
from ._parallel import map_on_executor, resolve_workers, run_tasks

if TYPE_CHECKING:  # pragma: no cover
    import numpy

__all__ = ["is_prime_array"]

# Elements per chunk.  The compiled kernel takes 5-60 ms for 2**17 numbers, which keeps
# the per-chunk thread hand-off (~20 us) negligible and Ctrl-C latency far below a second.
# The pure-Python twin is ~1000x slower per number, and object arrays may hold huge ints
# (milliseconds each), so their chunks are much smaller.
_CHUNK_COMPILED = 1 << 17
_CHUNK_PURE = 1 << 9
_CHUNK_OBJECTS = 1 << 9
# Splitting for threads stops at chunk / 2**5 (4096 numbers, ~0.3-2 ms, compiled).
_MIN_CHUNK_SHIFT = 5

_NUMPY_MISSING = (
    "fastprime.is_prime_array() needs numpy, which is not installed: "
    'pip install "pyfastprime[numpy]"'
)


def is_prime_array(
    values: object, *, workers: Optional[int] = None, executor: Optional[concurrent.futures.Executor] = None
) -> "numpy.ndarray":
    """Which values are prime, as a numpy ``bool`` array shaped like ``values``.

    Args:
        values: a numpy array of any integer dtype, shape and strides (read in place
            when contiguous); any buffer of integers (``array.array``, ``memoryview``);
            a list or other iterable of ints (nested lists give more dimensions); or an
            object array of Python ints, where ints of 2**64 and above take the big-int
            (strong BPSW) path.  Negative values are not prime.  A masked array
            (``numpy.ma``) gives a masked result with the same mask (masked entries
            are not tested).
            A dask array gives a lazy dask array of bools (same chunks; nothing is
            computed until asked), computed where its blocks live.
        workers: ``None`` uses every core this process may run on, ``1`` works in the
            calling thread, ``n`` uses ``n`` threads.  The answer never depends on it.
        executor: a ``concurrent.futures.Executor`` (a ``fastprime.Executor``, one
            backed by a dask cluster, a ``ProcessPoolExecutor``...) to run the chunks
            on instead of local threads; ``workers`` is then ignored.

    Returns:
        A new ``bool`` array (a ``numpy.ma.MaskedArray`` for masked input, a lazy dask
        array for a dask array).

    Raises:
        TypeError: values of another kind (floats, bools, strings, complex numbers,
            dates...), or a bad ``workers``.
        ValueError: ``workers`` < 1.
        ImportError: numpy is not installed (``pip install "pyfastprime[numpy]"``).

    >>> import numpy as np, fastprime
    >>> fastprime.is_prime_array(np.arange(10)).nonzero()[0].tolist()
    [2, 3, 5, 7]
    """
    from ._executor.dask import is_dask_array  # imports no dask

    if is_dask_array(values):
        from ._executor.dask import is_prime_dask_array

        return is_prime_dask_array(values)
    if executor is not None and not isinstance(executor, concurrent.futures.Executor):
        raise TypeError(
            f"is_prime_array() executor must be a concurrent.futures.Executor or None, not {type(executor).__name__!r}"
        )
    return _is_prime_array(values, workers=workers, impl=implementation_module, executor=executor)


def _is_prime_array(
    values: object,
    *,
    workers: Optional[int],
    impl: ModuleType,
    chunk: Optional[int] = None,
    executor: Optional[concurrent.futures.Executor] = None,
) -> "numpy.ndarray":
    """``is_prime_array`` with the kernel module (and, for tests, the chunk size) chosen."""
    threads = resolve_workers(workers, "is_prime_array")
    _require_numpy()
    import numpy as np

    mask = None
    if isinstance(values, np.ma.MaskedArray):
        # A masked entry's data is not a value (it may be garbage, or None in an object
        # array): test a filled copy and hand the mask back, as numpy's own ufuncs do.
        mask = np.ma.getmaskarray(values)
        values = values.filled(0)
    array = _as_array(values)
    if mask is not None:
        return np.ma.MaskedArray(_is_prime_array(array, workers=threads, impl=impl, chunk=chunk, executor=executor), mask=mask)
    kind = _kind(array)
    if array.size == 0:
        return np.zeros(array.shape, dtype=bool)

    if kind == "int":
        # Relabel to the sized dtype (e.g. longlong -> int64): same bytes, no copy, and
        # one of the item types the kernel is compiled for.
        sized = np.dtype(f"{array.dtype.kind}{array.dtype.itemsize}")
        array = array.view(sized.newbyteorder(array.dtype.byteorder))
    if chunk is None:
        if kind == "object":
            chunk = _CHUNK_OBJECTS
        elif impl is fallback:
            chunk = _CHUNK_PURE
        else:
            chunk = _CHUNK_COMPILED
        chunk = _balanced_chunk(array.size, threads, chunk, minimum=chunk >> _MIN_CHUNK_SHIFT)
    else:
        chunk = _balanced_chunk(array.size, threads, chunk, minimum=1)

    flat, out, shape_back = _memory_order_views(array)
    if executor is not None:
        _on_executor(executor, flat, out, kind, implementation_name(impl))
        return shape_back(out)
    threads = min(threads, -(-array.size // chunk))  # no more threads than chunks
    run_tasks(_tasks(flat, out, kind, impl, chunk), threads)
    return shape_back(out)


# Elements per task on an executor: ~25-50 ms of the compiled kernel for 64-bit numbers,
# so a task's own cost (a pickle and a trip, ~1 ms on dask) stays a few percent.
_EXECUTOR_CHUNK = {"cython": 1 << 20, "python": 1 << 12}


def block_task(impl_name: str, kind: str, block: "numpy.ndarray") -> "numpy.ndarray":
    """One chunk of an ``is_prime_array`` on an executor: flags for ``block`` (1-D).

    Module level, so worker processes and dask workers can unpickle it; the block
    travels as a compact array and the flags come back as one.
    """
    import numpy as np

    impl = implementation_module_named(impl_name)
    out = np.zeros(block.shape, dtype=bool)
    if kind == "object":
        _test_objects(impl, block, out)
    else:
        _test_gathered(impl, block, out.view(np.uint8))
    return out


def _on_executor(
    executor: concurrent.futures.Executor, flat: "numpy.ndarray", out: "numpy.ndarray", kind: str, impl_name: str
) -> None:
    """Fill ``out`` from ``flat`` with the chunks run on ``executor``, a bounded number
    submitted ahead, written back in order."""
    blocks = list(_blocks(flat, _EXECUTOR_CHUNK[impl_name]))
    tasks = ((impl_name, kind, block.reshape(-1)) for _, block in blocks)
    for (offset, block), flags in zip(blocks, map_on_executor(executor, block_task, tasks)):
        out[offset : offset + block.size] = flags.reshape(-1)


def _tasks(
    flat: "numpy.ndarray", out: "numpy.ndarray", kind: str, impl: ModuleType, chunk: int
) -> Iterator[Callable[[], None]]:
    """One task per chunk of ``flat``, each filling its own slice of ``out``."""
    import numpy as np

    out_bytes = out.view(np.uint8)
    for offset, block in _blocks(flat, chunk):
        stop = offset + block.size
        if kind == "object":
            yield partial(_test_objects, impl, block, out[offset:stop])
        elif block.ndim == 1 and block.dtype.isnative and block.flags.aligned:
            yield partial(impl.is_prime_into, block, out_bytes[offset:stop])
        else:
            yield partial(_test_gathered, impl, block, out_bytes[offset:stop])


def _require_numpy() -> None:
    try:
        import numpy  # noqa: F401
    except ImportError as exc:
        raise ImportError(_NUMPY_MISSING) from exc


def _as_array(values: Any) -> "numpy.ndarray":
    """``values`` as an ndarray, without copying arrays and buffers."""
    import numpy as np

    if isinstance(values, np.ndarray):
        return values
    if isinstance(values, str):
        raise TypeError("is_prime_array() argument must be an array or iterable of integers, not 'str'")
    if _has_array_interface(values):
        return np.asarray(values)
    if _has_buffer(values):
        # Through memoryview, so bytes are read as uint8 items, not as one string.
        return np.asarray(memoryview(values))
    # A list, iterable or scalar.  numpy's own guess is kept when it is an integer
    # dtype; otherwise (floats, strings, or ints too big or too mixed for one dtype:
    # numpy turns [-1, 2**63] into float64!) every element is kept as the Python object
    # it is, so each is judged exactly as is_prime() would judge it.
    if not isinstance(values, (list, tuple)):
        if _is_iterable(values):
            values = list(values)
        elif not hasattr(values, "__index__"):
            raise TypeError(
                "is_prime_array() argument must be an array or iterable of integers, "
                f"not {type(values).__name__!r}"
            )
    try:
        guess = np.asarray(values)
    except (ValueError, OverflowError, TypeError):
        guess = None
    if guess is not None and guess.dtype.kind in "iu":
        return guess
    try:
        return np.array(values, dtype=object)
    except ValueError:  # ragged nesting numpy cannot shape even as objects
        objects = np.empty(len(values), dtype=object)
        objects[:] = [v for v in values]
        return objects


def _has_array_interface(value: object) -> bool:
    return any(hasattr(value, name) for name in ("__array__", "__array_interface__", "__array_struct__"))


def _has_buffer(value: object) -> bool:
    try:
        memoryview(value)  # type: ignore[arg-type]
    except TypeError:
        return False
    return True


def _is_iterable(value: object) -> bool:
    try:
        iter(value)  # type: ignore[call-overload]
    except TypeError:
        return False
    return True


def _kind(array: "numpy.ndarray") -> str:
    """``"int"`` or ``"object"``; any other dtype is refused with a TypeError naming it."""
    dtype = array.dtype
    if dtype.kind in "iu" and dtype.itemsize in (1, 2, 4, 8):
        return "int"
    if dtype.kind == "O":
        return "object"
    raise TypeError(f"is_prime_array() needs integers, got an array of dtype {dtype}")


def _balanced_chunk(size: int, threads: int, chunk: int, minimum: int) -> int:
    """A chunk size at most ``chunk`` that splits ``size`` evenly enough for ``threads``.

    With threads, aim for at least four chunks per thread (and a multiple of the
    thread count), so no thread is left with a long tail while the others idle; but
    never below ``minimum``, where handing a chunk to a thread would cost more than
    testing it.
    """
    if threads == 1 or size <= 1:
        return max(1, chunk)
    pieces = max(-(-size // chunk), 4 * threads)
    pieces = -(-pieces // threads) * threads
    return max(1, minimum, -(-size // pieces))


def _memory_order_views(
    array: "numpy.ndarray",
) -> Tuple["numpy.ndarray", "numpy.ndarray", Callable[["numpy.ndarray"], "numpy.ndarray"]]:
    """Return ``(flat, out, shape_back)``.

    ``flat`` views ``array`` (no copy) with its axes reordered to memory order and
    merged wherever the strides allow, ideally into one dimension.  ``out`` is a
    C-contiguous 1-D bool array with one slot per element of ``flat``, in ``flat``'s
    C order; ``shape_back(out)`` gives it ``array``'s shape (a view when numpy can,
    so for transposed input the result is laid out like the input, as numpy's own
    element-wise functions do).
    """
    squeezed = array.squeeze()  # length-1 axes have meaningless strides
    order = sorted(range(squeezed.ndim), key=lambda axis: -abs(squeezed.strides[axis]))
    moved = squeezed.transpose(order)

    dims: List[int] = []
    steps: List[int] = []
    for dim, step in zip(moved.shape, moved.strides, strict=True):
        if dims and steps[-1] == step * dim:
            dims[-1] *= dim
            steps[-1] = step
        else:
            dims.append(dim)
            steps.append(step)
    flat = moved.reshape(dims or [1])
    if flat.__array_interface__["data"][0] != moved.__array_interface__["data"][0]:
        flat = moved.reshape(moved.shape or (1,))  # not reached: a copy is never read

    inverse = [0] * len(order)
    for position, axis in enumerate(order):
        inverse[axis] = position

    def shape_back(out: "numpy.ndarray") -> "numpy.ndarray":
        return out.reshape(moved.shape).transpose(inverse).reshape(array.shape)

    import numpy as np

    return flat, np.empty(moved.size, dtype=bool), shape_back


def _blocks(array: "numpy.ndarray", chunk: int, offset: int = 0) -> Iterator[Tuple[int, "numpy.ndarray"]]:
    """Yield ``(offset, block)``: sub-arrays of at most ``chunk`` elements (views) that
    cover ``array`` in C order, ``offset`` being the block's first C-order position."""
    if array.ndim == 1:
        for start in range(0, array.shape[0], chunk):
            yield offset + start, array[start : start + chunk]
        return
    if array.size <= chunk:
        yield offset, array
        return
    inner = array.size // array.shape[0]
    if inner <= chunk:
        rows = chunk // inner
        for start in range(0, array.shape[0], rows):
            yield offset + start * inner, array[start : start + rows]
    else:
        for row in range(array.shape[0]):
            yield from _blocks(array[row], chunk, offset + row * inner)


def _test_gathered(impl: ModuleType, block: "numpy.ndarray", out: "numpy.ndarray") -> None:
    """Copy a block the kernel cannot read in place (several dimensions, byte-swapped or
    misaligned) into a native contiguous buffer of at most one chunk, then test it."""
    import numpy as np

    native = np.array(block, dtype=block.dtype.newbyteorder("="), order="C")  # always a new, aligned copy
    impl.is_prime_into(native.reshape(-1), out)


def _test_objects(impl: ModuleType, block: "numpy.ndarray", out: "numpy.ndarray") -> None:
    """Test Python objects (ints of any size) through the implementation's batch path."""
    items = block.ravel().tolist()
    try:
        flags = impl.is_prime_many(items)
    except TypeError:
        for item in items:
            try:
                as_int(item, "is_prime_array")
            except TypeError:
                raise TypeError(
                    f"is_prime_array() needs integers, got an element of type {type(item).__name__!r}"
                ) from None
        raise
    out[:] = flags
