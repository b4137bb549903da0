/*
 * fastprime's primality kernel for 2**64 <= n < 2**128 (the "wide kernel"): plain C99,
 * no allocation, no global mutable state, every function static; safe to call without
 * the GIL from any number of threads.  Correct with unsigned __int128, with the
 * portable 4-multiply product (-DFP_FORCE_PORTABLE_MUL) and as 32-bit code.
 *
 * API (numbers are (hi, lo) 64-bit word pairs, n = hi * 2**64 + lo):
 *   int    fp_is_prime_u128(uint64_t hi, uint64_t lo);                  every n < 2**128
 *   void   fp_is_prime_u128_many(const uint64_t *hi_lo_pairs, size_t n, uint8_t *out);
 *   int    fp_next_prime_u128(uint64_t hi, uint64_t lo, uint64_t *out_hi, uint64_t *out_lo);
 *            smallest prime > n; returns 0 (nothing stored) if there is none < 2**128
 *   int    fp_prev_prime_u128(uint64_t hi, uint64_t lo, uint64_t *out_hi, uint64_t *out_lo);
 *            largest prime < n; returns 0 if n <= 2
 *   int    fpw_bpsw(fpw_t n), fpw_bpsw_x2(...)   the test alone (no trial division) on odd
 *            n > 2**21, one or two at a time: what widesieve.h (ranges) runs on the
 *            numbers its sieve leaves
 *
 * Primality test, the strong Baillie-PSW of _bpsw.py:
 *   1. trial division by the odd primes up to 1123 (up to 383 below 2**80), without a
 *      hardware divide;
 *   2. a strong base-2 Miller-Rabin round;
 *   3. perfect-square rejection (the Lucas parameter search never ends on a square);
 *   4. a strong Lucas test with Selfridge's method A (D = 5, -7, 9, ..., the first with
 *      (D/n) = -1; P = 1, Q = (1-D)/4).
 * The answer is the AND of the four, so their order (chosen for speed) is invisible.
 * _bpsw.py trial-divides by the primes below 1000 instead (and next/prev/range sieve
 * by other bounds), so the two paths could differ only on a composite that passes
 * BPSW and has a prime factor between the two bounds: no such BPSW pseudoprime is
 * known, and none exists below 2**64.  Below 2**64 this header answers with the same test, which
 * is deterministic there.
 *
 * The Lucas test is not computed with the U/V/Q**k ladder of _bpsw.py but with the
 * Q = 1 V-ladder for P' = P**2/Q - 2 (two multiplies per bit instead of three or four,
 * one of them off the critical path), which is the same test, condition by condition,
 * when gcd(n, QD) = 1.  With alpha' = alpha**2/Q and beta' = beta**2/Q (roots for
 * P', Q' = 1), V'_k = V_2k / Q**k.  Write n + 1 = d 2**s (d odd), m = (d-1)/2,
 * A = V'_m = V_{d-1}/Q**m and B = V'_{m+1} = V_{d+1}/Q**(m+1).  From
 * P V_d = V_{d+1} + Q V_{d-1} and D U_d = V_{d+1} - Q V_{d-1}:
 *     P V_d = Q**(m+1) (A + B),   D U_d = Q**(m+1) (B - A),
 * so U_d = 0 iff A = B and V_d = 0 iff A + B = 0 (mod n); and for r >= 1,
 * V_{d 2**r} = 0 iff V'_{d 2**(r-1)} = 0, with V'_d = A B - P' and V'_2k = V'_k**2 - 2.
 * (Testing U'_d = 0 instead would test U_2d = U_d V_d = 0, which is weaker for a
 * composite n: hence the split at m.)  If a prime divides both n and Q, _bpsw's test
 * fails (U_k = V_k = 1 modulo that prime), and so does this one: it returns
 * "composite" before the ladder.  proto_lucas.py checks this formulation against
 * _bpsw._strong_lucas_selfridge on every odd non-square n < 3e6 (86 strong Lucas
 * pseudoprimes among them, no mismatch); test_wide.py checks the C ladder the same way
 * below 2e5 and against gmpy2.is_strong_selfridge_prp above 2**64.
 *
 * Arithmetic: Montgomery with R = 2**128 and Hurchalla's "alternate REDC" (see
 * fpw_redc_sub), values in [0, n).  Every figure quoted below was measured on the
 * project's shared 2-core AMD EPYC box (gcc 12 -O2), as the minimum over many short
 * batches because the machine is noisy.
 */
#ifndef FASTPRIME_WIDE_H
#define FASTPRIME_WIDE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wordops.h"
#include "wide_tables.h"

/* Every function is static (no symbols leak into the including extension) and inline
   (no warning for the ones a given caller does not use). */
#if defined(_MSC_VER) && !defined(__cplusplus)
#define FPW_API static __inline
#else
#define FPW_API static inline
#endif

/* Trial-division groups used by fp_is_prime_u128: 60 groups are the odd primes up to
   1123 and leave ~17% of random odd numbers for BPSW.  Measured (min of 20 batches,
   ns per number, random odd 128-bit / 128-bit primes): 30 groups (p <= 577) 224 / 2358,
   45 (877) 215 / 2394, 60 (1123) 209 / 2416, 90 (1571) 212 / 2503, 160 (2677) 220 / 2598:
   flat from 45 to 120 for random inputs, while primes pay for every group. */
#ifndef FPW_TD_GROUPS
#define FPW_TD_GROUPS 60
#endif
/* Below 2**80 a BPSW round costs less (fewer bits), so trial division pays for fewer
   primes: 20 groups (p <= 383).  Measured on 65-bit numbers (ns, random odd / primes):
   12 groups 152 / 1217, 20 groups 148 / 1258, 30 groups 146 / 1290, 60 groups 147 /
   1330. */
#ifndef FPW_TD_GROUPS_SMALL
#define FPW_TD_GROUPS_SMALL 20
#endif
/* Sieve primes (a count from FPW_SIEVE_P) for next/prev-prime windows: one remainder
   each per window against ~650 ns per Miller-Rabin round it saves.  Measured, next
   prime of random 128-bit n (min of 30 batches): 100 primes (p <= 547) 5760 ns,
   150 (877) 5750, 250 (1597) 5560, 400 (2749) 5600. */
#ifndef FPW_NEXT_SIEVE
#define FPW_NEXT_SIEVE 250
#endif
/* Odd candidates per next/prev window (bytes on the stack). */
#define FPW_NEXT_W 256

