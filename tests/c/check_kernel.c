/*
 * Drives _kernel.h outside Python, so the multiply paths the Python build does not use
 * here can be checked: build it with -DFP_FORCE_PORTABLE_MUL -DFP_NO_ASM (the 4x32-bit
 * product and mask selects of 32-bit and unknown targets) or with -m32, and compare its
 * output with the default build's and with the pure-Python implementation.
 *
 * Input: one decimal integer < 2**64 per line on stdin.
 * Output: the multiply path on the first line, then one line per input: the scalar
 * answer and the batch answer ("11", "00"); exit status 1 if any pair disagrees.
 *
 * With --lucas-p COUNT instead: checks the table-driven choice of the Lucas parameter
 * (fp_lucas_p) against the direct search (fp_lucas_p_search) on COUNT pseudo-random
 * numbers of every size that survive trial division, and on squares of primes (for
 * which no parameter exists); prints how many were checked, exit status 1 on any
 * difference.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "_kernel.h"

static uint64_t splitmix(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int check_lucas_p(unsigned long count)
{
    uint64_t state = 20261127, p;
    unsigned long i, checked = 0, wrong = 0;
    for (i = 0; i < count; i++) {
        /* Every bit length, so small and large n are both covered. */
        uint64_t n = (splitmix(&state) | 1) >> (i % 47);
        if (fp_prefilter(n) != 2) continue;
        checked++;
        if (fp_lucas_p(n) != fp_lucas_p_search(n)) {
            if (wrong++ < 10) printf("differs: %llu\n", (unsigned long long)n);
        }
    }
    for (p = 257; p < 257 + 2 * count / 10; p += 2) {
        uint64_t n = p * p;
        if (fp_prefilter(n) != 2) continue;
        checked++;
        if (fp_lucas_p(n) != 0 || fp_lucas_p_search(n) != 0) {
            if (wrong++ < 10) printf("square given a parameter: %llu\n", (unsigned long long)n);
        }
    }
    printf("checked %lu\n", checked);
    return wrong != 0;
}

int main(int argc, char **argv)
{
    size_t cap = 1 << 16, count = 0, i;
    uint64_t *values = malloc(cap * sizeof *values);
    unsigned char *batch;
    char line[64];
    int status = 0;
    if (!values) return 2;
    if (argc == 3 && strcmp(argv[1], "--lucas-p") == 0) {
        free(values);
        return check_lucas_p(strtoul(argv[2], NULL, 10));
    }
    while (fgets(line, sizeof line, stdin)) {
        if (count == cap) {
            uint64_t *grown = realloc(values, 2 * cap * sizeof *values);
            if (!grown) return 2;
            values = grown;
            cap *= 2;
        }
        values[count++] = strtoull(line, NULL, 10);
    }
    batch = malloc(count ? count : 1);
    if (!batch) return 2;
    fp_is_prime_u64_batch(values, batch, count);
    printf("%s\n", FP_MUL_PATH);
    for (i = 0; i < count; i++) {
        int scalar = fp_is_prime_u64(values[i]);
        printf("%d%d\n", scalar, batch[i]);
        if (scalar != batch[i]) status = 1;
    }
    free(values);
    free(batch);
    return status;
}
