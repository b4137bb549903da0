"""Rendering results, for the blocks read in Python (the C scanner prints its own,
byte for byte the same: ``csrc/lines.h``).

Each renderer turns one block's numbers and results into the bytes to write, by
joins over the whole block, never a line at a time.  The modes that use them are
in ``options.MODES``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

from .reading import Block

__all__ = [
    "Render",
    "render_json",
    "render_lines",
    "render_primes",
    "render_primes_json",
    "render_summary",
    "render_values",
    "render_values_json",
]

#: A renderer: one block and its results (in the block's order) -> the bytes to print.
Render = Callable[[Block, Sequence[Any]], bytes]

_LINE_SUFFIXES = (b" is prime: False\n", b" is prime: True\n")
_JSON_HEAD = b'{"n": '
_JSON_SUFFIXES = (b', "is_prime": false}\n' + _JSON_HEAD, b', "is_prime": true}\n' + _JSON_HEAD)


def _suffixed(block: Block, suffixes: Sequence[bytes], results: Sequence[Any]) -> bytes:
    """Every number's text, each followed by ``suffixes[result]``."""
    texts = block.text.split(b"\n") if block.text is not None else [b"%d" % n for n in block.numbers]
    # texts[i] + suffixes[results[i]] for every i, joined, without a Python-level loop.
    parts: list[bytes] = [b""] * (2 * len(texts))
    parts[::2] = texts
    parts[1::2] = map(suffixes.__getitem__, results)
    return b"".join(parts)


def render_lines(block: Block, results: Sequence[Any]) -> bytes:
    """``N is prime: True|False`` per number."""
    return _suffixed(block, _LINE_SUFFIXES, results)


def render_json(block: Block, results: Sequence[Any]) -> bytes:
    """``{"n": N, "is_prime": true|false}`` per number."""
    # Each suffix carries the next line's head; the last one's is cut off.
    return _JSON_HEAD + _suffixed(block, _JSON_SUFFIXES, results)[: -len(_JSON_HEAD)]


def _prime_texts(block: Block, results: Sequence[Any]) -> list[bytes]:
    # Only the primes are printed: pick them first, then format just those.
    return [b"%d" % n for n in itertools.compress(block.numbers, results)]


def render_primes(block: Block, results: Sequence[Any]) -> bytes:
    """The numbers that are prime, one per line."""
    primes = _prime_texts(block, results)
    return b"\n".join(primes) + b"\n" if primes else b""


def render_primes_json(block: Block, results: Sequence[Any]) -> bytes:
    """``{"n": N, "is_prime": true}`` per number that is prime."""
    primes = _prime_texts(block, results)
    if not primes:
        return b""
    return _JSON_HEAD + b', "is_prime": true}\n{"n": '.join(primes) + b', "is_prime": true}\n'


def render_values(block: Block, results: Sequence[Any]) -> bytes:
    """The results themselves (integers: ``--next``, ``--prev``), one per line."""
    return b"".join([b"%d\n" % p for p in results])


def render_values_json(key: str) -> Render:
    """A renderer of ``{"n": N, "<key>": result}`` per number.

    Args:
        key: the JSON name of the result, e.g. ``"next_prime"``.

    Returns:
        The renderer.
    """
    line = b'{"n": %d, "' + key.encode() + b'": %d}\n'

    def render(block: Block, results: Sequence[Any]) -> bytes:
        return b"".join([line % pair for pair in zip(block.numbers, results)])

    return render


def render_summary(primes: int, total: int, as_json: bool) -> bytes:
    """The line ``--count`` prints at the end: the number of primes, or JSON with the total."""
    if as_json:
        return b'{"count": %d, "total": %d}\n' % (primes, total)
    return b"%d\n" % primes
