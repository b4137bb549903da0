"""Facts every layer needs, with no import from the package (a leaf: no cycle can pass here).

- ``env_flag``: the one reader of ``FASTPRIME_*`` switches (``=0``, ``=false``, ``=no``
  and empty mean unset), so no layer can read ``=false`` as "set".
- ``usable_cores``: CPUs this process may run on (its affinity mask), the default
  parallelism of every batched path.
- ``gil_enabled``: whether this interpreter holds the GIL (False on a free-threaded build
  that runs without it), which decides threads against processes.
- ``U64``/``U128``: the bounds of the one- and two-word kernels.
- ``IMPLEMENTATIONS``: the implementation names, "cython" (compiled) and "python" (the
  pure twin), and the modules that hold them; ``implementation_module`` maps one to the other.
"""

from __future__ import annotations

import importlib
import os
import sys
from types import ModuleType
from typing import Dict

__all__ = [
    "env_flag",
    "usable_cores",
    "gil_enabled",
    "U64",
    "U128",
    "IMPLEMENTATIONS",
    "implementation_module",
    "implementation_name",
]

U64 = 1 << 64
U128 = 1 << 128

#: Implementation name -> module that holds it (imported only when asked for).
IMPLEMENTATIONS: Dict[str, str] = {"cython": "fastprime._cfastprime", "python": "fastprime.fallback"}


def env_flag(name: str) -> bool:
    """Whether environment variable ``name`` is set to something other than 0/false/no.

    Args:
        name: the variable, e.g. ``"FASTPRIME_PURE_PYTHON"``.

    Returns:
        False when unset, empty, or one of ``0``, ``false``, ``no`` (any case, spaces
        ignored); True otherwise.
    """
    return os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no")


def usable_cores() -> int:
    """The number of CPUs this process may run on (its affinity mask, where known).

    Returns:
        At least 1.  ``os.process_cpu_count()`` on 3.13+, the affinity mask's size where
        the platform has one, else ``os.cpu_count()``.
    """
    counter = getattr(os, "process_cpu_count", None)  # Python 3.13+
    if counter is not None:
        count = counter()
    else:
        try:
            count = len(os.sched_getaffinity(0))
        except (AttributeError, OSError):
            count = os.cpu_count()
    return max(1, count or 1)


def gil_enabled() -> bool:
    """Whether this interpreter runs with the GIL (always, before free-threaded 3.13t)."""
    is_gil_enabled = getattr(sys, "_is_gil_enabled", None)
    return True if is_gil_enabled is None else bool(is_gil_enabled())


def implementation_module(name: str) -> ModuleType:
    """The implementation module called ``name`` ("cython" or "python").

    Raises:
        ValueError: ``name`` is neither.
    """
    try:
        return importlib.import_module(IMPLEMENTATIONS[name])
    except KeyError:
        raise ValueError(f"unknown implementation {name!r}; expected one of {sorted(IMPLEMENTATIONS)}") from None


def implementation_name(module: ModuleType) -> str:
    """The name ("cython" or "python") of an implementation module."""
    for name, path in IMPLEMENTATIONS.items():
        if module.__name__ == path:
            return name
    raise ValueError(f"{module.__name__} is not a fastprime implementation")
