"""Hostile inputs to the batch functions: arguments whose ``__index__``, ``__iter__`` or
``__del__`` runs code that changes what is being read, re-entry, other threads.

Most tests here are the regression test of a bug found in the Cython glue (issue 12):
on a85fbb6 they fail (wrong results) or crash the interpreter (read of freed memory,
abort in bool_dealloc).  Those marked "guard" passed there too: they pin down paths the
review found safe, so that a change cannot make them unsafe unnoticed.  They run
against both implementations where the behaviour is defined for both, so the twins
stay identical.
"""

from __future__ import annotations

import sys
import threading

import pytest

from fastprime import fallback

VALUES = [2, 3, 4, 5, 6, 7, 11, 13]
BIG = 2**128 + 51  # prime, and above the wide kernel: left to big_out by both twins


def _expected(values, start=0, stop=None) -> bytes:
    return bytes(fallback.is_prime(v) for v in list(values)[start:stop])


class Index:
    """An int that runs ``action`` when converted."""

    def __init__(self, value, action=None):
        self.value = value
        self.action = action

    def __index__(self):
        if self.action is not None:
            self.action()
        return self.value


# ---- 1. arguments are converted before the sequence's length is read ----


def test_stop_index_that_empties_the_list(impl):
    # a85fbb6 (compiled): len() was read first, then stop.__index__ freed the items and
    # the list's array, which were then read: a crash or garbage flags.
    values = [10**12 + 39 + 2 * k for k in range(5000)]
    flags = impl.is_prime_flags(values, 0, Index(5000, values.clear))
    assert flags == b""


def test_stop_index_that_shortens_the_list(impl):
    values = [1000003 + 2 * k for k in range(3000)]
    copy = list(values)
    flags = impl.is_prime_flags(values, 10, Index(2000, lambda: values.__delitem__(slice(100, None))))
    assert flags == _expected(copy[:100], 10)


def test_start_index_that_shortens_the_list(impl):
    values = list(range(100, 1100))
    copy = list(values)
    flags = impl.is_prime_flags(values, Index(5, lambda: values.__delitem__(slice(50, None))), 800)
    assert flags == _expected(copy[:50], 5)


def test_item_index_that_shortens_the_list(impl):
    # Guard: an item's __index__ runs while the list is being read: read on from a copy.
    values = list(range(2, 40))
    values[10] = Index(13, lambda: values.clear())
    flags = impl.is_prime_flags(values)
    assert flags == _expected(list(range(2, 12)) + [13] + list(range(13, 40)))


def test_big_out_append_that_changes_the_list(impl):
    # Guard: big_out.append may run any code; the rest is read from a private copy.
    values = [2, 3, BIG, 5, BIG, 7]

    class Hostile(list):
        def append(self, item):
            values.clear()
            super().append(item)

    big = Hostile()
    flags = impl.is_prime_flags(values, 0, None, big)
    assert flags == bytes([1, 1, 0, 1, 0, 1])
    assert big == [(2, BIG), (4, BIG)]


# ---- 3. start and stop behave as a slice's, identically in both ----

_BOUNDS = [None, 0, 1, 3, 7, 8, 9, 100, -1, -3, -8, -9, -100, 2**70, -(2**70), True, Index(-2)]


@pytest.mark.parametrize("start", _BOUNDS)
@pytest.mark.parametrize("stop", _BOUNDS)
def test_start_stop_are_slice_bounds(impl, start, stop):
    # a85fbb6: is_prime_flags(VALUES, 0, -1) was b'' compiled and 7 flags pure;
    # negative starts were clamped to 0 pure; 2**70 raised OverflowError compiled.
    for values in (VALUES, tuple(VALUES), iter(VALUES)):
        assert impl.is_prime_flags(values, start, stop) == _expected(VALUES, start, stop), (start, stop)


def test_issue_example(impl):
    assert impl.is_prime_flags([2, 3, 4, 5, 6, 7, 11, 13], 0, -1) == bytes([1, 1, 0, 1, 0, 1, 1])


@pytest.mark.parametrize("bad", ["1", 1.0, object()])
def test_bad_bounds_raise_the_slice_error(impl, bad):
    with pytest.raises(TypeError, match="slice indices must be integers"):
        impl.is_prime_flags(VALUES, bad)
    with pytest.raises(TypeError, match="slice indices must be integers"):
        impl.is_prime_flags(VALUES, 0, bad)


def test_big_out_positions_count_from_a_negative_start(impl):
    values = [BIG, 4, BIG, 5]
    big: list = []
    assert impl.is_prime_flags(values, -3, None, big) == bytes([0, 0, 1])
    assert big == [(1, BIG)]


