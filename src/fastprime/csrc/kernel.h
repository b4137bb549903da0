/*
 * fastprime's primality kernel for n < 2**64: plain C, no allocation, no global state,
 * safe to call without the GIL from any number of threads.
 *
 * Algorithm (deterministic for every n < 2**64):
 *   1. n < 256: a 256-bit table.
 *   2. Trial division by the odd primes 3..251, by multiplication with the modular
 *      inverse (n*inv(p) mod 2**64 <= floor((2**64-1)/p) iff p | n; Granlund &
 *      Montgomery 1994): no hardware division.  What survives below 257**2 is prime.
 *   3. Baillie-PSW: a strong base-2 Miller-Rabin round, then an extra strong Lucas test
 *      with Baillie's parameters (P = 3, 4, 5, ..., Q = 1; OEIS A217719; Grantham,
 *      Math. Comp. 70 (2001) 873-891).  No composite below 2**64 passes it: every base-2
 *      pseudoprime below 2**64 (Feitsma & Galway's list, 2009) was checked against the
 *      standard, strong, extra strong and almost extra strong Lucas tests, and none
 *      passes (D. Jacobsen, Math::Prime::Util 0.30 notes, 2013).  Cost on a prime, with
 *      the two chains in lock step: about 1.4 Miller-Rabin rounds (300 ns against 220 ns
 *      for the base-2 round alone, measured on a 4 GHz x86-64), less than the two rounds
 *      of the best published hashed-base schemes (Forisek & Jancina, SOFSEM 2015), and
 *      without their 512 KiB table.
 *
 * Arithmetic is Montgomery multiplication with the "alternate REDC" of Hurchalla
 * (modular_arithmetic, README_REDC.md), valid for every odd n < 2**64 with no special
 * case for the top bit.  A single number runs its base-2 and Lucas chains in lock step;
 * the batch loop runs base-2 rounds four numbers at a time and Lucas tests two at a
 * time, so the multiplier's latency is hidden (instruction-level parallelism).
 */
#ifndef FASTPRIME_KERNEL_H
#define FASTPRIME_KERNEL_H

#include <stddef.h>
#include <stdint.h>
#include <math.h>

#include "_wordops.h"

/* Bit n set iff n < 256 is prime. */
static const uint64_t FP_SMALL_PRIMES[4] = {0x28208a20a08a28acULL, 0x800228a202088288ULL, 0x8028208820a00a08ULL, 0x08028228800800a2ULL};

/* {p**-1 mod 2**64, floor((2**64-1)/p)} for the odd primes p = 3..251.  Trial division
   this far leaves ~20% of random odd 64-bit numbers for Baillie-PSW.  Going further
   trades evenly for random inputs (each extra prime is a multiply-compare for every
   survivor, each avoided test ~400 ns for a few) and only slows down primes, which
   pay for every prime in the table. */
