"""The pure-Python twin of the compiled kernel: same functions, same answers, same errors.

Loaded when the extension cannot be imported, or when ``FASTPRIME_PURE_PYTHON=1`` is set
before ``import fastprime``.  It is also the reference the compiled kernel is tested
against: below 2**64 it uses a different algorithm (deterministic Miller-Rabin with
fixed base sets) from the kernel's (Baillie-PSW), so the two check each other.
"""

from __future__ import annotations

import math
import struct
import sys
from typing import Iterable, Iterator, List, Optional, Tuple

from . import _bigsearch, _bpsw
from ._arguments import as_int
from ._bpsw import strong_probable_prime
from ._env import U64 as _U64

__all__ = ["is_prime", "next_prime", "prev_prime", "is_prime_flags", "is_prime_many", "chain_results", "is_prime_into"]


# Deterministic Miller-Rabin base sets, smallest first: (bound, bases) means the bases
# decide every odd n < bound.  Sources: Jaeschke, Math. Comp. 61 (1993) 915-926 for the
# prime-base sets; Sinclair's 7 bases (2011, verified against Feitsma's list of base-2
# pseudoprimes) for everything below 2**64.
_BASE_SETS = (
    (2_047, (2,)),
    (1_373_653, (2, 3)),
    (25_326_001, (2, 3, 5)),
    (3_215_031_751, (2, 3, 5, 7)),
    (2_152_302_898_747, (2, 3, 5, 7, 11)),
    (3_474_749_660_383, (2, 3, 5, 7, 11, 13)),
    (341_550_071_728_321, (2, 3, 5, 7, 11, 13, 17)),
    (_U64, (2, 325, 9375, 28178, 450775, 9780504, 1795265022)),
)

_SMALL_PRIMES = _bpsw.odd_primes_below(100)
_SMALL_PRODUCT = math.prod(_SMALL_PRIMES)
_SMALL_SET = frozenset((2,) + _SMALL_PRIMES)


def _is_prime_u64(n: int) -> bool:
    if n < 100:
        return n in _SMALL_SET
    if not n & 1 or math.gcd(n, _SMALL_PRODUCT) != 1:
        return False
    if n < 10_000:  # no factor <= 97 and n < 101**2
        return True
    d = n - 1
    s = (d & -d).bit_length() - 1
    d >>= s
    for bound, bases in _BASE_SETS:
        if n < bound:
            return all(strong_probable_prime(n, a, d, s) for a in bases)
    raise AssertionError("unreachable: the last base set covers every n < 2**64")


def _is_prime_int(n: int) -> bool:
    if n < _U64:
        return n >= 2 and _is_prime_u64(n)
    return _bpsw.is_prime_big(n)


def is_prime(n: object, /) -> bool:
    """Return ``True`` if ``n`` is prime.

    Deterministic below 2**64; strong Baillie-PSW above (no counterexample known).
    ``n`` may be any ``int`` or object with ``__index__``; ``n < 2`` gives ``False``;
    anything else raises ``TypeError``.
    """
    return _is_prime_int(as_int(n, "is_prime"))


def next_prime(n: object, /) -> int:
    """Return the smallest prime greater than ``n`` (2 for any ``n < 2``)."""
    n = as_int(n, "next_prime")
    if n < 2:
        return 2
    if n < 3:
        return 3
    if _bigsearch.sieves(n):  # a sieved window of candidates (see _bigsearch)
        return _bigsearch.next_prime_big(n)
    c = n + 1 + (n & 1)  # next odd number above n
    while not _is_prime_int(c):
        c += 2
    return c


def prev_prime(n: object, /) -> int:
    """Return the largest prime less than ``n``; ``ValueError`` if ``n <= 2``."""
    n = as_int(n, "prev_prime")
    if n <= 2:
        raise ValueError(f"prev_prime() argument must be greater than 2, got {n}")
    if n == 3:
        return 2
    if _bigsearch.sieves(n):
        return _bigsearch.prev_prime_big(n)
    c = n - 1 - (n & 1)  # previous odd number below n
    while not _is_prime_int(c):
        c -= 2
    return c


