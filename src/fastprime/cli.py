"""The ``fastprime`` command (also ``python -m fastprime``).

Numbers come from the command line, a file or standard input; every one of them
goes through ``fastprime.Executor``.  Files are streamed in blocks of about a MiB:
while the executor tests a few blocks on every core, this thread parses the next
ones and writes each finished block's results as one string, so memory stays flat
however long the input is.  Blocks go through ``executor.map``, except that, with
the compiled kernel on threads and numpy installed, a block of plain 64-bit
numbers is parsed by numpy and tested whole (``is_prime_array`` as one executor
task): no Python int per number on the way.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import importlib.util
import itertools
import os
import signal
import sys
import threading
from typing import Any, BinaryIO, Callable, Deque, Iterator, List, Optional, Protocol, Sequence, Tuple, Union

import fastprime

from ._docs_example import PRIMES
from ._intlines import BadLine, Block, parse_line, read_blocks

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
        action="version",
        version=_version_text(),
        help="show the version and the implementation in use, and exit",
    )
    return parser


def _version_text() -> str:
    from ._bpsw import engine

    return (
        f"fastprime {fastprime.__version__} (implementation: {fastprime.implementation}; "
        f"numbers >= 2**64: {engine}; Python {sys.version.split()[0]})"
    )


# ---------------------------------------------------------------------------
# Rendering results.  Each renderer turns one block's numbers and results into
# the bytes to write.  Per-number Python work is what limits a streamed run, so
# lines are built by joins and replaces over whole blocks, never one at a time.
# ``results`` is a list, or a numpy bool array for blocks tested as arrays.

_Render = Callable[[Block, Sequence[Any]], bytes]

_LINE_SUFFIXES = (b" is prime: False\n", b" is prime: True\n")
_JSON_HEAD = b'{"n": '
_JSON_SUFFIXES = (b', "is_prime": false}\n' + _JSON_HEAD, b', "is_prime": true}\n' + _JSON_HEAD)


def _as_list(values: Sequence[Any]) -> List[Any]:
    return values if isinstance(values, list) else values.tolist()  # type: ignore[attr-defined]


def _count_true(results: Sequence[Any]) -> int:
    if isinstance(results, list):
        return results.count(True)
    return int(results.sum())  # type: ignore[attr-defined]


def _interleave(texts: List[bytes], suffixes: Sequence[bytes], results: Sequence[Any]) -> bytes:
    # texts[i] + suffixes[results[i]] for every i, joined, without a Python-level loop.
    parts: List[bytes] = [b""] * (2 * len(texts))
    parts[::2] = texts
    parts[1::2] = map(suffixes.__getitem__, _as_list(results))
    return b"".join(parts)


def _suffixed(block: Block, suffixes: Sequence[bytes], results: Sequence[Any]) -> bytes:
    """Every number's text, each followed by ``suffixes[result]``."""
    if block.text is not None:
        np = sys.modules.get("numpy")
        if np is not None and isinstance(results, np.ndarray):
            return _echo(np, block.text, suffixes, results)
        texts = block.text.split(b"\n")
    else:
        texts = [b"%d" % n for n in _as_list(block.numbers)]
    return _interleave(texts, suffixes, results)


def _echo(np: Any, text: bytes, suffixes: Sequence[bytes], results: Any) -> bytes:
    """``text``'s lines (as read), each followed by ``suffixes[result]``.

    Most numbers share one answer (most random numbers are composite; a file of
    primes is all prime): the lines with the common answer get their suffix from one
    ``bytes.replace`` per run of them, and only the rare lines are handled one by one.
    """
    count = len(results)
    primes = int(np.count_nonzero(results))
    common = primes * 2 > count
    rare = np.flatnonzero(results != common)
    if len(rare) * 4 > count:  # no clear majority: one line at a time is cheaper
        return _interleave(text.split(b"\n"), suffixes, results)
    common_suffix, rare_suffix = suffixes[common], suffixes[not common]
    if not len(rare):
        return text.replace(b"\n", common_suffix) + common_suffix
    newlines = np.flatnonzero(np.frombuffer(text, dtype=np.uint8) == 10)
    ends = np.append(newlines, len(text))  # line i is text[starts[i]:ends[i]]
    starts = np.concatenate(([0], newlines + 1))
    parts = []
    done = 0
    for start, end in zip(starts[rare].tolist(), ends[rare].tolist()):
        if start > done:  # the common lines before this rare one, each ending in "\n"
            parts.append(text[done:start].replace(b"\n", common_suffix))
        parts.append(text[start:end])
        parts.append(rare_suffix)
        done = end + 1
    if done < len(text):
        parts.append(text[done:].replace(b"\n", common_suffix) + common_suffix)
    return b"".join(parts)


def _render_lines(block: Block, results: Sequence[Any]) -> bytes:
    return _suffixed(block, _LINE_SUFFIXES, results)


def _render_json(block: Block, results: Sequence[Any]) -> bytes:
    # Each suffix carries the next line's head; the last one's is cut off.
    return _JSON_HEAD + _suffixed(block, _JSON_SUFFIXES, results)[: -len(_JSON_HEAD)]


