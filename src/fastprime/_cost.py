"""Rough single-core costs of fastprime's functions, by the size of the number.

The executor uses them for two decisions: whether a batch of numbers that would hold
the GIL in a worker thread is worth sending to worker processes, and how to cut work
into process tasks that are neither too small (inter-process overhead) nor too big
(idle workers).  They are estimates measured on an x86-64 machine (random odd inputs,
in microseconds); only their order of magnitude matters.
"""

from __future__ import annotations

from typing import Iterable

__all__ = ["cost_us", "total_cost_us"]

_U64 = 1 << 64

# Below 2**64: the compiled kernel's C test, and the pure-Python twin's Miller-Rabin.
_SMALL_IS_PRIME_US = {"cython": 0.1, "python": 6.5}


def _big_is_prime_us(bits: int, engine: str) -> float:
    # Strong BPSW above 2**64; the cost grows a little faster than bits**2 because
    # most random inputs stop at trial division or the first modular exponentiation.
    if engine == "gmpy2":
        return 2.0 + 15.0 * (bits / 512) ** 2.3
    return 6.0 + 86.0 * (bits / 512) ** 2.5


def cost_us(kind: str, n: int, impl_name: str, engine: str) -> float:
    """Estimated microseconds for ``kind(n)`` ("is_prime", "next_prime", "prev_prime")."""
    bits = n.bit_length()
    if n < _U64:
        one = _SMALL_IS_PRIME_US[impl_name]
    else:
        one = _big_is_prime_us(bits, engine)
    if kind == "is_prime":
        return one
    # A prime gap near n averages ln(n) = 0.69 * bits, so about 0.35 * bits odd
    # candidates are tested on the way to the next (or previous) prime.
    return one * max(1.0, 0.35 * bits)


def total_cost_us(kind: str, ints: Iterable[int], impl_name: str, engine: str) -> float:
    """Estimated microseconds for ``kind`` over every int in ``ints``."""
    return sum(cost_us(kind, n, impl_name, engine) for n in ints)
