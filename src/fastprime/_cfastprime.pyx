# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
# cython: cdivision=True, freethreading_compatible=True, binding=False
"""The compiled kernel: the C tests of ``csrc/kernel.h`` (below 2**64) and ``csrc/wide.h``
(2**64 to 2**128) behind the public functions.

Below 2**128 everything runs in C; numbers >= 2**128 are checked for small factors here
and then go to ``_bpsw.is_prime_big`` (Python ints, or gmpy2 when installed), which
holds the GIL, and their next/prev prime searches to ``_bigsearch``.  The scalar
tests keep the GIL: releasing it per call costs more than a test (the next/prev searches
of the wide kernel, ~6 us, release it).  The batch calls release it once per batch, which is what lets threads scale:
``is_prime_flags`` (the executor's chunks, read in place from a list or tuple),
``is_prime_into`` (``is_prime_array``'s buffers) and ``scan_lines`` (the command line's
blocks of text, parsed, tested and printed in C).

Each public function's docstring starts with its signature and a ``--`` line: CPython
makes that ``__text_signature__``, which ``inspect.signature`` and ``help()`` read.  It
costs nothing per call, where ``binding=True`` (Cython's function objects) costs ~5%
of a small ``is_prime`` call.  Measured with callgrind over 10**6 calls of
``is_prime(1000003)``: 2,506 instructions per call with or without the text signature
(PYTHONHASHSEED=0), 2,489 -> 2,603 with ``binding=True``, and +39 (2,545) for a
keyword-capable ``n``, which is why ``n`` is positional-only in both twins.
"""

cimport cython
from cpython.buffer cimport PyBUF_SIMPLE, PyBUF_WRITABLE, PyBuffer_Release, PyObject_GetBuffer
from cpython.bytearray cimport PyByteArray_AS_STRING, PyByteArray_FromStringAndSize, PyByteArray_Resize
from cpython.list cimport PyList_GET_SIZE, PyList_New
from cpython.long cimport PyLong_CheckExact
from cpython.object cimport PyObject
from cpython.sequence cimport PySequence_Fast_GET_ITEM
from cpython.slice cimport PySlice_AdjustIndices, PySlice_Unpack
from libc.stdint cimport (
    int8_t, int16_t, int32_t, int64_t, uint8_t, uint16_t, uint32_t, uint64_t,
)
from libc.stdlib cimport free, malloc

from fastprime._arguments import as_int
from fastprime import _bigsearch, _bpsw
from fastprime._env import U128 as _U128

# The C declarations (kernel.h, pylong.h, pyglue.h, lines.h) are in _cfastprime.pxd.

#: Which 64x64->128-bit multiply this build uses ("int128", "msvc-x64", ...).
mul_path = FP_MUL_PATH.decode("ascii")

# Immutable module constants (no mutable module state: the module is free-threading safe).
cdef object _LARGEST_U128_PRIME = 340282366920938463463374607431768211297
cdef object _MASK64 = (1 << 64) - 1


cdef inline int _to_u64(object n, uint64_t *out) except -1:
    """Store ``n`` (an exact int) in ``*out``; return 0, or 1 if n < 0, or 2 if n >= 2**64."""
    cdef int kind = fp_pylong_u64(<PyObject *> n, out)
    if kind != 3:
        return kind
    # Where ints cannot be read directly: Cython's conversion, which raises for
    # negative or big n (an exception costs ~200 ns, so it is not the first choice).
    try:
        out[0] = n
    except OverflowError:
        return 1 if n < 0 else 2
    return 0


cdef inline int _to_u128(object n, uint64_t *hi, uint64_t *lo) except -1:
    """Store an exact int ``n`` in ``(*hi, *lo)``; return 0, or 1 if n < 0, or 2 if n >= 2**128."""
    cdef int kind = fp_pylong_u128(<PyObject *> n, hi, lo)
    if kind != 3:
        return kind
    if n < 0:
        return 1
    if n >= _U128:
        return 2
    hi[0] = n >> 64
    lo[0] = n & _MASK64
    return 0


cdef inline object _from_u128(uint64_t hi, uint64_t lo):
    return (<object> hi << 64) | <object> lo


