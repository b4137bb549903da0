"""is_prime, next_prime and prev_prime: both implementations against independent references.

References: a sieve of Eratosthenes (numpy), sympy's pure-Python ``isprime``/``nextprime``/
``prevprime``, the hand-checked vectors in primality-vectors.txt, and each implementation
against the other (they use different algorithms below 2**64).
"""

from __future__ import annotations

import array
import decimal
import fractions
import os
import random

import pytest
import sympy
from conftest import PURE_ONLY, read_vectors, sieve

import fastprime
from fastprime import _bpsw, fallback

U64 = 1 << 64


@pytest.fixture(scope="module")
def small_sieve():
    return sieve(10**7)


# ---- ranges against a sieve ----------------------------------------------------------


def test_every_n_below_1e5_matches_sieve(impl, small_sieve):
    got = [impl.is_prime(n) for n in range(10**5)]
    assert got == [bool(x) for x in small_sieve[: 10**5]]


@pytest.mark.compiled
def test_compiled_every_n_below_1e7_matches_sieve(small_sieve):
    from fastprime import _cfastprime as c

    # The batch loop over all of them, and the scalar entry point and the list batch
    # over a stride through the whole range.
    values = array.array("Q", range(10**7))
    out = bytearray(10**7)
    c.is_prime_into(values, out)
    if out != small_sieve:
        assert [n for n in range(10**7) if out[n] != small_sieve[n]][:10] == []
    sample = range(1, 10**7, 7)
    want = [bool(x) for x in small_sieve[1::7]]
    assert [c.is_prime(n) for n in sample] == want
    assert c.is_prime_many(list(sample)) == want


def test_window_near_2_64_matches_sympy(impl):
    lo = U64 - 3000
    got = [impl.is_prime(n) for n in range(lo, U64 + 3000)]
    want = [sympy.isprime(n) for n in range(lo, U64 + 3000)]
    assert got == want


# ---- hard cases ----------------------------------------------------------------------

VECTORS = read_vectors()


@pytest.mark.parametrize("n,prime,note", VECTORS, ids=[f"{n}" if n < 10**30 else f"{str(n)[:12]}..{n.bit_length()}bits" for n, _, _ in VECTORS])
def test_vectors(impl, n, prime, note):
    assert impl.is_prime(n) is prime, note
    assert impl.is_prime_many([n, n]) == [prime, prime]


def test_vectors_cover_both_ranges():
    small = sum(1 for n, _, _ in VECTORS if n < U64)
    big = sum(1 for n, _, _ in VECTORS if n >= U64)
    assert small > 100 and big > 20 and len(VECTORS) == 197


# Extra strong Lucas pseudoprimes (OEIS A217719) and strong base-2 pseudoprimes
# (OEIS A001262): each half of Baillie-PSW alone is fooled by these, the pair is not.
EXTRA_STRONG_LUCAS_PSP = [989, 3239, 5777, 10877, 27971, 29681, 30739, 31631, 39059, 72389, 73919, 75077, 100127, 113573, 125249, 137549, 137801, 153931, 155819, 161027, 162133, 189419, 218321, 231703, 249331, 370229, 429479, 430127, 459191, 473891, 480689]
STRONG_BASE2_PSP = [2047, 3277, 4033, 4681, 8321, 15841, 29341, 42799, 49141, 52633, 65281, 74665, 80581, 85489, 88357, 90751, 104653, 130561, 196093, 220729, 233017, 252601, 253241, 256999, 271951, 280601, 314821, 357761, 390937, 458989, 476971, 486737]


@pytest.mark.parametrize("n", EXTRA_STRONG_LUCAS_PSP + STRONG_BASE2_PSP)
def test_half_test_pseudoprimes_are_composite(impl, n):
    assert sympy.factorint(n) != {n: 1}
    assert impl.is_prime(n) is False
    # the same numbers times a large prime stay composite too
    assert impl.is_prime(n * 4294967291) is False


def test_perfect_squares_are_composite(impl):
    # A square makes the Lucas parameter search endless if it is not caught first.
    for p in [1031, 65521, 4294967291, 4294967279, U64 - 59, 2**89 - 1, 2**127 - 1]:
        assert impl.is_prime(p * p) is False
        assert impl.is_prime(p * p * p) is False


# ---- random samples against sympy and each other ------------------------------------


