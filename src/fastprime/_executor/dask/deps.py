"""dask, distributed and numpy for the dask backend: imported on first use, never before.

The one place that imports them and the one message when they are missing, so that
``import fastprime`` (and importing any module of this package) never imports dask.
"""

from __future__ import annotations

from typing import Any

__all__ = ["DASK_MISSING", "require_distributed", "require_dask_array", "require_numpy"]

#: The error message when the dask backend is asked for and dask is not installed.
DASK_MISSING = (
    "fastprime's dask backend needs dask.distributed, which is not installed: "
    'pip install "pyfastprime[dask]"'
)


def require_distributed() -> Any:
    """The ``distributed`` module.

    Returns:
        ``distributed``, imported.

    Raises:
        ImportError: it is not installed; the message names the extra (``DASK_MISSING``).
    """
    try:
        import distributed
    except ImportError as exc:
        raise ImportError(DASK_MISSING) from exc
    return distributed


def require_dask_array() -> Any:
    """The ``dask.array`` module.

    Returns:
        ``dask.array``, imported.

    Raises:
        ImportError: it is not installed; the message names the extra (``DASK_MISSING``).
    """
    try:
        import dask.array
    except ImportError as exc:
        raise ImportError(DASK_MISSING) from exc
    return dask.array


def require_numpy() -> Any:
    """The ``numpy`` module (``dask[array]`` needs it, so the ``dask`` extra brings it).

    Returns:
        ``numpy``, imported.

    Raises:
        ImportError: it is not installed; the message names the extra (``DASK_MISSING``).
    """
    try:
        import numpy
    except ImportError as exc:
        raise ImportError(DASK_MISSING) from exc
    return numpy
