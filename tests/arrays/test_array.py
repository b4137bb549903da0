"""``fastprime.is_prime_array`` and the ``is_prime_into`` primitive under it.

Every test that computes goes through ``_array._is_prime_array`` with the ``impl``
fixture, so the compiled kernel and the pure-Python twin are both exercised (only the
twin under ``FASTPRIME_PURE_PYTHON=1``).  Sizes shrink for the twin, which is ~1000x
slower.  References are independent of the code under test: a numpy sieve, a segmented
sieve, and sympy.
"""

from __future__ import annotations

import array
import os
import signal
import subprocess
import sys
import textwrap
import tracemalloc
from fractions import Fraction

import numpy as np
import pytest
import sympy

import fastprime
from fastprime import _array, fallback

SIZED_DTYPES = [np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32, np.int64, np.uint64]
# Platform-named dtypes (longlong is a distinct dtype from int64 on Linux, with its own
# buffer format code) must be accepted like the sized ones.
NAMED_DTYPES = [np.byte, np.ubyte, np.short, np.ushort, np.intc, np.uintc, np.int_, np.uint,
                np.longlong, np.ulonglong, np.intp, np.uintp]

U64_MAX = 2**64 - 1
LARGEST_U64_PRIME = 2**64 - 59
LARGEST_I64_PRIME = 2**63 - 25


def pure(impl) -> bool:
    return impl is fallback


def run(impl, values, workers=1, chunk=None):
    return _array._is_prime_array(values, workers=workers, impl=impl, chunk=chunk)


def sieve(limit: int) -> np.ndarray:
    """is_prime[n] for 0 <= n < limit (Eratosthenes)."""
    flags = np.ones(max(limit, 2), dtype=bool)
    flags[:2] = False
    for p in range(2, int(limit**0.5) + 1):
        if flags[p]:
            flags[p * p :: p] = False
    return flags[:limit]


