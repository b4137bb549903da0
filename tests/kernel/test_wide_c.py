"""csrc/wide.h, the kernel for 2**64 <= n < 2**128, built as plain C on every path.

tests/c/check_wide.c reads commands on stdin (is_prime, the base-2 and Lucas halves
alone, batches, next/prev, and widesieve.h's ranges: count and fill in resumable steps at
several sieve depths, exact windows whole and with their sieving primes split) and is built with
``unsigned __int128``, with the portable multiply forced, as 32-bit code (where
``gcc -m32`` works) and with AddressSanitizer + UBSan (where the compiler has them).
Every build must give the same answers as the references: the pure-Python strong BPSW
of ``_bpsw`` (the big-int path both implementations use above 2**128, and so the
definition of "the same BPSW variant"), sympy for next/prev, and the hard vectors in
``primality-vectors-u128.txt`` (each checked against gmpy2 and ``_bpsw`` when made).
"""

from __future__ import annotations

import math
import random
import subprocess
from pathlib import Path

import pytest
import sympy
from conftest import C_BUILDS, build_c

from fastprime import _bpsw

TESTS = Path(__file__).resolve().parent.parent
SOURCE = TESTS / "c" / "check_wide.c"
INCLUDE = TESTS.parent / "src" / "fastprime" / "csrc"
VECTORS = TESTS / "primality-vectors-u128.txt"
M64 = 2**64 - 1

pytestmark = pytest.mark.skipif(not INCLUDE.is_dir(), reason="the wheel's test run has no C sources")


def _is_prime(n: int) -> bool:
    if n < 2:
        return False
    if n < 2**64 or not n & 1:
        return bool(sympy.isprime(n))
    return _bpsw.is_prime_big_python(n) and math.isqrt(n) ** 2 != n


def hx(n: int) -> str:
    return f"{n >> 64:x} {n & M64:x}"


def _cases():
    rng = random.Random(1127)
    cases = []
    for line in VECTORS.read_text().splitlines():
        if line[:1].isdigit():
            number, verdict = line.split()[:2]
            cases.append((f"p {hx(int(number))}", "1" if verdict == "prime" else "0"))
    for bits in range(65, 129):
        for _ in range(60):
            n = rng.getrandbits(bits) | (1 << (bits - 1)) | (1 if rng.random() < 0.9 else 0)
            cases.append((f"p {hx(n)}", str(int(_is_prime(n)))))
        p = _bpsw_next(rng.getrandbits(bits) | (1 << (bits - 1)))
        if p < 2**128:
            cases.append((f"p {hx(p)}", "1"))
    for n in [*range(0, 400), *(rng.getrandbits(rng.randrange(12, 65)) for _ in range(300))]:
        cases.append((f"p {hx(n)}", str(int(_is_prime(n)))))
    for k in (1, 2, 3, 65):
        xs = [rng.getrandbits(rng.randrange(2, 129)) | 1 for _ in range(k)]
        cases.append((f"m {k} {' '.join(hx(x) for x in xs)}", "".join(str(int(_is_prime(x))) for x in xs)))
    points = [*range(0, 30), *(2**64 + k for k in range(-100, 100, 3)), *(2**128 - k for k in range(1, 300, 7))]
    points += [rng.getrandbits(b) | (1 << (b - 1)) for b in range(22, 129) for _ in range(2)]
    for n in points:
        nxt = sympy.nextprime(n)
        cases.append((f"n {hx(n)}", f"1 {hx(nxt)}" if nxt < 2**128 else "0 0 0"))
        cases.append((f"v {hx(n)}", "0 0 0" if n <= 2 else f"1 {hx(sympy.prevprime(n))}"))
    # widesieve.h: deep windows (sieved to a depth, survivors through BPSW) at several
    # depths (1123: the least; 3e6: generated sieving primes), budgets and caps.
    for lo, hi in [(2**64, 2**64 + 6000), (2**64 + 29, 2**64 + 31), (2**128 - 20000, 2**128), (2**100 + 7, 2**100 + 40007)]:
        ps = list(sympy.primerange(lo, hi))
        top = "0 0" if hi == 2**128 else hx(hi)
        pairs = " ".join(f"{p >> 64:x}:{p & M64:x}" for p in ps)
        for budget, depth in ((0, 0), (999, 1123), (32768, 3_000_000)):
            cases.append((f"c {hx(lo)} {top} {budget:x} {depth:x}", str(len(ps))))
        for cap, depth in ((7, 0), (4096, 1123), (3, 3_000_000)):
            cases.append((f"f {hx(lo)} {top} {cap:x} {depth:x}", pairs))
        # Not exact (sqrt(hi) above the first prime past 2**32): the split refuses.
        if lo > 2**65:
            cases.append((f"x {hx(lo)} {top} 2", "init failed"))
    # Exact windows (every sieving prime below 2**32: ~1.3 s each), whole and split.
    for lo, hi in [(2**64 + 10**6 - 3000, 2**64 + 10**6 + 3000)]:
        ps = list(sympy.primerange(lo, hi))
        pairs = " ".join(f"{p >> 64:x}:{p & M64:x}" for p in ps)
        cases.append((f"c {hx(lo)} {hx(hi)} {10**9:x} ffffffff", str(len(ps))))
        cases.append((f"f {hx(lo)} {hx(hi)} {64:x} ffffffff", pairs))
        cases.append((f"x {hx(lo)} {hx(hi)} 2", str(len(ps))))
        cases.append((f"y {hx(lo)} {hx(hi)} 3", pairs))
    return cases


def _bpsw_next(n: int) -> int:
    n += 1 + (n & 1)
    while not _is_prime(n):
        n += 2
    return n


@pytest.fixture(scope="module")
def cases():
    return _cases()


@pytest.mark.parametrize("build", list(C_BUILDS))
def test_every_build_agrees_with_the_references(build, cases, tmp_path):
    exe = build_c(tmp_path, SOURCE, build)
    commands = "\n".join(c for c, _ in cases) + "\n"
    run = subprocess.run([str(exe)], input=commands, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    got = run.stdout.split("\n")[: len(cases)]
    bad = [(c[:60], g[:60], e[:60]) for (c, e), g in zip(cases, got) if g.strip() != e]
    assert len(got) == len(cases) and not bad, bad[:5]