#define FP_TRIAL_COUNT 53
static const uint64_t FP_TRIAL[FP_TRIAL_COUNT][2] = {
    {0xaaaaaaaaaaaaaaabULL, 0x5555555555555555ULL}, /* 3 */
    {0xcccccccccccccccdULL, 0x3333333333333333ULL}, /* 5 */
    {0x6db6db6db6db6db7ULL, 0x2492492492492492ULL}, /* 7 */
    {0x2e8ba2e8ba2e8ba3ULL, 0x1745d1745d1745d1ULL}, /* 11 */
    {0x4ec4ec4ec4ec4ec5ULL, 0x13b13b13b13b13b1ULL}, /* 13 */
    {0xf0f0f0f0f0f0f0f1ULL, 0x0f0f0f0f0f0f0f0fULL}, /* 17 */
    {0x86bca1af286bca1bULL, 0x0d79435e50d79435ULL}, /* 19 */
    {0xd37a6f4de9bd37a7ULL, 0x0b21642c8590b216ULL}, /* 23 */
    {0x34f72c234f72c235ULL, 0x08d3dcb08d3dcb08ULL}, /* 29 */
    {0xef7bdef7bdef7bdfULL, 0x0842108421084210ULL}, /* 31 */
    {0x14c1bacf914c1badULL, 0x06eb3e45306eb3e4ULL}, /* 37 */
    {0x8f9c18f9c18f9c19ULL, 0x063e7063e7063e70ULL}, /* 41 */
    {0x82fa0be82fa0be83ULL, 0x05f417d05f417d05ULL}, /* 43 */
    {0x51b3bea3677d46cfULL, 0x0572620ae4c415c9ULL}, /* 47 */
    {0x21cfb2b78c13521dULL, 0x04d4873ecade304dULL}, /* 53 */
    {0xcbeea4e1a08ad8f3ULL, 0x0456c797dd49c341ULL}, /* 59 */
    {0x4fbcda3ac10c9715ULL, 0x04325c53ef368eb0ULL}, /* 61 */
    {0xf0b7672a07a44c6bULL, 0x03d226357e16ece5ULL}, /* 67 */
    {0x193d4bb7e327a977ULL, 0x039b0ad12073615aULL}, /* 71 */
    {0x7e3f1f8fc7e3f1f9ULL, 0x0381c0e070381c0eULL}, /* 73 */
    {0x9b8b577e613716afULL, 0x033d91d2a2067b23ULL}, /* 79 */
    {0xa3784a062b2e43dbULL, 0x03159721ed7e7534ULL}, /* 83 */
    {0xf47e8fd1fa3f47e9ULL, 0x02e05c0b81702e05ULL}, /* 89 */
    {0xa3a0fd5c5f02a3a1ULL, 0x02a3a0fd5c5f02a3ULL}, /* 97 */
    {0x3a4c0a237c32b16dULL, 0x0288df0cac5b3f5dULL}, /* 101 */
    {0xdab7ec1dd3431b57ULL, 0x027c45979c95204fULL}, /* 103 */
    {0x77a04c8f8d28ac43ULL, 0x02647c69456217ecULL}, /* 107 */
    {0xa6c0964fda6c0965ULL, 0x02593f69b02593f6ULL}, /* 109 */
    {0x90fdbc090fdbc091ULL, 0x0243f6f0243f6f02ULL}, /* 113 */
    {0x7efdfbf7efdfbf7fULL, 0x0204081020408102ULL}, /* 127 */
    {0x03e88cb3c9484e2bULL, 0x01f44659e4a42715ULL}, /* 131 */
    {0xe21a291c077975b9ULL, 0x01de5d6e3f8868a4ULL}, /* 137 */
    {0x3aef6ca970586723ULL, 0x01d77b654b82c339ULL}, /* 139 */
    {0xdf5b0f768ce2cabdULL, 0x01b7d6c3dda338b2ULL}, /* 149 */
    {0x6fe4dfc9bf937f27ULL, 0x01b2036406c80d90ULL}, /* 151 */
    {0x5b4fe5e92c0685b5ULL, 0x01a16d3f97a4b01aULL}, /* 157 */
    {0x1f693a1c451ab30bULL, 0x01920fb49d0e228dULL}, /* 163 */
    {0x8d07aa27db35a717ULL, 0x01886e5f0abb0499ULL}, /* 167 */
    {0x882383b30d516325ULL, 0x017ad2208e0ecc35ULL}, /* 173 */
    {0xed6866f8d962ae7bULL, 0x016e1f76b4337c6cULL}, /* 179 */
    {0x3454dca410f8ed9dULL, 0x016a13cd15372904ULL}, /* 181 */
    {0x1d7ca632ee936f3fULL, 0x01571ed3c506b39aULL}, /* 191 */
    {0x70bf015390948f41ULL, 0x015390948f40feacULL}, /* 193 */
    {0xc96bdb9d3d137e0dULL, 0x014cab88725af6e7ULL}, /* 197 */
    {0x2697cc8aef46c0f7ULL, 0x0149539e3b2d066eULL}, /* 199 */
    {0xc0e8f2a76e68575bULL, 0x013698df3de07479ULL}, /* 211 */
    {0x687763dfdb43bb1fULL, 0x0125e22708092f11ULL}, /* 223 */
    {0x1b10ea929ba144cbULL, 0x0120b470c67c0d88ULL}, /* 227 */
    {0x1d10c4c0478bbcedULL, 0x011e2ef3b3fb8744ULL}, /* 229 */
    {0x63fb9aeb1fdcd759ULL, 0x0119453808ca29c0ULL}, /* 233 */
    {0x64afaa4f437b2e0fULL, 0x0112358e75d30336ULL}, /* 239 */
    {0xf010fef010fef011ULL, 0x010fef010fef010fULL}, /* 241 */
    {0x28cbfbeb9a020a33ULL, 0x0105197f7d734041ULL}, /* 251 */
};
/* Every n < FP_TRIAL_LIMIT with no prime factor <= 251 is prime (257 is the next prime). */
#define FP_TRIAL_LIMIT (257ULL * 257ULL)

/* ---- Montgomery arithmetic modulo an odd n (values in [0, n)) ---- */

typedef struct {
    uint64_t n;
    uint64_t inv;  /* n**-1 mod 2**64 */
    uint64_t one;  /* 2**64 mod n: Montgomery form of 1 */
} fp_mont;

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

FP_INLINE void fp_mont_init(fp_mont *m, uint64_t n)
{
    m->n = n;
    m->inv = fp_inverse64(n);
    /* 2**64 mod n = (2**64 - n) mod n; for n >= 2**62 at most 3 subtractions, which is
       cheaper than the division and covers three quarters of all 64-bit inputs. */
    if (n >> 62) {
        uint64_t r = 0 - n;
        while (r >= n) r -= n;
        m->one = r;
    } else {
        m->one = (0 - n) % n;
    }
}

