"""The ``fastprime`` command (also ``python -m fastprime``).

Numbers come from the command line, one or more files, or standard input; every
one of them goes through ``fastprime.Executor``.  The modules, each importing only
those above it in this list (no cycle):

- ``reading``: standard input and files cut into blocks of whole lines, and the
  Python reading of a block (``int()``, the rule of what an integer is);
- ``render``: a block's results as the bytes to print, for each output format;
- ``options``: the parser, the output modes (``MODES``; the list of what a new mode
  must touch is there), exit statuses and usage errors;
- ``interrupt``: Ctrl-C as a request honoured at safe points, the workers' signals,
  a closed output pipe;
- ``run``: one invocation's executor and output;
- ``interactive``: a terminal's lines answered as typed, and the progress bar;
- ``streaming``: the numbers and the streamed blocks through the executor (and the
  C scanner);
- ``ranges``: ``fastprime primes START [STOP]``, imported only for it: the primes of
  a range, sieved and formatted in windows through the executor;
- ``cluster``: ``--scheduler``, imported only for it: the dask client and the
  executor on it;
- ``bench``: ``fastprime bench``, imported only for it;
- this module: ``main``, which picks the input and maps every error to one line on
  stderr and an exit status.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import sys
from collections.abc import Callable, Sequence

from .._docs_example import PRIMES
from .interactive import isatty, run_interactive
from .interrupt import caused_by_ctrl_c, flush_quietly, silence_stdout
from .options import (
    EXIT_BROKEN_PIPE,
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    Usage,
    build_parser,
    parse_numbers,
)
from .run import OutputError, Run
from .streaming import open_input, run_numbers, run_stream

__all__ = [
    "EXIT_BROKEN_PIPE",
    "EXIT_FAILURE",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "PRIMES",
    "build_parser",
    "main",
]


def _dispatch(run: Run, parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    texts: list[str] = args.numbers
    paths: list[str] = list(args.file or [])
    if "-" in texts:
        if len(texts) > 1 or paths:
            parser.error("'-' (read standard input) cannot be combined with numbers or --file")
        paths = ["-"]
    elif paths and texts:
        parser.error("give numbers or --file, not both")
    if not paths:
        numbers = parse_numbers(parser, texts, run.job) if texts else list(PRIMES)
        run.ctrl_c.install()
        return run_numbers(run, numbers)
    if paths == ["-"] and isatty(sys.stdin):
        return run_interactive(run)  # no executor: Ctrl-C may strike anywhere
    with contextlib.ExitStack() as opened:
        # Every input is opened before any work starts: a missing one stops the run
        # before the others' results are printed.
        inputs = []
        for path in paths:
            stream, name, size = open_input(path)
            opened.enter_context(stream)
            inputs.append((stream, name, size))
        run.ctrl_c.install()
        return run_stream(run, inputs)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``fastprime`` command.

    Args:
        argv: the arguments (default: ``sys.argv[1:]``).

    Returns:
        The exit status (see ``fastprime --help``): every error is one line
        ``fastprime: error: ...`` on stderr, never a traceback.

    Raises:
        SystemExit: from argparse, for ``--help``, ``--version`` and bad usage.
    """
    try:
        status = _main(argv)
    except SystemExit:
        # --help, --version or a usage error: its text is still in sys.stdout's buffer.
        status = _flush_stdout(EXIT_OK)
        if status != EXIT_OK:
            return status
        raise
    return _flush_stdout(status)


def _main(argv: Sequence[str] | None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["bench"]:
        from .bench import main as bench_main

        return bench_main(argv[1:])
    dispatch: Callable[[Run, argparse.ArgumentParser, argparse.Namespace], int] = _dispatch
    if argv[:1] == ["primes"]:
        from .ranges import build_parser as primes_parser
        from .ranges import run_primes

        parser = primes_parser()
        dispatch, argv, parse = run_primes, argv[1:], parser.parse_args
    else:
        parser = build_parser()
        parse = parser.parse_intermixed_args
    try:
        args = parse(argv)
    except OSError as exc:  # --version could not be written
        return _output_failed(exc)
    if sys.stdout is None:  # started with standard output closed (`>&-`)
        return _error("cannot write the output: standard output is closed", EXIT_FAILURE)
    # Numbers of any size: lift the guard against slow str<->int conversion that
    # Python puts on numbers of more than 4300 digits.  The user asked for them.
    old_limit = _set_int_max_str_digits(0)
    run = Run(args)
    try:
        return dispatch(run, parser, args)
    except Usage as exc:
        run.abandon()
        flush_quietly(sys.stdout)
        return _error(str(exc), EXIT_USAGE)
    except KeyboardInterrupt:
        return _interrupted(run)
    except BrokenPipeError:
        run.abandon()
        silence_stdout()
        return EXIT_BROKEN_PIPE
    except OutputError as exc:
        # A full disk, an I/O error: like any other error, one line and a status.
        run.abandon()
        silence_stdout()
        return _error(str(exc), EXIT_FAILURE)
    except (concurrent.futures.BrokenExecutor, MemoryError) as exc:
        # A worker process died (killed, out of memory): say so, without a traceback.
        run.abandon()
        flush_quietly(sys.stdout)
        return _error(f"the work failed: {type(exc).__name__}: {exc}", EXIT_FAILURE)
    except Exception as exc:
        # Ctrl-C can land inside the standard library's own lock handling (between a
        # Condition.wait and its re-acquire), which then raises RuntimeError with the
        # KeyboardInterrupt as its context: still a Ctrl-C, not a failure.
        if caused_by_ctrl_c(exc):
            return _interrupted(run)
        if run.client is not None:
            # --scheduler: the cluster failed under the run (a scheduler gone, a task
            # lost): one line, as for a local worker that died.
            from .cluster import describe

            run.abandon()
            flush_quietly(sys.stdout)
            return _error(f"the work failed on the cluster: {describe(exc)}", EXIT_FAILURE)
        raise
    finally:
        run.ctrl_c.uninstall()
        run.close()
        _set_int_max_str_digits(old_limit)


def _error(message: str, status: int) -> int:
    sys.stderr.write(f"fastprime: error: {message}\n")
    return status


def _flush_stdout(status: int) -> int:
    """Flush what is left in sys.stdout (``--help``, ``--version``, ``bench``) now,
    while an error can still be reported, rather than at interpreter exit."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except OSError as exc:
        return _output_failed(exc)
    return status


def _output_failed(exc: OSError) -> int:
    """Standard output failed: quietly for a closed pipe, else a one-line error."""
    silence_stdout()
    if isinstance(exc, BrokenPipeError):
        return EXIT_BROKEN_PIPE
    return _error(f"cannot write the output: {exc.strerror or exc}", EXIT_FAILURE)


def _interrupted(run: Run) -> int:
    # From here a (further) Ctrl-C ends the process at once.
    run.ctrl_c.pressed = True
    run.abandon()
    flush_quietly(sys.stdout)
    return EXIT_INTERRUPTED


def _set_int_max_str_digits(limit: int) -> int:
    getter = getattr(sys, "get_int_max_str_digits", None)
    setter = getattr(sys, "set_int_max_str_digits", None)
    if getter is None or setter is None:  # Pythons before the limit existed
        return 0
    old = int(getter())
    setter(limit)
    return old


if __name__ == "__main__":  # pragma: no cover - `python -m fastprime` uses __main__.py
    sys.exit(main())