cdef bint _big_is_prime(object n) except -1:
    """is_prime for an int >= 2**64: the wide kernel below 2**128; above, a few remainders
    find most composites (three in four random odd numbers have a prime factor below 84)
    before the full test, which costs ~400 ns even with gmpy2 (half of it converting the
    number for GMP)."""
    cdef int k
    cdef uint64_t hi, lo
    if _to_u128(n, &hi, &lo) == 0:
        return fp_is_prime_u128(hi, lo)
    if not n & 1:
        return False
    for k in range(4):
        if fp_shares_factor(<uint64_t> (n % FP_BIG_SIEVE[k]), k):
            return False
    return _bpsw.is_prime_big(n)


def is_prime(n, /):
    """is_prime(n, /)
--

Return ``True`` if ``n`` is prime.

    Deterministic below 2**64 (Baillie-PSW, proven there); strong Baillie-PSW above
    (no counterexample known), in C below 2**128.  ``n`` may be any ``int`` or object
    with ``__index__``; ``n < 2`` gives ``False``; anything else raises ``TypeError``.
    """
    cdef uint64_t v
    cdef int kind
    if not PyLong_CheckExact(n):
        n = as_int(n, "is_prime")
    kind = _to_u64(n, &v)
    if kind == 0:
        return fp_is_prime_u64(v)
    if kind == 1:
        return False
    return _big_is_prime(n)


def next_prime(n, /):
    """next_prime(n, /)
--

Return the smallest prime greater than ``n`` (2 for any ``n < 2``)."""
    cdef uint64_t v, r, hi, lo, out_hi = 0, out_lo = 0
    cdef int kind, found = 0
    if not PyLong_CheckExact(n):
        n = as_int(n, "next_prime")
    kind = _to_u64(n, &v)
    if kind == 1:
        return 2
    if kind == 0:
        r = fp_next_prime_u64(v)
        if r:
            return r
    if n < _LARGEST_U128_PRIME:
        # The wide kernel's search (~6 us for 128 bits) runs without the GIL, so that an
        # Executor's threads scale on it; releasing the GIL costs ~0.1 us.
        _to_u128(n, &hi, &lo)
        with nogil:
            found = fp_next_prime_u128(hi, lo, &out_hi, &out_lo)
        if found:
            return _from_u128(out_hi, out_lo)
    if _bigsearch.sieves(n):
        return _bigsearch.next_prime_big(n)
    c = n + 1 + (n & 1)
    while not _big_is_prime(c):
        c += 2
    return c


def prev_prime(n, /):
    """prev_prime(n, /)
--

Return the largest prime less than ``n``; ``ValueError`` if ``n <= 2``."""
    cdef uint64_t v, hi, lo, out_hi = 0, out_lo = 0
    cdef int kind
    if not PyLong_CheckExact(n):
        n = as_int(n, "prev_prime")
    kind = _to_u64(n, &v)
    if kind == 1 or (kind == 0 and v <= 2):
        raise ValueError(f"prev_prime() argument must be greater than 2, got {n}")
    if kind == 0:
        return fp_prev_prime_u64(v)
    if n > _U128:
        if _bigsearch.sieves(n):
            return _bigsearch.prev_prime_big(n)
        c = n - 1 - (n & 1)
        while c >= _U128:
            if _big_is_prime(c):
                return c
            c -= 2
        return _LARGEST_U128_PRIME
    if n == _U128:
        return _LARGEST_U128_PRIME
    _to_u128(n, &hi, &lo)
    with nogil:  # as in next_prime; it finds one, as every n > 2 has a prime below it
        fp_prev_prime_u128(hi, lo, &out_hi, &out_lo)
    return _from_u128(out_hi, out_lo)


cdef enum:
    _PREFETCH = 64  # items ahead: the int objects are what the loop waits for
    _GIL_BLOCK = 8192  # items read per hold of the GIL in is_prime_flags