FP_INLINE uint64_t fp_mont_mul(uint64_t a, uint64_t b, uint64_t n, uint64_t inv)
{
    uint64_t hi, lo = fp_mul128(a, b, &hi);
    /* m*n agrees with a*b in the low word, so (a*b - m*n) / 2**64 = hi - mulhi(m, n)
       exactly, and lies in (-n, n). */
    uint64_t mh = fp_mulhi(lo * inv, n);
    uint64_t r = hi - mh;
    return hi < mh ? r + n : r;
}

/* Modular add and subtract of values in [0, n), with the correction applied through a
   mask: as a ?: the compiler may emit a branch, which is predictable only for special
   n (just below 2**64, where Montgomery constants are tiny) and a coin flip for
   random n, where it cost ~25% of a Baillie-PSW test. */
FP_INLINE uint64_t fp_sub_mod(uint64_t a, uint64_t b, uint64_t n)
{
#if defined(__GNUC__) && defined(__x86_64__) && !defined(FP_NO_ASM)
    /* sub sets the borrow; lea adds n without touching flags; cmov picks. */
    uint64_t e;
    __asm__("sub %2, %0\n\tlea (%0,%3), %1\n\tcmovb %1, %0"
            : "+&r"(a), "=&r"(e) : "r"(b), "r"(n) : "cc");
    return a;
#else
    uint64_t d = a - b;
    return d + (n & (0 - (uint64_t)(a < b)));
#endif
}

FP_INLINE uint64_t fp_add_mod(uint64_t a, uint64_t b, uint64_t n)
{
    /* a + b - n, plus n back if that borrowed: n - b is in (0, n], no overflow. */
    return fp_sub_mod(a, n - b, n);
}

/* REDC(a*b) - c mod n.  The high word of a*b is ready long before the reduction's
   product, so subtracting c from it first keeps the subtraction off the critical
   path: the Lucas ladder's "- 2" and "- P" cost no latency. */
FP_INLINE uint64_t fp_mont_mul_sub(uint64_t a, uint64_t b, uint64_t c, uint64_t n, uint64_t inv)
{
    uint64_t hi, lo = fp_mul128(a, b, &hi);
    uint64_t mh = fp_mulhi(lo * inv, n);
    /* hi < n because a, b < n. */
    return fp_sub_mod(fp_sub_mod(hi, c, n), mh, n);
}

/* a if mask is all ones, b if it is zero, without a branch: exponent bits are random,
   and a compiler that turns ?: into a branch (GCC does, for the Lucas swap) pays a
   misprediction on half of all bits of a random prime.  GCC/Clang on x86-64 and
   AArch64 get a one-instruction conditional move; elsewhere a mask does it. */
FP_INLINE uint64_t fp_select(uint64_t mask, uint64_t a, uint64_t b)
{
#if defined(__GNUC__) && defined(__x86_64__) && !defined(FP_NO_ASM)
    __asm__("test %1, %1\n\tcmovnz %2, %0" : "+r"(b) : "r"(mask), "r"(a) : "cc");
    return b;
#elif defined(__GNUC__) && defined(__aarch64__) && !defined(FP_NO_ASM)
    uint64_t r;
    __asm__("cmp %1, #0\n\tcsel %0, %2, %3, ne" : "=r"(r) : "r"(mask), "r"(a), "r"(b) : "cc");
    return r;
#else
    return b ^ ((a ^ b) & mask);
#endif
}

/* Montgomery form of a small constant c (c*R mod n), by doubling and adding: no division. */
FP_INLINE uint64_t fp_mont_small(uint64_t c, const fp_mont *m)
{
    uint64_t r = 0;
    int i;
    for (i = 63 - fp_clz64(c); i >= 0; i--) {
        r = fp_add_mod(r, r, m->n);
        if ((c >> i) & 1) r = fp_add_mod(r, m->one, m->n);
    }
    return r;
}

/* ---- Strong probable prime test to base 2 ---- */

/* The squaring tail of Miller-Rabin, given x = a**d. */
FP_INLINE int fp_sprp_tail(uint64_t x, int s, const fp_mont *m)
{
    const uint64_t mone = m->n - m->one;
    if (x == m->one || x == mone) return 1;
    while (--s > 0) {
        x = fp_mont_mul(x, x, m->n, m->inv);
        if (x == mone) return 1;
        if (x == m->one) return 0;
    }
    return 0;
}

