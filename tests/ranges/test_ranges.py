"""Ranges: ``primes``, ``count_primes``, ``primes_array``, ``iter_primes``.

References: a plain sieve (conftest) below 10**7, ``is_prime`` of every number of a
window elsewhere (itself checked against sympy by the kernel tests), and the known
values of pi(10**k).  Each engine is tested: ``engine`` runs the public functions with
the compiled sieve (when built) and with the pure engine forced.
"""

from __future__ import annotations

import random
import subprocess
import sys
import textwrap
from itertools import islice

import pytest
from conftest import PURE_ONLY, sieve

import fastprime
from fastprime import _ranges, _sieve_pure

PI = {1: 4, 2: 25, 3: 168, 4: 1229, 5: 9592, 6: 78498, 7: 664579, 8: 5761455, 9: 50847534, 10: 455052511}
U64 = 2**64

FUNCTIONS = ["primes", "count_primes", "primes_array", "iter_primes"]


def _compiled_available() -> bool:
    return not PURE_ONLY and _ranges._compiled_engine() is not None


ENGINES = ["pure"] + (["compiled"] if _compiled_available() else [])


@pytest.fixture(params=ENGINES)
def engine(request, monkeypatch):
    """Run the public functions on one engine: the pure one is forced by hiding the
    compiled sieve; the compiled one is what the package uses when it is built."""
    if request.param == "pure":
        monkeypatch.setattr(_ranges, "engine_for", lambda lo, hi: None)
    return request.param


def by_test(lo, hi):
    return [n for n in range(max(lo, 0), hi) if fastprime.is_prime(n)]


def all_four(lo, hi, **kw):
    listed = fastprime.primes(lo, hi, **kw)
    assert fastprime.count_primes(lo, hi, **kw) == len(listed)
    assert list(fastprime.iter_primes(lo, hi)) == listed
    np = pytest.importorskip("numpy")
    array = fastprime.primes_array(lo, hi, **kw)
    assert array.dtype == (object if hi > U64 else np.uint64)
    assert array.tolist() == listed
    return listed


def test_exhaustive_small_bounds(engine):
    for lo in range(-3, 100):
        for hi in range(-3, 100):
            assert fastprime.primes(lo, hi) == by_test(lo, hi), (lo, hi)
            assert fastprime.count_primes(lo, hi) == len(by_test(lo, hi))
    for stop in range(-3, 100):
        assert fastprime.primes(stop) == by_test(0, stop)
        assert fastprime.count_primes(stop) == len(by_test(0, stop))


@pytest.mark.parametrize("k", range(1, 9))
def test_pi_of_powers_of_ten(engine, k):
    if engine == "pure" and k > 8:
        pytest.skip("the pure engine's 10**9 is in the slow run")
    assert fastprime.count_primes(10**k) == PI[k]


@pytest.mark.slow
@pytest.mark.parametrize("k", [9, 10])
def test_pi_of_large_powers_of_ten(engine, k):
    assert fastprime.count_primes(10**k) == PI[k]


def test_against_the_sieve(engine):
    limit = 10**6
    flags = sieve(limit)
    assert all_four(0, limit) == [n for n in range(limit) if flags[n]]


def _windows(rng, count):
    edges = [2**32, U64 - 1, U64, U64 + 1, 10**12, 2**40]
    for _ in range(count):
        width = int(10 ** rng.uniform(0, 4.3))
        choice = rng.random()
        if choice < 0.3:
            edge = rng.choice(edges)
            lo = edge - rng.randrange(0, width + 1)
        elif choice < 0.5:
            lo = rng.randrange(0, 2**33)
        else:
            lo = rng.randrange(0, U64 + 2**70)
        yield lo, lo + width
    for end in (U64 - 1, U64, U64 + 1):
        yield end - 5000, end


def test_random_windows(engine):
    rng = random.Random(1302)
    for lo, hi in _windows(rng, 150 if engine == "pure" else 400):
        assert all_four(lo, hi) == by_test(lo, hi), (lo, hi)


def test_engines_agree():
    if not _compiled_available():
        pytest.skip("the compiled sieve is not built in this run")
    rng = random.Random(77)
    for _ in range(200):
        lo = rng.choice([rng.randrange(0, 2**20), rng.randrange(0, 2**40), rng.randrange(U64 - 2**30, U64)])
        hi = min(lo + rng.randrange(0, 3 * 10**6), U64)
        compiled = fastprime.primes(lo, hi)
        assert compiled == _sieve_pure.primes(lo, hi, fastprime.is_prime), (lo, hi)


@pytest.mark.parametrize("workers", [1, 2, 3, 7])
def test_workers_do_not_change_answers(engine, workers):
    for lo, hi in [(0, 3 * 10**6 + 17), (10**12 + 1, 10**12 + 2 * 10**6 + 3), (U64 - 10**6 - 7, U64)]:
        reference = fastprime.primes(lo, hi, workers=1)
        assert fastprime.primes(lo, hi, workers=workers) == reference
        assert fastprime.count_primes(lo, hi, workers=workers) == len(reference)


def test_iter_primes_unbounded():
    assert list(islice(fastprime.iter_primes(), 10)) == [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]
    got = list(islice(fastprime.iter_primes(2**64 - 100), 6))
    expected = [fastprime.next_prime(2**64 - 101)]
    while len(expected) < 6:
        expected.append(fastprime.next_prime(expected[-1]))
    assert got == expected
    assert got[2] < 2**64 < got[3]  # -95, -83, -59, then across 2**64
    big = 2**128
    first = next(fastprime.iter_primes(big))
    assert first == fastprime.next_prime(big - 1)


