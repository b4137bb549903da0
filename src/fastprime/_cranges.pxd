# cython: language_level=3
"""Cython declarations of the range engines in csrc/ (sieve.h below 2**64, widesieve.h above),
for _cranges.pyx.  What each function does is said in its header."""

from libc.stdint cimport uint8_t, uint32_t, uint64_t


cdef extern from "sieve.h" nogil:
    ctypedef struct fp_sieve_primes:
        uint32_t seg_bytes
    ctypedef struct fp_sieve:
        int err
    int fp_sieve_primes_init(fp_sieve_primes *sp, uint64_t limit) noexcept
    void fp_sieve_primes_free(fp_sieve_primes *sp) noexcept
    int fp_sieve_init(fp_sieve *s, const fp_sieve_primes *sp, uint64_t lo, uint64_t hi) noexcept
    int fp_sieve_prepare(fp_sieve *s, uint64_t nprimes) noexcept
    void fp_sieve_free(fp_sieve *s) noexcept
    int fp_sieve_count_step(fp_sieve *s, uint64_t budget, uint64_t *count) noexcept
    size_t fp_sieve_fill(fp_sieve *s, uint64_t *out, size_t cap) noexcept


cdef extern from "kernel.h" nogil:
    void fp_is_prime_u64_batch(const uint64_t *values, unsigned char *out, size_t count) noexcept


cdef extern from "widesieve.h" nogil:
    ctypedef struct fp_wsieve:
        fp_sieve s
        int exact
    int fp_wsieve_init(fp_wsieve *w, const fp_sieve_primes *sp, uint64_t lo_hi, uint64_t lo_lo,
                       uint64_t hi_hi, uint64_t hi_lo, uint64_t plimit) noexcept
    void fp_wsieve_free(fp_wsieve *w) noexcept
    int fp_wsieve_prepare(fp_wsieve *w, uint64_t nprimes) noexcept
    int fp_wsieve_count_step(fp_wsieve *w, uint64_t budget, uint64_t *count) noexcept
    size_t fp_wsieve_fill(fp_wsieve *w, uint64_t *pairs, size_t cap) noexcept
    int fp_wsieve_exact(uint64_t lo_hi, uint64_t lo_lo, uint64_t hi_hi, uint64_t hi_lo) noexcept
    void fp_wsieve_part_bounds(int t, int T, uint64_t *pmin, uint64_t *pmax) noexcept
    int fp_wsieve_init_part(fp_wsieve *w, const fp_sieve_primes *sp, uint64_t lo_hi, uint64_t lo_lo,
                            uint64_t hi_hi, uint64_t hi_lo, uint64_t pmin, uint64_t pmax) noexcept
    size_t fp_wsieve_bitmap_bytes(const fp_wsieve *w) noexcept
    int fp_wsieve_bitmap_step(fp_wsieve *w, uint8_t *map, uint64_t budget) noexcept
    uint64_t fp_wsieve_bitmap_count(const fp_wsieve *w0, uint8_t **maps, int T) noexcept
    void fp_wsieve_bitmap_and(uint8_t **maps, int T, size_t nbytes) noexcept
    size_t fp_wsieve_bitmap_fill(const fp_wsieve *w0, const uint8_t *map, size_t *pos,
                                 uint64_t *pairs, size_t cap) noexcept
