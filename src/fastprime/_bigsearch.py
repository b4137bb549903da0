"""next/prev prime above 2**128: sieve a window of candidates, then BPSW the survivors.

Testing each odd candidate in turn costs one modular exponentiation per candidate that
has no factor below 1000 (~1/6 of them).  Here a window of ``W`` odd candidates
``c_i = c_0 + 2*i*direction`` is first sieved by every odd prime ``p <= B``: one
remainder ``x % p`` per prime (``x = -c_0`` going up, ``c_0`` going down) gives the first
offset ``i = x * (p+1)/2 mod p`` that ``p`` divides, and the offsets ``i, i+p, ...`` are
struck with one bytearray slice assignment.  Only survivors, in order, go to
``_bpsw.is_prime_big`` (gmpy2/GMP when installed, pure Python otherwise).  Of the odd
numbers, a fraction ~ 2e^-γ / ln B survive (Mertens), e.g. 8.1% for B = 10**6 against
16% after trial division to 1000 alone.

The remainders are the sieve's cost.  They are taken down a two-level product tree: x
modulo a product of primes of ~2048 bits, that modulo products of ~256 bits, and those
(machine-size) modulo each prime through ``map`` in C.  Measured on 82,024 primes
< 2**20 (scratch m2/m3.py, noisy 2-core host): at 3322 bits 160-250 ns a prime with
mpz against 600 ns for ``map(mpz.__mod__, primes)``; with Python ints 300-450 ns
against 1,040 ns; at 9966 bits 200-350 (mpz) and 600-800 ns (int) against 1,270/2,470.
Primes >= 2W strike at most once in a window, where the residue is even and < 2W, so
the first window needs offsets only for the primes < 2W.  A window that holds no prime
is followed by the next one, whose offsets come from the previous ones
(``(i - W) mod p``, in C), with no big remainder.

B balances the sieve (~c per prime) against the tests it saves (T per composite
survivor): the optimum solves B ln B ~ T * (ln n / 2) * 1.123 / c, so it grows with the
size and with T (5-8x larger without gmpy2).  Measured, the best B goes as ~bits**3.2
with gmpy2 and ~bits**3.0 without, from 2**7 and 2**10 at 129 bits, up to 2**22 (from
~3000 bits with gmpy2; its tables are ~34 MB, built on first use).  W is 4x the
expected number of odd candidates to a prime (ln n / 2); past W the search goes on
with a new window.  ``_B_FIT``, ``_B_MAX_LOG2`` and ``_W_FACTOR`` hold the choices and
the timings that decided them.
"""

from __future__ import annotations

import math
from itertools import islice, repeat
from operator import index, mod, mul, sub
from typing import Callable, Dict, List, Optional, Tuple

from . import _bpsw

__all__ = ["next_prime_big", "prev_prime_big", "sieves"]

# Below this the search is a plain loop with trial division (no table, no sieve): the
# sieve's candidates then stay above it, and above 1000**2, which the pure BPSW needs.
_SMALL = 1 << 20

# log2(B) = base + slope * log2(bits / 129), for (gmpy2, pure Python): fitted to the B
# that minimised the modelled cost S(B) + N(B) * T_comp (scratch/bigsearch/tune2.py: S
# = CPU time of the sieve and loop alone, N = exact BPSW calls on composites per search,
# T_comp = CPU time of one BPSW on a composite without factors < 2**16; next and prev
# over 3-40 random n per size, every B on the same n).  Best B found (gmpy2):
# 129 bits 2**7 (0.05 ms), 200: 2**9 (0.12), 256: 2**10 (0.21), 332: 2**11 (0.46),
# 512: 2**13 (1.58), 997: 2**16 (11.8), 3322: 2**21-2**22 (673/670 ms; 2**18 752,
# 2**23 703).  Pure Python (T_comp 5-8x larger): 129: 2**10 (0.13 ms), 200: 2**11
# (0.36), 256: 2**12-13 (0.86), 332: 2**13 (1.98), 512: 2**16 (9.07), 997: 2**18-19
# (89.5 ms).  The formula's B costs within ~3% of the best measured B at every size.
# (Measured before the even-residue filter in _search cut the sieve time by 29%; the
# costs are flat within a few % around these B, so they were not re-fitted.)
_B_FIT = {True: (7.0, 3.2), False: (10.0, 3.0)}
# The largest B: 2**22 is 295,946 odd primes (34 MB of tables, built once in ~1 s of
# CPU).  With gmpy2 at 3322 bits 2**22 saved 0.3% over 2**21 and 2**23 lost 5% (its
# sieve is 116 ms); in pure Python 2**23 would save 2% at 3322 bits for 2x the memory.
_B_MAX_LOG2 = 22.0
# W in units of the expected odd candidates to a prime, ln(n) / 2: a window holds no
# prime with probability ~e**-4 = 2%; the cost of a larger W is only the slice
# assignments of primes < W (W * sum 1/p bytes, in C).
_W_FACTOR = 4.0