/* 2**d[k] mod n[k] for four numbers in lock step, left to right: one square per bit
   and a doubling for each set bit.  That is half the multiplies of the right-to-left
   chain in fp_bpsw_fused, which matters here: with four chains the multiplier's
   throughput, not its latency, is the limit (two chains were still latency-bound).
   All start at 1, so leading zero bits of a shorter exponent square 1 into 1 and
   never double. */
FP_INLINE void fp_pow2_mont_l2r_x4(const uint64_t d[4], const fp_mont *m[4], uint64_t x[4])
{
    uint64_t a0 = m[0]->one, a1 = m[1]->one, a2 = m[2]->one, a3 = m[3]->one;
    int i = 63 - fp_clz64(d[0] | d[1] | d[2] | d[3]);
    for (; i >= 0; i--) {
        a0 = fp_mont_mul(a0, a0, m[0]->n, m[0]->inv);
        a1 = fp_mont_mul(a1, a1, m[1]->n, m[1]->inv);
        a2 = fp_mont_mul(a2, a2, m[2]->n, m[2]->inv);
        a3 = fp_mont_mul(a3, a3, m[3]->n, m[3]->inv);
        a0 = fp_select(0 - ((d[0] >> i) & 1), fp_add_mod(a0, a0, m[0]->n), a0);
        a1 = fp_select(0 - ((d[1] >> i) & 1), fp_add_mod(a1, a1, m[1]->n), a1);
        a2 = fp_select(0 - ((d[2] >> i) & 1), fp_add_mod(a2, a2, m[2]->n), a2);
        a3 = fp_select(0 - ((d[3] >> i) & 1), fp_add_mod(a3, a3, m[3]->n), a3);
    }
    x[0] = a0; x[1] = a1; x[2] = a2; x[3] = a3;
}

/* ---- Extra strong Lucas test (Q = 1) ---- */

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

FP_INLINE int fp_is_square(uint64_t n)
{
    uint64_t r = (uint64_t)sqrt((double)n);
    /* The double may be off by one either way near 2**64; correct it exactly. */
    while (r > 0xFFFFFFFFULL || r * r > n) r--;
    while (r < 0xFFFFFFFFULL && (r + 1) * (r + 1) <= n) r++;
    return r * r == n;
}

/* 9*5*7*11*13*17*19*23: n mod this constant (a multiply, not a division, since the
   divisor is a compile-time constant) gives n mod every odd part of D = P*P-4 for
   P <= 22, so the parameter search below does no 64-bit division. */
#define FP_JACOBI_M 334639305ULL

/* Smallest P >= 3 with Jacobi(P*P-4, n) = -1, or 0 if n is proven composite on the way.
   n is odd, > 257**2, and has no prime factor <= 251.  The general search, one Jacobi
   symbol per P; fp_lucas_p below answers nearly every n without it. */
FP_INLINE uint64_t fp_lucas_p_search(uint64_t n)
{
    const uint32_t rm = (uint32_t)(n % FP_JACOBI_M);
    /* (2/n) = +1 iff n = +-1 mod 8 */
    const int two_sign = ((n & 7) == 1 || (n & 7) == 7) ? 1 : -1;
    uint32_t p;
    for (p = 3;; p++) {
        uint32_t d = p * p - 4, odd = d;
        int z = 0, j;
        uint32_t r;
        while (!(odd & 1)) { odd >>= 1; z++; }
        /* (D/n) = (2/n)**z (odd/n); reciprocity: (odd/n) = (n/odd) * (-1)**(((odd-1)/2)*((n-1)/2)) */
        r = (FP_JACOBI_M % odd == 0) ? rm % odd : (uint32_t)(n % odd);
        j = fp_jacobi32(r, odd);
        if ((z & 1) && two_sign < 0) j = -j;
        if ((odd & 3) == 3 && (n & 3) == 3) j = -j;
        if (j == -1) return p;
        if (j == 0) return 0; /* gcd(D, n) > 1 and n > D: composite */
        /* A square has no D with (D/n) = -1: without this check the search never ends. */
        if (p == 8 && fp_is_square(n)) return 0;
    }
}

/* Bit r set iff r is a nonzero square modulo the j-th of 3, 5, 7, 11, 13, 17, 19, 23:
   Legendre symbols by lookup. */
static const uint32_t FP_JACOBI_QR[8] = {0x2, 0x12, 0x16, 0x23a, 0x161a, 0x1a316, 0x30af2, 0x5335e};

/* For P = 3..22 every prime factor of D = P*P-4 = (P-2)(P+2) is one of 2, 3, ..., 23,
   so (D/n) is the product of the symbols (q/n) for the q that divide D an odd number
   of times.  Index: a 9-bit mask with bit 0 set iff (2/n) = -1 and bit j+1 iff
   (q_j/n) = -1 for q_j = 3, 5, 7, 11, 13, 17, 19, 23.  Entry: the smallest P whose
   D has an odd number of those factors (so (D/n) = -1), or 0 if no P <= 22 has.
   tests/test_kernel_c.py derives both tables from this definition (and prints them
   if they differ), and checks fp_lucas_p against fp_lucas_p_search. */
