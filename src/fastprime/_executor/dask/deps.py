"""dask, distributed and numpy for the dask backend: imported on first use, never before.

The one place that imports them and the one message when they are missing, so that
``import fastprime`` (and importing any module of this package) never imports dask.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["DASK_MISSING", "require"]

#: The error message when the dask backend is asked for and dask is not installed.
DASK_MISSING = (
    "fastprime's dask backend needs dask.distributed, which is not installed: "
    'pip install "pyfastprime[dask]"'
)


def require(name: str) -> Any:
    """The module ``name`` (``distributed``, ``dask.array``, ``numpy``), imported on first use.

    Returns:
        The module.

    Raises:
        ImportError: it is not installed; the message names the extra (``DASK_MISSING``),
            which brings all three (``dask[array]`` needs numpy).
    """
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise ImportError(DASK_MISSING) from exc
