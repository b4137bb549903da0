"""The numbers through the executor: those of the command line, and streamed input.

Files are streamed in blocks of about a MiB, a few blocks in flight at once, and
each finished block's output is written as one string, so memory stays flat however
long the input is.  With the compiled kernel on threads, a block is one executor
task that parses, tests and prints it in C without the GIL (``_cfastprime.scan_lines``):
no Python object per number, and every core busy.  Otherwise, and for the rare block
that needs Python's ``int()`` (a bad line, a number of 2**64 or more, digits other
than ASCII), the block is parsed here and its numbers go through ``executor.map``.
"""

from __future__ import annotations

import collections
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import (
    Any,
    BinaryIO,
)

from .interactive import progress_bar
from .interrupt import InterruptibleReader
from .options import EXIT_OK, Usage
from .reading import BadLine, Block, BodyReader, parse_body
from .run import Run

__all__ = ["Input", "open_input", "run_numbers", "run_stream"]

#: An input to stream: the raw binary stream, its name for messages, its size if known.
Input = tuple[BinaryIO, str, int | None]

# A finished block: (output, primes, numbers, bytes of input), see run_stream; and a
# block of lines read (see BodyReader).  The output is only valid until the next
# block is asked for.
_Done = tuple[bytes | memoryview, int, int, int]
_Bodies = Iterator[tuple[memoryview, int]]
_Ends = list[BadLine | OSError]


def open_input(path: str) -> Input:
    """Open ``path`` (``-``: standard input) to stream.

    Returns:
        The raw binary stream to read, its name for messages, and its size if known.

    Raises:
        Usage: the file cannot be opened.
    """
    if path == "-":
        return open(sys.stdin.fileno(), "rb", buffering=0, closefd=False), "<stdin>", None
    try:
        stream = open(path, "rb", buffering=0)  # noqa: SIM115 - the caller closes it (an ExitStack)
    except OSError as exc:
        raise Usage(f"cannot open {path!r}: {exc.strerror or exc}") from None
    try:
        size = os.fstat(stream.fileno()).st_size or None
    except OSError:
        size = None
    return stream, path, size


def run_numbers(run: Run, numbers: list[int]) -> int:
    """Test the command line's numbers (one ``executor.map``) and print the results.

    Returns:
        The exit status, ``EXIT_OK``.
    """
    job = run.job
    executor = run.start_executor()
    results = list(executor.map(job.function, numbers))
    run.ctrl_c.check()
    block = Block(numbers, None, 0)
    if job.count:
        run.write(job.summary(results.count(True), len(numbers)))
    else:
        run.write(job.render(block, results))
    run.finish()
    return EXIT_OK


def run_stream(run: Run, inputs: Sequence[Input]) -> int:
    """Stream ``inputs``, one after the other as one input, through the executor.

    Args:
        run: the invocation.
        inputs: the opened inputs, in order (see ``open_input``).

    Returns:
        The exit status, ``EXIT_OK``.

    Raises:
        Usage: a bad line (the results of the lines before it are printed first), or
            a read error; the message names the input and the line.
    """
    job = run.job
    executor = run.start_executor()
    sizes = [size for _, _, size in inputs]
    bar = progress_bar(run.args, None if None in sizes else sum(sizes))  # type: ignore[arg-type]
    primes = total = 0
    try:
        for stream, name, _ in inputs:
            ends: _Ends = []
            reader = BodyReader(InterruptibleReader(stream, run.ctrl_c))
            bodies = _bodies_until_the_end(reader, ends)
            if run.scanner is not None:
                done = _scan_bodies(run, executor, reader, bodies, ends)
            else:
                done = _test_bodies(run, executor, reader, bodies, ends)
            for output, block_primes, block_total, nbytes in done:
                run.ctrl_c.check()
                primes += block_primes
                total += block_total
                run.write(output)
                if bar is not None:
                    bar.update(nbytes)
            if ends:
                run.finish()
                end = ends[0]
                if isinstance(end, BadLine):
                    raise Usage(f"{name}, {end.message()}")
                raise Usage(f"cannot read {name}: {end.strerror or end}")
    finally:
        if bar is not None:
            bar.close()
    run.finish()
    if job.count:
        run.write(job.summary(primes, total))
    return EXIT_OK


