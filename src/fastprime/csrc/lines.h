/*
 * Lines of decimal integers in, lines of answers out: the command line's hot loop,
 * in plain C so that a worker thread runs a whole block without the GIL.
 *
 * fp_lines_parse reads the common case only: lines holding one integer of magnitude
 * below 2**64 in ASCII digits, with an optional sign, surrounding whitespace, a '#'
 * comment after it, and blank or comment-only lines between.  Anything else (a bad
 * line, digits with '_' separators, a number of 2**64 or more) makes it give up on
 * the block, which the caller then reads with Python's int(): the one judge of what
 * is an integer, and the one that reports a bad line with its number.
 *
 * The outputs are byte for byte those of the Python renderers in cli.py: a number is
 * printed as '%d' prints it, so a line that is not already in that form ("+7",
 * "007", "-0") is reprinted from its value, and any other is copied as it was read.
 */
#ifndef FASTPRIME_LINES_H
#define FASTPRIME_LINES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wordops.h"

/* What fp_lines_render prints; FP_OUT_COUNT prints nothing. */
enum { FP_OUT_LINES = 0, FP_OUT_JSON = 1, FP_OUT_PRIMES = 2, FP_OUT_PRIMES_JSON = 3, FP_OUT_COUNT = 4 };

/* Where a number's text is in the block, and how to print it. */
typedef struct {
    uint32_t start;     /* offset of its first character (the sign, if any) */
    uint8_t length;     /* characters from start, sign and digits (used when canonical:
                           then at most 21) */
    uint8_t negative;
    uint8_t canonical;  /* the text is what '%d' prints: copy it */
    uint8_t unused;
    uint64_t magnitude;
} fp_line;

/* Eight ASCII digits at a time ("SWAR"), where an 8-byte load puts the first byte
   lowest: little-endian targets, which is every target wheels are built for. */
#ifndef FP_SWAR_DIGITS  /* the tests set it to 0 to check the byte-at-a-time path */
#  if (defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__) || defined(_MSC_VER)
#    define FP_SWAR_DIGITS 1
#  else
#    define FP_SWAR_DIGITS 0
#  endif
#endif

#if FP_SWAR_DIGITS
/* How many of the 8 bytes at p, from the first, are ASCII digits (0..8). */
static inline int fp_digit_run8(uint64_t w)
{
    const uint64_t t = w - 0x3030303030303030ULL;
    /* High bit of a byte set iff it is not a digit: below '0' the subtraction wraps,
       above '9' adding 0x76 reaches 0x80.  Borrows and carries only ever move to later
       bytes, past the first non-digit, so the lowest flag is exact. */
    const uint64_t flags = (t | (t + 0x7676767676767676ULL)) & 0x8080808080808080ULL;
    return flags ? fp_ctz64(flags) >> 3 : 8;
}

/* The value of the first k (1..8) digits of w (bytes already known to be digits). */
static inline uint64_t fp_digits_value8(uint64_t w, int k)
{
    /* Keep the k digits, moved up so that the unused low bytes read as leading zeros. */
    uint64_t t = (w - 0x3030303030303030ULL) << (8 * (8 - k));
    t = (t * 10 + (t >> 8)) & 0x00FF00FF00FF00FFULL;        /* pairs */
    t = (t * 100 + (t >> 16)) & 0x0000FFFF0000FFFFULL;      /* fours */
    return (t * 10000 + (t >> 32)) & 0xFFFFFFFFULL;          /* eight */
}
#endif

static const uint64_t FP_POW10[9] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};

/* The whitespace bytes.strip() removes: space, \t, \n, \v, \f, \r. */
static inline int fp_is_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Parse the lines of text[0:size] (size < 2**32) from *pos, until max numbers are read
   or the text ends.  On success returns 1, with the numbers, in order, in
   lines[0:*count] and values[0:*count] (the value to test: the magnitude, or 0 for a
   negative number, which is not prime), *pos after the last line read and
   *newlines increased by the newlines passed.  Returns 0 if a line needs Python's
   int(). */
