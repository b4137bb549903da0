/*
 * The independent reference the C checks compare kernel.h with (tests/c/check_sanitized.c,
 * tests/fuzz/fuzz_kernel.c, tests/fuzz/fuzz_lines.c): a plain deterministic Miller-Rabin,
 * sharing no code with the kernel (no Montgomery form, no tables, no Lucas test).
 * Needs unsigned __int128 (gcc and clang on 64-bit targets, which is where the
 * sanitizers and libFuzzer run).
 */
#ifndef FASTPRIME_REFERENCE_PRIME_H
#define FASTPRIME_REFERENCE_PRIME_H

#include <stdint.h>

static inline uint64_t splitmix(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* ---- An independent reference: deterministic Miller-Rabin with the first twelve
   prime bases (correct for every n < 3.3e24), by unsigned __int128 arithmetic. ---- */

static inline uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m)
{
    return (uint64_t)((unsigned __int128)a * b % m);
}

static inline uint64_t powmod(uint64_t a, uint64_t e, uint64_t m)
{
    uint64_t r = 1 % m;
    a %= m;
    while (e) {
        if (e & 1) r = mulmod(r, a, m);
        a = mulmod(a, a, m);
        e >>= 1;
    }
    return r;
}

static inline int reference_is_prime(uint64_t n)
{
    static const uint64_t bases[12] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
    uint64_t d = n - 1;
    int s = 0, i, k;
    if (n < 2) return 0;
    for (i = 0; i < 12; i++) {
        if (n == bases[i]) return 1;
        if (n % bases[i] == 0) return 0;
    }
    while (!(d & 1)) { d >>= 1; s++; }
    for (i = 0; i < 12; i++) {
        uint64_t x = powmod(bases[i], d, n);
        if (x == 1 || x == n - 1) continue;
        for (k = 1; k < s; k++) {
            x = mulmod(x, x, n);
            if (x == n - 1) break;
        }
        if (k == s) return 0;
    }
    return 1;
}

#endif /* FASTPRIME_REFERENCE_PRIME_H */
