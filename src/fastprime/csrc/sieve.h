/*
 * fastprime's range sieve: a segmented sieve of Eratosthenes over [lo, hi), hi <= 2**64 - 1
 * (2**64 - 1 = 3 * 5 * 17 * 257 * 641 * 65537 * 6700417 is composite, so callers that mean
 * "up to and including 2**64 - 1" lose nothing by passing hi = 2**64 - 1).  Plain C99, no
 * global mutable state: the only shared object is a read-only fp_sieve_primes.
 *
 * API
 *   fp_sieve_primes_init(sp, limit)   tables shared by any number of threads; ranges may reach
 *                                      hi - 1 <= limit**2.  0 ok, -1 no memory.
 *   fp_sieve_primes_free(sp)
 *   fp_sieve_init(s, sp, lo, hi)       one thread's resumable state.  0 ok, -1 no memory,
 *                                      -2 range beyond sp's limit.
 *   fp_sieve_init_ex(s, sp, lo, hi, seg_bytes, small_lim, big_lim)   same, with the segment
 *                                      size (a power of two >= 256) and the small/medium/big
 *                                      prime thresholds chosen by the caller (0 = default);
 *                                      the tests use tiny segments to exercise the buckets.
 *   fp_sieve_init_u128(s, sp, lo_hi, lo_lo, hi_hi, hi_lo, pmin, plimit, seg_bytes, small_lim,
 *                      big_lim)        relative mode, for 2**64 <= lo < hi <= 2**128 (hi = 0, 0
 *                                      means 2**128): the window [lo, hi) is sieved by the
 *                                      primes up to plimit (<= sp's limit; the caller's depth)
 *                                      and every number is reported as its offset from
 *                                      s->base (lo rounded down to a multiple of 30, in
 *                                      base_hi, base_lo).  -2 if hi - base >= 2**64.
 *                                      pmin > 0 (at least 71): only the primes in (pmin,
 *                                      plimit], no pre-sieve: a part of the sieving primes,
 *                                      whose segments are to be ANDed with the other parts'.
 *   fp_sieve_bitmap_step(s, out, budget)   sieve whole segments (about `budget` numbers)
 *                                      into out, the range's bitmap (fp_sieve_bitmap_bytes);
 *                                      1 = finished, 0 = more, -1 = no memory.
 *   fp_sieve_prepare(s, nprimes)       add up to nprimes sieving primes for the next segment
 *                                      ahead of time: 1 = all added, 0 = more remain, -1 = no
 *                                      memory.  Near 2**64 the first segment needs 203 M of
 *                                      them (about a second), which the caller can now split
 *                                      into steps that each check for Ctrl-C.
 *   fp_sieve_free(s)
 *   fp_sieve_count_step(s, budget, &count)   sieve at least one and about `budget` more
 *                                      numbers (whole segments), add the primes to count;
 *                                      1 = finished, 0 = more remains, -1 = out of memory.
 *   fp_sieve_fill(s, out, cap)         write up to cap primes in increasing order, resuming
 *                                      exactly where the last call stopped; returns how many
 *                                      (0 = finished, or out of memory: see s->err).
 *   Count and fill may be mixed on one fp_sieve: count_step first counts what a fill left
 *   undecoded in the current segment.
 *
 * Layout.  One byte holds the 8 numbers coprime to 30 of one block of 30 (bit k <-> residue
 * 1, 7, 11, 13, 17, 19, 23, 29): 30 numbers per byte, 2.13x denser than odd-only bits.  Byte b
 * of a range is the block lo30 + 30*b, lo30 = lo rounded down to a multiple of 30; all sieving
 * positions are byte offsets from lo30, so nothing overflows near 2**64.  2, 3 and 5 are not
 * in the wheel and are handled on the side.
 *
 * Per segment (S bytes, a power of two, default L2/2; 30*S numbers):
 *   1. pre-sieve: copy the periodic pattern left by 7..19 (period 7*11*13*17*19 bytes) and AND
 *      in the patterns of 23..71 (three primes per pattern), 8 bytes at a time: one streaming
 *      pass each instead of crossing off 8S/p multiples for each such p.
 *   2. small primes (p < small_lim, default C/8): each keeps 8 byte offsets, one per bit (the
 *      multiples p*q with q in one residue class mod 30 are p bytes apart and all hit the same
 *      bit); an unrolled loop clears 8 bits per turn of the wheel with constant masks.  Steps 1
 *      and 2 run one L1-sized chunk (C bytes, default 3/4 L1) at a time.
 *   3. medium primes (small_lim <= p < big_lim, default 8S): kept in 64 lists by (p mod 30,
 *      wheel index); each list runs a loop written out with constant masks and deltas.
 *   4. big primes (p >= big_lim): bucket sieve (Oliveira e Silva).  Such a prime hits a segment
 *      at most about once, so it lives in the bucket of the segment holding its next multiple,
 *      in a ring of buckets covering the largest stride; a segment touches only its own bucket.
 *      Multipliers step through the 48 residues coprime to 210.  An entry is 8 bytes ((p/30,
 *      p mod 30) and (offset in segment, wheel index)), and a prime whose next multiple is >= hi
 *      is dropped, so memory is 8 bytes per prime that still has a multiple ahead in the range.
 *   5. count = popcount of the segment's words (POPCNT via run-time dispatch on x86); list =
 *      count-trailing-zeros decoding through a 64-entry bit -> offset table, straight into the
 *      caller's uint64_t array.
 *
 * Relative mode (above 2**64).  Sieve positions were already byte offsets from lo30; in
 * relative mode lo30 is 0 and the numbers are offsets from a 128-bit base B = 0 (mod 30),
 * so every loop above runs unchanged.  Three things need the absolute value: the phase
 * of each pre-sieve pattern (B/30 mod its period, once per sieve), the first multiple
 * of each sieving prime (B mod p by one 128-by-64-bit division, fp_mod128_32; all the
 * sieving primes are below 2**32, so their squares are below B and they all join at
 * the first segment), and the multiplier's residue modulo 210 (q = (B + m) / p, known
 * modulo 210 as (B + m) * p**-1: FP_INV210).  Output values are offsets; widesieve.h adds
 * B back and decides what the survivors are.
 *
 * Sieving primes.  sp holds the primes up to min(limit, 2**20) as uint32_t (330 KB).  Beyond
 * that (a range reaching above 2**40) each fp_sieve generates its sieving primes with a nested
 * fp_sieve over (2**20, sqrt(hi)], consumed in order, instead of a shared table of all primes
 * below 2**32 (813 MB as uint32): near 2**64 the bucket entries (8 bytes per prime) are then
 * the only large allocation.  A sieving prime joins when its square enters the segment.
 */
#ifndef FASTPRIME_SIEVE_H
#define FASTPRIME_SIEVE_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include "wordops.h"

