"""The command's options, its output modes, exit statuses and usage errors.

A mode is what the command computes and prints for each number (``MODES``); the
parser's mutually exclusive options, the output section of ``--help`` and the
``Job`` that runs are all made from that one table.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any

import fastprime

from .render import (
    Render,
    render_json,
    render_lines,
    render_primes,
    render_primes_json,
    render_summary,
    render_values,
    render_values_json,
)

__all__ = [
    "EXIT_BROKEN_PIPE",
    "EXIT_FAILURE",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "MODES",
    "Job",
    "Mode",
    "Usage",
    "add_run_options",
    "build_parser",
    "parse_numbers",
    "positive_int",
]

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what a shell reports for Ctrl-C
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what `cat big | head` leaves for cat


class Usage(Exception):
    """A usage or input error: reported as ``fastprime: error: ...``, exit status 2."""


class Mode:
    """One output mode: what is computed per number and how it is printed.

    (A plain class: a dataclass would cost every run of the command ~1 ms of start-up.)
    """

    __slots__ = (
        "below_minimum", "counts", "echoes", "function", "help", "json_example", "minimum",
        "option", "render", "render_json", "scan", "scan_json", "shows",
    )

    def __init__(
        self,
        option: str | None,  # the option that selects it; None for the default mode
        help: str,  # the option's help line
        shows: str,  # what it prints, for the output section of --help
        function: str,  # the fastprime function applied to each number
        render: Render,  # a block's output, plain ...
        render_json: Render,  # ... and with --json
        json_example: str,  # one line of its --json output, for --help
        *,
        scan: str | None = None,  # the _cfastprime.OUT_* mode of the C scanner, plain ...
        scan_json: str | None = None,  # ... and with --json; None: Python prints it
        counts: bool = False,  # print only the summary line (render_summary) at the end
        echoes: bool = False,  # output repeats every input number (then its text can be echoed)
        minimum: int | None = None,  # smaller numbers are a usage error ...
        below_minimum: str = "",  # ... said so
    ) -> None:
        self.option = option
        self.help = help
        self.shows = shows
        self.function = function
        self.render = render
        self.render_json = render_json
        self.json_example = json_example
        self.scan = scan
        self.scan_json = scan_json
        self.counts = counts
        self.echoes = echoes
        self.minimum = minimum
        self.below_minimum = below_minimum


# Every output mode, by its argparse dest.  Everything a new output mode must touch:
#   1. an entry here: its option, help, function, renderers and --help lines (the
#      parser, --help's output section and the Job are made from it);
#   2. its renderers in render.py, plain and --json, unless existing ones fit;
#   3. only if the C scanner is to print it (else scan=None: Python prints it, the
#      slower way): an FP_OUT_* value and its printing in csrc/lines.h, and the OUT_*
#      constant _cfastprime.pyx/.pyi export (not the command line's files);
#   4. the command-line section of README.md, and a test in tests/cli/.
MODES: dict[str, Mode] = {
    "default": Mode(
        None, "", "N is prime: True|False", "is_prime", render_lines, render_json,
        '{"n": 7, "is_prime": true}', scan="OUT_LINES", scan_json="OUT_JSON", echoes=True,
    ),
    "only_primes": Mode(
        "--only-primes", "print only the numbers that are prime", "the numbers that are prime, one per line",
        "is_prime", render_primes, render_primes_json, '{"n": 7, "is_prime": true}',
        scan="OUT_PRIMES", scan_json="OUT_PRIMES_JSON",
    ),
    "count": Mode(
        "--count", "print only how many of the numbers are prime", "only the number of primes",
        "is_prime", render_lines, render_json, '{"count": 4, "total": 6}',
        scan="OUT_COUNT", scan_json="OUT_COUNT", counts=True,
    ),
    "next": Mode(
        "--next", "print the smallest prime above each number", "the next prime above each number",
        "next_prime", render_values, render_values_json("next_prime"), '{"n": 10, "next_prime": 11}',
    ),
    "prev": Mode(
        "--prev", "print the largest prime below each number (needs n > 2)",
        "the previous prime below each number", "prev_prime", render_values, render_values_json("prev_prime"),
        '{"n": 10, "prev_prime": 7}', minimum=3, below_minimum="has no prime below it (--prev needs numbers > 2)",
    ),
}


def _output_help() -> str:
    lines = ["output (one line per number, in input order):"]
    for mode in MODES.values():
        lines.append(f"  {mode.option or 'default':<17}{mode.shows}")
    lines.append(f"  {'--json':<17}one JSON object per line instead:")
    examples = list(dict.fromkeys(mode.json_example for mode in MODES.values()))
    for i in range(0, len(examples), 2):
        lines.append(("                     " + "".join(f"{e:<32}" for e in examples[i : i + 2])).rstrip())
    return "\n".join(lines)


_DESCRIPTION = """\
Is it prime?  Test integers of any size with fastprime, on every core.

