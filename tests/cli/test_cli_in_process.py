"""The command's parts in-process: the reader, the progress decision, ``main`` on a
text stdout, and the C scanner against the Python reading of the same blocks.

(The command run as users run it, in a subprocess, is in test_cli.py.)
"""

from __future__ import annotations

import io
import random
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import sympy
from conftest import random_number_line, sieve

from fastprime import cli
from fastprime.cli.interactive import progress_wanted
from fastprime.cli.options import Job
from fastprime.cli.reading import BadLine, Block, parse_body, read_blocks

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


# --- in-process: the reader and the progress decision ----------------------------------


class _Trickle(io.RawIOBase):
    """A stream that returns at most ``step`` bytes per read, like a slow pipe."""

    def __init__(self, data: bytes, step: int) -> None:
        self._data, self._pos, self._step = data, 0, step

    def read(self, size: int = -1) -> bytes:
        chunk = self._data[self._pos : self._pos + min(size, self._step)]
        self._pos += len(chunk)
        return chunk


def _read_all(data: bytes, **kwargs):
    numbers, texts, tail = [], [], []
    for item in read_blocks(io.BytesIO(data), **kwargs):
        if isinstance(item, Block):
            numbers.extend(int(n) for n in item.numbers)
            texts.extend(item.text.split(b"\n") if item.text is not None else [b"%d" % n for n in item.numbers])
        else:
            tail.append(item)
    return numbers, texts, tail


@pytest.mark.parametrize("block_size", [1, 2, 3, 7, 64, 1 << 20])
def test_reader_block_boundaries(block_size):
    rng = random.Random(block_size)
    numbers = [rng.choice([0, 1, 7, 10**6 + 3, 2**63, 2**64 - 1, 2**64, 2**64 + 1, 10**30, -4]) for _ in range(300)]
    numbers += [rng.getrandbits(64) for _ in range(300)]
    data = "".join(f"{n}\n" for n in numbers).encode()
    got, texts, tail = _read_all(data, block_size=block_size)
    assert got == numbers and tail == []
    assert texts == [b"%d" % n for n in numbers]


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbf0012\n+5\n  6\n1_0\n8\r\n-0\n0\n",
        b"10\n20\n0030\n40\n",  # a leading zero among plain digits
        b"0\n1\n2\n",
        b"\n\n5\n\n6\n",  # blank lines among plain digits
        b"18446744073709551615\n18446744073709551616\n7\n",
    ],
)
def test_reader_canonical_texts(data):
    # Echoed text must be exactly what "%d" gives, whatever the input looked like.
    got, texts, tail = _read_all(data)
    expected = [int(line.partition(b"#")[0]) for line in data.replace(b"\xef\xbb\xbf", b"").split(b"\n") if line.strip()]
    assert got == expected and tail == []
    assert texts == [b"%d" % n for n in got]


@pytest.mark.parametrize("block_size", [5, 1 << 20])
def test_reader_reports_the_first_bad_line(block_size):
    data = b"1\n2\n# three\n\n5\n6x\n7\n"
    got, _, tail = _read_all(data, block_size=block_size)
    assert got == [1, 2, 5]
    assert tail == [BadLine(6, "6x", "is not an integer")]
    assert tail[0].message() == "line 6: '6x' is not an integer"


def test_reader_minimum_and_long_lines():
    got, _, tail = _read_all(b"5\n3\n2\n9\n", minimum=3, below_minimum="is small")
    assert got == [5, 3] and tail == [BadLine(3, "2", "is small")]
    long_text = "7" * 5000
    bad = BadLine(1, long_text, "is not an integer").message()
    assert len(bad) < 100 and bad.startswith("line 1: '777")


def test_reader_keeps_reading_a_line_longer_than_a_block():
    big = 2**20000 + 1
    with _max_str_digits(0):
        data = f"3\n{big}\n4".encode()
        items = list(read_blocks(_Trickle(data, 100), block_size=1000))
    numbers = [n for item in items for n in item.numbers]
    assert numbers == [3, big, 4]



