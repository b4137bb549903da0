"""``fastprime bench``: fastprime side by side with the docs' trial division and the installed peers.

One run measures every contender on the same numbers and prints a table of the
time per number with each one's ratio to fastprime.  Peers are whichever of gmpy2,
sympy and python-flint import; none is required.  Every contender's answers are
compared with fastprime's, and any disagreement is printed.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import math
import os
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import fastprime

from .._docs_example import PRIMES as _PRIMES
from .._docs_example import trial_division

__all__ = ["main", "trial_division"]

@dataclass
class _Contender:
    name: str
    test: Callable[[int], object]
    # Rows it can finish in reasonable time (None = all).  Trial division needs
    # sqrt(n)/2 divisions: seconds for the docs' numbers, hours for a 64-bit prime.
    rows: tuple[str, ...] | None = None


def _contenders() -> list[_Contender]:
    found = [_Contender(f"fastprime ({fastprime.implementation})", fastprime.is_prime)]
    if fastprime.implementation != "python":
        from .. import fallback

        found.append(_Contender("fastprime (python)", fallback.is_prime))
    found.append(_Contender("trial division (docs)", trial_division, rows=("docs' PRIMES",)))
    try:
        import gmpy2  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        pass
    else:
        found.append(_Contender("gmpy2", gmpy2.is_prime))
    try:
        import sympy  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        pass
    else:
        found.append(_Contender("sympy", sympy.isprime))
    try:
        import flint  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError:
        pass
    else:
        fmpz = flint.fmpz
        found.append(_Contender("python-flint", lambda n: fmpz(n).is_prime()))
    return found


def _versions() -> str:
    from importlib.metadata import version

    parts = []
    for name in ("gmpy2", "sympy", "python-flint"):
        try:
            parts.append(f"{name} {version(name)}")
        except Exception:  # noqa: BLE001, S112 - not installed, or no metadata
            continue
    return ", ".join(parts) or "no peers installed (pip install gmpy2 sympy python-flint)"


def _rows(quick: bool, seed: int) -> list[tuple[str, list[int]]]:
    rng = random.Random(seed)
    sizes = (2_000, 200, 40, 20) if quick else (20_000, 2_000, 300, 100)
    top = 1 << 63
    largest: list[int] = []
    n = 1 << 64
    while len(largest) < sizes[1]:
        n = fastprime.prev_prime(n)
        largest.append(n)
    return [
        ("random odd 64-bit", [rng.getrandbits(64) | top | 1 for _ in range(sizes[0])]),
        ("largest 64-bit primes", largest),
        ("random odd 512-bit", [rng.getrandbits(512) | (1 << 511) | 1 for _ in range(sizes[2])]),
        ("random odd 2048-bit", [rng.getrandbits(2048) | (1 << 2047) | 1 for _ in range(sizes[3])]),
        ("docs' PRIMES", list(_PRIMES)),
    ]


def _time_per_number(test: Callable[[int], object], numbers: Sequence[int], repeat: int) -> tuple[float, list[bool]]:
    """Best time per number over ``repeat`` passes (the first also collects the answers)."""
    test(numbers[0])  # lazy imports and caches, outside the timing
    start = time.perf_counter()
    answers = [bool(test(n)) for n in numbers]
    best = time.perf_counter() - start
    for _ in range(repeat - 1):
        start = time.perf_counter()
        for n in numbers:
            test(n)
        best = min(best, time.perf_counter() - start)
    return best / len(numbers), answers


def _fmt_time(seconds: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def _fmt_ratio(ratio: float) -> str:
    return f"{ratio:.3g}x" if ratio < 1000 else f"{ratio:,.0f}x"


def _docs_example(seconds: dict[str, float], repeat: int) -> None:
    # The docs' program as a whole, pool start to shutdown: processes + trial division,
    # against the same with fastprime; best of `repeat`, modules already imported.
    programs = {
        "docs": (concurrent.futures.ProcessPoolExecutor, trial_division),
        "fastprime": (fastprime.Executor, fastprime.is_prime),
    }
    answers = {}
    for name, (executor_class, test) in programs.items():
        best = math.inf
        for _ in range(repeat):
            start = time.perf_counter()
            with executor_class() as executor:
                answers[name] = list(executor.map(test, _PRIMES))
            best = min(best, time.perf_counter() - start)
        seconds[name] = best
    if answers["docs"] != answers["fastprime"]:
        seconds["disagree"] = 1.0


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``fastprime bench``: time every contender and print the table.

    Args:
        argv: the arguments after ``bench`` (None: ``sys.argv[1:]``, as argparse
            reads it; ``fastprime.cli.main`` passes them).

    Returns:
        The exit status: 0, or 1 if a contender disagreed with fastprime.
    """
    parser = argparse.ArgumentParser(
        prog="fastprime bench",
        description="Time fastprime.is_prime against the concurrent.futures docs' trial division "
        "and whichever of gmpy2, sympy and python-flint are installed, on the same numbers, "
        "in one run.  Prints the time per number (best of the repeats) and each contender's "
        "time over fastprime's.  Every contender's answers are compared with fastprime's; "
        "the exit status is 1 if any disagree.",
    )
    parser.add_argument("--quick", action="store_true", help="fewer numbers, one repeat, no whole-program run")
    parser.add_argument("--repeat", type=int, default=None, metavar="R", help="timed repeats, best kept (default 3)")
    parser.add_argument("--seed", type=int, default=2024, help="seed of the random inputs (default 2024)")
    args = parser.parse_args(argv)
    repeat = args.repeat or (1 if args.quick else 3)
    if repeat < 1:
        parser.error("--repeat must be at least 1")

    from .._bpsw import engine

    print(
        f"fastprime {fastprime.__version__} bench: implementation {fastprime.implementation}, "
        f"numbers >= 2**64 via {engine}; Python {sys.version.split()[0]}; {os.cpu_count()} cores"
    )
    print(f"peers: {_versions()}")
    print(f"Time per number, best of {repeat}; 'Nx' = that time over fastprime's (N > 1: fastprime is faster).")
    print("'-' = not run: trial division would take hours on these numbers.\n")
    sys.stdout.flush()

    contenders = _contenders()
    table: list[list[str]] = [["inputs"] + [c.name for c in contenders]]
    problems: list[str] = []
    for label, numbers in _rows(args.quick, args.seed):
        base, expected = _time_per_number(contenders[0].test, numbers, repeat)
        cells = [f"{label} ({len(numbers)})", _fmt_time(base)]
        for contender in contenders[1:]:
            if contender.rows is not None and label not in contender.rows:
                cells.append("-")
                continue
            seconds, answers = _time_per_number(contender.test, numbers, repeat)
            cells.append(f"{_fmt_time(seconds)}  {_fmt_ratio(seconds / base)}")
            if answers != expected:
                wrong = sum(a != b for a, b in zip(answers, expected))
                problems.append(f"{contender.name} and fastprime disagree on {wrong} of the {label}")
        table.append(cells)
    _print_table(table)

    if not args.quick:
        whole: dict[str, float] = {}
        _docs_example(whole, repeat)
        print(
            f"\nThe docs' example as a whole program (pool start to shutdown, best of {repeat}): "
            f"ProcessPoolExecutor + trial division {_fmt_time(whole['docs'])}, "
            f"fastprime.Executor + fastprime.is_prime {_fmt_time(whole['fastprime'])}: "
            f"{_fmt_ratio(whole['docs'] / whole['fastprime'])} faster."
        )
        if "disagree" in whole:
            problems.append("the docs' example and fastprime.Executor disagree")
    for problem in problems:
        print(f"WARNING: {problem}")
    return 1 if problems else 0


def _print_table(table: list[list[str]]) -> None:
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for row in table:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
