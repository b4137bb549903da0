"""The wide kernel through the public functions: 2**64 <= n < 2**128 (issue 14).

Every entry point (is_prime, next_prime, prev_prime, the batch calls behind
Executor.map and is_prime_array) is checked, with each implementation, against gmpy2
where it is installed and otherwise against the pure-Python strong BPSW of ``_bpsw``
(the big-int path, i.e. the definition of the test above 2**64), on random numbers of
every length from 65 to 128 bits, random primes, the hard vectors of
``primality-vectors-u128.txt`` (products of 64-bit primes, squares, Carmichael numbers,
strong pseudoprimes to many bases, strong Lucas pseudoprimes) and the edges 2**64 and
2**128.  next/prev go across both edges and, at random sizes up to 4096 bits, are
compared with sympy.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest
import sympy

import fastprime
from fastprime import _bpsw

VECTORS = Path(__file__).resolve().parent.parent / "primality-vectors-u128.txt"
U64, U128 = 2**64, 2**128

try:
    import gmpy2
except ImportError:  # the reference is then the pure BPSW alone
    gmpy2 = None


def reference(n: int) -> bool:
    if gmpy2 is not None:
        return bool(gmpy2.is_prime(n, 30))
    if n < U64 or not n & 1:
        return bool(sympy.isprime(n))
    return _bpsw.is_prime_big_python(n) and math.isqrt(n) ** 2 != n


def _random_numbers(count: int, seed: int) -> list[int]:
    rng = random.Random(seed)
    out = []
    for k in range(count):
        bits = 65 + k % 64
        out.append(rng.getrandbits(bits) | (1 << (bits - 1)) | (1 if rng.random() < 0.9 else 0))
    return out


def _random_primes(count: int, seed: int) -> list[int]:
    rng = random.Random(seed)
    out = []
    for k in range(count):
        bits = 65 + k % 64
        n = rng.getrandbits(bits) | (1 << (bits - 1)) | 1
        while not reference(n):
            n += 2
        if n < U128:
            out.append(n)
    return out


@pytest.fixture(scope="module")
def randoms():
    numbers = _random_numbers(100_000, 14)
    return numbers, [reference(n) for n in numbers]


@pytest.fixture(scope="module")
def primes_65_128():
    return _random_primes(10_000, 15)


def test_hard_vectors(impl):
    rows = [line.split()[:2] for line in VECTORS.read_text().splitlines() if line[:1].isdigit()]
    assert len(rows) > 1000
    for number, verdict in rows:
        n = int(number)
        assert impl.is_prime(n) == (verdict == "prime"), n
        assert reference(n) == (verdict == "prime"), n
    flags = impl.is_prime_flags([int(number) for number, _ in rows])
    assert list(flags) == [int(verdict == "prime") for _, verdict in rows]


def test_random_numbers_of_every_length(impl, randoms):
    numbers, expected = randoms
    assert [impl.is_prime(n) for n in numbers] == expected
    assert list(map(bool, impl.is_prime_flags(numbers))) == expected


def test_random_primes_of_every_length(impl, primes_65_128):
    assert all(impl.is_prime(p) for p in primes_65_128)
    assert all(impl.is_prime_flags(primes_65_128))
    # Their neighbours p + 2 .. mostly composite: the same answers as the reference.
    near = [p + 2 for p in primes_65_128[:2000]]
    assert [impl.is_prime(n) for n in near] == [reference(n) for n in near]


def test_edges(impl):
    for base in (U64, U128):
        for n in range(base - 300, base + 300):
            assert impl.is_prime(n) == reference(n), n


def _sympy_prev(n: int) -> int:
    return int(sympy.prevprime(n))


def test_next_and_prev_across_the_edges(impl):
    for base in (U64, U128):
        for n in range(base - 400, base + 200, 7):
            assert impl.next_prime(n) == sympy.nextprime(n), n
            assert impl.prev_prime(n) == _sympy_prev(n), n
    assert impl.next_prime(U128 - 159) > U128  # 2**128 - 159 is the largest prime below 2**128
    assert impl.prev_prime(U128 + 1) == U128 - 159
    assert impl.prev_prime(U64 + 13) == U64 - 59


def test_next_and_prev_at_random_sizes(impl):
    rng = random.Random(4096)
    sizes = [65, 80, 100, 127, 128, 129, 130, 200, 256, 300, 383, 384, 385, 512]
    for bits in sizes:
        n = rng.getrandbits(bits) | (1 << (bits - 1))
        assert impl.next_prime(n) == sympy.nextprime(n), bits
        assert impl.prev_prime(n) == _sympy_prev(n), bits
    for bits in (700, 1024, 2048, 4096):  # against GMP's own search (sympy takes minutes there)
        if gmpy2 is None:
            continue
        n = rng.getrandbits(bits) | (1 << (bits - 1))
        assert impl.next_prime(n) == gmpy2.next_prime(n)
        assert impl.prev_prime(n) == gmpy2.prev_prime(n)


def test_executor_map_below_2_128_starts_no_process(primes_65_128):
    numbers = primes_65_128[:3000] + [p + 2 for p in primes_65_128[:3000]]
    expected = [reference(n) for n in numbers]
    with fastprime.Executor(2) as ex:
        assert list(ex.map(fastprime.is_prime, numbers)) == expected
        assert list(ex.map(fastprime.next_prime, numbers[:200])) == [sympy.nextprime(n) for n in numbers[:200]]
        if ex.backend == "thread" and ex._offload is not None:
            # The kernel tests and searches them in the threads, without the GIL.
            assert not ex._offload.started


def test_is_prime_array_of_object_ints(impl, primes_65_128):
    np = pytest.importorskip("numpy")
    from fastprime import _array

    values = np.array(primes_65_128[:500] + [p * 3 for p in primes_65_128[:100]] + [U128 + 51, U64 - 59], dtype=object)
    got = _array._is_prime_array(values, workers=2, impl=impl)
    assert got.tolist() == [reference(int(v)) for v in values]
