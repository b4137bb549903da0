/* C test driver for wide.h, built in every configuration by build_tests.sh and fed by
   test_wide.py.  One command per line on stdin, one answer line each:
     p HI LO            is_prime                     -> 0|1
     s HI LO            strong base-2 test alone     -> 0|1
     l HI LO            strong Lucas alone (odd non-square n > 1000) -> 0|1
     n HI LO / v HI LO  next / prev prime            -> ok HI LO
     m K HI LO ...      fp_is_prime_u128_many        -> K digits
     c LH LL HH HL B    count primes in [L, H) in steps of budget B -> count
     f LH LL HH HL C B  all primes of [L, H) by fill(cap C, budget B) calls -> HI:LO ...
   (hex words; H = 0 0 means 2**128) */
#include <stdio.h>
#include <stdlib.h>
#include "wide.h"

typedef unsigned long long ull;

int main(void)
{
    char op;
    static uint64_t buf[2 * 4096];
    static uint8_t out8[4096];
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
            fp_u128_range st;
            uint64_t cnt = 0;
            if (scanf("%llx %llx %llx %llx %llx", &a, &b, &c, &d, &e) != 5) return 2;
            fp_u128_range_init(&st, a, b, c, d);
            while (!fp_u128_count_step(&st, e, &cnt)) {
            }
            printf("%llu\n", (ull)cnt);
        } else if (op == 'f') {
            fp_u128_range st;
            if (scanf("%llx %llx %llx %llx %llx %llx", &a, &b, &c, &d, &e, &f) != 6 || e > 4096) return 2;
            fp_u128_range_init(&st, a, b, c, d);
            while (!st.done) {
                size_t got = fp_u128_fill(&st, buf, (size_t)e, f), i;
                for (i = 0; i < got; i++) printf("%llx:%llx ", (ull)buf[2 * i], (ull)buf[2 * i + 1]);
            }
            printf("\n");
        } else {
            printf("?\n");
            return 2;
        }
    }
    return 0;
}
