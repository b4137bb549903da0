/*
 * Reading the value of an exact Python int straight from its digits.
 *
 * The executor's batches convert ints while holding the GIL (8,192 per hold),
 * and that per-item cost is what limits how well threads scale (everything else runs
 * without the GIL).  Through the C API (PyLong_AsUnsignedLongLong and its error
 * handling) a conversion costs ~10 ns; reading the digits costs ~3 ns, most of it the
 * cache miss on the object.  Cython does the same internally; this header spells it
 * out for the CPython versions whose layout is known, and elsewhere (PyPy, a CPython
 * newer than this file) says "not readable" so that the caller uses the C API.
 *
 * The caller holds a reference to the object (ints are immutable, so the digits
 * cannot change under it).
 */
#ifndef FASTPRIME_PYLONG_H
#define FASTPRIME_PYLONG_H

#include <Python.h>
#include <stdint.h>

#if !defined(PYPY_VERSION) && !defined(Py_LIMITED_API) && PY_VERSION_HEX >= 0x030A0000 && PY_VERSION_HEX < 0x030F0000
#  define FP_PYLONG_DIRECT 1
#  if PY_VERSION_HEX < 0x030B0000
#    include <longintrepr.h>
#  endif
#else
#  define FP_PYLONG_DIRECT 0
#endif

/* Whether this build runs without a GIL: there a list's items are read from a private
   copy, never from a list that another thread may be changing at the same moment. */
#ifdef Py_GIL_DISABLED
#  define FP_GIL_DISABLED 1
#else
#  define FP_GIL_DISABLED 0
#endif

/* For an exact int: 0 and the value in *out if 0 <= value < 2**64; 1 if negative;
   2 if >= 2**64; 3 if this build cannot read ints directly (use the C API). */
static inline int fp_pylong_u64(PyObject *obj, uint64_t *out)
{
#if FP_PYLONG_DIRECT
    const PyLongObject *v = (const PyLongObject *)obj;
    const digit *d;
    size_t count, k;
    uint64_t value = 0;
#  if PY_VERSION_HEX >= 0x030C0000
    /* lv_tag: digit count above the low 3 bits; sign in the low 2 bits (2 = negative). */
    const uintptr_t tag = v->long_value.lv_tag;
    if ((tag & 3) == 2) return 1;
    count = (size_t)(tag >> 3);
    d = v->long_value.ob_digit;
#  else
    const Py_ssize_t size = Py_SIZE(obj);  /* signed digit count */
    if (size < 0) return 1;
    count = (size_t)size;
    d = v->ob_digit;
#  endif
    for (k = count; k-- > 0;) {
        /* Shifting in PyLong_SHIFT more bits must not lose any: else it is >= 2**64. */
        if (value >> (64 - PyLong_SHIFT)) return 2;
        value = (value << PyLong_SHIFT) | (uint64_t)d[k];
    }
    *out = value;
    return 0;
#else
    (void)obj;
    (void)out;
    return 3;
#endif
}

/* For an exact int: 0 and the value in (*hi, *lo) if 0 <= value < 2**128; 1 if negative;
   2 if >= 2**128; 3 if this build cannot read ints directly (use the C API).  The wide
   kernel's entry points read numbers of 65 to 128 bits with it, for the same reason as
   fp_pylong_u64: no C API call or exception per number. */
static inline int fp_pylong_u128(PyObject *obj, uint64_t *hi, uint64_t *lo)
{
#if FP_PYLONG_DIRECT
    const PyLongObject *v = (const PyLongObject *)obj;
    const digit *d;
    size_t count, k;
    uint64_t h = 0, l = 0;
#  if PY_VERSION_HEX >= 0x030C0000
    const uintptr_t tag = v->long_value.lv_tag;
    if ((tag & 3) == 2) return 1;
    count = (size_t)(tag >> 3);
    d = v->long_value.ob_digit;
#  else
    const Py_ssize_t size = Py_SIZE(obj);
    if (size < 0) return 1;
    count = (size_t)size;
    d = v->ob_digit;
#  endif
    for (k = count; k-- > 0;) {
        /* Shift (h, l) left by PyLong_SHIFT bits; bits shifted out of h mean >= 2**128. */
        if (h >> (64 - PyLong_SHIFT)) return 2;
        h = (h << PyLong_SHIFT) | (l >> (64 - PyLong_SHIFT));
        l = (l << PyLong_SHIFT) | (uint64_t)d[k];
    }
    *hi = h;
    *lo = l;
    return 0;
#else
    (void)obj;
    (void)hi;
    (void)lo;
    return 3;
#endif
}

#endif /* FASTPRIME_PYLONG_H */
