/*
 * libFuzzer harness for lines.h, the command line's scanner.  The input's first byte
 * chooses the output mode and how many numbers a parse call may return (1..32); the rest
 * is the block of text, in a buffer of exactly its size.  Checked against plain
 * references written here:
 *   - every number fp_lines_parse returns is the one at its offset in the text (sign,
 *     digits, value), and its value to test is the magnitude, or 0 if negative;
 *   - fp_lines_render writes no more than fp_lines_bound, and byte for byte what the
 *     command line's Python renderers print ('%d' of the value, the kernel's answer
 *     checked against tests/c/reference_prime.h's Miller-Rabin).
 * A disagreement aborts, which libFuzzer reports as a crash.
 *
 * Built and run by tools/c_checks.py:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I src/fastprime/csrc -I tests/c \
 *         tests/fuzz/fuzz_lines.c -o fuzz_lines
 *   ./fuzz_lines -max_total_time=30 tests/fuzz/corpus/lines
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "lines.h"
#include "reference_prime.h"

enum { MAX_STEP = 32 };

static void fail(const char *what, size_t offset)
{
    fprintf(stderr, "lines.h: %s (number at offset %zu)\n", what, offset);
    abort();
}

/* What the Python renderers print for one number (mode as in lines.h). */
static size_t reference_line(int mode, const fp_line *line, int prime, char *out)
{
    char number[24];
    const int negative = line->negative && line->magnitude != 0;
    snprintf(number, sizeof number, "%s%llu", negative ? "-" : "", (unsigned long long)line->magnitude);
    switch (mode) {
    case FP_OUT_LINES: return (size_t)sprintf(out, "%s is prime: %s\n", number, prime ? "True" : "False");
    case FP_OUT_JSON:
        return (size_t)sprintf(out, "{\"n\": %s, \"is_prime\": %s}\n", number, prime ? "true" : "false");
    case FP_OUT_PRIMES: return prime ? (size_t)sprintf(out, "%s\n", number) : 0;
    case FP_OUT_PRIMES_JSON: return prime ? (size_t)sprintf(out, "{\"n\": %s, \"is_prime\": true}\n", number) : 0;
    default: return 0;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int mode;
    size_t step, pos = 0, newlines = 0, n, i, bound, expected_len = 0;
    char *text, *out, *target, *expected;
    fp_line lines[MAX_STEP];
    uint64_t values[MAX_STEP];
    unsigned char prime[MAX_STEP];
    if (size < 1 || size > 1 << 16) return 0;
    mode = data[0] % 5;
    step = 1 + (data[0] / 5) % MAX_STEP;
    size -= 1;
    text = malloc(size ? size : 1);  /* exactly the block: a read past it is reported */
    memcpy(text, data + 1, size);
    bound = fp_lines_bound(mode, size);
    out = malloc(bound ? bound : 1);
    expected = malloc(size * 40 + 64);
    target = out;
    while (pos < size) {
        const size_t before = pos;
        if (!fp_lines_parse(text, size, &pos, &newlines, lines, values, step, &n)) break;
        if (n > step) fail("more numbers than room", pos);
        if (pos <= before && n == 0 && pos < size) fail("no progress", pos);
        if (pos > size) fail("position past the end", pos);
        for (i = 0; i < n; i++) {
            const fp_line *line = &lines[i];
            size_t k = line->start, digits;
            uint64_t v = 0;
            int negative = 0;
            if (k >= size) fail("offset past the end", k);
            if (text[k] == '-' || text[k] == '+') negative = text[k++] == '-';
            digits = k;
            while (k < size && text[k] >= '0' && text[k] <= '9') {
                const uint64_t d = (uint64_t)(text[k] - '0');
                if (v > (UINT64_MAX - d) / 10) fail("accepted a number >= 2**64", line->start);
                v = v * 10 + d;
                k++;
            }
            if (k == digits) fail("a number without digits", line->start);
            if (v != line->magnitude || negative != line->negative) fail("wrong value or sign", line->start);
            if (values[i] != (negative ? 0 : v)) fail("wrong value to test", line->start);
            if (line->canonical) {
                char printed[24];
                const int len = snprintf(printed, sizeof printed, "%s%llu", negative ? "-" : "",
                                         (unsigned long long)v);
                if ((size_t)len != line->length || memcmp(printed, text + line->start, (size_t)len) != 0)
                    fail("canonical, but not what %d prints", line->start);
            }
        }
        fp_is_prime_u64_batch(values, prime, n);
        for (i = 0; i < n; i++) {
            if (prime[i] != reference_is_prime(values[i])) fail("kernel disagrees with the reference", lines[i].start);
            expected_len += reference_line(mode, &lines[i], prime[i], expected + expected_len);
        }
        if (mode != FP_OUT_COUNT) target = fp_lines_render(mode, text, size, lines, prime, n, target, out + bound);
        if (target > out + bound) fail("output past fp_lines_bound", pos);
        if (n == 0) break;
    }
    if ((size_t)(target - out) != expected_len || memcmp(out, expected, expected_len) != 0)
        fail("output differs from the reference renderer", 0);
    free(text);
    free(out);
    free(expected);
    return 0;
}
