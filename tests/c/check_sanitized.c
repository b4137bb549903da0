/*
 * The C of the package under AddressSanitizer and UndefinedBehaviorSanitizer: the
 * kernel (kernel.h), the line scanner (lines.h) and the glue helpers (pylong.h,
 * pyglue.h), which need an embedded Python.  Built and run by tools/c_checks.py
 * (`clang -fsanitize=address,undefined -fno-sanitize-recover=all`), from .ci/run.
 *
 * Every buffer handed to the headers is allocated at exactly the size they are told, so
 * that a read or write one byte past it is reported.  Exit status 0 if every check
 * passes; a sanitizer report aborts.
 *
 * Usage: check_sanitized [COUNT]   (COUNT pseudo-random numbers/texts, default 200000)
 */
#include <Python.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "lines.h"
#include "pylong.h"
#include "pyglue.h"
#include "reference_prime.h"

static int failures;

#define CHECK(cond, ...)                                    \
    do {                                                    \
        if (!(cond)) {                                      \
            fprintf(stderr, "%s:%d: ", __FILE__, __LINE__); \
            fprintf(stderr, __VA_ARGS__);                   \
            fputc('\n', stderr);                            \
            if (++failures > 20) exit(1);                   \
        }                                                   \
    } while (0)

static uint64_t some_number(uint64_t *state, unsigned long i)
{
    static const uint64_t special[] = {0, 1, 2, 3, 4, 5, 255, 256, 257, 66049, 66048, 66050,
                                       4294967291ULL, 4294967296ULL, 18446744073709551557ULL,
                                       18446744073709551615ULL, 18446744073709551614ULL,
                                       9223372036854775807ULL, 9223372036854775808ULL,
                                       3215031751ULL, 3825123056546413051ULL};
    const unsigned long n_special = sizeof special / sizeof special[0];
    if (i < n_special) return special[i];
    return splitmix(state) >> (i % 64);
}

static void check_kernel(unsigned long count)
{
    uint64_t state = 20261127;
    unsigned long i, j;
    enum { BATCH = 37 };  /* odd-sized batches: the 4- and 2-wide loops' tails */
    uint64_t *values = malloc(BATCH * sizeof *values);
    unsigned char *out = malloc(BATCH);
    for (i = 0; i < count; i += BATCH) {
        size_t len = BATCH - (i / BATCH) % 5;  /* 33..37 */
        for (j = 0; j < len; j++) values[j] = some_number(&state, i + j);
        fp_is_prime_u64_batch(values, out, len);
        for (j = 0; j < len; j++) {
            const uint64_t n = values[j];
            const int want = reference_is_prime(n);
            CHECK(fp_is_prime_u64(n) == want, "fp_is_prime_u64(%llu) != %d", (unsigned long long)n, want);
            CHECK(out[j] == want, "batch(%llu) != %d", (unsigned long long)n, want);
            if (j % 8 == 0) {
                const uint64_t next = fp_next_prime_u64(n);
                if (next) CHECK(next > n && reference_is_prime(next), "next_prime(%llu) = %llu",
                                (unsigned long long)n, (unsigned long long)next);
                else CHECK(n >= 18446744073709551557ULL, "next_prime(%llu) = 0", (unsigned long long)n);
                if (n > 2) {
                    const uint64_t prev = fp_prev_prime_u64(n);
                    CHECK(prev < n && reference_is_prime(prev), "prev_prime(%llu) = %llu",
                          (unsigned long long)n, (unsigned long long)prev);
                }
            }
        }
    }
    fp_is_prime_u64_batch(values, out, 0);  /* an empty batch reads nothing */
    free(values);
    free(out);
}

/* ---- lines.h: parse and render random texts held in buffers of exactly their size ---- */