def is_prime_flags(values, start=0, stop=None, big_out=None):
    """is_prime_flags(values, start=0, stop=None, big_out=None)
--

A bytearray with 1 where ``values[start:stop]`` holds a prime, 0 elsewhere.

    ``start`` and ``stop`` are taken as a slice takes them (negative from the end,
    clamped to the sequence, ``None`` for its ends).  Values below 2**64 are tested in
    C batches with the GIL released.  Lists and tuples are read in place, without a copy
    (the executor passes the caller's list and a range of it), a block at a time: a list
    shortened by another thread meanwhile is read to its new end, as a list iterator
    would, and the result is as short.  Other iterables are read into a list first.
    Items are checked as ``is_prime`` checks them: a non-integer raises ``TypeError``,
    negatives give 0.

    Values from 2**64 to 2**128 are tested by the wide kernel, also in one batch with
    the GIL released.  With ``big_out`` (a list), values >= 2**128 are not tested:
    ``(position, value)`` pairs (position counted from ``start``, value as an ``int``)
    are appended to ``big_out`` and their flags are 0, so the caller can test them
    elsewhere (the executor sends them to processes, since the big-int test holds the
    GIL).  Without it they are tested here, after the batch.
    """
    cdef object seq = values
    cdef Py_ssize_t count, i = 0, j, block_start, block_end, first, last, step
    cdef uint64_t *buf
    cdef uint64_t *pairs = NULL  # (hi, lo) of the values in [2**64, 2**128)
    cdef Py_ssize_t *where = NULL  # and their positions
    cdef unsigned char *wide_res = NULL
    cdef Py_ssize_t wide = 0
    cdef unsigned char *res
    cdef int kind
    cdef PyObject *item
    cdef list big = []
    if type(seq) is not list and type(seq) is not tuple:
        seq = list(seq)
    # Every argument is converted before the sequence's length is read: __index__ may
    # run any code, even code that shortens the list (a85fbb6 read the length first, and
    # a stop whose __index__ emptied the list made it read freed memory).
    # PySlice_Unpack converts as list[start:stop] does (same errors, huge values
    # clamped) and PySlice_AdjustIndices applies the length, as list_subscript does.
    PySlice_Unpack(slice(start, stop), &first, &last, &step)
    if FP_GIL_DISABLED and type(seq) is list:
        # Without a GIL another thread could change the list while it is read.
        seq = seq[first:last]
        first, last = 0, len(seq)
    count = PySlice_AdjustIndices(len(seq), &first, &last, 1)
    flags = PyByteArray_FromStringAndSize(NULL, count)
    if count == 0:
        return flags
    res = <unsigned char *> PyByteArray_AS_STRING(flags)
    buf = <uint64_t *> malloc(count * sizeof(uint64_t))
    if buf == NULL:
        raise MemoryError()
    try:
        # Plain ints below 2**64, read straight from their digits: no Python code runs
        # in this loop, so the sequence cannot change under it.  Read and tested in
        # blocks, so that the GIL is held for a block's reading at a time, not the
        # chunk's: another worker or the consumer waiting for it gets it sooner.
        while i < count:
            if type(seq) is list:
                # The GIL was released (or, before the first block, something may have
                # run since len()): another thread may have shortened the list.  Read
                # on as a list iterator would, up to its current end.
                count = min(count, max(PyList_GET_SIZE(seq) - first, i))
                if i == count:
                    break
            block_end = min(i + _GIL_BLOCK, count)
            block_start = i
            while i < block_end:
                item = PySequence_Fast_GET_ITEM(seq, first + i)
                if i + _PREFETCH < count:
                    fp_prefetch(PySequence_Fast_GET_ITEM(seq, first + i + _PREFETCH))
                if not PyLong_CheckExact(<object> item) or fp_pylong_u64(item, &buf[i]) != 0:
                    break
                i += 1
            if i > block_start:
                with nogil:
                    fp_is_prime_u64_batch(buf + block_start, res + block_start, i - block_start)
            if i < block_end:
                break
        if i < count:
            # The rest from a private copy: __index__ may run any code, even code that
            # changes the sequence being read.
            rest = list(seq[first + i:first + count])
            count = i + len(rest)
            pairs = <uint64_t *> malloc(2 * len(rest) * sizeof(uint64_t) + 1)
            where = <Py_ssize_t *> malloc(len(rest) * sizeof(Py_ssize_t) + 1)
            wide_res = <unsigned char *> malloc(len(rest) + 1)
            if pairs == NULL or where == NULL or wide_res == NULL:
                raise MemoryError()
            for j in range(len(rest)):
                n = rest[j]
                if not PyLong_CheckExact(n):
                    n = as_int(n, "is_prime")
                kind = _to_u64(n, &buf[i + j])
                if kind:
                    buf[i + j] = 0  # 0 is not prime: negatives are done, big ones patched below
                    if kind == 2 and _to_u128(n, &pairs[2 * wide], &pairs[2 * wide + 1]) == 0:
                        where[wide] = i + j
                        wide += 1
                    elif kind == 2:
                        if big_out is None:
                            big.append(i + j)
                            big.append(n)
                        else:
                            big_out.append((i + j, n))
            with nogil:
                fp_is_prime_u64_batch(buf + i, res + i, count - i)
                if wide:
                    fp_is_prime_u128_many(pairs, <size_t> wide, wide_res)
                    for j in range(wide):
                        res[where[j]] = wide_res[j]
    finally:
        free(buf)
        free(pairs)
        free(where)
        free(wide_res)
    for j in range(0, len(big), 2):
        res[<Py_ssize_t> big[j]] = _big_is_prime(big[j + 1])
    if count < len(flags):
        PyByteArray_Resize(flags, count)
    return flags