/* The API below: static, and unused ones are no warning (a driver may use only some). */
#if defined(__GNUC__) || defined(__clang__)
#  define FP_SIEVE_API static __attribute__((unused))
#else
#  define FP_SIEVE_API static
#endif

#if defined(__unix__) || defined(__APPLE__)
#  include <unistd.h>
#endif

/* ---- wheel-30 tables (generated by tools/gen_sieve_tables.py into sieve_tables.h) ---- */

/* Step from multiple p*q to p*q' (q' the next number coprime to 30 after q) for p mod 30 =
   R[pi], q mod 30 = R[w], at index pi*8 + w: byte delta = (p/30)*dq + corr; mask clears the bit
   of p*q. */
typedef struct { uint8_t dq, corr, mask; } fp_wheel_step;
/* For r = q mod 30: add FP_NEXT_DELTA[r] to reach a number coprime to 30, whose residue index
   is FP_NEXT_WIDX[r]. */
/* Bit t of a little-endian 64-bit word of the sieve <-> the number word_base + FP_BIT_VALUE[t]. */
/* The big (bucket) primes step their multiplier through the 48 residues coprime to 210 instead:
   multiples of 7 are already struck by the pre-sieve, and skipping them cuts the bucket
   operations by 1 - (48/210)/(8/30) = 14%, and the bucket entries near 2**64 (primes with a
   multiple left in the range, 10^10 window ending at 2**64 - 1) from 175.7 M to 164.7 M: peak
   RSS 1.30 GB against primesieve's 1.34 GB in the same run.  Index pi*48 + w; the bit depends only on
   p*q mod 30. */
#include "sieve_tables.h"

/* ---- pre-sieve patterns ---- */

/* Group 0 (7..19) is copied, the others ANDed in.  Byte j of a pattern is absolute byte j mod
   period (the block 30*j of the number line).  FP_PRESIEVE_GROUPS can be lowered to measure. */
#ifndef FP_PRESIEVE_GROUPS
#  define FP_PRESIEVE_GROUPS 5
#endif
static const uint8_t FP_PRESIEVE_PRIMES[5][5] = {
    {7, 11, 13, 17, 19}, {23, 29, 31, 0, 0}, {37, 41, 43, 0, 0}, {47, 53, 59, 0, 0}, {61, 67, 71, 0, 0},
};

/* Primes kept in the shared table (above: generated per fp_sieve). */
#define FP_SIEVE_TABLE_MAX (1u << 20)
#define FP_BUCKET_ENTRIES 1023   /* entries per bucket block: 8 KiB blocks */
#define FP_GEN_BUF 1024

typedef struct {
    uint64_t limit;          /* ranges need sqrt(hi - 1) <= limit */
    uint32_t *primes;        /* 7 < ... <= table_max: the primes after the pre-sieved ones */
    size_t nprimes;
    uint32_t table_max;
    uint32_t presieve_max;   /* largest pre-sieved prime */
    uint8_t *pattern[FP_PRESIEVE_GROUPS];
    uint32_t period[FP_PRESIEVE_GROUPS];
    uint32_t seg_bytes;      /* default segment size */
    uint32_t chunk_bytes;    /* default chunk for pre-sieve + small primes */
    uint32_t l1_bytes, l2_bytes;  /* as learned at init (0 = unknown) */
    int has_popcnt;
} fp_sieve_primes;

/* Bucket entry: pw = (p/30)<<3 | pi, ow = off<<6 | w (w < 48, 210-wheel).  Medium lists reuse it
   as pw = p/30, ow = off (pi and w are the list's). */
typedef struct { uint32_t pw, ow; } fp_sieve_entry;
typedef struct { uint32_t p; uint32_t off[8]; } fp_sieve_small;
/* A bucket is a chain of 8 KiB blocks, aligned to 8 KiB, newest first; only the newest can be
   part full.  A bucket is named by its write pointer alone (NULL = empty): the block is the
   pointer rounded down to 8 KiB, and a pointer that reaches the next 8 KiB boundary means the
   block is full.  So a push touches the pointer array (32 KiB for 4096 buckets, in L1) and the
   entry's cache line, not a block header too: near 2**64 reading each block's fill count was
   a cache miss that took 44% of the time spent adding 165 M sieving primes (perf). */
#define FP_BLOCK_BYTES 8192
typedef struct fp_bucket_block {
    union { struct fp_bucket_block *next; fp_sieve_entry pad; } h;
    fp_sieve_entry e[FP_BUCKET_ENTRIES];
} fp_bucket_block;
typedef char fp_bucket_block_is_8k[sizeof(fp_bucket_block) == FP_BLOCK_BYTES ? 1 : -1];
#define FP_BLOCK_OF(ptr) ((fp_bucket_block *)((uintptr_t)(ptr) & ~(uintptr_t)(FP_BLOCK_BYTES - 1)))

typedef struct fp_sieve {
    const fp_sieve_primes *sp;
    uint64_t lo, hi, lo30;                /* relative mode: offsets from base; lo30 = 0 */
    int wide;                             /* relative mode */
    uint64_t base_hi, base_lo;            /* relative mode: B, a multiple of 30 */
    uint32_t base_mod210;                 /* B mod 210 */
    uint32_t pmod[FP_PRESIEVE_GROUPS];    /* (absolute byte index of lo30) mod each period */
    uint64_t pmin;                        /* only sieving primes > pmin; > 0: no pre-sieve */
    uint64_t total_bytes, nseg, seg_idx;  /* seg_idx: next segment to sieve */
    uint64_t sqrt_hi;                     /* largest possible sieving prime */
    uint32_t S, log2S, C, small_lim, big_lim;   /* C: chunk for pre-sieve + small primes */
    int err;
    /* source of sieving primes, in increasing order */
    size_t tab_i;
    struct fp_sieve *gen;
    uint64_t *genbuf;
    size_t gen_n, gen_i;
    uint64_t next_p;                      /* next prime to add; 0 = none left */
    /* small and medium primes */
    fp_sieve_small *small; size_t nsmall, capsmall;
    fp_sieve_entry *mcur[64], *mnext[64];    /* medium primes by (p mod 30, wheel index) */
    /* buckets */
    fp_sieve_entry **bucket; uint64_t nbucket;   /* write pointers; power of two, 0 until needed */
    fp_bucket_block *freeb;
    void **slabs; size_t nslabs, capslabs;
    /* the current segment and the decode cursor */
    uint64_t *seg;                       /* S + 8 bytes */
    uint64_t cur_base;                   /* number of the current segment's bit 0 block */
    size_t cur_words, cur_wi;
    uint64_t cur_bits;
    unsigned tiny;                       /* bit i: tiny prime {2,3,5}[i] still to report */
} fp_sieve;

FP_SIEVE_API size_t fp_sieve_fill(struct fp_sieve *s, uint64_t *out, size_t cap);

