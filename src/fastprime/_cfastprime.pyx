# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
# cython: cdivision=True, freethreading_compatible=True, binding=False
"""The compiled kernel: the C test of ``_kernel.h`` behind the public functions.

Below 2**64 everything runs in C; numbers >= 2**64 are checked for small factors here and
then go to ``_bpsw.is_prime_big`` (Python ints, or gmpy2 when installed), which holds the
GIL.  The scalar functions keep the GIL: releasing it per call costs more than a test.
The batch calls release it once per batch, which is what lets threads scale:
``is_prime_flags`` (the executor's chunks, read in place from a list or tuple),
``is_prime_into`` (``is_prime_array``'s buffers) and ``scan_lines`` (the command line's
blocks of text, parsed, tested and printed in C).
"""

cimport cython
from cpython.buffer cimport PyBUF_SIMPLE, PyBuffer_Release, PyObject_GetBuffer
from cpython.bytearray cimport PyByteArray_AS_STRING, PyByteArray_FromStringAndSize, PyByteArray_Resize
from cpython.list cimport PyList_GET_SIZE, PyList_New, PyList_SET_ITEM
from cpython.long cimport PyLong_CheckExact
from cpython.object cimport PyObject
from cpython.sequence cimport PySequence_Fast_GET_ITEM
from libc.stdint cimport (
    int8_t, int16_t, int32_t, int64_t, uint8_t, uint16_t, uint32_t, uint64_t,
)
from libc.stdlib cimport free, malloc

from fastprime._arguments import as_int
from fastprime import _bpsw


cdef extern from "_kernel.h" nogil:
    const char *FP_MUL_PATH
    bint fp_is_prime_u64(uint64_t n) noexcept
    void fp_is_prime_u64_batch(const uint64_t *values, unsigned char *out, size_t count) noexcept
    uint64_t fp_next_prime_u64(uint64_t n) noexcept
    uint64_t fp_prev_prime_u64(uint64_t n) noexcept


#: Which 64x64->128-bit multiply this build uses ("int128", "msvc-x64", ...).
mul_path = FP_MUL_PATH.decode("ascii")

# Immutable module constants (no mutable module state: the module is free-threading safe).
cdef object _U64 = 1 << 64
cdef object _LARGEST_U64_PRIME = 18446744073709551557


cdef extern from "_pylong.h":
    int FP_GIL_DISABLED
    int fp_pylong_u64(PyObject *obj, uint64_t *out) noexcept

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


cdef extern from *:
    """
    /* Products of consecutive odd primes, each below 2**30 (one CPython digit, so the
       remainder of a big int by one is a single pass over its digits). */
    static const uint32_t FP_BIG_SIEVE[4] = {111546435u, 58642669u, 600662303u, 33984931u};
    /* 1 if r (a remainder by FP_BIG_SIEVE[k]) shares a factor with it. */
    static inline int fp_shares_factor(uint64_t r, int k)
    {
        switch (k) {
        case 0: return !(r % 3 && r % 5 && r % 7 && r % 11 && r % 13 && r % 17 && r % 19 && r % 23);
        case 1: return !(r % 29 && r % 31 && r % 37 && r % 41 && r % 43);
        case 2: return !(r % 47 && r % 53 && r % 59 && r % 61 && r % 67);
        default: return !(r % 71 && r % 73 && r % 79 && r % 83);
        }
    }
    """
    const uint32_t FP_BIG_SIEVE[4]
    bint fp_shares_factor(uint64_t r, int k) noexcept nogil


cdef bint _big_is_prime(object n) except -1:
    """is_prime for an int >= 2**64: a few remainders find most composites (three in
    four random odd numbers have a prime factor below 84) before the full test, which
    costs ~400 ns even with gmpy2 (half of it converting the number for GMP)."""
    cdef int k
    if not n & 1:
        return False
    for k in range(4):
        if fp_shares_factor(<uint64_t> (n % FP_BIG_SIEVE[k]), k):
            return False
    return _bpsw.is_prime_big(n)