typedef struct {
    uint64_t lo, hi;
} fpw_t;

typedef struct {
    uint64_t n0, n1; /* n */
    uint64_t i0, i1; /* n**-1 mod 2**128 */
    fpw_t one;       /* R mod n, R = 2**128 */
} fpw_mont;

/* a*b + c + d as (hi, lo); never overflows: (2**64-1)**2 + 2 (2**64-1) = 2**128 - 1. */
FP_INLINE uint64_t fpw_mac(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t *hi)
{
#if !defined(FP_FORCE_PORTABLE_MUL) && defined(__SIZEOF_INT128__)
    unsigned __int128 p = (unsigned __int128)a * b + c + d;
    *hi = (uint64_t)(p >> 64);
    return (uint64_t)p;
#else
    uint64_t h, l = fp_mul128(a, b, &h);
    l += c;
    h += l < c;
    l += d;
    h += l < d;
    *hi = h;
    return l;
#endif
}

FP_INLINE fpw_t fpw_make(uint64_t hi, uint64_t lo)
{
    fpw_t r;
    r.lo = lo;
    r.hi = hi;
    return r;
}

FP_INLINE int fpw_eq(fpw_t a, fpw_t b) { return ((a.lo ^ b.lo) | (a.hi ^ b.hi)) == 0; }
FP_INLINE int fpw_is_zero(fpw_t a) { return (a.lo | a.hi) == 0; }
FP_INLINE int fpw_lt(fpw_t a, fpw_t b) { return a.hi < b.hi || (a.hi == b.hi && a.lo < b.lo); }

FP_INLINE fpw_t fpw_add_plain(fpw_t a, fpw_t b) /* mod 2**128 */
{
    fpw_t r;
    r.lo = a.lo + b.lo;
    r.hi = a.hi + b.hi + (r.lo < a.lo);
    return r;
}

FP_INLINE fpw_t fpw_sub_plain(fpw_t a, fpw_t b) /* mod 2**128 */
{
    fpw_t r;
    r.lo = a.lo - b.lo;
    r.hi = a.hi - b.hi - (a.lo < b.lo);
    return r;
}

FP_INLINE fpw_t fpw_add_small(fpw_t a, uint64_t b) /* mod 2**128 */
{
    fpw_t r;
    r.lo = a.lo + b;
    r.hi = a.hi + (r.lo < b);
    return r;
}

FP_INLINE fpw_t fpw_shr(fpw_t a, int s) /* 0 <= s <= 128 */
{
    fpw_t r;
    if (s == 0) return a;
    if (s >= 128) return fpw_make(0, 0); /* n + 1 = 2**127 gives s + 1 = 128 */
    if (s >= 64) {
        r.lo = a.hi >> (s - 64);
        r.hi = 0;
    } else {
        r.lo = (a.lo >> s) | (a.hi << (64 - s));
        r.hi = a.hi >> s;
    }
    return r;
}

FP_INLINE int fpw_ctz(fpw_t a) /* a != 0 */
{
    return a.lo ? fp_ctz64(a.lo) : 64 + fp_ctz64(a.hi);
}

FP_INLINE int fpw_bitlen(fpw_t a)
{
    if (a.hi) return 128 - fp_clz64(a.hi);
    return a.lo ? 64 - fp_clz64(a.lo) : 0;
}

FP_INLINE uint64_t fpw_bit(fpw_t a, int i) { return (i >= 64 ? a.hi >> (i - 64) : a.lo >> i) & 1; }

/* a - b mod n for a, b in [0, n): the borrow selects adding n back through a mask,
   not a branch (a coin flip for random n). */
#if !defined(FP_FORCE_PORTABLE_MUL) && defined(__SIZEOF_INT128__)
/* With unsigned __int128 the compiler emits sub/sbb and one flag test for the borrow:
   ~10 instructions instead of ~20 for the word-by-word borrow logic.  That took a
   128-bit BPSW on a prime from 3070 to 2450 ns (min of 30 batches), random odd
   128-bit inputs from 277 to 236 ns. */
FP_INLINE fpw_t fpw_sub_mod(fpw_t a, fpw_t b, uint64_t n0, uint64_t n1)
{
    const unsigned __int128 x = ((unsigned __int128)a.hi << 64) | a.lo;
    const unsigned __int128 y = ((unsigned __int128)b.hi << 64) | b.lo;
    const uint64_t mask = 0 - (uint64_t)(x < y);
    const unsigned __int128 d = x - y + (((unsigned __int128)(n1 & mask) << 64) | (n0 & mask));
    fpw_t r;
    r.lo = (uint64_t)d;
    r.hi = (uint64_t)(d >> 64);
    return r;
}
#else
FP_INLINE fpw_t fpw_sub_mod(fpw_t a, fpw_t b, uint64_t n0, uint64_t n1)
{
    uint64_t d0 = a.lo - b.lo, bw = a.lo < b.lo;
    uint64_t d1 = a.hi - b.hi - bw, mask, a0, r0;
    fpw_t r;
    bw = (a.hi < b.hi) | ((a.hi == b.hi) & bw);
    mask = 0 - bw;
    a0 = n0 & mask;
    r0 = d0 + a0;
    r.lo = r0;
    r.hi = d1 + (n1 & mask) + (r0 < a0);
    return r;
}
#endif

FP_INLINE fpw_t fpw_subm(fpw_t a, fpw_t b, const fpw_mont *m) { return fpw_sub_mod(a, b, m->n0, m->n1); }

FP_INLINE fpw_t fpw_addm(fpw_t a, fpw_t b, const fpw_mont *m)
{
    /* a + b - n = a - (n - b), and n - b is in (0, n]: one modular subtraction. */
    return fpw_sub_mod(a, fpw_sub_plain(fpw_make(m->n1, m->n0), b), m->n0, m->n1);
}

/* a if mask is all ones, else b. */
FP_INLINE fpw_t fpw_sel(uint64_t mask, fpw_t a, fpw_t b)
{
    fpw_t r;
    r.lo = b.lo ^ ((a.lo ^ b.lo) & mask);
    r.hi = b.hi ^ ((a.hi ^ b.hi) & mask);
    return r;
}