/* ---- small helpers ---- */

FP_INLINE uint64_t fp_load64le(const uint8_t *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
#if defined(__BYTE_ORDER__) && defined(__ORDER_BIG_ENDIAN__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    x = __builtin_bswap64(x);
#endif
    return x;
}

/* (hi * 2**64 + lo) mod p for 0 < p < 2**32: one 128-by-64-bit divide on x86-64 (the
   remainder of hi first, so the quotient fits a word), else two 64-bit divides by 32-bit
   halves.  The portable builds (-DFP_FORCE_PORTABLE_MUL, -m32) test the second. */
FP_INLINE uint32_t fp_mod128_32(uint64_t hi, uint64_t lo, uint32_t p)
{
    uint64_t r = hi < p ? hi : hi % p;
#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__) && !defined(FP_FORCE_PORTABLE_MUL)
    uint64_t q, rem;
    __asm__("divq %4" : "=a"(q), "=d"(rem) : "a"(lo), "d"(r), "rm"((uint64_t)p));
    (void)q;
    return (uint32_t)rem;
#else
    r = ((r << 32) | (lo >> 32)) % p;
    return (uint32_t)(((r << 32) | (lo & 0xffffffffu)) % p);
#endif
}

static uint64_t fp_isqrt64(uint64_t n)
{
    uint64_t r = (uint64_t)sqrt((double)n);
    if (r > 0xffffffffULL) r = 0xffffffffULL;
    while (r * r > n) r--;
    while (r < 0xffffffffULL && (r + 1) * (r + 1) <= n) r++;
    return r;
}

/* Popcount of whole words.  Baseline x86-64 has no POPCNT instruction and without it GCC's
   __builtin_popcountll is a libgcc call; a CPU with POPCNT (checked once at init) takes the
   target("popcnt") loop. */
static uint64_t fp_popcount_words_portable(const uint8_t *p, size_t n)
{
    uint64_t c = 0;
    size_t i;
    for (i = 0; i < n; i++) c += (uint64_t)fp_popcount64(fp_load64le(p + 8 * i));
    return c;
}
#if (defined(__GNUC__) || defined(__clang__)) && (defined(__x86_64__) || defined(__i386__))
#  define FP_HAVE_POPCNT_DISPATCH 1
__attribute__((target("popcnt")))
static uint64_t fp_popcount_words_hw(const uint8_t *p, size_t n)
{
    uint64_t c0 = 0, c1 = 0;
    size_t i = 0;
    for (; i + 2 <= n; i += 2) {
        uint64_t a, b;
        memcpy(&a, p + 8 * i, 8);
        memcpy(&b, p + 8 * i + 8, 8);
        c0 += (uint64_t)__builtin_popcountll(a);
        c1 += (uint64_t)__builtin_popcountll(b);
    }
    if (i < n) { uint64_t a; memcpy(&a, p + 8 * i, 8); c0 += (uint64_t)__builtin_popcountll(a); }
    return c0 + c1;
}
#endif
FP_INLINE uint64_t fp_popcount_words(const fp_sieve_primes *sp, const uint8_t *p, size_t n)
{
#ifdef FP_HAVE_POPCNT_DISPATCH
    if (sp->has_popcnt) return fp_popcount_words_hw(p, n);
#endif
    (void)sp;
    return fp_popcount_words_portable(p, n);
}

/* ---- shared tables ---- */

FP_SIEVE_API void fp_sieve_primes_free(fp_sieve_primes *sp)
{
    int g;
    free(sp->primes);
    for (g = 0; g < FP_PRESIEVE_GROUPS; g++) free(sp->pattern[g]);
    memset(sp, 0, sizeof *sp);
}

FP_SIEVE_API int fp_sieve_primes_init(fp_sieve_primes *sp, uint64_t limit)
{
    uint32_t tmax, n, i, j, cnt;
    uint8_t *comp;
    int g;
    memset(sp, 0, sizeof *sp);
    if (limit > 0xffffffffULL) limit = 0xffffffffULL;
    sp->limit = limit;
    /* The table must reach 2**16 whatever the limit: the nested generator needs it. */
    tmax = (uint32_t)(limit < FP_SIEVE_TABLE_MAX ? limit : FP_SIEVE_TABLE_MAX);
    if (tmax < 65536) tmax = 65536;
    sp->table_max = tmax;
    sp->presieve_max = 7;
    for (g = 0; g < FP_PRESIEVE_GROUPS; g++) {
        uint32_t period = 1, k;
        uint8_t *pat;
        for (k = 0; k < 5 && FP_PRESIEVE_PRIMES[g][k]; k++) period *= FP_PRESIEVE_PRIMES[g][k];
        pat = (uint8_t *)malloc(period);
        if (!pat) { fp_sieve_primes_free(sp); return -1; }
        memset(pat, 0xff, period);
        for (k = 0; k < 5 && FP_PRESIEVE_PRIMES[g][k]; k++) {
            uint64_t P = FP_PRESIEVE_PRIMES[g][k], m, end = 30ULL * period;
            if (P > sp->presieve_max) sp->presieve_max = (uint32_t)P;
            for (m = P; m < end; m += 2 * P) {
                static const int8_t bitof[30] = {-1,0,-1,-1,-1,-1,-1,1,-1,-1,-1,2,-1,3,-1,-1,-1,4,-1,5,-1,-1,-1,6,-1,-1,-1,-1,-1,7};
                int b = bitof[m % 30];
                if (b >= 0) pat[m / 30] &= (uint8_t)~(1u << b);
            }
        }
        sp->pattern[g] = pat;
        sp->period[g] = period;
    }
    /* Primes up to tmax: a plain odd-only sieve (a few ms for 2**20). */
    n = tmax / 2 + 1;
    comp = (uint8_t *)calloc(n, 1);
    if (!comp) { fp_sieve_primes_free(sp); return -1; }
    for (i = 1; (2 * i + 1) * (2 * i + 1) <= tmax; i++)
        if (!comp[i])
            for (j = (2 * i + 1) * (2 * i + 1) / 2; j < n; j += 2 * i + 1) comp[j] = 1;
    for (cnt = 0, i = 1; i < n && 2 * i + 1 <= tmax; i++)
        if (!comp[i] && 2 * i + 1 > sp->presieve_max) cnt++;
    sp->primes = (uint32_t *)malloc((cnt ? cnt : 1) * sizeof(uint32_t));
    if (!sp->primes) { free(comp); fp_sieve_primes_free(sp); return -1; }
    for (cnt = 0, i = 1; i < n && 2 * i + 1 <= tmax; i++)
        if (!comp[i] && 2 * i + 1 > sp->presieve_max) sp->primes[cnt++] = 2 * i + 1;
    sp->nprimes = cnt;
    free(comp);
    /* Cache sizes: learned where the OS says, else a conservative 32 KiB / 256 KiB. */
    sp->l1_bytes = 32768; sp->l2_bytes = 262144;
#if defined(_SC_LEVEL1_DCACHE_SIZE)
    { long v = sysconf(_SC_LEVEL1_DCACHE_SIZE); if (v >= 4096 && v <= (1L << 24)) sp->l1_bytes = (uint32_t)v; }
#endif
#if defined(_SC_LEVEL2_CACHE_SIZE)
    { long v = sysconf(_SC_LEVEL2_CACHE_SIZE); if (v >= 16384 && v <= (1L << 28)) sp->l2_bytes = (uint32_t)v; }
#endif
    /* Default segment: the largest power of two <= L2/2 (512 KiB on the 1 MiB-L2 EPYC used).
       Time / primesieve's, medians of 5-7 interleaved runs, for S = 64K, 128K, 256K, 512K, 1M:
       [0, 10^9): 1.03 1.03 1.00 1.14 1.10;  [10^12, +10^9): 1.32 1.34 1.25 0.94 0.90.
       Big segments win where medium and bucket primes dominate (fewer visits per prime) and
       lose little at the bottom, because pre-sieve and small primes run in L1 chunks anyway.
       Chunk: the largest power of two <= 3/4 of L1 (32 KiB of 48 KiB): 16K, 24K, 32K, 48K
       gave 1.25, 1.03, 0.96, 1.15 on [0, 10^9). */
    {
        uint32_t want = sp->l2_bytes / 2, s = 4096;
        while (s * 2 <= want) s *= 2;
        sp->seg_bytes = s;
        want = sp->l1_bytes / 4 * 3;
        s = 4096;
        while (s * 2 <= want) s *= 2;
        sp->chunk_bytes = s;
    }
#ifdef FP_HAVE_POPCNT_DISPATCH
    __builtin_cpu_init();
    sp->has_popcnt = __builtin_cpu_supports("popcnt") ? 1 : 0;
#endif
    return 0;
}

