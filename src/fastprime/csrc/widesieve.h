/*
 * fastprime's range engine for 2**64 <= lo < hi <= 2**128: sieve.h in relative mode over the
 * window, then, where the window's sieving primes stop short of sqrt(hi), the wide kernel's
 * BPSW on what the sieve leaves.  Plain C99, no global mutable state.
 *
 * API (numbers are (hi, lo) 64-bit word pairs; hi = (0, 0) means 2**128):
 *   fp_wsieve_init(w, sp, lo_hi, lo_lo, hi_hi, hi_lo, plimit)
 *        [lo, hi) with 2**64 <= lo < hi <= 2**128 and hi - lo < 2**63; plimit = 0 picks the
 *        sieve depth (fp_wsieve_depth), else the sieving primes stop at min(plimit,
 *        sqrt(hi - 1)).  0 ok, -1 no memory, -2 bad range.
 *   fp_wsieve_prepare(w, nprimes)     as fp_sieve_prepare: the set-up in steps.
 *   fp_wsieve_count_step(w, budget, &count)   as fp_sieve_count_step (1 = finished).
 *   fp_wsieve_fill(w, pairs, cap)     up to cap primes as (hi, lo) pairs, in order, resuming
 *        where the last call stopped; 0 = finished (or out of memory: w->s.err).
 *   fp_wsieve_free(w)
 *
 * Split sieving primes (exact windows, several threads):
 *   fp_wsieve_part_bounds(t, T, &pmin, &pmax)   part t of T: the sieving primes in (pmin, pmax]
 *   fp_wsieve_init_part(w, sp, lo.., hi.., pmin, pmax)   one part over the whole window
 *        (-2 unless the window is exact); fp_wsieve_prepare as above;
 *   fp_wsieve_bitmap_bytes(w), fp_wsieve_bitmap_step(w, map, budget)   the part's strikes;
 *   fp_wsieve_bitmap_and(maps, T, bytes), fp_wsieve_bitmap_count(w0, maps, T),
 *   fp_wsieve_bitmap_fill(w0, map, &pos, pairs, cap)   the parts combined.
 *   Near 2**64 a short window costs the remainders of its 203 M sieving primes and their
 *   generation, whatever its length; splitting the primes rather than the window divides
 *   that between the threads (each part generates only its own primes).
 *
 * Exact windows.  Up to 4294967311**2 (= 2**64 + 1.3e11, 4294967311 being the first prime
 * above 2**32) the sieving primes below 2**32 reach sqrt(hi), so what the sieve leaves is
 * prime and nothing is tested: counting is a popcount, as below 2**64.  This is what makes
 * count_primes(2**64, 2**64 + 10**8) 16.5x faster than walking it with gmpy2.next_prime on
 * one thread, 27.5x on two (the sieving primes split between them): the engine before
 * sieved windows only by the primes below 2**16 and tested the ~5% left with BPSW (~0.7 us
 * each): 6.2x.
 *
 * Deeper windows.  Above that, the primes up to sqrt(hi) are too many (up to 2**64), so the
 * sieve stops at a depth chosen per window and the survivors (odd, no prime factor up to
 * the depth, which is at least 1123, the kernel's trial-division bound, so the answer is
 * exactly fp_is_prime_u128's) go through BPSW two at a time.  A sieving prime costs its
 * remainder of B and its bucket entries, ~5 ns; deepening from depth L removes ~0.56 W /
 * (L ln(L)**2) survivors per unit of L (Mertens), each a base-2 round (~0.3-0.6 us), while
 * adding 1 / ln(L) primes: the two balance near L ln(L) = c W.  fp_wsieve_depth takes
 * L = 64 W / ln(64 W) (c ~ 64), clamped to [2**16, 2**32): see the measurements there.
 */
#ifndef FASTPRIME_WIDESIEVE_H
#define FASTPRIME_WIDESIEVE_H

#include "sieve.h"
#include "wide.h"

/* Survivors decoded, converted and tested per batch (deep windows). */
#define FPWS_BATCH 2048
/* The smallest prime above 2**32: primes below 2**32 sieve exactly while sqrt(hi - 1) is
   below it. */
#define FPWS_FIRST_PRIME_ABOVE_2_32 4294967311ULL

typedef struct {
    fp_sieve s;                  /* its numbers are offsets from B = (s.base_hi, s.base_lo) */
    int exact;                   /* the sieve reached sqrt(hi - 1): survivors are prime */
    uint64_t *rel;               /* deep windows: a batch of survivors (offsets from B) */
    uint8_t *flag;               /* their BPSW answers */
    size_t n, i;                 /* rel[i .. n) not yet reported */
} fp_wsieve;

