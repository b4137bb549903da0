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

from ._loader import load as _load
from ._version import __version__

_impl, implementation = _load()

is_prime = _impl.is_prime
next_prime = _impl.next_prime
prev_prime = _impl.prev_prime

__all__ = [
    "__version__",
    "implementation",
    "is_prime",
    "next_prime",
    "prev_prime",
]