class _Stream:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(
    "quiet, count, out_tty, err_tty, wanted",
    [
        (False, False, False, True, True),  # results redirected, terminal watching: a bar
        (False, True, True, True, True),  # --count prints nothing until the end: a bar
        (False, False, True, True, False),  # results scroll on the terminal already
        (False, False, False, False, False),  # stderr is not a terminal
        (True, True, False, True, False),  # --quiet
    ],
)
def test_progress_bar_decision(quiet, count, out_tty, err_tty, wanted):
    args = SimpleNamespace(quiet=quiet, mode="count" if count else "default")
    assert progress_wanted(args, _Stream(out_tty), _Stream(err_tty)) is wanted


def test_main_in_process_writes_to_a_text_stdout(monkeypatch):
    # An embedding host may replace sys.stdout with a text-only stream.
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    assert cli.main(["--json", "5", "6"]) == 0
    assert out.getvalue() == '{"n": 5, "is_prime": true}\n{"n": 6, "is_prime": false}\n'


def test_readme_documents_the_command():
    readme = Path(__file__).resolve().parents[2] / "README.md"
    if not readme.exists():
        # cibuildwheel tests a wheel with a copy of tests/ alone; the repository's own
        # test run (and the sdist's) has the README beside it.
        pytest.skip("tests/ was copied without the repository's README.md")
    text = readme.read_text(encoding="utf-8")
    for needle in ("fastprime --file", "--count", "--only-primes", "--json", "fastprime bench"):
        assert needle in text, needle


# --- the C scanner against the Python reading of the same blocks ----------------------

_SCAN_MODES = {
    "OUT_LINES": (False, False),
    "OUT_JSON": (False, True),
    "OUT_PRIMES": (True, False),
    "OUT_PRIMES_JSON": (True, True),
    "OUT_COUNT": (False, False),
}


def _python_reading(body: bytes, only_primes: bool, as_json: bool):
    """What the Python path prints for a block, or None if it stops at a bad line."""
    block, bad, _ = parse_body(body, 0)
    if bad is not None:
        return None
    results = [_is_prime(n) for n in block.numbers]
    args = SimpleNamespace(mode="only_primes" if only_primes else "default", json=as_json)
    output = Job(args).render(block, results) if results else b""  # as _test_in_python
    return output, results.count(True), len(results), block.numbers


@pytest.mark.compiled
@pytest.mark.parametrize("mode", list(_SCAN_MODES))
def test_scanner_prints_what_python_prints(mode):
    from fastprime import _cfastprime

    only_primes, as_json = _SCAN_MODES[mode]
    rng = random.Random(mode)
    for _trial in range(200):
        body = b"\n".join(random_number_line(rng) for _ in range(rng.randint(0, 300)))
        scanned = _cfastprime.scan_lines(body, getattr(_cfastprime, mode))
        output, primes, total, _ = _python_reading(body, only_primes, as_json)
        assert scanned is not None, body
        assert scanned[1:] == (primes, total, body.count(b"\n") + 1)
        assert scanned[0] == (b"" if mode == "OUT_COUNT" else output), body


@pytest.mark.compiled
@pytest.mark.parametrize(
    "body",
    [
        b"1\n12x\n3",  # a bad line: Python reports it
        b"18446744073709551616",  # 2**64: a big number
        b"-18446744073709551616",
        b"99999999999999999999999",
        b"1_000",  # int() accepts it; the scanner leaves it to int()
        b"-",
        b"+",
        b"1 2",
        b"--5",
        b"0x10",
        b"\xd9\xa1",  # an Arabic-Indic digit one: int() decides
        b"7\x00",
    ],
)
def test_scanner_leaves_the_unusual_to_python(body):
    from fastprime import _cfastprime

    assert _cfastprime.scan_lines(body, _cfastprime.OUT_LINES) is None