/* floor(sqrt(hi * 2**64 + lo)), capped at 2**64 - 1. */
FP_SIEVE_API uint64_t fp_isqrt128(uint64_t hi, uint64_t lo)
{
    uint64_t r, sq_hi, sq_lo;
    if (hi == 0) return fp_isqrt64(lo);
    {
        const double d = sqrt((double)hi * 18446744073709551616.0 + (double)lo);
        /* (converting 2**64 or more to a word is undefined) */
        r = d >= 18446744073709551615.0 ? ~(uint64_t)0 : (uint64_t)d;
    }
    if (r < 4294967296ULL) r = 4294967296ULL;   /* the root of anything >= 2**64 */
    for (;;) {                                  /* r too big: down (at most a few steps) */
        sq_lo = fp_mul128(r, r, &sq_hi);
        if (sq_hi < hi || (sq_hi == hi && sq_lo <= lo)) break;
        r--;
    }
    while (r != ~(uint64_t)0) {                 /* r too small: up */
        uint64_t s = r + 1;
        sq_lo = fp_mul128(s, s, &sq_hi);
        if (sq_hi > hi || (sq_hi == hi && sq_lo > lo)) break;
        r = s;
    }
    return r;
}

/* Sieve depth for a deep window of w numbers: L ln L = 64 w, clamped to [2**16, 2**32).
   CPU seconds to count [2**100, +10**7) by depth (C, one thread, the other core busy):
   2**16 0.42, 2**20 0.37, 2**22 0.355, 2**24 0.353, this rule (3.2e7) 0.359, 2**28 0.45,
   2**30 0.78; at 2**76: 2**16 0.36, 2**24 0.31, this rule 0.33, 2**28 0.39.  10**5 numbers
   at 2**100: 6 ms at every depth from 2**16 to 2**22. */
#ifndef FPWS_DEPTH_PER_NUMBER
#define FPWS_DEPTH_PER_NUMBER 64
#endif
#ifndef FPWS_EXACT_FROM
#define FPWS_EXACT_FROM 128
#endif
FP_SIEVE_API uint64_t fp_wsieve_depth(uint64_t w)
{
    const double target = (double)FPWS_DEPTH_PER_NUMBER * (double)w;
    double L = target / log(target > 16.0 ? target : 16.0);
    if (L < 65536.0) L = 65536.0;
    if (L > 4294967295.0) L = 4294967295.0;
    return (uint64_t)L;
}

/* Whether sieving by the primes up to depth leaves only primes below (root + 1)**2: depth
   reaches root, or it is every prime below 2**32 and no prime lies in (2**32, root]. */
FP_INLINE int fpws_exact_at(uint64_t root, uint64_t depth)
{
    return root <= depth || (depth == 0xffffffffULL && root < FPWS_FIRST_PRIME_ABOVE_2_32);
}

/* A window [lo, hi) the engine takes (2**64 <= lo < hi <= 2**128, hi = 0, 0 meaning 2**128,
   hi - lo < 2**63): its width and isqrt(hi - 1).  0 ok, -2 not such a window. */
static int fpws_measure(uint64_t lo_hi, uint64_t lo_lo, uint64_t hi_hi, uint64_t hi_lo,
                        uint64_t *width, uint64_t *root)
{
    const uint64_t last_lo = hi_lo - 1, last_hi = hi_hi - (hi_lo == 0 ? 1 : 0);
    const uint64_t wid_lo = hi_lo - lo_lo, wid_hi = hi_hi - lo_hi - (hi_lo < lo_lo ? 1 : 0);
    if (lo_hi == 0 || wid_hi != 0 || wid_lo == 0 || wid_lo >= (1ULL << 63)) return -2;
    *width = wid_lo;
    *root = fp_isqrt128(last_hi, last_lo);
    return 0;
}

/* The engine's own choice for [lo, hi) (hi - lo = width): exact (*depth = 2**32 - 1, every
   sieving prime) or a depth short of sqrt(hi).  Returns 1 if exact. */
FP_SIEVE_API int fp_wsieve_plan(uint64_t root, uint64_t width, uint64_t *depth)
{
    *depth = fp_wsieve_depth(width);
    /* Exact where it can be and the window is long enough to pay for all the primes to
       sqrt(hi): then no prime is tested at all (a prime costs ~1.2 us of BPSW, ~W / 44 of
       them, against ~5 ns per sieving prime: even at 2**64, where pi(sqrt(hi)) is 203 M,
       it pays from W ~ sqrt(hi) / 128). */
    if (root < FPWS_FIRST_PRIME_ABOVE_2_32 && width >= root / FPWS_EXACT_FROM) *depth = 0xffffffffULL;
    return fpws_exact_at(root, *depth);
}

/* Whether the engine sieves [lo, hi) exactly (what fp_wsieve_init with plimit = 0 does):
   then its sieving primes may be split between threads (fp_wsieve_init_part). */
