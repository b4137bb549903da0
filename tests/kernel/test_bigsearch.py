"""``_bigsearch``: windowed-sieve next/prev prime for big numbers, with both BPSW engines.

References: sympy's ``nextprime``/``prevprime`` (pure-Python arithmetic, see conftest) and
a plain candidate-by-candidate loop over ``_bpsw.is_prime_big``.  Every test runs with the
gmpy2 engine (when installed) and with the pure-Python one (the engine is swapped by
monkeypatch; one subprocess test checks ``FASTPRIME_NO_GMPY2=1`` itself).  At 2048-4096
bits sympy needs seconds per full gap, so there the reference checks the end of a gap:
``n`` a few odd numbers below (above) a prime, the gap being the sieve's whole job.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys

import pytest
import sympy

from fastprime import _bigsearch, _bpsw
from fastprime._env import U128

_bpsw.is_prime_big(U128 + 51)  # the engine is chosen (and the test bound) before any swap


@pytest.fixture(params=["gmpy2", "python"])
def engine(request, monkeypatch):
    """The BPSW engine under test: the process's gmpy2 one, or pure Python swapped in."""
    if request.param == "gmpy2":
        if _bpsw._engine().gmpy2 is None:
            pytest.skip("gmpy2 is not installed (or FASTPRIME_NO_GMPY2 is set)")
    else:
        pure = _bpsw._Engine("python", None, False, _bpsw._is_prime_big_any)
        monkeypatch.setattr(_bpsw, "_chosen", [pure])
        monkeypatch.setattr(_bpsw, "is_prime_big", _bpsw._is_prime_big_any)
    assert _bpsw.engine == request.param
    return request.param


def _loop_next(n):
    c = n + 1 + (n & 1)
    while not _bpsw.is_prime_big(c):
        c += 2
    return c


def _loop_prev(n):
    c = n - 1 - (n & 1)
    while not _bpsw.is_prime_big(c):
        c -= 2
    return c


@pytest.mark.parametrize("bits,count", [(129, 30), (160, 20), (256, 20), (400, 8), (640, 3), (1024, 3)])
def test_random_sizes_match_sympy(engine, bits, count):
    if engine == "python" and bits > 640:
        count = 1  # ~2 ms a composite in pure Python at 1024 bits
    rng = random.Random(bits)
    for _ in range(count):
        n = rng.getrandbits(bits) | 1 << (bits - 1)
        assert _bigsearch.next_prime_big(n) == sympy.nextprime(n), n
        assert _bigsearch.prev_prime_big(n) == sympy.prevprime(n), n


@pytest.mark.parametrize("bits,directions", [(2048, "np"), (4096, "np")])
def test_gap_ends_at_large_sizes_match_sympy(bits, directions):
    # gmpy2 engine only: ~8x slower in pure Python at these sizes (the pure engine is
    # checked against sympy up to 1024 bits above).  One full search per case (~1.5 s of
    # CPU at 4096 bits), then sympy over its last 1-40 numbers.
    if _bpsw._engine().gmpy2 is None:
        pytest.skip("gmpy2 is not installed")
    rng = random.Random(bits)
    for direction in directions:
        n = rng.getrandbits(bits) | 1 << (bits - 1)
        if direction == "n":
            p = _bigsearch.next_prime_big(n)
            start = max(n, p - rng.randint(1, 40))
            assert _bigsearch.next_prime_big(start) == sympy.nextprime(start) == p
        else:
            q = _bigsearch.prev_prime_big(n)
            start = min(n, q + rng.randint(1, 40))
            assert _bigsearch.prev_prime_big(start) == sympy.prevprime(start) == q


def test_across_2_128(engine):
    below, above = U128 - 159, U128 + 51  # the primes either side of 2**128
    assert sympy.prevprime(U128) == below and sympy.nextprime(U128) == above
    for n in list(range(U128 - 170, U128 + 60)):
        want_next = above if below <= n < above else sympy.nextprime(n)
        assert _bigsearch.next_prime_big(n) == want_next, n - U128
    for n in range(U128 - 3, above + 8):
        want_prev = below if n <= above else above
        assert _bigsearch.prev_prime_big(n) == want_prev, n - U128
    assert _bigsearch.prev_prime_big(below) == sympy.prevprime(below)


