"""Issue 12's command-line items, each failing on a85fbb6: one rule for Unicode digits
on every input path (4), output errors as one-line errors (7), and several --file
inputs read in order (8).

Every subprocess test runs with the default implementation and with
``FASTPRIME_PURE_PYTHON=1`` (only the latter when the whole session is the pure run).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from typing import List, Optional

import pytest
from conftest import PURE_ONLY

from fastprime.cli.reading import parse_body, parse_line

TIMEOUT = 120


def _script() -> List[str]:
    found = shutil.which("fastprime", path=sysconfig.get_path("scripts"))
    return [found] if found else [sys.executable, "-m", "fastprime"]


class Cli:
    def __init__(self, impl: str) -> None:
        self.env = dict(os.environ)
        self.env.pop("FASTPRIME_PURE_PYTHON", None)
        if impl == "python":
            self.env["FASTPRIME_PURE_PYTHON"] = "1"

    def __call__(self, *args: str, stdin: Optional[str] = None, stdout=subprocess.PIPE) -> subprocess.CompletedProcess:
        return subprocess.run(
            _script() + list(args),
            input=None if stdin is None else stdin.encode("utf-8"),
            stdin=None if stdin is not None else subprocess.DEVNULL,
            stdout=stdout,
            stderr=subprocess.PIPE,
            env=self.env,
            timeout=TIMEOUT,
        )


@pytest.fixture(params=["python"] if PURE_ONLY else ["default", "python"])
def run(request) -> Cli:
    return Cli(request.param)


def _ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    return result.stdout.decode("utf-8")


def _error(result: subprocess.CompletedProcess, status: int) -> str:
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == status, (result.returncode, err)
    assert "Traceback" not in err
    assert err.startswith("fastprime: error: ") and err.count("\n") == 1, err
    return err


# --- 4. Unicode digits: what int() accepts as text, on every path ---------------------

ARABIC_123 = "\u0661\u0662\u0663"  # ١٢٣
ARABIC_7 = "\u0667"
FULLWIDTH_101 = "\uff11\uff10\uff11"  # １０１
DEVANAGARI_97 = "\u096f\u096d"  # ९७
MIXED_13 = "1\u0663"  # an ASCII 1 and an Arabic-Indic 3: int() takes mixed scripts
UNICODE_TEXTS = [ARABIC_123, ARABIC_7, FULLWIDTH_101, DEVANAGARI_97, MIXED_13, "-\u0665", "\u0661_\u0660\u0660\u0669"]
UNICODE_VALUES = [123, 7, 101, 97, 13, -5, 1009]
EXPECTED_LINES = "".join(
    f"{n} is prime: {p}\n" for n, p in zip(UNICODE_VALUES, [False, True, True, True, True, False, True])
)


def test_unicode_digits_as_arguments(run):
    assert _ok(run(*UNICODE_TEXTS)) == EXPECTED_LINES


def test_unicode_digits_on_stdin_as_on_the_command_line(run):
    stdin = "\n".join(UNICODE_TEXTS) + "\n"
    assert _ok(run("-", stdin=stdin)) == EXPECTED_LINES
    assert _ok(run("-", "--only-primes", stdin=stdin)) == "7\n101\n97\n13\n1009\n"
    assert _ok(run("-", "--count", "--json", stdin=stdin)) == '{"count": 5, "total": 7}\n'
    assert _ok(run("-", "--next", stdin=f"{ARABIC_123}\n")) == "127\n"
    assert _ok(run("-", "--prev", "--json", stdin=f"{FULLWIDTH_101}\n")) == '{"n": 101, "prev_prime": 97}\n'


def test_unicode_digits_with_whitespace_and_comments(run):
    stdin = f"  {ARABIC_7}  # seven\n\u00a0{FULLWIDTH_101}\u3000\n# {ARABIC_123}\n\n"
    assert _ok(run("-", stdin=stdin)) == "7 is prime: True\n101 is prime: True\n"
    assert _ok(run(f"\u00a0{ARABIC_7}\u3000")) == "7 is prime: True\n"


def test_unicode_digits_deep_in_a_file(run, tmp_path):
    # ASCII blocks (the compiled scanner's) around one block that it hands to Python.
    numbers = list(range(1, 300_001))
    lines = [str(n) for n in numbers]
    lines[200_000] = "".join(chr(0x0660 + int(d)) for d in lines[200_000])
    path = tmp_path / "numbers.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    count = int(_ok(run("--file", str(path), "--count")))
    assert count == 25997  # primes up to 300,000
    out = _ok(run("--file", str(path))).splitlines()
    assert len(out) == len(numbers)
    assert out[200_000] == "200001 is prime: False"
    assert out[199_999] == "200000 is prime: False" and out[200_002] == "200003 is prime: True"


def test_bad_unicode_lines_are_still_bad_lines(run, tmp_path):
    err = _error(run("-", stdin=f"7\n{ARABIC_123}x\n11\n"), 2)
    assert "<stdin>, line 2:" in err and "is not an integer" in err
    path = tmp_path / "latin1.txt"
    path.write_bytes(b"7\n\xb3\n11\n")  # not UTF-8
    err = _error(run("--file", str(path)), 2)
    assert f"{path}, line 2:" in err and "is not an integer" in err
    result = run(f"{ARABIC_123}x")  # argparse's usage error: the usage, then the error line
    assert result.returncode == 2 and "is not an integer" in result.stderr.decode()


def test_parse_line_follows_int_on_text():
    for text, value in zip(UNICODE_TEXTS, UNICODE_VALUES):
        assert parse_line(text.encode("utf-8")) == int(text) == value
        assert parse_line((text + "  # note\r\n").encode("utf-8")) == value
    assert parse_line("\u00a0\u3000".encode("utf-8")) is None  # Unicode whitespace only: blank
    for bad in (b"\xd9", "\u0661x".encode("utf-8"), "\u00bd".encode("utf-8")):  # cut UTF-8, junk, ½
        with pytest.raises(ValueError):
            parse_line(bad)
    block, bad, lines = parse_body("\n".join(UNICODE_TEXTS).encode("utf-8"), 0)
    assert (list(block.numbers), bad, lines) == (UNICODE_VALUES, None, len(UNICODE_TEXTS))
    assert block.text is None  # never echoed: printed back from the values, in ASCII


@pytest.mark.compiled
def test_scanner_leaves_unicode_digits_to_python():
    from fastprime import _cfastprime

    body = f"7\n{ARABIC_123}\n11".encode("utf-8")
    assert _cfastprime.scan_lines(body, _cfastprime.OUT_LINES) is None


# --- 7. output errors ---------------------------------------------------------------

needs_dev_full = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
FULL = "fastprime: error: cannot write the output: No space left on device\n"


@needs_dev_full
@pytest.mark.parametrize(
    "args",
    [["7"], ["--json", "5", "6"], ["--count", "7"], ["--version"], []],
    ids=["number", "json", "count", "version", "docs-example"],
)
def test_output_error_is_a_one_line_error(run, args):
    with open("/dev/full", "wb") as full:
        result = run(*args, stdout=full)
    _error(result, 1)
    assert result.stderr.decode() == FULL


@needs_dev_full
@pytest.mark.parametrize("args", [["--file", "F"], ["--file", "F", "--only-primes"], ["--file", "F", "--next"]])
def test_streamed_output_error_is_a_one_line_error(run, tmp_path, args):
    path = tmp_path / "numbers.txt"
    path.write_text("".join(f"{n}\n" for n in range(1, 200_001)))
    with open("/dev/full", "wb") as full:
        result = run(*[str(path) if a == "F" else a for a in args], stdout=full)
    _error(result, 1)
    assert result.stderr.decode() == FULL


@needs_dev_full
def test_stdin_output_error_is_a_one_line_error(run):
    with open("/dev/full", "wb") as full:
        result = run("-", stdin="7\n11\n", stdout=full)
    assert result.stderr.decode() == FULL and result.returncode == 1


@pytest.mark.skipif(shutil.which("sh") is None, reason="needs a POSIX shell")
def test_closed_stdout_is_a_one_line_error(run):
    result = subprocess.run(
        ["sh", "-c", 'exec "$@" >&-', "sh", *_script(), "7"],
        stderr=subprocess.PIPE, env=run.env, timeout=TIMEOUT,
    )
    assert _error(result, 1) == "fastprime: error: cannot write the output: standard output is closed\n"


# --- 8. several --file inputs, in order ---------------------------------------------


def _files(tmp_path, **contents: str):
    paths = {}
    for name, text in contents.items():
        paths[name] = tmp_path / f"{name}.txt"
        paths[name].write_text(text)
    return paths


def test_several_files_are_read_in_order(run, tmp_path):
    f = _files(tmp_path, a="3\n4\n", b="5\n# c\n6\n", c="7")
    out = _ok(run("--file", str(f["a"]), "-f", str(f["b"]), "--file", str(f["c"])))
    assert out == "".join(f"{n} is prime: {n in (3, 5, 7)}\n" for n in (3, 4, 5, 6, 7))
    assert _ok(run("--file", str(f["c"]), "--file", str(f["a"]), "--only-primes")) == "7\n3\n"
    assert _ok(run("--file", str(f["a"]), "--file", str(f["a"]), "--count")) == "2\n"
    assert _ok(run("--file", str(f["a"]), "--file", str(f["b"]), "--count", "--json")) == '{"count": 2, "total": 4}\n'


def test_stdin_among_the_files(run, tmp_path):
    f = _files(tmp_path, a="3\n", b="11\n")
    out = _ok(run("--file", str(f["a"]), "--file", "-", "--file", str(f["b"]), "--next", stdin="7\n8\n"))
    assert out == "5\n11\n11\n13\n"


def test_bad_line_names_its_file_and_line(run, tmp_path):
    f = _files(tmp_path, a="3\n4\nx\n", b="5\n6\n7\nbad\n8\n")
    result = run("--file", str(f["a"]), "--file", str(f["b"]))
    assert "line 3: 'x'" in _error(result, 2) and str(f["a"]) in result.stderr.decode()
    assert result.stdout.decode() == "3 is prime: True\n4 is prime: False\n"  # b is never read
    f = _files(tmp_path, a="3\n4\n", b="5\n6\n7\nbad\n8\n")
    result = run("--file", str(f["a"]), "--file", str(f["b"]))
    err = _error(result, 2)
    assert f"{f['b']}, line 4: 'bad' is not an integer" in err
    assert result.stdout.decode().splitlines()[-1] == "7 is prime: True"
    result = run("--file", str(f["a"]), "--file", "-", "--prev", stdin="5\n2\n")
    assert "<stdin>, line 2: '2' has no prime below it" in _error(result, 2)


def test_missing_later_file_is_refused_before_any_work(run, tmp_path):
    f = _files(tmp_path, a="3\n")
    missing = tmp_path / "missing.txt"
    result = run("--file", str(f["a"]), "--file", str(missing))
    assert repr(str(missing)) in _error(result, 2) and "cannot open" in result.stderr.decode()
    assert result.stdout == b""
    result = run("--file", str(missing), "--file", str(f["a"]))
    assert repr(str(missing)) in _error(result, 2) and result.stdout == b""


def test_dash_argument_still_excludes_files(run, tmp_path):
    f = _files(tmp_path, a="3\n")
    result = run("-", "--file", str(f["a"]), stdin="5\n")
    assert result.returncode == 2 and b"cannot be combined" in result.stderr