def is_prime_many(values, big_out=None):
    """is_prime_many(values, big_out=None)
--

``[is_prime(v) for v in values]``: ``is_prime_flags`` as a list of bools."""
    cdef bytearray flags = is_prime_flags(values, 0, None, big_out)
    cdef Py_ssize_t count = len(flags)
    cdef list result = PyList_New(count)
    fp_bool_list_fill(result, <const unsigned char *> PyByteArray_AS_STRING(flags), count)
    return result


@cython.final
cdef class chain_results:
    """chain_results(chunks, total=-1)
--

``itertools.chain.from_iterable(chunks)``, where a chunk may also be a bytes or
    bytearray of flags from ``is_prime_flags``, yielded as ``True``/``False``.
    ``total``, when known, is how many items there will be (``__length_hint__``).

    Flags cost a byte per number to return from a worker and nothing to free; a list
    of bools costs a reference per number to build, to read and to free, all with the
    GIL held, where it holds back the other threads.  For the same reason reading a
    flag is kept to a compare, a load and a store (see ``fp_bool_refs``).

    ``next()`` called while a call of it runs Python code (the chunk source, a chunk's
    ``__iter__``, a ``__del__`` of a chunk left) raises ``ValueError``, as a generator
    does ("already executing"); the pure twin is a generator.
    """

    cdef object chunks
    cdef object current  # the list being read, or None
    cdef Py_buffer view  # the flags being read, when has_view
    cdef bint has_view
    cdef bint running  # in Python code called by _next_slow (next(), list(), a __del__)
    cdef const unsigned char *flags
    cdef Py_ssize_t position, length
    cdef Py_ssize_t total, before  # before: items of the chunks already left

    def __cinit__(self, chunks, Py_ssize_t total=-1):
        self.chunks = iter(chunks)
        self.total = total
        self.before = 0
        self.current = None
        self.has_view = False
        self.running = False
        self.flags = NULL
        self.position = 0
        self.length = 0

    def __dealloc__(self):
        self._leave()

    cdef inline object _leave(self):
        """Leave the current chunk, refunding the references of its unread flags.

        Returns the list chunk left (or None) for the caller to drop once the state is
        consistent: dropping it may run a ``__del__``, which may call ``next()`` on this
        very iterator.
        """
        cdef object left = self.current
        if self.has_view:
            fp_bool_refs(self.flags + self.position, self.length - self.position, -1)
            self.has_view = False
            PyBuffer_Release(&self.view)
        self.flags = NULL
        self.current = None
        self.before += self.position
        self.position = 0
        self.length = 0
        return left

    def __iter__(self):
        return self

    def __length_hint__(self):
        # What list() presizes to: the items left, when the input's length is known.
        if self.total < 0:
            return NotImplemented
        return max(self.total - self.before - self.position, 0)

    @cython.critical_section
    def __next__(self):
        # The critical section serializes calls from several threads on free-threaded
        # builds (a no-op with a GIL); `running` refuses re-entry from the same thread.
        cdef Py_ssize_t p = self.position
        if p < self.length and self.flags != NULL:
            self.position = p + 1
            return fp_bool_prepaid(self.flags[p])
        return self._next_slow()

    cdef object _next_slow(self):
        cdef object chunk
        cdef object left
        if self.running:
            # Re-entered from the chunk source (or a chunk's __iter__, or a __del__):
            # the state is half-changed, so it is refused, with the exception a
            # generator raises (the pure twin is one, so the twins raise the same).
            raise ValueError("chain_results() already executing: next() was called from "
                             "the chunk source, a chunk's __iter__ or a __del__")
        while True:
            if self.position < self.length:
                # A list chunk (flags take the fast path).  Its length is checked on every
                # read: the list is the caller's and may have been shortened meanwhile.
                if self.position < PyList_GET_SIZE(self.current):
                    self.position += 1
                    return (<list> self.current)[self.position - 1]
            # Python code (a __del__ of the chunk left, the chunk source, a chunk's
            # __iter__) runs only below, with the state left and `running` set.
            self.running = True
            try:
                left = self._leave()
                left = None
                chunk = next(self.chunks)  # StopIteration ends the iteration
                if type(chunk) is not bytearray and type(chunk) is not bytes and type(chunk) is not list:
                    chunk = list(chunk)
            finally:
                self.running = False
            if type(chunk) is bytearray:
                # Read from an immutable copy (one memcpy per chunk, a byte per number).
                # Prepaid references are counted from the flags before they are read: a
                # bytearray written meanwhile (a same-size slice assignment is allowed
                # under a buffer export) handed out True or False references that were
                # never paid for (a85fbb6), and the interpreter aborted in bool_dealloc.
                # The copy also reads the chunk as it was when reached, as the pure twin
                # does, where bools need no prepaying too (3.12+).
                chunk = bytes(chunk)
            if type(chunk) is bytearray or type(chunk) is bytes:
                # A buffer export pins the bytes: a bytearray cannot be resized under it.
                # Nothing below runs Python code (exact bytes and bytearray only).
                PyObject_GetBuffer(chunk, &self.view, PyBUF_SIMPLE)
                self.has_view = True
                self.flags = <const unsigned char *> self.view.buf
                self.length = self.view.len
                fp_bool_refs(self.flags, self.length, 1)
                if self.length:
                    self.position = 1
                    return fp_bool_prepaid(self.flags[0])
            else:
                self.current = chunk
                self.length = PyList_GET_SIZE(chunk)


