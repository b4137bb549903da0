"""Choosing the implementation: the compiled kernel, or the pure-Python twin.

``FASTPRIME_PURE_PYTHON=1`` (read once, at import) forces the twin; otherwise the
compiled module is used when it imports.  Nothing here is mutable after import.
"""

from __future__ import annotations

import importlib.util
import os
import warnings
from types import ModuleType
from typing import Tuple

__all__ = ["env_flag", "load"]


def env_flag(name: str) -> bool:
    """Whether environment variable ``name`` is set to something other than 0/false/no."""
    return os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no")


def load() -> Tuple[ModuleType, str]:
    """Return ``(module, name)`` where name is ``"cython"`` or ``"python"``."""
    if not env_flag("FASTPRIME_PURE_PYTHON"):
        try:
            from . import _cfastprime
        except ImportError as exc:
            # pip hides the build's own warning when compiling failed, so say it here:
            # the answers are the same, the speed is not.
            if importlib.util.find_spec(f"{__package__}._cfastprime") is None:
                reason = "it was not built when fastprime was installed"
            else:
                reason = f"it did not load: {exc}"
            warnings.warn(
                f"fastprime: the compiled kernel is not available ({reason}); using the "
                "pure-Python implementation, which gives the same answers 10-150x more "
                "slowly. Reinstall with a C compiler (or from a wheel), or set "
                "FASTPRIME_PURE_PYTHON=1 to choose the pure-Python implementation and "
                "silence this warning.",
                RuntimeWarning,
                stacklevel=3,
            )
        else:
            return _cfastprime, "cython"
    from . import fallback

    return fallback, "python"
