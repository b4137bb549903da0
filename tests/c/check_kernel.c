/*
 * Drives kernel.h outside Python: the one C driver of the kernel, used by
 * tests/kernel/test_kernel_c.py and by tools/check_dist.sh.  It checks the multiply paths
 * the Python build does not use here: build it with -DFP_FORCE_PORTABLE_MUL -DFP_NO_ASM
 * (the 4x32-bit product and mask selects of 32-bit and unknown targets) or with -m32, and
 * compare its output with the default build's, with the pure-Python implementation
 * (test_kernel_c.py) or with sympy (check_dist.sh, through tools/kernel_questions.py).
 *
 * Three modes:
 *
 *   (no argument) Input: one decimal integer < 2**64 per line on stdin.  Output: the
 *   multiply path on the first line, then one line per input: the scalar answer and the
 *   batch answer ("11", "00"); exit status 1 if any pair disagrees.
 *
 *   --lucas-p COUNT: checks the table-driven choice of the Lucas parameter (fp_lucas_p)
 *   against the direct search (fp_lucas_p_search) on COUNT pseudo-random numbers of
 *   every size that survive trial division, and on squares of primes (for which no
 *   parameter exists); prints how many were checked, exit status 1 on any difference.
 *
 *   --queries (and the only mode of the libc-free build, -DFS_NOLIBC): questions on stdin,
 *     "p N"    ->  "<0|1> <next_prime(N) or 0> <prev_prime(N), or - if N <= 2>"
 *     "b A B"  ->  "<count> <hash>": primes in [A, B) by the batch loop, and the FNV-1a
 *                  64-bit hash of its 0/1 result bytes.
 *   With -DFS_NOLIBC it needs no C library, so it builds for 32-bit x86 (gcc -m32
 *   -ffreestanding -nostdlib, with tests/c/shim/ first on the include path for
 *   <math.h>) on a 64-bit machine without a 32-bit libc.
 */
#include <stddef.h>
#include <stdint.h>

#include "kernel.h"

#ifdef FS_NOLIBC
static long fs_syscall3(long nr, long a, long b, long c)
{
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
    return r;
}
static long fs_read(void *buf, size_t n) { return fs_syscall3(3, 0, (long)buf, (long)n); }
static long fs_write(const void *buf, size_t n) { return fs_syscall3(4, 1, (long)buf, (long)n); }
static void fs_exit(int code) { for (;;) fs_syscall3(252, code, 0, 0); }

/* What libgcc provides on i386 and is missing here: 64-bit division, bit scans, double
   to uint64, and the mem* functions GCC may call for struct copies. */
static uint64_t fs_udivmod(uint64_t n, uint64_t d, uint64_t *rem)
{
    uint64_t q = 0, r = 0;
    int i;
    for (i = 63; i >= 0; i--) {
        int top = (int)(r >> 63);  /* r << 1 would lose it; then 2r >= d anyway */
        r = (r << 1) | ((n >> i) & 1);
        if (top || r >= d) { r -= d; q |= (uint64_t)1 << i; }
    }
    *rem = r;
    return q;
}
uint64_t __udivdi3(uint64_t n, uint64_t d) { uint64_t r; return fs_udivmod(n, d, &r); }
uint64_t __umoddi3(uint64_t n, uint64_t d) { uint64_t r; fs_udivmod(n, d, &r); return r; }
int __ctzdi2(uint64_t x)
{
    uint32_t lo = (uint32_t)x;
    return lo ? __builtin_ctz(lo) : 32 + __builtin_ctz((uint32_t)(x >> 32));
}
int __clzdi2(uint64_t x)
{
    uint32_t hi = (uint32_t)(x >> 32);
    return hi ? __builtin_clz(hi) : 32 + __builtin_clz((uint32_t)x);
}
uint64_t __fixunsdfdi(double a)
{
    if (!(a > 0.0)) return 0;
    if (a >= 9223372036854775808.0)
        return (uint64_t)(int64_t)(a - 9223372036854775808.0) | 0x8000000000000000ULL;
    return (uint64_t)(int64_t)a;
}
void *memcpy(void *d, const void *s, size_t n)
{
    unsigned char *dp = d;
    const unsigned char *sp = s;
    while (n--) *dp++ = *sp++;
    return d;
}
void *memmove(void *d, const void *s, size_t n)
{
    unsigned char *dp = d;
    const unsigned char *sp = s;
    if (dp < sp) while (n--) *dp++ = *sp++;
    else while (n--) dp[n] = sp[n];
    return d;
}
void *memset(void *d, int c, size_t n)
{
    unsigned char *dp = d;
    while (n--) *dp++ = (unsigned char)c;
    return d;
}
#else
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static long fs_read(void *buf, size_t n) { return (long)fread(buf, 1, n, stdin); }
static long fs_write(const void *buf, size_t n) { return (long)fwrite(buf, 1, n, stdout); }
static void fs_exit(int code) { fflush(stdout); exit(code); }
#endif