static inline int fp_lines_parse(const char *text, size_t size, size_t *pos, size_t *newlines, fp_line *lines,
                                 uint64_t *values, size_t max, size_t *count)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = *pos, n = 0, nl = 0;
    while (i < size && n < max) {
        size_t begin, digits;
        uint64_t v = 0;
        int negative = 0, plus = 0;
        while (i < size && s[i] != '\n' && fp_is_space(s[i])) i++;
        if (i == size) break;
        if (s[i] == '\n') { i++; nl++; continue; }
        if (s[i] == '#') {
            const char *newline = (const char *)memchr(s + i, '\n', size - i);
            if (!newline) { i = size; break; }
            i = (size_t)((const unsigned char *)newline - s) + 1;
            nl++;
            continue;
        }
        begin = i;
        if (s[i] == '-' || s[i] == '+') {
            negative = s[i] == '-';
            plus = !negative;
            i++;
        }
        digits = i;
#if FP_SWAR_DIGITS
        /* Up to 16 digits eight at a time: no 16-digit number reaches 2**64. */
        while (i + 8 <= size && i - digits <= 8) {
            uint64_t w;
            int k;
            memcpy(&w, s + i, 8);
            k = fp_digit_run8(w);
            if (k == 0) break;
            v = v * FP_POW10[k] + fp_digits_value8(w, k);
            i += (size_t)k;
            if (k < 8) break;
        }
#endif
        while (i < size && s[i] >= '0' && s[i] <= '9') {
            const uint64_t d = (uint64_t)(s[i] - '0');
            /* v*10 + d < 2**64: else it is a number for Python. */
            if (v > 1844674407370955161ULL || (v == 1844674407370955161ULL && d > 5)) return 0;
            v = v * 10 + d;
            i++;
        }
        if (i == digits) return 0;  /* no digits: a bad line, or a sign alone */
        lines[n].start = (uint32_t)begin;
        lines[n].length = (uint8_t)(i - begin);
        lines[n].negative = (uint8_t)negative;
        /* '%d' prints no '+', no leading zero, and no "-0". */
        lines[n].canonical = (uint8_t)(!plus && (s[digits] != '0' || (i - digits == 1 && !negative)));
        lines[n].unused = 0;
        lines[n].magnitude = v;
        values[n] = negative ? 0 : v;
        n++;
        /* After the number: whitespace, then the end of the line or a comment. */
        while (i < size && s[i] != '\n' && fp_is_space(s[i])) i++;
        if (i < size && s[i] == '#') {
            const char *newline = (const char *)memchr(s + i, '\n', size - i);
            i = newline ? (size_t)((const unsigned char *)newline - s) : size;
        }
        if (i < size && s[i] != '\n') return 0;  /* "12x", "1_000", "1 2": Python decides */
        if (i < size) nl++;
        i++;
    }
    *pos = i < size ? i : size;
    *newlines += nl;
    *count = n;
    return 1;
}


static inline char *fp_line_print(char *out, const char *out_end, const char *text, size_t size,
                                  const fp_line *line)
{
    char digits[20];
    size_t k = 0;
    uint64_t v = line->magnitude;
    if (line->canonical) {
        /* A fixed-size copy is a couple of moves; a copy of the exact length is a call.
           Bytes past the number are overwritten by what follows it. */
        if (line->start + 24 <= size && out + 24 <= out_end) memcpy(out, text + line->start, 24);
        else memcpy(out, text + line->start, line->length);
        return out + line->length;
    }
    if (line->negative && v != 0) *out++ = '-';
    do {
        digits[k++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (k) *out++ = digits[--k];
    return out;
}

#define FP_TEXT_AND_LEN(s) s, (sizeof(s) - 1)
static const char FP_LINE_FALSE[] = " is prime: False\n";
static const char FP_LINE_TRUE[] = " is prime: True\n";
static const char FP_JSON_HEAD[] = "{\"n\": ";
static const char FP_JSON_FALSE[] = ", \"is_prime\": false}\n";
static const char FP_JSON_TRUE[] = ", \"is_prime\": true}\n";

/* An upper bound on what fp_lines_render writes for a block of size bytes: each number
   takes at least two bytes of the block (a digit and a newline, but the last), and
   prints at most its own text and the longest suffix (a JSON line's 27 bytes). */
static inline size_t fp_lines_bound(int mode, size_t size)
{
    const size_t numbers = size / 2 + 1;
    switch (mode) {
    case FP_OUT_LINES: return size + numbers * (sizeof FP_LINE_FALSE - 1);
    case FP_OUT_JSON:
    case FP_OUT_PRIMES_JSON: return size + numbers * (sizeof FP_JSON_HEAD + sizeof FP_JSON_FALSE - 2);
    case FP_OUT_PRIMES: return size + numbers;
    default: return 0;
    }
}

static inline void fp_put(char **out, const char *s, size_t n)
{
    memcpy(*out, s, n);
    *out += n;
}

/* Write the output lines for these numbers from out, which has room up to end (at
   least fp_lines_bound of the block); text[0:size] is the block they were read from.
   Returns where the output ends. */
static inline char *fp_lines_render(int mode, const char *text, size_t size, const fp_line *lines,
                                    const unsigned char *prime, size_t count, char *out, const char *end)
{
    size_t i;
    for (i = 0; i < count; i++) {
        switch (mode) {
        case FP_OUT_LINES:
            out = fp_line_print(out, end, text, size, &lines[i]);
            if (prime[i]) fp_put(&out, FP_TEXT_AND_LEN(FP_LINE_TRUE));
            else fp_put(&out, FP_TEXT_AND_LEN(FP_LINE_FALSE));
            break;
        case FP_OUT_JSON:
            fp_put(&out, FP_TEXT_AND_LEN(FP_JSON_HEAD));
            out = fp_line_print(out, end, text, size, &lines[i]);
            if (prime[i]) fp_put(&out, FP_TEXT_AND_LEN(FP_JSON_TRUE));
            else fp_put(&out, FP_TEXT_AND_LEN(FP_JSON_FALSE));
            break;
        case FP_OUT_PRIMES:
            if (prime[i]) {
                out = fp_line_print(out, end, text, size, &lines[i]);
                *out++ = '\n';
            }
            break;
        case FP_OUT_PRIMES_JSON:
            if (prime[i]) {
                fp_put(&out, FP_TEXT_AND_LEN(FP_JSON_HEAD));
                out = fp_line_print(out, end, text, size, &lines[i]);
                fp_put(&out, FP_TEXT_AND_LEN(FP_JSON_TRUE));
            }
            break;
        default:
            break;
        }
    }
    return out;
}

#endif /* FASTPRIME_LINES_H */