With no N, runs the example from the concurrent.futures documentation: its six
PRIMES through fastprime.Executor, printed in its format, '%d is prime: %s'."""

_EPILOG = """\
input:
  N ...            integers on the command line, of any size (decimal, optional
                   sign); all are checked before any work starts
  - | --file PATH  one integer per line; blank lines and '#' comments are
                   skipped.  --file may be given more than once (and '-' among
                   them): the inputs are read one after the other, in order, as
                   one.  Streamed in blocks through fastprime.Executor, so
                   memory stays flat on files of any length.  A line that is not
                   an integer stops the run: the results of the lines before it
                   are printed, none after, and the file and line are reported on
                   stderr.  When standard input is a terminal (and the only
                   input), each line is answered as soon as it is typed.
  integers         the same rule everywhere: what Python's int() accepts as text,
                   e.g. '97', '-5', '+7', '1_000_003', and decimal digits of any
                   script ('١٢٣' is 123); input files are UTF-8.  Numbers are
                   printed back in ASCII digits.

{output}

primes:
  fastprime primes [START] STOP prints the primes of [START, STOP), sieved in
  windows on every core (memory stays flat for any range); bounds may be written
  1e10, 2**64, 2**64+100.  See fastprime primes --help.

cluster:
  --scheduler ADDRESS runs the work (N ..., - and --file, fastprime primes) on the
  dask.distributed cluster at ADDRESS through fastprime.Executor(backend=client),
  with the same output, order, errors and exit statuses (pip install
  "pyfastprime[dask]").  Blocks are read here and their numbers mapped on the
  cluster.  Connecting waits up to dask's connect timeout (30 s; e.g.
  DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT=5s).

progress:
  For -, --file and fastprime primes, a progress bar appears on stderr when
  stderr is a terminal, the run takes more than half a second, and the results
  are not scrolling on that same terminal (stdout redirected, or --count).
  --quiet turns it off.

