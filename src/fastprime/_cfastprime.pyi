"""Type stub for the compiled kernel ``fastprime._cfastprime``.

``fastprime.fallback`` has the same functions with the same signatures, except the
command line's C scanner (``scan_lines`` and its ``OUT_*`` modes).
"""

from typing import Any, Iterable, Iterator, List, Optional, SupportsIndex, Tuple

def is_prime(n: SupportsIndex, /) -> bool:
    """Return True if n is prime (deterministic below 2**64, strong BPSW above)."""

def next_prime(n: SupportsIndex, /) -> int:
    """Return the smallest prime greater than n (2 for n < 2)."""

def prev_prime(n: SupportsIndex, /) -> int:
    """Return the largest prime less than n; ValueError if n <= 2."""

def is_prime_flags(
    values: Iterable[SupportsIndex],
    start: Optional[SupportsIndex] = 0,
    stop: Optional[SupportsIndex] = None,
    big_out: Optional[List[Tuple[int, int]]] = None,
) -> bytearray:
    """1 where values[start:stop] holds a prime, else 0, with the GIL released while
    numbers below 2**64 are tested.  Lists and tuples are read in place.  start and
    stop are taken as a slice takes them (negative from the end, clamped).

    With ``big_out`` (a list), values >= 2**64 are not tested: ``(position, value)``
    pairs are appended to ``big_out`` and their flags are 0, so the caller can test
    them elsewhere (e.g. in worker processes).
    """

def is_prime_many(values: Iterable[SupportsIndex], big_out: Optional[List[Tuple[int, int]]] = None) -> List[bool]:
    """[is_prime(v) for v in values]: is_prime_flags as a list of bools."""

def chain_results(chunks: Iterable[Any], total: int = -1) -> Iterator[Any]:
    """itertools.chain.from_iterable(chunks), where a bytes or bytearray chunk of flags
    (from is_prime_flags) yields True/False for each byte.  next() called again while
    it runs (from the chunk source, a chunk's __iter__ or a __del__) raises ValueError,
    as a generator's does."""

def is_prime_into(values: Any, out: Any, /) -> None:
    """Test a 1-D integer buffer (any integer item type, any stride) into a contiguous
    uint8 buffer of the same length (1 = prime), with the GIL released for the call.
    Negative values give 0.
    """

OUT_LINES: int
OUT_JSON: int
OUT_PRIMES: int
OUT_PRIMES_JSON: int
OUT_COUNT: int

def scan_lines(text: Any, mode: int, out: Optional[bytearray] = None) -> Optional[Tuple[Any, int, int, int]]:
    """Parse, test and print a block of lines (one integer per line) without the GIL:
    (output, primes, numbers, lines), or None when a line needs Python's int().
    With out (a bytearray), the output goes there and output is its length."""