FP_SIEVE_API int fp_wsieve_exact(uint64_t lo_hi, uint64_t lo_lo, uint64_t hi_hi, uint64_t hi_lo)
{
    uint64_t width, root, depth;
    if (fpws_measure(lo_hi, lo_lo, hi_hi, hi_lo, &width, &root)) return 0;
    return fp_wsieve_plan(root, width, &depth);
}

FP_SIEVE_API void fp_wsieve_free(fp_wsieve *w)
{
    fp_sieve_free(&w->s);
    free(w->rel);
    free(w->flag);
    w->rel = NULL;
    w->flag = NULL;
}

FP_SIEVE_API int fp_wsieve_init(fp_wsieve *w, const fp_sieve_primes *sp, uint64_t lo_hi, uint64_t lo_lo,
                          uint64_t hi_hi, uint64_t hi_lo, uint64_t plimit)
{
    uint64_t width, root, depth;
    int rc;
    memset(w, 0, sizeof *w);
    if (fpws_measure(lo_hi, lo_lo, hi_hi, hi_lo, &width, &root)) return -2;
    if (plimit) depth = plimit;
    else fp_wsieve_plan(root, width, &depth);
    if (depth > sp->limit) depth = sp->limit;
    if (depth < 1123) depth = 1123;   /* the kernel's trial division: same answers as is_prime */
    w->exact = fpws_exact_at(root, depth);
    if (root < depth) depth = root;
    rc = fp_sieve_init_u128(&w->s, sp, lo_hi, lo_lo, hi_hi, hi_lo, 0, depth, 0, 0, 0);
    if (rc) return rc;
    if (!w->exact) {
        w->rel = (uint64_t *)malloc(FPWS_BATCH * sizeof(uint64_t));
        w->flag = (uint8_t *)malloc(FPWS_BATCH);
        if (!w->rel || !w->flag) { fp_wsieve_free(w); return -1; }
    }
    return 0;
}

FP_SIEVE_API int fp_wsieve_prepare(fp_wsieve *w, uint64_t nprimes)
{
    return fp_sieve_prepare(&w->s, nprimes);
}

/* B + x as a pair. */
FP_INLINE void fpws_abs(const fp_wsieve *w, uint64_t x, uint64_t *out)
{
    const uint64_t lo = w->s.base_lo + x;
    out[0] = w->s.base_hi + (lo < x ? 1 : 0);
    out[1] = lo;
}

/* Deep windows: decode the next batch of survivors and test them.  0 = none left. */
static size_t fpws_next_batch(fp_wsieve *w)
{
    size_t n = fp_sieve_fill(&w->s, w->rel, FPWS_BATCH), j = 0;
    while (j < n) {
        uint64_t a[2], b[2];
        int ra, rb;
        fpws_abs(w, w->rel[j], a);
        if (j + 1 < n) {
            fpws_abs(w, w->rel[j + 1], b);
            fpw_bpsw_x2(fpw_make(a[0], a[1]), fpw_make(b[0], b[1]), &ra, &rb);
            w->flag[j] = (uint8_t)ra;
            w->flag[j + 1] = (uint8_t)rb;
            j += 2;
        } else {
            w->flag[j] = (uint8_t)fpw_bpsw(fpw_make(a[0], a[1]));
            j++;
        }
    }
    w->n = n;
    w->i = 0;
    return n;
}

FP_SIEVE_API int fp_wsieve_count_step(fp_wsieve *w, uint64_t budget, uint64_t *count)
{
    uint64_t c = 0, start;
    size_t j;
    if (w->exact) return fp_sieve_count_step(&w->s, budget, count);
    if (w->s.err) return -1;
    /* What a fill left of the current batch, then whole batches until about `budget`
       numbers have gone by. */
    for (j = w->i; j < w->n; j++) c += w->flag[j];
    start = w->n ? w->rel[w->n - 1] : 0;
    w->i = w->n;
    for (;;) {
        if (!fpws_next_batch(w)) {
            *count += c;
            return w->s.err ? -1 : 1;
        }
        for (j = 0; j < w->n; j++) c += w->flag[j];
        w->i = w->n;
        if (w->rel[w->n - 1] - start >= budget) break;
    }
    *count += c;
    return 0;
}

