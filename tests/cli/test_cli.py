"""The ``fastprime`` command, run as users run it: the installed console script in a subprocess.

Every subprocess test runs twice: with the default implementation and with
``FASTPRIME_PURE_PYTHON=1`` (only the latter when the whole session is the pure run).
Expected answers come from a sieve or from sympy, never from fastprime itself.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import sysconfig
import threading
from typing import List, Optional

import pytest
import sympy
from conftest import PURE_ONLY, sieve

import fastprime
from fastprime import cli

DOCS_LINES = [
    "112272535095293 is prime: True",
    "112582705942171 is prime: True",
    "112272535095293 is prime: True",
    "115280095190773 is prime: True",
    "115797848077099 is prime: True",
    "1099726899285419 is prime: False",
]

# Generous bound on any one run, so a hang fails the test instead of stalling the suite.
TIMEOUT = 120


def _script() -> List[str]:
    """The console script installed beside this interpreter, else ``python -m fastprime``."""
    found = shutil.which("fastprime", path=sysconfig.get_path("scripts"))
    return [found] if found else [sys.executable, "-m", "fastprime"]


SCRIPT = _script()
MODULE = [sys.executable, "-m", "fastprime"]


SIEVE = sieve(300_000)


def _is_prime(n: int) -> bool:
    return bool(SIEVE[n]) if 0 <= n < len(SIEVE) else n >= 2 and bool(sympy.isprime(n))


class _max_str_digits:
    def __init__(self, limit: int) -> None:
        self.limit = limit

    def __enter__(self) -> None:
        self.old = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else None
        if self.old is not None:
            sys.set_int_max_str_digits(self.limit)

    def __exit__(self, *exc) -> None:
        if self.old is not None:
            sys.set_int_max_str_digits(self.old)


def _lines(numbers) -> str:
    return "".join(f"{n} is prime: {_is_prime(n)}\n" for n in numbers)


class Cli:
    """Runs the command with one implementation chosen through the environment."""

    def __init__(self, impl: str, command: List[str]) -> None:
        self.impl = impl
        self.command = command
        self.env = dict(os.environ)
        self.env.pop("FASTPRIME_PURE_PYTHON", None)
        if impl == "python":
            self.env["FASTPRIME_PURE_PYTHON"] = "1"

    def __call__(self, *args: str, stdin: Optional[str] = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            self.command + list(args),
            input=stdin,
            capture_output=True,
            text=True,
            env=self.env,
            timeout=TIMEOUT,
        )

    def popen(self, *args: str, **kwargs) -> subprocess.Popen:
        return subprocess.Popen(self.command + list(args), env=self.env, **kwargs)


@pytest.fixture(params=["python"] if PURE_ONLY else ["default", "python"])
def run(request) -> Cli:
    return Cli(request.param, SCRIPT)


def _ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def _assert_clean_error(result: subprocess.CompletedProcess, *needles: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr


# --- the main job and the numbers on the command line -------------------------------


def test_the_console_script_is_installed():
    # The README's first command runs `fastprime`; the fallback to `python -m` is only
    # for running these tests from a tree where the script is not installed.
    assert SCRIPT != MODULE, "the `fastprime` console script is not installed next to this Python"


def test_no_arguments_prints_the_docs_example(run):
    assert _ok(run()).splitlines() == DOCS_LINES


def test_python_dash_m_is_the_same_command(run):
    module = Cli(run.impl, MODULE)
    assert _ok(module()).splitlines() == DOCS_LINES
    assert _ok(module("--count", "97", "98", "2")) == "2\n"


def test_version_names_the_implementation(run):
    expected = "python" if run.impl == "python" else fastprime.implementation
    assert f"implementation: {expected}" in _ok(run("--version"))


def test_numbers_of_any_size(run):
    huge = 3 * 10**5000  # more digits than Python converts by default
    numbers = [-7, 0, 1, 2, 97, 1000, 2**61 - 1, 2**64 - 59, 2**64, 2**89 - 1, 2**128 + 1, huge, 2**521 - 1]
    with _max_str_digits(0):
        out = _ok(run(*map(str, numbers)))
        assert out == _lines(numbers)


def test_arguments_are_read_as_integers(run):
    out = _ok(run("+13", "007", "1_000", " 11 "))
    assert out == "13 is prime: True\n7 is prime: True\n1000 is prime: False\n11 is prime: True\n"


@pytest.mark.parametrize("bad", ["abc", "7.0", "2**5", "0x1f", ""])
def test_bad_argument_is_a_usage_error(run, bad):
    result = run("7", bad, "11")
    _assert_clean_error(result, repr(bad), "is not an integer")
    assert result.stdout == ""


def test_bench_must_come_first(run):
    _assert_clean_error(run("7", "bench"), "'bench' is a subcommand")


def test_options_mix_with_numbers(run):
    assert _ok(run("7", "--json", "8")).splitlines() == [
        '{"n": 7, "is_prime": true}',
        '{"n": 8, "is_prime": false}',
    ]


def test_json(run):
    numbers = [2, 15, 2**127 - 1, -3]
    rows = [json.loads(line) for line in _ok(run("--json", *map(str, numbers))).splitlines()]
    assert rows == [{"n": n, "is_prime": _is_prime(n)} for n in numbers]


def test_count(run):
    assert _ok(run("--count", "2", "3", "4", "2305843009213693951")) == "3\n"
    assert json.loads(_ok(run("--count", "--json", "4", "5"))) == {"count": 1, "total": 2}
    # With no numbers: the docs' six, five of them prime.
    assert _ok(run("--count")) == "5\n"


def test_only_primes(run):
    numbers = list(range(-5, 60)) + [2**64 + 13, 2**64 + 15]
    out = _ok(run("--only-primes", *map(str, numbers)))
    assert out == "".join(f"{n}\n" for n in numbers if _is_prime(n))
    out = _ok(run("--only-primes", "--json", "4", "5", "6", "7"))
    assert [json.loads(line) for line in out.splitlines()] == [
        {"n": 5, "is_prime": True},
        {"n": 7, "is_prime": True},
    ]
    assert _ok(run("--only-primes", "4", "6")) == ""


def test_next_and_prev(run):
    numbers = [-10, 0, 2, 10, 2**32, 2**64 - 1, 2**64, 2**127]
    out = _ok(run("--next", *map(str, numbers)))
    assert out == "".join(f"{sympy.nextprime(max(n, 1))}\n" for n in numbers)
    numbers = [3, 4, 10, 2**32, 2**64 + 20, 2**127]
    out = _ok(run("--prev", *map(str, numbers)))
    assert out == "".join(f"{sympy.prevprime(n)}\n" for n in numbers)
    rows = [json.loads(line) for line in _ok(run("--next", "--json", "14")).splitlines()]
    assert rows == [{"n": 14, "next_prime": 17}]
    rows = [json.loads(line) for line in _ok(run("--prev", "--json", "14")).splitlines()]
    assert rows == [{"n": 14, "prev_prime": 13}]


def test_prev_of_two_is_a_usage_error(run):
    result = run("--prev", "10", "2")
    _assert_clean_error(result, "'2' has no prime below it")
    assert result.stdout == ""


@pytest.mark.parametrize(
    "args, message",
    [
        (["--workers", "0"], "must be at least 1"),
        (["--backend", "gpu"], "invalid choice"),
        (["--count", "--next"], "not allowed with"),
        (["--file", "x", "7"], "not both"),
        (["-", "7"], "cannot be combined"),
        (["--frobnicate"], "unrecognized arguments"),
    ],
)
def test_usage_errors(run, args, message):
    _assert_clean_error(run(*args), message)


def test_workers_and_backends_give_the_same_answers(run):
    numbers = [str(n) for n in (1, 2, 91, 97, 2**64 + 13, 2**89 - 1)]
    expected = _lines(map(int, numbers))
    for options in (["--workers", "1"], ["--backend", "thread", "-w", "2"], ["--backend", "process", "-w", "2"]):
        assert _ok(run(*options, *numbers)) == expected, options


def test_help_explains_everything():
    out = _ok(Cli("default", SCRIPT)("--help"))
    for needle in (
        "fastprime bench",
        "--file",
        "--only-primes",
        "--count",
        "--next",
        "--prev",
        "--json",
        "--workers",
        "--backend",
        "--quiet",
        "exit status",
        "examples:",
        "'#' comments",
        "FASTPRIME_PURE_PYTHON",
    ):
        assert needle in out, needle


# --- standard input and files ---------------------------------------------------------


def test_stdin_skips_blanks_and_comments(run):
    text = "# primes and not\n7\n\n  11  \r\n12 # twelve\n\t\n007\n+13\n-5\n1_000\n# end"
    out = _ok(run("-", stdin=text))
    assert out == _lines([7, 11, 12, 7, 13, -5, 1000])


def test_stdin_without_final_newline_and_empty_input(run):
    assert _ok(run("-", stdin="4\n5")) == _lines([4, 5])
    assert _ok(run("-", stdin="")) == ""
    assert _ok(run("--count", "-", stdin="")) == "0\n"


def test_file_of_many_lines(run, tmp_path):
    # Numbers around 10**12 (14 bytes a line): the file spans two 1 MiB blocks.
    start = 10**12
    numbers = list(range(start, start + 90_000))
    path = tmp_path / "numbers.txt"
    path.write_text("".join(f"{n}\n" for n in numbers))
    expected = [n for n in numbers if sympy.isprime(n)]
    assert _ok(run("--file", str(path), "--only-primes")) == "".join(f"{n}\n" for n in expected)
    assert _ok(run("--count", "--file", str(path))) == f"{len(expected)}\n"
    out = _ok(run("--file", str(path), "--json")).splitlines()
    assert len(out) == len(numbers)
    assert json.loads(out[-1]) == {"n": numbers[-1], "is_prime": numbers[-1] in expected}


def test_file_of_small_numbers_matches_a_sieve(run, tmp_path):
    numbers = list(range(300_000))
    random.Random(6).shuffle(numbers)
    path = tmp_path / "shuffled.txt"
    path.write_text("".join(f"{n}\n" for n in numbers))
    out = _ok(run("--file", str(path)))
    assert out == _lines(numbers)


def test_file_with_big_numbers(run, tmp_path):
    rng = random.Random(7)
    numbers = [rng.getrandbits(bits) | 1 for bits in (70, 128, 300, 1000) for _ in range(40)]
    numbers += [sympy.nextprime(rng.getrandbits(200)) for _ in range(10)]
    path = tmp_path / "big.txt"
    path.write_text("\n".join(map(str, numbers)) + "\n")
    assert _ok(run("--file", str(path))) == _lines(numbers)


def test_file_mixing_plain_blocks_with_others(run, tmp_path):
    # Blocks of plain 64-bit numbers take a different road (the C scanner)
    # from blocks with comments, signs or numbers >= 2**64: the output must not show it.
    rng = random.Random(8)
    parts, numbers = [], []
    for kind in ("plain", "big", "plain", "comments", "plain"):
        chunk = [rng.getrandbits(64) for _ in range(60_000)] if kind == "plain" else []
        if kind == "big":
            chunk = [rng.getrandbits(rng.choice([65, 100, 200])) for _ in range(300)] + [2**64 - 59, 2**64 - 1]
        if kind == "comments":
            chunk = [rng.randrange(300_000) for _ in range(2000)]
            parts.append("".join(f"  {n}  # comment\n\n" for n in chunk))
        else:
            parts.append("".join(f"{n}\n" for n in chunk))
        numbers += chunk
    path = tmp_path / "mixed.txt"
    path.write_text("".join(parts))
    expected = [n for n in numbers if _is_prime(n)]
    assert _ok(run("--file", str(path), "--only-primes")) == "".join(f"{n}\n" for n in expected)
    assert _ok(run("--file", str(path), "--count")) == f"{len(expected)}\n"


def test_bad_line_stops_after_printing_the_lines_before_it(run):
    result = run("-", stdin="7\n11\n\n# fine\nabc\n13\n")
    _assert_clean_error(result, "line 5: 'abc' is not an integer")
    assert result.stdout == _lines([7, 11])


def test_bad_line_deep_in_a_long_file(run, tmp_path):
    # The bad line sits past the first 1 MiB block: every result before it is printed
    # (several blocks' worth, through the executor), none after.
    good = list(range(10**9, 10**9 + 150_000))
    path = tmp_path / "bad.txt"
    path.write_text("".join(f"{n}\n" for n in good) + "10**9\n" + "".join(f"{n}\n" for n in range(1000)))
    result = run("--file", str(path), "--only-primes")
    _assert_clean_error(result, f"line {len(good) + 1}: '10**9' is not an integer", str(path))
    assert result.stdout == "".join(f"{n}\n" for n in good if sympy.isprime(n))


def test_prev_below_three_in_a_stream(run):
    result = run("--prev", "-", stdin="10\n100\n1\n50\n")
    _assert_clean_error(result, "line 3: '1' has no prime below it")
    assert result.stdout == "7\n97\n"


def test_next_prev_streamed(run):
    numbers = list(range(3, 3000, 7)) + [2**64 - 100, 2**64 + 100]
    stdin = "".join(f"{n}\n" for n in numbers)
    assert _ok(run("--next", "-", stdin=stdin)) == "".join(f"{sympy.nextprime(n)}\n" for n in numbers)
    assert _ok(run("--prev", "-", stdin=stdin)) == "".join(f"{sympy.prevprime(n)}\n" for n in numbers)


def test_missing_file(run, tmp_path):
    missing = tmp_path / "no-such-file.txt"
    result = run("--file", str(missing))
    _assert_clean_error(result, str(missing), "No such file or directory")
    assert result.stdout == ""


def test_directory_is_not_a_file(run, tmp_path):
    _assert_clean_error(run("--file", str(tmp_path)), str(tmp_path))


def test_no_progress_bar_when_stderr_is_not_a_terminal(run, tmp_path):
    path = tmp_path / "n.txt"
    path.write_text("".join(f"{n}\n" for n in range(50_000)))
    result = run("--file", str(path), "--count")
    assert result.stderr == "" and result.stdout == f"{sum(SIEVE[:50_000])}\n"


# --- signals and pipes ----------------------------------------------------------------


def _endless_input(proc: subprocess.Popen) -> None:
    """Feed numbers for as long as the command reads them.

    From a thread: the command stops reading while its output is not read (and the
    executor reads ahead a bounded window before the first result), so this blocks
    and resumes with it, and stops when the command is gone.
    """
    block = b"".join(b"%d\n" % n for n in range(10**12, 10**12 + 50_000))

    def feed() -> None:
        try:
            while True:
                proc.stdin.write(block)
                proc.stdin.flush()
        except (BrokenPipeError, ValueError, OSError):
            pass  # the command is gone, as the test wanted

    threading.Thread(target=feed, daemon=True).start()


class _Watchdog:
    """Kills the command's whole process group if it outlives the test's patience.

    A hang then fails the test instead of stalling the suite; the group matters, as
    a worker process left behind would keep the output pipe open.  ``fired`` says
    whether patience ran out; ``leftovers`` whether any process of the group was
    still alive after the command exited.  Start the command with
    ``start_new_session=True``.
    """

    def __init__(self, proc: subprocess.Popen, patience: float = TIMEOUT) -> None:
        self.proc = proc
        self.fired = False
        self.leftovers = False
        self.timer = threading.Timer(patience, self._fire)

    def _fire(self) -> None:
        self.fired = True
        self._kill_group()

    def _kill_group(self) -> bool:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            return False
        return True

    def __enter__(self) -> "_Watchdog":
        self.timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self.timer.cancel()
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.leftovers = self._kill_group()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and process groups")
@pytest.mark.parametrize("mode", [[], ["--next"]])
def test_ctrl_c_exits_130_without_traceback(run, mode):
    # A terminal's Ctrl-C signals the whole foreground process group: the command
    # and any worker processes (next_prime holds the GIL, so on threads the executor
    # sends it to helper processes).  Simulate that with a new session and killpg.
    # Stopping takes well under a second; the watchdog only catches a hang, such as a
    # helper process left behind holding the output pipe open.  Where a worker could
    # take the signal, the failure depended on timing (4 runs in 10): three tries.
    pipes = dict(stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    for _ in range(3):
        proc = run.popen("-", *mode, start_new_session=True, **pipes)
        with _Watchdog(proc, patience=60) as dog:
            _endless_input(proc)
            assert proc.stdout.readline()  # it is running
            os.killpg(proc.pid, signal.SIGINT)
            proc.stdout.read()  # whatever it printed before stopping, to the end
            err = proc.stderr.read()
            proc.wait()
        assert not dog.fired and not dog.leftovers
        assert proc.returncode == 130
        assert b"Traceback" not in err and b"KeyboardInterrupt" not in err, err.decode()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX pipes")
def test_closed_output_pipe_exits_quietly(run):
    pipes = dict(stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc = run.popen("-", start_new_session=True, **pipes)
    with _Watchdog(proc, patience=60) as dog:
        _endless_input(proc)
        assert proc.stdout.readline()
        proc.stdout.close()  # like `| head -1` exiting
        err = proc.stderr.read()
        proc.wait()
    assert not dog.fired and not dog.leftovers
    assert proc.returncode == cli.EXIT_BROKEN_PIPE
    assert err == b"", err.decode()


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_terminal_input_is_answered_line_by_line(run):
    master, slave = os.openpty()
    proc = run.popen("-", stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    os.close(slave)
    try:
        with _Watchdog(proc) as dog:
            os.write(master, b"97\n")
            # Answered before any more input arrives (a pipe would wait for a full block).
            assert proc.stdout.readline() == b"97 is prime: True\n"
            os.write(master, b"# comment\n100\n")
            assert proc.stdout.readline() == b"100 is prime: False\n"
            os.write(master, b"\x04")  # Ctrl-D: end of input
            out, err = proc.stdout.read(), proc.stderr.read()
            proc.wait()
    finally:
        os.close(master)
    assert not dog.fired and not dog.leftovers
    assert (proc.returncode, out, err) == (0, b"", b"")


# --- fastprime bench --------------------------------------------------------------------


def test_bench_prints_a_side_by_side_table(run):
    out = _ok(run("bench", "--quick"))
    assert "trial division" in out
    assert "random odd 64-bit" in out and "docs' PRIMES" in out
    for module, column in (("gmpy2", "gmpy2"), ("sympy", "sympy"), ("flint", "python-flint")):
        try:
            __import__(module)
        except ImportError:
            continue
        assert column in out, column
    assert re.search(r"\d x\b|\dx\b", out)  # the ratios
    assert "disagree" not in out


def test_bench_help():
    out = _ok(Cli("default", SCRIPT)("bench", "--help"))
    assert "--quick" in out and "--repeat" in out


# --- a file where only some blocks need Python (in-process scanner checks: test_cli_in_process.py)


def test_file_where_only_some_blocks_need_python(run, tmp_path):
    # Blocks of 2**20 bytes: a number >= 2**64 and an underscore deep in the file send
    # just their blocks down the Python road; a bad line after them stops the run there.
    rng = random.Random(11)
    numbers = [rng.getrandbits(64) for _ in range(200_000)]
    numbers[70_000] = 2**64 + 13
    lines = [b"%d" % n for n in numbers]
    lines[150_000] = b"1_000"
    numbers[150_000] = 1000
    path = tmp_path / "mixed.txt"
    path.write_bytes(b"\n".join(lines) + b"\n")
    expected = [n for n in numbers if _is_prime(n)]
    assert _ok(run("--file", str(path), "--count")) == f"{len(expected)}\n"
    assert _ok(run("--file", str(path), "--only-primes")) == "".join(f"{n}\n" for n in expected)
    path.write_bytes(b"\n".join(lines[:190_000] + [b"oops"] + lines[190_000:]) + b"\n")
    result = run("--file", str(path))
    _assert_clean_error(result, "line 190001: 'oops' is not an integer")
    assert result.stdout == _lines(numbers[:190_000])