def test_random_64_bit_compiled_vs_pure_vs_sympy(impl):
    rnd = random.Random(12345)
    count = 100_000
    nums = [rnd.getrandbits(64) for _ in range(count // 2)]
    nums += [rnd.getrandbits(rnd.randint(2, 64)) | 1 for _ in range(count // 2)]
    got = impl.is_prime_many(nums)
    assert got == [impl.is_prime(n) for n in nums]
    assert got == fallback.is_prime_many(nums)
    # sympy on every tenth (it is the slow one) and on every prime we found
    check = nums[::10] + [n for n, p in zip(nums, got) if p]
    mine = dict(zip(nums, got))
    assert [mine[n] for n in check] == [sympy.isprime(n) for n in check]
    assert sum(got) > 1000  # the sample does reach the Lucas test


def test_random_64_bit_primes(impl):
    rnd = random.Random(99)
    primes = [sympy.nextprime(rnd.getrandbits(64) >> 1 | 1 << 62) for _ in range(2000)]
    assert all(impl.is_prime_many(primes))
    assert all(impl.is_prime(p) for p in primes)
    # and products of two of them (when < 2**64: two 32-bit primes) are not
    semis = [sympy.nextprime(rnd.getrandbits(32)) * sympy.nextprime(rnd.getrandbits(32)) for _ in range(2000)]
    assert not any(impl.is_prime_many(semis))


def test_random_big_numbers_vs_sympy(impl):
    rnd = random.Random(2048)
    nums = [rnd.getrandbits(rnd.randint(65, 2048)) | 1 for _ in range(1000)]
    # random odd big numbers are nearly all composite: add primes and semiprimes
    primes = [int(sympy.nextprime(rnd.getrandbits(bits))) for bits in (65, 80, 100, 128, 200, 256, 512, 700, 1024) for _ in range(3)]
    nums += primes + [p * q for p, q in zip(primes, primes[1:])]
    got = impl.is_prime_many(nums)
    assert got == [impl.is_prime(n) for n in nums]
    assert got == [sympy.isprime(n) for n in nums]
    assert all(impl.is_prime(p) for p in primes)


@pytest.mark.parametrize("engine", ["python", "gmpy2"])
def test_big_int_engines_agree(engine):
    if engine == "gmpy2" and _bpsw.engine != "gmpy2":
        pytest.skip("gmpy2 is not installed (or FASTPRIME_NO_GMPY2 is set)")
    test = _bpsw.is_prime_big_python if engine == "python" else _bpsw._is_prime_big_gmpy2
    rnd = random.Random(7)
    nums = [rnd.getrandbits(rnd.randint(65, 1024)) | 1 for _ in range(300)]
    nums += [n for n, _, _ in VECTORS if n >= U64 and n & 1]
    nums += [int(sympy.nextprime(1 << b)) for b in (64, 65, 100, 127, 128, 255, 521)]
    nums += [(2**61 - 1) * (2**89 - 1), (2**89 - 1) ** 2, 318665857834031151167461 * 7]
    assert [test(n) for n in nums] == [sympy.isprime(n) for n in nums]


# ---- next_prime / prev_prime ---------------------------------------------------------

EDGES = [-(10**30), -5, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 100, 1021, 1024, 2**31 - 1, 2**32 - 5, 2**32 - 1, 2**32, 2**32 + 1, 2**32 + 15, 2**63 - 25, 2**63, U64 - 60, U64 - 59, U64 - 58, U64 - 1, U64, U64 + 1, U64 + 13, U64 + 14, 2**89 - 2, 2**89 - 1, 2**89]


@pytest.mark.parametrize("n", EDGES)
def test_next_prime_edges(impl, n):
    assert impl.next_prime(n) == (2 if n < 2 else sympy.nextprime(n))


@pytest.mark.parametrize("n", EDGES)
def test_prev_prime_edges(impl, n):
    if n <= 2:
        with pytest.raises(ValueError, match="greater than 2"):
            impl.prev_prime(n)
    else:
        assert impl.prev_prime(n) == sympy.prevprime(n)


def test_next_prev_prime_documented_examples(impl):
    assert impl.is_prime(112272535095293) is True
    assert impl.next_prime(2**64) == 18446744073709551629
    assert impl.prev_prime(18446744073709551629) == 18446744073709551557


def test_next_prev_prime_random(impl):
    rnd = random.Random(5)
    for bits in (8, 20, 33, 50, 63, 64, 65, 90):
        for _ in range(25):
            n = rnd.getrandbits(bits) + 3
            p, q = impl.next_prime(n), impl.prev_prime(n)
            assert p == sympy.nextprime(n) and q == sympy.prevprime(n)


def test_next_prime_walk_matches_sieve(impl, small_sieve):
    primes = [n for n in range(200_000) if small_sieve[n]]
    walk, p = [], 1
    while p < 199_000:
        p = impl.next_prime(p)
        walk.append(p)
    assert walk == [q for q in primes if q <= walk[-1]]
    back, p = [], walk[-1]
    while p > 2:
        p = impl.prev_prime(p)
        back.append(p)
    assert back == walk[-2::-1]


# ---- input handling ------------------------------------------------------------------

BAD_INPUTS = [
    (7.0, "float"),
    (7.5, "float"),
    ("7", "str"),
    (b"7", "bytes"),
    (None, "NoneType"),
    (3 + 0j, "complex"),
    ([7], "list"),
    ((7,), "tuple"),
    (fractions.Fraction(7, 1), "Fraction"),
    (decimal.Decimal(7), "Decimal"),
    (float("nan"), "float"),
    (array.array("q", [7]), "array"),
]


@pytest.mark.parametrize("func", ["is_prime", "next_prime", "prev_prime"])
@pytest.mark.parametrize("value,typename", BAD_INPUTS, ids=[t for _, t in BAD_INPUTS])
def test_non_integers_raise_type_error_naming_the_type(impl, func, value, typename):
    with pytest.raises(TypeError, match=rf"{func}\(\) argument must be an integer, not '{typename}'"):
        getattr(impl, func)(value)


def test_is_prime_many_rejects_bad_item(impl):
    with pytest.raises(TypeError, match="not 'str'"):
        impl.is_prime_many([2, 3, "5"])
    with pytest.raises(TypeError):
        impl.is_prime_many(None)


class Index:
    def __init__(self, v):
        self.v = v

    def __index__(self):
        return self.v


@pytest.mark.parametrize(
    "value,expected",
    [
        (True, False),
        (False, False),
        (Index(2**127 - 1), True),
        (Index(-3), False),
    ],
)
def test_integer_like_inputs(impl, value, expected):
    assert impl.is_prime(value) is expected
    assert impl.is_prime_many([value]) == [expected]


def test_numpy_scalars(impl):
    np = pytest.importorskip("numpy")
    for value, expected in [(np.int64(97), True), (np.uint64(U64 - 59), True), (np.int8(-7), False), (np.uint32(4294967291), True)]:
        assert impl.is_prime(value) is expected
        assert impl.is_prime_many([value]) == [expected]
    with pytest.raises(TypeError, match="not 'float64'"):
        impl.is_prime(np.float64(7.0))


def test_negative_numbers_are_not_prime(impl):
    for n in [-1, -2, -3, -7, -(2**63), -(2**64), -(2**64) - 13, -(10**100)]:
        assert impl.is_prime(n) is False
    assert impl.is_prime_many([-2, -3, 2, 3]) == [False, False, True, True]


def test_is_prime_many_accepts_iterables_and_big_out(impl):
    # big_out takes what the implementation can only test holding the GIL: from 2**128
    # in the compiled kernel (below, the wide kernel tests in the batch), from 2**64 in
    # the pure twin; numbers above 2**128 are left out by both.
    values = [5, 2**128 + 51, -7, 2**521 - 1, 18446744073709551557, U64 + 13]
    assert impl.is_prime_many(iter(values)) == [True] * 2 + [False] + [True] * 3
    assert impl.is_prime_many(tuple(values)) == [True] * 2 + [False] + [True] * 3
    big = []
    wide_tested = impl is not fallback
    assert impl.is_prime_many(values, big) == [True, False, False, False, True, wide_tested]
    assert big == [(1, 2**128 + 51), (3, 2**521 - 1)] + ([] if wide_tested else [(5, U64 + 13)])
    assert impl.is_prime_many([]) == []


def test_huge_number_does_not_hang(impl):
    # 10**4000 + 1 has factor 73 (10**4 = -1 mod 73...); trial division answers at once
    n = 10**4000 + 1
    assert impl.is_prime(n) is sympy.isprime(n)


# ---- the package ---------------------------------------------------------------------


def test_implementation_attribute():
    assert fastprime.implementation == ("python" if PURE_ONLY else "cython")
    assert fastprime.is_prime is fastprime._impl.is_prime
    assert isinstance(fastprime.__version__, str) and fastprime.__version__.count(".") >= 2


def test_pure_python_env_var_forces_fallback_in_a_fresh_interpreter():
    import subprocess
    import sys

    code = "import fastprime; print(fastprime.implementation)"
    env = dict(os.environ, FASTPRIME_PURE_PYTHON="1")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "python"


@pytest.mark.compiled
def test_compiled_is_prime_into_contract():
    np = pytest.importorskip("numpy")
    from fastprime import _cfastprime as c

    vals = np.array([-5, 2, 3, 4, 97, 127], dtype=np.int16)
    out = np.zeros(6, dtype=np.uint8)
    c.is_prime_into(vals, out)
    assert out.tolist() == [0, 1, 1, 0, 1, 1]
    big = np.array([U64 - 59, U64 - 58, 2**63 - 25], dtype=np.uint64)
    out = np.zeros(3, dtype=np.uint8)
    c.is_prime_into(big[::-1], out)  # negative stride
    assert out.tolist() == [1, 0, 1]
    with pytest.raises(ValueError, match="out has 2 items, values has 3"):
        c.is_prime_into(big, np.zeros(2, dtype=np.uint8))
    with pytest.raises(TypeError, match="got None"):
        c.is_prime_into(big[:0], None)
    with pytest.raises(TypeError, match="not bool"):
        c.is_prime_into(np.ones(3, dtype=bool), np.zeros(3, dtype=np.uint8))
    with pytest.raises(TypeError):
        c.is_prime_into(np.ones(3, dtype=np.float64), np.zeros(3, dtype=np.uint8))
    for dt in (np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32, np.int64, np.uint64):
        a = np.arange(0, 120, dtype=dt)
        o = np.empty(120, dtype=np.uint8)
        c.is_prime_into(a, o)
        assert o.astype(bool).tolist() == [fallback.is_prime(int(x)) for x in a]


@pytest.mark.compiled
def test_compiled_module_reports_its_multiply_path():
    from fastprime import _cfastprime as c

    assert c.mul_path in ("int128", "msvc-x64", "msvc-arm64", "portable")


# ---- exhaustive (slow) ---------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.compiled
def test_every_n_below_2_32_matches_segmented_sieve():
    np = pytest.importorskip("numpy")
    from fastprime import _cfastprime as c

    small_primes = [n for n, flag in enumerate(sieve(1 << 16)) if flag]
    seg = 1 << 24
    out = np.empty(seg, dtype=np.uint8)
    for lo in range(0, 1 << 32, seg):
        mark = np.ones(seg, dtype=bool)
        for p in small_primes:
            start = max(p * p, (lo + p - 1) // p * p)
            if start >= lo + seg:
                continue
            mark[start - lo :: p] = False
        if lo == 0:
            mark[:2] = False
        c.is_prime_into(np.arange(lo, lo + seg, dtype=np.uint64), out)
        bad = np.flatnonzero(out.astype(bool) != mark)
        assert bad.size == 0, (lo + bad[:10]).tolist()


def test_missing_extension_warns_and_falls_back(tmp_path):
    # A copy of the package without the compiled module, imported in a fresh process.
    import shutil
    import subprocess
    import sys

    pkg = tmp_path / "fastprime"
    shutil.copytree(os.path.dirname(fastprime.__file__), pkg, ignore=shutil.ignore_patterns("_c*.so", "_c*.pyd", "__pycache__"))
    code = "import warnings; warnings.simplefilter('error'); import fastprime"
    env = {k: v for k, v in os.environ.items() if k != "FASTPRIME_PURE_PYTHON"}
    env["PYTHONPATH"] = str(tmp_path)
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert proc.returncode != 0 and "compiled kernel is not available" in proc.stderr
    # A command that really rebuilds: pip reuses its cached pure wheel without these
    # (issue 12, item 5); and the warning points at the user's import line.
    assert "pip install --no-cache-dir --force-reinstall --no-deps pyfastprime" in proc.stderr
    code = "import warnings\nwith warnings.catch_warnings(record=True) as w:\n    warnings.simplefilter('always')\n    import fastprime\nprint(w[0].filename)"
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert proc.stdout.strip() == "<string>", proc.stdout + proc.stderr
    env["FASTPRIME_PURE_PYTHON"] = "1"
    code = "import warnings; warnings.simplefilter('error'); import fastprime; print(fastprime.implementation, fastprime.is_prime(97))"
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert proc.stdout.split() == ["python", "True"], proc.stderr


def test_big_numbers_with_small_factors(impl):
    # Above 2**64 the compiled kernel looks for prime factors below 84 before the full
    # test: every one of them must be found, and a number without one must go on.
    big_prime = int(sympy.nextprime(1 << 70))
    small = [p for p in range(2, 110) if sympy.isprime(p)]
    for p in small:
        assert impl.is_prime(p * big_prime) is False
        assert impl.is_prime(p * (1 << 64) + p) is False
        n = int(sympy.nextprime(p << 64))
        assert impl.is_prime(n) is True
        assert impl.next_prime(n - 1) == n
        assert impl.prev_prime(n + 1) == n
    assert impl.is_prime(big_prime * big_prime) is False
