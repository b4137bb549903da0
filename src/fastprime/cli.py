"""The ``fastprime`` command (also ``python -m fastprime``).

Numbers come from the command line, a file or standard input; every one of them
goes through ``fastprime.Executor``.  Files are streamed: a reader thread parses
large blocks of lines, ``executor.map`` tests them in chunks on every core, and
the main thread writes each block's results as one string, so memory stays flat
however long the input is.
"""

from __future__ import annotations

import argparse
import collections
import itertools
import os
import queue
import signal
import sys
import threading
from typing import Any, BinaryIO, Callable, Deque, Iterator, List, Optional, Sequence, Union

import fastprime

from ._intlines import BadLine, Block, parse_line, read_blocks

__all__ = ["main", "PRIMES"]

#: The numbers of the ``concurrent.futures`` documentation's ProcessPoolExecutor example.
PRIMES = [
    112272535095293,
    112582705942171,
    112272535095293,
    115280095190773,
    115797848077099,
    1099726899285419,
]

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
  (Ctrl-C); 141 output closed early (e.g. piped into head).

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
# the bytes to write, building the lines with joins over whole lists: per-number
# Python work is what limits a streamed run, so none is spent here that can be
# avoided.

_Render = Callable[[Block, List[Any]], bytes]


def _texts(block: Block) -> List[bytes]:
    if block.texts is not None:
        return block.texts
    return [b"%d" % n for n in block.numbers]


def _interleave(texts: List[bytes], after: Sequence[bytes], results: List[Any]) -> bytes:
    # texts[i] + after[results[i]] for every i, joined, without a Python-level loop.
    parts: List[bytes] = [b""] * (2 * len(texts))
    parts[::2] = texts
    parts[1::2] = map(after.__getitem__, results)
    return b"".join(parts)


def _render_lines(block: Block, results: List[Any]) -> bytes:
    return _interleave(_texts(block), (b" is prime: False\n", b" is prime: True\n"), results)


def _render_json(block: Block, results: List[Any]) -> bytes:
    head = b'{"n": '
    after = (b', "is_prime": false}\n' + head, b', "is_prime": true}\n' + head)
    return head + _interleave(_texts(block), after, results)[: -len(head)]


def _render_primes(block: Block, results: List[Any]) -> bytes:
    primes = list(itertools.compress(_texts(block), results))
    return b"\n".join(primes) + b"\n" if primes else b""


def _render_primes_json(block: Block, results: List[Any]) -> bytes:
    primes = list(itertools.compress(_texts(block), results))
    if not primes:
        return b""
    return b'{"n": ' + b', "is_prime": true}\n{"n": '.join(primes) + b', "is_prime": true}\n'


def _render_values(block: Block, results: List[Any]) -> bytes:
    return b"".join([b"%d\n" % p for p in results])


def _render_values_json(key: str) -> _Render:
    line = b'{"n": %d, "' + key.encode() + b'": %d}\n'

    def render(block: Block, results: List[Any]) -> bytes:
        return b"".join([line % pair for pair in zip(block.numbers, results)])

    return render