FP_SIEVE_API size_t fp_wsieve_fill(fp_wsieve *w, uint64_t *pairs, size_t cap)
{
    size_t got = 0;
    if (w->exact) {
        /* Decode the offsets into the upper half of the output, then widen them in place
           from the front: pair k (words 2k, 2k + 1) only overwrites offsets < k + 1 - ... at
           most offset k itself, which has been read by then. */
        uint64_t *rel = pairs + cap;   /* the upper half of the output holds the offsets */
        size_t k;
        got = fp_sieve_fill(&w->s, rel, cap);
        for (k = 0; k < got; k++) fpws_abs(w, rel[k], pairs + 2 * k);
        return got;
    }
    while (got < cap) {
        if (w->i == w->n && !fpws_next_batch(w)) break;
        for (; w->i < w->n && got < cap; w->i++)
            if (w->flag[w->i]) fpws_abs(w, w->rel[w->i], pairs + 2 * got++);
    }
    return got;
}

/* ---- split sieving primes ---- */

/* Part t of T: (pmin, pmax], the primes below 2**32 cut into equal spans of values (each
   part then generates a span of the same length and holds about as many primes: 105.1 M
   and 98.2 M for T = 2).  Part 0 also pre-sieves and takes the small and medium primes. */
FP_SIEVE_API void fp_wsieve_part_bounds(int t, int T, uint64_t *pmin, uint64_t *pmax)
{
    const uint64_t top = 0xffffffffULL;
    *pmin = t == 0 ? 0 : top / (uint64_t)T * (uint64_t)t;
    *pmax = t == T - 1 ? top : top / (uint64_t)T * (uint64_t)(t + 1);
}

FP_SIEVE_API int fp_wsieve_init_part(fp_wsieve *w, const fp_sieve_primes *sp, uint64_t lo_hi, uint64_t lo_lo,
                               uint64_t hi_hi, uint64_t hi_lo, uint64_t pmin, uint64_t pmax)
{
    uint64_t width, root;
    memset(w, 0, sizeof *w);
    if (fpws_measure(lo_hi, lo_lo, hi_hi, hi_lo, &width, &root) || pmax > sp->limit) return -2;
    if (!fpws_exact_at(root, 0xffffffffULL)) return -2;   /* the parts together must be exact */
    w->exact = 1;
    if (pmax > root) pmax = root;
    return fp_sieve_init_u128(&w->s, sp, lo_hi, lo_lo, hi_hi, hi_lo, pmin, pmax, 0, 0, 0);
}

FP_SIEVE_API size_t fp_wsieve_bitmap_bytes(const fp_wsieve *w)
{
    return fp_sieve_bitmap_bytes(&w->s);
}

FP_SIEVE_API int fp_wsieve_bitmap_step(fp_wsieve *w, uint8_t *map, uint64_t budget)
{
    return fp_sieve_bitmap_step(&w->s, map, budget);
}

/* maps[0] &= maps[1] & ... & maps[T - 1], whole words. */
FP_SIEVE_API void fp_wsieve_bitmap_and(uint8_t *const *maps, int T, size_t nbytes)
{
    int t;
    size_t i;
    for (t = 1; t < T; t++) {
        for (i = 0; i + 8 <= nbytes; i += 8) {
            uint64_t a, b;
            memcpy(&a, maps[0] + i, 8);
            memcpy(&b, maps[t] + i, 8);
            a &= b;
            memcpy(maps[0] + i, &a, 8);
        }
    }
}

/* The primes left once the parts are ANDed (into maps[0]). */
FP_SIEVE_API uint64_t fp_wsieve_bitmap_count(const fp_wsieve *w0, uint8_t *const *maps, int T)
{
    const size_t nbytes = fp_wsieve_bitmap_bytes(w0);
    fp_wsieve_bitmap_and(maps, T, nbytes);
    return fp_popcount_words(w0->s.sp, maps[0], nbytes / 8);
}

/* Up to cap primes of an ANDed bitmap as (hi, lo) pairs, from bit *pos on (advanced past
   what was written); 0 once the bitmap is exhausted. */
FP_SIEVE_API size_t fp_wsieve_bitmap_fill(const fp_wsieve *w0, const uint8_t *map, size_t *pos,
                                    uint64_t *pairs, size_t cap)
{
    const size_t nwords = fp_wsieve_bitmap_bytes(w0) / 8;
    size_t n = 0, wi = *pos / 64;
    while (n < cap && wi < nwords) {
        uint64_t bits = fp_load64le(map + 8 * wi);
        const unsigned skip = (unsigned)(*pos % 64);
        bits &= skip ? ~(uint64_t)0 << skip : ~(uint64_t)0;   /* bits already written */
        while (bits && n < cap) {
            const unsigned t = (unsigned)fp_ctz64(bits);
            fpws_abs(w0, 240 * (uint64_t)wi + FP_BIT_VALUE[t], pairs + 2 * n++);
            bits &= bits - 1;
            *pos = 64 * wi + t + 1;
        }
        if (bits) break;   /* cap reached */
        wi++;
        *pos = 64 * wi;
    }
    return n;
}

#endif /* FASTPRIME_WIDESIEVE_H */