/* REDC(t3:t2:t1:t0) - c mod n, for T < n R and c < n: Hurchalla's "alternate REDC" at
   128 bits.  q = T mod R * n**-1 mod R makes q n agree with T in the low 128 bits, so
   (T - q n)/R = T_hi - (q n)_hi exactly, in (-n, n): one borrow decides whether n is
   added back, and no third word or final comparison is needed (the usual REDC result
   is < 2n, which overflows 128 bits when n > 2**127).  Both words of q come straight
   from T's low words, so the four products of q n issue together instead of in two
   dependent rounds.  Measured per squaring (one dependent chain / two interleaved
   chains): this REDC 5.9 / 3.8 ns; word-by-word REDC with n' = -n**-1 mod 2**64, a
   third word and a final subtraction, 8.7 / 5.6 ns even though it has two multiplies
   fewer (the carries and the 129-bit comparison cost more).  T_hi - c is ready long
   before (q n)_hi, so c costs no latency. */
FP_INLINE fpw_t fpw_redc_sub(uint64_t t0, uint64_t t1, uint64_t t2, uint64_t t3, fpw_t c, const fpw_mont *m)
{
    uint64_t q0, q1, h, a_hi, b_hi, x, r3;
    fpw_t r, u;
    q0 = t0 * m->i0;
    q1 = fp_mulhi(t0, m->i0) + t0 * m->i1 + t1 * m->i0;
    h = fp_mulhi(q0, m->n0);
    x = fpw_mac(q0, m->n1, h, 0, &a_hi);
    (void)fpw_mac(q1, m->n0, x, 0, &b_hi); /* low word: t1 */
    r.lo = fpw_mac(q1, m->n1, a_hi, b_hi, &r3);
    r.hi = r3;
    u = fpw_sub_mod(fpw_make(t3, t2), c, m->n0, m->n1);
    return fpw_sub_mod(u, r, m->n0, m->n1);
}

FP_INLINE fpw_t fpw_mul_sub(fpw_t a, fpw_t b, fpw_t c, const fpw_mont *m)
{
    uint64_t t0, t1, t2, t3, h, k;
    t0 = fpw_mac(a.lo, b.lo, 0, 0, &h);
    t1 = fpw_mac(a.hi, b.lo, h, 0, &k);
    t1 = fpw_mac(a.lo, b.hi, t1, 0, &h);
    t2 = fpw_mac(a.hi, b.hi, k, h, &t3);
    return fpw_redc_sub(t0, t1, t2, t3, c, m);
}

FP_INLINE fpw_t fpw_sqr_sub(fpw_t a, fpw_t c, const fpw_mont *m)
{
    /* a0**2 + 2 a0 a1 2**64 + a1**2 2**128: three products. */
    uint64_t t0, t1, t2, t3, h0, xh, xl, k;
    t0 = fpw_mac(a.lo, a.lo, 0, 0, &h0);
    xl = fpw_mac(a.lo, a.hi, 0, 0, &xh);
    t1 = (xl << 1) + h0;
    k = t1 < h0;
    t2 = fpw_mac(a.hi, a.hi, (xh << 1) | (xl >> 63), k, &t3);
    t3 += xh >> 63;
    return fpw_redc_sub(t0, t1, t2, t3, c, m);
}

FP_INLINE fpw_t fpw_mul(fpw_t a, fpw_t b, const fpw_mont *m) { return fpw_mul_sub(a, b, fpw_make(0, 0), m); }
FP_INLINE fpw_t fpw_sqr(fpw_t a, const fpw_mont *m) { return fpw_sqr_sub(a, fpw_make(0, 0), m); }

/* x 2**k mod n for x < n, 1 <= k <= 32: the quotient (< 2**32) from doubles, whose
   error is far below 1, taken one low; the exact remainder is then fixed up by adding
   or subtracting n (at most a couple of times).  Replaces up to 63 modular doublings
   (~130 ns for a 65-bit n) in the set-up. */
FPW_API fpw_t fpw_mod_shl(fpw_t x, int k, const fpw_mont *m)
{
    const double two64 = 18446744073709551616.0;
    const double xd = (double)x.hi * two64 + (double)x.lo;
    const double nd = (double)m->n1 * two64 + (double)m->n0;
    const double qd = xd / nd * (double)((uint64_t)1 << k);
    uint64_t q = qd >= 1.0 ? (uint64_t)qd - 1 : 0;
    uint64_t v0, v1, v2, p0, p1, p2, h, b, b2;
    v0 = x.lo << k;
    v1 = (x.hi << k) | (x.lo >> (64 - k));
    v2 = x.hi >> (64 - k);
    p0 = fpw_mac(q, m->n0, 0, 0, &h);
    p1 = fpw_mac(q, m->n1, h, 0, &p2);
    /* v - q n, three words, two's complement */
    b = v0 < p0;
    v0 -= p0;
    b2 = (v1 < p1) | ((v1 == p1) & b);
    v1 = v1 - p1 - b;
    v2 = v2 - p2 - b2;
    while (v2 >> 63) { /* negative: q was too high */
        v0 += m->n0;
        b = v0 < m->n0;
        v1 += b;
        b2 = v1 < b;
        v1 += m->n1;
        b2 |= v1 < m->n1;
        v2 += b2;
    }
    while (v2 || !fpw_lt(fpw_make(v1, v0), fpw_make(m->n1, m->n0))) {
        b = v0 < m->n0;
        v0 -= m->n0;
        b2 = (v1 < m->n1) | ((v1 == m->n1) & b);
        v1 = v1 - m->n1 - b;
        v2 -= b2;
    }
    return fpw_make(v1, v0);
}

/* Set-up for odd n > 1: n**-1 mod 2**128 by one Newton step from the 64-bit inverse,
   and R mod n from 2**b - n (b = bit length of n, so it is < n) times 2**(128-b). */
FPW_API void fpw_mont_init(fpw_mont *m, fpw_t n)
{
    int b = fpw_bitlen(n), k;
    fpw_t x;
    uint64_t t;
    m->n0 = n.lo;
    m->n1 = n.hi;
    m->i0 = fp_inverse64(n.lo);
    /* n i0 = 1 + t 2**64 (mod 2**128), so i0 (2 - n i0) = i0 - i0 t 2**64. */
    t = fp_mulhi(n.lo, m->i0) + n.hi * m->i0;
    m->i1 = 0 - m->i0 * t;
    if (b == 128) {
        x = fpw_sub_plain(fpw_make(0, 0), n);
    } else {
        fpw_t p = b >= 64 ? fpw_make((uint64_t)1 << (b - 64), 0) : fpw_make(0, (uint64_t)1 << b);
        x = fpw_sub_plain(p, n);
    }
    for (k = 128 - b; k > 0; k -= 32) x = fpw_mod_shl(x, k < 32 ? k : 32, m);
    m->one = x;
}

