"""Scalar primality test: fastprime against the docs' trial division and its peers.

Prints, in one run, the cost per number of calling each test from a Python loop
(``[f(n) for n in data]``, best of --repeat runs) and its ratio to the compiled
``fastprime.is_prime``.  Peers are used where installed: gmpy2, sympy, python-flint.

    python bench/bench_core.py            # the full table
    python bench/bench_core.py --quick    # smaller data sets

The docs' trial division is timed only where it finishes: on the docs' PRIMES, and on
random odd 64-bit numbers it is skipped (a single prime near 2**64 takes ~2**31 steps).
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
import time

import fastprime
from fastprime import _bpsw, fallback
from fastprime._docs_example import PRIMES
from fastprime._docs_example import trial_division as docs_is_prime


def contenders(big: bool):
    """(name, function) pairs; the compiled fastprime first: it is the ratio's base."""
    out = []
    if fastprime.implementation == "cython":
        out.append(("fastprime (compiled)", fastprime.is_prime))
    out.append(("fastprime (pure Python)", fallback.is_prime))
    if big:
        out.append(("fastprime big-int path, no gmpy2", _bpsw_python))
    try:
        import gmpy2

        out.append(("gmpy2.is_prime", gmpy2.is_prime))
    except ImportError:
        pass
    try:
        import sympy

        out.append(("sympy.isprime", sympy.isprime))
    except ImportError:
        pass
    try:
        import flint

        out.append(("python-flint fmpz.is_prime", lambda n, fmpz=flint.fmpz: fmpz(n).is_prime()))
    except ImportError:
        pass
    return out


def _bpsw_python(n):
    # fastprime's own big-int BPSW without gmpy2, as users without gmpy2 get it
    # (trial division and the odd check are part of is_prime's path too).
    return n > 2 and n & 1 == 1 and _bpsw.is_prime_big_python(n)


def best_time(func, data, repeat):
    best = math.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        [func(n) for n in data]
        best = min(best, time.perf_counter() - t0)
    return best / len(data)


def fmt_time(seconds):
    if seconds < 1e-6:
        return f"{seconds * 1e9:8.0f} ns"
    if seconds < 1e-3:
        return f"{seconds * 1e6:8.2f} us"
    return f"{seconds * 1e3:8.2f} ms"


def datasets(quick: bool):
    rnd = random.Random(2026)
    n64 = 20_000 if quick else 200_000
    nprimes = 10_000 if quick else 100_000
    top = []
    p = 1 << 64
    while len(top) < nprimes:
        p = fastprime.prev_prime(p)
        top.append(p)
    rand_primes = [fastprime.next_prime(rnd.getrandbits(64)) for _ in range(nprimes // 10)]
    rand_primes = [q for q in rand_primes if q < 1 << 64]
    return [
        ("random odd 64-bit", [rnd.getrandbits(64) | 1 for _ in range(n64)], False, False),
        (f"the {nprimes:,} largest primes < 2**64", top, False, False),
        ("random 64-bit primes", rand_primes, False, False),
        ("random odd 128-bit (the wide kernel)", [rnd.getrandbits(128) | (1 << 127) | 1 for _ in range(n64 // 4)], True, False),
        ("128-bit primes", [fastprime.next_prime(rnd.getrandbits(128) | (1 << 127)) for _ in range(nprimes // 20)], True, False),
        ("65-bit primes", [fastprime.next_prime(rnd.getrandbits(65) | (1 << 64)) for _ in range(nprimes // 20)], True, False),
        ("random 512-bit", [rnd.getrandbits(512) for _ in range(500 if quick else 2000)], True, False),
        ("random 2048-bit", [rnd.getrandbits(2048) for _ in range(100 if quick else 300)], True, False),
        ("512-bit primes", [fastprime.next_prime(rnd.getrandbits(512)) for _ in range(20 if quick else 100)], True, False),
        ("the docs' PRIMES", PRIMES, False, True),
    ]


def searches(quick: bool):
    """(title, numbers, repeat) for next_prime/prev_prime against gmpy2's."""
    rnd = random.Random(2027)
    out = [("random 128-bit", [rnd.getrandbits(128) for _ in range(500 if quick else 5000)], 3)]
    if not quick:
        out.append(("1000 digits (10**1000 + 453 and two random)", [10**1000 + 453] + [rnd.getrandbits(3322) | (1 << 3321) for _ in range(2)], 1))
    return out


def search_rows(quick: bool):
    try:
        import gmpy2
    except ImportError:
        print("\nnext/prev prime: gmpy2 not installed, no anchor")
        return
    for title, data, repeat in searches(quick):
        for name, ours, theirs in (("next_prime", fastprime.next_prime, gmpy2.next_prime),
                                   ("prev_prime", fastprime.prev_prime, gmpy2.prev_prime)):
            assert [ours(n) for n in data[:3]] == [int(theirs(n)) for n in data[:3]]
            t_ours = best_time(ours, data, repeat)
            t_theirs = best_time(theirs, data, repeat)
            print(f"\n{name}, {title} ({len(data):,} numbers)")
            print(f"  {'fastprime':36s} {fmt_time(t_ours)}   {1:9.2f}x")
            print(f"  {'gmpy2.' + name:36s} {fmt_time(t_theirs)}   {t_theirs / t_ours:9.2f}x")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller data sets")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the best is kept (default 3)")
    args = parser.parse_args(argv)
    print(f"fastprime {fastprime.__version__} ({fastprime.implementation}), big-int engine: {_bpsw.engine}; "
          f"Python {sys.version.split()[0]}; per number, best of {args.repeat}")
    if os.environ.get("SYMPY_GROUND_TYPES"):
        print(f"SYMPY_GROUND_TYPES={os.environ['SYMPY_GROUND_TYPES']}")
    for title, data, big, trial in datasets(args.quick):
        print(f"\n{title} ({len(data):,} numbers)")
        rows = contenders(big)
        if trial:
            rows.append(("docs' trial division", docs_is_prime))
        base = None
        for name, func in rows:
            t = best_time(func, data, 1 if func is docs_is_prime else args.repeat)
            base = base or t
            print(f"  {name:36s} {fmt_time(t)}   {t / base:9.2f}x")
    search_rows(args.quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
