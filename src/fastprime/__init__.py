"""fastprime: fast, correct primality testing for every Python int, on every core.

>>> import fastprime
>>> fastprime.is_prime(112272535095293)
True
>>> fastprime.next_prime(2**64)
18446744073709551629

``fastprime.implementation`` is ``"cython"`` when the compiled kernel is loaded and
``"python"`` for the pure-Python fallback (forced with ``FASTPRIME_PURE_PYTHON=1``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._loader import load as _load
from ._version import __version__

_impl, implementation = _load()

if TYPE_CHECKING:
    # Real signatures for type checkers: both implementations match _cfastprime.pyi,
    # and Executor and is_prime_array are imported on first use at run time.
    from ._array import is_prime_array as is_prime_array
    from ._cfastprime import is_prime as is_prime
    from ._cfastprime import next_prime as next_prime
    from ._cfastprime import prev_prime as prev_prime
    from .executor import Executor as Executor
else:
    is_prime = _impl.is_prime
    next_prime = _impl.next_prime
    prev_prime = _impl.prev_prime

__all__ = [
    "Executor",
    "__version__",
    "implementation",
    "is_prime",
    "is_prime_array",
    "next_prime",
    "prev_prime",
]


def __getattr__(name: str):
    # Imported on first use: `import fastprime` stays cheap and never imports numpy.
    if name == "Executor":
        from .executor import Executor

        return Executor
    if name == "is_prime_array":
        from ._array import is_prime_array

        return is_prime_array
    raise AttributeError(f"module 'fastprime' has no attribute {name!r}")
