/*
 * libFuzzer harness for wide.h: every 11 bytes of the input are a number n with
 * 2**64 <= n < 2**81 + 2**64 (below 3.3e24, where a Miller-Rabin with the first twelve prime
 * bases is deterministic); fp_is_prime_u128, the interleaved batch fp_is_prime_u128_many
 * and fp_next_prime_u128 / fp_prev_prime_u128 (the prime found, and no prime between)
 * must agree with that Miller-Rabin (tests/c/reference_prime128.h: plain unsigned __int128
 * and a shift-and-add product, no code shared with the kernel: no Montgomery form, no
 * tables, no Lucas test).
 *
 * Built and run by tools/c_checks.py:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I src/fastprime/csrc -I tests/c \
 *         tests/fuzz/fuzz_wide.c -o fuzz_wide
 */
#include <stdio.h>
#include <stdlib.h>

#include "wide.h"
#include "reference_prime128.h"

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
