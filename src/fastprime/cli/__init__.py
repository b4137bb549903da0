"""The ``fastprime`` command (also ``python -m fastprime``).

Numbers come from the command line, a file or standard input; every one of them
goes through ``fastprime.Executor``.  Files are streamed in blocks of about a MiB,
a few blocks in flight at once, and each finished block's output is written as one
string, so memory stays flat however long the input is.  With the compiled kernel
on threads, a block is one executor task that parses, tests and prints it in C
without the GIL (``_cfastprime.scan_lines``): no Python object per number, and
every core busy.  Otherwise, and for the rare block that needs Python's ``int()``
(a bad line, a number of 2**64 or more), the block is parsed here and its numbers
go through ``executor.map``.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import itertools
import os
import signal
import sys
import threading
from typing import Any, BinaryIO, Callable, Deque, Iterable, Iterator, List, Optional, Protocol, Sequence, Tuple, Union

import fastprime

from ._docs_example import PRIMES
from ._intlines import BadLine, Block, BodyReader, parse_body, parse_line

__all__ = ["main", "PRIMES"]


EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what a shell reports for Ctrl-C
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what `cat big | head` leaves for cat

_DESCRIPTION = """\
Is it prime?  Test integers of any size with fastprime, on every core.

With no N, runs the example from the concurrent.futures documentation: its six
PRIMES through fastprime.Executor, printed in its format, '%d is prime: %s'."""

_EPILOG = """\
input:
  N ...            integers on the command line, of any size (decimal, optional
                   sign); all are checked before any work starts
  - | --file PATH  one integer per line; blank lines and '#' comments are
                   skipped.  Streamed in blocks through fastprime.Executor, so
                   memory stays flat on files of any length.  A line that is not
                   an integer stops the run: the results of the lines before it
                   are printed, none after, and the line is reported on stderr.
                   When standard input is a terminal, each line is answered as
                   soon as it is typed.

output (one line per number, in input order):
  default          N is prime: True|False
  --only-primes    the numbers that are prime, one per line
  --count          only the number of primes
  --next / --prev  the next prime above / the previous prime below each number
  --json           one JSON object per line instead:
                     {"n": 7, "is_prime": true}      {"n": 10, "next_prime": 11}
                     {"n": 10, "prev_prime": 7}      {"count": 4, "total": 6}

progress:
  For - and --file, a progress bar appears on stderr when stderr is a terminal,
  the run takes more than half a second, and the results are not scrolling on
  that same terminal (stdout redirected, or --count).  --quiet turns it off.

exit status:
  0 success; 1 unexpected failure; 2 bad usage or bad input (not an integer,
  --prev of a number <= 2, a file that cannot be read); 130 interrupted
  (Ctrl-C: the run stops once the tasks being tested finish, a second Ctrl-C
  at once); 141 output closed early (e.g. piped into head).

environment:
  FASTPRIME_PURE_PYTHON=1   use the pure-Python implementation (answers are the
                            same; the compiled kernel is much faster)
  FASTPRIME_NO_GMPY2=1      do not use gmpy2 for numbers >= 2**64

