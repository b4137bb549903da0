"""``is_prime_array`` on a dask array: a lazy dask array of bools, built with ``map_blocks``.

``fastprime.is_prime_array(x)`` comes here when ``is_dask_array(x)``; that check is
made on every call of ``is_prime_array``, so it never imports dask.
"""

from __future__ import annotations

import sys
from typing import Any

from .deps import require
from .worker import block_is_prime

__all__ = ["is_prime_dask_array", "is_dask_array"]


def is_dask_array(x: object) -> bool:
    """Whether ``x`` is a dask array, without importing dask.

    Args:
        x: anything.

    Returns:
        True for a ``dask.array.Array`` (or a subclass).  An object can only be one if
        ``dask.array`` was imported already, so when it is not, this is False at once.
    """
    module = sys.modules.get("dask.array")
    return module is not None and isinstance(x, module.Array)


def is_prime_dask_array(x: Any) -> Any:
    """Which values of a dask array are prime, as a lazy dask array.

    Built with ``x.map_blocks``: nothing is computed until ``.compute()`` or
    ``.persist()``, and each block is tested where it lives, with the worker's threads.

    Args:
        x: a dask array of any integer dtype, or of dtype object holding Python ints
            (big ints included).

    Returns:
        A dask array of bools, with the same shape and chunks as ``x``.

    Raises:
        TypeError: another dtype (floats, bools...), now, as ``is_prime_array`` refuses it.
        ImportError: dask is not installed (the message names the extra).
    """
    require("dask.array")
    np = require("numpy")
    dtype = np.dtype(x.dtype)
    if not ((dtype.kind in "iu" and dtype.itemsize in (1, 2, 4, 8)) or dtype.kind == "O"):
        raise TypeError(f"is_prime_array() needs integers, got an array of dtype {dtype}")
    return x.map_blocks(
        block_is_prime,
        dtype=bool,
        meta=np.empty((0,) * x.ndim, dtype=bool),
        token="fastprime-is-prime",
    )