/* ---- one thread's sieve ---- */

FP_SIEVE_API void fp_sieve_free(fp_sieve *s)
{
    size_t i;
    if (s->gen) { fp_sieve_free(s->gen); free(s->gen); }
    free(s->genbuf);
    free(s->small);
    free(s->bucket);
    for (i = 0; i < s->nslabs; i++) free(s->slabs[i]);
    free(s->slabs);
    free(s->seg);
    memset(s, 0, sizeof *s);
}

/* What both modes share: [lo, hi) in the sieve's own numbers (relative mode: lo < 30),
   lo30 already set, segment size and thresholds, the segment buffer.  0 ok, -1 no memory. */
static int fp__sieve_setup(fp_sieve *s, const fp_sieve_primes *sp, uint64_t lo, uint64_t hi,
                           uint32_t seg_bytes, uint32_t small_lim, uint32_t big_lim)
{
    uint32_t S;
    s->sp = sp;
    s->lo = lo; s->hi = hi;
    S = seg_bytes ? seg_bytes : sp->seg_bytes;
    if (S < 256) S = 256;
    s->log2S = 0;
    while ((1u << (s->log2S + 1)) <= S && s->log2S < 26) s->log2S++;
    S = 1u << s->log2S;
    s->S = S;
    /* Thresholds.  small: p < C/8 (4096 here).  A small prime costs ~40 instructions per chunk
       on top of its stores (min/max of its 8 offsets, 8 tail checks, 8 write-backs), which
       pays only while it has many multiples per chunk; on [0, 10^9) with C = 24K, limits 500,
       1500, 3000, 6000, 12000 gave 1.35, 1.24, 1.17, 1.23, 1.43 x primesieve's time.
       big: p >= 8S, where a prime averages fewer than one multiple per segment (8S/p);
       S, 2S and 8S measured equal within noise on [10^12, +2*10^9) (0.99-1.06). */
    s->C = sp->chunk_bytes < S ? sp->chunk_bytes : S;
    s->small_lim = small_lim ? small_lim : s->C / 8;
    s->big_lim = big_lim ? big_lim : 8 * S;
    if (s->big_lim < s->small_lim) s->big_lim = s->small_lim;
    s->seg = (uint64_t *)malloc((size_t)S + 16);
    if (!s->seg) return -1;
    s->total_bytes = hi > lo ? (hi - 1 - s->lo30) / 30 + 1 : 0;
    s->nseg = (s->total_bytes + S - 1) >> s->log2S;
    return 0;
}

static int fp__advance_prime(fp_sieve *s);

/* The first sieving prime (> pmin), once sqrt_hi is known.  0 ok, -1 no memory. */
static int fp__first_prime(fp_sieve *s)
{
    const fp_sieve_primes *sp = s->sp;
    size_t lo = 0, hi = sp->nprimes;
    while (lo < hi) {   /* the first table prime > pmin */
        const size_t mid = lo + (hi - lo) / 2;
        if (sp->primes[mid] <= s->pmin) lo = mid + 1; else hi = mid;
    }
    if (lo < sp->nprimes) {
        s->tab_i = lo;
        s->next_p = sp->primes[lo] <= s->sqrt_hi ? sp->primes[lo] : 0;
        return 0;
    }
    /* Past the table: from the generator. */
    s->tab_i = sp->nprimes ? sp->nprimes - 1 : 0;
    return fp__advance_prime(s);
}

FP_SIEVE_API int fp_sieve_init_ex(fp_sieve *s, const fp_sieve_primes *sp, uint64_t lo, uint64_t hi,
                            uint32_t seg_bytes, uint32_t small_lim, uint32_t big_lim)
{
    int g;
    memset(s, 0, sizeof *s);
    if (lo > hi) lo = hi;
    s->lo30 = lo - lo % 30;
    if (fp__sieve_setup(s, sp, lo, hi, seg_bytes, small_lim, big_lim)) return -1;
    for (g = 0; g < FP_PRESIEVE_GROUPS; g++) s->pmod[g] = (uint32_t)((s->lo30 / 30) % sp->period[g]);
    if (hi <= lo) return 0;
    s->tiny = (lo <= 2 && 2 < hi ? 1u : 0u) | (lo <= 3 && 3 < hi ? 2u : 0u) | (lo <= 5 && 5 < hi ? 4u : 0u);
    s->sqrt_hi = fp_isqrt64(hi - 1);
    if (s->sqrt_hi > sp->limit) { fp_sieve_free(s); return -2; }
    if (fp__first_prime(s)) { fp_sieve_free(s); return -1; }
    return 0;
}