# ---- 2. chain_results re-entered ----
# Refused in both twins with the ValueError a generator raises ("already executing"):
# the pure twin is a generator, because itertools.chain itself crashes CPython 3.12 and
# 3.13 when re-entered (and 3.11 with map in between).


def test_chain_results_reentered_from_a_chunks_iter(impl):
    # a85fbb6 (compiled): the re-entrant next() installed the next chunk while the outer
    # call kept the old buffer view: reads past the buffer, unpaid True/False references,
    # an abort in bool_dealloc.
    seen = []

    class Reentrant:
        def __iter__(self):
            try:
                seen.append(next(it))
            except ValueError as exc:
                seen.append(exc)
            return iter(["a", "b"])

    def chunks():
        yield bytearray([1, 0] * 500)
        yield Reentrant()
        yield bytes([0, 1] * 500)
        yield [None]

    it = impl.chain_results(chunks())
    got = list(it)
    assert len(seen) == 1 and isinstance(seen[0], ValueError), seen
    assert "already executing" in str(seen[0])
    assert got == [True, False] * 500 + ["a", "b"] + [False, True] * 500 + [None]


def test_chain_results_reentered_from_the_chunk_source(impl):
    # a85fbb6: the pure twin (itertools.chain) crashed the interpreter here.
    it = None
    errors = []

    def chunks():
        yield [1, 2]
        try:
            errors.append(next(it))
        except ValueError as exc:
            errors.append(exc)
        yield bytearray([1, 1, 0])

    it = impl.chain_results(chunks())
    assert list(it) == [1, 2, True, True, False]
    assert len(errors) == 1 and "already executing" in str(errors[0])


def test_chain_results_reentered_from_a_del(impl):
    # Leaving a list chunk drops it; a __del__ of its last item may call next() on the
    # iterator.  a85fbb6 (compiled): the inner call ran with the outer state half-reset.
    it = None
    seen = []

    class Dying:
        def __del__(self):
            try:
                seen.append(next(it))
            except ValueError as exc:
                seen.append(exc)

    def chunks():
        yield [Dying()]
        yield bytearray([1, 0, 1])

    it = impl.chain_results(chunks())
    got = []
    # Each item dropped at once: the chunk list holds the last reference to Dying.
    for item in it:
        got.append(type(item).__name__ if not isinstance(item, bool) else item)
        del item
    assert got == ["Dying", True, False, True]
    assert len(seen) == 1 and isinstance(seen[0], ValueError), seen


def test_chain_results_flags_written_while_read(impl):
    # a85fbb6 (compiled, CPython < 3.12): references for the flags were paid for up
    # front; a bytearray rewritten in place meanwhile handed out unpaid False
    # references, and the interpreter aborted in bool_dealloc.  The chunk is read as it
    # was when reached, in both.
    count = 20_000
    before = sys.getrefcount(False)
    flags = bytearray([1]) * count
    it = impl.chain_results([flags])
    first = next(it)
    flags[:] = bytes(count)
    rest = list(it)
    assert first is True
    assert rest == [True] * (count - 1)
    del rest, it
    # a85fbb6: ~20,000 references short (paid for True, handed out as False).  A few
    # either way are the test's own temporaries.
    assert abs(sys.getrefcount(False) - before) < 100


def test_chain_results_list_shortened_while_read(impl):
    # Guard: a list chunk's length is checked at every read.
    chunk = [1, 2, 3, 4]
    it = impl.chain_results([chunk, [5]])
    assert next(it) == 1
    chunk.clear()
    assert list(it) == [5]


# ---- other threads ----


@pytest.mark.compiled
def test_scan_lines_out_cannot_be_resized_meanwhile():
    # scan_lines writes the caller's bytearray with the GIL released; a85fbb6 did not
    # pin it, so another thread could resize (move) it under the writes.
    from fastprime import _cfastprime

    text = b"\n".join(b"%d" % (10**15 + k) for k in range(200_000))
    out = bytearray()
    stop = threading.Event()
    refused = []

    def resize():
        while not stop.is_set():
            try:
                size = len(out)
                out.clear()  # frees the buffer scan_lines would be writing
                out.extend(bytes(size))
            except BufferError:
                refused.append(1)

    expected = _cfastprime.scan_lines(text, _cfastprime.OUT_PRIMES)
    thread = threading.Thread(target=resize)
    thread.start()
    try:
        for attempt in range(100):  # until the other thread has been refused (a busy machine)
            if attempt >= 3 and refused:
                break
            result = _cfastprime.scan_lines(text, _cfastprime.OUT_PRIMES, out)
            if isinstance(result[0], int):
                assert bytes(out[: result[0]]) == expected[0]
            else:
                assert result[0] == expected[0]
            assert result[1:] == expected[1:]
    finally:
        stop.set()
        thread.join()
    assert refused, "the other thread never ran while scan_lines held the buffer"
