# cython: language_level=3
"""Cython declarations of the range engines in csrc/ (sieve.h below 2**64, wide.h above),
for _cranges.pyx.  What each function does is said in its header."""

from libc.stdint cimport uint32_t, uint64_t


cdef extern from "sieve.h" nogil:
    ctypedef struct fp_sieve_primes:
        uint32_t seg_bytes
    ctypedef struct fp_sieve:
        int err
    int fp_sieve_primes_init(fp_sieve_primes *sp, uint64_t limit) noexcept
    void fp_sieve_primes_free(fp_sieve_primes *sp) noexcept
    int fp_sieve_init(fp_sieve *s, const fp_sieve_primes *sp, uint64_t lo, uint64_t hi) noexcept
    void fp_sieve_free(fp_sieve *s) noexcept
    int fp_sieve_count_step(fp_sieve *s, uint64_t budget, uint64_t *count) noexcept
    size_t fp_sieve_fill(fp_sieve *s, uint64_t *out, size_t cap) noexcept


cdef extern from "kernel.h" nogil:
    void fp_is_prime_u64_batch(const uint64_t *values, unsigned char *out, size_t count) noexcept


cdef extern from "wide.h" nogil:
    ctypedef struct fp_u128_range:
        int done
    void fp_u128_range_init(fp_u128_range *st, uint64_t lo_hi, uint64_t lo_lo, uint64_t hi_hi, uint64_t hi_lo) noexcept
    int fp_u128_count_step(fp_u128_range *st, uint64_t budget, uint64_t *count) noexcept
    size_t fp_u128_fill(fp_u128_range *st, uint64_t *out, size_t cap, uint64_t budget) noexcept