#: The output modes of ``scan_lines``.
OUT_LINES = FP_OUT_LINES
OUT_JSON = FP_OUT_JSON
OUT_PRIMES = FP_OUT_PRIMES
OUT_PRIMES_JSON = FP_OUT_PRIMES_JSON
OUT_COUNT = FP_OUT_COUNT

cdef enum:
    # Numbers parsed, tested and printed at a time: their records (~50 KiB) stay in
    # the core's cache between the three steps.
    _SCAN_STEP = 2048


def scan_lines(const unsigned char[::1] text not None, int mode, bytearray out=None):
    """scan_lines(text, mode, out=None)
--

Parse, test and print a block of lines, one integer per line, without the GIL.

    ``text``: bytes, or any contiguous buffer of bytes that nothing changes meanwhile.
    Returns ``(output, primes, numbers, lines)``: the bytes to print (``mode``:
    ``OUT_LINES`` ``'N is prime: B'``, ``OUT_JSON``, ``OUT_PRIMES`` and
    ``OUT_PRIMES_JSON`` the primes only, ``OUT_COUNT`` nothing), how many numbers were
    prime, how many there were, and how many lines the block has.  With ``out`` (a
    bytearray), the output is written to its start and ``output`` is how many bytes
    that is (or the bytes, if ``out`` had to grow while a view of it was held): a
    caller that reuses its buffers touches no new memory (each new page costs a
    fault).  ``out`` is grown to a bound on the output (up to ~14 times the block), of
    which only what is written is ever touched.

    Blank lines and ``#`` comments are skipped.  Returns ``None`` when a line needs
    Python's ``int()`` to judge it (a bad line, ``1_000``, a number of 2**64 or more):
    the caller then reads the block the slow way, which also reports a bad line.
    """
    cdef const char *data = ""
    cdef size_t size = text.shape[0], pos = 0, newlines = 0, n = 0, count = 0, primes = 0, i
    cdef size_t bound
    cdef fp_line *lines
    cdef uint64_t *values
    cdef unsigned char *prime
    cdef char *start
    cdef char *end
    cdef char *target
    cdef int parsed = 1
    cdef bint make_bytes = out is None
    cdef bint pinned = False
    cdef Py_buffer pin
    cdef void *buffer
    if mode < FP_OUT_LINES or mode > FP_OUT_COUNT:
        raise ValueError(f"scan_lines(): unknown output mode {mode}")
    if size:
        data = <const char *> &text[0]
    if size >= 0xFFFFFFFF:  # offsets are 32-bit; a block this large is one huge line anyway
        return None
    bound = fp_lines_bound(mode, size)
    if not make_bytes and <size_t> len(out) < bound:
        try:
            PyByteArray_Resize(out, bound)
        except BufferError:  # a view of it is still held: do without it
            make_bytes = True
    if make_bytes:
        out = PyByteArray_FromStringAndSize(NULL, bound)
    else:
        # The caller's bytearray is written with the GIL released: a buffer export pins
        # it, so another thread cannot resize (and move) it meanwhile (BufferError there).
        PyObject_GetBuffer(out, &pin, PyBUF_WRITABLE)
        pinned = True
    start = target = PyByteArray_AS_STRING(out)
    end = start + bound
    buffer = malloc(_SCAN_STEP * (sizeof(fp_line) + sizeof(uint64_t) + 1))
    if buffer == NULL:
        if pinned:
            PyBuffer_Release(&pin)
        raise MemoryError()
    lines = <fp_line *> buffer
    values = <uint64_t *> (lines + _SCAN_STEP)
    prime = <unsigned char *> (values + _SCAN_STEP)
    try:
        with nogil:
            while pos < size:
                parsed = fp_lines_parse(data, size, &pos, &newlines, lines, values, _SCAN_STEP, &n)
                if not parsed:
                    break
                fp_is_prime_u64_batch(values, prime, n)
                for i in range(n):
                    primes += prime[i]
                count += n
                if mode != FP_OUT_COUNT:
                    target = fp_lines_render(mode, data, size, lines, prime, n, target, end)
    finally:
        free(buffer)
        if pinned:
            PyBuffer_Release(&pin)
    if not parsed:
        return None
    if make_bytes:
        return bytes(out[:target - start]), primes, count, newlines + 1
    return target - start, primes, count, newlines + 1


