"""Ranges: fastprime's sieve against primesieve (the anchor), sympy and gmpy2, in one run.

    python bench/bench_ranges.py            # the full table (a few minutes)
    python bench/bench_ranges.py --quick    # smaller ranges (seconds)

Each row times fastprime and its anchor alternately, ``--repeat`` times each, and
prints both medians (and bests) and the ratio of the medians (fastprime / anchor:
below 1 is faster).  primesieve is the C library (Debian's ``libprimesieve-dev``,
called through ``ctypes``; its intervals are closed, so ``[a, b)`` is asked as
``[a, b - 1]``), with ``primesieve_set_num_threads`` matching ``workers``.  Rows whose
anchor is missing print fastprime alone.  Peak memory of the window below 2**64 is
measured in a child process per contender (``ru_maxrss``).

Install the anchors: ``apt-get install libprimesieve-dev`` and ``pip install gmpy2
sympy numpy`` (benchmarks only: fastprime depends on none of them).
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import statistics
import subprocess
import sys
import time
from typing import Callable, List, Optional, Tuple

import fastprime

U64 = 2**64
UINT64_PRIMES = 13  # primesieve.h's enum


def _primesieve():
    name = ctypes.util.find_library("primesieve")
    if name is None:
        return None
    lib = ctypes.CDLL(name)
    lib.primesieve_count_primes.restype = ctypes.c_uint64
    lib.primesieve_count_primes.argtypes = [ctypes.c_uint64, ctypes.c_uint64]
    lib.primesieve_generate_primes.restype = ctypes.c_void_p
    lib.primesieve_generate_primes.argtypes = [ctypes.c_uint64, ctypes.c_uint64, ctypes.POINTER(ctypes.c_size_t), ctypes.c_int]
    lib.primesieve_free.argtypes = [ctypes.c_void_p]
    lib.primesieve_set_num_threads.argtypes = [ctypes.c_int]
    return lib


PS = _primesieve()


def ps_count(lo: int, hi: int, threads: int) -> int:
    PS.primesieve_set_num_threads(threads)
    return int(PS.primesieve_count_primes(lo, hi - 1))


def ps_array(lo: int, hi: int):
    """primesieve_generate_primes into a uint64 array (wrapped, not copied)."""
    import numpy as np

    PS.primesieve_set_num_threads(1)
    size = ctypes.c_size_t()
    pointer = PS.primesieve_generate_primes(lo, hi - 1, ctypes.byref(size), UINT64_PRIMES)
    array = np.ctypeslib.as_array(ctypes.cast(pointer, ctypes.POINTER(ctypes.c_uint64)), shape=(size.value,))
    result = len(array)
    PS.primesieve_free(pointer)
    return result


def timed(fn: Callable[[], object]) -> Tuple[float, object]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def compare(label: str, ours: Callable[[], object], anchor_name: str, anchor: Optional[Callable[[], object]], repeat: int,
            check: bool = True, warm: bool = False) -> float:
    """``warm``: one untimed run of each first.  For rows that allocate hundreds of MB: on
    a VM the first touch of fresh memory can cost more than the work (400 MB: 0.84 s the
    first time, 0.025 s after), whichever contender happens to run first.  Returns
    fastprime's median."""
    mine: List[float] = []
    theirs: List[float] = []
    if warm:
        ours()
        if anchor is not None:
            anchor()
    for _ in range(repeat):
        seconds, a = timed(ours)
        mine.append(seconds)
        if anchor is not None:
            seconds, b = timed(anchor)
            theirs.append(seconds)
            if check and a != b:
                raise SystemExit(f"{label}: fastprime gave {a!r}, {anchor_name} gave {b!r}")
    line = f"{label:<52} fastprime {statistics.median(mine):9.4f} s (best {min(mine):.4f})"
    if theirs:
        ratio = statistics.median(mine) / statistics.median(theirs)
        line += f" | {anchor_name} {statistics.median(theirs):9.4f} s (best {min(theirs):.4f}) | ratio {ratio:5.2f}x"
    print(line, flush=True)
    return statistics.median(mine)