_L1_BITS = 2048  # first level of the remainder tree (see the module docstring)
_L2_BITS = 256  # second level: remainders of this size go to each prime in C


# From these sizes on, the window sieve beats testing candidates one by one (each behind
# its own trial division): with gmpy2 it breaks even near 384 bits (0.86x today's loop at
# 512 bits, 1.00-1.14x at 129-384), without near 256 bits (0.89x at 256, 0.99 at 129),
# CPU time, medians (scratch bench_bigsearch.py, see the module docstring).
_SIEVE_FROM_BITS = {True: 384, False: 256}


def sieves(n: int) -> bool:
    """Whether ``next_prime_big``/``prev_prime_big`` beat a candidate-by-candidate search at n.

    Args:
        n: the search's start, an int.

    Returns:
        True from 384 bits when gmpy2 tests the candidates, from 256 bits otherwise.
    """
    return n.bit_length() >= _SIEVE_FROM_BITS[_bpsw.engine == "gmpy2"]


def _choose(bits: int, gmp: bool) -> Tuple[int, int]:
    """The window W (odd candidates) and sieve bound B for numbers of ``bits`` bits."""
    base, slope = _B_FIT[gmp]
    log2_bound = min(max(base + slope * math.log2(max(bits, 129) / 129), base), _B_MAX_LOG2)
    window = max(64, int(_W_FACTOR * bits * math.log(2) / 2))
    return window, int(2**log2_bound)


_primes: List[int] = []  # odd primes below _primes_limit[0], grown on demand
_primes_limit = [0]
_tables: Dict[Tuple[int, bool], tuple] = {}


