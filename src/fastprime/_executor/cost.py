"""Rough single-core costs of fastprime's functions, by the size of the number.

The executor uses them for two decisions: whether a batch of numbers that would hold
the GIL in a worker thread is worth sending to worker processes, and how to cut work
into process tasks that are neither too small (inter-process overhead) nor too big
(idle workers).  They are estimates measured on an x86-64 machine (random odd inputs,
in microseconds); only their order of magnitude matters.
"""

from __future__ import annotations

from typing import Dict, Iterable, List, Tuple

__all__ = ["cost_us", "costs_us"]

# Below 2**64: the compiled kernel's C test, and the pure-Python twin's Miller-Rabin.
_SMALL_IS_PRIME_US = {"cython": 0.1, "python": 6.5}
# 2**64 to 2**128, compiled: the wide kernel, ~0.2 us on a random odd number and ~2.4 us
# on a prime of 128 bits (C loop, csrc/wide.h's figures).
_WIDE_IS_PRIME_US = 1.0


def _big_is_prime_us(bits: int, engine: str) -> float:
    # Strong BPSW above 2**64; the cost grows a little faster than bits**2 because
    # most random inputs stop at trial division or the first modular exponentiation.
    if engine == "gmpy2":
        return 2.0 + 15.0 * float((bits / 512) ** 2.3)
    return 6.0 + 86.0 * float((bits / 512) ** 2.5)


def _cost_by_bits(kind: str, bits: int, impl_name: str, engine: str) -> float:
    if bits <= 64:
        one = _SMALL_IS_PRIME_US[impl_name]
    elif bits <= 128 and impl_name == "cython":
        one = _WIDE_IS_PRIME_US
    else:
        one = _big_is_prime_us(bits, engine)
    if kind == "is_prime":
        return one
    # A prime gap near n averages ln(n) = 0.69 * bits, so about 0.35 * bits odd
    # candidates are tested on the way to the next (or previous) prime.
    return one * max(1.0, 0.35 * bits)


def cost_us(kind: str, n: int, impl_name: str, engine: str) -> float:
    """Estimated microseconds for ``kind(n)`` ("is_prime", "next_prime", "prev_prime")."""
    return _cost_by_bits(kind, n.bit_length(), impl_name, engine)


class _Table(dict):  # type: ignore[type-arg]
    """Cost by bit length, filled in on first use of each length."""

    def __init__(self, kind: str, impl_name: str, engine: str) -> None:
        super().__init__()
        self.key = (kind, impl_name, engine)

    def __missing__(self, bits: int) -> float:
        cost = self[bits] = _cost_by_bits(self.key[0], bits, self.key[1], self.key[2])
        return cost


# A cache, not state: entries are pure functions of their key (racing threads would
# store the same value).
_TABLES: Dict[Tuple[str, str, str], _Table] = {}


def costs_us(kind: str, ints: Iterable[int], impl_name: str, engine: str) -> List[float]:
    """``[cost_us(kind, n, ...) for n in ints]``, at C speed for repeated sizes."""
    key = (kind, impl_name, engine)
    table = _TABLES.get(key)
    if table is None:
        table = _TABLES.setdefault(key, _Table(kind, impl_name, engine))
    return list(map(table.__getitem__, map(int.bit_length, ints)))
