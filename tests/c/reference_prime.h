/*
 * The independent reference the C checks compare kernel.h with (tests/c/check_sanitized.c,
 * tests/fuzz/fuzz_kernel.c, tests/fuzz/fuzz_lines.c): a plain deterministic Miller-Rabin,
 * sharing no code with the kernel (no Montgomery form, no tables, no Lucas test).
 * Also take(), how the harnesses read numbers from a fuzzer input.
 * Needs unsigned __int128 (gcc and clang on 64-bit targets, which is where the
 * sanitizers and libFuzzer run).
 */
#ifndef FASTPRIME_REFERENCE_PRIME_H
#define FASTPRIME_REFERENCE_PRIME_H

#include <stddef.h>
#include <stdint.h>

/* A fuzzer input's bytes at..at+bytes-1 as a little-endian number (missing bytes are 0). */
static inline uint64_t take(const uint8_t *data, size_t size, size_t at, int bytes)
{
    uint64_t v = 0;
    int i;
    for (i = 0; i < bytes; i++)
        v |= (uint64_t)(at + (size_t)i < size ? data[at + (size_t)i] : 0) << (8 * i);
    return v;
}

static inline uint64_t splitmix(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* ---- An independent reference: deterministic Miller-Rabin with the first twelve
   prime bases (correct for every n < 3.3e24), for any unsigned type T given its
   (a * b) mod m; written once, for 64-bit words here and 128-bit ones in
   reference_prime128.h. ---- */

#define FP_REFERENCE_MILLER_RABIN(NAME, T, MULMOD)                           \
    static inline int NAME(T n)                                              \
    {                                                                        \
        static const unsigned bases[12] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37}; \
        T d = n - 1, x, b, e;                                                \
        int s = 0, i, k;                                                     \
        if (n < 2) return 0;                                                 \
        for (i = 0; i < 12; i++) {                                           \
            if (n == bases[i]) return 1;                                     \
            if (n % bases[i] == 0) return 0;                                 \
        }                                                                    \
        while (!(d & 1)) { d >>= 1; s++; }                                   \
        for (i = 0; i < 12; i++) {                                           \
            for (x = 1, b = bases[i], e = d; e; e >>= 1) {                   \
                if (e & 1) x = MULMOD(x, b, n);                              \
                b = MULMOD(b, b, n);                                         \
            }                                                                \
            if (x == 1 || x == n - 1) continue;                              \
            for (k = 1; k < s; k++) {                                        \
                x = MULMOD(x, x, n);                                         \
                if (x == n - 1) break;                                       \
            }                                                                \
            if (k == s) return 0;                                            \
        }                                                                    \
        return 1;                                                            \
    }

static inline uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m)
{
    return (uint64_t)((unsigned __int128)a * b % m);
}

FP_REFERENCE_MILLER_RABIN(reference_is_prime, uint64_t, mulmod)

#endif /* FASTPRIME_REFERENCE_PRIME_H */