FP_SIEVE_API int fp_sieve_init_u128(fp_sieve *s, const fp_sieve_primes *sp, uint64_t lo_hi, uint64_t lo_lo,
                              uint64_t hi_hi, uint64_t hi_lo, uint64_t pmin, uint64_t plimit,
                              uint32_t seg_bytes, uint32_t small_lim, uint32_t big_lim)
{
    uint64_t r, bl, rel_hi, rel_lo;
    int g;
    memset(s, 0, sizeof *s);
    s->wide = 1;
    if (lo_hi == 0 || plimit > sp->limit || (pmin && pmin < sp->presieve_max)) return -2;
    s->pmin = pmin;
    /* B = lo - (lo mod 30); the sieve's numbers are offsets from B. */
    r = fp_mod128_32(lo_hi, lo_lo, 30);
    bl = lo_lo - r;                        /* lo_lo >= r or a borrow from lo_hi */
    s->base_hi = lo_hi - (lo_lo < r ? 1 : 0);
    s->base_lo = bl;
    /* hi - B as 128 bits (hi = 0, 0 is 2**128); it must fit a word. */
    rel_lo = hi_lo - bl;
    rel_hi = hi_hi - s->base_hi - (hi_lo < bl ? 1 : 0);
    if (rel_hi != 0) return -2;
    if (fp__sieve_setup(s, sp, r, rel_lo > r ? rel_lo : r, seg_bytes, small_lim, big_lim)) return -1;
    s->base_mod210 = fp_mod128_32(s->base_hi, s->base_lo, 210);
    for (g = 0; g < FP_PRESIEVE_GROUPS; g++)
        s->pmod[g] = fp_mod128_32(s->base_hi, s->base_lo, 30 * sp->period[g]) / 30;
    if (s->hi <= s->lo) return 0;
    s->sqrt_hi = plimit;
    if (fp__first_prime(s)) { fp_sieve_free(s); return -1; }
    return 0;
}

FP_SIEVE_API int fp_sieve_init(fp_sieve *s, const fp_sieve_primes *sp, uint64_t lo, uint64_t hi)
{
    return fp_sieve_init_ex(s, sp, lo, hi, 0, 0, 0);
}

/* Next sieving prime after next_p, or 0. */
static int fp__advance_prime(fp_sieve *s)
{
    const fp_sieve_primes *sp = s->sp;
    if (s->tab_i + 1 < sp->nprimes) {
        uint64_t p = sp->primes[++s->tab_i];
        s->next_p = p <= s->sqrt_hi ? p : 0;
        return 0;
    }
    if (s->tab_i < sp->nprimes) s->tab_i++;   /* table exhausted: generator from here */
    if (s->sqrt_hi <= sp->table_max || s->sqrt_hi <= s->pmin) { s->next_p = 0; return 0; }
    if (!s->gen) {
        s->gen = (fp_sieve *)malloc(sizeof(fp_sieve));
        s->genbuf = (uint64_t *)malloc(FP_GEN_BUF * sizeof(uint64_t));
        if (!s->gen || !s->genbuf) { free(s->gen); s->gen = NULL; return -1; }
        if (fp_sieve_init_ex(s->gen, sp, (s->pmin > sp->table_max ? s->pmin : sp->table_max) + 1,
                             s->sqrt_hi + 1, 0, 0, 0)) {
            free(s->gen); s->gen = NULL; return -1;
        }
        s->gen_n = s->gen_i = 0;
    }
    if (s->gen_i == s->gen_n) {
        s->gen_n = fp_sieve_fill(s->gen, s->genbuf, FP_GEN_BUF);
        s->gen_i = 0;
        if (s->gen->err) return -1;
        if (s->gen_n == 0) { s->next_p = 0; return 0; }
    }
    s->next_p = s->genbuf[s->gen_i++];
    return 0;
}

static fp_bucket_block *fp__new_block(fp_sieve *s)
{
    fp_bucket_block *b = s->freeb;
    if (b) { s->freeb = b->h.next; return b; }
    {
        /* Slabs of 64 blocks (512 KiB): few mallocs, all freed at fp_sieve_free. */
        size_t k, nb = 64;
        fp_bucket_block *slab;
        if (s->nslabs == s->capslabs) {
            size_t nc = s->capslabs ? 2 * s->capslabs : 64;
            void **ns = (void **)realloc(s->slabs, nc * sizeof(void *));
            if (!ns) return NULL;
            s->slabs = ns; s->capslabs = nc;
        }
        void *raw = malloc((nb + 1) * sizeof(fp_bucket_block));
        if (!raw) return NULL;
        s->slabs[s->nslabs++] = raw;
        slab = FP_BLOCK_OF((char *)raw + FP_BLOCK_BYTES - 1);
        for (k = 1; k < nb; k++) { slab[k].h.next = s->freeb; s->freeb = &slab[k]; }
        return &slab[0];
    }
}

FP_INLINE int fp__list_push(fp_sieve *s, fp_sieve_entry **h, uint32_t pw, uint32_t ow)
{
    fp_sieve_entry *p = *h;
    if (!p) {
        fp_bucket_block *nb = fp__new_block(s);
        if (!nb) return -1;
        nb->h.next = NULL;
        p = nb->e;
    }
    p->pw = pw;
    p->ow = ow;
    p++;
    if (((uintptr_t)p & (FP_BLOCK_BYTES - 1)) == 0) {
        /* Block full: chain a new one in front. */
        fp_bucket_block *nb = fp__new_block(s);
        if (!nb) { *h = NULL; return -1; }
        nb->h.next = FP_BLOCK_OF(p - 1);
        p = nb->e;
    }
    *h = p;
    return 0;
}

FP_INLINE int fp__bucket_push(fp_sieve *s, uint64_t segno, uint32_t pw, uint32_t ow)
{
    return fp__list_push(s, &s->bucket[segno & (s->nbucket - 1)], pw, ow);
}

/* Enter sieving prime p, whose next multiple to strike is m (a number of the sieve's own:
   absolute, or an offset in relative mode) with multiplier at wheel index w (mod 30 below
   big_lim, mod 210 from it), into the small, medium or big primes from segment k on. */
static int fp__insert(fp_sieve *s, uint64_t k, uint64_t p, uint64_t m, uint32_t w)
{
    const uint64_t S = s->S;
    uint64_t rel = (m - s->lo30) / 30 - k * S;
    const uint32_t pdiv = (uint32_t)(p / 30), pi = FP_NEXT_WIDX[p % 30];
    if (p < s->small_lim) {
        fp_sieve_small *e;
        int i;
        if (s->nsmall == s->capsmall) {
            size_t nc = s->capsmall ? 2 * s->capsmall : 256;
            fp_sieve_small *ns = (fp_sieve_small *)realloc(s->small, nc * sizeof *ns);
            if (!ns) return -1;
            s->small = ns; s->capsmall = nc;
        }
        e = &s->small[s->nsmall++];
        e->p = (uint32_t)p;
        for (i = 0; i < 8; i++) {
            const fp_wheel_step *t = &FP_WHEEL[pi * 8 + w];
            int bit = 0;
            while ((t->mask >> bit) & 1) bit++;
            e->off[bit] = (uint32_t)rel;
            rel += (uint64_t)pdiv * t->dq + t->corr;
            w = (w + 1) & 7;
        }
        return 0;
    }
    if (p < s->big_lim) return fp__list_push(s, &s->mcur[pi * 8 + w], pdiv, (uint32_t)rel);
    if (!s->nbucket) {
        /* Ring of buckets: must exceed the largest distance (in segments) from the
           current segment to a pending multiple: < 11p numbers (210-wheel gap 10). */
        uint64_t span = (s->sqrt_hi / 30) * 12 + 64, nb = 4;
        while (nb < span / S + 3) nb *= 2;
        s->bucket = (fp_sieve_entry **)calloc((size_t)nb, sizeof(fp_sieve_entry *));
        if (!s->bucket) return -1;
        s->nbucket = nb;
    }
    return fp__bucket_push(s, k + (rel >> s->log2S), pdiv << 3 | pi, (uint32_t)(rel & (S - 1)) << 6 | w);
}

