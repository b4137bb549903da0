"""The compiled kernel and the pure-Python twin, compared on arbitrary arguments (Hypothesis).

Every public and batch function gets the same arguments in both implementations: ints of
every size (around 0, 2**32, 2**64 and 2**128 especially), objects with ``__index__``,
and things that are not integers.  The two must return the same value, or raise the same
exception type with the same message.  (The kernel tests check each implementation
against sieves, sympy and gmpy2; this checks that a caller cannot tell them apart.)
"""

from __future__ import annotations

import array

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fastprime import _ranges, _sieve_pure, fallback

pytestmark = pytest.mark.compiled

compiled = pytest.importorskip("fastprime._cfastprime")

SETTINGS = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class Index:
    """An int-like object, as numpy scalars are."""

    def __init__(self, value):
        self.value = value

    def __index__(self):
        return self.value

    def __repr__(self):
        return f"Index({self.value})"


def _near(base: int) -> st.SearchStrategy[int]:
    return st.integers(min_value=-300, max_value=300).map(lambda k: base + k)


INTS = st.one_of(
    st.integers(min_value=-(2**8), max_value=2**16),
    st.integers(min_value=0, max_value=2**64),
    st.integers(min_value=2**64, max_value=2**128),
    st.integers(min_value=-(2**200), max_value=2**300),
    _near(2**32),
    _near(2**64),
    _near(2**128),
)
NOT_INTS = st.one_of(
    st.floats(allow_nan=True),
    st.text(max_size=5),
    st.none(),
    st.binary(max_size=3),
    st.just(1j),
    st.just([1]),
)
ARGS = st.one_of(INTS, INTS.map(Index), st.booleans(), NOT_INTS)
SMALLISH = st.one_of(st.integers(min_value=-50, max_value=2**70), INTS.filter(lambda n: n.bit_length() < 400))
SMALLISH_ARGS = st.one_of(SMALLISH, SMALLISH.map(Index), st.booleans(), NOT_INTS)


def outcome(func, *args):
    try:
        return ("value", func(*args))
    except Exception as exc:  # noqa: BLE001 - the exception is what is compared
        return ("raised", type(exc), str(exc))


def same(name, *args):
    assert outcome(getattr(compiled, name), *args) == outcome(getattr(fallback, name), *args), (name, args)


@SETTINGS
@given(ARGS)
def test_is_prime(n):
    same("is_prime", n)


@SETTINGS
@given(SMALLISH_ARGS)
def test_next_and_prev_prime(n):
    same("next_prime", n)
    same("prev_prime", n)


SLICE_ARG = st.one_of(st.none(), st.integers(min_value=-20, max_value=20), st.integers(min_value=-(2**70), max_value=2**70),
                      st.integers(min_value=-5, max_value=5).map(Index), st.just(1.5), st.just("1"))


@SETTINGS
@given(st.lists(st.one_of(INTS, INTS.map(Index), st.booleans()), max_size=40), SLICE_ARG, SLICE_ARG)
def test_is_prime_flags_and_many(values, start, stop):
    for container in (list, tuple):
        same("is_prime_flags", container(values), start, stop)
    same("is_prime_many", values)


@SETTINGS
@given(st.lists(st.one_of(INTS, NOT_INTS), min_size=1, max_size=10))
def test_batch_calls_refuse_like_the_scalar_call(values):
    same("is_prime_flags", values)
    same("is_prime_many", values)


@SETTINGS
@given(st.lists(st.one_of(st.binary(max_size=20), st.lists(st.integers(0, 10**20), max_size=5)), max_size=6),
       st.integers(min_value=-1, max_value=200))
def test_chain_results(chunks, total):
    assert outcome(lambda: list(compiled.chain_results(chunks, total))) == outcome(lambda: list(fallback.chain_results(chunks, total)))


@SETTINGS
@given(st.sampled_from("bBhHiIlLqQ"), st.lists(st.integers(min_value=-(2**63), max_value=2**64 - 1), max_size=30))
def test_is_prime_into(code, numbers):
    info = array.array(code)
    bits = 8 * info.itemsize
    low, high = (0, 2**bits - 1) if code.isupper() else (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1)
    values = array.array(code, [min(max(n, low), high) for n in numbers])
    outs = []
    for impl in (compiled, fallback):
        out = bytearray(len(values))
        outs.append((outcome(impl.is_prime_into, values, out), bytes(out)))
    assert outs[0] == outs[1]


@settings(max_examples=120, deadline=None)
@given(st.one_of(st.integers(min_value=0, max_value=2**40), _near(2**64), st.integers(min_value=2**64, max_value=2**128)),
       st.integers(min_value=0, max_value=5000))
def test_range_engines(lo, width):
    # The compiled range engine (sieve, tested windows, wide kernel) against the pure one.
    engine = _ranges._compiled_engine()
    if engine is None:
        pytest.skip("the compiled range engine is not built")
    hi = min(lo + width, 2**128)
    expected = _sieve_pure.primes(lo, hi, fallback.is_prime)
    assert engine.primes(lo, hi, 1) == expected
    assert engine.count(lo, hi, 1) == len(expected)
