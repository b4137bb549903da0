/*
 * Drives _kernel.h outside Python, so the multiply paths the Python build does not use
 * here can be checked: build it with -DFP_FORCE_PORTABLE_MUL -DFP_NO_ASM (the 4x32-bit
 * product and mask selects of 32-bit and unknown targets) or with -m32, and compare its
 * output with the default build's and with the pure-Python implementation.
 *
 * Input: one decimal integer < 2**64 per line on stdin.
 * Output: the multiply path on the first line, then one line per input: the scalar
 * answer and the batch answer ("11", "00"); exit status 1 if any pair disagrees.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "_kernel.h"

int main(void)
{
    size_t cap = 1 << 16, count = 0, i;
    uint64_t *values = malloc(cap * sizeof *values);
    unsigned char *batch;
    char line[64];
    int status = 0;
    if (!values) return 2;
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
