"""A small program typed against fastprime's public API.

``tests/test_typing.py`` runs ``mypy --strict`` on it: it must pass without a single
``Any`` leaking in from fastprime.  It is also an ordinary script (run it: it prints
what each part computes), so the types it states are checked against reality.
"""

from __future__ import annotations

from concurrent.futures import Future
from typing import Iterator, List, Tuple

import numpy as np
import numpy.typing as npt

import fastprime


def primes_below(limit: int) -> List[int]:
    return [n for n in range(limit) if fastprime.is_prime(n)]


def twin_primes_after(n: int) -> Tuple[int, int]:
    p = fastprime.next_prime(n)
    while not fastprime.is_prime(p + 2):
        p = fastprime.next_prime(p)
    return p, p + 2


def gap_below(n: int) -> int:
    return n - fastprime.prev_prime(n)


def docs_example(numbers: List[int]) -> Iterator[str]:
    with fastprime.Executor(max_workers=2, backend="thread") as executor:
        for number, prime in zip(numbers, executor.map(fastprime.is_prime, numbers)):
            yield "%d is prime: %s" % (number, prime)
        future: Future[bool] = executor.submit(fastprime.is_prime, 2**61 - 1)
        yield f"2**61 - 1 is prime: {future.result()}"


def count_primes(values: npt.NDArray[np.int64]) -> int:
    flags = fastprime.is_prime_array(values)
    return int(flags.sum())


def kernel_batch(values: List[int]) -> Tuple[bytearray, List[Tuple[int, int]]]:
    """The compiled module's batch call, typed by its stub ``_cfastprime.pyi``."""
    from fastprime import _cfastprime

    big: List[Tuple[int, int]] = []
    return _cfastprime.is_prime_flags(values, 0, None, big), big


def describe() -> str:
    implementation: str = fastprime.implementation
    version: str = fastprime.__version__
    return f"fastprime {version} ({implementation})"


if __name__ == "__main__":
    print(describe())
    print(primes_below(30))
    print(twin_primes_after(1_000_000))
    print(gap_below(2**64))
    print(*docs_example([112272535095293, 1099726899285419]), sep="\n")
    print(count_primes(np.arange(100, dtype=np.int64)))
    if fastprime.implementation == "cython":
        print(kernel_batch([7, 9, 2**64 + 13]))
