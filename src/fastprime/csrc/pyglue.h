/*
 * The small C helpers of the Cython glue (_cfastprime.pyx) that touch Python objects
 * or sit between Python and the kernel: the small-factor sieve for ints >= 2**64, a
 * prefetch, and True/False handed out from flags.  Kept here rather than in strings
 * in the .pyx so that the C tests (tests/c/check_pyglue.c), the compiler's warnings and
 * the sanitizers see them.
 *
 * Needs Python.h (included first, as Python requires).
 */
#ifndef FASTPRIME_PYGLUE_H
#define FASTPRIME_PYGLUE_H

#include <Python.h>
#include <stdint.h>

/* ---- Small factors of ints >= 2**64 ---- */

/* Products of consecutive odd primes, each below 2**30 (one CPython digit, so the
   remainder of a big int by one is a single pass over its digits). */
static const uint32_t FP_BIG_SIEVE[4] = {111546435u, 58642669u, 600662303u, 33984931u};
/* 1 if r (a remainder by FP_BIG_SIEVE[k]) shares a factor with it. */
static inline int fp_shares_factor(uint64_t r, int k)
{
    switch (k) {
    case 0: return !(r % 3 && r % 5 && r % 7 && r % 11 && r % 13 && r % 17 && r % 19 && r % 23);
    case 1: return !(r % 29 && r % 31 && r % 37 && r % 41 && r % 43);
    case 2: return !(r % 47 && r % 53 && r % 59 && r % 61 && r % 67);
    default: return !(r % 71 && r % 73 && r % 79 && r % 83);
    }
}

/* ---- Prefetch ---- */

#if defined(__GNUC__) || defined(__clang__)
#  define fp_prefetch(p) __builtin_prefetch(p)
#else
#  define fp_prefetch(p) ((void)(p))
#endif

/* ---- True and False from flags ---- */

/* True or False (borrowed), without a branch: flags of mixed numbers are a coin
   flip for the branch predictor (measured 8 ns per item with the branch). */
static inline PyObject *fp_bool_borrowed(unsigned char flag)
{
    const uintptr_t f = (uintptr_t)Py_False, t = (uintptr_t)Py_True;
    return (PyObject *)(f ^ ((f ^ t) & (0 - (uintptr_t)(flag != 0))));
}
static inline PyObject *fp_bool(unsigned char flag)
{
    PyObject *r = fp_bool_borrowed(flag);
    Py_INCREF(r);
    return r;
}

/* Where True and False are mortal (before 3.12), every reference handed out is an
   increment of one of two counters: a chain of dependent read-modify-writes
   (~1.3 ns per item).  A run of flags pays for its references in two additions
   before it is read and refunds the unread ones when left, so reading an item
   writes nothing.  Immortal bools (3.12+) make Py_INCREF a load and a compare.
   Only where the counts are CPython's own plain fields (not PyPy's or GraalPy's
   emulation, not a debug build's tally, not free-threading's split counts). */
#if defined(PYPY_VERSION) || defined(GRAALVM_PYTHON) || defined(Py_REF_DEBUG)
#  define FP_PREPAID_BOOLS 0
#elif PY_VERSION_HEX < 0x030C0000 && !defined(Py_GIL_DISABLED)
#  define FP_PREPAID_BOOLS 1
#else
#  define FP_PREPAID_BOOLS 0
#endif
#if FP_PREPAID_BOOLS
static inline void fp_bool_refs(const unsigned char *flags, Py_ssize_t count, Py_ssize_t sign)
{
    Py_ssize_t i, ones = 0;
    for (i = 0; i < count; i++)
        ones += flags[i] != 0;
    Py_SET_REFCNT(Py_True, Py_REFCNT(Py_True) + sign * ones);
    Py_SET_REFCNT(Py_False, Py_REFCNT(Py_False) + sign * (count - ones));
}
#  define fp_bool_prepaid fp_bool_borrowed
#else
#  define fp_bool_refs(flags, count, sign) ((void)(flags), (void)(count), (void)(sign))
#  define fp_bool_prepaid fp_bool
#endif

/* The items of a new list (of count NULLs) from flags. */
static inline void fp_bool_list_fill(PyObject *list, const unsigned char *flags, Py_ssize_t count)
{
    Py_ssize_t i;
    fp_bool_refs(flags, count, 1);
    for (i = 0; i < count; i++)
        PyList_SET_ITEM(list, i, fp_bool_prepaid(flags[i]));
}

#endif /* FASTPRIME_PYGLUE_H */
