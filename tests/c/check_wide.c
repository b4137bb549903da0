/* C test driver for wide.h, built in every configuration by build_tests.sh and fed by
   test_wide.py.  One command per line on stdin, one answer line each:
     p HI LO            is_prime                     -> 0|1
     s HI LO            strong base-2 test alone     -> 0|1
     l HI LO            strong Lucas alone (odd non-square n > 1000) -> 0|1
     n HI LO / v HI LO  next / prev prime            -> ok HI LO
     m K HI LO ...      fp_is_prime_u128_many        -> K digits
     c LH LL HH HL B P  count primes in [L, H) (L >= 2**64) with widesieve.h in steps of
                        budget B, sieving to depth P (0: the engine's choice) -> count
     f LH LL HH HL C P  all primes of [L, H) by fill(cap C) calls -> HI:LO ...
     x LH LL HH HL T    the same range counted by T sieves that split the sieving
                        primes (fp_wsieve_init_part), their bitmaps ANDed -> count
     y LH LL HH HL T    the primes of that split, decoded from the ANDed bitmap -> HI:LO ...
   (hex words; H = 0 0 means 2**128) */
#include <stdio.h>
#include <stdlib.h>
#include "widesieve.h"

typedef unsigned long long ull;
static fp_sieve_primes SP;

int main(void)
{
    char op;
    static uint64_t buf[2 * 4096];
    static uint8_t out8[4096];
    if (fp_sieve_primes_init(&SP, 0xffffffffULL)) return 3;
    while (scanf(" %c", &op) == 1) {
        ull a, b, c, d, e, f;
        if (op == 'p' || op == 's' || op == 'l' || op == 'n' || op == 'v') {
            if (scanf("%llx %llx", &a, &b) != 2) return 2;
            if (op == 'p') {
                printf("%d\n", fp_is_prime_u128(a, b));
            } else if (op == 's' || op == 'l') {
                fpw_mont mo;
                fpw_mont_init(&mo, fpw_make(a, b));
                printf("%d\n", op == 'l' ? fpw_lucas(&mo) : fpw_sprp2(&mo));
            } else {
                uint64_t rh = 0, rl = 0;
                int ok = op == 'n' ? fp_next_prime_u128(a, b, &rh, &rl) : fp_prev_prime_u128(a, b, &rh, &rl);
                printf("%d %llx %llx\n", ok, (ull)rh, (ull)rl);
            }
        } else if (op == 'm') {
            ull k, i;
            if (scanf("%llu", &k) != 1 || k > 4096) return 2;
            for (i = 0; i < k; i++)
                if (scanf("%llx %llx", &a, &b) != 2) return 2; else { buf[2 * i] = a; buf[2 * i + 1] = b; }
            fp_is_prime_u128_many(buf, (size_t)k, out8);
            for (i = 0; i < k; i++) putchar('0' + out8[i]);
            putchar('\n');
        } else if (op == 'c') {
            fp_wsieve w;
            uint64_t cnt = 0;
            int rc;
            if (scanf("%llx %llx %llx %llx %llx %llx", &a, &b, &c, &d, &e, &f) != 6) return 2;
            if (fp_wsieve_init(&w, &SP, a, b, c, d, f)) { printf("init failed\n"); continue; }
            while (fp_wsieve_prepare(&w, 1 + e % 5000) == 0) {
            }
            while ((rc = fp_wsieve_count_step(&w, e, &cnt)) == 0) {
            }
            printf("%llu%s\n", (ull)cnt, rc < 0 ? " nomem" : "");
            fp_wsieve_free(&w);
        } else if (op == 'f') {
            fp_wsieve w;
            size_t got;
            if (scanf("%llx %llx %llx %llx %llx %llx", &a, &b, &c, &d, &e, &f) != 6 || e > 4096 || e == 0) return 2;
            if (fp_wsieve_init(&w, &SP, a, b, c, d, f)) { printf("init failed\n"); continue; }
            while ((got = fp_wsieve_fill(&w, buf, (size_t)e)) > 0) {
                size_t i;
                for (i = 0; i < got; i++) printf("%llx:%llx ", (ull)buf[2 * i], (ull)buf[2 * i + 1]);
            }
            printf("\n");
            fp_wsieve_free(&w);
        } else if (op == 'x' || op == 'y') {
            /* T parts, as the Python glue runs them on T threads (here one after another). */
            fp_wsieve parts[8];
            uint8_t *maps[8];
            size_t nbytes = 0;
            int t, nt, ok = 1;
            if (scanf("%llx %llx %llx %llx %llx", &a, &b, &c, &d, &e) != 5 || e < 1 || e > 8) return 2;
            nt = (int)e;
            for (t = 0; t < nt; t++) {
                uint64_t lo_p, hi_p;
                fp_wsieve_part_bounds(t, nt, &lo_p, &hi_p);
                if (fp_wsieve_init_part(&parts[t], &SP, a, b, c, d, lo_p, hi_p)) { ok = 0; break; }
                nbytes = fp_wsieve_bitmap_bytes(&parts[t]);
                maps[t] = (uint8_t *)malloc(nbytes);
                while (fp_wsieve_prepare(&parts[t], 77777) == 0) {
                }
                while (fp_wsieve_bitmap_step(&parts[t], maps[t], 1 + e * 1000003) == 0) {
                }
            }
            if (!ok) { printf("init failed\n"); continue; }
            if (op == 'x') {
                printf("%llu\n", (ull)fp_wsieve_bitmap_count(&parts[0], maps, nt));
            } else {
                size_t pos = 0, got, i;
                fp_wsieve_bitmap_and(maps, nt, nbytes);
                while ((got = fp_wsieve_bitmap_fill(&parts[0], maps[0], &pos, buf, 5)) > 0)
                    for (i = 0; i < got; i++) printf("%llx:%llx ", (ull)buf[2 * i], (ull)buf[2 * i + 1]);
                printf("\n");
            }
            for (t = 0; t < nt; t++) { fp_wsieve_free(&parts[t]); free(maps[t]); }
        } else {
            printf("?\n");
            return 2;
        }
    }
    return 0;
}
