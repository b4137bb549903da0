"""Choosing the implementation: the compiled kernel, or the pure-Python twin.

``FASTPRIME_PURE_PYTHON=1`` (read once, at import) forces the twin; otherwise the
compiled module is used when it imports.  The choice is made once, when this module
is first imported, and never changes: ``implementation_module`` and
``implementation`` ("cython" or "python") are what every layer reads.
"""

from __future__ import annotations

import importlib.util
import warnings
from types import ModuleType
from typing import Tuple

from ._env import env_flag

__all__ = ["load", "implementation_module", "implementation", "REBUILD_COMMAND"]

#: A command that really rebuilds the kernel: pip would otherwise reuse the pure wheel
#: it cached when the first build failed.
REBUILD_COMMAND = "pip install --no-cache-dir --force-reinstall --no-deps pyfastprime"


def load() -> Tuple[ModuleType, str]:
    """Choose the implementation.

    Returns:
        ``(module, name)`` where name is ``"cython"`` (``fastprime._cfastprime``) or
        ``"python"`` (``fastprime.fallback``).  Warns (``RuntimeWarning``) when the
        compiled kernel was wanted but is missing.
    """
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
                "slowly. To build the kernel, install a C compiler and the Python headers, "
                f"then run: {REBUILD_COMMAND} (or, from a clone: pip install --no-cache-dir "
                "--force-reinstall .). Set FASTPRIME_PURE_PYTHON=1 to choose the pure-Python "
                "implementation and silence this warning.",
                RuntimeWarning,
                stacklevel=4,
            )
        else:
            return _cfastprime, "cython"
    from . import fallback

    return fallback, "python"


implementation_module, implementation = load()
