"""The pure-Python twin of the compiled kernel: same functions, same answers, same errors.

Loaded when the extension cannot be imported, or when ``FASTPRIME_PURE_PYTHON=1`` is set
before ``import fastprime``.  It is also the reference the compiled kernel is tested
against: below 2**64 it uses a different algorithm (deterministic Miller-Rabin with
fixed base sets) from the kernel's (Baillie-PSW), so the two check each other.
"""

from __future__ import annotations

import math
from typing import Iterable, List, Optional

from ._arguments import as_int
from ._bpsw import is_prime_big

__all__ = ["is_prime", "next_prime", "prev_prime", "is_prime_many"]

_U64 = 1 << 64

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

_SMALL_PRIMES = (3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97)
_SMALL_PRODUCT = math.prod(_SMALL_PRIMES)
_SMALL_SET = frozenset((2,) + _SMALL_PRIMES)


def _strong_probable_prime(n: int, d: int, s: int, base: int) -> bool:
    a = base % n
    # A base that reduces to 0, 1 or n-1 proves nothing: skip it rather than let it
    # vouch for a composite.
    if a in (0, 1, n - 1):
        return True
    x = pow(a, d, n)
    if x == 1 or x == n - 1:
        return True
    for _ in range(s - 1):
        x = x * x % n
        if x == n - 1:
            return True
    return False


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
            return all(_strong_probable_prime(n, d, s, a) for a in bases)
    raise AssertionError("unreachable: the last base set covers every n < 2**64")


def _is_prime_int(n: int) -> bool:
    if n < _U64:
        return n >= 2 and _is_prime_u64(n)
    return is_prime_big(n)


def is_prime(n: object) -> bool:
    """Return ``True`` if ``n`` is prime.

    Deterministic below 2**64; strong Baillie-PSW above (no counterexample known).
    ``n`` may be any ``int`` or object with ``__index__``; ``n < 2`` gives ``False``;
    anything else raises ``TypeError``.
    """
    return _is_prime_int(as_int(n, "is_prime"))


def next_prime(n: object) -> int:
    """Return the smallest prime greater than ``n`` (2 for any ``n < 2``)."""
    n = as_int(n, "next_prime")
    if n < 2:
        return 2
    if n < 3:
        return 3
    c = n + 1 + (n & 1)  # next odd number above n
    while not _is_prime_int(c):
        c += 2
    return c


def prev_prime(n: object) -> int:
    """Return the largest prime less than ``n``; ``ValueError`` if ``n <= 2``."""
    n = as_int(n, "prev_prime")
    if n <= 2:
        raise ValueError(f"prev_prime() argument must be greater than 2, got {n}")
    if n == 3:
        return 2
    c = n - 1 - (n & 1)  # previous odd number below n
    while not _is_prime_int(c):
        c -= 2
    return c


def is_prime_many(values: Iterable[object], big_out: Optional[List[int]] = None) -> List[bool]:
    """``[is_prime(v) for v in values]``: the batch entry point the executor uses.

    With ``big_out`` (a list), values >= 2**64 are not tested: their positions are
    appended to ``big_out`` and their slots hold ``False``, for the caller to test
    elsewhere.  Same contract as the compiled ``is_prime_many``.
    """
    out = []
    for i, v in enumerate(values):
        n = as_int(v, "is_prime")
        if big_out is not None and n >= _U64:
            big_out.append(i)
            out.append(False)
        else:
            out.append(_is_prime_int(n))
    return out