ctypedef fused integer_t:
    int8_t
    uint8_t
    int16_t
    uint16_t
    int32_t
    uint32_t
    int64_t
    uint64_t

cdef enum:
    _CHUNK = 256  # values widened per call of the batch loop (a stack buffer)


def is_prime_into(values, out, /):
    """is_prime_into(values, out, /)
--

Write 1 to ``out[i]`` if ``values[i]`` is prime, else 0, with the GIL released.

    ``values``: a 1-D buffer of any integer item type and any stride; ``out``: a
    C-contiguous uint8 buffer of the same length.  Negative values give 0.
    """
    if values is None or out is None:
        raise TypeError("is_prime_into() needs two buffers, got None")
    # A bool buffer has the item size of uint8 and would be taken for one.
    if memoryview(values).format == "?":
        raise TypeError("is_prime_into() values must hold integers, not bool")
    _is_prime_into(values, out)


def _is_prime_into(const integer_t[:] values not None, unsigned char[::1] out not None):
    cdef Py_ssize_t count = values.shape[0], start, k, m
    cdef uint64_t tmp[_CHUNK]
    cdef integer_t x
    if out.shape[0] != count:
        raise ValueError(
            f"is_prime_into(): out has {out.shape[0]} items, values has {count}"
        )
    if count == 0:
        return
    with nogil:
        if integer_t is uint64_t and values.strides[0] == sizeof(uint64_t):
            fp_is_prime_u64_batch(&values[0], &out[0], count)
        else:
            # Other item types and strides are widened a few hundred at a time into a
            # stack buffer, so the same batch loop runs with no allocation.
            start = 0
            while start < count:
                m = min(count - start, _CHUNK)
                for k in range(m):
                    x = values[start + k]
                    tmp[k] = <uint64_t> x if x > 0 else 0
                fp_is_prime_u64_batch(tmp, &out[start], m)
                start += m
