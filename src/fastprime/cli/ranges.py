"""``fastprime primes START [STOP]``: the primes of a range, listed or counted, streamed.

The range ``[START, STOP)`` (``[0, STOP)`` with one bound, as ``range`` and
``fastprime.primes`` take them) is walked in windows, each one an executor task that
sieves it (``fastprime.primes_array`` / ``count_primes`` with ``workers=1``) and
formats its primes as the bytes to print.  A bounded number of windows is in flight
and the finished ones are written in order, so memory stays flat for any range, Ctrl-C
is honoured between windows and every core is busy.

The output is exactly that of ``seq START STOP-1 | fastprime - --only-primes`` (and of
``--count``), with the same options: one prime per line, ``--json`` lines
``{"n": 7, "is_prime": true}``, and ``--count`` / ``--count --json``
``{"count": 25, "total": 100}`` (``total``: how many numbers the range holds).

Formatting is the cost that matters (a window is sieved far faster than its primes
are printed): below 2**64 the primes are turned into text by numpy, four digits at a
time from a table, with no Python object per prime; above 2**64, or without numpy,
by Python's ``%d``.
"""

from __future__ import annotations

import argparse
import collections
import re
from decimal import Decimal, InvalidOperation
from typing import Any

import fastprime

from .. import _ranges
from .._env import U64
from .interactive import progress_bar
from .options import EXIT_OK, Usage, add_run_options
from .run import Run

__all__ = ["bounds", "build_parser", "format_primes", "parse_bound", "run_primes", "window_task", "windows"]

# Numbers per window.  The compiled sieve lists ~2**23 numbers (at most ~560,000 primes,
# ~10 MB of text) or counts ~2**28 in a few tens of milliseconds; the pure engine
# sieves ~2**21 in a few hundred; above ~1.8e13 it tests each survivor of a partial
# sieve, ~10 us apiece above 2**64, so its windows there are smaller still.
_LIST_COMPILED = 1 << 23
_COUNT_COMPILED = 1 << 28
_PURE_FULL = 1 << 21
_PURE_PARTIAL = 1 << 16
_PURE_FULL_LIMIT = 1 << 44  # below: the pure engine sieves fully (sqrt <= its FULL_SIEVE_LIMIT)

# A range this wide on the pure engine, with the compiled kernel on threads: worth
# starting processes for (the pure sieve holds the GIL).
_PROCESSES_WORTH_IT = 1 << 23

_JSON_HEAD = b'{"n": '
_JSON_TAIL = b', "is_prime": true}\n'


# --- the bounds -------------------------------------------------------------------------

_TOKEN = re.compile(r"\s*(?:(\d[\d_]*(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|(\*\*|\^)|([+-]))")
# The largest value a bound may spell: 2**(2**20) (~315,000 digits).
_MAX_BITS = 1 << 20
_HINT = "write a whole number such as 1000, 1e9, 1.5e6, 2**64 or 2**64+100"


def parse_bound(name: str, text: str) -> int:
    """A bound as written on the command line.

    Accepted: anything ``int()`` accepts (``-5``, ``1_000``); a decimal number whose
    value is a whole number, with or without an exponent (``1e10``, ``1.5e6``,
    ``2.0``), as primesieve's command line takes them; powers ``B**E`` or ``B^E``; and
    sums and differences of those (``2**64-100``, ``1e10+7``).  No ``eval``.

    Args:
        name: ``START`` or ``STOP``, for the message.
        text: the argument.

    Returns:
        The integer.

    Raises:
        Usage: anything else (``1.5``, ``1e-3``, ``abc``), or a value too large to be
            useful (more than 2**20 bits).
    """
    try:
        return int(text)
    except ValueError:
        pass
    value = _expression(text)
    if value is None:
        raise Usage(f"{name} {text!r} is not a whole number ({_HINT})")
    return value


def _expression(text: str) -> int | None:
    pos, total, sign, expect_term = 0, 0, 1, True
    while pos < len(text.rstrip()):
        match = _TOKEN.match(text, pos)
        if match is None:
            return None
        pos = match.end()
        number, power, op = match.groups()
        if op is not None:
            if not expect_term:
                sign, expect_term = (1 if op == "+" else -1), True
            elif op == "-":
                sign = -sign
            continue
        if number is None or not expect_term:  # '**' without a base, or two numbers in a row
            return None
        term = _number(number)
        # An optional exponent: '**' or '^' and a number.
        match = _TOKEN.match(text, pos)
        if match is not None and match.group(2):
            exponent_match = _TOKEN.match(text, match.end())
            if exponent_match is None or exponent_match.group(1) is None:
                return None
            pos = exponent_match.end()
            exponent = _number(exponent_match.group(1))
            if term is None or exponent is None or exponent < 0:
                return None
            if term > 1 and exponent * term.bit_length() > _MAX_BITS:
                raise Usage(f"{text!r} is too large (a bound may have at most 2**20 bits)")
            term = term**exponent
        if term is None:
            return None
        total += sign * term
        sign, expect_term = 1, False
    return None if expect_term else total


