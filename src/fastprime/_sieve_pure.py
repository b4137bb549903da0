"""The pure-Python range engine: the primes of [lo, hi), counted or listed, for any size of int.

The twin of the compiled sieve (``_cranges``), used by the pure-Python implementation,
and by the compiled one above the range its C covers.  numpy is not needed.

- While sqrt(hi) <= ``FULL_SIEVE_LIMIT`` (hi up to ~1.8e13): a segmented sieve of
  Eratosthenes over odd numbers, one ``bytearray`` segment at a time, crossing off
  with slice assignment (a C loop inside CPython: ~5 ns per crossed number, where a
  Python loop costs ~50).
- Above: the window is sieved by the odd primes below ``SMALL_SIEVE_LIMIT`` only, and
  each survivor (~10% of the numbers, Mertens: e^-gamma / ln B) is tested with the
  implementation's ``is_prime`` (deterministic below 2**64, strong BPSW above).  Keeping
  every sieving prime up to sqrt(hi) would need up to 203 million of them near 2**64,
  which a Python list cannot hold in bounded memory.

Work is done one segment at a time, so Ctrl-C (KeyboardInterrupt between bytecodes)
stops it within one segment, and the working set is O(sqrt(hi)) + one segment.
"""

from __future__ import annotations

import math
from itertools import compress
from typing import Callable, Iterator, List

__all__ = ["count", "primes", "segments", "FULL_SIEVE_LIMIT", "SMALL_SIEVE_LIMIT"]

#: Sieving primes kept for a full sieve: up to 2**22 (295,947 primes, ~10 MB as ints).
FULL_SIEVE_LIMIT = 1 << 22
#: Sieving primes for the windows above that: up to 2**16 (6,541 odd primes).
SMALL_SIEVE_LIMIT = 1 << 16
#: Odd numbers per segment: 2**19 (a 512 KiB bytearray, ~1 M numbers, ~20-60 ms of work).
SEGMENT_ODDS = 1 << 19

_base_cache: List[List[int]] = []


def _odd_primes_to(limit: int) -> List[int]:
    """The odd primes <= limit (a plain odd-only sieve)."""
    if limit < 3:
        return []
    size = (limit - 1) // 2  # index i <-> 2i + 3
    flags = bytearray([1]) * size
    for i in range((math.isqrt(limit) - 1) // 2):
        if flags[i]:
            p = 2 * i + 3
            start = (p * p - 3) // 2
            flags[start::p] = bytes(len(range(start, size, p)))
    return [2 * i + 3 for i in compress(range(size), flags)]


def _base_primes() -> List[int]:
    # A cache, not state: made once, the same for every caller (two racing threads
    # would build equal lists).
    if not _base_cache:
        _base_cache.append(_odd_primes_to(FULL_SIEVE_LIMIT))
    return _base_cache[0]


def _flags(first: int, size: int, sieving: List[int], full: bool) -> bytearray:
    """Flags of the odd numbers first, first + 2, ...: 1 where no sieving prime divides
    them (besides the prime itself)."""
    last = first + 2 * (size - 1)
    flags = bytearray([1]) * size
    for p in sieving:
        square = p * p
        if full and square > last:
            break
        # The first odd multiple of p at or above max(first, p*p) (p itself is kept).
        start = max(square, -(-first // p) * p)
        if not start & 1:
            start += p
        index = (start - first) // 2
        if index < size:
            flags[index::p] = bytes(len(range(index, size, p)))
    if first == 1:
        flags[0] = 0  # 1 is not prime
    return flags


def segments(lo: int, hi: int, is_prime: Callable[[int], bool]) -> Iterator[List[int]]:
    """The primes of [lo, hi) in increasing order, a segment's worth per list.

    Args:
        lo, hi: the half-open range, ``0 <= lo``; empty when ``lo >= hi``.
        is_prime: the primality test for the survivors of a partial sieve (numbers
            with sqrt > ``FULL_SIEVE_LIMIT``).
    """
    if lo <= 2 < hi:
        yield [2]
    first = max(lo, 3) | 1
    full = math.isqrt(max(hi - 1, 0)) <= FULL_SIEVE_LIMIT
    sieving = _base_primes() if full else _base_primes()[: _count_below(SMALL_SIEVE_LIMIT)]
    while first < hi:
        size = min(SEGMENT_ODDS, (hi - first + 1) // 2)
        flags = _flags(first, size, sieving, full)
        numbers = range(first, first + 2 * size, 2)
        if full:
            yield list(compress(numbers, flags))
        else:
            small = set(sieving) if first <= SMALL_SIEVE_LIMIT else ()
            yield [n for n in compress(numbers, flags) if n in small or is_prime(n)]
        first += 2 * size


def _count_below(limit: int) -> int:
    """How many base primes are below ``limit``."""
    import bisect

    return bisect.bisect_left(_base_primes(), limit)


def count(lo: int, hi: int, is_prime: Callable[[int], bool]) -> int:
    """How many primes are in [lo, hi) (``0 <= lo``); see ``segments``."""
    total = 0
    if lo <= 2 < hi:
        total = 1
    first = max(lo, 3) | 1
    full = math.isqrt(max(hi - 1, 0)) <= FULL_SIEVE_LIMIT
    if not full:
        return total + sum(len(part) for part in segments(first, hi, is_prime))
    sieving = _base_primes()
    while first < hi:
        size = min(SEGMENT_ODDS, (hi - first + 1) // 2)
        total += _flags(first, size, sieving, True).count(1)
        first += 2 * size
    return total


def primes(lo: int, hi: int, is_prime: Callable[[int], bool]) -> List[int]:
    """The primes of [lo, hi) as a list (``0 <= lo``); see ``segments``."""
    out: List[int] = []
    for part in segments(lo, hi, is_prime):
        out.extend(part)
    return out
