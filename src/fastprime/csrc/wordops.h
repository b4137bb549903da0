/*
 * Machine-word primitives whose spelling differs between compilers: the 64x64->128-bit
 * product and bit scans; and the word-level helpers both kernels share (popcount, the
 * Jacobi symbol, the inverse modulo 2**64).  Everything else in the kernel is plain C99.
 *
 * Paths, in order of preference:
 *   GCC/Clang on 64-bit targets: unsigned __int128 (one MUL instruction).
 *   MSVC x64: _umul128 / __umulh.   MSVC ARM64: a*b and __umulh.
 *   Anything else (32-bit targets, or FP_FORCE_PORTABLE_MUL for testing): four 32x32->64
 *   products.  No BMI2/MULX or -march=native is assumed: wheels run on any CPU of the arch.
 */
#ifndef FASTPRIME_WORDOPS_H
#define FASTPRIME_WORDOPS_H

#include <stdint.h>

#if defined(_MSC_VER)
#  include <intrin.h>
#  define FP_INLINE static __forceinline
#else
#  define FP_INLINE static inline __attribute__((always_inline))
#endif

#if !defined(FP_FORCE_PORTABLE_MUL) && defined(__SIZEOF_INT128__)
#  define FP_MUL_PATH "int128"
FP_INLINE uint64_t fp_mul128(uint64_t a, uint64_t b, uint64_t *hi)
{
    unsigned __int128 p = (unsigned __int128)a * b;
    *hi = (uint64_t)(p >> 64);
    return (uint64_t)p;
}
FP_INLINE uint64_t fp_mulhi(uint64_t a, uint64_t b)
{
    return (uint64_t)(((unsigned __int128)a * b) >> 64);
}
#elif !defined(FP_FORCE_PORTABLE_MUL) && defined(_MSC_VER) && defined(_M_X64) && !defined(_M_ARM64EC)
#  define FP_MUL_PATH "msvc-x64"
FP_INLINE uint64_t fp_mul128(uint64_t a, uint64_t b, uint64_t *hi) { return _umul128(a, b, hi); }
FP_INLINE uint64_t fp_mulhi(uint64_t a, uint64_t b) { return __umulh(a, b); }
#elif !defined(FP_FORCE_PORTABLE_MUL) && defined(_MSC_VER) && (defined(_M_ARM64) || defined(_M_ARM64EC))
#  define FP_MUL_PATH "msvc-arm64"
FP_INLINE uint64_t fp_mul128(uint64_t a, uint64_t b, uint64_t *hi) { *hi = __umulh(a, b); return a * b; }
FP_INLINE uint64_t fp_mulhi(uint64_t a, uint64_t b) { return __umulh(a, b); }
#else
#  define FP_MUL_PATH "portable"
FP_INLINE uint64_t fp_mul128(uint64_t a, uint64_t b, uint64_t *hi)
{
    uint64_t a0 = (uint32_t)a, a1 = a >> 32, b0 = (uint32_t)b, b1 = b >> 32;
    uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    /* At most 3 * (2**32 - 1): no overflow. */
    uint64_t mid = (p00 >> 32) + (uint32_t)p01 + (uint32_t)p10;
    *hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
    return (mid << 32) | (uint32_t)p00;
}
FP_INLINE uint64_t fp_mulhi(uint64_t a, uint64_t b)
{
    uint64_t hi;
    (void)fp_mul128(a, b, &hi);
    return hi;
}
#endif

/* Count trailing / leading zeros of a nonzero word. */
#if defined(__GNUC__) || defined(__clang__)
FP_INLINE int fp_ctz64(uint64_t x) { return __builtin_ctzll(x); }
FP_INLINE int fp_clz64(uint64_t x) { return __builtin_clzll(x); }
#elif defined(_MSC_VER) && (defined(_M_X64) || defined(_M_ARM64) || defined(_M_ARM64EC))
FP_INLINE int fp_ctz64(uint64_t x) { unsigned long i; _BitScanForward64(&i, x); return (int)i; }
FP_INLINE int fp_clz64(uint64_t x) { unsigned long i; _BitScanReverse64(&i, x); return 63 - (int)i; }
#else
FP_INLINE int fp_ctz64(uint64_t x) { int n = 0; while (!(x & 1)) { x >>= 1; n++; } return n; }
FP_INLINE int fp_clz64(uint64_t x) { int n = 0; while (!(x >> 63)) { x <<= 1; n++; } return n; }
#endif

/* ---- Population count (for the range sieve, sieve.h) ----
   GCC/Clang: the builtin (one POPCNT where the target has it; sieve.h dispatches at run time
   to a target("popcnt") loop on x86, since baseline x86-64 lacks the instruction).  Others: the
   SWAR sum of bit counts (Hacker's Delight 5-2), branch-free, 12 operations. */
#if defined(__GNUC__) || defined(__clang__)
FP_INLINE int fp_popcount64(uint64_t x) { return __builtin_popcountll(x); }
#else
FP_INLINE int fp_popcount64(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ULL);
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
    return (int)((x * 0x0101010101010101ULL) >> 56);
}
#endif

/* ---- Small number theory shared by kernel.h and wide.h ---- */

/* Jacobi symbol (a/m) for odd m > 0, a < m, both small (32-bit arithmetic). */
FP_INLINE int fp_jacobi32(uint32_t a, uint32_t m)
{
    int t = 1;
    while (a) {
        uint32_t r;
        while (!(a & 1)) {
            a >>= 1;
            if ((m & 7) == 3 || (m & 7) == 5) t = -t;
        }
        if ((a & 3) == 3 && (m & 3) == 3) t = -t;
        r = m % a;
        m = a;
        a = r;
    }
    return m == 1 ? t : 0;
}

/* n**-1 mod 2**64 for odd n: the Montgomery constant of kernel.h and wide.h. */
FP_INLINE uint64_t fp_inverse64(uint64_t n)
{
    /* Newton's iteration doubles the correct low bits: 5 -> 10 -> 20 -> 40 -> 80. */
    uint64_t x = (3 * n) ^ 2;
    x *= 2 - n * x;
    x *= 2 - n * x;
    x *= 2 - n * x;
    x *= 2 - n * x;
    return x;
}

#endif /* FASTPRIME_WORDOPS_H */