examples:
  fastprime                                the docs' example
  fastprime 97 1000003 18446744073709551557
  fastprime --next 1000000                 smallest prime above a million
  fastprime --prev 18446744073709551616    largest prime below 2**64
  seq 1 10000000 | fastprime - --count     how many primes up to 10**7
  fastprime --file numbers.txt --only-primes > primes.txt
  fastprime --file numbers.txt --json | head
  fastprime --workers 1 --backend process 2305843009213693951
  fastprime bench                          compare with the docs' trial division,
                                           gmpy2, sympy and python-flint"""


class _Usage(Exception):
    """A usage or input error: reported as ``fastprime: error: ...``, exit status 2."""


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``fastprime`` command (``bench`` has its own)."""
    parser = argparse.ArgumentParser(
        prog="fastprime",
        usage=(
            "fastprime [options] [N ...]\n"
            "       fastprime [options] - | --file PATH\n"
            "       fastprime bench [--quick] [--repeat R]"
        ),
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "numbers",
        nargs="*",
        metavar="N",
        help="integers to test; '-' alone reads them from standard input",
    )
    parser.add_argument(
        "-f", "--file", metavar="PATH", help="read integers from PATH, one per line ('-' = stdin)"
    )
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--only-primes", action="store_true", help="print only the numbers that are prime")
    what.add_argument("--count", action="store_true", help="print only how many of the numbers are prime")
    what.add_argument("--next", action="store_true", help="print the smallest prime above each number")
    what.add_argument("--prev", action="store_true", help="print the largest prime below each number (needs n > 2)")
    parser.add_argument("--json", action="store_true", help="one JSON object per line (see below)")
    parser.add_argument(
        "-w", "--workers", type=_positive_int, metavar="N", help="worker threads/processes (default: all cores)"
    )
    parser.add_argument(
        "--backend",
        choices=("auto", "thread", "process"),
        default="auto",
        help="how fastprime.Executor runs the work (default: auto = threads with the compiled "
        "kernel, processes with the pure-Python one)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    parser.add_argument(
        "-V",
        "--version",
        action=_VersionAction,
        help="show the version and the implementation in use, and exit",
    )
    return parser


class _VersionAction(argparse.Action):
    """``--version``, its text made only when asked for: naming the big-int engine
    imports gmpy2, which would cost every run ~25 ms of start-up."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, namespace: Any, values: Any, option_string: Optional[str] = None) -> None:
        parser._print_message(_version_text() + "\n", sys.stdout)
        parser.exit()


def _version_text() -> str:
    from ._bpsw import engine

    return (
        f"fastprime {fastprime.__version__} (implementation: {fastprime.implementation}; "
        f"numbers >= 2**64: {engine}; Python {sys.version.split()[0]})"
    )


# ---------------------------------------------------------------------------
# Rendering results, for the blocks read in Python (the C scanner prints its own,
# byte for byte the same).  Each renderer turns one block's numbers and results into
# the bytes to write, by joins over the whole block, never a line at a time.

_Render = Callable[[Block, Sequence[Any]], bytes]

_LINE_SUFFIXES = (b" is prime: False\n", b" is prime: True\n")
_JSON_HEAD = b'{"n": '
_JSON_SUFFIXES = (b', "is_prime": false}\n' + _JSON_HEAD, b', "is_prime": true}\n' + _JSON_HEAD)


def _suffixed(block: Block, suffixes: Sequence[bytes], results: Sequence[Any]) -> bytes:
    """Every number's text, each followed by ``suffixes[result]``."""
    texts = block.text.split(b"\n") if block.text is not None else [b"%d" % n for n in block.numbers]
    # texts[i] + suffixes[results[i]] for every i, joined, without a Python-level loop.
    parts: List[bytes] = [b""] * (2 * len(texts))
    parts[::2] = texts
    parts[1::2] = map(suffixes.__getitem__, results)
    return b"".join(parts)


def _render_lines(block: Block, results: Sequence[Any]) -> bytes:
    return _suffixed(block, _LINE_SUFFIXES, results)


def _render_json(block: Block, results: Sequence[Any]) -> bytes:
    # Each suffix carries the next line's head; the last one's is cut off.
    return _JSON_HEAD + _suffixed(block, _JSON_SUFFIXES, results)[: -len(_JSON_HEAD)]


def _prime_texts(block: Block, results: Sequence[Any]) -> List[bytes]:
    # Only the primes are printed: pick them first, then format just those.
    return [b"%d" % n for n in itertools.compress(block.numbers, results)]


def _render_primes(block: Block, results: Sequence[Any]) -> bytes:
    primes = _prime_texts(block, results)
    return b"\n".join(primes) + b"\n" if primes else b""


def _render_primes_json(block: Block, results: Sequence[Any]) -> bytes:
    primes = _prime_texts(block, results)
    if not primes:
        return b""
    return _JSON_HEAD + b', "is_prime": true}\n{"n": '.join(primes) + b', "is_prime": true}\n'


def _render_values(block: Block, results: Sequence[Any]) -> bytes:
    return b"".join([b"%d\n" % p for p in results])


