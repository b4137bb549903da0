/*
 * libFuzzer harness for wide.h: every 11 bytes of the input are a number n with
 * 2**64 <= n < 2**81 + 2**64 (below 3.3e24, where a Miller-Rabin with the first twelve prime
 * bases is deterministic); fp_is_prime_u128, the interleaved batch fp_is_prime_u128_many
 * and fp_next_prime_u128 / fp_prev_prime_u128 (the prime found, and no prime between)
 * must agree with that Miller-Rabin, written here with plain unsigned __int128 and a
 * shift-and-add product: no code shared with the kernel (no Montgomery form, no tables,
 * no Lucas test).
 *
 * Built and run by tools/c_checks.py:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I src/fastprime/csrc -I tests/c \
 *         tests/fuzz/fuzz_wide.c -o fuzz_wide
 */
#include <stdio.h>
#include <stdlib.h>

#include "wide.h"

typedef unsigned __int128 u128;

static u128 addmod(u128 a, u128 b, u128 m) { return a >= m - b ? a - (m - b) : a + b; }

static u128 mulmod(u128 a, u128 b, u128 m)
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

static int reference(u128 n)
{
    static const unsigned bases[12] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
    u128 d = n - 1, x, e;
    int s = 0, i, k;
    if (n < 2) return 0;
    for (i = 0; i < 12; i++) {
        if (n == bases[i]) return 1;
        if (n % bases[i] == 0) return 0;
    }
    while (!(d & 1)) { d >>= 1; s++; }
    for (i = 0; i < 12; i++) {
        u128 b = bases[i];
        x = 1;
        for (e = d; e; e >>= 1) {
            if (e & 1) x = mulmod(x, b, n);
            b = mulmod(b, b, n);
        }
        if (x == 1 || x == n - 1) continue;
        for (k = 1; k < s; k++) {
            x = mulmod(x, x, n);
            if (x == n - 1) break;
        }
        if (k == s) return 0;
    }
    return 1;
}

static void fail(const char *what, u128 n)
{
    fprintf(stderr, "%s disagrees at n = 0x%016llx%016llx\n", what, (unsigned long long)(n >> 64),
            (unsigned long long)n);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint64_t pairs[2 * 64];
    uint8_t flags[64];
    size_t count = size / 11, i, j;
    if (count > 64) count = 64;
    for (i = 0; i < count; i++) {
        u128 n = 0, p;
        uint64_t oh, ol;
        for (j = 0; j < 11; j++) n |= (u128)data[11 * i + j] << (8 * j);
        n = (n & (((u128)1 << 81) - 1)) + ((u128)1 << 64);
        pairs[2 * i] = (uint64_t)(n >> 64);
        pairs[2 * i + 1] = (uint64_t)n;
        if (fp_is_prime_u128((uint64_t)(n >> 64), (uint64_t)n) != reference(n)) fail("fp_is_prime_u128", n);
        if (!fp_next_prime_u128((uint64_t)(n >> 64), (uint64_t)n, &oh, &ol)) fail("fp_next_prime_u128 (none)", n);
        p = ((u128)oh << 64) | ol;
        if (p <= n || !reference(p)) fail("fp_next_prime_u128", n);
        for (u128 c = n + 1; c < p; c++)
            if (reference(c)) fail("fp_next_prime_u128 (skipped a prime)", n);
        if (!fp_prev_prime_u128((uint64_t)(n >> 64), (uint64_t)n, &oh, &ol)) fail("fp_prev_prime_u128 (none)", n);
        p = ((u128)oh << 64) | ol;
        if (p >= n || !reference(p)) fail("fp_prev_prime_u128", n);
        for (u128 c = p + 1; c < n; c++)
            if (reference(c)) fail("fp_prev_prime_u128 (skipped a prime)", n);
    }
    fp_is_prime_u128_many(pairs, count, flags);
    for (i = 0; i < count; i++) {
        u128 n = ((u128)pairs[2 * i] << 64) | pairs[2 * i + 1];
        if (flags[i] != fp_is_prime_u128(pairs[2 * i], pairs[2 * i + 1])) fail("fp_is_prime_u128_many", n);
    }
    return 0;
}
