# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
# cython: cdivision=True, freethreading_compatible=True, binding=False
"""The compiled kernel: the C test of ``_kernel.h`` behind the public functions.

Below 2**64 everything runs in C; numbers >= 2**64 go to ``_bpsw.is_prime_big`` (Python
ints, or gmpy2 when installed), which holds the GIL.  The scalar functions keep the GIL:
releasing it per call costs more than a test.  ``is_prime_many`` and ``is_prime_into``
release it once per batch, which is what lets threads scale.
"""

from cpython.list cimport PyList_New, PyList_SET_ITEM
from cpython.long cimport PyLong_CheckExact
from cpython.ref cimport Py_INCREF
from libc.stdint cimport (
    int8_t, int16_t, int32_t, int64_t, uint8_t, uint16_t, uint32_t, uint64_t,
)
from libc.stdlib cimport free, malloc

from fastprime._arguments import as_int
from fastprime._bpsw import is_prime_big


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


cdef inline int _to_u64(object n, uint64_t *out) except -1:
    """Store ``n`` (an int) in ``*out``; return 0, or 1 if n < 0, or 2 if n >= 2**64."""
    # Cython's conversion reads the digits directly: faster than
    # PyLong_AsUnsignedLongLong; the exception is only for negative or big n.
    try:
        out[0] = n
    except OverflowError:
        return 1 if n < 0 else 2
    return 0


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
    return is_prime_big(n)


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
    while not is_prime_big(c):
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
        if is_prime_big(c):
            return c
        c -= 2
    return _LARGEST_U64_PRIME


def is_prime_many(values, big_out=None):
    """``[is_prime(v) for v in values]``, testing every value below 2**64 in one C batch
    with the GIL released.

    With ``big_out`` (a list), values >= 2**64 are not tested: their positions are
    appended to ``big_out`` and their slots hold ``False``, so the caller can test them
    elsewhere (the executor sends them to processes, since the big-int test holds the
    GIL).  Without it they are tested here, after the batch.
    """
    cdef list seq = values if type(values) is list else list(values)
    cdef Py_ssize_t count = len(seq), i
    cdef uint64_t *buf
    cdef unsigned char *res
    cdef int kind
    cdef list result
    cdef list big = []
    if count == 0:
        return []
    buf = <uint64_t *> malloc(count * sizeof(uint64_t))
    res = <unsigned char *> malloc(count)
    if buf == NULL or res == NULL:
        free(buf)
        free(res)
        raise MemoryError()
    try:
        i = 0
        while i < count:
            # One try around the whole run (Cython's int conversion reads the digits
            # directly); only negative or >= 2**64 items and non-ints leave the inner
            # loop.  This loop holds the GIL, so its cost per
            # item bounds how well threads running the batches scale.
            try:
                while i < count:
                    n = seq[i]
                    if not PyLong_CheckExact(n):
                        break
                    buf[i] = n
                    i += 1
                else:
                    break
            except OverflowError:
                n = seq[i]
            else:
                n = as_int(n, "is_prime")
            kind = _to_u64(n, &buf[i])
            if kind:
                buf[i] = 0  # 0 is not prime: negatives are done, big ones are patched below
                if kind == 2:
                    big.append(i)
                    if big_out is None:
                        big.append(n)
                    else:
                        big_out.append(i)
            i += 1
        with nogil:
            fp_is_prime_u64_batch(buf, res, count)
        result = PyList_New(count)
        for i in range(count):
            flag = True if res[i] else False
            Py_INCREF(flag)
            PyList_SET_ITEM(result, i, flag)
    finally:
        free(buf)
        free(res)
    if big_out is None:
        for i in range(0, len(big), 2):
            result[big[i]] = is_prime_big(big[i + 1])
    return result


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
