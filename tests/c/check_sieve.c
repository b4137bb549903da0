/* Tests for sieve.h.  Usage: test_sieve [max_k] [n_random] [seed]
   Build with -DHAVE_PRIMESIEVE -lprimesieve to compare with primesieve; without it (e.g. -m32),
   windows are checked against a simple sieve (hi <= 2**44) or Miller-Rabin (above). */
#include <stdio.h>
#include <stdlib.h>
#include <inttypes.h>
#include "sieve.h"
#ifdef HAVE_PRIMESIEVE
#include <primesieve.h>
#endif

static int failures = 0, checks = 0;
#define CHECK(c, ...) do { checks++; if (!(c)) { failures++; if (failures < 30) { printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } } while (0)

static uint64_t rng_state;
static uint64_t rnd(void) { rng_state += 0x9e3779b97f4a7c15ULL; uint64_t z = rng_state; z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL; z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL; return z ^ (z >> 31); }

/* ---- reference ---- */
static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t n)
{
    uint64_t hi, lo = fp_mul128(a, b, &hi);
    int i;
    /* remainder of (hi:lo) by n, bit by bit */
    uint64_t r = hi % n;
    for (i = 63; i >= 0; i--) {
        int top = (int)(r >> 63);
        r = (r << 1) | ((lo >> i) & 1);
        if (top || r >= n) r -= n;
    }
    return r;
}
static uint64_t powmod(uint64_t a, uint64_t e, uint64_t n) { uint64_t r = 1; a %= n; while (e) { if (e & 1) r = mulmod(r, a, n); a = mulmod(a, a, n); e >>= 1; } return r; }
static int is_prime_ref(uint64_t n)
{
    static const uint64_t bases[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
    uint64_t d; int s = 0, i, j;
    if (n < 2) return 0;
    for (i = 0; i < 12; i++) { if (n == bases[i]) return 1; if (n % bases[i] == 0) return 0; }
    for (d = 41; d < 1000; d += 2) { if (d * d > n) return 1; if (n % d == 0) return 0; }
    d = n - 1; while (!(d & 1)) { d >>= 1; s++; }
    for (i = 0; i < 12; i++) {
        uint64_t x = powmod(bases[i], d, n);
        if (x == 1 || x == n - 1) continue;
        for (j = 1; j < s; j++) { x = mulmod(x, x, n); if (x == n - 1) break; }
        if (j == s) return 0;
    }
    return 1;
}
/* All primes in [lo, hi) into *out (malloc'd); returns count. */
static size_t ref_primes(uint64_t lo, uint64_t hi, uint64_t **out)
{
    size_t n = 0; (void)n;
#ifdef HAVE_PRIMESIEVE
    if (hi > lo) {
        size_t sz = 0;
        uint64_t *v = (uint64_t *)primesieve_generate_primes(lo, hi - 1, &sz, UINT64_PRIMES);
        *out = (uint64_t *)malloc((sz + 1) * 8);
        memcpy(*out, v, sz * 8);
        primesieve_free(v);
        return sz;
    }
    *out = (uint64_t *)malloc(8);
    return 0;
#else
    uint64_t w = hi - lo, i;
    *out = (uint64_t *)malloc((size_t)(w / 2 + 4) * 8);
    if (hi <= (1ULL << 44)) {
        uint64_t r = fp_isqrt64(hi ? hi - 1 : 0), p, m;
        uint8_t *small = (uint8_t *)calloc((size_t)r + 2, 1), *win = (uint8_t *)calloc((size_t)w + 1, 1);
        for (p = 2; p <= r; p++) if (!small[p]) {
            for (m = p * p; m <= r; m += p) small[m] = 1;
            m = lo / p * p; if (m < lo) m += p; if (m < p * p) m = p * p;
            for (; m < hi; m += p) win[m - lo] = 1;
        }
        for (i = 0; i < w; i++) if (!win[i] && lo + i >= 2) (*out)[n++] = lo + i;
        free(small); free(win);
    } else {
        for (i = 0; i < w; i++) if (is_prime_ref(lo + i)) (*out)[n++] = lo + i;
    }
    return n;
#endif
}

static fp_sieve_primes SP;

/* Compare count and fill of [lo, hi) with the reference; seg/small/big: 0 = defaults. */
static void check_window(uint64_t lo, uint64_t hi, uint32_t seg, uint32_t sl, uint32_t bl, int resume)
{
    uint64_t *ref, *got, cnt = 0;
    size_t nref = ref_primes(lo, hi, &ref), n = 0, k;
    fp_sieve s;
    int rc = fp_sieve_init_ex(&s, &SP, lo, hi, seg, sl, bl);
    CHECK(rc == 0, "init [%" PRIu64 ", %" PRIu64 ")", lo, hi);
    if (rc) { free(ref); return; }
    if (resume) { int r; do { r = fp_sieve_count_step(&s, 1 + rnd() % 100000, &cnt); } while (r == 0); }
    else CHECK(fp_sieve_count_step(&s, ~0ULL, &cnt) == 1, "one step did not finish");
    CHECK(cnt == nref, "count [%" PRIu64 ", %" PRIu64 ") seg=%u got %" PRIu64 " want %zu", lo, hi, seg, cnt, nref);
    fp_sieve_free(&s);
    fp_sieve_init_ex(&s, &SP, lo, hi, seg, sl, bl);
    got = (uint64_t *)malloc((nref + 16) * 8);
    if (resume) {
        static const size_t caps[] = {1, 2, 7, 3, 64, 1000};
        size_t c, i = 0;
        while ((c = fp_sieve_fill(&s, got + n, resume == 2 ? 1 + rnd() % 9 : caps[i++ % 6])) > 0) { n += c; if (n > nref) break; }
    } else {
        size_t c;
        while ((c = fp_sieve_fill(&s, got + n, nref + 16 - n)) > 0) { n += c; if (n > nref) break; }
    }
    CHECK(n == nref, "fill count [%" PRIu64 ", %" PRIu64 ") got %zu want %zu", lo, hi, n, nref);
    for (k = 0; k < n && k < nref; k++) if (got[k] != ref[k]) break;
    CHECK(k == (n < nref ? n : nref), "fill value [%" PRIu64 ", %" PRIu64 ") at %zu: %" PRIu64 " vs %" PRIu64, lo, hi, k, got[k], ref[k]);
    /* mixed: fill a little then count the rest */
    fp_sieve_free(&s);
    if (nref > 3) {
        uint64_t c2 = 0; size_t f;
        fp_sieve_init_ex(&s, &SP, lo, hi, seg, sl, bl);
        f = fp_sieve_fill(&s, got, 3);
        while (fp_sieve_count_step(&s, 1000000, &c2) == 0) {}
        CHECK(f + c2 == nref, "fill+count mix [%" PRIu64 ", %" PRIu64 ")", lo, hi);
        fp_sieve_free(&s);
    }
    free(got); free(ref);
}

int main(int argc, char **argv)
{
    static const uint64_t pi[11] = {0, 4, 25, 168, 1229, 9592, 78498, 664579, 5761455, 50847534, 455052511};
    int maxk = argc > 1 ? atoi(argv[1]) : 10, nrand = argc > 2 ? atoi(argv[2]) : 1000, k, i;
    uint64_t lo, hi, p10 = 1;
    rng_state = argc > 3 ? strtoull(argv[3], 0, 10) : 12345;
    if (fp_sieve_primes_init(&SP, 0xffffffffULL)) { printf("init failed\n"); return 1; }
    printf("mul path %s, popcnt %d, L1 %u, L2 %u, default segment %u\n", FP_MUL_PATH, SP.has_popcnt, SP.l1_bytes, SP.l2_bytes, SP.seg_bytes);
    /* 1. pi(10^k) */
    for (k = 1; k <= maxk; k++) {
        fp_sieve s; uint64_t c = 0;
        p10 *= 10;
        fp_sieve_init(&s, &SP, 0, p10);
        while (fp_sieve_count_step(&s, 1ULL << 26, &c) == 0) {}
        CHECK(c == pi[k], "pi(10^%d) = %" PRIu64 " want %" PRIu64, k, c, pi[k]);
        fp_sieve_free(&s);
    }
    printf("pi(10^k) k<=%d done, failures %d\n", maxk, failures);
    /* 2. every [lo, hi) with hi < 200 */
    for (hi = 0; hi < 200; hi++) for (lo = 0; lo <= hi; lo++) {
        fp_sieve s; uint64_t c = 0, ref = 0, x, out[64]; size_t n = 0, j, f;
        for (x = lo; x < hi; x++) ref += is_prime_ref(x);
        fp_sieve_init_ex(&s, &SP, lo, hi, (hi & 1) ? 256 : 0, 0, 0);
        fp_sieve_count_step(&s, 1, &c);
        while (fp_sieve_count_step(&s, 1, &c) == 0) {}
        CHECK(c == ref, "tiny count [%" PRIu64 ", %" PRIu64 ") %" PRIu64 " vs %" PRIu64, lo, hi, c, ref);
        fp_sieve_free(&s);
        fp_sieve_init(&s, &SP, lo, hi);
        while ((f = fp_sieve_fill(&s, out + n, 1 + (n % 3))) > 0) n += f;
        CHECK(n == ref, "tiny fill n [%" PRIu64 ", %" PRIu64 ")", lo, hi);
        for (j = 0, x = lo; x < hi; x++) if (is_prime_ref(x)) { CHECK(j < n && out[j] == x, "tiny fill value %" PRIu64, x); j++; }
        fp_sieve_free(&s);
    }
    printf("exhaustive hi<200 done, failures %d\n", failures);
    /* 3. random windows */
    for (i = 0; i < nrand; i++) {
        int kind = (int)(rnd() % 10), e = (int)(rnd() % 64);
        uint64_t w = (uint64_t)pow(10.0, (double)(rnd() % 7000) / 1000.0);   /* 1 .. 10^7 */
        uint32_t seg = 0, sl = 0, bl = 0;
        int resume = (int)(rnd() % 3);
        /* Offsets above ~2^50 need all sieving primes to 2^25..2^32 (seconds each, for
           primesieve too): keep those few and narrow. */
        if (e > 50 && rnd() % 8) e = (int)(rnd() % 50);
        lo = e ? (rnd() >> (64 - e)) : rnd() % 1000;
        if (kind == 0) lo = (1ULL << 32) - (rnd() % (w + 1));                 /* crossing 2^32 */
        if (kind == 1 && i % 25 == 1) { w = 1 + rnd() % 30000; lo = 0xffffffffffffffffULL - w; } /* ending at 2^64-1 */
        if (kind == 2) { uint64_t t = 1; int j, m = (int)(rnd() % 13); for (j = 0; j < m; j++) t *= 10; lo = t > w ? t - rnd() % w : 0; }
        if (kind == 3) w = 1 + rnd() % 100;                                    /* tiny */
        if (lo > 0xffffffffffffffffULL - w) w = 0xffffffffffffffffULL - lo;
        if (lo >= (1ULL << 50) && w > 3000000) w = 1 + rnd() % 3000000;
#ifndef HAVE_PRIMESIEVE
        if (lo >= (1ULL << 44) && w > 3000) w = 1 + rnd() % 3000;
#endif
        hi = lo + w;
        if (rnd() % 3 == 0) { seg = 256u << (rnd() % 12); if (rnd() % 2) { sl = 1 + (uint32_t)(rnd() % 4096); bl = sl + (uint32_t)(rnd() % 40000); } }
        check_window(lo, hi, seg, sl, bl, resume);
        if (i % 100 == 99) { printf("  %d windows, failures %d\n", i + 1, failures); fflush(stdout); }
    }
    printf("random windows %d done\n", nrand);
    fp_sieve_primes_free(&SP);
    printf("%s: %d checks, %d failures\n", failures ? "FAILED" : "OK", checks, failures);
    return failures != 0;
}
