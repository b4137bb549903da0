#!/usr/bin/env python3
"""Writes tests/primality-vectors-u128.txt (needs gmpy2): '<integer> prime|composite # note', one per line, for
2**64 <= n < 2**128 (plus a few just below 2**64).  Deterministic (fixed seeds).  Every
line is checked against gmpy2.is_prime(n, 50) and, for odd n >= 2**64, against the
repo's pure-Python strong BPSW (_bpsw.is_prime_big_python); a disagreement aborts."""
import pathlib
import random
import sys

import gmpy2

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "tests" / "primality-vectors-u128.txt"
sys.path.insert(0, str(ROOT / "src"))
from fastprime import _bpsw  # noqa: E402

LO, HI = 2**64, 2**128
out = {}


def add(n, note):
    if n not in out:
        out[n] = note


def rprime(bits, rng):
    while True:
        x = rng.getrandbits(bits) | (1 << (bits - 1)) | 1
        if gmpy2.is_prime(x, 50):
            return x


def main(path=str(OUTPUT)):
    rng = random.Random(20261127)
    # Edges.
    for k in range(-64, 257):
        add(2**64 + k, "2^64%+d" % k)
    for k in range(1, 401):
        add(2**128 - k, "2^128-%d" % k)
    add(2**128 - 159, "largest prime below 2^128")
    add(2**64 + 13, "smallest prime above 2^64")
    for e in range(65, 128):
        add(2**e - 1, "Mersenne 2^%d-1" % e)
        add(2**e + 1, "2^%d+1" % e)
    # Semiprimes of 64-bit (and smaller) primes, squares, cubes.
    for _ in range(40):
        a = rng.randrange(33, 65)
        b = rng.randrange(max(2, 66 - a), min(64, 128 - a) + 1)
        p, q = rprime(a, rng), rprime(b, rng)
        if LO <= p * q < HI:
            add(p * q, "p*q, %d- and %d-bit primes" % (a, b))
    for _ in range(20):
        p = rprime(rng.randrange(33, 64), rng)
        q = int(gmpy2.next_prime(p))
        if LO <= p * q < HI:
            add(p * q, "p*nextprime(p)")
    for _ in range(30):
        p = rprime(rng.randrange(33, 65), rng)
        add(p * p, "square of a %d-bit prime" % p.bit_length())
    for _ in range(10):
        p = rprime(rng.randrange(22, 43), rng)
        if LO <= p**3 < HI:
            add(p**3, "cube of a prime")
    for w in (1093, 3511):  # Wieferich primes: w^2 passes base-2 Fermat
        k = w * w
        while k < LO:
            k *= w * w
        if k < HI:
            add(k, "power of Wieferich prime %d" % w)
    # Just above the trial-division bound: q * p with q a prime in (1000, 70000).
    for q in (1009, 1021, 1031, 2003, 4093, 4099, 8191, 65521, 65537, 65539):
        p = rprime(rng.randrange(60, 110), rng)
        add(q * p, "%d * prime" % q)
        add(q * int(gmpy2.next_prime(2**64 // q)), "%d * prime just above 2^64/%d" % (q, q))
    # Carmichael numbers (6k+1)(12k+1)(18k+1) above 2^64.
    found = 0
    k = 230000
    while found < 25:
        k += 1
        a, b, c = 6 * k + 1, 12 * k + 1, 18 * k + 1
        if gmpy2.is_prime(a) and gmpy2.is_prime(b) and gmpy2.is_prime(c) and a * b * c >= LO:
            add(a * b * c, "Carmichael (6k+1)(12k+1)(18k+1), k=%d" % k)
            found += 1
    for s in (10**9, 10**12, 3 * 10**13):  # larger k: near 2^100, 2^120, 2^128
        k, found = s, 0
        while found < 5:
            k += 1
            a, b, c = 6 * k + 1, 12 * k + 1, 18 * k + 1
            if a * b * c >= HI:
                break
            if gmpy2.is_prime(a) and gmpy2.is_prime(b) and gmpy2.is_prime(c):
                add(a * b * c, "Carmichael (6k+1)(12k+1)(18k+1), k=%d" % k)
                found += 1
    # Base-2 strong pseudoprimes p(2p-1) (2p-1 = +-1 mod 8 makes them base-2 Fermat
    # pseudoprimes; about half of those are strong), and how many prime bases they fool.
    found = 0
    while found < 40:
        p = rprime(rng.randrange(33, 64), rng)
        q = 2 * p - 1
        if gmpy2.is_prime(q) and gmpy2.is_strong_prp(p * q, 2):
            fooled = sum(1 for b in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37) if gmpy2.is_strong_prp(p * q, b))
            add(p * q, "base-2 strong pseudoprime p(2p-1), fools %d of the 12 first prime bases" % fooled)
            found += 1
    # The p(2p-1) base-2 strong pseudoprimes that fool the most of the first 12 prime
    # bases, from a fixed search of 200000 primes p.
    B12 = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)
    many = []
    for _ in range(200000):
        p = int(gmpy2.next_prime(rng.getrandbits(rng.randrange(33, 64))))
        n = p * (2 * p - 1)
        if n >= LO and gmpy2.is_prime(2 * p - 1) and gmpy2.is_strong_prp(n, 2):
            many.append((sum(1 for b in B12 if gmpy2.is_strong_prp(n, b)), n))
    many.sort(reverse=True)
    for f, n in many[:12]:
        add(n, "strong pseudoprime p(2p-1) to %d of the 12 first prime bases" % f)
    # Base-2 strong pseudoprimes among the Carmichaels and p(4p-3), p(3p-2) forms.
    for mult in (3, 4, 5):
        found = 0
        for _ in range(200000):
            p = rprime(rng.randrange(33, 63), rng)
            q = mult * p - (mult - 1)
            if gmpy2.is_prime(q) and LO <= p * q < HI and gmpy2.is_strong_prp(p * q, 2):
                add(p * q, "base-2 strong pseudoprime p(%dp-%d)" % (mult, mult - 1))
                found += 1
                if found == 8:
                    break
    # Strong Lucas (Selfridge) pseudoprimes above 2^64: products of twin primes p(p+2)
    # often are (as 323 = 17*19 is the first Lucas pseudoprime); the base-2 round must
    # reject them.  Checked with gmpy2 and with _bpsw's Lucas test.
    found = 0
    while found < 40:
        p = int(gmpy2.next_prime(rng.getrandbits(rng.randrange(33, 64))))
        n = p * (p + 2)
        if n >= LO and gmpy2.is_prime(p + 2) and gmpy2.is_strong_selfridge_prp(n):
            assert _bpsw._strong_lucas_selfridge(n)
            add(n, "strong Lucas pseudoprime (Selfridge) p(p+2), %d bits" % n.bit_length())
            found += 1
    # Primes with special n-1 / n+1 (long Miller-Rabin / Lucas tails) and large Selfridge D.
    for e in (64, 80, 100, 120):
        c = 0
        for k in range(1, 10**6):
            if gmpy2.is_prime(k * 2**e + 1) and k * 2**e + 1 < HI:
                add(k * 2**e + 1, "prime k*2^%d+1" % e)
                c += 1
            if gmpy2.is_prime(k * 2**e - 1) and k * 2**e - 1 < HI:
                add(k * 2**e - 1, "prime k*2^%d-1" % e)
                c += 1
            if c >= 4:
                break
    best = []
    for _ in range(20000):
        n = rprime(rng.randrange(65, 129), rng)
        d = 5
        while _bpsw._jacobi(d, n) != -1:
            d = -d - 2 if d > 0 else -d + 2
        best.append((abs(d), n))
    best.sort(reverse=True)
    for d, n in best[:15]:
        add(n, "prime whose Selfridge |D| is %d" % d)
    # A few random primes and composites of each size.
    for bits in range(65, 129, 3):
        add(rprime(bits, rng), "random %d-bit prime" % bits)
    # Check and write.
    lines = []
    for n in sorted(out):
        if not (0 < n < HI):
            continue
        g = bool(gmpy2.is_prime(n, 50))
        if n >= LO and n & 1:
            b = _bpsw.is_prime_big_python(n)
            if b != g:
                raise SystemExit("disagreement at %d: gmpy2 %s, _bpsw %s" % (n, g, b))
        lines.append("%d %s # %s" % (n, "prime" if g else "composite", out[n]))
    with open(path, "w", newline="\n") as f:
        f.write("# Hard vectors for fp_is_prime_u128; generated by gen_hard_vectors.py (checked with\n")
        f.write("# gmpy2.is_prime(n, 50) and, for odd n >= 2^64, _bpsw.is_prime_big_python).\n")
        f.write("\n".join(lines) + "\n")
    print(len(lines), "vectors,", sum(" prime " in line for line in lines), "prime")


if __name__ == "__main__":
    main(*sys.argv[1:])
