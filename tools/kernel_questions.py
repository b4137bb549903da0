#!/usr/bin/env python3
"""The kernel driver's questions and sympy's answers (tools/check_dist.sh, C kernel step).

Writes QUESTIONS for ``tests/c/check_kernel.c --queries`` (and its libc-free 32-bit
build) and ANSWERS, what it must print: the test vectors below 2**64, random numbers
of every size, runs around 2**32, 2**63 and 2**64, and whole ranges through the batch
loop.  Needs sympy.

Usage: python tools/kernel_questions.py VECTORS QUESTIONS ANSWERS
"""

import random
import sys

from sympy import isprime, nextprime, prevprime

U64 = 1 << 64
vectors, questions, answers = sys.argv[1:]
numbers = []
for line in open(vectors):
    fields = line.partition("#")[0].split()
    if fields and 0 <= int(fields[0]) < U64:
        numbers.append(int(fields[0]))
rng = random.Random(20261126)
numbers += [rng.getrandbits(64) for _ in range(3000)]
numbers += [rng.getrandbits(bits) for bits in range(1, 65) for _ in range(10)]
for centre in (2**32, 2**63):
    numbers += range(centre - 300, centre + 300)
numbers += range(U64 - 600, U64)
numbers += range(0, 300)
numbers = list(dict.fromkeys(numbers))
ranges = [(0, 10**6), (2**32 - 50_000, 2**32 + 50_000), (2**63 - 50_000, 2**63 + 50_000),
          (U64 - 100_001, U64 - 1)]


def batch_answer(lo, hi):
    count, h = 0, 0xCBF29CE484222325
    for n in range(lo, hi):
        bit = 1 if isprime(n) else 0
        count += bit
        h = ((h ^ bit) * 0x100000001B3) % U64
    return f"{count} {h}"


with open(questions, "w") as q, open(answers, "w") as a:
    for n in numbers:
        q.write(f"p {n}\n")
        nxt = nextprime(n)
        a.write(f"{int(isprime(n))} {nxt if nxt < U64 else 0} {prevprime(n) if n > 2 else '-'}\n")
    for lo, hi in ranges:
        q.write(f"b {lo} {hi}\n")
        a.write(batch_answer(lo, hi) + "\n")
print(len(numbers), "numbers,", sum(hi - lo for lo, hi in ranges), "in ranges")
