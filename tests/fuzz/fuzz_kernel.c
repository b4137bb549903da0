/*
 * libFuzzer harness for kernel.h: every 8 bytes of the input are a number n < 2**64
 * (little-endian); fp_is_prime_u64, the batch loop (over all the numbers at once, so
 * its 4- and 2-wide paths and their tails are fuzzed too), fp_next_prime_u64 and
 * fp_prev_prime_u64 must agree with a plain deterministic Miller-Rabin
 * (tests/c/reference_prime.h: bases 2..37, correct below 3.3e24), which shares no
 * code with the kernel.  A disagreement aborts, which libFuzzer reports as a crash.
 *
 * Built and run by tools/c_checks.py:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I src/fastprime/csrc -I tests/c \
 *         tests/fuzz/fuzz_kernel.c -o fuzz_kernel
 *   ./fuzz_kernel -max_total_time=30 tests/fuzz/corpus/kernel
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "reference_prime.h"

static void fail(const char *what, uint64_t n, uint64_t got, uint64_t want)
{
    fprintf(stderr, "%s(%llu) = %llu, reference %llu\n", what, (unsigned long long)n,
            (unsigned long long)got, (unsigned long long)want);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const size_t count = size / 8;
    uint64_t *values;
    unsigned char *out;
    size_t i;
    if (count == 0 || count > 4096) return 0;
    /* Exactly count items: the batch loop must not read or write past them. */
    values = malloc(count * sizeof *values);
    out = malloc(count);
    for (i = 0; i < count; i++) {
        uint64_t n = 0;
        int b;
        for (b = 7; b >= 0; b--) n = (n << 8) | data[8 * i + (size_t)b];
        values[i] = n;
    }
    fp_is_prime_u64_batch(values, out, count);
    for (i = 0; i < count; i++) {
        const uint64_t n = values[i];
        const int want = reference_is_prime(n);
        if (fp_is_prime_u64(n) != want) fail("fp_is_prime_u64", n, (uint64_t)fp_is_prime_u64(n), (uint64_t)want);
        if (out[i] != want) fail("fp_is_prime_u64_batch", n, out[i], (uint64_t)want);
    }
    /* next and prev for the first number: a gap walk is dearer than a test. */
    {
        const uint64_t n = values[0], next = fp_next_prime_u64(n);
        uint64_t c;
        if (next == 0) {
            if (n < 18446744073709551557ULL) fail("fp_next_prime_u64", n, 0, 1);
        } else {
            if (next <= n || !reference_is_prime(next)) fail("fp_next_prime_u64", n, next, 1);
            for (c = n + 1; c < next; c++)
                if (reference_is_prime(c)) fail("fp_next_prime_u64 skipped", n, c, next);
        }
        if (n > 2) {
            const uint64_t prev = fp_prev_prime_u64(n);
            if (prev >= n || !reference_is_prime(prev)) fail("fp_prev_prime_u64", n, prev, 1);
            for (c = prev + 1; c < n; c++)
                if (reference_is_prime(c)) fail("fp_prev_prime_u64 skipped", n, c, prev);
        }
    }
    free(values);
    free(out);
    return 0;
}