/* Relative mode: p's first multiple m >= lo whose multiplier q = (B + m) / p is coprime to
   30 (p < big_lim) or 210, given (B + lo) mod p; entered if it lies in the window.  q is
   known only modulo 210, as (B + m) * p**-1. */
FP_INLINE int fp__insert_wide(fp_sieve *s, uint64_t k, uint64_t p, uint32_t t)
{
    uint64_t m = s->lo + (t ? p - t : 0);
    uint32_t r, w;
    if (m > s->hi - 1) return 0;
    r = (uint32_t)((s->base_mod210 + m % 210) % 210 * FP_INV210[p % 210] % 210);
    if (p < s->big_lim) {
        w = FP_NEXT_WIDX[r % 30];
        m += p * FP_NEXT_DELTA[r % 30];
    } else {
        w = FP_NEXT210_WIDX[r];
        m += p * FP_NEXT210_DELTA[r];
    }
    return m <= s->hi - 1 ? fp__insert(s, k, p, m, w) : 0;
}

/* (B + lo) mod p in relative mode. */
FP_INLINE uint32_t fp__base_mod(const fp_sieve *s, uint32_t p)
{
    uint32_t t = fp_mod128_32(s->base_hi, s->base_lo, p) + (uint32_t)s->lo;
    return t >= p ? t - p : t;   /* lo < 30 < p */
}

/* Relative mode: every sieving prime's square is below B, so they all join at the first
   segment.  The generated ones (above the shared table) are taken a buffer at a time, the
   remainders first in a loop of their own: near 2**64 most of the 203 M primes have no
   multiple in a window of W numbers (probability W/p), so the remainder is all the work
   they cost, and independent divisions overlap.  Counting [2**64, +10**8) on one thread
   (C, quiet 2-core AMD EPYC): per-prime calls and residue work for every prime 1.63 s;
   checking the range before the residue 1.47 s; buffers 1.33 s, of which ~0.7 s is the
   remainders (3.5 ns a prime, the 128-by-64 divide) and ~0.55 s generating the primes. */
static int fp__add_primes_wide(fp_sieve *s, uint64_t k, uint64_t limit)
{
    uint64_t added = 0;
    while (s->next_p) {
        if (added == limit) return 1;
        if (s->gen && s->gen_i > 0 && s->gen_i <= s->gen_n && s->genbuf[s->gen_i - 1] == s->next_p) {
            /* next_p is genbuf[gen_i - 1]: the rest of the buffer at once. */
            size_t i = s->gen_i - 1, n = s->gen_n, j;
            uint32_t t[FP_GEN_BUF];
            if (n - i > limit - added) n = i + (size_t)(limit - added);
            for (j = i; j < n; j++) t[j - i] = fp__base_mod(s, (uint32_t)s->genbuf[j]);
            for (j = i; j < n; j++)
                if (fp__insert_wide(s, k, s->genbuf[j], t[j - i])) return -1;
            added += n - i;
            s->gen_i = n;   /* the next call of fp__advance_prime takes genbuf[n] or refills */
        } else {
            const uint64_t p = s->next_p;
            added++;
            if (fp__insert_wide(s, k, p, fp__base_mod(s, (uint32_t)p))) return -1;
        }
        if (fp__advance_prime(s)) return -1;
    }
    return 0;
}

/* Add every sieving prime whose square is below the end of segment k, at most `limit` of
   them: 1 if the limit stopped it early, 0 done, -1 no memory. */
static int fp__add_primes(fp_sieve *s, uint64_t k, uint64_t limit)
{
    const uint64_t endbyte = (k + 1) * (uint64_t)s->S;   /* p joins when (p*p - lo30)/30 < endbyte */
    uint64_t added = 0;
    if (s->wide) return fp__add_primes_wide(s, k, limit);
    while (s->next_p) {
        uint64_t p = s->next_p, pp = p * p, start, q, m, mhi;
        uint32_t r, w;
        if (pp >= s->lo30 && (pp - s->lo30) / 30 >= endbyte) break;
        if (added == limit) return 1;
        added++;
        start = pp > s->lo ? pp : s->lo;
        q = start / p;
        if (q * p < start) q++;
        if (p < s->big_lim) {
            r = (uint32_t)(q % 30);
            w = FP_NEXT_WIDX[r];
            q += FP_NEXT_DELTA[r];
        } else {
            r = (uint32_t)(q % 210);
            w = FP_NEXT210_WIDX[r];
            q += FP_NEXT210_DELTA[r];
        }
        m = fp_mul128(p, q, &mhi);
        if (!mhi && m <= s->hi - 1 && fp__insert(s, k, p, m, w)) return -1;
        if (fp__advance_prime(s)) return -1;
    }
    return 0;
}

FP_SIEVE_API int fp_sieve_prepare(fp_sieve *s, uint64_t nprimes)
{
    int rc;
    if (s->err) return -1;
    if (s->seg_idx >= s->nseg) return 1;
    rc = fp__add_primes(s, s->seg_idx, nprimes);
    if (rc < 0) { s->err = -1; return -1; }
    return rc == 0;
}

/* Unrolled crossing-off for small primes: 8 offsets per prime, one per bit.  Crosses off below
   byte S of the segment (a chunk end), then subtracts sub (the segment size after the last
   chunk, else 0) so that offsets stay relative to the segment start. */