/* ---- Remainders by small numbers ---- */

/* n mod d for 0 < d < 2**32 with the hardware divide: only for the Lucas parameter
   search's rare large |D| and for Q, never in trial division. */
FP_INLINE uint32_t fpw_mod_small(fpw_t n, uint32_t d)
{
    uint64_t r = n.hi % d;
    r = ((r << 32) | (n.lo >> 32)) % d;
    r = ((r << 32) | (n.lo & 0xFFFFFFFFu)) % d;
    return (uint32_t)r;
}

/* A 64-bit word congruent to n modulo P (P < 2**30), given 2**(32 i) mod P. */
FP_INLINE uint64_t fpw_fold(fpw_t n, uint32_t r1, uint32_t r2, uint32_t r3)
{
    return (n.lo & 0xFFFFFFFFu) + (n.lo >> 32) * (uint64_t)r1 + (n.hi & 0xFFFFFFFFu) * (uint64_t)r2 +
           (n.hi >> 32) * (uint64_t)r3;
}

/* x mod p for x < 2**64 and an odd prime p < 2**16, with M = floor(2**64/p): the
   quotient estimate mulhi(x, M) is low by at most 1. */
FP_INLINE uint32_t fpw_barrett(uint64_t x, uint32_t p, uint64_t M)
{
    uint64_t r = x - fp_mulhi(x, M) * p;
    return (uint32_t)(r >= p ? r - p : r);
}

/* n mod the k-th sieve prime: the fold's terms are < 2**48, so one Barrett step on a
   word < 2**50 finishes (measured: 39 against 58 us to sieve a 16384-candidate window
   by the 6541 primes below 2**16 with three dependent Barrett steps by 32-bit limbs). */
FP_INLINE uint32_t fpw_mod_sieve(fpw_t n, int k)
{
    const uint16_t *r = FPW_SIEVE_R[k];
    return fpw_barrett(fpw_fold(n, r[0], r[1], r[2]), FPW_SIEVE_P[k], FPW_SIEVE_M[k]);
}

/* 1 if some prime of trial groups [g0, g1) divides n.  One fold per group, then one
   multiply-compare per prime, ORed without a branch inside the group.  Measured over
   the 187 odd primes up to 1123 (cb_tdalt.c, ns per number, 128-bit primes / random
   odd): this fold 139 / 32; the modular-inverse test over 2**128 (n p**-1 mod 2**128
   <= floor((2**128-1)/p), three multiplies per prime) 190 / 41; n mod p by three
   dependent Barrett steps 430 / 90. */
FP_INLINE int fpw_trial(fpw_t n, int g0, int g1)
{
    int g;
    for (g = g0; g < g1; g++) {
        const uint32_t *G = FPW_TD_GROUP[g];
        const uint64_t t = fpw_fold(n, G[2], G[3], G[4]);
        const uint64_t(*P)[2] = FPW_TD_PRIME + G[0];
        int hit = 0;
        uint32_t k;
        for (k = 0; k < G[1]; k++) hit |= t * P[k][0] <= P[k][1];
        if (hit) return 1;
    }
    return 0;
}

/* ---- Perfect squares ---- */

FPW_API int fpw_is_square(fpw_t n)
{
    uint32_t t;
    fpw_t op, res, one;
    if (!((FPW_QR64 >> (n.lo & 63)) & 1)) return 0;
    t = (uint32_t)(fpw_fold(n, FPW_QR_R1, FPW_QR_R2, FPW_QR_R3) % FPW_QR_M);
    if (!((FPW_QR63 >> (t % 63)) & 1)) return 0;
    {
        uint32_t r = t % 65;
        if (!((r < 64 ? FPW_QR65_LO >> r : FPW_QR65_HI >> (r - 64)) & 1)) return 0;
    }
    if (!((FPW_QR11 >> (t % 11)) & 1)) return 0;
    if (!((FPW_QR17 >> (t % 17)) & 1)) return 0;
    /* ~0.5% of non-squares get here: exact integer square root, bit by bit. */
    op = n;
    res = fpw_make(0, 0);
    one = fpw_make((uint64_t)1 << 62, 0);
    while (fpw_lt(op, one)) one = fpw_shr(one, 2);
    while (!fpw_is_zero(one)) {
        fpw_t ro = fpw_add_plain(res, one);
        if (!fpw_lt(op, ro)) {
            op = fpw_sub_plain(op, ro);
            res = fpw_add_plain(fpw_shr(res, 1), one);
        } else {
            res = fpw_shr(res, 1);
        }
        one = fpw_shr(one, 2);
    }
    return fpw_is_zero(op);
}

/* ---- Strong probable prime to base 2 ---- */

FP_INLINE int fpw_sprp_tail(fpw_t x, int s, const fpw_mont *m)
{
    const fpw_t mone = fpw_sub_plain(fpw_make(m->n1, m->n0), m->one);
    if (fpw_eq(x, m->one) || fpw_eq(x, mone)) return 1;
    while (--s > 0) {
        x = fpw_sqr(x, m);
        if (fpw_eq(x, mone)) return 1;
        if (fpw_eq(x, m->one)) return 0;
    }
    return 0;
}

/* 2**d R mod n, left to right: a square per bit and a doubling for each set bit. */
FP_INLINE fpw_t fpw_pow2(fpw_t d, const fpw_mont *m)
{
    fpw_t x = m->one;
    int i;
    for (i = fpw_bitlen(d) - 1; i >= 0; i--) {
        x = fpw_sqr(x, m);
        x = fpw_sel(0 - fpw_bit(d, i), fpw_addm(x, x, m), x);
    }
    return x;
}

/* 2**d R mod n, right to left: the chain of squarings S_i = 2**(2**i) R carries no
   doubling or select, and the product of the S_i for the set bits of d is a second,
   independent chain (a multiply and a select per bit), so a lone exponentiation keeps
   two multiplies in flight.  The low three bits of d start the product by doublings
   and S_3 = 2**8 R by eight.  Not the default: it does twice the multiplies of the
   left-to-right chain, and once the modular subtraction was cut to ~10 instructions
   the left-to-right chain won (min of 20 batches of 256 primes, 128-bit: 2410 against
   2460 ns per BPSW; random odd: 231 against 242 ns).  Kept for other CPUs to measure. */
