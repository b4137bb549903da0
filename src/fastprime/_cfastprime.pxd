# cython: language_level=3
"""Cython declarations of the C headers in csrc/ (the include path setup.py gives).

Read by Cython with _cfastprime.pyx (a .pxd of the same name is part of the module), so
the .pyx holds only the glue.  What each function does is said in its header.
"""

from cpython.object cimport PyObject
from libc.stdint cimport uint32_t, uint64_t


cdef extern from "kernel.h" nogil:
    const char *FP_MUL_PATH
    bint fp_is_prime_u64(uint64_t n) noexcept
    void fp_is_prime_u64_batch(const uint64_t *values, unsigned char *out, size_t count) noexcept
    uint64_t fp_next_prime_u64(uint64_t n) noexcept
    uint64_t fp_prev_prime_u64(uint64_t n) noexcept


cdef extern from "wide.h" nogil:
    bint fp_is_prime_u128(uint64_t hi, uint64_t lo) noexcept
    void fp_is_prime_u128_many(const uint64_t *hi_lo_pairs, size_t n, unsigned char *out) noexcept
    int fp_next_prime_u128(uint64_t hi, uint64_t lo, uint64_t *out_hi, uint64_t *out_lo) noexcept
    int fp_prev_prime_u128(uint64_t hi, uint64_t lo, uint64_t *out_hi, uint64_t *out_lo) noexcept


cdef extern from "pylong.h":
    int FP_GIL_DISABLED
    int fp_pylong_u64(PyObject *obj, uint64_t *out) noexcept
    int fp_pylong_u128(PyObject *obj, uint64_t *hi, uint64_t *lo) noexcept


cdef extern from "pyglue.h":
    const uint32_t FP_BIG_SIEVE[4]
    bint fp_shares_factor(uint64_t r, int k) noexcept nogil
    void fp_prefetch(const void *p) noexcept nogil
    # A new reference, paid for by fp_bool_refs(..., 1) over a run including the flag.
    object fp_bool_prepaid(unsigned char flag)
    void fp_bool_refs(const unsigned char *flags, Py_ssize_t count, Py_ssize_t sign) noexcept
    void fp_bool_list_fill(list result, const unsigned char *flags, Py_ssize_t count) noexcept


cdef extern from "lines.h" nogil:
    ctypedef struct fp_line:
        pass
    int fp_lines_parse(const char *text, size_t size, size_t *pos, size_t *newlines, fp_line *lines,
                       uint64_t *values, size_t max, size_t *count) noexcept
    size_t fp_lines_bound(int mode, size_t size) noexcept
    char *fp_lines_render(int mode, const char *text, size_t size, const fp_line *lines,
                          const unsigned char *prime, size_t count, char *out, const char *end) noexcept
    int FP_OUT_LINES, FP_OUT_JSON, FP_OUT_PRIMES, FP_OUT_PRIMES_JSON, FP_OUT_COUNT
