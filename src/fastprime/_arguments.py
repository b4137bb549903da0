"""Turning user input into a Python ``int``, with errors that name what was wrong.

Shared by the compiled and the pure-Python implementation so both reject exactly
the same inputs with exactly the same messages.
"""

from __future__ import annotations

import operator

__all__ = ["as_int"]


def as_int(n: object, func: str) -> int:
    """Return ``n`` as an ``int`` (through ``__index__``), or raise ``TypeError``.

    ``bool`` is an ``int`` subclass and is accepted, like everywhere in Python.
    Floats are refused even when integral: ``is_prime(7.0)`` silently truncating
    ``7.5`` to ``7`` would be a wrong answer, so neither is guessed at.
    """
    if type(n) is int:
        return n
    try:
        return operator.index(n)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(
            f"{func}() argument must be an integer, not {type(n).__name__!r}"
        ) from None
