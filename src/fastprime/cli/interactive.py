"""The terminal: a line answered as soon as it is typed, and the progress bar."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .options import EXIT_OK, Usage
from .reading import BadLine, Block, parse_line
from .run import Run

__all__ = ["isatty", "progress_bar", "progress_wanted", "run_interactive"]


def run_interactive(run: Run) -> int:
    """Standard input is a terminal: answer each line as it is typed.

    No executor: one number at a time needs none, and Ctrl-C may strike anywhere.

    Args:
        run: the invocation (its job and output).

    Returns:
        The exit status, ``EXIT_OK``.

    Raises:
        Usage: a line is not an integer, or is below the job's minimum.
    """
    job = run.job
    primes = total = 0
    for lineno, line in enumerate(sys.stdin.buffer, 1):
        try:
            n = parse_line(line)
        except ValueError:
            bad = BadLine(lineno, line.rstrip(b"\r\n").decode("utf-8", "replace"), "is not an integer")
            raise Usage(f"<stdin>, {bad.message()}") from None
        if n is None:
            continue
        if job.minimum is not None and n < job.minimum:
            bad = BadLine(lineno, line.strip().decode("utf-8", "replace"), job.below_minimum)
            raise Usage(f"<stdin>, {bad.message()}")
        result = job.function(n)
        total += 1
        if job.count:
            primes += result is True
        else:
            run.write(job.render(Block([n], None, 0), [result]))
    if job.count:
        run.write(job.summary(primes, total))
    return EXIT_OK


def progress_bar(args: argparse.Namespace, size: int | None, unit: str = "B") -> Any:
    """A tqdm bar on stderr over ``size`` units (bytes of input, or ``unit``, e.g. the
    numbers of a range), or None when none is wanted."""
    if not progress_wanted(args, sys.stdout, sys.stderr):
        return None
    from tqdm import tqdm  # type: ignore[import-untyped,unused-ignore]

    return tqdm(
        total=size,
        unit=unit if unit == "B" else f" {unit}",
        unit_scale=True,
        unit_divisor=1024 if unit == "B" else 1000,
        desc="fastprime",
        file=sys.stderr,
        delay=0.5,  # short runs never show a bar
        leave=False,
        dynamic_ncols=True,
    )


def progress_wanted(args: Any, stdout: Any, stderr: Any) -> bool:
    """A bar only helps on a terminal that is not also showing the results.

    Args:
        args: the options (``quiet``, ``mode``).
        stdout: where the results go.
        stderr: where the bar would go.

    Returns:
        Whether to show one.
    """
    if args.quiet or not isatty(stderr):
        return False
    return args.mode == "count" or not isatty(stdout)


def isatty(stream: Any) -> bool:
    """Whether ``stream`` is a terminal (False for a closed or fileless one)."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