static void fp__sieve_small(fp_sieve *s, uint8_t *seg, uint32_t S, uint32_t sub)
{
    size_t i;
    for (i = 0; i < s->nsmall; i++) {
        fp_sieve_small *e = &s->small[i];
        const uint32_t p = e->p;
        uint32_t o0 = e->off[0], o1 = e->off[1], o2 = e->off[2], o3 = e->off[3];
        uint32_t o4 = e->off[4], o5 = e->off[5], o6 = e->off[6], o7 = e->off[7];
        uint32_t lo_ = o0, hi_ = o0;
#define FP_MM(o) do { if ((o) < lo_) lo_ = (o); if ((o) > hi_) hi_ = (o); } while (0)
        FP_MM(o1); FP_MM(o2); FP_MM(o3); FP_MM(o4); FP_MM(o5); FP_MM(o6); FP_MM(o7);
#undef FP_MM
        if (hi_ < S) {
            /* All 8 offsets lie in [lo_, lo_ + p): walk one base pointer by p per turn. */
            uint32_t c0 = o0 - lo_, c1 = o1 - lo_, c2 = o2 - lo_, c3 = o3 - lo_;
            uint32_t c4 = o4 - lo_, c5 = o5 - lo_, c6 = o6 - lo_, c7 = o7 - lo_;
            uint32_t b = lo_, lim = S - (hi_ - lo_);
            for (; b < lim; b += p) {
                uint8_t *q = seg + b;
                q[c0] &= 0xfe; q[c1] &= 0xfd; q[c2] &= 0xfb; q[c3] &= 0xf7;
                q[c4] &= 0xef; q[c5] &= 0xdf; q[c6] &= 0xbf; q[c7] &= 0x7f;
            }
            o0 = b + c0; o1 = b + c1; o2 = b + c2; o3 = b + c3;
            o4 = b + c4; o5 = b + c5; o6 = b + c6; o7 = b + c7;
        }
#define FP_TAIL(o, m) do { if ((o) < S) { seg[o] &= (m); (o) += p; } } while (0)
        FP_TAIL(o0, 0xfe); FP_TAIL(o1, 0xfd); FP_TAIL(o2, 0xfb); FP_TAIL(o3, 0xf7);
        FP_TAIL(o4, 0xef); FP_TAIL(o5, 0xdf); FP_TAIL(o6, 0xbf); FP_TAIL(o7, 0x7f);
#undef FP_TAIL
        e->off[0] = o0 - sub; e->off[1] = o1 - sub; e->off[2] = o2 - sub; e->off[3] = o3 - sub;
        e->off[4] = o4 - sub; e->off[5] = o5 - sub; e->off[6] = o6 - sub; e->off[7] = o7 - sub;
    }
}

/* Medium primes: the wheel walk of FP_WHEEL written out with constant masks and deltas (generated
   by tools/gen_sieve_tables.py, FP_MEDIUM_CASES).  The primes sit in 64 lists by (p mod 30, wheel index of the next multiple),
   so the switch runs once per list instead of once per prime: an indirect jump per prime and
   segment was mispredicted most of the time and took 73% of [10^12, +10^9) (perf); grouping took
   that range from 1.4-1.9x primesieve's time to 1.0x. */
#define FP_MS(li, m, d, c) \
    if (off >= S) { if (fp__list_push(s, &s->mnext[li], pdiv, off - S)) return -1; break; } \
    seg[off] &= (m); off += pdiv * (d) + (c);
#define FP_MCASE(li, STEPS) \
    case li: \
        for (; e < end; e++) { uint32_t off = e->ow; const uint32_t pdiv = e->pw; for (;;) { STEPS } } \
        break;
static int fp__sieve_medium(fp_sieve *s, uint8_t *seg)
{
    const uint32_t S = s->S;
    int li;
    for (li = 0; li < 64; li++) {
        fp_sieve_entry *wp = s->mcur[li];
        fp_bucket_block *b = wp ? FP_BLOCK_OF(wp) : NULL;
        const fp_sieve_entry *lim = wp;
        s->mcur[li] = NULL;
        while (b) {
            fp_bucket_block *next = b->h.next;
            const fp_sieve_entry *e = b->e, *end = lim;
            switch (li) {
        FP_MEDIUM_CASES
            }
            b->h.next = s->freeb;
            s->freeb = b;
            b = next;
            lim = b ? b->e + FP_BUCKET_ENTRIES : NULL;
        }
    }
    for (li = 0; li < 64; li++) { s->mcur[li] = s->mnext[li]; s->mnext[li] = NULL; }
    return 0;
}
#undef FP_MS
#undef FP_MCASE

static int fp__sieve_big(fp_sieve *s, uint8_t *seg, uint64_t k)
{
    const uint32_t S = s->S, log2S = s->log2S;
    const uint64_t nseg = s->nseg;
    fp_sieve_entry **h = &s->bucket[k & (s->nbucket - 1)];
    fp_bucket_block *b = *h ? FP_BLOCK_OF(*h) : NULL;
    const fp_sieve_entry *lim = *h;
    *h = NULL;
    while (b) {
        fp_bucket_block *next = b->h.next;
        const fp_sieve_entry *e = b->e, *end = lim;
        for (; e < end; e++) {
            uint32_t pw = e->pw, off = e->ow >> 6, w = e->ow & 63, pdiv = pw >> 3;
            const fp_wheel_step *t = &FP_WHEEL210[(pw & 7) * 48];
            uint64_t segno;
            do {
                seg[off] &= t[w].mask;
                off += pdiv * t[w].dq + t[w].corr;
                w = w == 47 ? 0 : w + 1;
            } while (off < S);
            segno = k + (off >> log2S);
            if (segno < nseg && fp__bucket_push(s, segno, pw, (off & (S - 1)) << 6 | w)) return -1;
        }
        b->h.next = s->freeb;
        s->freeb = b;
        b = next;
        lim = b ? b->e + FP_BUCKET_ENTRIES : NULL;
    }
    return 0;
}

/* Pre-sieve n bytes starting at byte rel of the range (rel bytes after lo30): copy group 0's
   pattern, AND in the others, 8 bytes at a time. */
static void fp__presieve(const fp_sieve *s, uint8_t *dst, uint64_t rel, uint32_t n)
{
    const fp_sieve_primes *sp = s->sp;
    int g;
    for (g = 0; g < FP_PRESIEVE_GROUPS; g++) {
        const uint8_t *pat = sp->pattern[g];
        uint32_t period = sp->period[g], pos = (uint32_t)((s->pmod[g] + rel % period) % period), done = 0;
        while (done < n) {
            uint32_t m = period - pos, i = 0;
            if (m > n - done) m = n - done;
            if (g == 0) memcpy(dst + done, pat + pos, m);
            else {
                uint8_t *d = dst + done;
                const uint8_t *q = pat + pos;
                for (; i + 8 <= m; i += 8) {
                    uint64_t a, b;
                    memcpy(&a, d + i, 8); memcpy(&b, q + i, 8);
                    a &= b;
                    memcpy(d + i, &a, 8);
                }
                for (; i < m; i++) d[i] &= q[i];
            }
            done += m; pos = 0;
        }
    }
}