def _number(text: str) -> int | None:
    """A decimal literal's value if it is a whole number, else None."""
    try:
        value = Decimal(text.replace("_", ""))
    except InvalidOperation:
        return None
    if not value.is_finite() or value.adjusted() > _MAX_BITS * 0.302:
        if value.is_finite():
            raise Usage(f"{text!r} is too large (a bound may have at most 2**20 bits)")
        return None
    if value != value.to_integral_value():
        return None
    return int(value)


# --- the windows: sieve and format --------------------------------------------------------


def _window_width(lo: int, hi: int, listing: bool) -> int:
    """How many numbers the window starting at ``lo`` covers (never across 2**64)."""
    if lo < U64 and _ranges.engine_for(lo, min(hi, U64)) is not None:
        width = _LIST_COMPILED if listing else _COUNT_COMPILED
    elif lo + _PURE_FULL <= _PURE_FULL_LIMIT:
        width = _PURE_FULL
    else:
        width = _PURE_PARTIAL
    end = min(lo + width, hi)
    if lo < U64 < end:
        end = U64
    return end - lo


def windows(lo: int, hi: int, listing: bool):  # type: ignore[no-untyped-def]
    """The windows ``(a, b)`` that cover ``[lo, hi)``, in order."""
    while lo < hi:
        end = lo + _window_width(lo, hi, listing)
        yield lo, end
        lo = end


def window_task(lo: int, hi: int, listing: bool, as_json: bool) -> tuple[Any, int]:
    """One window, run by an executor (module level: it pickles, to processes or a cluster).

    Returns:
        ``(output, count)``: the bytes to print (a ``bytes`` or a 1-D ``uint8`` numpy
        array; empty when only counting) and how many primes the window holds.
    """
    if not listing:
        return b"", fastprime.count_primes(lo, hi, workers=1)
    if hi <= U64:
        try:
            import numpy  # noqa: F401 - whether numpy formats it
        except ImportError:
            pass
        else:
            found = fastprime.primes_array(lo, hi, workers=1)
            return format_primes(found, as_json), len(found)
    values = fastprime.primes(lo, hi, workers=1)
    return _format_list(values, as_json), len(values)


def _format_list(values: list[int], as_json: bool) -> bytes:
    if not values:
        return b""
    texts = list(map(b"%d".__mod__, values))
    if as_json:
        return _JSON_HEAD + (_JSON_TAIL + _JSON_HEAD).join(texts) + _JSON_TAIL
    return b"\n".join(texts) + b"\n"


_numpy_tables: list[Any] = []


def _tables() -> tuple[Any, Any]:
    """(the 4-digit groups 0000..9999 as uint32 words, the powers 10**1..10**19 as uint64)."""
    if not _numpy_tables:  # a cache: two racing threads would build equal tables
        import numpy as np

        groups = np.frombuffer(b"".join(b"%04d" % i for i in range(10_000)), dtype=np.uint32)
        powers = np.array([10**k for k in range(1, 20)], dtype=np.uint64)
        _numpy_tables[:] = [groups, powers]
    return _numpy_tables[0], _numpy_tables[1]


def format_primes(values: Any, as_json: bool = False) -> Any:
    """An increasing ``uint64`` array as decimal lines (with ``--json``, as JSON lines).

    numpy does the work, with the GIL released: the numbers of each digit count (a
    sorted array changes count at most 19 times) are cut into groups of four digits by
    division by 10**4, each group looked up in a table of its four characters, and the
    characters laid out in a matrix of fixed-width rows, one per line.

    Args:
        values: a 1-D ``uint64`` array, increasing (the primes of a window).
        as_json: lines ``{"n": P, "is_prime": true}`` instead of ``P``.

    Returns:
        A 1-D ``uint8`` array of the text (``b""`` for no values).
    """
    import numpy as np

    if len(values) == 0:
        return b""
    groups, powers = _tables()
    head, tail = (_JSON_HEAD, _JSON_TAIL) if as_json else (b"", b"\n")
    cuts = np.searchsorted(values, powers).tolist() + [len(values)]
    parts = []
    start = 0
    for digits, cut in enumerate(cuts, 1):
        if cut > start:
            parts.append(_fixed_width(values[start:cut], digits, head, tail, groups))
            start = cut
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def _fixed_width(values: Any, digits: int, head: bytes, tail: bytes, groups: Any) -> Any:
    import numpy as np

    rows = len(values)
    words = (digits + 3) // 4
    text = np.empty((rows, words), dtype=np.uint32)
    x = values
    for j in range(words - 1, 0, -1):
        q = x // np.uint64(10_000)
        text[:, j] = groups[x - q * np.uint64(10_000)]
        x = q
    text[:, 0] = groups[x]
    width = len(head) + digits + len(tail)
    out = np.empty((rows, width), dtype=np.uint8)
    if head:
        out[:, : len(head)] = np.frombuffer(head, dtype=np.uint8)
    out[:, len(head) + digits :] = np.frombuffer(tail, dtype=np.uint8)
    out[:, len(head) : len(head) + digits] = text.view(np.uint8).reshape(rows, 4 * words)[:, 4 * words - digits :]
    return out.reshape(-1)