def _bad_line(ends: _Ends) -> bool:
    return any(isinstance(end, BadLine) for end in ends)


def _bodies_until_the_end(bodies: Iterable[tuple[memoryview, int]], ends: _Ends) -> _Bodies:
    """The blocks of lines; a read error ends them, kept in ``ends``."""
    try:
        yield from bodies
    except OSError as exc:
        ends.append(exc)


def _test_in_python(run: Run, executor: Any, body: memoryview, nbytes: int, lines_before: int,
                    ends: _Ends) -> tuple[_Done, int]:
    """One block read with ``int()``, its numbers through ``executor.map``; and its lines.

    A bad line ends the block (and the run): it goes to ``ends``, after the numbers
    before it.
    """
    job = run.job
    block, bad, lines = parse_body(bytes(body), lines_before, job.minimum, job.below_minimum, job.echoes, nbytes)
    if bad is not None:
        ends.append(bad)
    if not block.numbers:
        return (b"", 0, 0, block.nbytes), lines
    results = list(executor.map(job.function, block.numbers))
    output = b"" if job.count else job.render(block, results)
    return (output, results.count(True), len(results), block.nbytes), lines


def _test_bodies(run: Run, executor: Any, reader: BodyReader, bodies: _Bodies, ends: _Ends) -> Iterator[_Done]:
    """Each block in Python, one after the other (``executor.map`` spreads its numbers)."""
    lines_before = 0
    for body, nbytes in bodies:
        done, lines = _test_in_python(run, executor, body, nbytes, lines_before, ends)
        reader.recycle(body)
        yield done
        if _bad_line(ends):
            return
        lines_before += lines


def _scan_bodies(run: Run, executor: Any, reader: BodyReader, bodies: _Bodies, ends: _Ends) -> Iterator[_Done]:
    """Each block as one executor task of the C scanner, ``run.window`` in flight.

    This thread only reads blocks and hands on finished ones, in order.  A block the
    scanner leaves to Python (None) is read here the slow way, which also finds the
    bad line that ends the run; blocks after it are dropped unread.
    """
    scan, mode = run.scanner  # type: ignore[misc]
    pending: collections.deque[tuple[Any, memoryview, int, bytearray]] = collections.deque()
    lines_before = 0  # of the blocks finished: a bad line's number counts from them
    # Output buffers, reused as the input's are: a block's output is written before
    # the next block is finished, so window + 2 buffers suffice.
    spare: list[bytearray] = []
    written: list[bytearray] = []

    def finish() -> _Done:
        nonlocal lines_before
        spare.extend(written)  # the previous block's output is out by now
        written.clear()
        future, body, nbytes, out = pending.popleft()
        found = future.result()
        if found is None:
            done, lines = _test_in_python(run, executor, body, nbytes, lines_before, ends)
            spare.append(out)
        else:
            output, primes, total, lines = found
            if isinstance(output, int):  # the output is in out, which is ours again later
                done = memoryview(out)[:output], primes, total, nbytes
                written.append(out)
            else:
                done = output, primes, total, nbytes
                spare.append(out)
        reader.recycle(body)
        lines_before += lines
        return done

    for body, nbytes in bodies:
        out = spare.pop() if spare else bytearray()
        pending.append((executor.submit(scan, body, mode, out), body, nbytes, out))
        while len(pending) > run.window:
            yield finish()
            if _bad_line(ends):
                return
    while pending:  # after the last block, or a read error: what was read still counts
        yield finish()
        if _bad_line(ends):
            return