FP_INLINE fpw_t fpw_pow2_r2l(fpw_t d, const fpw_mont *m)
{
    fpw_t acc = m->one, sq = m->one;
    int i;
    for (i = 0; i < 8; i++) sq = fpw_addm(sq, sq, m);
    for (i = 0; i < (int)(d.lo & 7); i++) acc = fpw_addm(acc, acc, m);
    d = fpw_shr(d, 3);
    while (!fpw_is_zero(d)) {
        const fpw_t t = fpw_mul(acc, sq, m);
        acc = fpw_sel(0 - (d.lo & 1), t, acc);
        sq = fpw_sqr(sq, m);
        d = fpw_shr(d, 1);
    }
    return acc;
}

#ifndef FPW_POW2_R2L
#define FPW_POW2_R2L 0
#endif

FPW_API int fpw_sprp2(const fpw_mont *m)
{
    const fpw_t nm1 = fpw_make(m->n1, m->n0 - 1); /* n odd: no borrow */
    const int s = fpw_ctz(nm1);
    const fpw_t d = fpw_shr(nm1, s);
    return fpw_sprp_tail(FPW_POW2_R2L ? fpw_pow2_r2l(d, m) : fpw_pow2(d, m), s, m);
}

/* ---- Strong Lucas test, Selfridge method A, through the Q = 1 ladder ---- */

/* The Jacobi symbol of small numbers: fp_jacobi32, in wordops.h. */

/* x**-1 mod q for gcd(x, q) = 1, q < 2**32 (extended Euclid in signed 64-bit). */
FPW_API uint32_t fpw_inv_mod_small(uint32_t x, uint32_t q)
{
    int64_t r0 = q, r1 = x % q, s0 = 0, s1 = 1;
    while (r1) {
        int64_t k = r0 / r1, t;
        t = r0 - k * r1;
        r0 = r1;
        r1 = t;
        t = s0 - k * s1;
        s0 = s1;
        s1 = t;
    }
    return (uint32_t)(s0 < 0 ? s0 + q : s0);
}

/* Selfridge's D: the first of 5, -7, 9, -11, ... with (D/n) = -1.  Returns 0 when n is
   shown composite ((D/n) = 0 with |D| < n).  n odd, not a square, n > 2**32. */
FPW_API int64_t fpw_selfridge_d(fpw_t n)
{
    uint32_t rj = (uint32_t)(fpw_fold(n, FPW_JM_R1, FPW_JM_R2, FPW_JM_R3) % FPW_JM);
    const int n3 = (n.lo & 3) == 3;
    uint32_t a = 5;
    int neg = 0;
    for (;; a += 2, neg ^= 1) {
        uint32_t r = (FPW_JM % a == 0) ? rj % a : fpw_mod_small(n, a);
        int j = fp_jacobi32(r, a);
        if (j == 0) return 0;
        if ((a & 3) == 3 && n3) j = -j; /* reciprocity */
        if (neg && n3) j = -j;          /* (-1/n) */
        if (j == -1) return neg ? -(int64_t)a : (int64_t)a;
    }
}

/* Q**-1 R mod n for a small Q != 0 with gcd(Q, n) = 1: with x = R mod n and k chosen
   so that q = |Q| divides x + k n, the quotient (x + k n)/q < n is had by an exact
   division (shift out the twos, multiply by the odd part's inverse). */
FPW_API fpw_t fpw_inv_small_mont(int64_t Q, const fpw_mont *m, uint32_t n_mod_q)
{
    const uint32_t q = (uint32_t)(Q < 0 ? -Q : Q);
    fpw_t x = m->one, z;
    if (q > 1) {
        uint32_t xq = fpw_mod_small(x, q), k, qo, e;
        uint64_t w0, w1, w2, h, inv;
        k = (uint32_t)(((uint64_t)(xq ? q - xq : 0) * fpw_inv_mod_small(n_mod_q, q)) % q);
        w0 = fpw_mac(k, m->n0, x.lo, 0, &h);
        w1 = fpw_mac(k, m->n1, x.hi, h, &w2);
        e = (uint32_t)fp_ctz64(q);
        qo = q >> e;
        if (e) {
            w0 = (w0 >> e) | (w1 << (64 - e));
            w1 = (w1 >> e) | (w2 << (64 - e));
        }
        inv = fp_inverse64(qo);
        z.lo = w0 * inv;
        z.hi = (w1 - fp_mulhi(z.lo, qo)) * inv;
        x = z;
    }
    if (Q < 0) x = fpw_sub_plain(fpw_make(m->n1, m->n0), x);
    return x;
}

/* Parameters of the ladder: P' (Montgomery form), m = (d-1)/2, s (n + 1 = d 2**s).
   Returns 0 if n is composite, 1 if the ladder must run. */
typedef struct {
    fpw_t pm, two, m;
    int s;
} fpw_lucas_par;

FPW_API int fpw_lucas_setup(const fpw_mont *mo, fpw_lucas_par *lp)
{
    const fpw_t n = fpw_make(mo->n1, mo->n0);
    int64_t D = fpw_selfridge_d(n), Q;
    uint32_t q, nq = 0;
    fpw_t np1;
    if (!D) return 0;
    Q = (1 - D) / 4;
    q = (uint32_t)(Q < 0 ? -Q : Q);
    if (q > 1) {
        uint32_t a, b;
        nq = fpw_mod_small(n, q);
        /* gcd(n mod q, q) > 1: composite (n > q) */
        a = nq;
        b = q;
        while (a) {
            uint32_t t = b % a;
            b = a;
            a = t;
        }
        if (b != 1) return 0;
    }
    lp->two = fpw_addm(mo->one, mo->one, mo);
    lp->pm = fpw_subm(fpw_inv_small_mont(Q, mo, nq), lp->two, mo);
    np1 = fpw_add_small(n, 1); /* n < 2**128 - 1: 3 divides 2**128 - 1 */
    lp->s = fpw_ctz(np1);
    lp->m = fpw_shr(np1, lp->s + 1);
    return 1;
}