def _odd_primes(limit: int) -> List[int]:
    if _primes_limit[0] < limit:
        half = limit // 2  # index i stands for 2i + 1
        flags = bytearray([1]) * half
        flags[0] = 0
        for i in range(1, (math.isqrt(limit) + 1) // 2):
            if flags[i]:
                start = (2 * i + 1) ** 2 // 2
                flags[start :: 2 * i + 1] = bytes(len(range(start, half, 2 * i + 1)))
        _primes[:] = [2 * i + 1 for i in range(half) if flags[i]]
        _primes_limit[0] = limit
    count = len(_primes) if _primes_limit[0] == limit else _count_below(limit)
    return _primes[:count]


def _count_below(limit: int) -> int:
    lo, hi = 0, len(_primes)
    while lo < hi:
        mid = (lo + hi) // 2
        if _primes[mid] < limit:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _blocks(primes: List[int], bits: int) -> List[Tuple[int, List[int]]]:
    # Consecutive runs of primes whose product has at most ``bits`` bits.
    out: List[Tuple[int, List[int]]] = []
    run: List[int] = []
    product = 1
    for p in primes:
        if run and (product * p).bit_length() > bits:
            out.append((product, run))
            run, product = [], 1
        run.append(p)
        product *= p
    out.append((product, run))
    return out


def _table(bound: int, conv: Callable[[int], object], gmp: bool) -> tuple:
    key = (bound, gmp)
    if key not in _tables:
        primes = _odd_primes(bound + 1)
        tree = [(conv(p1), [(conv(p2), run2) for p2, run2 in _blocks(run1, _L2_BITS)]) for p1, run1 in _blocks(primes, _L1_BITS)]
        _tables[key] = (primes, [(p + 1) // 2 for p in primes], tree)
    return _tables[key]


def _residues(x, tree) -> List[int]:
    out: List[int] = []
    extend = out.extend
    for p1, subs in tree:
        y = x % p1
        for p2, run in subs:
            extend(map(int(y % p2).__mod__, run))
    return out


def _search(first: int, step: int, count: Optional[int], window: int, bound: int) -> Optional[int]:
    """The first prime of ``first, first + step, ...`` (``count`` terms, or unbounded).

    ``first`` is odd and > _SMALL, ``step`` is 2 or -2, and every term stays > _SMALL.
    """
    gmpy2 = _bpsw._engine().gmpy2
    conv = int if gmpy2 is None else gmpy2.mpz
    primes, halves, tree = _table(bound, conv, gmpy2 is not None)
    # p divides first + step*i  <=>  i = x / 2 (mod p), x = -first going up, first going down.
    x = conv(-first if step > 0 else first)
    residues = _residues(x, tree)
    # Offsets for the primes < 2W.  A larger prime strikes at most once, at r/2 when its
    # residue r is even and < 2W (an odd r puts it at (r+p)/2 >= W): one filter in C for
    # the first window: 41 ms against 58 ms with three maps per prime (3322 bits, B=2**22).
    few = _count_below(2 * window)
    offsets = list(map(mod, map(mul, residues[:few], halves), primes))
    large = primes[few:]
    rest: Optional[List[int]] = None  # their offsets, made only for a second window
    zeros = memoryview(bytes(window))
    test = _bpsw.is_prime_big
    base = 0
    w = 0
    while count is None or base < count:
        if w:  # a window without a prime: carry the offsets over to the next one
            if rest is None:
                rest = list(map(mod, map(mul, islice(residues, few, None), islice(halves, few, None)), large))
            offsets = list(map(mod, map(sub, offsets, repeat(w)), primes))
            rest = list(map(mod, map(sub, rest, repeat(w)), large))
        w = window if count is None else min(window, count - base)
        sieve = bytearray(b"\x01") * w
        for p, i in zip(primes, offsets):
            if i < w:
                sieve[i::p] = zeros[: (w - 1 - i) // p + 1]
        if rest is None:
            hits = [r >> 1 for r in islice(residues, few, None) if r < 2 * w and not r & 1]
        else:
            hits = [i for i in rest if i < w]
        for i in hits:
            sieve[i] = 0
        lo, hi = sorted((first + step * base, first + step * (base + w - 1)))
        if lo <= bound:  # a prime p <= B in the window was struck as its own multiple
            for p in primes[_count_below(lo) : _count_below(min(hi, bound) + 1)]:
                sieve[(p - first) // step - base] = 1
        i = sieve.find(1)
        while i >= 0:
            c = first + step * (base + i)
            if test(c):
                return c
            i = sieve.find(1, i + 1)
        base += w
    return None


def _is_small_prime(n: int) -> bool:
    return n == 2 or (n > 2 and n & 1 == 1 and all(n % d for d in range(3, math.isqrt(n) + 1, 2)))


def next_prime_big(n: int) -> int:
    """The smallest prime greater than ``n``, by windowed sieve and BPSW.

    Meant for ``n >= 2**128 - 1`` (the caller has faster paths below); any ``n`` works,
    with a plain trial-division loop below 2**20.

    Args:
        n: an ``int``.

    Returns:
        The smallest (BPSW-probable; no counterexample known) prime > ``n``; 2 if n < 2.

    Raises:
        TypeError: ``n`` is not an ``int``.
    """
    if type(n) is not int:
        n = index(n)  # TypeError for non-integers
    if n < _SMALL:
        c = max(n + 1, 2)
        while not _is_small_prime(c):
            c += 1
        return c
    window, bound = _choose(n.bit_length(), _bpsw._engine().gmpy2 is not None)
    result = _search(n + 1 + (n & 1), 2, None, window, bound)
    assert result is not None  # an unbounded upward search always ends
    return result


def prev_prime_big(n: int) -> int:
    """The largest prime less than ``n``, by windowed sieve and BPSW.

    Meant for ``n > 2**128`` (the caller has faster paths below); works for any
    ``n >= 3``, with a plain trial-division loop once the search is below 2**20.

    Args:
        n: an ``int`` >= 3.

    Returns:
        The largest (BPSW-probable; no counterexample known) prime < ``n``.

    Raises:
        TypeError: ``n`` is not an ``int``.
        ValueError: ``n <= 2`` (no prime below it).
    """
    if type(n) is not int:
        n = index(n)
    if n <= 2:
        raise ValueError(f"prev_prime_big() argument must be greater than 2, got {n}")
    top = n - 1 - (n & 1)  # the largest odd number below n
    if top > _SMALL:
        window, bound = _choose(n.bit_length(), _bpsw._engine().gmpy2 is not None)
        count = (top - _SMALL - 1) // 2 + 1  # the odd numbers in (2**20, top]
        found = _search(top, -2, count, window, bound)
        if found is not None:
            return found
        top -= 2 * count  # 2**20 - 1: the loop below takes over
    c = top
    while c > 2 and not _is_small_prime(c):
        c -= 2
    return c if c > 2 else 2