@pytest.mark.parametrize("window", [1, 2, 5])
def test_windows_shorter_than_the_gap(engine, monkeypatch, window):
    # A window of 1-5 odd candidates: the search has to run through many windows, on
    # offsets carried from one window to the next.
    monkeypatch.setattr(_bigsearch, "_choose", lambda bits, gmp: (window, 1 << 11))
    rng = random.Random(window)
    cases = [U128 - 1, U128, U128 + 1, 2**20 + 1, 2**20 + 2, 2**20 + 1000, 2**21 - 3, 2**21 + 17]
    cases += [rng.getrandbits(rng.choice([64, 129, 300])) for _ in range(6)]
    for n in cases:
        assert _bigsearch.next_prime_big(n) == sympy.nextprime(n), n
        assert _bigsearch.prev_prime_big(n) == sympy.prevprime(n), n


@pytest.mark.parametrize("window", [3, 64])
def test_small_primes_in_the_window_are_not_struck(engine, monkeypatch, window):
    # B = 2**21 > 2**20: windows near 2**20 hold primes <= B, which the sieve strikes as
    # their own multiples and must put back.
    monkeypatch.setattr(_bigsearch, "_choose", lambda bits, gmp: (window, 1 << 21))
    for n in [2**20 + 1, 2**20 + 2, 2**20 + 1000, 2**21 - 20, 2**21 - 3, 2**21 + 17]:
        assert _bigsearch.next_prime_big(n) == sympy.nextprime(n), n
        assert _bigsearch.prev_prime_big(n) == sympy.prevprime(n), n


def test_small_numbers_and_the_2_20_boundary(engine):
    for n in [0, 1, 2, 3, 4, 5, 6, 7, 8, 23, 24, 1000, 2**20 - 5, 2**20 - 3, 2**20 - 1, 2**20]:
        assert _bigsearch.next_prime_big(n) == sympy.nextprime(n), n
    for n in [3, 4, 5, 6, 7, 8, 24, 1000, 2**20 - 3, 2**20, 2**20 + 1, 2**20 + 2, 2**20 + 4, 2**20 + 8]:
        assert _bigsearch.prev_prime_big(n) == sympy.prevprime(n), n
    # 2**20 + 1 = 17 * 61681 and 2**20 + 3 = 1048579 are composite: from just above
    # 2**20 the sieved search finds nothing and hands over to the loop below.
    for n in range(2**20 - 40, 2**20 + 40):
        if n > 2:
            assert _bigsearch.prev_prime_big(n) == sympy.prevprime(n), n
    with pytest.raises(ValueError):
        _bigsearch.prev_prime_big(2)
    with pytest.raises(TypeError):
        _bigsearch.next_prime_big(2.0**130)  # type: ignore[arg-type]


def test_agrees_with_candidate_loop_at_200_bits(engine):
    rng = random.Random(200)
    for _ in range(200):
        n = rng.getrandbits(200) | 1 << 199
        assert _bigsearch.next_prime_big(n) == _loop_next(n), n
        assert _bigsearch.prev_prime_big(n) == _loop_prev(n), n


def test_no_gmpy2_environment_uses_the_pure_engine():
    # FASTPRIME_NO_GMPY2=1 itself (not a monkeypatch): a fresh interpreter.
    code = (
        "import random, sys; from fastprime import _bigsearch, _bpsw\n"
        "rng = random.Random(7)\n"
        "for bits in (129, 300, 600):\n"
        "    n = rng.getrandbits(bits) | 1 << (bits - 1)\n"
        "    print(n, _bigsearch.next_prime_big(n), _bigsearch.prev_prime_big(n))\n"
        "print(_bpsw.engine)\n"
    )
    env = dict(os.environ, FASTPRIME_NO_GMPY2="1")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    lines = out.stdout.split("\n")
    assert lines[3] == "python"
    for line in lines[:3]:
        n, up, down = map(int, line.split())
        assert up == sympy.nextprime(n) and down == sympy.prevprime(n)