def is_prime_flags(
    values: Iterable[object],
    start: int = 0,
    stop: Optional[int] = None,
    big_out: Optional[List[Tuple[int, int]]] = None,
) -> bytearray:
    """A bytearray with 1 where ``values[start:stop]`` holds a prime, 0 elsewhere.

    The batch entry point the executor uses.  With ``big_out`` (a list), values
    >= 2**64 are not tested: ``(position, value)`` pairs are appended to ``big_out``
    and their flags are 0, for the caller to test elsewhere.  The compiled
    ``is_prime_flags`` has the same contract from 2**128 on (below, its wide kernel
    tests them in the batch without the GIL); in pure Python every test holds the GIL,
    and the numbers above 2**64 are the costly ones worth a helper process.
    """
    items = values if type(values) is list or type(values) is tuple else list(values)
    # Exactly a slice: negative start/stop count from the end, huge ones are clamped,
    # and __index__ runs before the length is applied (as in the compiled twin).
    part = items[start:stop]  # type: ignore[index]
    flags = bytearray(len(part))
    for i, v in enumerate(part):
        n = as_int(v, "is_prime")
        if big_out is not None and n >= _U64:
            big_out.append((i, n))
        elif _is_prime_int(n):
            flags[i] = 1
    return flags


def is_prime_many(values: Iterable[object], big_out: Optional[List[Tuple[int, int]]] = None) -> List[bool]:
    """``[is_prime(v) for v in values]``: ``is_prime_flags`` as a list of bools."""
    return list(map(bool, is_prime_flags(values, 0, None, big_out)))


def _items(chunk: object) -> Iterable[object]:
    return list(map(bool, chunk)) if type(chunk) is bytearray or type(chunk) is bytes else chunk  # type: ignore[call-overload, return-value]


def chain_results(chunks: Iterable[object], total: int = -1) -> Iterator[object]:
    """``itertools.chain.from_iterable(chunks)``, where a chunk may also be a bytes or
    bytearray of flags from ``is_prime_flags``, yielded as ``True``/``False``.
    (``total``, how many items there will be, is only a hint to the compiled twin.)

    A generator, not ``itertools.chain``: re-entered (``next()`` called from the chunk
    source or a chunk's ``__iter__``), ``itertools.chain`` crashes CPython 3.12 and
    3.13, and with ``map`` in between 3.11 too.  A generator refuses re-entry with
    ``ValueError`` ("already executing"), as the compiled twin does."""
    return _chain(map(_items, chunks))


def _chain(chunks: Iterable[Iterable[object]]) -> Iterator[object]:
    for chunk in chunks:
        yield from chunk


# Buffer item formats (struct module codes) that hold integers.
_INTEGER_FORMATS = frozenset("bBhHiIlLqQnN")
# Byte-order prefixes that mean native order ("=" and "<"/">" use standard sizes,
# which struct understands and memoryview.tolist() does not: numpy exports "=q" for
# unaligned int64 arrays).
_NATIVE_PREFIXES = frozenset(("", "@", "=", "<" if sys.byteorder == "little" else ">"))
if sys.byteorder == "big":
    _NATIVE_PREFIXES |= {"!"}


def is_prime_into(values: object, out: object, /) -> None:
    """Write 1 to ``out[i]`` if ``values[i]`` is prime, else 0.

    ``values``: a 1-D buffer of any integer item type and any stride; ``out``: a
    writable C-contiguous uint8 buffer of the same length.  Negative values give 0.
    Same contract and exception types as the compiled ``is_prime_into`` (which
    releases the GIL; this one cannot).
    """
    try:
        src = memoryview(values)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(
            f"is_prime_into() values must be a buffer of integers, not {type(values).__name__!r}"
        ) from None
    if src.ndim != 1:
        raise TypeError(f"is_prime_into() values must be 1-dimensional, got {src.ndim} dimensions")
    prefix, code = src.format[:-1], src.format[-1:]
    if code not in _INTEGER_FORMATS or prefix not in ("", "@", "=", "<", ">", "!"):
        raise TypeError(f"is_prime_into() values must hold integers, got buffer format {src.format!r}")
    if prefix not in _NATIVE_PREFIXES:
        # Refused like the compiled kernel refuses it: callers convert first.
        raise ValueError(f"is_prime_into() values have non-native byte order (format {src.format!r})")
    dst = memoryview(out)  # type: ignore[arg-type]
    if dst.readonly:
        raise ValueError("is_prime_into(): out is read-only")
    if dst.ndim != 1 or dst.itemsize != 1 or not dst.c_contiguous or dst.format.lstrip("@=") not in ("B", "?"):
        raise ValueError(
            f"is_prime_into(): out must be a 1-D C-contiguous uint8 buffer, got format "
            f"{dst.format!r} with {dst.ndim} dimension(s)"
        )
    if len(dst) != len(src):
        raise ValueError(f"is_prime_into(): out has {len(dst)} items, values has {len(src)}")
    if prefix in ("", "@"):
        numbers = src.tolist()
    else:
        numbers = [n for (n,) in struct.iter_unpack(src.format, src.tobytes())]
    dst.cast("B")[:] = bytes([_is_prime_int(n) for n in numbers])
