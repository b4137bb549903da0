/*
 * Drives lines.h outside Python, so its byte-at-a-time digit path (big-endian targets,
 * or -DFP_SWAR_DIGITS=0) and 32-bit builds can be checked against the eight-digit path
 * the Python build uses, and against Python's int().
 *
 * Input: any text on stdin, read as one block.  Output: "ok <lines>" and then one parsed
 * number per line (with its sign), or "slow" when the block needs Python's int().  The
 * block is read a few numbers at a time, as the scanner reads it in steps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lines.h"

int main(int argc, char **argv)
{
    size_t cap = 1 << 16, size = 0, got, pos = 0, newlines = 0, n, i, step;
    char *text = malloc(cap);
    fp_line lines[7];
    uint64_t values[7];
    uint64_t *all;
    fp_line *all_lines;
    size_t count = 0;
    step = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 7;
    if (step < 1 || step > 7) step = 7;
    if (!text) return 2;
    while ((got = fread(text + size, 1, cap - size, stdin)) > 0) {
        size += got;
        if (size == cap) {
            char *grown = realloc(text, 2 * cap);
            if (!grown) return 2;
            text = grown;
            cap *= 2;
        }
    }
    all = malloc((size / 2 + 1) * sizeof *all);
    all_lines = malloc((size / 2 + 1) * sizeof *all_lines);
    if (!all || !all_lines) return 2;
    while (pos < size) {
        if (!fp_lines_parse(text, size, &pos, &newlines, lines, values, step, &n)) {
            printf("slow\n");
            return 0;
        }
        for (i = 0; i < n; i++) {
            /* A negative number is tested as 0; its magnitude is kept for printing. */
            if (lines[i].negative ? values[i] != 0 : values[i] != lines[i].magnitude) return 3;
            all_lines[count] = lines[i];
            all[count++] = lines[i].magnitude;
        }
        if (n == 0) break;
    }
    printf("ok %zu\n", newlines + 1);
    for (i = 0; i < count; i++)
        printf("%s%llu\n", all_lines[i].negative ? "-" : "", (unsigned long long)all[i]);
    free(text);
    free(all);
    free(all_lines);
    return 0;
}
