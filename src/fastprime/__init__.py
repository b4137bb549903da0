"""fastprime: fast, correct primality testing for every Python int, on every core.

>>> import fastprime
>>> fastprime.is_prime(112272535095293)
True
>>> fastprime.next_prime(2**64)
18446744073709551629

Public names: ``is_prime``, ``next_prime``, ``prev_prime`` (the kernel),
``is_prime_array`` (numpy arrays), ``primes``, ``count_primes``, ``primes_array``,
``iter_primes`` (every prime of a range), ``Executor`` (``concurrent.futures`` on every
core), ``implementation`` (``"cython"`` when the compiled kernel is loaded,
``"python"`` for the pure-Python twin, forced with ``FASTPRIME_PURE_PYTHON=1``) and
``__version__``.  ``src/fastprime/README.md`` draws the layers behind them.
"""

import sys as _sys
import types as _types
import typing as _typing

from ._loader import implementation
from ._loader import implementation_module as _impl
from ._version import __version__

if _typing.TYPE_CHECKING:
    # Real signatures for type checkers: both implementations match _cfastprime.pyi,
    # and Executor and is_prime_array are imported on first use at run time.
    from ._array import is_prime_array as is_prime_array
    from ._cfastprime import is_prime as is_prime
    from ._cfastprime import next_prime as next_prime
    from ._cfastprime import prev_prime as prev_prime
    from ._ranges import count_primes as count_primes
    from ._ranges import iter_primes as iter_primes
    from ._ranges import primes as primes
    from ._ranges import primes_array as primes_array
    from .executor import Executor as Executor
else:
    is_prime = _impl.is_prime
    next_prime = _impl.next_prime
    prev_prime = _impl.prev_prime

__all__ = [
    "Executor",
    "__version__",
    "count_primes",
    "implementation",
    "is_prime",
    "is_prime_array",
    "iter_primes",
    "next_prime",
    "prev_prime",
    "primes",
    "primes_array",
]

# Imported on first use, so `import fastprime` stays cheap (~14 ms) and never imports
# numpy: public name -> (module, attribute).
_LAZY = {
    "Executor": ("fastprime.executor", "Executor"),
    "is_prime_array": ("fastprime._array", "is_prime_array"),
    "primes": ("fastprime._ranges", "primes"),
    "count_primes": ("fastprime._ranges", "count_primes"),
    "primes_array": ("fastprime._ranges", "primes_array"),
    "iter_primes": ("fastprime._ranges", "iter_primes"),
}


class _Module(_types.ModuleType):
    """The package's module type: lazy names that ``dir()`` and ``help()`` still see.

    A module-level ``__getattr__`` function would show in ``help(fastprime)`` and
    leave the lazy names out of ``dir(fastprime)``; a method of the module's class does
    neither.
    """

    def __getattr__(self, name: str) -> "_typing.Any":
        try:
            module_name, attribute = _LAZY[name]
        except KeyError:
            raise AttributeError(f"module 'fastprime' has no attribute {name!r}") from None
        import importlib

        value = getattr(importlib.import_module(module_name), attribute)
        setattr(self, name, value)  # once: later lookups are plain attribute reads
        return value

    def __dir__(self) -> "_typing.List[str]":
        return sorted(set(super().__dir__()) | set(__all__))

    def __reduce__(self) -> "_typing.Tuple[_typing.Any, ...]":
        # Modules pickle by name (cloudpickle, as dask uses it, ships a function that
        # refers to `fastprime` by reference): the module is re-imported on the worker.
        import importlib

        return (importlib.import_module, (self.__name__,))


_sys.modules[__name__].__class__ = _Module