def test_above_2_128():
    lo = 2**128 - 3000
    assert all_four(lo, 2**128 + 3000) == by_test(lo, 2**128 + 3000)


@pytest.mark.parametrize("func", FUNCTIONS)
def test_bad_bounds(func):
    call = getattr(fastprime, func)
    for bad in (1.5, "10", 2.0):
        for args in ((bad, 100), (0, bad)):
            # Raised by the call itself, iter_primes included (before any iteration).
            with pytest.raises(TypeError, match=rf"{func}\(\) argument must be an integer, not"):
                call(*args)
    if func != "iter_primes":  # iter_primes(0, None) is the unbounded form
        with pytest.raises(TypeError, match=rf"{func}\(\) argument must be an integer, not 'NoneType'"):
            call(None)


class Index:
    def __init__(self, value):
        self.value = value

    def __index__(self):
        return self.value


def test_index_bounds_and_bools(engine):
    assert fastprime.primes(Index(10), Index(30)) == [11, 13, 17, 19, 23, 29]
    assert fastprime.count_primes(True, 5) == 2  # [1, 5): 2 and 3
    assert fastprime.primes(-100, 3) == [2]


@pytest.mark.parametrize("func", ["primes", "count_primes", "primes_array"])
def test_bad_workers_and_executor(func):
    call = getattr(fastprime, func)
    with pytest.raises(ValueError, match=rf"{func}\(\) workers must be at least 1"):
        call(10, workers=0)
    with pytest.raises(TypeError, match=rf"{func}\(\) workers must be a positive int or None"):
        call(10, workers=2.0)
    with pytest.raises(TypeError, match=rf"{func}\(\) executor must be a concurrent.futures.Executor"):
        call(10, executor=object())


@pytest.mark.parametrize("func", ["primes", "primes_array"])
def test_results_too_big_for_memory_are_refused_at_once(func):
    with pytest.raises(MemoryError, match=rf"{func}\(0, 1000000000000000\) would hold up to .* primes"):
        getattr(fastprime, func)(10**15)


def test_count_primes_of_a_huge_range_needs_no_list():
    # Counting is never refused for size: only its time grows.
    assert fastprime.count_primes(10**18, 10**18 + 10**5) == len(by_test(10**18, 10**18 + 10**5))


def test_exact_windows_above_2_64(engine):
    # Above 2**64 a window long enough to pay for every sieving prime below 2**32 is
    # sieved exactly (no BPSW), and on several threads its sieving primes are split
    # between them (bitmaps ANDed).  Compiled: 4e7 numbers, both paths; pure: the same
    # checks on a window its engine finishes in seconds.
    lo = U64 + 12_345
    hi = lo + (4 * 10**7 if engine == "compiled" else 3000)
    listed = fastprime.primes(lo, hi, workers=3)
    counts = {w: fastprime.count_primes(lo, hi, workers=w) for w in (1, 2, 3)}
    assert set(counts.values()) == {len(listed)}, counts
    assert listed == sorted(set(listed))
    assert listed[0] == fastprime.next_prime(lo - 1)
    assert listed[-1] == fastprime.prev_prime(hi)
    rng = random.Random(64)
    members = set(listed)
    for n in [*rng.sample(range(lo, hi), 2000), *rng.sample(listed, min(300, len(listed))), lo, hi - 1]:
        assert (n in members) == fastprime.is_prime(n), n
    # The last stretch listed by the exact single sieve, the window's end split off.
    tail = max(lo, hi - 5000)
    assert fastprime.primes(tail, hi, workers=1) == [p for p in listed if p >= tail]


def test_executor_splits_the_work(engine):
    with fastprime.Executor(2) as ex:
        lo, hi = 10**9, 10**9 + 5 * 10**5
        assert fastprime.count_primes(lo, hi, executor=ex) == fastprime.count_primes(lo, hi)
        assert fastprime.primes(lo, hi, executor=ex) == fastprime.primes(lo, hi)


def _seconds_to_interrupt(call: str, after: float) -> float:
    """Run ``call`` in a child interpreter that sends itself SIGINT after ``after``
    seconds; the time from the start until KeyboardInterrupt reached the caller."""
    code = textwrap.dedent(
        f"""
        import os, signal, threading, time, fastprime
        threading.Timer({after}, os.kill, (os.getpid(), signal.SIGINT)).start()
        start = time.monotonic()
        try:
            {call}
        except KeyboardInterrupt:
            print("interrupted after %.2f s" % (time.monotonic() - start))
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("interrupted after"), done.stdout + done.stderr
    return float(done.stdout.split()[2])


def test_ctrl_c_stops_a_long_count():
    # A count that would take many seconds, interrupted after 0.5 s: KeyboardInterrupt
    # within a fraction of a second, no traceback from another thread, no hang.
    assert _seconds_to_interrupt("fastprime.count_primes(10**18, 10**18 + 10**13)", 0.5) < 2.0


def test_ctrl_c_stops_the_set_up_near_2_64():
    # Near 2**64 a sieve first computes the first multiple of 203 M sieving primes
    # (~1.3 s); that set-up runs in steps too, so the interrupt lands well before it ends.
    assert _seconds_to_interrupt("fastprime.count_primes(2**64, 2**64 + 10**10, workers=1)", 0.3) < 1.0