class _Job:
    """What to compute and how to print it, from the parsed options."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.count = args.count
        self.json = args.json
        # Whether output repeats the input numbers (then their text can be echoed).
        self.echoes = not (args.count or args.next or args.prev)
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
    """Executor initializer: worker *processes* leave Ctrl-C to the parent.

    A terminal's Ctrl-C reaches every process in the foreground group; the parent
    shuts the pool down cleanly, so the workers must not die printing tracebacks.
    In worker threads this does nothing (only a main thread can set handlers).
    """
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)


class _Run:
    """One invocation's executor, output stream and cleanup."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.job = _Job(args)
        self.executor: Optional[Any] = None
        self.stop = threading.Event()
        self.unblock: Callable[[], None] = lambda: None
        sys.stdout.flush()
        self.out: BinaryIO = getattr(sys.stdout, "buffer", None) or _TextAsBinary(sys.stdout)

    def start_executor(self) -> Any:
        self.executor = fastprime.Executor(
            max_workers=self.args.workers, backend=self.args.backend, initializer=_quiet_worker
        )
        # Start the pool now, while this is the only thread: a fork-based process
        # pool started later, beside the reader thread, would fork a threaded process.
        self.executor.submit(int).result()
        return self.executor

    def abandon(self) -> None:
        """Stop reading and cancel what has not run; used on Ctrl-C and a closed pipe."""
        self.stop.set()
        self.unblock()
        if self.executor is not None:
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = None

    def finish(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True)
            self.executor = None

    def write(self, data: bytes) -> None:
        if data:
            self.out.write(data)
            self.out.flush()


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
    block = Block(numbers, None, 0)
    if job.count:
        run.write(job.summary(results.count(True), len(numbers)))
    else:
        run.write(job.render(block, results))
    run.finish()
    return EXIT_OK


_END = object()


class _ReadFailure:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def _run_stream(run: _Run, stream: BinaryIO, name: str, size: Optional[int]) -> int:
    job = run.job
    executor = run.start_executor()
    blocks: "queue.Queue[object]" = queue.Queue(maxsize=2)
    stop = run.stop

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                blocks.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def reader() -> None:
        try:
            items = read_blocks(
                stream, minimum=job.minimum, below_minimum=job.below_minimum, want_texts=job.echoes
            )
            for item in items:
                if not put(item):
                    return
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread
            put(_ReadFailure(exc))
        put(_END)

    def unblock() -> None:
        # Wake a consumer waiting on the queue (possibly inside the executor).
        try:
            while True:
                blocks.get_nowait()
        except queue.Empty:
            pass
        try:
            blocks.put_nowait(_END)
        except queue.Full:
            pass

    run.unblock = unblock
    pending: Deque[Block] = collections.deque()
    outcome: List[object] = []
    skipped_bytes = [0]

    def chunks() -> Iterator[List[int]]:
        while not stop.is_set():
            item = blocks.get()
            if isinstance(item, Block):
                if item.numbers:
                    pending.append(item)
                    yield item.numbers
                else:
                    skipped_bytes[0] += item.nbytes
            else:
                outcome.append(item)
                return

    # A daemon thread so that a reader blocked on a silent pipe never holds up exit;
    # it reads with raw, unbuffered I/O, which takes no interpreter-level locks.
    threading.Thread(target=reader, name="fastprime-reader", daemon=True).start()
    bar = _progress_bar(run.args, size)
    primes = total = 0
    try:
        results = executor.map(job.function, itertools.chain.from_iterable(chunks()))
        for first in results:
            block = pending.popleft()
            block_results = [first]
            block_results.extend(itertools.islice(results, len(block.numbers) - 1))
            if job.count:
                primes += block_results.count(True)
                total += len(block_results)
            else:
                run.write(job.render(block, block_results))
            if bar is not None:
                bar.update(block.nbytes + skipped_bytes[0])
                skipped_bytes[0] = 0
    finally:
        if bar is not None:
            bar.close()
    end = outcome[0] if outcome else _END
    if isinstance(end, BadLine):
        run.finish()
        raise _Usage(f"{name}, {end.message()}")
    if isinstance(end, _ReadFailure):
        run.finish()
        if isinstance(end.error, OSError):
            raise _Usage(f"cannot read {name}: {end.error.strerror or end.error}")
        raise end.error
    if job.count:
        run.write(job.summary(primes, total))
    run.finish()
    return EXIT_OK


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
    from tqdm import tqdm

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
        return _run_numbers(run, numbers)
    if path == "-" and _isatty(sys.stdin):
        return _run_interactive(run)
    stream, name, size = _open_input(path)
    with stream:
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
        # A second Ctrl-C while tidying up ends the process at once.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        run.abandon()
        _flush_quietly(sys.stdout)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        run.abandon()
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    finally:
        _set_int_max_str_digits(old_limit)


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