def segment_sieve(lo: int, hi: int) -> np.ndarray:
    """is_prime[n - lo] for lo <= n < hi, lo >= 2, crossing out multiples of primes <= sqrt(hi)."""
    flags = np.ones(hi - lo, dtype=bool)
    for p in np.flatnonzero(sieve(int(hi**0.5) + 2)).tolist():
        first = max(p * p, -(-lo // p) * p)
        flags[first - lo :: p] = False
    return flags


SMALL = sieve(70_000)


def expected(values) -> np.ndarray:
    """Reference answer, element by element, from sympy (negatives: not prime)."""
    arr = np.asarray(values, dtype=object)
    flat = [bool(sympy.isprime(int(v))) for v in arr.ravel().tolist()]
    return np.array(flat, dtype=bool).reshape(arr.shape)


def small_truth(arr: np.ndarray) -> np.ndarray:
    """Reference for arrays of values in [-70000, 70000), from the sieve."""
    ints = np.asarray(arr).astype(np.int64)
    return np.where(ints >= 0, SMALL[np.clip(ints, 0, None)], False)


# --------------------------------------------------------------------------- dtypes


@pytest.mark.parametrize("dtype", SIZED_DTYPES + NAMED_DTYPES, ids=lambda d: np.dtype(d).name)
def test_every_integer_dtype_matches_the_sieve(impl, dtype):
    info = np.iinfo(dtype)
    top = min(int(info.max) + 1, 70_000 if not pure(impl) else 20_000)
    values = np.arange(max(int(info.min), -5_000), top).astype(dtype)
    got = run(impl, values)
    assert got.dtype == bool and got.shape == values.shape
    np.testing.assert_array_equal(got, small_truth(values))


@pytest.mark.parametrize("dtype", SIZED_DTYPES, ids=lambda d: np.dtype(d).name)
def test_values_near_the_dtype_limits(impl, dtype):
    info = np.iinfo(dtype)
    lo, hi = int(info.min), int(info.max)
    span = 300 if pure(impl) else 3_000
    near = sorted(set(range(max(lo, hi - span), hi + 1)) | set(range(lo, min(hi, lo + 300))))
    values = np.array(near, dtype=object).astype(dtype)
    np.testing.assert_array_equal(run(impl, values), expected(near))


def test_known_facts_at_the_limits(impl):
    # Largest primes below 2**64 / 2**63 and the Mersenne prime 2**31 - 1; the maxima
    # of the unsigned types are composite (2**k - 1 with composite k, or 3 * 5 * ...).
    near_2_64 = np.array([LARGEST_U64_PRIME, U64_MAX, LARGEST_U64_PRIME + 2], np.uint64)
    assert run(impl, near_2_64).tolist() == [True, False, False]
    assert run(impl, np.array([LARGEST_I64_PRIME, 2**63 - 1, -(2**63)], np.int64)).tolist() == [True, False, False]
    assert run(impl, np.array([2**31 - 1, -(2**31), -7], np.int32)).tolist() == [True, False, False]
    assert run(impl, np.array([4294967291, 2**32 - 1], np.uint32)).tolist() == [True, False]
    assert run(impl, np.array([127, -128, -127], np.int8)).tolist() == [True, False, False]
    assert run(impl, np.array([251, 255], np.uint8)).tolist() == [True, False]


@pytest.mark.parametrize("dtype", [d for d in SIZED_DTYPES if np.dtype(d).itemsize > 1], ids=lambda d: np.dtype(d).name)
def test_non_native_byte_order(impl, dtype):
    info = np.iinfo(dtype)
    candidates = [0, 2, 3, 4, 97, 7919, 65521, int(info.max), int(info.min)] + list(range(1000, 1200))
    values = np.array([v for v in candidates if info.min <= v <= info.max], dtype=object).astype(dtype)
    swapped = values.astype(np.dtype(dtype).newbyteorder())
    assert not swapped.dtype.isnative
    want = expected(values)
    np.testing.assert_array_equal(run(impl, swapped), want)
    np.testing.assert_array_equal(run(impl, swapped[::-1], workers=2, chunk=7), want[::-1])


def test_negative_values_are_never_prime(impl):
    for dtype in (np.int8, np.int16, np.int32, np.int64):
        primes = np.flatnonzero(SMALL[:128]).astype(dtype)
        assert not run(impl, -primes).any()
        assert not run(impl, np.arange(-1, max(int(np.iinfo(dtype).min), -3000), -1, dtype=dtype)).any()


# --------------------------------------------------------------------------- agreement


def test_agrees_with_a_sieve_over_a_range(impl):
    n = 30_000 if pure(impl) else 2_000_000
    truth = sieve(n)
    np.testing.assert_array_equal(run(impl, np.arange(n, dtype=np.uint64)), truth)
    np.testing.assert_array_equal(run(impl, np.arange(n, dtype=np.int64), workers=2), truth)


@pytest.mark.parametrize("center", [2**32, 10**12, 2**45 + 7])
def test_agrees_with_a_segmented_sieve_in_windows(impl, center):
    half = 1_000 if pure(impl) else 50_000
    lo, hi = center - half, center + half
    got = run(impl, np.arange(lo, hi, dtype=np.uint64), workers=2)
    np.testing.assert_array_equal(got, segment_sieve(lo, hi))


def test_agrees_with_scalar_is_prime_on_random_samples(impl):
    rng = np.random.default_rng(20240611)
    n = 300 if pure(impl) else 20_000
    samples = [
        rng.integers(0, 2**64, n, dtype=np.uint64, endpoint=False),
        rng.integers(0, 2**64, n, dtype=np.uint64, endpoint=False) | np.uint64(1),
        rng.integers(-(2**63), 2**63, n, dtype=np.int64, endpoint=False),
        rng.integers(0, 2**32, n, dtype=np.uint32, endpoint=False),
    ]
    # Primes are the expensive case and rare among random numbers: add some.
    starts = rng.integers(2**40, 2**64 - 2**20, n // 10, dtype=np.uint64).tolist()
    samples.append(np.array([sympy.nextprime(int(s)) for s in starts], dtype=np.uint64))
    for values in samples:
        got = run(impl, values, workers=2)
        as_ints = values.tolist()
        np.testing.assert_array_equal(got, [fastprime.is_prime(v) for v in as_ints])
        np.testing.assert_array_equal(got, [fallback.is_prime(v) for v in as_ints])
    assert run(impl, samples[-1]).all()
    if pure(impl):
        np.testing.assert_array_equal(run(impl, samples[0]), expected(samples[0]))


def test_vectors_file(impl):
    from conftest import read_vectors

    rows = [(n, prime) for n, prime, _ in read_vectors() if n < 2**64]
    values = np.array([n for n, _ in rows], dtype=np.uint64)
    np.testing.assert_array_equal(run(impl, values, workers=2, chunk=3), [prime for _, prime in rows])


@pytest.mark.parametrize("chunk", [None, 1, 5, 64])
def test_result_does_not_depend_on_workers(impl, chunk):
    rng = np.random.default_rng(7)
    n = 2_000 if pure(impl) or chunk is not None else 200_000
    flat = rng.integers(0, 2**64, n, dtype=np.uint64) | np.uint64(1)
    flat[::7] = LARGEST_U64_PRIME
    cube = flat[: (n // 60) * 60].reshape(-1, 6, 10)
    for values in (flat, flat[::-3], cube.transpose(2, 0, 1)[:, ::2], flat.astype(">u8")):
        results = [run(impl, values, workers=w, chunk=chunk) for w in (1, 2, 3)]
        results.append(_array._is_prime_array(values, workers=None, impl=impl, chunk=chunk))
        for other in results[1:]:
            assert other.shape == values.shape
            np.testing.assert_array_equal(other, results[0])
        reference = [fastprime.is_prime(v) for v in values.ravel().tolist()]
        np.testing.assert_array_equal(results[0], np.array(reference).reshape(values.shape))


# --------------------------------------------------------------------------- shapes and strides


def _views():
    base = np.arange(-600, 6600, dtype=np.int64)  # 7200 values
    grid = base.reshape(72, 100)
    cube = base.reshape(8, 9, 100)
    unaligned = np.frombuffer(b"\0" + base[:500].tobytes(), dtype=np.int64, offset=1)
    readonly = base.copy()
    readonly.setflags(write=False)
    return {
        "1d": base,
        "2d": grid,
        "transpose": grid.T,
        "fortran": np.asfortranarray(grid),
        "3d-transposed": cube.transpose(2, 0, 1),
        "3d-swapaxes": cube.swapaxes(0, 1)[:, ::2],
        "step": base[3::7],
        "reversed": base[::-1],
        "reversed-2d": grid[::-1, ::-2],
        "reversed-rows": grid[::-1],
        "column-slice": grid[:, 10:37],
        "column": grid[:, 5],
        "diagonal": grid.diagonal(),
        "broadcast-zero-strides": np.broadcast_to(base[:40, None], (40, 30)),
        "broadcast-scalar": np.broadcast_to(np.int64(7919), (3, 4)),
        "unit-axes": base.reshape(1, 7200, 1),
        "newaxis-of-slice": grid[::3, None, ::4],
        "sliding-windows": np.lib.stride_tricks.sliding_window_view(base[:300], 5),
        "unaligned": unaligned,
        "read-only": readonly,
        "uint16-3d": np.arange(24_000, dtype=np.uint16).reshape(20, 30, 40)[::-1, 3:, ::5].transpose(1, 2, 0),
        "int8-2d-transpose": np.arange(-128, 128, dtype=np.int8).reshape(16, 16).T,
    }


@pytest.mark.parametrize("name", list(_views()))
@pytest.mark.parametrize("workers,chunk", [(1, None), (1, 13), (3, None), (2, 17)])
def test_shapes_strides_and_views(impl, name, workers, chunk):
    values = _views()[name]
    if not values.flags.aligned:
        assert name == "unaligned"
    got = run(impl, values, workers=workers, chunk=chunk)
    assert got.shape == values.shape and got.dtype == bool
    np.testing.assert_array_equal(got, small_truth(values))


def test_result_is_a_fresh_writable_array(impl):
    values = np.arange(100, dtype=np.uint64)
    values.setflags(write=False)
    got = run(impl, values)
    assert got.flags.writeable and got.flags.c_contiguous
    assert not np.shares_memory(got, values)
    got[:] = True  # writing the result must not touch the input
    assert values.tolist() == list(range(100))
    # Transposed input gives a result laid out like it, as numpy's ufuncs do.
    assert run(impl, np.arange(12).reshape(3, 4).T).flags.f_contiguous


@pytest.mark.parametrize("shape", [(0,), (3, 0), (0, 4, 2)])
def test_empty_arrays(impl, shape):
    for dtype in (np.uint64, np.int8, object):
        got = run(impl, np.zeros(shape, dtype=dtype), workers=2)
        assert got.shape == shape and got.dtype == bool
    assert run(impl, []).shape == (0,)
    assert run(impl, ()).shape == (0,)
    with pytest.raises(TypeError, match="float64"):
        run(impl, np.zeros(shape))


def test_zero_dimensional_inputs(impl):
    for value, want in [
        (np.array(7919), True),
        (np.array(7917, dtype=np.uint16), False),
        (np.uint64(LARGEST_U64_PRIME), True),
        (np.int8(-5), False),
        (13, True),
        (2**89 - 1, True),
        (np.array(2**89 + 1, dtype=object), False),
    ]:
        got = run(impl, value)
        assert got.shape == () and got.dtype == bool
        assert bool(got) is want


# --------------------------------------------------------------------------- other inputs


@pytest.mark.parametrize("code", list("bBhHiIlLqQ"))
def test_array_module_arrays(impl, code):
    values = array.array(code, range(0, 120))
    np.testing.assert_array_equal(run(impl, values), SMALL[:120])


def test_memoryviews_and_byte_buffers(impl):
    values = array.array("q", range(-50, 1000))
    view = memoryview(values)
    np.testing.assert_array_equal(run(impl, view), small_truth(np.arange(-50, 1000)))
    np.testing.assert_array_equal(run(impl, view[::-3]), small_truth(np.arange(-50, 1000)[::-3]))
    grid = memoryview(array.array("H", range(600))).cast("B").cast("H", (20, 30))
    got = run(impl, grid, workers=2, chunk=7)
    assert got.shape == (20, 30)
    np.testing.assert_array_equal(got, SMALL[:600].reshape(20, 30))
    np.testing.assert_array_equal(run(impl, bytes(range(256))), SMALL[:256])
    np.testing.assert_array_equal(run(impl, bytearray(range(256))), SMALL[:256])
    swapped = np.arange(300, dtype=">i4")
    np.testing.assert_array_equal(run(impl, memoryview(swapped)), SMALL[:300])


def test_lists_tuples_and_iterables(impl):
    np.testing.assert_array_equal(run(impl, list(range(500))), SMALL[:500])
    np.testing.assert_array_equal(run(impl, tuple(range(500))), SMALL[:500])
    np.testing.assert_array_equal(run(impl, range(500)), SMALL[:500])
    np.testing.assert_array_equal(run(impl, (n for n in range(500))), SMALL[:500])
    np.testing.assert_array_equal(run(impl, iter(range(500))), SMALL[:500])
    nested = [[2, 3, 4], [5, 6, 7]]
    assert run(impl, nested).tolist() == [[True, True, False], [True, False, True]]
    assert run(impl, [np.int16(7), np.uint64(9), 11]).tolist() == [True, False, True]
    assert run(impl, [True, False, 2]).tolist() == [False, False, True]
    assert run(impl, [True, False]).tolist() == [False, False]  # bool is an int, as in is_prime


def test_lists_numpy_cannot_type_as_one_integer_dtype(impl):
    # numpy makes float64 of these (and would lose the low bits): they must be read as ints.
    mixed = [-1, LARGEST_U64_PRIME, 2**63 + 1, 2**63 - 25, U64_MAX]
    assert run(impl, mixed).tolist() == [False, True, False, True, False]
    assert run(impl, [LARGEST_U64_PRIME, 5]).tolist() == [True, True]
    assert run(impl, [2**64 + 13, 2**64 + 1, -(2**89 - 1), 7]).tolist() == [True, False, False, True]


def test_object_arrays_and_big_ints(impl):
    big = [
        2**89 - 1,  # Mersenne prime
        2**127 - 1,  # Mersenne prime
        2**64 + 13,  # the smallest prime above 2**64
        2**64 + 1,  # 274177 * 67280421310721
        (2**61 - 1) * (2**89 - 1),
        sympy.nextprime(2**200),
        sympy.nextprime(2**200) * sympy.nextprime(2**100),
        -(2**127 - 1),
        LARGEST_U64_PRIME,
        U64_MAX,
        -(2**63),
        np.uint64(LARGEST_U64_PRIME),
        np.int8(127),
        0,
        1,
        2,
        True,
    ]
    want = expected([int(v) for v in big])
    values = np.array(big + [3, 4, 5], dtype=object)
    want = np.append(want, [True, False, True])
    np.testing.assert_array_equal(run(impl, values), want)
    np.testing.assert_array_equal(run(impl, values, workers=2, chunk=1), want)
    grid = values.reshape(4, 5)
    np.testing.assert_array_equal(run(impl, grid.T, workers=3, chunk=2), want.reshape(4, 5).T)
    np.testing.assert_array_equal(run(impl, grid[::-1, ::2]), want.reshape(4, 5)[::-1, ::2])
    rng = np.random.default_rng(3)
    n = 30 if pure(impl) else 300
    randoms = [int(x) for x in rng.integers(1, 2**62, n)] + [sympy.randprime(2**70, 2**80) for _ in range(n // 10)]
    np.testing.assert_array_equal(run(impl, np.array(randoms, dtype=object), workers=2), expected(randoms))


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "dtype",
    [np.float16, np.float32, np.float64, np.longdouble, np.bool_, np.complex64, np.complex128,
     "U3", "S3", "datetime64[s]", "timedelta64[ms]", "V8", [("a", "i4"), ("b", "i4")]],
    ids=str,
)
def test_non_integer_arrays_are_refused_naming_the_dtype(impl, dtype):
    values = np.zeros(4, dtype=dtype)
    with pytest.raises(TypeError, match="is_prime_array") as info:
        run(impl, values)
    assert str(values.dtype) in str(info.value)
    with pytest.raises(TypeError):
        run(impl, values[:0])
    with pytest.raises(TypeError):
        run(impl, values.reshape(2, 2).T)


@pytest.mark.parametrize(
    "values,named",
    [
        ([1.0, 2], "float"),
        ([3, 2.5], "float"),
        (["7"], "str"),
        ([7, None], "NoneType"),
        ([Fraction(7)], "Fraction"),
        ([[1, 2], [3]], "list"),
        (np.array([7, 7.0], dtype=object), "float"),
        (np.array([7, "x"], dtype=object), "str"),
        ("2357", "str"),
        (None, "NoneType"),
        (7.0, "float"),
        (array.array("d", [2.0]), "float64"),
        (memoryview(array.array("f", [2.0])), "float32"),
    ],
    ids=lambda v: type(v).__name__,
)
def test_non_integer_elements_are_refused_naming_the_type(impl, values, named):
    with pytest.raises(TypeError, match="is_prime_array") as info:
        run(impl, values)
    assert named in str(info.value)


def test_an_error_in_any_thread_propagates_and_stops_the_rest(impl):
    import threading

    before = threading.active_count()
    values = np.array(list(range(200)) + [2.5] + list(range(200)), dtype=object)
    for workers in (1, 2, 3):
        with pytest.raises(TypeError, match="float"):
            run(impl, values, workers=workers, chunk=1)
        assert threading.active_count() == before


def test_bad_workers():
    for workers in (0, -1, -(2**70)):
        with pytest.raises(ValueError, match="workers"):
            fastprime.is_prime_array([2, 3], workers=workers)
    for workers in (1.5, 2.0, "2", True, [2]):
        with pytest.raises(TypeError, match="workers"):
            fastprime.is_prime_array([2, 3], workers=workers)
    assert fastprime.is_prime_array([2, 3, 4], workers=np.int64(2)).tolist() == [True, True, False]
    with pytest.raises(TypeError):
        fastprime.is_prime_array([2, 3], 2)  # workers is keyword-only


# --------------------------------------------------------------------------- the public entry point


def test_public_function_uses_the_loaded_implementation():
    values = np.arange(10_000, dtype=np.uint32).reshape(100, 100)
    np.testing.assert_array_equal(fastprime.is_prime_array(values), SMALL[:10_000].reshape(100, 100))
    np.testing.assert_array_equal(fastprime.is_prime_array(values.T, workers=2), SMALL[:10_000].reshape(100, 100).T)
    from fastprime._array import is_prime_array

    assert fastprime.is_prime_array is is_prime_array
    assert is_prime_array.__doc__ and "workers" in is_prime_array.__doc__


# --------------------------------------------------------------------------- memory


def _extra_memory(impl, values, workers):
    """Peak traced allocation during the call, beyond the result itself (bytes)."""
    tracemalloc.start()
    try:
        result = run(impl, values, workers=workers)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak - result.nbytes


@pytest.mark.parametrize("workers", [1, 2])
def test_contiguous_input_is_not_copied(impl, workers):
    # numpy reports its buffers to tracemalloc, so a copy of the input would show.
    n = 2**16 if pure(impl) else 2**21
    values = np.arange(n, dtype=np.uint64) % np.uint64(50_000)
    extra = _extra_memory(impl, values, workers)
    assert extra < values.nbytes / 4, extra


@pytest.mark.parametrize("dtype", SIZED_DTYPES + NAMED_DTYPES + [object], ids=lambda d: np.dtype(d).name)
def test_input_is_read_in_place_in_memory_order(dtype):
    # Contiguous input, in any axis order or direction, is handed to the kernel as a
    # one-dimensional view of the caller's memory: no copy at any size.
    base = np.arange(2 * 3 * 4 * 5).astype(dtype).reshape(2, 3, 4, 5)
    reversed_all = base[::-1, ::-1, ::-1, ::-1]
    for values in (base, base.T, base.transpose(2, 0, 3, 1), reversed_all, base[None, :, None], base[1]):
        flat, out, _ = _array._memory_order_views(values)
        assert flat.ndim == 1 and flat.size == values.size
        assert np.shares_memory(flat, values)
        assert out.size == values.size
    # Truly strided, or mixed directions: still a view, in more than one dimension,
    # which the kernel is fed from one chunk-sized copy at a time.
    for values in (base[:, :, :2], base[::-1, :, ::-1]):
        flat, _, _ = _array._memory_order_views(values)
        assert flat.ndim >= 2 and np.shares_memory(flat, base)


@pytest.mark.parametrize("workers", [1, 2])
def test_strided_and_swapped_input_use_bounded_memory(impl, workers):
    n = 2**17 if pure(impl) else 2**22
    base = np.arange(n, dtype=np.uint64) % np.uint64(50_000)
    for values in (base[::2], base.astype(">u8"), base.reshape(-1, 1024)[:, :1000].T):
        extra = _extra_memory(impl, values, workers)
        # At most one chunk per thread is copied (2**17 uint64 for the compiled kernel).
        assert extra < values.nbytes / 4, (values.strides, extra)


def _python(code: str, timeout: float = 60, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True, text=True, timeout=timeout, env={**os.environ, **env},
    )


def test_import_fastprime_does_not_import_numpy():
    proc = _python(
        """
        import sys
        import fastprime
        from fastprime import is_prime_array
        fastprime.is_prime(7)
        assert callable(is_prime_array)
        print("numpy" in sys.modules)
        """
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False"


def test_without_numpy_calling_says_what_to_install():
    proc = _python(
        """
        import sys
        sys.modules["numpy"] = None  # makes `import numpy` raise ImportError
        import fastprime
        try:
            fastprime.is_prime_array([2, 3])
        except ImportError as exc:
            print(exc)
        """
    )
    assert proc.returncode == 0, proc.stderr
    assert 'pip install "pyfastprime[numpy]"' in proc.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT cannot be sent to a child process on Windows")
@pytest.mark.parametrize("workers", [1, 2])
def test_ctrl_c_interrupts_a_long_call(workers):
    # A billion copies of a prime (zero-stride view; no memory) keep the call busy for
    # minutes; SIGINT must end it with KeyboardInterrupt and leave no worker thread.
    # The 10 s limit is a hang guard, not a speed requirement.
    child = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(
            f"""
            import threading, numpy as np, fastprime
            values = np.broadcast_to(np.uint64({LARGEST_U64_PRIME}), (10**9,))
            print("ready", flush=True)
            try:
                fastprime.is_prime_array(values, workers={workers})
                print("finished", flush=True)
            except KeyboardInterrupt:
                print("interrupted", threading.active_count(), flush=True)
            """
        )],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert child.stdout.readline().strip() == "ready"
        try:
            child.communicate(timeout=1.0)  # let the call get going
        except subprocess.TimeoutExpired:
            pass
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    assert child.returncode == 0, err
    assert out.strip() == "interrupted 1", (out, err)


@pytest.mark.slow
def test_hundred_million_uint64_peak_memory_is_input_plus_output():
    n = 10**8 if fastprime.implementation == "cython" else 10**6
    proc = _python(
        f"""
        import resource, numpy as np, fastprime
        values = np.arange({n}, dtype=np.uint64)
        values += np.uint64(2**63)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        result = fastprime.is_prime_array(values, workers=2)
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        print(after - before, result.nbytes, values.nbytes, int(result.sum()))
        """,
        timeout=3600,
    )
    assert proc.returncode == 0, proc.stderr
    grew, out_bytes, in_bytes, primes = map(int, proc.stdout.split())
    # Peak = input (already resident) + output + a few chunks; a copy of the input
    # would add in_bytes (8x the output).
    assert grew < out_bytes + in_bytes / 8, (grew, out_bytes)
    assert primes > 0


# --------------------------------------------------------------------------- the primitive


def test_is_prime_into_contract(impl):
    values = np.arange(-20, 100, dtype=np.int64)
    out = np.full(values.size, 7, dtype=np.uint8)
    impl.is_prime_into(values, out)
    np.testing.assert_array_equal(out, small_truth(values).astype(np.uint8))
    for dtype in SIZED_DTYPES:
        typed = np.arange(0, 100).astype(dtype)[::-3]
        out = np.zeros(typed.size, dtype=np.uint8)
        impl.is_prime_into(typed, out)
        np.testing.assert_array_equal(out, SMALL[:100][::-3])
    out = np.zeros(4, dtype=np.uint8)
    impl.is_prime_into(np.broadcast_to(np.uint64(LARGEST_U64_PRIME), (4,)), out)
    assert out.tolist() == [1, 1, 1, 1]
    impl.is_prime_into(np.zeros(0, np.int64), np.zeros(0, np.uint8))
    unaligned = np.frombuffer(b"\0" + np.arange(50, dtype=np.int64).tobytes(), dtype=np.int64, offset=1)
    assert not unaligned.flags.aligned  # exported with the standard-size format "=q"
    out = np.zeros(50, dtype=np.uint8)
    impl.is_prime_into(unaligned, out)
    np.testing.assert_array_equal(out, SMALL[:50])

    with pytest.raises(ValueError):
        impl.is_prime_into(np.arange(4), np.zeros(3, np.uint8))  # length mismatch
    with pytest.raises(ValueError):
        impl.is_prime_into(np.arange(4), np.zeros(8, np.uint8)[::2])  # out not contiguous
    with pytest.raises(ValueError):
        impl.is_prime_into(np.arange(4), np.zeros(4, np.int8))  # out not uint8
    readonly = np.zeros(4, np.uint8)
    readonly.setflags(write=False)
    with pytest.raises(ValueError):
        impl.is_prime_into(np.arange(4), readonly)
    with pytest.raises(ValueError):
        impl.is_prime_into(np.arange(4, dtype=">i8"), np.zeros(4, np.uint8))  # non-native
    with pytest.raises(TypeError):
        impl.is_prime_into(np.zeros(4), np.zeros(4, np.uint8))  # float values
    with pytest.raises(TypeError):
        impl.is_prime_into(np.zeros((2, 2), np.int64), np.zeros(4, np.uint8))  # 2-D values
    with pytest.raises(TypeError):
        impl.is_prime_into([2, 3], bytearray(2))  # not a buffer


def test_masked_arrays_keep_their_mask(impl):
    # Issue 12, item 12: the mask was silently dropped (masked entries tested as data).
    values = np.ma.array([2, 3, 4, 5, 6, 7], mask=[0, 1, 0, 0, 1, 0])
    out = run(impl, values)
    assert isinstance(out, np.ma.MaskedArray)
    assert out.mask.tolist() == [False, True, False, False, True, False]
    assert out.compressed().tolist() == [True, False, True, True]
    # Masked slots may hold anything, even None in an object array: never tested.
    objects = np.ma.array([2**89 - 1, None, 9], mask=[0, 1, 0], dtype=object)
    out = run(impl, objects)
    assert out.mask.tolist() == [False, True, False]
    assert out.compressed().tolist() == [True, False]


@pytest.mark.parametrize("dtype", [np.int8, np.uint16, np.int64, np.uint64, object])
def test_executor_runs_the_chunks(dtype):
    # executor= (issue 15): the chunks go to any concurrent.futures executor; same answers.
    from concurrent.futures import ThreadPoolExecutor

    rng = np.random.default_rng(5)
    info = np.iinfo(np.uint64 if dtype is object else dtype)
    values = rng.integers(max(info.min, -(2**62)), min(info.max, 2**62), size=(3, 70_001)).astype(dtype)
    if dtype is object:
        values[0, :5] = [2**89 - 1, 2**64 + 13, 2**127 - 1, 2**64, -7]
    expected = fastprime.is_prime_array(values)
    with ThreadPoolExecutor(3) as ex:
        assert (fastprime.is_prime_array(values, executor=ex) == expected).all()
    with fastprime.Executor(2) as ex:
        assert (fastprime.is_prime_array(values[:, ::3], executor=ex) == expected[:, ::3]).all()
    with pytest.raises(TypeError, match="executor must be a concurrent.futures.Executor"):
        fastprime.is_prime_array(values, executor="threads")