static const unsigned char FP_FIRST_P[512] = {
    0, 6, 4, 4, 3, 3, 3, 3, 5, 5, 4, 4, 3, 3, 3, 3, 9, 6, 4, 4, 3, 3, 3, 3, 5, 5, 4, 4, 3, 3, 3, 3,
    11, 6, 4, 4, 3, 3, 3, 3, 5, 5, 4, 4, 3, 3, 3, 3, 9, 6, 4, 4, 3, 3, 3, 3, 5, 5, 4, 4, 3, 3, 3, 3,
    15, 6, 4, 4, 3, 3, 3, 3, 5, 5, 4, 4, 3, 3, 3, 3, 9, 6, 4, 4, 3, 3, 3, 3, 5, 5, 4, 4, 3, 3, 3, 3,
    11, 6, 4, 4, 3, 3, 3, 3, 5, 5, 4, 4, 3, 3, 3, 3, 9, 6, 4, 4, 3, 3, 3, 3, 5, 5, 4, 4, 3, 3, 3, 3,
    17, 6, 4, 4, 3, 3, 3, 3, 5, 5, 4, 4, 3, 3, 3, 3, 9, 6, 4, 4, 3, 3, 3, 3, 5, 5, 4, 4, 3, 3, 3, 3,
    11, 6, 4, 4, 3, 3, 3, 3, 5, 5, 4, 4, 3, 3, 3, 3, 9, 6, 4, 4, 3, 3, 3, 3, 5, 5, 4, 4, 3, 3, 3, 3,
    15, 6, 4, 4, 3, 3, 3, 3, 5, 5, 4, 4, 3, 3, 3, 3, 9, 6, 4, 4, 3, 3, 3, 3, 5, 5, 4, 4, 3, 3, 3, 3,
    11, 6, 4, 4, 3, 3, 3, 3, 5, 5, 4, 4, 3, 3, 3, 3, 9, 6, 4, 4, 3, 3, 3, 3, 5, 5, 4, 4, 3, 3, 3, 3,
    21, 6, 4, 4, 3, 3, 3, 3, 5, 5, 4, 4, 3, 3, 3, 3, 9, 6, 4, 4, 3, 3, 3, 3, 5, 5, 4, 4, 3, 3, 3, 3,
    11, 6, 4, 4, 3, 3, 3, 3, 5, 5, 4, 4, 3, 3, 3, 3, 9, 6, 4, 4, 3, 3, 3, 3, 5, 5, 4, 4, 3, 3, 3, 3,
    15, 6, 4, 4, 3, 3, 3, 3, 5, 5, 4, 4, 3, 3, 3, 3, 9, 6, 4, 4, 3, 3, 3, 3, 5, 5, 4, 4, 3, 3, 3, 3,
    11, 6, 4, 4, 3, 3, 3, 3, 5, 5, 4, 4, 3, 3, 3, 3, 9, 6, 4, 4, 3, 3, 3, 3, 5, 5, 4, 4, 3, 3, 3, 3,
    17, 6, 4, 4, 3, 3, 3, 3, 5, 5, 4, 4, 3, 3, 3, 3, 9, 6, 4, 4, 3, 3, 3, 3, 5, 5, 4, 4, 3, 3, 3, 3,
    11, 6, 4, 4, 3, 3, 3, 3, 5, 5, 4, 4, 3, 3, 3, 3, 9, 6, 4, 4, 3, 3, 3, 3, 5, 5, 4, 4, 3, 3, 3, 3,
    15, 6, 4, 4, 3, 3, 3, 3, 5, 5, 4, 4, 3, 3, 3, 3, 9, 6, 4, 4, 3, 3, 3, 3, 5, 5, 4, 4, 3, 3, 3, 3,
    11, 6, 4, 4, 3, 3, 3, 3, 5, 5, 4, 4, 3, 3, 3, 3, 9, 6, 4, 4, 3, 3, 3, 3, 5, 5, 4, 4, 3, 3, 3, 3,
};

/* The symbols (q/n) for q = 2, 3, 5, ..., 23 from one reduction of n, then a table
   lookup: no division and no data-dependent loop (measured 9 ns against 32 ns for the
   search, whose Jacobi symbols divide). */