def _render_values_json(key: str) -> _Render:
    line = b'{"n": %d, "' + key.encode() + b'": %d}\n'

    def render(block: Block, results: Sequence[Any]) -> bytes:
        return b"".join([line % pair for pair in zip(block.numbers, results)])

    return render


class _Job:
    """What to compute and how to print it, from the parsed options."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.count = args.count
        self.json = args.json
        # Whether output repeats every input number (then their text can be echoed).
        self.echoes = not (args.count or args.next or args.prev or args.only_primes)
        self.minimum: Optional[int] = None
        self.below_minimum = ""
        # What the compiled scanner prints for this job (None: it cannot do the job).
        self.scan_mode: Optional[str] = None
        if args.next:
            self.function: Callable[[Any], Any] = fastprime.next_prime
            self.render: _Render = _render_values_json("next_prime") if args.json else _render_values
        elif args.prev:
            self.function = fastprime.prev_prime
            self.render = _render_values_json("prev_prime") if args.json else _render_values
            self.minimum = 3
            self.below_minimum = "has no prime below it (--prev needs numbers > 2)"
        else:
            self.function = fastprime.is_prime
            if args.only_primes:
                self.render = _render_primes_json if args.json else _render_primes
                self.scan_mode = "OUT_PRIMES_JSON" if args.json else "OUT_PRIMES"
            else:
                self.render = _render_json if args.json else _render_lines
                self.scan_mode = "OUT_JSON" if args.json else "OUT_LINES"
            if args.count:
                self.scan_mode = "OUT_COUNT"

    def summary(self, primes: int, total: int) -> bytes:
        """The line ``--count`` prints at the end."""
        if self.json:
            return b'{"count": %d, "total": %d}\n' % (primes, total)
        return b"%d\n" % primes


# ---------------------------------------------------------------------------
# Running.


def _quiet_worker() -> None:
    """Executor initializer: Ctrl-C is for the main thread of the command alone.

    A terminal's Ctrl-C reaches every process in the foreground group, and a signal
    sent to a process may land on any of its threads.  The main thread shuts the
    executor down in order, so the workers must neither die half-way (printing
    tracebacks, breaking the pool) nor take the signal from it: a worker process
    ignores SIGINT; a worker thread blocks it, and so do the processes it starts (the
    executor's helper processes for big numbers), which inherit its signal mask.
    """
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    elif hasattr(signal, "pthread_sigmask"):  # POSIX
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})


class _CtrlC:
    """Ctrl-C as a request that the command honours at safe points.

    Python raises KeyboardInterrupt wherever the main thread happens to be, which
    can be inside the standard library's locking (a queue's, a future's) in the
    middle of executor work, leaving a lock held for ever: the shutdown that follows
    then never ends.  So the first Ctrl-C only sets a flag, checked between blocks
    of results (a few milliseconds apart), and interrupts at once only a wait for
    input, where nothing is locked.  A second Ctrl-C stops everything at once.
    """

    def __init__(self) -> None:
        self.pressed = False
        self.reading = False
        self._previous: Any = None

    def install(self) -> None:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._handler)

    def uninstall(self) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
            self._previous = None

    def check(self) -> None:
        """Raise KeyboardInterrupt here if Ctrl-C was pressed."""
        if self.pressed:
            raise KeyboardInterrupt

    def _handler(self, signum: int, frame: Any) -> None:
        if self.pressed:
            _stop_now()
        self.pressed = True
        if self.reading:
            raise KeyboardInterrupt


class _InterruptibleReader:
    """A stream whose reads (waits for input) Ctrl-C interrupts at once."""

    def __init__(self, stream: BinaryIO, ctrl_c: _CtrlC) -> None:
        self._stream = stream
        self._ctrl_c = ctrl_c

    def read(self, size: int = -1, /) -> bytes:
        self._ctrl_c.check()
        self._ctrl_c.reading = True
        try:
            return self._stream.read(size)
        finally:
            self._ctrl_c.reading = False

    def readinto(self, buffer: Any, /) -> Optional[int]:
        self._ctrl_c.check()
        self._ctrl_c.reading = True
        try:
            return self._stream.readinto(buffer)  # type: ignore[attr-defined, no-any-return]
        finally:
            self._ctrl_c.reading = False


def _stop_now() -> None:
    """The second Ctrl-C: end the worker processes and this one, now."""
    import multiprocessing

    for child in multiprocessing.active_children():
        child.kill()
    _flush_quietly(sys.stdout)
    os._exit(EXIT_INTERRUPTED)


class _Run:
    """One invocation's executor, output stream and cleanup."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.job = _Job(args)
        self.executor: Optional[Any] = None
        self.scanner: Optional[Tuple[Callable[..., Any], int]] = None  # (scan_lines, its mode)
        self.window = 1
        self.ctrl_c = _CtrlC()
        sys.stdout.flush()
        self.out: _Output = getattr(sys.stdout, "buffer", None) or _TextAsBinary(sys.stdout)

    def start_executor(self) -> Any:
        self.executor = fastprime.Executor(
            max_workers=self.args.workers, backend=self.args.backend, initializer=_quiet_worker
        )
        # With the compiled kernel on threads, whole blocks are parsed, tested and
        # printed in C, in the worker threads, without the GIL.
        if self.job.scan_mode is not None and fastprime.implementation == "cython" and self.executor.backend == "thread":
            from . import _cfastprime

            self.scanner = (_cfastprime.scan_lines, getattr(_cfastprime, self.job.scan_mode))
        from .executor import default_max_workers

        self.window = 2 * (self.args.workers or default_max_workers()) + 1
        return self.executor

    def abandon(self) -> None:
        """Cancel what has not started, let what runs finish, and shut down.

        Used on Ctrl-C and a closed pipe.  Running tasks are chunks of milliseconds;
        waiting for them lets the pool stop its workers in order, where leaving at
        once can strand worker processes (forked ones hold the pool's pipes open, so
        they never see it go).  A second Ctrl-C ends the process at once.
        """
        if self.executor is not None:
            executor, self.executor = self.executor, None
            executor.shutdown(wait=True, cancel_futures=True)

    def finish(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True)
            self.executor = None

    def write(self, data: Union[bytes, memoryview]) -> None:
        if data:
            self.out.write(data)
            self.out.flush()


class _Output(Protocol):
    def write(self, data: Union[bytes, memoryview], /) -> int: ...

    def flush(self) -> None: ...


class _TextAsBinary:
    """Lets the renderers' bytes go to a text-only sys.stdout (an embedding host's)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, data: Union[bytes, memoryview]) -> int:
        return int(self._stream.write(bytes(data).decode("utf-8")))

    def flush(self) -> None:
        self._stream.flush()


def _run_numbers(run: _Run, numbers: List[int]) -> int:
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


def _run_stream(run: _Run, stream: BinaryIO, name: str, size: Optional[int]) -> int:
    job = run.job
    executor = run.start_executor()
    ends: List[Union[BadLine, OSError]] = []
    reader = BodyReader(_InterruptibleReader(stream, run.ctrl_c))
    bodies = _bodies_until_the_end(reader, ends)
    if run.scanner is not None:
        done = _scan_bodies(run, executor, reader, bodies, ends)
    else:
        done = _test_bodies(run, executor, reader, bodies, ends)
    bar = _progress_bar(run.args, size)
    primes = total = 0
    try:
        for output, block_primes, block_total, nbytes in done:
            run.ctrl_c.check()
            primes += block_primes
            total += block_total
            run.write(output)
            if bar is not None:
                bar.update(nbytes)
    finally:
        if bar is not None:
            bar.close()
    run.finish()
    if ends:
        end = ends[0]
        if isinstance(end, BadLine):
            raise _Usage(f"{name}, {end.message()}")
        raise _Usage(f"cannot read {name}: {end.strerror or end}")
    if job.count:
        run.write(job.summary(primes, total))
    return EXIT_OK


# A finished block: (output, primes, numbers, bytes of input), see _run_stream; and a
# block of lines read (see BodyReader).  The output is only valid until the next
# block is asked for.
_Done = Tuple[Union[bytes, memoryview], int, int, int]
_Bodies = Iterator[Tuple[memoryview, int]]


def _bad_line(ends: List[Union[BadLine, OSError]]) -> bool:
    return any(isinstance(end, BadLine) for end in ends)


def _bodies_until_the_end(bodies: Iterable[Tuple[memoryview, int]], ends: List[Union[BadLine, OSError]]) -> _Bodies:
    """The blocks of lines; a read error ends them, kept in ``ends``."""
    try:
        yield from bodies
    except OSError as exc:
        ends.append(exc)


def _test_in_python(run: _Run, executor: Any, body: memoryview, nbytes: int, lines_before: int,
                    ends: List[Union[BadLine, OSError]]) -> Tuple[_Done, int]:
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


def _test_bodies(run: _Run, executor: Any, reader: BodyReader, bodies: _Bodies,
                 ends: List[Union[BadLine, OSError]]) -> Iterator[_Done]:
    """Each block in Python, one after the other (``executor.map`` spreads its numbers)."""
    lines_before = 0
    for body, nbytes in bodies:
        done, lines = _test_in_python(run, executor, body, nbytes, lines_before, ends)
        reader.recycle(body)
        yield done
        if _bad_line(ends):
            return
        lines_before += lines


def _scan_bodies(run: _Run, executor: Any, reader: BodyReader, bodies: _Bodies,
                 ends: List[Union[BadLine, OSError]]) -> Iterator[_Done]:
    """Each block as one executor task of the C scanner, ``run.window`` in flight.

    This thread only reads blocks and hands on finished ones, in order.  A block the
    scanner leaves to Python (None) is read here the slow way, which also finds the
    bad line that ends the run; blocks after it are dropped unread.
    """
    scan, mode = run.scanner  # type: ignore[misc]
    pending: Deque[Tuple[Any, memoryview, int, bytearray]] = collections.deque()
    lines_before = 0  # of the blocks finished: a bad line's number counts from them
    # Output buffers, reused as the input's are: a block's output is written before
    # the next block is finished, so window + 2 buffers suffice.
    spare: List[bytearray] = []
    written: List[bytearray] = []

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


def _run_interactive(run: _Run) -> int:
    """Standard input is a terminal: answer each line as it is typed."""
    job = run.job
    primes = total = 0
    for lineno, line in enumerate(sys.stdin.buffer, 1):
        try:
            n = parse_line(line)
        except ValueError:
            bad = BadLine(lineno, line.rstrip(b"\r\n").decode("utf-8", "replace"), "is not an integer")
            raise _Usage(f"<stdin>, {bad.message()}") from None
        if n is None:
            continue
        if job.minimum is not None and n < job.minimum:
            bad = BadLine(lineno, line.strip().decode("utf-8", "replace"), job.below_minimum)
            raise _Usage(f"<stdin>, {bad.message()}")
        result = job.function(n)
        total += 1
        if job.count:
            primes += result is True
        else:
            run.write(job.render(Block([n], None, 0), [result]))
    if job.count:
        run.write(job.summary(primes, total))
    return EXIT_OK


def _progress_bar(args: argparse.Namespace, size: Optional[int]) -> Any:
    if not _progress_wanted(args, sys.stdout, sys.stderr):
        return None
    from tqdm import tqdm  # type: ignore[import-untyped,unused-ignore]

    return tqdm(
        total=size,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        desc="fastprime",
        file=sys.stderr,
        delay=0.5,  # short runs never show a bar
        leave=False,
        dynamic_ncols=True,
    )


def _progress_wanted(args: argparse.Namespace, stdout: Any, stderr: Any) -> bool:
    """A bar only helps on a terminal that is not also showing the results."""
    if args.quiet or not _isatty(stderr):
        return False
    return bool(args.count) or not _isatty(stdout)


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _parse_numbers(parser: argparse.ArgumentParser, texts: List[str], job: _Job) -> List[int]:
    numbers = []
    for text in texts:
        try:
            n = int(text.strip())
        except ValueError:
            hint = ""
            if text == "bench":
                hint = " ('bench' is a subcommand: it must come first, as in 'fastprime bench')"
            parser.error(f"argument {text!r} is not an integer{hint}")
        if job.minimum is not None and n < job.minimum:
            parser.error(f"argument {text!r} {job.below_minimum}")
        numbers.append(n)
    return numbers


def _open_input(path: str) -> tuple[BinaryIO, str, Optional[int]]:
    """The raw binary stream to read, its name for messages, and its size if known."""
    if path == "-":
        return open(sys.stdin.fileno(), "rb", buffering=0, closefd=False), "<stdin>", None
    try:
        stream = open(path, "rb", buffering=0)
    except OSError as exc:
        raise _Usage(f"cannot open {path!r}: {exc.strerror or exc}") from None
    try:
        size = os.fstat(stream.fileno()).st_size or None
    except OSError:
        size = None
    return stream, path, size


def _dispatch(run: _Run, parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    texts: List[str] = args.numbers
    path: Optional[str] = args.file
    if "-" in texts:
        if len(texts) > 1 or path is not None:
            parser.error("'-' (read standard input) cannot be combined with numbers or --file")
        path = "-"
    elif path is not None and texts:
        parser.error("give numbers or --file, not both")
    if path is None:
        numbers = _parse_numbers(parser, texts, run.job) if texts else list(PRIMES)
        run.ctrl_c.install()
        return _run_numbers(run, numbers)
    if path == "-" and _isatty(sys.stdin):
        return _run_interactive(run)  # no executor: Ctrl-C may strike anywhere
    stream, name, size = _open_input(path)
    with stream:
        run.ctrl_c.install()
        return _run_stream(run, stream, name, size)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the ``fastprime`` command with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["bench"]:
        from ._peers import main as bench_main

        return bench_main(argv[1:])
    parser = build_parser()
    args = parser.parse_intermixed_args(argv)
    # Numbers of any size: lift the guard against slow str<->int conversion that
    # Python puts on numbers of more than 4300 digits.  The user asked for them.
    old_limit = _set_int_max_str_digits(0)
    run = _Run(args)
    try:
        return _dispatch(run, parser, args)
    except _Usage as exc:
        run.abandon()
        _flush_quietly(sys.stdout)
        sys.stderr.write(f"fastprime: error: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        return _interrupted(run)
    except BrokenPipeError:
        run.abandon()
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except (concurrent.futures.BrokenExecutor, MemoryError) as exc:
        # A worker process died (killed, out of memory): say so, without a traceback.
        run.abandon()
        _flush_quietly(sys.stdout)
        sys.stderr.write(f"fastprime: error: the work failed: {type(exc).__name__}: {exc}\n")
        return EXIT_FAILURE
    except Exception as exc:
        # Ctrl-C can land inside the standard library's own lock handling (between a
        # Condition.wait and its re-acquire), which then raises RuntimeError with the
        # KeyboardInterrupt as its context: still a Ctrl-C, not a failure.
        if _caused_by_ctrl_c(exc):
            return _interrupted(run)
        raise
    finally:
        run.ctrl_c.uninstall()
        _set_int_max_str_digits(old_limit)


def _interrupted(run: _Run) -> int:
    # From here a (further) Ctrl-C ends the process at once.
    run.ctrl_c.pressed = True
    run.abandon()
    _flush_quietly(sys.stdout)
    return EXIT_INTERRUPTED


def _caused_by_ctrl_c(exc: BaseException) -> bool:
    seen = set()
    link: Optional[BaseException] = exc
    while link is not None and id(link) not in seen:
        if isinstance(link, KeyboardInterrupt):
            return True
        seen.add(id(link))
        link = link.__cause__ or link.__context__
    return False


def _set_int_max_str_digits(limit: int) -> int:
    getter = getattr(sys, "get_int_max_str_digits", None)
    setter = getattr(sys, "set_int_max_str_digits", None)
    if getter is None or setter is None:  # Pythons before the limit existed
        return 0
    old = int(getter())
    setter(limit)
    return old


def _flush_quietly(stream: Any) -> None:
    try:
        stream.flush()
    except (BrokenPipeError, ValueError):
        _silence_stdout()


def _silence_stdout() -> None:
    # The reader of our output is gone; point stdout at /dev/null so that the flush
    # at interpreter exit does not complain about the broken pipe.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


if __name__ == "__main__":  # pragma: no cover - `python -m fastprime` uses __main__.py
    sys.exit(main())
