/*
 * libFuzzer harness for widesieve.h: the input chooses a window [lo, lo + width) with
 * 2**64 <= lo < 2**64 + 2**81 (below 3.3e24, where tests/c/reference_prime128.h's
 * Miller-Rabin is deterministic), a sieve depth (the engine's own, the least (1123), a
 * depth inside the shared table, or one whose primes are generated), a fill cap and a
 * count budget; the primes filled in pieces of that cap, and the count taken in steps of
 * that budget, must be exactly the numbers of the window the reference calls prime.
 * (Exact windows need every sieving prime below 2**32, a second each: tests/c/check_wide.c
 * covers those and the split parts.)
 *
 * Built and run by tools/c_checks.py:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I src/fastprime/csrc -I tests/c \
 *         tests/fuzz/fuzz_widesieve.c -o fuzz_widesieve
 */
#include <stdio.h>
#include <stdlib.h>

#include "widesieve.h"
#include "reference_prime128.h"

static fp_sieve_primes shared;
static int ready;

static void fail(const char *what, u128 lo, uint64_t width, uint64_t depth)
{
    fprintf(stderr, "%s disagrees on [0x%016llx%016llx, +%llu), depth %llu\n", what,
            (unsigned long long)(lo >> 64), (unsigned long long)lo, (unsigned long long)width,
            (unsigned long long)depth);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint64_t pairs[2 * 64];
    u128 lo, hi, n, want[512];
    uint64_t width, depth, budget, count = 0;
    size_t nwant = 0, got, k, cap, seen = 0;
    fp_wsieve w;
    int rc;
    if (!ready) {
        if (fp_sieve_primes_init(&shared, 0xffffffffULL) != 0) abort();
        ready = 1;
    }
    lo = ((u128)take(data, size, 8, 2) << 64 | take(data, size, 0, 8)) & (((u128)1 << 81) - 1);
    lo += (u128)1 << 64;
    width = 1 + take(data, size, 11, 2) % 512;
    switch (take(data, size, 13, 1) % 4) {
    case 0: depth = 0; break;                                              /* the engine's */
    case 1: depth = 1123; break;                                           /* the least */
    case 2: depth = 1123 + take(data, size, 14, 3) % (1u << 20); break;    /* in the table */
    default: depth = (1u << 20) + take(data, size, 14, 3) % (1u << 22);    /* generated */
    }
    cap = 1 + (size_t)(take(data, size, 17, 1) % 64);
    budget = 1 + take(data, size, 18, 2);
    hi = lo + width;
    for (n = lo; n < hi; n++)
        if (reference(n)) want[nwant++] = n;
    /* count, in steps */
    if (fp_wsieve_init(&w, &shared, (uint64_t)(lo >> 64), (uint64_t)lo, (uint64_t)(hi >> 64), (uint64_t)hi, depth))
        fail("fp_wsieve_init", lo, width, depth);
    while ((rc = fp_wsieve_prepare(&w, budget)) == 0) {
    }
    if (rc < 0) fail("fp_wsieve_prepare", lo, width, depth);
    while ((rc = fp_wsieve_count_step(&w, budget, &count)) == 0) {
    }
    if (rc < 0 || count != nwant) fail("fp_wsieve_count_step", lo, width, depth);
    fp_wsieve_free(&w);
    /* fill, in pieces of cap */
    if (fp_wsieve_init(&w, &shared, (uint64_t)(lo >> 64), (uint64_t)lo, (uint64_t)(hi >> 64), (uint64_t)hi, depth))
        fail("fp_wsieve_init", lo, width, depth);
    while ((got = fp_wsieve_fill(&w, pairs, cap)) > 0) {
        for (k = 0; k < got; k++) {
            const u128 p = (u128)pairs[2 * k] << 64 | pairs[2 * k + 1];
            if (seen >= nwant || p != want[seen]) fail("fp_wsieve_fill", lo, width, depth);
            seen++;
        }
    }
    if (seen != nwant || w.s.err) fail("fp_wsieve_fill (missed primes)", lo, width, depth);
    fp_wsieve_free(&w);
    return 0;
}