FP_INLINE uint64_t fp_lucas_p(uint64_t n)
{
    const uint32_t rm = (uint32_t)(n % FP_JACOBI_M);
    /* Reciprocity: (q/n) = (n/q), negated when q = n = 3 mod 4. */
    const uint32_t f = (uint32_t)((n & 3) == 3);
    uint32_t neg = (uint32_t)((n & 7) == 3 || (n & 7) == 5), p;
    neg |= (uint32_t)(!((FP_JACOBI_QR[0] >> (rm % 3)) & 1) ^ f) << 1;
    neg |= (uint32_t)(!((FP_JACOBI_QR[1] >> (rm % 5)) & 1)) << 2;
    neg |= (uint32_t)(!((FP_JACOBI_QR[2] >> (rm % 7)) & 1) ^ f) << 3;
    neg |= (uint32_t)(!((FP_JACOBI_QR[3] >> (rm % 11)) & 1) ^ f) << 4;
    neg |= (uint32_t)(!((FP_JACOBI_QR[4] >> (rm % 13)) & 1)) << 5;
    neg |= (uint32_t)(!((FP_JACOBI_QR[5] >> (rm % 17)) & 1)) << 6;
    neg |= (uint32_t)(!((FP_JACOBI_QR[6] >> (rm % 19)) & 1) ^ f) << 7;
    neg |= (uint32_t)(!((FP_JACOBI_QR[7] >> (rm % 23)) & 1) ^ f) << 8;
    p = FP_FIRST_P[neg];
    /* No P <= 22 works (1 in 512 of all n, and every square): search from the start,
       which also catches squares. */
    return p ? p : fp_lucas_p_search(n);
}

/* One step of the V-ladder of the Lucas sequence V_k(P, 1): from (V_k, V_k+1) to
   (V_2k, V_2k+1) for a 0 bit, (V_2k+1, V_2k+2) for a 1 bit, with V_2k = V_k**2 - 2,
   V_2k+1 = V_k V_k+1 - P, V_2k+2 = V_k+1**2 - 2.
   The pair is kept in (A, B) = (square, product) order, whichever that is, instead of
   being swapped into (V, W) order after each step: which of A and B is V_k+1 is the
   previous bit, so the value to square is picked by the XOR of this bit and the
   previous one (SWAP all ones when they differ).  That leaves one select on the
   critical path, not two, and with fp_mont_mul_sub the "- 2" and "- P" cost no
   latency either: ~16 cycles per bit became ~13 (a third of a Baillie-PSW test).
   Starting from (A, B) = (V_0, V_1) = (2, P) with previous bit 0, leading zero bits
   leave the pair unchanged.  After the last bit (d is odd) V_d is in B, V_d+1 in A. */
#define FP_LUCAS_STEP(A, B, swap, two, pm, n, inv)                      \
    do {                                                                 \
        const uint64_t sq_ = fp_select(swap, B, A);                      \
        const uint64_t vw_ = fp_mont_mul_sub(A, B, pm, n, inv);          \
        A = fp_mont_mul_sub(sq_, sq_, two, n, inv);                      \
        B = vw_;                                                         \
    } while (0)

/* The checks after the ladder: U_d = 0 and V_d = +-2, or V_{d*2^r} = 0 for some
   0 <= r < s-1.  U_d = (2 V_{d+1} - P V_d) / D, and D is invertible mod n. */
FP_INLINE int fp_lucas_tail(uint64_t v, uint64_t w, uint64_t pm, int s, const fp_mont *m)
{
    const uint64_t n = m->n, inv = m->inv;
    const uint64_t two = fp_add_mod(m->one, m->one, n);
    if ((v == two || v == n - two) && fp_add_mod(w, w, n) == fp_mont_mul(pm, v, n, inv))
        return 1;
    for (; s > 1; s--) {
        if (v == 0) return 1;
        v = fp_sub_mod(fp_mont_mul(v, v, n, inv), two, n);
    }
    return 0;
}

FP_INLINE int fp_lucas_xs(const fp_mont *m)
{
    const uint64_t n = m->n, inv = m->inv;
    uint64_t p = fp_lucas_p(n), pm, two, a, b, d, prev = 0;
    int s, i;
    if (!p) return 0;
    /* n + 1 cannot overflow: 2**64 - 1 is divisible by 3. */
    s = fp_ctz64(n + 1);
    d = (n + 1) >> s;
    pm = fp_mont_small(p, m);
    two = fp_add_mod(m->one, m->one, n);
    a = two;
    b = pm;
    for (i = 63 - fp_clz64(d); i >= 0; i--) {
        const uint64_t bit = (d >> i) & 1;
        FP_LUCAS_STEP(a, b, 0 - (bit ^ prev), two, pm, n, inv);
        prev = bit;
    }
    return fp_lucas_tail(b, a, pm, s, m);
}

