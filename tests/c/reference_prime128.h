/*
 * The independent reference the C checks compare wide.h and widesieve.h with
 * (tests/fuzz/fuzz_wide.c, tests/fuzz/fuzz_widesieve.c): a Miller-Rabin with the first twelve
 * prime bases, deterministic below 3.3e24 (reference_prime.h's, on unsigned __int128
 * with a shift-and-add product): no code shared with the kernel (no Montgomery form, no tables,
 * no Lucas test).  gcc and clang on 64-bit targets, where libFuzzer runs.
 */
#ifndef FASTPRIME_REFERENCE_PRIME128_H
#define FASTPRIME_REFERENCE_PRIME128_H

#include "reference_prime.h"

typedef unsigned __int128 u128;

static u128 addmod(u128 a, u128 b, u128 m) { return a >= m - b ? a - (m - b) : a + b; }

static u128 mulmod128(u128 a, u128 b, u128 m)
{
    u128 r = 0;
    a %= m;
    while (b) {
        if (b & 1) r = addmod(r, a, m);
        a = addmod(a, a, m);
        b >>= 1;
    }
    return r;
}

FP_REFERENCE_MILLER_RABIN(reference, u128, mulmod128)

#endif /* FASTPRIME_REFERENCE_PRIME128_H */