static size_t random_text(uint64_t *state, char *text, size_t cap)
{
    static const char *pieces[] = {"7", "-0", "+13", "007", " 42 ", "\t9\r", "# c", "",
                                   "18446744073709551615", "18446744073709551616", "1_0",
                                   "x", "-", "99999999999999999999", "12 # x", "\v\f3"};
    size_t size = 0;
    while (size < cap) {
        uint64_t r = splitmix(state);
        const char *p;
        char digits[24];
        size_t len;
        if (r % 4 == 0) {
            snprintf(digits, sizeof digits, "%llu", (unsigned long long)(splitmix(state) >> (r >> 58)));
            p = digits;
        } else if (r % 97 == 1) {
            p = pieces[(r >> 8) % 16];
        } else {
            p = pieces[(r >> 8) % 7];
        }
        len = strlen(p);
        if (size + len + 1 > cap) break;
        memcpy(text + size, p, len);
        size += len;
        if ((r >> 20) % 16 || size + 1 >= cap) text[size++] = '\n';
    }
    return size;
}

static void check_lines(unsigned long count)
{
    uint64_t state = 20261128;
    unsigned long t;
    for (t = 0; t < count / 50; t++) {
        const size_t cap = (size_t)(splitmix(&state) % 600);
        char *scratch = malloc(cap + 1), *text, *out;
        size_t size = random_text(&state, scratch, cap), pos = 0, newlines = 0, n, step;
        int mode = (int)(t % 5);
        size_t bound = fp_lines_bound(mode, size);
        char *target, *end;
        fp_line *lines;
        uint64_t *values;
        unsigned char *prime;
        /* Exactly size bytes: the parser must not look past them. */
        text = malloc(size ? size : 1);
        memcpy(text, scratch, size);
        free(scratch);
        out = malloc(bound ? bound : 1);
        step = 1 + (size_t)(t % 9);
        lines = malloc(step * sizeof *lines);
        values = malloc(step * sizeof *values);
        prime = malloc(step);
        target = out;
        end = out + bound;
        while (pos < size) {
            size_t before = pos;
            if (!fp_lines_parse(text, size, &pos, &newlines, lines, values, step, &n)) break;
            CHECK(n <= step, "parse returned %zu numbers, room for %zu", n, step);
            CHECK(pos > before || n == 0, "parse made no progress");
            fp_is_prime_u64_batch(values, prime, n);
            if (mode != FP_OUT_COUNT) target = fp_lines_render(mode, text, size, lines, prime, n, target, end);
            CHECK(target <= end, "render wrote past the bound");
            if (n == 0) break;
        }
        free(text);
        free(out);
        free(lines);
        free(values);
        free(prime);
    }
}

/* ---- pylong.h and pyglue.h, in an embedded Python ---- */

static void check_pylong(unsigned long count)
{
    uint64_t state = 20261129;
    unsigned long i;
    for (i = 0; i < count / 10; i++) {
        uint64_t v = some_number(&state, i), got = 12345;
        PyObject *obj = PyLong_FromUnsignedLongLong(v), *neg, *big, *shift;
        int kind = fp_pylong_u64(obj, &got);
        if (kind == 3) {  /* this build cannot read ints directly: nothing to check */
            Py_DECREF(obj);
            return;
        }
        CHECK(kind == 0 && got == v, "fp_pylong_u64(%llu) = %d, %llu", (unsigned long long)v, kind,
              (unsigned long long)got);
        neg = PyNumber_Negative(obj);
        kind = fp_pylong_u64(neg, &got);
        CHECK(kind == (v ? 1 : 0), "fp_pylong_u64(-%llu) = %d", (unsigned long long)v, kind);
        shift = PyLong_FromLong((long)(64 + i % 100));
        big = PyNumber_Add(PyNumber_Lshift(PyLong_FromLong(1), shift), obj);  /* leaks one int, fine */
        kind = fp_pylong_u64(big, &got);
        CHECK(kind == 2, "fp_pylong_u64(2**k + %llu) = %d", (unsigned long long)v, kind);
        Py_DECREF(obj);
        Py_DECREF(neg);
        Py_DECREF(big);
        Py_DECREF(shift);
    }
}