# --- the subcommand -------------------------------------------------------------------------


_DESCRIPTION = """\
Print the primes of [START, STOP), one per line, in increasing order: the numbers
from START up to, not including, STOP, as Python's range() takes them.  With one
bound, the primes below it ([0, STOP)).  The range is walked in windows on every
core, so memory stays flat for any range and output starts at once."""

_EPILOG = """\
bounds:
  any integer (negative START: from 0; START >= STOP: nothing), in decimal, with an
  exponent when the value is a whole number (1e10, 1.5e6), as a power (2**64, 2^64),
  or a sum of those (2**64-100, 1e12+7).  A negative START written with an exponent
  goes after '--': fastprime primes -- -1e3 100.

output (exactly what `seq START STOP-1 | fastprime - --only-primes` prints):
  default          the primes, one per line
  --count          only how many there are
  --json           one JSON object per line: {"n": 7, "is_prime": true}
  --count --json   {"count": 25, "total": 100} (total: the numbers in the range)

Progress bar, Ctrl-C (status 130), a closed output pipe (status 141), errors and
exit statuses are those of `fastprime` (see fastprime --help).

examples:
  fastprime primes 100                     the primes below 100
  fastprime primes 1e12 1e12+1000          the primes in a window at 10**12
  fastprime primes --count 1e10            455052511
  fastprime primes 2**64-100 2**64+100     either side of 2**64
  fastprime primes 1e9 --json | head -3"""


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``fastprime primes``.

    Returns:
        The parser.  Its namespace has ``start`` and ``stop`` (texts; ``stop`` None
        for one bound), and the options ``Run`` reads: ``mode`` (``only_primes`` or
        ``count``), ``json``, ``workers``, ``backend``, ``scheduler``, ``quiet``.
    """
    parser = argparse.ArgumentParser(
        prog="fastprime primes",
        usage="fastprime primes [options] [START] STOP",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("start", metavar="START", help="the first number considered (given one bound, it is STOP and START is 0)")
    parser.add_argument("stop", metavar="STOP", nargs="?", help="the end of the range, excluded")
    parser.add_argument(
        "-c", "--count", dest="mode", action="store_const", const="count", default="only_primes",
        help="print only how many primes the range holds",
    )
    add_run_options(
        parser,
        workers="windows sieved at once (default: all cores)",
        backend="how fastprime.Executor runs the windows (default: auto = threads with the "
        "compiled sieve, processes with the pure-Python one)",
        scheduler="run the windows on the dask.distributed cluster at ADDRESS (e.g. tcp://host:8786)",
    )
    return parser


def bounds(args: argparse.Namespace) -> tuple[int, int]:
    """``(start, stop)`` as given (``(0, START)`` for one bound).

    Raises:
        Usage: a bound is not a whole number.
    """
    if args.stop is None:
        return 0, parse_bound("STOP", args.start)
    return parse_bound("START", args.start), parse_bound("STOP", args.stop)


def _backend(args: argparse.Namespace, lo: int, hi: int) -> str:
    """``--backend``; for ``auto``, processes where only the pure sieve covers a wide range."""
    if args.backend != "auto" or fastprime.implementation != "cython" or hi - lo < _PROCESSES_WORTH_IT:
        return str(args.backend)
    covered = lo < U64 and _ranges.engine_for(lo, min(hi, U64)) is not None
    return "auto" if covered else "process"


def run_primes(run: Run, parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """Run ``fastprime primes``: list or count the primes of the range, in windows.

    Returns:
        The exit status, ``EXIT_OK``.

    Raises:
        Usage: a bad bound.
    """
    start, stop = bounds(args)
    total = max(stop - start, 0)
    lo = max(start, 0)
    hi = max(stop, lo)
    job = run.job
    listing = not job.count
    run.ctrl_c.install()
    if lo < hi:
        _walk(run, lo, hi, listing, _backend(args, lo, hi))
    run.finish()
    if job.count:
        run.write(job.summary(run.primes_found, total))
    return EXIT_OK


def _walk(run: Run, lo: int, hi: int, listing: bool, backend: str) -> None:
    executor = run.start_executor(backend=backend)
    as_json = run.job.json
    bar = progress_bar(run.args, hi - lo, unit="numbers")
    pending: collections.deque[tuple[Any, int]] = collections.deque()

    def finish() -> None:
        future, width = pending.popleft()
        output, found = future.result()
        run.ctrl_c.check()
        run.primes_found += found
        if listing:
            run.write(memoryview(output))
        if bar is not None:
            bar.update(width)

    try:
        for a, b in windows(lo, hi, listing):
            run.ctrl_c.check()
            pending.append((executor.submit(window_task, a, b, listing, as_json), b - a))
            while len(pending) > run.window:
                finish()
        while pending:
            finish()
    finally:
        if bar is not None:
            bar.close()
