"""The ``concurrent.futures`` documentation's ProcessPoolExecutor example: its numbers and
its trial-division ``is_prime``, kept verbatim as the baseline fastprime is measured
against (by ``fastprime`` with no arguments, ``fastprime bench`` and ``bench/``)."""

from __future__ import annotations

import math

__all__ = ["PRIMES", "trial_division"]

#: The numbers of the documentation's example.
PRIMES = [
    112272535095293,
    112582705942171,
    112272535095293,
    115280095190773,
    115797848077099,
    1099726899285419,
]


def trial_division(n: int) -> bool:
    """The ``is_prime`` of the documentation's example, as written there."""
    if n < 2:
        return False
    if n == 2:
        return True
    if n % 2 == 0:
        return False

    sqrt_n = int(math.floor(math.sqrt(n)))
    for i in range(3, sqrt_n + 1, 2):
        if n % i == 0:
            return False
    return True