/* Two extra strong Lucas tests in lock step, for instruction-level parallelism. */
FP_INLINE void fp_lucas_xs_x2(const fp_mont *ma, int *ra, const fp_mont *mb, int *rb)
{
    const uint64_t na = ma->n, ia = ma->inv, nb = mb->n, ib = mb->inv;
    uint64_t pa = fp_lucas_p(na), pb = fp_lucas_p(nb);
    uint64_t pma, pmb, twoa, twob, aa, ba, ab, bb, da, db, preva = 0, prevb = 0;
    int sa, sb, i;
    if (!pa || !pb) {
        *ra = pa ? fp_lucas_xs(ma) : 0;
        *rb = pb ? fp_lucas_xs(mb) : 0;
        return;
    }
    sa = fp_ctz64(na + 1);
    da = (na + 1) >> sa;
    sb = fp_ctz64(nb + 1);
    db = (nb + 1) >> sb;
    pma = fp_mont_small(pa, ma);
    pmb = fp_mont_small(pb, mb);
    twoa = fp_add_mod(ma->one, ma->one, na);
    twob = fp_add_mod(mb->one, mb->one, nb);
    aa = twoa; ba = pma;
    ab = twob; bb = pmb;
    for (i = 63 - fp_clz64(da | db); i >= 0; i--) {
        const uint64_t bita = (da >> i) & 1, bitb = (db >> i) & 1;
        FP_LUCAS_STEP(aa, ba, 0 - (bita ^ preva), twoa, pma, na, ia);
        FP_LUCAS_STEP(ab, bb, 0 - (bitb ^ prevb), twob, pmb, nb, ib);
        preva = bita;
        prevb = bitb;
    }
    *ra = fp_lucas_tail(ba, aa, pma, sa, ma);
    *rb = fp_lucas_tail(bb, ab, pmb, sb, mb);
}

/* ---- Public entry points ---- */

/* 0: composite (or < 2), 1: prime, 2: no small factor, needs Baillie-PSW. */
FP_INLINE int fp_prefilter(uint64_t n)
{
    int i;
    if (n < 256) return (int)((FP_SMALL_PRIMES[n >> 6] >> (n & 63)) & 1);
    if (!(n & 1)) return 0;
    /* The first primes remove most composites: test them one by one. */
    for (i = 0; i < 8; i++)
        if (n * FP_TRIAL[i][0] <= FP_TRIAL[i][1]) return 0;
    /* The rest in groups of 8 without a branch per prime: the multiplies are
       independent and pipeline, and a hit is rare enough that one branch per group
       is cheaper.  n >= 256 is not itself in the table. */
    for (; i + 8 <= FP_TRIAL_COUNT; i += 8) {
        int hit = 0, k;
        for (k = 0; k < 8; k++) hit |= n * FP_TRIAL[i + k][0] <= FP_TRIAL[i + k][1];
        if (hit) return 0;
    }
    for (; i < FP_TRIAL_COUNT; i++)
        if (n * FP_TRIAL[i][0] <= FP_TRIAL[i][1]) return 0;
    return n < FP_TRIAL_LIMIT ? 1 : 2;
}

/* Baillie-PSW with the base-2 chain and the Lucas chain run in lock step: on a prime
   (where both must run) this costs about one chain's latency instead of two, and a
   composite that fails the base-2 test pays little more than that test alone, since a
   lone chain leaves the multiplier idle most of the time.  (Measured here: 300 ns per
   prime, against 220 + 250 ns for the two chains one after the other, and 68 ns per
   random odd number for both orders.) */
FP_INLINE int fp_bpsw_fused(const fp_mont *m)
{
    const uint64_t n = m->n, inv = m->inv;
    const uint64_t p = fp_lucas_p(n);
    const uint64_t nm1 = n - 1;
    const int s2 = fp_ctz64(nm1), sl = fp_ctz64(n + 1);
    uint64_t d2 = nm1 >> s2;
    const uint64_t dl = (n + 1) >> sl;
    uint64_t acc, sq, pm, two, a, b, prev = 0;
    int i;
    if (!p) return 0;
    pm = fp_mont_small(p, m);
    two = fp_add_mod(m->one, m->one, n);
    /* Base-2 chain right to left: a chain of squarings S_i = 2**(2**i) with the
       product of the S_i for the set bits of d2 multiplied alongside, so no doubling
       or select sits on the squaring chain (~20% shorter than left to right); the low
       three bits of d2 start the product by doubling.  Lucas ladder left to right. */
    acc = m->one;
    sq = m->one;
    for (i = 0; i < 8; i++) sq = fp_add_mod(sq, sq, n);
    for (i = 0; i < (int)(d2 & 7); i++) acc = fp_add_mod(acc, acc, n);
    d2 >>= 3;
    a = two;
    b = pm;
    for (i = 63 - fp_clz64(dl); i >= 0 && d2; i--, d2 >>= 1) {
        const uint64_t bit = (dl >> i) & 1;
        const uint64_t t = fp_mont_mul(acc, sq, n, inv);
        acc = fp_select(0 - (d2 & 1), t, acc);
        sq = fp_mont_mul(sq, sq, n, inv);
        FP_LUCAS_STEP(a, b, 0 - (bit ^ prev), two, pm, n, inv);
        prev = bit;
    }
    /* Whichever chain is longer finishes alone; the base-2 test first, so that a
       composite it catches skips the rest of the Lucas ladder. */
    for (; d2; d2 >>= 1) {
        const uint64_t t = fp_mont_mul(acc, sq, n, inv);
        acc = fp_select(0 - (d2 & 1), t, acc);
        sq = fp_mont_mul(sq, sq, n, inv);
    }
    if (!fp_sprp_tail(acc, s2, m)) return 0;
    for (; i >= 0; i--) {
        const uint64_t bit = (dl >> i) & 1;
        FP_LUCAS_STEP(a, b, 0 - (bit ^ prev), two, pm, n, inv);
        prev = bit;
    }
    return fp_lucas_tail(b, a, pm, sl, m);
}

