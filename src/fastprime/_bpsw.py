"""Strong Baillie-PSW for Python ints of any size: the big-int path of both implementations.

The test is a strong base-2 Miller-Rabin round followed by a strong Lucas test with
Selfridge's "method A" parameters (Baillie & Wagstaff, Math. Comp. 35 (1980) 1391-1417).
No composite is known to pass it; none exists below 2**64 (every base-2 pseudoprime
below 2**64 was checked, Feitsma & Galway's list).  Only numbers >= 2**64 come here
from the public functions: below that both implementations have deterministic tests.

When gmpy2 is importable, GMP's own Baillie-PSW (``mpz_probab_prime_p`` with one
repetition, GMP >= 6.2) is used instead of the pure-Python Lucas loop (set
``FASTPRIME_NO_GMPY2=1`` to keep it out).  gmpy2 is imported at the first test of a
big number, not with fastprime.  Neither path releases the
GIL; the executor sends big-int work to processes for that reason.
"""

from __future__ import annotations

import math
from typing import Any, Callable, List, NamedTuple

from ._env import env_flag

__all__ = [
    "is_prime_big",
    "engine",  # noqa: F822 - a module __getattr__ name, chosen on first use
    "is_prime_big_python",
    "odd_primes_below",
    "strong_probable_prime",
]


def odd_primes_below(limit: int) -> tuple:
    """The odd primes below ``limit`` (a small table, made once at import)."""
    return tuple(p for p in range(3, limit, 2) if all(p % q for q in range(3, math.isqrt(p) + 1, 2)))


# Odd primes below 1000: trial division removes ~92% of random odd big numbers before
# any modular exponentiation.  The product is checked with one gcd, which is far
# cheaper in CPython than 167 separate `%` operations.
_SMALL_PRODUCT = math.prod(odd_primes_below(1000))


def strong_probable_prime(n: int, base: int, d: int = 0, s: int = 0) -> bool:
    """Whether odd ``n`` > 2 passes a strong Miller-Rabin round to ``base``.

    Args:
        n: an odd integer > 2.
        base: the base; one that reduces to 0, 1 or n-1 proves nothing and passes
            (rather than vouch for a composite by failing to look).
        d, s: ``n - 1 = d * 2**s`` with ``d`` odd, when the caller already has them
            (several bases share them); computed when ``d`` is 0.

    Returns:
        True if ``n`` is a strong probable prime to ``base``.
    """
    if not d:
        d = n - 1
        s = (d & -d).bit_length() - 1
        d >>= s
    a = base % n
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


def _jacobi(a: int, n: int) -> int:
    # n odd and positive.
    a %= n
    result = 1
    while a:
        while not a & 1:
            a >>= 1
            if n & 7 in (3, 5):
                result = -result
        a, n = n, a
        if a & 3 == 3 and n & 3 == 3:
            result = -result
        a %= n
    return result if n == 1 else 0


def _strong_lucas_selfridge(n: int) -> bool:
    # The caller has excluded perfect squares: for a square no D has (D/n) = -1,
    # and the search below would never end.
    d_param = 5
    while True:
        j = _jacobi(d_param, n)
        if j == -1:
            break
        if j == 0 and abs(d_param) != n:
            return False
        d_param = -d_param - 2 if d_param > 0 else -d_param + 2
    q = (1 - d_param) // 4  # P = 1
    # n + 1 = d * 2**s with d odd.
    d = n + 1
    s = (d & -d).bit_length() - 1
    d >>= s
    # Left-to-right ladder on U, V and Q**k.  Halving mod n is (x + n) >> 1 for odd x
    # (n is odd).  Reductions are deferred where the next product reduces anyway: this
    # loop is the whole cost of a big prime without gmpy2.
    u, v, qk = 1, 1, q % n
    if q == -1:
        # D = 5, half of all n: Q**k is +-1, so it needs no multiplication at all.
        qk = -1
        for bit in bin(d)[3:]:
            u = u * v % n
            v = (v * v - 2 * qk) % n  # qk**2 = 1 from here
            if bit == "1":
                u, v = u + v, v + 5 * u
                if u & 1:
                    u += n
                if v & 1:
                    v += n
                u >>= 1
                v >>= 1
                qk = -1
            else:
                qk = 1
    else:
        for bit in bin(d)[3:]:
            u = u * v % n
            v = (v * v - 2 * qk) % n
            qk *= qk
            if bit == "1":
                u, v = u + v, v + d_param * u
                if u & 1:
                    u += n
                if v & 1:
                    v += n
                u >>= 1
                v >>= 1
                qk *= q
            qk %= n
    u %= n
    v %= n
    qk %= n
    if u == 0 or v == 0:
        return True
    for _ in range(s - 1):
        v = (v * v - 2 * qk) % n
        if v == 0:
            return True
        qk = qk * qk % n
    return False