static void check_pyglue(unsigned long count)
{
    static const unsigned primes[] = {3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47,
                                      53, 59, 61, 67, 71, 73, 79, 83};
    uint64_t state = 20261130;
    unsigned long i;
    int k;
    /* fp_shares_factor(r, k) iff gcd(r, FP_BIG_SIEVE[k]) > 1, by trial. */
    for (k = 0; k < 4; k++) {
        uint64_t product = 1;
        unsigned j;
        for (j = 0; j < sizeof primes / sizeof primes[0]; j++)
            if (FP_BIG_SIEVE[k] % primes[j] == 0) product *= primes[j];
        CHECK(product == FP_BIG_SIEVE[k], "FP_BIG_SIEVE[%d] is not a product of the listed primes", k);
    }
    for (i = 0; i < count; i++) {
        const int k2 = (int)(i % 4);
        const uint64_t r = splitmix(&state) % FP_BIG_SIEVE[k2];
        int shares = 0;
        unsigned j;
        for (j = 0; j < sizeof primes / sizeof primes[0]; j++)
            if (FP_BIG_SIEVE[k2] % primes[j] == 0 && r % primes[j] == 0) shares = 1;
        CHECK(fp_shares_factor(r, k2) == shares, "fp_shares_factor(%llu, %d)", (unsigned long long)r, k2);
    }
    /* True/False from flags: every reference handed out is paid for, exactly. */
    for (i = 0; i < 200; i++) {
        const Py_ssize_t len = (Py_ssize_t)(i * 7 % 301);
        unsigned char *flags = malloc(len ? (size_t)len : 1);
        const Py_ssize_t t0 = Py_REFCNT(Py_True), f0 = Py_REFCNT(Py_False);
        PyObject *list = PyList_New(len);
        Py_ssize_t j, ones = 0;
        for (j = 0; j < len; j++) {
            flags[j] = (unsigned char)(splitmix(&state) % 3 ? (j & 1) : 255 * (j & 1));
            ones += flags[j] != 0;
        }
        fp_bool_list_fill(list, flags, len);
        for (j = 0; j < len; j++)
            CHECK(PyList_GET_ITEM(list, j) == (flags[j] ? Py_True : Py_False), "fp_bool_list_fill item %zd",
                  (Py_ssize_t)j);
        if (Py_REFCNT(Py_True) < 1000000000) {  /* mortal bools (before 3.12): exact counts */
            CHECK(Py_REFCNT(Py_True) == t0 + ones, "True's count off by %zd",
                  (Py_ssize_t)(Py_REFCNT(Py_True) - t0 - ones));
            CHECK(Py_REFCNT(Py_False) == f0 + len - ones, "False's count off");
        }
        Py_DECREF(list);
        /* Pay for a run, hand out part of it, refund the rest: balanced. */
        fp_bool_refs(flags, len, 1);
        for (j = 0; j < len / 2; j++) {
            PyObject *b = fp_bool_prepaid(flags[j]);
            Py_DECREF(b);
        }
        fp_bool_refs(flags + len / 2, len - len / 2, -1);
        if (Py_REFCNT(Py_True) < 1000000000) {
            CHECK(Py_REFCNT(Py_True) == t0 && Py_REFCNT(Py_False) == f0, "prepaid run unbalanced");
        }
        free(flags);
    }
}

int main(int argc, char **argv)
{
    unsigned long count = argc > 1 ? strtoul(argv[1], NULL, 10) : 200000;
    check_kernel(count);
    check_lines(count);
    Py_InitializeEx(0);
    check_pylong(count);
    check_pyglue(count);
    if (Py_FinalizeEx() < 0) failures++;
    printf("%s: kernel, lines, pylong, pyglue: %lu cases, %d failures\n", FP_MUL_PATH, count, failures);
    return failures != 0;
}