static inline int fp_is_prime_u64(uint64_t n)
{
    fp_mont m;
    int r = fp_prefilter(n);
    if (r != 2) return r;
    fp_mont_init(&m, n);
    return fp_bpsw_fused(&m);
}

#define FP_BLOCK 64

/* out[i] = 1 if values[i] is prime else 0, for i < count.  The one batch loop behind
   both the executor's chunks and is_prime_array: numbers that survive trial division
   are gathered and tested two at a time. */
static void fp_is_prime_u64_batch(const uint64_t *values, unsigned char *out, size_t count)
{
    size_t base;
    for (base = 0; base < count; base += FP_BLOCK) {
        size_t len = count - base < FP_BLOCK ? count - base : FP_BLOCK;
        fp_mont mont[FP_BLOCK];
        unsigned idx[FP_BLOCK];
        size_t i, k, nc = 0, ns = 0;
        for (i = 0; i < len; i++) {
            int r = fp_prefilter(values[base + i]);
            out[base + i] = (unsigned char)(r == 1);
            if (r == 2) idx[nc++] = (unsigned)i;
        }
        for (k = 0; k < nc; k++) fp_mont_init(&mont[k], values[base + idx[k]]);
        /* Base-2 rounds, four at a time; survivors are compacted to the front (a
           survivor's slot is never ahead of the group being read). */
        for (k = 0; k < nc; k += 4) {
            const fp_mont *mg[4];
            uint64_t dg[4], xg[4];
            int sg[4], g, live = nc - k < 4 ? (int)(nc - k) : 4;
            fp_mont keep[4];
            unsigned keep_idx[4];
            for (g = 0; g < 4; g++) {
                /* A short group is padded by repeating its first number. */
                const fp_mont *mm = &mont[k + (g < live ? g : 0)];
                uint64_t nm1 = mm->n - 1;
                mg[g] = mm;
                sg[g] = fp_ctz64(nm1);
                dg[g] = nm1 >> sg[g];
            }
            fp_pow2_mont_l2r_x4(dg, mg, xg);
            for (g = 0; g < live; g++) {
                keep[g] = mont[k + g];
                keep_idx[g] = idx[k + g];
            }
            for (g = 0; g < live; g++) {
                if (fp_sprp_tail(xg[g], sg[g], &keep[g])) {
                    mont[ns] = keep[g];
                    idx[ns++] = keep_idx[g];
                }
            }
        }
        /* Lucas tests on the survivors (nearly always primes), in pairs. */
        for (k = 0; k < ns; k += 2) {
            if (k + 1 < ns) {
                int ra, rb;
                fp_lucas_xs_x2(&mont[k], &ra, &mont[k + 1], &rb);
                out[base + idx[k]] = (unsigned char)ra;
                out[base + idx[k + 1]] = (unsigned char)rb;
            } else {
                out[base + idx[k]] = (unsigned char)fp_lucas_xs(&mont[k]);
            }
        }
    }
}

/* Smallest prime > n, or 0 when it is >= 2**64. */
static inline uint64_t fp_next_prime_u64(uint64_t n)
{
    uint64_t c;
    if (n < 2) return 2;
    if (n < 3) return 3;
    if (n >= 18446744073709551557ULL) return 0; /* the largest prime below 2**64 */
    c = n + 1 + (n & 1);
    while (!fp_is_prime_u64(c)) c += 2;
    return c;
}

/* Largest prime < n, for n > 2. */
static inline uint64_t fp_prev_prime_u64(uint64_t n)
{
    uint64_t c;
    if (n == 3) return 2;
    c = n - 1 - (n & 1);
    while (!fp_is_prime_u64(c)) c -= 2;
    return c;
}

#endif /* FASTPRIME_KERNEL_H */