def _prime_texts(block: Block, results: Sequence[Any]) -> List[bytes]:
    # Only the primes are printed: pick them first (numpy does it for arrays), then
    # format just those.
    if isinstance(results, list):
        primes = itertools.compress(_as_list(block.numbers), results)
    else:
        primes = block.numbers[results].tolist()  # type: ignore[call-overload]
    return [b"%d" % n for n in primes]


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
        return b"".join([line % pair for pair in zip(_as_list(block.numbers), results)])

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
            else:
                self.render = _render_json if args.json else _render_lines

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
        self.by_arrays = False
        self.window = 1
        self.ctrl_c = _CtrlC()
        sys.stdout.flush()
        self.out: _Output = getattr(sys.stdout, "buffer", None) or _TextAsBinary(sys.stdout)

    def start_executor(self) -> Any:
        self.executor = fastprime.Executor(
            max_workers=self.args.workers, backend=self.args.backend, initializer=_quiet_worker
        )
        # Streams of plain 64-bit numbers skip the Python int per number when they can:
        # numpy parses a block, the kernel tests it whole in a worker thread.
        self.by_arrays = (
            self.job.function is fastprime.is_prime
            and fastprime.implementation == "cython"
            and self.executor.backend == "thread"
            and importlib.util.find_spec("numpy") is not None
        )
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

    def write(self, data: bytes) -> None:
        if data:
            self.out.write(data)
            self.out.flush()


class _Output(Protocol):
    def write(self, data: bytes, /) -> int: ...

    def flush(self) -> None: ...


class _TextAsBinary:
    """Lets the renderers' bytes go to a text-only sys.stdout (an embedding host's)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, data: bytes) -> int:
        return int(self._stream.write(data.decode("utf-8")))

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
    blocks = _blocks_until_the_end(
        read_blocks(
            _InterruptibleReader(stream, run.ctrl_c),
            minimum=job.minimum,
            below_minimum=job.below_minimum,
            want_text=job.echoes,
            arrays=run.by_arrays,
        ),
        ends,
    )
    if run.by_arrays:
        tested = _test_blocks_by_arrays(executor, blocks, run.window)
    else:
        tested = _test_blocks_by_map(executor, job.function, blocks)
    bar = _progress_bar(run.args, size)
    primes = total = 0
    try:
        for block, results in tested:
            run.ctrl_c.check()
            if job.count:
                primes += _count_true(results)
                total += len(results)
            else:
                run.write(job.render(block, results))
            if bar is not None:
                bar.update(block.nbytes)
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


def _blocks_until_the_end(items: Iterator[Union[Block, BadLine]], ends: List[Union[BadLine, OSError]]) -> Iterator[Block]:
    """The blocks that hold numbers; a bad line or a read error ends them, kept in ``ends``."""
    try:
        for item in items:
            if isinstance(item, BadLine):
                ends.append(item)
                return
            if len(item.numbers):
                yield item
    except OSError as exc:
        ends.append(exc)


def _test_blocks_by_map(
    executor: Any, function: Callable[[Any], Any], blocks: Iterator[Block]
) -> Iterator[Tuple[Block, Sequence[Any]]]:
    """Each block with its results, through one ``executor.map`` over all the numbers.

    The executor reads the numbers lazily, in its own chunks, while earlier chunks are
    tested; a block's results are gathered as they come and handed on in one list.
    """
    pending: Deque[Block] = collections.deque()

    def numbers() -> Iterator[Sequence[int]]:
        for block in blocks:
            pending.append(block)  # before its numbers are read, so before any result
            yield block.numbers

    results = executor.map(function, itertools.chain.from_iterable(numbers()))
    for first in results:
        block = pending.popleft()
        block_results = [first]
        block_results.extend(itertools.islice(results, len(block.numbers) - 1))
        yield block, block_results


def _test_blocks_by_arrays(
    executor: Any, blocks: Iterator[Block], window: int
) -> Iterator[Tuple[Block, Sequence[Any]]]:
    """Each block with its results; blocks that numpy parsed are tested as whole arrays.

    A block of plain numbers below 2**64 is one executor task, ``is_prime_array`` on
    it in a worker thread (the kernel's GIL-free loop, no Python object per number),
    while this thread parses the next blocks and prints the finished ones.  Any other
    block (comments, signs, numbers >= 2**64...) goes through ``executor.map``, which
    can send big numbers to worker processes.  ``window`` blocks at most are in flight.
    """
    pending: Deque[Tuple[Block, Any]] = collections.deque()
    for block in blocks:
        if isinstance(block.numbers, list):
            pending.append((block, executor.map(fastprime.is_prime, block.numbers)))
        else:
            pending.append((block, executor.submit(fastprime.is_prime_array, block.numbers, workers=1)))
        while len(pending) > window:
            yield _finished(*pending.popleft())
    while pending:
        yield _finished(*pending.popleft())


def _finished(block: Block, work: Any) -> Tuple[Block, Sequence[Any]]:
    if isinstance(work, concurrent.futures.Future):
        return block, work.result()  # a numpy bool array
    return block, list(work)


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
