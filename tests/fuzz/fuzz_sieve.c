/*
 * libFuzzer harness for sieve.h: the input chooses a window [lo, lo + width) below 2**44
 * (where a sieve's set-up takes milliseconds), a fill cap and a count budget; the primes
 * the sieve writes, filled in pieces of that cap, and its count, taken in steps of that
 * budget, must be exactly the numbers of the window that a plain deterministic
 * Miller-Rabin (tests/c/reference_prime.h, no code shared with the sieve) calls prime.
 * Tiny segments (from the input) put the bucket code to work on small windows.
 *
 * Built and run by tools/c_checks.py:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I src/fastprime/csrc -I tests/c \
 *         tests/fuzz/fuzz_sieve.c -o fuzz_sieve
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sieve.h"
#include "reference_prime.h"

static fp_sieve_primes shared;
static int ready;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint64_t got[4096];
    uint64_t lo, width, hi, n, count = 0, want = 0;
    size_t cap, filled = 0, k, seg;
    fp_sieve s;
    if (!ready) {
        if (fp_sieve_primes_init(&shared, 0xffffffffULL) != 0) abort();
        ready = 1;
    }
    lo = take(data, size, 0, 6) & ((1ULL << 44) - 1);
    width = take(data, size, 6, 2) % 4000;
    cap = (size_t)(take(data, size, 8, 1) % 64) + 1;
    seg = (size_t)256 << (take(data, size, 9, 1) % 7); /* 256 B .. 8 KiB segments, or 0: */
    if (seg > 8192) seg = 0;                               /* the default (L2-sized) one */
    hi = lo + width;
    if ((seg ? fp_sieve_init_ex(&s, &shared, lo, hi, (uint32_t)seg, 0, 0) : fp_sieve_init(&s, &shared, lo, hi)) != 0) abort();
    for (;;) {
        size_t want_now = cap < 4096 - filled ? cap : 4096 - filled;
        size_t n_got = fp_sieve_fill(&s, got + filled, want_now);
        filled += n_got;
        if (n_got < want_now || filled == 4096) break;
    }
    if (s.err) abort();
    fp_sieve_free(&s);
    for (n = lo, k = 0; n < hi; n++) {
        if (!reference_is_prime(n)) continue;
        want++;
        if (k >= filled || got[k] != n) {
            fprintf(stderr, "fill [%llu, %llu): prime %llu missing or out of place\n",
                    (unsigned long long)lo, (unsigned long long)hi, (unsigned long long)n);
            abort();
        }
        k++;
    }
    if (k != filled) {
        fprintf(stderr, "fill [%llu, %llu): %zu numbers written, %zu primes\n", (unsigned long long)lo,
                (unsigned long long)hi, filled, k);
        abort();
    }
    if (fp_sieve_init_ex(&s, &shared, lo, hi, (uint32_t)seg, 0, 0) != 0) abort();
    while (fp_sieve_count_step(&s, take(data, size, 10, 2) + 1, &count) == 0) {
    }
    fp_sieve_free(&s);
    if (count != want) {
        fprintf(stderr, "count [%llu, %llu) = %llu, reference %llu\n", (unsigned long long)lo,
                (unsigned long long)hi, (unsigned long long)count, (unsigned long long)want);
        abort();
    }
    return 0;
}