/* One step of the V-ladder for Q = 1: (V_k, V_k+1) -> (V_2k, V_2k+1) for a 0 bit,
   (V_2k+1, V_2k+2) for a 1 bit, with V_2k = V_k**2 - 2 and V_2k+1 = V_k V_k+1 - P'.
   As in the 64-bit kernel, the pair is kept in (square, product) order (A, B) rather
   than swapped back into (V_k, V_k+1) order, so the value to square is picked by
   SWAP = this bit XOR the previous one: one select on the critical path, not two.
   The tail's checks (A = B, A + B = 0, A B - P') are symmetric in A and B, so the
   final order does not matter. */
#define FPW_LUCAS_STEP(A, B, swap, pm, two, mo)              \
    do {                                                     \
        const fpw_t sq_ = fpw_sel(swap, B, A);               \
        const fpw_t ab_ = fpw_mul_sub(A, B, pm, mo);         \
        A = fpw_sqr_sub(sq_, two, mo);                       \
        B = ab_;                                             \
    } while (0)

FPW_API int fpw_lucas_tail(fpw_t a, fpw_t b, const fpw_lucas_par *lp, const fpw_mont *mo)
{
    fpw_t v;
    int s;
    if (fpw_eq(a, b) || fpw_is_zero(fpw_addm(a, b, mo))) return 1;
    v = fpw_mul_sub(a, b, lp->pm, mo);
    for (s = lp->s; s > 1; s--) {
        if (fpw_is_zero(v)) return 1;
        v = fpw_sqr_sub(v, lp->two, mo);
    }
    return 0;
}

/* The strong Lucas test on odd, non-square n > 2**32 with Montgomery set-up mo. */
FPW_API int fpw_lucas(const fpw_mont *mo)
{
    fpw_lucas_par lp;
    fpw_t a, b;
    uint64_t prev = 0;
    int i;
    if (!fpw_lucas_setup(mo, &lp)) return 0;
    a = lp.two;
    b = lp.pm;
    for (i = fpw_bitlen(lp.m) - 1; i >= 0; i--) {
        const uint64_t bit = fpw_bit(lp.m, i);
        FPW_LUCAS_STEP(a, b, 0 - (bit ^ prev), lp.pm, lp.two, mo);
        prev = bit;
    }
    return fpw_lucas_tail(a, b, &lp, mo);
}

/* BPSW on odd n > 2**32 that has passed whatever trial division the caller chose. */
FPW_API int fpw_bpsw(fpw_t n)
{
    fpw_mont mo;
    fpw_mont_init(&mo, n);
    if (!fpw_sprp2(&mo)) return 0;
    if (fpw_is_square(n)) return 0;
    return fpw_lucas(&mo);
}

/* BPSW with the base-2 chain and the Lucas ladder in lock step: the two chains are
   independent, so the multiplier works on one while the other waits for a result.
   Not the default for single numbers (FPW_FUSED): it is faster on primes but a
   composite, which nearly always fails the base-2 round, then pays for a Lucas ladder
   it does not need.  Measured (min of 20 batches, ns): 128-bit primes 2015 fused
   against 2410 one after the other, 65-bit primes 1150 against 1340, random odd
   128-bit 338 against 233.  Random inputs are the common case, and the batch, range
   and next/prev paths get the same parallelism from two numbers (fpw_bpsw_x2). */
FPW_API int fpw_bpsw_fused(fpw_t n)
{
    fpw_mont mo;
    fpw_lucas_par lp;
    fpw_t x, a, b, d2;
    uint64_t prev = 0;
    int s2, i;
    if (fpw_is_square(n)) return 0;
    fpw_mont_init(&mo, n);
    if (!fpw_lucas_setup(&mo, &lp)) return 0;
    d2 = fpw_make(n.hi, n.lo - 1);
    s2 = fpw_ctz(d2);
    d2 = fpw_shr(d2, s2);
    x = mo.one;
    a = lp.two;
    b = lp.pm;
    i = fpw_bitlen(d2);
    if (fpw_bitlen(lp.m) > i) i = fpw_bitlen(lp.m);
    for (i = i - 1; i >= 0; i--) {
        const uint64_t bit = fpw_bit(lp.m, i);
        x = fpw_sqr(x, &mo);
        x = fpw_sel(0 - fpw_bit(d2, i), fpw_addm(x, x, &mo), x);
        FPW_LUCAS_STEP(a, b, 0 - (bit ^ prev), lp.pm, lp.two, &mo);
        prev = bit;
    }
    if (!fpw_sprp_tail(x, s2, &mo)) return 0;
    return fpw_lucas_tail(a, b, &lp, &mo);
}

/* ---- Two numbers at a time ---- */

/* 2**da R mod na and 2**db R mod nb, right to left, in lock step: four independent
   chains keep the multiplier busy (a lone chain waits on its own latency). */
FP_INLINE void fpw_pow2_r2l_x2(fpw_t da, const fpw_mont *ma, fpw_t db, const fpw_mont *mb, fpw_t *xa, fpw_t *xb)
{
    fpw_t acca = ma->one, sqa = ma->one, accb = mb->one, sqb = mb->one;
    int i;
    for (i = 0; i < 8; i++) {
        sqa = fpw_addm(sqa, sqa, ma);
        sqb = fpw_addm(sqb, sqb, mb);
    }
    for (i = 0; i < (int)(da.lo & 7); i++) acca = fpw_addm(acca, acca, ma);
    for (i = 0; i < (int)(db.lo & 7); i++) accb = fpw_addm(accb, accb, mb);
    da = fpw_shr(da, 3);
    db = fpw_shr(db, 3);
    while (!fpw_is_zero(da) || !fpw_is_zero(db)) {
        const fpw_t ta = fpw_mul(acca, sqa, ma), tb = fpw_mul(accb, sqb, mb);
        acca = fpw_sel(0 - (da.lo & 1), ta, acca);
        accb = fpw_sel(0 - (db.lo & 1), tb, accb);
        sqa = fpw_sqr(sqa, ma);
        sqb = fpw_sqr(sqb, mb);
        da = fpw_shr(da, 1);
        db = fpw_shr(db, 1);
    }
    *xa = acca;
    *xb = accb;
}

/* The same, left to right (a square per bit and a doubling per set bit): with two
   numbers in flight the multiplier is busy anyway, and this does half the multiplies.
   Measured through fp_is_prime_u128_many (ns per number, 128-bit primes / 65-bit
   primes / random odd 128-bit): right to left 2412 / 1326 / 235, left to right
   2019 / 1141 / 179, one at a time 2497 / 1356 / 247. */
