"""``fastprime primes START [STOP]`` (issue 13's command line), run as users run it.

Every subprocess test runs with the default implementation and with
``FASTPRIME_PURE_PYTHON=1`` (only the latter when the whole session is the pure run);
ranges stay small enough for the pure sieve.  Expected primes come from a sieve or
sympy, and from ``fastprime.primes`` (the library function the command streams).
In-process checks of the bound syntax and the numpy formatting are at the end.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
import sympy
from conftest import PURE_ONLY, sieve
from test_cli import SCRIPT, Cli, _assert_clean_error, _ok, _Watchdog

import fastprime
from fastprime import cli
from fastprime.cli.options import Usage
from fastprime.cli.ranges import format_primes, parse_bound, windows

LIMIT = 3_000_000  # crosses the pure engine's 2**21-number windows
SIEVE = sieve(LIMIT)
PI_LIMIT = 216_816  # pi(3 * 10**6)


def _primes(start: int, stop: int) -> list:
    return [n for n in range(max(start, 0), min(stop, LIMIT)) if SIEVE[n]]


def _text(numbers) -> str:
    return "".join(f"{n}\n" for n in numbers)


@pytest.fixture(params=["python"] if PURE_ONLY else ["default", "python"])
def run(request) -> Cli:
    return Cli(request.param, SCRIPT)


# --- output ---------------------------------------------------------------------------


@pytest.mark.parametrize("bounds", [(100,), (0, 100), (90, 97), (90, 98), (2, 3), (0, 2), (1_000_000, 1_010_000)])
def test_lists_the_primes_of_the_range(run, bounds):
    expected = fastprime.primes(*bounds)
    assert expected == _primes(*((0,) + bounds if len(bounds) == 1 else bounds))
    assert _ok(run("primes", *map(str, bounds))) == _text(expected)


def test_a_range_of_several_windows(run):
    out = _ok(run("primes", str(LIMIT)))
    assert out == _text(_primes(0, LIMIT))
    assert _ok(run("primes", "--count", str(LIMIT))) == f"{PI_LIMIT}\n"
    # Windows of every size agree; a window boundary inside the range changes nothing.
    assert _ok(run("primes", "--workers", "1", "2097000", "2098000")) == _text(_primes(2_097_000, 2_098_000))


def test_count(run):
    assert _ok(run("primes", "--count", "1e6")) == "78498\n"
    assert _ok(run("primes", "-c", "10", "20")) == "4\n"
    assert json.loads(_ok(run("primes", "--count", "--json", "100"))) == {"count": 25, "total": 100}
    # total: the numbers in the range, negative ones included (as `seq -5 99 | fastprime - --count`).
    assert json.loads(_ok(run("primes", "--count", "--json", "-5", "100"))) == {"count": 25, "total": 105}


def test_json_lines_are_those_of_only_primes(run):
    rows = [json.loads(line) for line in _ok(run("primes", "--json", "50", "100")).splitlines()]
    assert rows == [{"n": p, "is_prime": True} for p in _primes(50, 100)]
    # The same bytes as the file path prints for the same numbers.
    stdin = _text(range(50, 100))
    assert _ok(run("primes", "--json", "50", "100")) == _ok(run("-", "--only-primes", "--json", stdin=stdin))
    assert _ok(run("primes", "50", "100")) == _ok(run("-", "--only-primes", stdin=stdin))


def test_empty_reversed_and_negative_ranges(run):
    assert _ok(run("primes", "100", "100")) == ""
    assert _ok(run("primes", "100", "10")) == ""
    assert _ok(run("primes", "0")) == ""
    assert _ok(run("primes", "-50")) == ""
    assert _ok(run("primes", "-100", "12")) == "2\n3\n5\n7\n11\n"
    assert _ok(run("primes", "--count", "100", "10")) == "0\n"
    assert json.loads(_ok(run("primes", "--count", "--json", "100", "10"))) == {"count": 0, "total": 0}


@pytest.mark.parametrize(
    "start, stop, expected",
    [
        ("1e3", "1.1e3", (1000, 1100)),
        ("1_000", "1E3+100", (1000, 1100)),
        ("0", "2^7", (0, 128)),
        ("10**2", "2**7", (100, 128)),
        ("1.5e2", "2.0e2", (150, 200)),
        ("-1e2", "1e2", (-100, 100)),
    ],
)
def test_bounds_in_scientific_and_power_notation(run, start, stop, expected):
    assert _ok(run("primes", "--", start, stop)) == _text(_primes(*expected))


@pytest.mark.parametrize("bad", ["1.5", "1e-3", "abc", "2**-1", "1e", "1..5", "0x10", "", "5 5", "2***3"])
def test_bad_bounds_are_a_one_line_usage_error(run, bad):
    result = run("primes", "10", bad)
    _assert_clean_error(result, "fastprime: error: STOP", repr(bad), "is not a whole number")
    assert result.stdout == "" and len(result.stderr.splitlines()) == 1


def test_absurd_bounds_are_refused(run):
    for text in ("2**100000000", "1e1000000"):
        result = run("primes", text)
        _assert_clean_error(result, "too large")


def test_usage_errors(run):
    _assert_clean_error(run("primes"), "STOP")  # argparse: a bound is required
    _assert_clean_error(run("primes", "1", "2", "3"), "unrecognized arguments")
    _assert_clean_error(run("primes", "--workers", "0", "10"), "must be at least 1")
    _assert_clean_error(run("7", "primes"), "'primes' is a subcommand")


def test_workers_and_backends_give_the_same_output(run):
    expected = _text(_primes(100_000, 130_000))
    for options in (["-w", "1"], ["-w", "2", "--backend", "thread"], ["-w", "2", "--backend", "process"]):
        assert _ok(run("primes", *options, "100000", "130000")) == expected, options


def test_a_range_across_two_to_the_64(run):
    lo, hi = 2**64 - 400, 2**64 + 400
    expected = list(sympy.primerange(lo, hi))
    assert fastprime.primes(lo, hi) == expected
    assert _ok(run("primes", str(lo), str(hi))) == _text(expected)
    assert _ok(run("primes", "2**64-400", "2**64+400")) == _text(expected)
    assert _ok(run("primes", "--count", str(lo), str(hi))) == f"{len(expected)}\n"
    rows = [json.loads(line) for line in _ok(run("primes", "--json", str(2**64), str(hi))).splitlines()]
    assert rows == [{"n": p, "is_prime": True} for p in expected if p > 2**64]


def test_a_range_of_big_numbers(run):
    lo = 10**30
    expected = list(sympy.primerange(lo, lo + 1000))
    assert _ok(run("primes", "1e30", "1e30+1000")) == _text(expected)


def test_help():
    out = _ok(Cli("default", SCRIPT)("primes", "--help"))
    for needle in ("START", "STOP", "--count", "--json", "--workers", "--scheduler", "--quiet", "1e10", "2**64", '"total"'):
        assert needle in out, needle
    assert "fastprime primes" in _ok(Cli("default", SCRIPT)("--help"))


# --- signals and pipes ----------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX pipes")
def test_closed_output_pipe_exits_quietly(run):
    # `fastprime primes 1e12 | head -1`: the run would take hours; head leaves at once.
    pipes = dict(stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc = run.popen("primes", "1e12", start_new_session=True, **pipes)
    with _Watchdog(proc, patience=60) as dog:
        assert proc.stdout.readline() == b"2\n"
        proc.stdout.close()
        err = proc.stderr.read()
        proc.wait()
    assert not dog.fired and not dog.leftovers
    assert proc.returncode == cli.EXIT_BROKEN_PIPE
    assert err == b"", err.decode()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX pipes")
def test_head_in_a_shell_pipeline(run):
    result = subprocess.run(
        " ".join(SCRIPT) + " primes 1e12 | head -3; echo status ${PIPESTATUS[0]}",
        shell=True, executable="/bin/bash", capture_output=True, text=True, env=run.env, timeout=60,
    )
    assert result.stdout == "2\n3\n5\nstatus 141\n"
    assert result.stderr == ""


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and process groups")
@pytest.mark.parametrize("mode", [[], ["--count"]])
def test_ctrl_c_exits_130_without_traceback(run, mode):
    pipes = dict(stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    for _ in range(3):  # as test_cli's: a signal landing on a worker was timing-dependent
        proc = run.popen("primes", *mode, "1e12", "1e15", start_new_session=True, **pipes)
        with _Watchdog(proc, patience=60) as dog:
            if mode:
                time.sleep(1.5)  # counting prints nothing until the end: let it start
            else:
                assert proc.stdout.readline()  # it is running
            os.killpg(proc.pid, signal.SIGINT)
            proc.stdout.read()
            err = proc.stderr.read()
            proc.wait()
        assert not dog.fired and not dog.leftovers
        assert proc.returncode == 130
        assert b"Traceback" not in err and b"KeyboardInterrupt" not in err, err.decode()


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_output_error_is_one_line(run):
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            SCRIPT + ["primes", "1e6"], stdout=full, stderr=subprocess.PIPE, text=True, env=run.env, timeout=60
        )
    assert result.returncode == 1
    assert result.stderr.startswith("fastprime: error: cannot write the output:")
    assert len(result.stderr.splitlines()) == 1


# --- in-process: the bounds, the windows and the formatting ---------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("97", 97), ("-5", -5), ("+7", 7), ("1_000", 1000), (" 12 ", 12), ("1e10", 10**10), ("1E3", 1000),
        ("1.5e6", 1_500_000), ("2.0", 2), ("150e-1", 15), ("2**64", 2**64), ("2^64", 2**64),
        ("2**64+1", 2**64 + 1), ("2**64 - 100", 2**64 - 100), ("1e12+7", 10**12 + 7), ("-1e3", -1000),
        ("10**20", 10**20), ("1e30", 10**30), ("0**0", 1),
    ],
)
def test_parse_bound(text, value):
    assert parse_bound("STOP", text) == value


@pytest.mark.parametrize("text", ["1.5", "1e-3", ".5", "abc", "1e", "2**", "**2", "2 3", "2**-1", "1+", "nan", "inf", "1.5**2"])
def test_parse_bound_refuses(text):
    with pytest.raises(Usage, match="is not a whole number"):
        parse_bound("STOP", text)


def test_windows_cover_the_range_once_and_never_cross_two_to_the_64():
    for lo, hi, listing in [(0, 10**8, True), (5, 10**9 + 7, False), (2**64 - 10**7, 2**64 + 10**6, True), (3, 4, True)]:
        parts = list(windows(lo, hi, listing))
        assert parts[0][0] == lo and parts[-1][1] == hi
        assert all(a < b for a, b in parts)
        assert all(b == c for (_, b), (c, _) in zip(parts, parts[1:]))
        assert not any(a < 2**64 < b for a, b in parts)


def test_format_primes_at_every_digit_count():
    np = pytest.importorskip("numpy")
    values = sorted({p for k in range(1, 20) for p in (10**k - 1, 10**k, 10**k + 1)} | {1, 2, 3, 2**64 - 59, 2**64 - 1})
    array = np.array(values, dtype=np.uint64)
    assert bytes(format_primes(array)) == b"".join(b"%d\n" % v for v in values)
    assert bytes(format_primes(array, True)) == b"".join(b'{"n": %d, "is_prime": true}\n' % v for v in values)
    assert format_primes(np.zeros(0, dtype=np.uint64)) == b""
    primes = fastprime.primes_array(10**6 - 1000, 10**6 + 1000)
    assert bytes(format_primes(primes)) == _text(primes.tolist()).encode()


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_progress_bar_on_a_terminal_stderr(run):
    # stdout to a pipe, stderr a terminal: the bar (numbers of the range) shows there.
    import fcntl
    import struct
    import termios

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a new pty has 0 columns
    # A count long enough for the bar's half-second delay on either engine (the compiled
    # sieve counts 10**12 in ~2 minutes), stopped with Ctrl-C once the bar has been seen.
    proc = run.popen("primes", "--count", "1e12", stdout=subprocess.PIPE, stderr=slave, start_new_session=True)
    os.close(slave)
    chunks = []

    def drain() -> None:  # as the terminal would, while the command runs
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the terminal's other end is closed
                return
            if not chunk:
                return
            chunks.append(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        with _Watchdog(proc) as dog:
            deadline = time.monotonic() + 60
            while b"numbers" not in b"".join(chunks) and time.monotonic() < deadline and proc.poll() is None:
                time.sleep(0.05)
            os.killpg(proc.pid, signal.SIGINT)
            out = proc.stdout.read()
            proc.wait()
        reader.join(timeout=10)
    finally:
        os.close(master)
    seen = b"".join(chunks)
    assert not dog.fired
    assert (proc.returncode, out) == (130, b"")
    assert b"numbers" in seen and b"fastprime" in seen, seen[-500:]
    _ok(run("primes", "--count", "--quiet", "100"))


def test_main_in_process_on_a_text_stdout(capsys):
    # An embedding host's sys.stdout may be text-only: the numpy text goes through it too.
    assert cli.main(["primes", "30"]) == cli.EXIT_OK
    assert cli.main(["primes", "--json", "2**64", "2**64+60"]) == cli.EXIT_OK
    assert cli.main(["primes", "--count", "1e4"]) == cli.EXIT_OK
    assert cli.main(["primes", "1e3", "1e-3"]) == cli.EXIT_USAGE
    captured = capsys.readouterr()
    assert captured.out == (
        "2\n3\n5\n7\n11\n13\n17\n19\n23\n29\n"
        '{"n": 18446744073709551629, "is_prime": true}\n{"n": 18446744073709551653, "is_prime": true}\n'
        '{"n": 18446744073709551667, "is_prime": true}\n'
        "1229\n"
    )
    assert captured.err == "fastprime: error: STOP '1e-3' is not a whole number (write a whole number such as 1000, 1e9, 1.5e6, 2**64 or 2**64+100)\n"