def is_prime(n, /):
    """Return ``True`` if ``n`` is prime.

    Deterministic below 2**64 (Baillie-PSW, proven there); strong Baillie-PSW above
    (no counterexample known).  ``n`` may be any ``int`` or object with
    ``__index__``; ``n < 2`` gives ``False``; anything else raises ``TypeError``.
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
    """Return the smallest prime greater than ``n`` (2 for any ``n < 2``)."""
    cdef uint64_t v, r
    cdef int kind
    if not PyLong_CheckExact(n):
        n = as_int(n, "next_prime")
    kind = _to_u64(n, &v)
    if kind == 1:
        return 2
    if kind == 0:
        r = fp_next_prime_u64(v)
        if r:
            return r
    c = n + 1 + (n & 1)
    while not _big_is_prime(c):
        c += 2
    return c


def prev_prime(n, /):
    """Return the largest prime less than ``n``; ``ValueError`` if ``n <= 2``."""
    cdef uint64_t v
    cdef int kind
    if not PyLong_CheckExact(n):
        n = as_int(n, "prev_prime")
    kind = _to_u64(n, &v)
    if kind == 1 or (kind == 0 and v <= 2):
        raise ValueError(f"prev_prime() argument must be greater than 2, got {n}")
    if kind == 0:
        return fp_prev_prime_u64(v)
    c = n - 1 - (n & 1)
    while c >= _U64:
        if _big_is_prime(c):
            return c
        c -= 2
    return _LARGEST_U64_PRIME


cdef extern from *:
    """
    #if defined(__GNUC__) || defined(__clang__)
    #  define fp_prefetch(p) __builtin_prefetch(p)
    #else
    #  define fp_prefetch(p) ((void)(p))
    #endif
    """
    void fp_prefetch(const void *p) noexcept nogil

cdef extern from *:
    """
    /* True or False (borrowed), without a branch: flags of mixed numbers are a coin
       flip for the branch predictor (measured 8 ns per item with the branch). */
    static inline PyObject *fp_bool_borrowed(unsigned char flag)
    {
        const uintptr_t f = (uintptr_t)Py_False, t = (uintptr_t)Py_True;
        return (PyObject *)(f ^ ((f ^ t) & (0 - (uintptr_t)(flag != 0))));
    }
    static inline PyObject *fp_bool(unsigned char flag)
    {
        PyObject *r = fp_bool_borrowed(flag);
        Py_INCREF(r);
        return r;
    }

    /* Where True and False are mortal (before 3.12), every reference handed out is an
       increment of one of two counters: a chain of dependent read-modify-writes
       (~1.3 ns per item).  A run of flags pays for its references in two additions
       before it is read and refunds the unread ones when left, so reading an item
       writes nothing.  Immortal bools (3.12+) make Py_INCREF a load and a compare.
       Only where the counts are CPython's own plain fields (not PyPy's or GraalPy's
       emulation, not a debug build's tally, not free-threading's split counts). */
    #if defined(PYPY_VERSION) || defined(GRAALVM_PYTHON) || defined(Py_REF_DEBUG)
    #  define FP_PREPAID_BOOLS 0
    #elif PY_VERSION_HEX < 0x030C0000 && !defined(Py_GIL_DISABLED)
    #  define FP_PREPAID_BOOLS 1
    #else
    #  define FP_PREPAID_BOOLS 0
    #endif
    #if FP_PREPAID_BOOLS
    static void fp_bool_refs(const unsigned char *flags, Py_ssize_t count, Py_ssize_t sign)
    {
        Py_ssize_t i, ones = 0;
        for (i = 0; i < count; i++)
            ones += flags[i] != 0;
        Py_SET_REFCNT(Py_True, Py_REFCNT(Py_True) + sign * ones);
        Py_SET_REFCNT(Py_False, Py_REFCNT(Py_False) + sign * (count - ones));
    }
    #  define fp_bool_prepaid fp_bool_borrowed
    #else
    #  define fp_bool_refs(flags, count, sign) ((void)0)
    #  define fp_bool_prepaid fp_bool
    #endif

    /* The items of a new list (of count NULLs) from flags. */
    static void fp_bool_list_fill(PyObject *list, const unsigned char *flags, Py_ssize_t count)
    {
        Py_ssize_t i;
        fp_bool_refs(flags, count, 1);
        for (i = 0; i < count; i++)
            PyList_SET_ITEM(list, i, fp_bool_prepaid(flags[i]));
    }
    """
    # A new reference, paid for by fp_bool_refs(..., 1) over a run including the flag.
    object fp_bool_prepaid(unsigned char flag)
    void fp_bool_refs(const unsigned char *flags, Py_ssize_t count, Py_ssize_t sign) noexcept
    void fp_bool_list_fill(list result, const unsigned char *flags, Py_ssize_t count) noexcept

cdef enum:
    _PREFETCH = 64  # items ahead: the int objects are what the loop waits for
    _GIL_BLOCK = 8192  # items read per hold of the GIL in is_prime_flags


def is_prime_flags(values, Py_ssize_t start=0, stop=None, big_out=None):
    """A bytearray with 1 where ``values[start:stop]`` holds a prime, 0 elsewhere.

    Values below 2**64 are tested in C batches with the GIL released.  Lists and tuples
    are read in place, without a copy (the executor passes the caller's list and a range
    of it), a block at a time: a list shortened by another thread meanwhile is read to
    its new end, as a list iterator would, and the result is as short.  Other iterables
    are read into a list first.  Items are checked as ``is_prime`` checks them: a
    non-integer raises ``TypeError``, negatives give 0.

    With ``big_out`` (a list), values >= 2**64 are not tested: ``(position, value)``
    pairs (position counted from ``start``, value as an ``int``) are appended to
    ``big_out`` and their flags are 0, so the caller can test them elsewhere (the
    executor sends them to processes, since the big-int test holds the GIL).  Without
    it they are tested here, after the batch.
    """
    cdef object seq = values
    cdef Py_ssize_t count, i = 0, j, block_start, block_end
    cdef uint64_t *buf
    cdef unsigned char *res
    cdef int kind
    cdef PyObject *item
    cdef list big = []
    if type(seq) is not list and type(seq) is not tuple:
        seq = list(seq)
    elif FP_GIL_DISABLED and type(seq) is list:
        # Without a GIL another thread could change the list while it is read.
        seq = seq[start:stop]
        start, stop = 0, None
    count = len(seq)
    if stop is not None and <Py_ssize_t>stop < count:
        count = stop
    start = min(max(start, 0), count)
    count -= start
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
            if i and type(seq) is list:
                # The GIL was released: another thread may have shortened the list.
                # Read on as a list iterator would, up to its current end.
                count = min(count, max(PyList_GET_SIZE(seq) - start, i))
                if i == count:
                    break
            block_end = min(i + _GIL_BLOCK, count)
            block_start = i
            while i < block_end:
                item = PySequence_Fast_GET_ITEM(seq, start + i)
                if i + _PREFETCH < count:
                    fp_prefetch(PySequence_Fast_GET_ITEM(seq, start + i + _PREFETCH))
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
            rest = list(seq[start + i:start + count])
            count = i + len(rest)
            for j in range(len(rest)):
                n = rest[j]
                if not PyLong_CheckExact(n):
                    n = as_int(n, "is_prime")
                kind = _to_u64(n, &buf[i + j])
                if kind:
                    buf[i + j] = 0  # 0 is not prime: negatives are done, big ones patched below
                    if kind == 2:
                        if big_out is None:
                            big.append(i + j)
                            big.append(n)
                        else:
                            big_out.append((i + j, n))
            with nogil:
                fp_is_prime_u64_batch(buf + i, res + i, count - i)
    finally:
        free(buf)
    for j in range(0, len(big), 2):
        res[<Py_ssize_t> big[j]] = _big_is_prime(big[j + 1])
    if count < len(flags):
        PyByteArray_Resize(flags, count)
    return flags


def is_prime_many(values, big_out=None):
    """``[is_prime(v) for v in values]``: ``is_prime_flags`` as a list of bools."""
    cdef bytearray flags = is_prime_flags(values, 0, None, big_out)
    cdef Py_ssize_t count = len(flags)
    cdef list result = PyList_New(count)
    fp_bool_list_fill(result, <const unsigned char *> PyByteArray_AS_STRING(flags), count)
    return result


@cython.final
cdef class chain_results:
    """``itertools.chain.from_iterable(chunks)``, where a chunk may also be a bytes or
    bytearray of flags from ``is_prime_flags``, yielded as ``True``/``False``.
    ``total``, when known, is how many items there will be (``__length_hint__``).

    Flags cost a byte per number to return from a worker and nothing to free; a list
    of bools costs a reference per number to build, to read and to free, all with the
    GIL held, where it holds back the other threads.  For the same reason reading a
    flag is kept to a compare, a load and a store (see ``fp_bool_refs``).
    """

    cdef object chunks
    cdef object current  # the list being read, or None
    cdef Py_buffer view  # the flags being read, when has_view
    cdef bint has_view
    cdef const unsigned char *flags
    cdef Py_ssize_t position, length
    cdef Py_ssize_t total, before  # before: items of the chunks already left

    def __cinit__(self, chunks, Py_ssize_t total=-1):
        self.chunks = iter(chunks)
        self.total = total
        self.before = 0
        self.current = None
        self.has_view = False
        self.flags = NULL
        self.position = 0
        self.length = 0

    def __dealloc__(self):
        self._leave()

    cdef inline void _leave(self) noexcept:
        """Leave the current chunk, refunding the references of its unread flags."""
        if self.has_view:
            fp_bool_refs(self.flags + self.position, self.length - self.position, -1)
            self.has_view = False
            PyBuffer_Release(&self.view)
        self.flags = NULL
        self.current = None
        self.before += self.position
        self.position = 0
        self.length = 0

    def __iter__(self):
        return self

    def __length_hint__(self):
        # What list() presizes to: the items left, when the input's length is known.
        if self.total < 0:
            return NotImplemented
        return max(self.total - self.before - self.position, 0)

    def __next__(self):
        cdef Py_ssize_t p = self.position
        if p < self.length and self.flags != NULL:
            self.position = p + 1
            return fp_bool_prepaid(self.flags[p])
        return self._next_slow()

    cdef object _next_slow(self):
        cdef object chunk
        while True:
            if self.position < self.length:
                # A list chunk (flags take the fast path).
                self.position += 1
                if self.position <= len(<list> self.current):
                    return (<list> self.current)[self.position - 1]
                self.position -= 1  # only if something shrank it
            self._leave()
            chunk = next(self.chunks)  # StopIteration ends the iteration
            if type(chunk) is bytearray or type(chunk) is bytes:
                # A buffer export pins the bytes: a bytearray cannot be resized under it.
                PyObject_GetBuffer(chunk, &self.view, PyBUF_SIMPLE)
                self.has_view = True
                self.flags = <const unsigned char *> self.view.buf
                self.length = self.view.len
                fp_bool_refs(self.flags, self.length, 1)
                if self.length:
                    self.position = 1
                    return fp_bool_prepaid(self.flags[0])
            else:
                if type(chunk) is not list:
                    chunk = list(chunk)
                self.current = chunk
                self.length = len(<list> chunk)


cdef extern from "_lines.h" nogil:
    ctypedef struct fp_line:
        pass
    int fp_lines_parse(const char *text, size_t size, size_t *pos, size_t *newlines, fp_line *lines,
                       uint64_t *values, size_t max, size_t *count) noexcept
    size_t fp_lines_bound(int mode, size_t size) noexcept
    char *fp_lines_render(int mode, const char *text, size_t size, const fp_line *lines,
                          const unsigned char *prime, size_t count, char *out, const char *end) noexcept
    int FP_OUT_LINES, FP_OUT_JSON, FP_OUT_PRIMES, FP_OUT_PRIMES_JSON, FP_OUT_COUNT

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
    """Parse, test and print a block of lines, one integer per line, without the GIL.

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
    start = target = PyByteArray_AS_STRING(out)
    end = start + bound
    buffer = malloc(_SCAN_STEP * (sizeof(fp_line) + sizeof(uint64_t) + 1))
    if buffer == NULL:
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
    """Write 1 to ``out[i]`` if ``values[i]`` is prime, else 0, with the GIL released.

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