/* Sieve the next segment into s->seg and set the decode cursor.  0 ok, -1 no memory. */
static int fp__next_segment(fp_sieve *s)
{
    const uint64_t k = s->seg_idx;
    const uint32_t S = s->S;
    uint8_t *seg = (uint8_t *)s->seg;
    uint64_t abs0 = s->lo30 / 30 + k * S;   /* absolute byte index of seg[0] (narrow mode) */
    uint64_t nbytes = s->total_bytes - k * S;
    int g;
    if (nbytes > S) nbytes = S;
    if (fp__add_primes(s, k, ~(uint64_t)0)) { s->err = -1; return -1; }
    /* 1-2. pre-sieve and small primes, one L1-sized chunk at a time: the chunk stays in L1
       between the pattern copy and the small primes' many stores. */
    {
        uint32_t c0 = 0, C = s->C;
        while (c0 < S) {
            uint32_t c1 = S - c0 < C ? S : c0 + C;
            if (s->pmin) memset(seg + c0, 0xff, c1 - c0);   /* a part: its own strikes only */
            else fp__presieve(s, seg + c0, k * S + c0, c1 - c0);
            if (!s->wide && abs0 + c0 < 3) {
                /* The patterns struck the pre-sieved primes themselves, and 1 is not prime. */
                uint32_t P;
                for (g = 0; g < FP_PRESIEVE_GROUPS; g++) {
                    int i;
                    for (i = 0; i < 5 && (P = FP_PRESIEVE_PRIMES[g][i]) != 0; i++)
                        if (P / 30 >= abs0 && P / 30 - abs0 < c1) seg[P / 30 - abs0] |= (uint8_t)(1u << FP_NEXT_WIDX[P % 30]);
                }
                if (abs0 == 0) seg[0] &= 0xfe;
            }
            fp__sieve_small(s, seg, c1, c1 == S ? S : 0);
            c0 = c1;
        }
    }
    /* 3-4. medium and big primes over the whole segment */
    if (fp__sieve_medium(s, seg)) { s->err = -1; return -1; }
    if (s->nbucket && fp__sieve_big(s, seg, k)) { s->err = -1; return -1; }
    /* 5. ends of the range */
    if (k == 0) {
        uint64_t d = s->lo - s->lo30;   /* 0..29: clear residues below it */
        int i;
        for (i = 0; i < 8; i++) if (FP_RESIDUE[i] < d) seg[0] &= (uint8_t)~(1u << i);
    }
    if (k + 1 == s->nseg) {
        uint64_t lastbase = s->lo30 + 30 * (s->total_bytes - 1);
        uint64_t lim = s->hi - lastbase;   /* 1..30: keep residues below it */
        int i;
        for (i = 0; i < 8; i++) if (FP_RESIDUE[i] >= lim) seg[nbytes - 1] &= (uint8_t)~(1u << i);
    }
    memset(seg + nbytes, 0, 8);   /* pad to whole words */
    s->cur_base = s->lo30 + 30 * k * (uint64_t)S;
    s->cur_words = (size_t)((nbytes + 7) / 8);
    s->cur_wi = 0;
    s->cur_bits = fp_load64le(seg);
    s->seg_idx = k + 1;
    return 0;
}

FP_SIEVE_API int fp_sieve_count_step(fp_sieve *s, uint64_t budget, uint64_t *count)
{
    uint64_t c = 0, done = 0;
    const uint64_t per = 30 * (uint64_t)s->S;
    if (s->err) return -1;
    if (s->tiny) {
        c += (s->tiny & 1) + ((s->tiny >> 1) & 1) + ((s->tiny >> 2) & 1);
        s->tiny = 0;
    }
    if (s->cur_wi < s->cur_words) {
        /* Finish a segment that fp_sieve_fill left part-decoded. */
        c += (uint64_t)fp_popcount64(s->cur_bits);
        c += fp_popcount_words(s->sp, (const uint8_t *)s->seg + 8 * (s->cur_wi + 1),
                               s->cur_words - s->cur_wi - 1);
        s->cur_wi = s->cur_words;
    }
    while (s->seg_idx < s->nseg) {
        if (fp__next_segment(s)) { *count += c; return -1; }
        c += fp_popcount_words(s->sp, (const uint8_t *)s->seg, s->cur_words);
        s->cur_wi = s->cur_words;
        done += per;
        if (done >= budget) break;
    }
    *count += c;
    return s->seg_idx >= s->nseg ? 1 : 0;
}

/* Bytes of the bitmap of a whole range: whole words, the last padded with zeros. */
FP_SIEVE_API size_t fp_sieve_bitmap_bytes(const fp_sieve *s)
{
    return (size_t)((s->total_bytes + 7) / 8 * 8);
}

FP_SIEVE_API int fp_sieve_bitmap_step(fp_sieve *s, uint8_t *out, uint64_t budget)
{
    uint64_t done = 0;
    const uint64_t per = 30 * (uint64_t)s->S;
    if (s->err) return -1;
    while (s->seg_idx < s->nseg) {
        const uint64_t k = s->seg_idx;
        if (fp__next_segment(s)) return -1;
        memcpy(out + k * s->S, s->seg, (size_t)(8 * s->cur_words));   /* zero-padded to a word */
        s->cur_wi = s->cur_words;
        done += per;
        if (done >= budget) break;
    }
    return s->seg_idx >= s->nseg ? 1 : 0;
}

FP_SIEVE_API size_t fp_sieve_fill(fp_sieve *s, uint64_t *out, size_t cap)
{
    size_t n = 0;
    if (s->err) return 0;
    while (s->tiny && n < cap) {
        int i = s->tiny & 1 ? 0 : (s->tiny & 2 ? 1 : 2);
        static const uint8_t tp[3] = {2, 3, 5};
        out[n++] = tp[i];
        s->tiny &= ~(1u << i);
    }
    while (n < cap) {
        size_t wi = s->cur_wi;
        uint64_t bits = s->cur_bits;
        const uint8_t *seg = (const uint8_t *)s->seg;
        if (wi >= s->cur_words) {
            if (s->seg_idx >= s->nseg) break;
            if (fp__next_segment(s)) break;
            continue;
        }
        {
            uint64_t base = s->cur_base + 240 * (uint64_t)wi;
            for (;;) {
                if (cap - n >= 64) {
                    /* Room for a whole word: no bound check per prime. */
                    while (bits) {
                        out[n++] = base + FP_BIT_VALUE[fp_ctz64(bits)];
                        bits &= bits - 1;
                    }
                } else {
                    while (bits && n < cap) {
                        out[n++] = base + FP_BIT_VALUE[fp_ctz64(bits)];
                        bits &= bits - 1;
                    }
                    if (bits) break;                   /* cap reached mid-word */
                }
                if (++wi >= s->cur_words) break;
                bits = fp_load64le(seg + 8 * wi);
                base += 240;
                if (n >= cap) break;
            }
        }
        s->cur_wi = wi;
        s->cur_bits = bits;
    }
    return n;
}

#endif /* FASTPRIME_SIEVE_H */