def peak_memory(code: str) -> Tuple[float, float]:
    """(seconds, peak RSS in MiB) of ``code`` run in a child interpreter."""
    script = f"import resource, time\nstart = time.perf_counter()\n{code}\nprint(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split()
    return float(out[-2]), int(out[-1]) / 1024


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller ranges")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each contender per row (default 3)")
    args = parser.parse_args(argv)
    big = 10**9 if args.quick else 10**10
    r = args.repeat
    print(f"fastprime {fastprime.__version__} ({fastprime.implementation}); primesieve: {'yes' if PS else 'not found'}")
    anchor = "primesieve" if PS else "-"

    def ps(fn):
        return fn if PS else None

    compare(f"count [0, {big:.0e}), 1 thread", lambda: fastprime.count_primes(big, workers=1), anchor,
            ps(lambda: ps_count(0, big, 1)), r)
    lo = 10**12
    compare(f"count [1e12, 1e12 + {big:.0e}), 1 thread", lambda: fastprime.count_primes(lo, lo + big, workers=1), anchor,
            ps(lambda: ps_count(lo, lo + big, 1)), r)
    compare(f"count [0, {big:.0e}), 2 threads", lambda: fastprime.count_primes(big, workers=2), anchor,
            ps(lambda: ps_count(0, big, 2)), r)
    compare(f"fastprime workers=2 vs workers=1, [0, {big:.0e})", lambda: fastprime.count_primes(big, workers=2),
            "workers=1", lambda: fastprime.count_primes(big, workers=1), r)

    try:
        import numpy  # noqa: F401
    except ImportError:
        print("numpy not installed: primes_array rows skipped")
    else:
        n = 10**8 if args.quick else 10**9
        compare(f"primes_array({n:.0e}) vs generate_primes uint64", lambda: len(fastprime.primes_array(n, workers=1)), anchor,
                ps(lambda: ps_array(0, n)), r, warm=True)
    n = 10**7
    try:
        import primesieve as ps_python
    except ImportError:
        ps_python = None
    compare("primes(1e7) -> list vs primesieve.primes (array('Q'))", lambda: len(fastprime.primes(n, workers=1)),
            "primesieve py", (lambda: len(ps_python.primes(n))) if ps_python else None, r)
    compare("primes(1e7) -> list vs list(primesieve.primes)", lambda: len(fastprime.primes(n, workers=1)),
            "list(primesieve)", (lambda: len(list(ps_python.primes(n)))) if ps_python else None, r)
    try:
        import sympy
    except ImportError:
        sympy = None
    for n in (10**6, 10**7):
        compare(f"primes({n:.0e}) vs list(sympy.primerange)", lambda n=n: len(fastprime.primes(n, workers=1)), "sympy",
                (lambda n=n: len(list(sympy.primerange(n)))) if sympy else None, 1 if n > 10**6 else r)

    width = 10**6 if args.quick else 10**8
    try:
        import gmpy2
    except ImportError:
        gmpy2 = None

    def gmpy2_walk(lo=U64, hi=U64 + width):
        count, p = 0, gmpy2.next_prime(lo - 1)
        while p < hi:
            count += 1
            p = gmpy2.next_prime(p)
        return count

    walked = seconds = None
    if gmpy2:
        # The loop is timed once (22 s at 10**8); both fastprime rows are checked against it.
        seconds, walked = timed(gmpy2_walk)
        print(f"{'gmpy2.next_prime loop over [2**64, 2**64 + ' + format(width, '.0e') + ')':<52} {seconds:9.4f} s")
    for threads in (1, None):
        label = f"count [2**64, 2**64 + {width:.0e}), {'1 thread' if threads == 1 else 'every core'}"
        median = compare(label, lambda t=threads: fastprime.count_primes(U64, U64 + width, workers=t), "-", None, r)
        if walked is not None:
            got = fastprime.count_primes(U64, U64 + width, workers=threads)
            if got != walked:
                raise SystemExit(f"{label}: fastprime gave {got}, the gmpy2 loop {walked}")
            print(f"{'':<52} -> {seconds / median:5.1f}x faster than the gmpy2.next_prime loop")
    deep = 2**100
    dwidth = width // 10
    compare(f"count [2**100, 2**100 + {dwidth:.0e}), every thread (BPSW on the sieve's survivors)",
            lambda: fastprime.count_primes(deep, deep + dwidth), "gmpy2.next_prime loop",
            (lambda: gmpy2_walk(deep, deep + dwidth)) if gmpy2 else None, 1)

    if PS and not args.quick:
        window = 10**10
        lo = U64 - window
        ours = peak_memory(f"import fastprime\nfastprime.count_primes({lo}, {U64}, workers=1)")
        theirs = peak_memory(
            "import ctypes, ctypes.util\nlib = ctypes.CDLL(ctypes.util.find_library('primesieve'))\n"
            "lib.primesieve_count_primes.restype = ctypes.c_uint64\nlib.primesieve_count_primes.argtypes = [ctypes.c_uint64, ctypes.c_uint64]\n"
            f"lib.primesieve_set_num_threads(1)\nlib.primesieve_count_primes({lo}, {U64 - 1})"
        )
        print(f"{'count a 1e10 window ending at 2**64, 1 thread':<52} fastprime {ours[0]:9.2f} s, {ours[1]:,.0f} MiB peak"
              f" | primesieve {theirs[0]:9.2f} s, {theirs[1]:,.0f} MiB peak | ratio {ours[0] / theirs[0]:5.2f}x")


if __name__ == "__main__":
    main()