static unsigned char inbuf[1 << 16], outbuf[1 << 16];
static size_t in_len, in_pos, out_len;
static uint64_t batch_in[1 << 14];
static unsigned char batch_out[1 << 14];

static void flush_out(void)
{
    size_t done = 0;
    while (done < out_len) {
        long w = fs_write(outbuf + done, out_len - done);
        if (w <= 0) fs_exit(3);
        done += (size_t)w;
    }
    out_len = 0;
}
static void put_char(char c)
{
    if (out_len == sizeof outbuf) flush_out();
    outbuf[out_len++] = (unsigned char)c;
}
static void put_u64(uint64_t v)
{
    char digits[20];
    int k = 0;
    do { digits[k++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (k) put_char(digits[--k]);
}
static int get_char(void)
{
    if (in_pos == in_len) {
        long r = fs_read(inbuf, sizeof inbuf);
        if (r <= 0) return -1;
        in_len = (size_t)r;
        in_pos = 0;
    }
    return inbuf[in_pos++];
}
static int get_u64(uint64_t *v)
{
    int c;
    do c = get_char(); while (c == ' ');
    if (c < '0' || c > '9') return 0;
    for (*v = 0; c >= '0' && c <= '9'; c = get_char()) *v = *v * 10 + (uint64_t)(c - '0');
    if (c >= 0) in_pos--;  /* leave the terminator for the caller */
    return 1;
}

static int run_queries(void)
{
    int c;
    while ((c = get_char()) >= 0) {
        uint64_t a, b;
        if (c == '\n' || c == ' ') continue;
        if (c == 'p' && get_u64(&a)) {
            put_u64((uint64_t)fp_is_prime_u64(a));
            put_char(' ');
            put_u64(fp_next_prime_u64(a));
            put_char(' ');
            if (a > 2) put_u64(fp_prev_prime_u64(a)); else put_char('-');
            put_char('\n');
        } else if (c == 'b' && get_u64(&a) && get_u64(&b) && a <= b) {
            uint64_t count = 0, hash = 0xcbf29ce484222325ULL;
            const uint64_t room = sizeof batch_in / sizeof batch_in[0];
            while (a < b) {
                size_t i, len = (size_t)(b - a < room ? b - a : room);
                for (i = 0; i < len; i++) batch_in[i] = a + i;
                fp_is_prime_u64_batch(batch_in, batch_out, len);
                for (i = 0; i < len; i++) {
                    count += batch_out[i];
                    hash = (hash ^ batch_out[i]) * 0x100000001b3ULL;
                }
                a += len;
            }
            put_u64(count);
            put_char(' ');
            put_u64(hash);
            put_char('\n');
        } else {
            flush_out();
            return 2;  /* malformed input */
        }
    }
    flush_out();
    return 0;
}

#ifdef FS_NOLIBC
__attribute__((force_align_arg_pointer)) void _start(void) { fs_exit(run_queries()); }
#else
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
    if (argc == 2 && strcmp(argv[1], "--queries") == 0) {
        free(values);
        return run_queries();
    }
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
#endif /* FS_NOLIBC */