def is_prime_big_python(n: int) -> bool:
    """Strong BPSW in pure Python (no gmpy2), for odd ``n`` > 1000**2 without small factors checked."""
    if math.gcd(n, _SMALL_PRODUCT) != 1:
        return False
    if not strong_probable_prime(n, 2):
        return False
    r = math.isqrt(n)
    if r * r == n:
        return False
    return _strong_lucas_selfridge(n)


def _load_gmpy2():
    if env_flag("FASTPRIME_NO_GMPY2"):
        return None
    try:
        import gmpy2
    except ImportError:
        return None
    return gmpy2


def _gmp_has_bpsw(gmpy2) -> bool:
    # mpz_probab_prime_p runs Baillie-PSW from GMP 6.2 on; before that, reps=1 meant a
    # single random-base Miller-Rabin round.  gmpy2 may be linked to a system GMP.
    try:
        name, version = gmpy2.mp_version().split()
        return name == "GMP" and tuple(int(x) for x in version.split(".")[:2]) >= (6, 2)
    except (ValueError, AttributeError):
        return False


def _is_prime_big_gmpy2(n: int) -> bool:
    chosen = _engine()
    gmpy2 = chosen.gmpy2
    if not chosen.gmp_bpsw:
        if math.gcd(n, _SMALL_PRODUCT) != 1 or gmpy2.is_square(n):
            return False
        return bool(gmpy2.is_strong_bpsw_prp(n))
    # GMP's mpz_probab_prime_p: trial division, then Baillie-PSW (strong base-2 test and
    # a strong Lucas test with Selfridge's parameters; squares are caught by its
    # parameter search), then reps - 24 Miller-Rabin rounds: none with reps=1.  Faster
    # than composing gmpy2's is_strong_bpsw_prp, which runs its Lucas loop outside GMP.
    return bool(gmpy2.is_prime(n, 1))


def _is_prime_big_any(n: int) -> bool:
    if not n & 1:
        return False
    if _engine().gmpy2 is not None:
        return _is_prime_big_gmpy2(n)
    return is_prime_big_python(n)


class _Engine(NamedTuple):
    name: str  # "gmpy2" or "python"
    gmpy2: Any  # the module, or None
    gmp_bpsw: bool  # whether its GMP runs Baillie-PSW itself (GMP >= 6.2)
    test: Callable[[int], bool]


_chosen: List[_Engine] = []  # the engine, once chosen


def _engine() -> _Engine:
    """The engine for numbers >= 2**64, chosen on first use: importing gmpy2 costs ~30 ms
    (it reads its package metadata), which ``import fastprime`` should not pay for a
    test of numbers >= 2**64 that may never come."""
    if not _chosen:
        gmpy2 = _load_gmpy2()
        gmp_bpsw = gmpy2 is not None and _gmp_has_bpsw(gmpy2)
        test = _gmp_test(gmpy2) if gmp_bpsw else _is_prime_big_any
        _chosen.append(_Engine("gmpy2" if gmpy2 is not None else "python", gmpy2, gmp_bpsw, test))
    return _chosen[0]


def _gmp_test(gmpy2):
    # GMP's test bound once rather than looked up per call: the big-int path is also
    # used for numbers only a little above 2**64, where a few Python-level calls are a
    # visible cost.
    def test(n: int, _test=gmpy2.is_prime) -> bool:
        return _test(n, 1)  # type: ignore[no-any-return]

    return test


def is_prime_big(n: int) -> bool:  # noqa: F811 - replaced by the chosen engine's test on first call
    """Strong BPSW for an ``int`` known to be >= 2**64 (no counterexample known).

    The first call chooses the engine and puts its test in this function's place
    (callers look it up as ``_bpsw.is_prime_big``), so later calls go straight to it.
    """
    global is_prime_big
    test = _engine().test
    is_prime_big = test
    return test(n)


def __getattr__(name: str) -> str:
    #: ``engine``: which engine tests numbers >= 2**64, ``"gmpy2"`` or ``"python"``.
    if name == "engine":
        return _engine().name
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