@pytest.mark.compiled
def test_scanner_edge_values():
    from fastprime import _cfastprime

    body = b"18446744073709551615\n18446744073709551557\n-0\n+0\n0\n00\n-7\n 007 \n2\n"
    output, primes, total, lines = _cfastprime.scan_lines(body, _cfastprime.OUT_LINES)
    assert (primes, total, lines) == (3, 9, 10)
    assert output == (
        b"18446744073709551615 is prime: False\n18446744073709551557 is prime: True\n"
        b"0 is prime: False\n0 is prime: False\n0 is prime: False\n0 is prime: False\n"
        b"-7 is prime: False\n7 is prime: True\n2 is prime: True\n"
    )
    assert _cfastprime.scan_lines(b"", _cfastprime.OUT_LINES) == (b"", 0, 0, 1)
    assert _cfastprime.scan_lines(b"\n\n# only comments\n", _cfastprime.OUT_COUNT) == (b"", 0, 0, 4)
    with pytest.raises(ValueError):
        _cfastprime.scan_lines(b"7", 99)
    with pytest.raises(TypeError):
        _cfastprime.scan_lines("7", _cfastprime.OUT_LINES)


@pytest.mark.compiled
def test_scanner_digit_runs_of_every_length_and_ending():
    # The scanner reads digits eight at a time: runs of every length, ended by every
    # kind of byte, at the block's end or not, must read as int() reads them.
    from fastprime import _cfastprime

    rng = random.Random(12)
    for length in range(1, 24):
        for ending in (b"", b"\n", b" ", b"#c", b"\r", b"\t\n", b":", b"/", b"\x80", b"a", b"0"):
            digits = b"".join(b"%d" % rng.randrange(10) for _ in range(length))
            for body in (digits + ending, digits + ending + b"\n12345678901\n7"):
                scanned = _cfastprime.scan_lines(body, _cfastprime.OUT_LINES)
                try:
                    block, bad, _ = parse_body(body, 0)
                except ValueError:
                    bad = True
                numbers = None if bad is not None else list(block.numbers)
                if scanned is None:
                    # Left to Python: only for a bad line or a number of 2**64 or more.
                    assert numbers is None or max(numbers) >= 2**64, body
                else:
                    assert numbers is not None, body
                    assert scanned[0] == b"".join(b"%d is prime: %r\n" % (n, _is_prime(n)) for n in numbers), body


@pytest.mark.compiled
def test_scanner_writes_into_a_reused_buffer():
    from fastprime import _cfastprime

    out = bytearray()
    first = b"\n".join(b"%d" % n for n in range(1000))
    width, primes, total, lines = _cfastprime.scan_lines(first, _cfastprime.OUT_LINES, out)
    expected = _cfastprime.scan_lines(first, _cfastprime.OUT_LINES)[0]
    assert bytes(out[:width]) == expected and (primes, total, lines) == (168, 1000, 1000)
    size = len(out)
    # A smaller block reuses the buffer as it is; it is never shrunk.
    width, primes, total, _ = _cfastprime.scan_lines(b"2\n3\n4", _cfastprime.OUT_PRIMES, out)
    assert bytes(out[:width]) == b"2\n3\n" and len(out) == size
    # A buffer that must grow while a view of it is held: the output comes as bytes.
    view = memoryview(out)
    bigger = first + b"\n" + first
    output, primes, _, _ = _cfastprime.scan_lines(bigger, _cfastprime.OUT_LINES, out)
    assert output == _cfastprime.scan_lines(bigger, _cfastprime.OUT_LINES)[0]
    view.release()


@pytest.mark.parametrize("recycle", [True, False])
@pytest.mark.parametrize("block_size", [1, 5, 64])
def test_body_reader_reuses_its_buffers_without_losing_text(recycle, block_size):
    from fastprime.cli.reading import BodyReader

    data = b"\xef\xbb\xbf" + b"".join(b"%d\n" % (7**k) for k in range(200)) + b"12345"
    reader = BodyReader(io.BytesIO(data), block_size=block_size)
    pieces, total = [], 0
    for body, nbytes in reader:
        pieces.append(bytes(body))
        total += nbytes
        if recycle:
            reader.recycle(body)
            reader.recycle(body)  # twice is harmless
    assert b"\n".join(pieces) == data[3:]
    assert total == len(data) - 3