exit status:
  0 success; 1 the output cannot be written (e.g. disk full), the cluster failed
  during the run, or an unexpected failure; 2 bad usage or bad input (not an
  integer, --prev of a number <= 2, a file that cannot be read, a dask scheduler
  that cannot be reached, dask not installed); 130 interrupted (Ctrl-C: the run stops once the
  tasks being tested finish, a second Ctrl-C at once); 141 output closed early
  (e.g. piped into head).

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
  fastprime --file a.txt --file b.txt --count
  fastprime --file numbers.txt --json | head
  fastprime --workers 1 --backend process 2305843009213693951
  fastprime primes 100                     the primes below 100
  fastprime primes --count 1e10            455052511
  fastprime --scheduler tcp://host:8786 --file numbers.txt --count
  fastprime bench                          compare with the docs' trial division,
                                           gmpy2, sympy and python-flint"""


def positive_int(text: str) -> int:
    """argparse type of ``--workers``: a whole number >= 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``fastprime`` command (``bench`` has its own).

    Returns:
        The parser.  Its namespace has ``numbers`` (texts), ``file`` (a list of paths,
        or None), ``mode`` (a key of ``MODES``), ``json``, ``workers``, ``backend``,
        ``scheduler`` and ``quiet``.
    """
    parser = argparse.ArgumentParser(
        prog="fastprime",
        usage=(
            "fastprime [options] [N ...]\n"
            "       fastprime [options] - | --file PATH [--file PATH ...]\n"
            "       fastprime primes [options] [START] STOP\n"
            "       fastprime bench [--quick] [--repeat R]"
        ),
        description=_DESCRIPTION,
        epilog=_EPILOG.format(output=_output_help()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "numbers",
        nargs="*",
        metavar="N",
        help="integers to test; '-' alone reads them from standard input",
    )
    parser.add_argument(
        "-f",
        "--file",
        metavar="PATH",
        action="append",
        help="read integers from PATH, one per line ('-' = stdin); repeat to read several in order",
    )
    what = parser.add_mutually_exclusive_group()
    for name, mode in MODES.items():
        if mode.option is not None:
            what.add_argument(mode.option, dest="mode", action="store_const", const=name, help=mode.help)
    parser.set_defaults(mode="default")
    add_run_options(
        parser,
        workers="worker threads/processes (default: all cores)",
        backend="how fastprime.Executor runs the work (default: auto = threads with the compiled "
        "kernel, processes with the pure-Python one)",
        scheduler="run the work on the dask.distributed cluster at ADDRESS (e.g. tcp://host:8786); "
        'needs pip install "pyfastprime[dask]"',
    )
    parser.add_argument(
        "-V",
        "--version",
        action=_VersionAction,
        help="show the version and the implementation in use, and exit",
    )
    return parser


def add_run_options(parser: argparse.ArgumentParser, *, workers: str, backend: str, scheduler: str) -> None:
    """The options every command that runs work through an executor takes (``Run`` reads
    them): ``--json``, ``--workers``, ``--backend``, ``--scheduler``, ``--quiet``.

    Args:
        parser: the command's parser.
        workers, backend, scheduler: those options' help, in the command's words.
    """
    parser.add_argument("--json", action="store_true", help="one JSON object per line (see below)")
    parser.add_argument("-w", "--workers", type=positive_int, metavar="N", help=workers)
    parser.add_argument("--backend", choices=("auto", "thread", "process"), default="auto", help=backend)
    parser.add_argument("--scheduler", metavar="ADDRESS", help=scheduler)
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")


class _VersionAction(argparse.Action):
    """``--version``, its text made only when asked for: naming the big-int engine
    imports gmpy2, which would cost every run ~25 ms of start-up."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, namespace: Any, values: Any, option_string: str | None = None) -> None:
        # Not parser._print_message, which drops write errors: a failed --version
        # (a full disk) is an error, raised to main.
        sys.stdout.write(_version_text() + "\n")
        sys.stdout.flush()
        parser.exit()


def _version_text() -> str:
    from .._bpsw import engine

    return (
        f"fastprime {fastprime.__version__} (distribution pyfastprime; implementation: {fastprime.implementation}; "
        f"numbers >= 2**64: {engine}; Python {sys.version.split()[0]})"
    )


class Job:
    """What to compute and how to print it, from the parsed options (``mode``, ``json``)."""

    def __init__(self, args: Any) -> None:
        mode = MODES[args.mode]
        self.count = mode.counts
        self.json = bool(args.json)
        self.echoes = mode.echoes
        self.minimum = mode.minimum
        self.below_minimum = mode.below_minimum
        # What the compiled scanner prints for this job (None: it cannot do the job).
        self.scan_mode = mode.scan_json if args.json else mode.scan
        self.function: Callable[[Any], Any] = getattr(fastprime, mode.function)
        self.render: Render = mode.render_json if args.json else mode.render

    def summary(self, primes: int, total: int) -> bytes:
        """The line ``--count`` prints at the end."""
        return render_summary(primes, total, self.json)


def parse_numbers(parser: argparse.ArgumentParser, texts: list[str], job: Job) -> list[int]:
    """The command-line numbers, all checked before any work starts.

    Args:
        parser: reports a bad one (``parser.error`` exits with status 2).
        texts: the arguments; each is read by ``int()`` (the rule of ``reading.parse_line``).
        job: its ``minimum`` bounds them.

    Returns:
        The integers, in order.
    """
    numbers = []
    for text in texts:
        try:
            n = int(text.strip())
        except ValueError:
            hint = ""
            if text in ("bench", "primes"):
                hint = f" ({text!r} is a subcommand: it must come first, as in 'fastprime {text}')"
            parser.error(f"argument {text!r} is not an integer{hint}")
        if job.minimum is not None and n < job.minimum:
            parser.error(f"argument {text!r} {job.below_minimum}")
        numbers.append(n)
    return numbers