FP_INLINE void fpw_pow2_l2r_x2(fpw_t da, const fpw_mont *ma, fpw_t db, const fpw_mont *mb, fpw_t *xa, fpw_t *xb)
{
    fpw_t a = ma->one, b = mb->one;
    int i = fpw_bitlen(da);
    if (fpw_bitlen(db) > i) i = fpw_bitlen(db);
    for (i = i - 1; i >= 0; i--) {
        a = fpw_sqr(a, ma);
        b = fpw_sqr(b, mb);
        a = fpw_sel(0 - fpw_bit(da, i), fpw_addm(a, a, ma), a);
        b = fpw_sel(0 - fpw_bit(db, i), fpw_addm(b, b, mb), b);
    }
    *xa = a;
    *xb = b;
}

#ifndef FPW_X2_L2R
#define FPW_X2_L2R 1
#endif

/* Two strong Lucas tests in lock step (both n odd, non-square, set up in ma, mb). */
FPW_API void fpw_lucas_x2(const fpw_mont *ma, const fpw_mont *mb, int *ra, int *rb)
{
    fpw_lucas_par la, lb;
    fpw_t aa, ba, ab, bb;
    uint64_t preva = 0, prevb = 0;
    int i, oka = fpw_lucas_setup(ma, &la), okb = fpw_lucas_setup(mb, &lb);
    if (!oka || !okb) {
        *ra = oka ? fpw_lucas(ma) : 0;
        *rb = okb ? fpw_lucas(mb) : 0;
        return;
    }
    aa = la.two;
    ba = la.pm;
    ab = lb.two;
    bb = lb.pm;
    i = fpw_bitlen(la.m);
    if (fpw_bitlen(lb.m) > i) i = fpw_bitlen(lb.m);
    for (i = i - 1; i >= 0; i--) {
        const uint64_t bita = fpw_bit(la.m, i), bitb = fpw_bit(lb.m, i);
        FPW_LUCAS_STEP(aa, ba, 0 - (bita ^ preva), la.pm, la.two, ma);
        FPW_LUCAS_STEP(ab, bb, 0 - (bitb ^ prevb), lb.pm, lb.two, mb);
        preva = bita;
        prevb = bitb;
    }
    *ra = fpw_lucas_tail(aa, ba, &la, ma);
    *rb = fpw_lucas_tail(ab, bb, &lb, mb);
}

/* BPSW (no trial division) on two odd numbers > 2**21 at once. */
FPW_API void fpw_bpsw_x2(fpw_t na, fpw_t nb, int *ra, int *rb)
{
    fpw_mont ma, mb;
    fpw_t da = fpw_make(na.hi, na.lo - 1), db = fpw_make(nb.hi, nb.lo - 1), xa, xb;
    const int sa = fpw_ctz(da), sb = fpw_ctz(db);
    int pa, pb;
    fpw_mont_init(&ma, na);
    fpw_mont_init(&mb, nb);
    if (FPW_X2_L2R)
        fpw_pow2_l2r_x2(fpw_shr(da, sa), &ma, fpw_shr(db, sb), &mb, &xa, &xb);
    else
        fpw_pow2_r2l_x2(fpw_shr(da, sa), &ma, fpw_shr(db, sb), &mb, &xa, &xb);
    pa = fpw_sprp_tail(xa, sa, &ma) && !fpw_is_square(na);
    pb = fpw_sprp_tail(xb, sb, &mb) && !fpw_is_square(nb);
    if (pa && pb) {
        fpw_lucas_x2(&ma, &mb, ra, rb);
    } else {
        *ra = pa ? fpw_lucas(&ma) : 0;
        *rb = pb ? fpw_lucas(&mb) : 0;
    }
}

#ifndef FPW_FUSED
#define FPW_FUSED 0
#endif

/* ---- Public entry points ---- */

/* 0: composite, 1: prime, 2: needs BPSW. */
FP_INLINE int fpw_prefilter(fpw_t n)
{
    if (!(n.lo & 1)) return n.hi == 0 && n.lo == 2;
    if (n.hi == 0) {
        /* n < 2**64: trial division on the word itself, where n may be one of the
           primes; below (bound + 1)**2 what survives is prime. */
        const uint64_t bound = FPW_TD_GROUP_BOUND[FPW_TD_GROUPS - 1];
        const int np = (int)(FPW_TD_GROUP[FPW_TD_GROUPS - 1][0] + FPW_TD_GROUP[FPW_TD_GROUPS - 1][1]);
        int i;
        if (n.lo < 3) return 0; /* 1 */
        for (i = 0; i < np; i++)
            if (n.lo * FPW_TD_PRIME[i][0] <= FPW_TD_PRIME[i][1])
                return n.lo * FPW_TD_PRIME[i][0] == 1; /* n == p */
        if (n.lo < (bound + 1) * (bound + 1)) return 1;
        return 2;
    }
    return fpw_trial(n, 0, (n.hi >> 16) ? FPW_TD_GROUPS : FPW_TD_GROUPS_SMALL) ? 0 : 2;
}

/* 1 if hi*2**64 + lo is prime, else 0, for every value < 2**128. */
FPW_API int fp_is_prime_u128(uint64_t hi, uint64_t lo)
{
    const fpw_t n = fpw_make(hi, lo);
    const int r = fpw_prefilter(n);
    if (r != 2) return r;
    return FPW_FUSED ? fpw_bpsw_fused(n) : fpw_bpsw(n);
}


/* ---- Batch ---- */

/* out[i] = 1 if the i-th number (hi_lo_pairs[2i] * 2**64 + hi_lo_pairs[2i+1]) is prime. */
FPW_API void fp_is_prime_u128_many(const uint64_t *hi_lo_pairs, size_t n, uint8_t *out)
{
    size_t i, pend = 0;
    fpw_t held = fpw_make(0, 0);
    /* Numbers that need BPSW are paired up in order of arrival; the first of a pair
       waits (its index in pend) until the second comes.  (Tried and dropped: blocks
       of 32 whose base-2 survivors are then paired for the Lucas tests wherever they
       sit: 2070 / 1056 / 189 ns against 2032 / 1046 / 180 for 128-bit primes / 65-bit
       primes / random odd; a lone Lucas ladder already keeps two products in flight.) */
    for (i = 0; i < n; i++) {
        const fpw_t x = fpw_make(hi_lo_pairs[2 * i], hi_lo_pairs[2 * i + 1]);
        const int r = fpw_prefilter(x);
        if (r != 2) {
            out[i] = (uint8_t)r;
        } else if (held.lo == 0) { /* bpsw candidates are odd: lo != 0 */
            held = x;
            pend = i;
        } else {
            int ra, rb;
            fpw_bpsw_x2(held, x, &ra, &rb);
            out[pend] = (uint8_t)ra;
            out[i] = (uint8_t)rb;
            held.lo = 0;
        }
    }
    if (held.lo) out[pend] = (uint8_t)fpw_bpsw(held);
}

