"""Reading integers, one per line, from a binary stream in large blocks.

The command line feeds files of 10**8 lines through this, so the common case is
kept at C speed: a block of plain digits below 2**64 is parsed by numpy when it is
installed, otherwise the block is split at newlines and every line goes through
``int()`` in one ``map``.  Only a block that these reject (a blank line, a ``#``
comment, a bad line) is walked line by line, which also finds the exact line to
report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator, List, Optional, Protocol, Sequence, Tuple, Union

__all__ = ["BLOCK_SIZE", "BadLine", "Block", "parse_line", "read_blocks"]

#: Bytes read per block: large enough that per-block costs vanish, small enough
#: that memory stays flat and results start flowing at once.
BLOCK_SIZE = 1 << 20

_BOM = b"\xef\xbb\xbf"
_SHOWN_CHARS = 60


class _Reader(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


@dataclass(frozen=True)
class Block:
    """Consecutive numbers from the input (a list of ints, or a numpy array).

    ``text`` holds the block's lines exactly as read, joined by newlines, when every
    one is already in canonical form (plain ASCII digits, no sign, no leading zero),
    so output can echo them instead of converting ints back to text; else None.
    ``nbytes`` is how much of the input the block covers (for progress reports).
    """

    numbers: Sequence[int]  # a list; a numpy uint64 array if read with arrays=True
    text: Optional[bytes]
    nbytes: int


@dataclass(frozen=True)
class BadLine:
    """The first line that could not be used: where it is, what it says, and why."""

    lineno: int
    text: str
    reason: str

    def message(self) -> str:
        """``line N: 'text' reason``, with very long lines shortened."""
        text = self.text
        if len(text) > _SHOWN_CHARS:
            text = text[: _SHOWN_CHARS - 3] + "..."
        return f"line {self.lineno}: {text!r} {self.reason}"


def parse_line(line: bytes) -> Optional[int]:
    """The integer on ``line``; None for a blank line or a ``#`` comment.

    Raises ``ValueError`` when the line holds anything else.  Surrounding
    whitespace is ignored, and so is a ``#`` comment after the number.
    """
    text = line.partition(b"#")[0].strip()
    if not text:
        return None
    return int(text)


def read_blocks(
    stream: _Reader,
    *,
    block_size: int = BLOCK_SIZE,
    minimum: Optional[int] = None,
    below_minimum: str = "is too small",
    want_text: bool = True,
    use_numpy: Optional[bool] = None,
    arrays: bool = False,
) -> Iterator[Union[Block, BadLine]]:
    """Yield ``Block``s of the integers in ``stream``, one integer per line.

    ``stream.read(block_size)`` must return bytes (b"" at the end).  Blank lines
    and ``#`` comments are skipped.  At the first line that is not an integer (or
    is below ``minimum``, described by ``below_minimum``), the numbers before it are
    yielded, then a ``BadLine``, and nothing more is read.

    ``want_text=False`` says the caller never echoes the lines (``Block.text`` is
    then always None).  ``use_numpy``: parse plain blocks of numbers below 2**64
    with numpy, about twice as fast as ``int()`` per line; None means "when numpy is
    installed and the input is large enough to repay importing it".  ``arrays``: the
    blocks numpy parsed keep their numbers as the numpy ``uint64`` array.
    """
    np: Any = None
    lines_before = 0
    carry = b""
    first = True
    while True:
        data = stream.read(block_size)
        if first:
            first = False
            if data.startswith(_BOM):
                data = data[len(_BOM):]
            if use_numpy or (use_numpy is None and len(data) >= _NUMPY_WORTH_IT):
                np = _numpy()
        at_end = not data
        buf = carry + data if carry else data
        if at_end:
            body, carry = buf, b""
            if not body:
                return
            nbytes = len(body)
        else:
            cut = buf.rfind(b"\n")
            if cut < 0:
                # One line longer than a block (a number with a million digits):
                # keep reading until its end.
                carry = buf
                continue
            body, carry = buf[:cut], buf[cut + 1:]
            nbytes = cut + 1
        parsed = _parse_with_numpy(np, body, minimum, want_text, arrays, nbytes) if np is not None else None
        if parsed is not None:
            block, bad, nlines = parsed, None, len(parsed.numbers)
        else:
            block, bad, nlines = _parse(body, lines_before, minimum, below_minimum, want_text, nbytes)
        if len(block.numbers) or block.nbytes:
            yield block
        if bad is not None:
            yield bad
            return
        if at_end:
            return
        lines_before += nlines


_NUMPY_WORTH_IT = 1 << 16
_U64_MAX = (1 << 64) - 1


def _numpy() -> Any:
    try:
        import numpy
    except ImportError:
        return None
    return numpy


def _parse_with_numpy(
    np: Any, body: bytes, minimum: Optional[int], want_text: bool, arrays: bool, nbytes: int
) -> Optional[Block]:
    # Only lines of plain ASCII digits, none blank: anything else (signs, spaces,
    # comments, blank lines, bad lines) is left to the int() path, which knows
    # how to report it.
    digits = body.replace(b"\n", b"")
    if not digits.isdigit():
        return None
    nlines = len(body) - len(digits) + 1  # the newlines removed, plus one
    try:
        values = np.fromstring(body, dtype=np.uint64, sep="\n")
    except ValueError:
        return None
    # fromstring skips blank lines (the count catches them) and clamps numbers
    # >= 2**64 to 2**64 - 1 (so that value is left to int(), which is exact).
    if len(values) != nlines or bool((values == _U64_MAX).any()):
        return None
    if minimum is not None and int(values.min()) < minimum:
        return None
    numbers = values if arrays else values.tolist()
    # The lines are canonical when none has a leading zero: then each line has as
    # many digits as its value needs, which numpy counts without splitting lines.
    canonical = want_text and _digits_needed(np, values) == len(digits)
    return Block(numbers, body if canonical else None, nbytes)


_POWERS_OF_TEN = [10**k for k in range(1, 20)]


def _digits_needed(np: Any, values: Any) -> int:
    powers = np.array(_POWERS_OF_TEN, dtype=np.uint64)
    return int(np.searchsorted(powers, values, side="right").sum()) + len(values)


def _parse(
    body: bytes,
    lines_before: int,
    minimum: Optional[int],
    below_minimum: str,
    want_text: bool,
    nbytes: int,
) -> Tuple[Block, Optional[BadLine], int]:
    lines = body.split(b"\n")
    try:
        numbers = list(map(int, lines))
    except ValueError:
        return _parse_slowly(lines, lines_before, minimum, below_minimum, nbytes)
    if minimum is not None and min(numbers) < minimum:
        return _parse_slowly(lines, lines_before, minimum, below_minimum, nbytes)
    # int() accepted every line; the lines are also canonical decimal text exactly
    # when they are all ASCII digits and none starts with 0 (a lone "0" is left
    # to the slow formatting path, which is merely slower).
    canonical = want_text and body.replace(b"\n", b"").isdigit() and min(lines)[:1] != b"0"
    return Block(numbers, body if canonical else None, nbytes), None, len(lines)


def _parse_slowly(
    lines: List[bytes],
    lines_before: int,
    minimum: Optional[int],
    below_minimum: str,
    nbytes: int,
) -> Tuple[Block, Optional[BadLine], int]:
    numbers: List[int] = []
    for i, line in enumerate(lines):
        try:
            n = parse_line(line)
        except ValueError:
            reason = "is not an integer"
        else:
            if n is None:
                continue
            if minimum is None or n >= minimum:
                numbers.append(n)
                continue
            reason = below_minimum
        text = line.rstrip(b"\r").decode("utf-8", "replace")
        # The block is cut short at the bad line; the progress count is moot then.
        return Block(numbers, None, 0), BadLine(lines_before + i + 1, text, reason), i + 1
    return Block(numbers, None, nbytes), None, len(lines)
