"""Reading integers, one per line, from a binary stream in large blocks.

``BodyReader`` cuts the stream into blocks of whole lines.  With the compiled
kernel the command line hands each one to ``_cfastprime.scan_lines``, which parses,
tests and prints it in C; ``parse_body`` is the Python reading of a block, for the
pure-Python implementation, for ``--next``/``--prev``, and for the blocks the C
scanner leaves to ``int()`` (a bad line, a number of 2**64 or more, digits other
than ASCII: ``parse_line`` gives the rule).  It splits the block at newlines and converts every
line in one ``map``; only a block that this rejects (a blank line, a ``#`` comment,
a bad line) is walked line by line, which also finds the exact line to report.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

__all__ = ["BLOCK_SIZE", "BadLine", "Block", "BodyReader", "parse_body", "parse_line", "read_blocks"]

#: Bytes read per block: large enough that per-block costs vanish, small enough
#: that memory stays flat and results start flowing at once.
BLOCK_SIZE = 1 << 20

_BOM = b"\xef\xbb\xbf"
_SHOWN_CHARS = 60


class _Reader(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


@dataclass(frozen=True)
class Block:
    """Consecutive numbers from the input (a list of ints).

    ``text`` holds the block's lines exactly as read, joined by newlines, when every
    one is already in canonical form (plain ASCII digits, no sign, no leading zero),
    so output can echo them instead of converting ints back to text; else None.
    ``nbytes`` is how much of the input the block covers (for progress reports).
    """

    numbers: Sequence[int]
    text: bytes | None
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


def parse_line(line: bytes) -> int | None:
    """The integer on ``line``, read as the command reads an argument.

    The rule, the same for arguments, lines and every implementation: a number is
    what Python's ``int()`` accepts as text.  A line is UTF-8; surrounding whitespace
    and a ``#`` comment after the number are ignored.  ``int()`` reads bytes as ASCII
    only, so a line with other characters is decoded first and read as text, where
    the digits of every script count (Unicode category Nd: ``١٢٣``, ``１２３``).  The C
    scanner reads ASCII alone and leaves such blocks to this function.

    Args:
        line: one line of input, with or without its newline.

    Returns:
        The integer, or None for a blank line or a ``#`` comment.

    Raises:
        ValueError: the line holds anything else (``UnicodeDecodeError``, a
            ``ValueError``, for a line that is not UTF-8).
    """
    data = line.partition(b"#")[0]  # b"#" is never part of a longer UTF-8 character
    text: bytes | str = data if data.isascii() else data.decode("utf-8")
    text = text.strip()
    if not text:
        return None
    return int(text)


class BodyReader:
    """A binary stream's text in blocks of whole lines, read into reusable buffers.

    Iterating yields ``(body, nbytes)``: ``body`` a memoryview of about
    ``block_size`` bytes of lines, without the newline after the last one, and
    ``nbytes`` how much of the stream it covers (for progress reports).  A UTF-8 byte
    order mark at the start is dropped; a line longer than a block is read to its end.

    A body stays valid until it is handed back to ``recycle``, which lets its buffer
    take a later block: the stream is read straight into it, and on a long input no
    new memory is touched (fresh memory costs a page fault per 4 KiB).  A consumer
    that never recycles only costs a new buffer per block, freed with its body.
    """

    def __init__(self, stream: _Reader, *, block_size: int = BLOCK_SIZE) -> None:
        self._stream = stream
        self._block_size = block_size
        self._free: list[bytearray] = []

    def recycle(self, body: memoryview) -> None:
        """Hand back a body this reader gave out: its buffer may be reused from now on."""
        try:
            buffer = body.obj
        except ValueError:  # released already: handed back before
            return
        body.release()
        if isinstance(buffer, bytearray):
            self._keep(buffer)

    def _keep(self, buffer: bytearray) -> None:
        if len(buffer) == self._block_size + _CARRY_ROOM:
            self._free.append(buffer)

    def _buffer(self, size: int) -> bytearray:
        if size <= self._block_size + _CARRY_ROOM:
            return self._free.pop() if self._free else bytearray(self._block_size + _CARRY_ROOM)
        return bytearray(size)

    def _fill(self, view: memoryview) -> int:
        readinto = getattr(self._stream, "readinto", None)
        if readinto is not None:
            try:
                return readinto(view) or 0
            except (NotImplementedError, io.UnsupportedOperation):
                pass
        data = self._stream.read(len(view))
        view[: len(data)] = data
        return len(data)

    def __iter__(self) -> Iterator[tuple[memoryview, int]]:
        carry = b""
        bom_checked = False
        while True:
            kept = len(carry)
            buffer = self._buffer(kept + self._block_size)
            whole = memoryview(buffer)
            whole[:kept] = carry
            got = self._fill(whole[kept : kept + self._block_size])
            start = 0
            end = kept + got
            # The mark is looked for once the text's first three bytes are in (a slow
            # pipe may bring them one at a time), or there are fewer.
            if not bom_checked and (end >= len(_BOM) or not got or buffer.find(b"\n", 0, end) >= 0):
                bom_checked = True
                if bytes(whole[: min(end, len(_BOM))]) == _BOM:
                    start = len(_BOM)
            if not got:
                if end > start:
                    yield self._lend(whole, start, end), end - start
                else:
                    whole.release()
                    self._keep(buffer)
                return
            cut = buffer.rfind(b"\n", start, end)
            if cut < 0:
                # One line longer than a block (a number with a million digits):
                # keep reading until its end.
                carry = bytes(whole[start:end])
                whole.release()
                self._keep(buffer)
                continue
            carry = bytes(whole[cut + 1 : end])
            yield self._lend(whole, start, cut), cut + 1 - start

    @staticmethod
    def _lend(whole: memoryview, start: int, stop: int) -> memoryview:
        body = whole[start:stop]
        whole.release()  # the body keeps the buffer's export alive on its own
        return body


# Room in a pooled buffer for the end of the previous block's last line.
_CARRY_ROOM = 4096


def read_blocks(
    stream: _Reader,
    *,
    block_size: int = BLOCK_SIZE,
    minimum: int | None = None,
    below_minimum: str = "is too small",
    want_text: bool = True,
) -> Iterator[Block | BadLine]:
    """Yield ``Block``s of the integers in ``stream``, one integer per line.

    Blank lines and ``#`` comments are skipped.  At the first line that is not an
    integer (or is below ``minimum``, described by ``below_minimum``), the numbers
    before it are yielded, then a ``BadLine``, and nothing more is read.

    Args:
        stream: a binary stream (``read``, and ``readinto`` if it has one).
        block_size: bytes read per block.
        minimum: the smallest number accepted (None: any).
        below_minimum: the reason given for a number below ``minimum``.
        want_text: False says the caller never echoes the lines (``Block.text`` is
            then always None).

    Yields:
        ``Block``s in input order, then at most one ``BadLine``.

    Raises:
        OSError: reading the stream failed.
    """
    lines_before = 0
    reader = BodyReader(stream, block_size=block_size)
    for view, nbytes in reader:
        body = bytes(view)
        reader.recycle(view)
        block, bad, nlines = parse_body(body, lines_before, minimum, below_minimum, want_text, nbytes)
        if len(block.numbers) or block.nbytes:
            yield block
        if bad is not None:
            yield bad
            return
        lines_before += nlines


def parse_body(
    body: bytes,
    lines_before: int,
    minimum: int | None = None,
    below_minimum: str = "is too small",
    want_text: bool = True,
    nbytes: int = 0,
) -> tuple[Block, BadLine | None, int]:
    """The numbers of one block from ``BodyReader``, with ``int()`` (see ``parse_line``).

    Args:
        body: the block's lines, joined by newlines.
        lines_before: lines of the input before the block (to number a bad line).
        minimum: the smallest number accepted (None: any) ...
        below_minimum: ... and the reason given for one below it.
        want_text: whether ``Block.text`` may keep the lines to echo them.
        nbytes: the input the block covers, for ``Block.nbytes``.

    Returns:
        ``(block, bad, lines)``: the numbers up to the first bad line (or all of
        them), that line as a ``BadLine`` numbered after ``lines_before`` earlier
        lines (or None), and how many lines the block has.
    """
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
    lines: list[bytes],
    lines_before: int,
    minimum: int | None,
    below_minimum: str,
    nbytes: int,
) -> tuple[Block, BadLine | None, int]:
    numbers: list[int] = []
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