/* ---- Windows: sieve odd candidates by small primes, then BPSW on the survivors ---- */

/* Halving modulo an odd p: x/2 for even x, (x+p)/2 for odd x (x < p). */
FP_INLINE uint32_t fpw_half_mod(uint32_t x, uint32_t p) { return (x & 1) ? (x + p) >> 1 : x >> 1; }

/* flags[i] = 0 where base + 2i (up == 1) or base - 2i (up == 0) has a factor among the
   first nprimes sieve primes, for i < w; base odd and > 2**16 so no candidate is itself
   a sieve prime.  One remainder per prime, no division. */
FPW_API void fpw_sieve(uint8_t *flags, uint32_t w, fpw_t base, int up, int nprimes)
{
    int k;
    memset(flags, 1, w);
    for (k = 0; k < nprimes; k++) {
        const uint32_t p = FPW_SIEVE_P[k];
        const uint32_t r = fpw_mod_sieve(base, k);
        /* up: base + 2i = 0 (mod p) iff i = -r/2; down: base - 2i = 0 iff i = r/2. */
        uint32_t i = fpw_half_mod(up ? (r ? p - r : 0) : r, p);
        for (; i < w; i += p) flags[i] = 0;
    }
}

/* The first survivor of a sieved window (base + 2i, or base - 2i when up == 0) that
   passes BPSW, if any.  Survivors are tested two at a time (both chains in lock step
   cost little more than one); the earlier of the pair wins. */
FPW_API int fpw_first_prime(const uint8_t *flags, uint32_t w, fpw_t base, int up, uint64_t *out_hi, uint64_t *out_lo)
{
    uint32_t i = 0, j;
    for (;;) {
        fpw_t c[2];
        int k = 0, r[2];
        for (; i < w && k < 2; i++) {
            if (flags[i]) {
                const fpw_t off = fpw_make(0, 2 * (uint64_t)i);
                c[k++] = up ? fpw_add_plain(base, off) : fpw_sub_plain(base, off);
            }
        }
        if (k == 0) return 0;
        if (k == 2) {
            fpw_bpsw_x2(c[0], c[1], &r[0], &r[1]);
        } else {
            r[0] = fpw_bpsw(c[0]);
            r[1] = 0;
        }
        for (j = 0; j < (uint32_t)k; j++) {
            if (r[j]) {
                *out_hi = c[j].hi;
                *out_lo = c[j].lo;
                return 1;
            }
        }
    }
}

/* Numbers below this go through fp_is_prime_u128 one by one in next/prev/range. */
#define FPW_SMALL_LIMIT ((uint64_t)1 << 21)

/* The smallest prime > n: returns 1 and stores it, or 0 when there is none below
   2**128 (n >= 2**128 - 159, the largest prime below 2**128). */
FPW_API int fp_next_prime_u128(uint64_t hi, uint64_t lo, uint64_t *out_hi, uint64_t *out_lo)
{
    fpw_t base;
    uint8_t flags[FPW_NEXT_W];
    if (hi == 0 && lo < FPW_SMALL_LIMIT) {
        uint64_t c = lo + 1;
        while (!fp_is_prime_u128(0, c)) c++; /* ends below 2**21 + 2**8 */
        *out_hi = 0;
        *out_lo = c;
        return 1;
    }
    /* The first odd number > n. */
    base = fpw_add_small(fpw_make(hi, lo), (lo & 1) ? 2 : 1);
    if (fpw_lt(base, fpw_make(hi, lo))) return 0; /* n = 2**128 - 1 */
    for (;;) {
        /* Candidates base + 2i <= 2**128 - 1. */
        const fpw_t room = fpw_shr(fpw_sub_plain(fpw_make(~(uint64_t)0, ~(uint64_t)0), base), 1);
        uint32_t w = FPW_NEXT_W;
        if (room.hi == 0 && room.lo < FPW_NEXT_W - 1) w = (uint32_t)room.lo + 1;
        fpw_sieve(flags, w, base, 1, FPW_NEXT_SIEVE);
        if (fpw_first_prime(flags, w, base, 1, out_hi, out_lo)) return 1;
        if (w < FPW_NEXT_W) return 0;
        base = fpw_add_small(base, 2 * (uint64_t)FPW_NEXT_W);
    }
}

/* The largest prime < n: returns 1 and stores it, or 0 when n <= 2. */
FPW_API int fp_prev_prime_u128(uint64_t hi, uint64_t lo, uint64_t *out_hi, uint64_t *out_lo)
{
    fpw_t top;
    uint8_t flags[FPW_NEXT_W];
    if (hi == 0 && lo <= 2) return 0;
    /* The largest odd number < n. */
    top = fpw_sub_plain(fpw_make(hi, lo), fpw_make(0, (lo & 1) ? 2 : 1));
    while (top.hi != 0 || top.lo >= FPW_SMALL_LIMIT) {
        /* Candidates top - 2i >= FPW_SMALL_LIMIT / 2 (> every sieve prime). */
        uint32_t w = FPW_NEXT_W;
        if (top.hi == 0 && (top.lo - FPW_SMALL_LIMIT / 2) / 2 < FPW_NEXT_W - 1)
            w = (uint32_t)((top.lo - FPW_SMALL_LIMIT / 2) / 2) + 1;
        fpw_sieve(flags, w, top, 0, FPW_NEXT_SIEVE);
        if (fpw_first_prime(flags, w, top, 0, out_hi, out_lo)) return 1;
        top = fpw_sub_plain(top, fpw_make(0, 2 * (uint64_t)w));
    }
    {
        uint64_t c = top.lo + 2; /* top + 2 was the last candidate tested */
        if (hi == 0 && lo < c) c = lo;
        do c--; while (!fp_is_prime_u128(0, c)); /* c >= 3 here: 2 is prime */
        *out_hi = 0;
        *out_lo = c;
        return 1;
    }
}

#endif /* FASTPRIME_WIDE_H */
