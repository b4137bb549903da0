"""``fastprime.Executor``: its constructor, and ``map`` over fastprime's own functions.

The standard library's contract (submit, map, shutdown, futures) is checked by the port
of CPython's tests in ``test_executor_stdlib.py``.  Here: choosing the backend and its
options, and the chunked fast path (results, order, errors at their position, laziness,
bounded memory, timeouts, shutdown, big numbers sent to processes, crashed workers).
Every fast-path test runs with each implementation's functions (the ``impl`` fixture)
on both backends.  Expected answers come from the scalar functions, which the core
tests check against a sieve and sympy.
"""

from __future__ import annotations

import concurrent.futures
import gc
import itertools
import multiprocessing
import os
import random
import signal
import sys
import threading
import warnings
from concurrent.futures.process import BrokenProcessPool

import pytest

import fastprime
from fastprime.executor import HAS_BUFFERSIZE, default_max_workers, gil_enabled

# The process backend uses the standard library's default start method, "fork" on Linux
# before Python 3.14, which warns (3.12+) when the process has threads, as this test
# process always has: the standard library's ProcessPoolExecutor would warn the same.
pytestmark = pytest.mark.filterwarnings("ignore:This process .* is multi-threaded, use of fork:DeprecationWarning")

LONG = 60.0  # a bound on waits that should never be reached
BACKENDS = ["thread", "process"]
KINDS = ["is_prime", "next_prime", "prev_prime"]


@pytest.fixture(scope="module")
def pools():
    """One executor per backend, shared by the tests that leave them usable."""
    made = {backend: fastprime.Executor(2, backend=backend) for backend in BACKENDS}
    yield made
    for ex in made.values():
        ex.shutdown()


@pytest.fixture(params=BACKENDS)
def shared(request, pools):
    return pools[request.param]


def scalar(impl, kind, values):
    """What the standard library's map would give: results, then the first error."""
    func = getattr(impl, kind)
    out = []
    for v in values:
        try:
            out.append(func(v))
        except Exception as error:  # noqa: BLE001 - compared with what map raises
            return out, error
    return out, None


def drain(iterator):
    """Results of ``iterator`` up to its first exception, and that exception."""
    out = []
    try:
        for value in iterator:
            out.append(value)
    except Exception as error:  # noqa: BLE001
        return out, error
    return out, None


def same_error(a, b):
    return type(a) is type(b) and str(a) == str(b)


def counting(iterable, counter):
    for value in iterable:
        counter[0] += 1
        yield value


# -- construction ---------------------------------------------------------------------


def test_is_a_concurrent_futures_executor():
    with fastprime.Executor(1) as ex:
        assert isinstance(ex, concurrent.futures.Executor)
        future = ex.submit(pow, 2, 10)
        assert isinstance(future, concurrent.futures.Future)
        assert future.result(timeout=LONG) == 1024


def test_auto_backend():
    expected = "thread" if fastprime.implementation == "cython" or not gil_enabled() else "process"
    with fastprime.Executor(1) as ex:
        assert ex.backend == expected
    with fastprime.Executor(1, backend="auto") as ex:
        assert ex.backend == expected
    for backend in BACKENDS:
        with fastprime.Executor(1, backend=backend) as ex:
            assert ex.backend == backend
            assert repr(ex) == f"<fastprime.Executor backend={backend!r} max_workers=1>"


@pytest.mark.parametrize("backend", ["threads", "Thread", "", None, "interpreter"])
def test_bad_backend(backend):
    with pytest.raises(ValueError, match="backend must be one of 'auto', 'thread', 'process'"):
        fastprime.Executor(backend=backend)


def test_max_workers():
    for backend in BACKENDS:
        for bad in (0, -1):
            with pytest.raises(ValueError, match="max_workers must be greater than 0"):
                fastprime.Executor(bad, backend=backend)
        for bad in (1.5, "2"):
            with pytest.raises(TypeError, match="max_workers must be an integer or None"):
                fastprime.Executor(bad, backend=backend)
        with fastprime.Executor(3, backend=backend) as ex:
            assert ex.max_workers == 3
        with fastprime.Executor(backend=backend) as ex:
            # Threads: the standard library's ThreadPoolExecutor default (issue 12,
            # item 11); processes: ProcessPoolExecutor's, the usable CPUs.
            expected = min(32, default_max_workers() + 4) if backend == "thread" else default_max_workers()
            assert ex.max_workers == expected


def test_default_max_workers_is_usable_cpus():
    if hasattr(os, "process_cpu_count"):
        expected = os.process_cpu_count()
    elif hasattr(os, "sched_getaffinity"):
        expected = len(os.sched_getaffinity(0))
    else:
        expected = os.cpu_count()
    assert default_max_workers() == (expected or 1)


@pytest.mark.parametrize(
    "backend, option, value",
    [
        ("thread", "mp_context", None),
        ("thread", "max_tasks_per_child", 1),
        ("process", "thread_name_prefix", "x"),
    ],
)
def test_option_of_the_other_backend(backend, option, value):
    with pytest.raises(TypeError, match=f"option '{option}' is not supported by the '{backend}' backend"):
        fastprime.Executor(1, backend=backend, **{option: value})


@pytest.mark.parametrize("backend", ["auto"] + BACKENDS)
def test_unknown_option(backend):
    with pytest.raises(TypeError, match="unexpected keyword argument 'max_worker'"):
        fastprime.Executor(backend=backend, max_worker=2)


def test_thread_options_are_honoured():
    seen = []
    ex = fastprime.Executor(
        2, backend="thread", thread_name_prefix="primes", initializer=seen.append, initargs=("ready",)
    )
    with ex:
        names = {ex.submit(lambda: threading.current_thread().name).result() for _ in range(4)}
        list(ex.map(fastprime.is_prime, range(5000)))
    assert names and all(name.startswith("primes_") for name in names)
    assert seen and set(seen) == {"ready"}


def test_process_options_are_honoured():
    context = multiprocessing.get_context("spawn")
    with fastprime.Executor(1, backend="process", mp_context=context) as ex:
        assert ex._pool._mp_context is context
        assert ex.submit(os.getpid).result(timeout=LONG) != os.getpid()
    with fastprime.Executor(1, backend="process", initializer=set_env, initargs=("FP_INIT", "yes")) as ex:
        assert ex.submit(get_env, "FP_INIT").result(timeout=LONG) == "yes"


@pytest.mark.skipif(sys.version_info < (3, 11), reason="max_tasks_per_child is new in Python 3.11")
def test_max_tasks_per_child_is_honoured():
    with fastprime.Executor(1, backend="process", max_tasks_per_child=1) as ex:
        first = ex.submit(os.getpid).result(timeout=LONG)
        second = ex.submit(os.getpid).result(timeout=LONG)
    assert first != second  # each task had a fresh worker process


@pytest.mark.skipif(sys.version_info >= (3, 11), reason="Python 3.11+ has max_tasks_per_child")
def test_max_tasks_per_child_needs_3_11():
    with pytest.raises(TypeError, match="max_tasks_per_child"):
        fastprime.Executor(1, backend="process", max_tasks_per_child=1)


def test_offload_only_with_a_gil():
    with fastprime.Executor(1, backend="thread") as ex:
        assert (ex._offload is not None) == gil_enabled()
    with fastprime.Executor(1, backend="process") as ex:
        assert ex._offload is None


# -- the fast path: results ---------------------------------------------------------


def mixed_numbers(seed, count=3000):
    """Small, 64-bit, around 2**64, big and negative numbers, ints and int-likes."""
    rng = random.Random(seed)
    values = list(range(-5, 200))
    values += [rng.getrandbits(64) for _ in range(count)]
    values += [2**64 - 59, 2**64 - 1, 2**64, 2**64 + 13, 2**89 - 1, 2**127 - 1]
    values += [rng.getrandbits(200) for _ in range(20)]
    values += [True, False, -(2**70)]
    rng.shuffle(values)
    return values


@pytest.mark.parametrize("kind", KINDS)
def test_map_matches_the_scalar_function(impl, shared, kind):
    values = mixed_numbers(7)
    if kind != "is_prime":
        values = [v for v in values if v.bit_length() <= 80]  # the searches are costly above
    if kind == "prev_prime":
        values = [v for v in values if v > 2]
    expected, error = scalar(impl, kind, values)
    assert error is None
    got = list(shared.map(getattr(impl, kind), values))
    assert got == expected
    assert all(type(g) is type(e) for g, e in zip(got, expected))


def test_map_takes_numpy_integers(impl, shared):
    np = pytest.importorskip("numpy")
    values = np.arange(-10, 3000, dtype=np.int64)
    expected = [impl.is_prime(int(v)) for v in values]
    assert list(shared.map(impl.is_prime, values)) == expected
    assert list(shared.map(impl.is_prime, np.arange(2**63, 2**63 + 200, dtype=np.uint64))) == [
        impl.is_prime(2**63 + i) for i in range(200)
    ]


def test_map_of_an_empty_input(impl, shared):
    assert list(shared.map(impl.is_prime, [])) == []
    assert list(shared.map(impl.next_prime, iter([]))) == []


def test_docs_example(shared):
    sympy = pytest.importorskip("sympy")
    primes = [112272535095293, 112582705942171, 112272535095293, 115280095190773, 115797848077099, 1099726899285419]
    lines = ["%d is prime: %s" % (n, p) for n, p in zip(primes, shared.map(fastprime.is_prime, primes))]
    assert lines == ["%d is prime: %s" % (n, sympy.isprime(n)) for n in primes]
    assert lines[-1] == "1099726899285419 is prime: False"  # as the docs print it


def test_map_is_chunked(impl, shared, monkeypatch):
    # Not one future per item: count what reaches the wrapped pool.
    submitted = []
    real_submit = shared._pool.submit
    monkeypatch.setattr(shared._pool, "submit", lambda *a, **k: submitted.append(a) or real_submit(*a, **k))
    values = list(range(20000))
    assert list(shared.map(impl.is_prime, values)) == [impl.is_prime(v) for v in values]
    assert 1 <= len(submitted) <= len(values) // 100
    submitted.clear()
    assert list(shared.map(impl.next_prime, iter(values[:5000]))) == [impl.next_prime(v) for v in values[:5000]]
    assert 1 <= len(submitted) <= 5000 // 100
    submitted.clear()
    assert list(shared.map(pow, [2, 3], [2, 2])) == [4, 9]  # other functions: one future each
    assert len(submitted) == 2


def is_prime(n):
    """Not fastprime's, whatever its name: mapped the standard library's way."""
    return n == 7


def set_env(name, value):
    os.environ[name] = value


def get_env(name):
    return os.environ.get(name)


def test_other_callables_are_not_chunked(shared, monkeypatch):
    submitted = []
    real_submit = shared._pool.submit
    monkeypatch.setattr(shared._pool, "submit", lambda *a, **k: submitted.append(a) or real_submit(*a, **k))
    assert list(shared.map(is_prime, range(10))) == [n == 7 for n in range(10)]
    assert len(submitted) == 10
    # Two iterables: is_prime(a, b) is an error at the first item, as in the standard library.
    with pytest.raises(TypeError):
        list(shared.map(fastprime.is_prime, [1, 2], [3, 4]))
    assert list(shared.map(fastprime.is_prime)) == []


# -- the fast path: errors at their position -------------------------------------------


BAD_ITEMS = ["7", 7.0, None, 3 + 0j, b"7", [7]]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("where", [0, 1, 1023, 1024, 1250, 2999])
def test_bad_item_raises_at_its_position(impl, shared, kind, where):
    rng = random.Random(where)
    values = [rng.randrange(3, 10**6) for _ in range(3000)]
    values[where] = BAD_ITEMS[where % len(BAD_ITEMS)]
    values[-1] = "never reached"
    func = getattr(impl, kind)
    expected, expected_error = scalar(impl, kind, values)
    assert len(expected) == where
    # Twice: from a list (sized chunks) and from a generator (growing chunks).
    for source in (values, iter(values)):
        iterator = shared.map(func, source)
        got, error = drain(iterator)
        assert got == expected
        assert isinstance(error, TypeError) and same_error(error, expected_error)
        assert next(iterator, "end") == "end"  # the iteration ends at the error


def test_bad_item_among_big_numbers(impl, shared):
    rng = random.Random(5)
    values = [rng.getrandbits(256) | 1 for _ in range(400)] + [2**89 - 1, "x", 2**127 - 1]
    got, error = drain(shared.map(impl.is_prime, values))
    assert got == [impl.is_prime(v) for v in values[:401]]
    assert same_error(error, scalar(impl, "is_prime", ["x"])[1])


def test_value_error_at_its_position(impl, shared):
    # prev_prime(2) has no answer: ValueError at its place, the earlier results first.
    values = [2**40 + i for i in range(2500)]
    values[1700] = 2
    got, error = drain(shared.map(impl.prev_prime, values))
    assert got == [impl.prev_prime(v) for v in values[:1700]]
    assert isinstance(error, ValueError) and "greater than 2" in str(error)


def test_error_from_the_input_itself(impl, shared):
    def numbers():
        yield from range(2500)
        raise LookupError("the input broke")

    got, error = drain(shared.map(impl.is_prime, numbers()))
    assert got == [impl.is_prime(v) for v in range(2500)]
    assert isinstance(error, LookupError)


def test_not_iterable(shared):
    with pytest.raises(TypeError):
        shared.map(fastprime.is_prime, 12)


# -- the fast path: laziness, memory, timeouts, shutdown --------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_endless_input_runs_in_bounded_memory(impl, shared, kind):
    produced = [0]
    source = counting(itertools.count(3), produced)
    iterator = shared.map(getattr(impl, kind), source)  # must return at once
    bound = produced[0]
    assert 0 < bound <= 1_000_000
    got = list(itertools.islice(iterator, 50_000 if kind == "is_prime" else 5_000))
    assert got == [getattr(impl, kind)(n) for n in range(3, 3 + len(got))]
    # Never more than the first chunks' worth read ahead of what was consumed.
    assert produced[0] - len(got) <= max(bound, 200_000)
    del iterator


def test_map_starts_work_when_called(impl):
    # As the standard library: work starts at map(), before iteration; shutdown waits for it.
    ex = fastprime.Executor(2, backend="thread")
    produced = [0]
    ex.map(impl.is_prime, counting(range(10), produced))
    assert produced[0] == 10
    ex.shutdown(wait=True)


def test_fast_path_timeout():
    release = threading.Event()
    with fastprime.Executor(1, backend="thread") as ex:
        ex.submit(release.wait, LONG)  # the only worker is busy
        iterator = ex.map(fastprime.is_prime, range(100), timeout=0.2)
        try:
            with pytest.raises(concurrent.futures.TimeoutError):
                next(iterator)
        finally:
            release.set()
        assert next(iterator, "end") == "end"


def test_fast_path_cancelled_by_shutdown():
    release = threading.Event()
    ex = fastprime.Executor(1, backend="thread")
    ex.submit(release.wait, LONG)
    iterator = ex.map(fastprime.is_prime, range(100_000))
    ex.shutdown(wait=False, cancel_futures=True)
    release.set()
    with pytest.raises(concurrent.futures.CancelledError):
        next(iterator)


@pytest.mark.parametrize("backend", BACKENDS)
def test_results_stay_readable_after_shutdown(impl, backend):
    # The common `with Executor() as ex: results = ex.map(...)` then reading them later.
    values = list(range(-3, 120_000 if impl.__name__.endswith("_cfastprime") else 30_000))
    with fastprime.Executor(2, backend=backend) as ex:
        results = ex.map(impl.is_prime, values)
    assert list(results) == impl.is_prime_many(values)


def test_results_stay_readable_after_the_executor_is_gone(impl):
    ex = fastprime.Executor(2, backend="thread")
    results = ex.map(impl.next_prime, range(40_000))
    del ex
    assert list(results) == [impl.next_prime(n) for n in range(40_000)]


def test_map_after_shutdown(shared):
    ex = fastprime.Executor(1, backend=shared.backend)
    ex.shutdown()
    with pytest.raises(RuntimeError, match="cannot schedule new futures after shutdown"):
        ex.map(fastprime.is_prime, [1, 2, 3])
    assert list(ex.map(fastprime.is_prime, [])) == []  # nothing to schedule, as in the stdlib


def test_chunksize_checks_follow_the_backend(shared):
    if shared.backend == "process":
        for fn in (abs, fastprime.is_prime):
            with pytest.raises(ValueError, match="chunksize must be >= 1"):
                shared.map(fn, [1, 2], chunksize=0)
    else:  # ThreadPoolExecutor ignores chunksize
        assert list(shared.map(fastprime.is_prime, [1, 2, 3], chunksize=0)) == [False, True, True]


def _buffered_map(ex, fn, iterable, buffersize):
    if HAS_BUFFERSIZE:
        return ex.map(fn, iterable, buffersize=buffersize)
    return ex._map(fn, (iterable,), None, 1, buffersize)  # the same code, before 3.14


@pytest.mark.parametrize("buffersize", [1, 2, 7, 5000])
def test_buffersize_bounds_read_ahead(impl, shared, buffersize):
    produced = [0]
    iterator = _buffered_map(shared, impl.is_prime, counting(itertools.count(), produced), buffersize)
    assert produced[0] == buffersize  # read when map() is called, as in the standard library
    got = list(itertools.islice(iterator, 20))
    assert got == [impl.is_prime(n) for n in range(20)]
    assert produced[0] - len(got) <= buffersize


def test_buffersize_checks(shared):
    for bad in ("foo", 2.0):
        with pytest.raises(TypeError, match="buffersize must be an integer or None"):
            shared._map(fastprime.is_prime, ([1],), None, 1, bad)
    for bad in (0, -1):
        with pytest.raises(ValueError, match="buffersize must be None or > 0"):
            shared._map(fastprime.is_prime, ([1],), None, 1, bad)


# -- big numbers and GIL-bound work on the thread backend ---------------------------------


@pytest.fixture(scope="module")
def threaded():
    ex = fastprime.Executor(2, backend="thread")
    yield ex
    ex.shutdown()


@pytest.mark.skipif(not gil_enabled(), reason="without a GIL, threads do everything")
def test_little_big_work_stays_in_threads(impl):
    with fastprime.Executor(2, backend="thread") as ex:
        values = [2**64 + 13, 2**89 - 1, 2**127 - 1] + list(range(5000))
        assert list(ex.map(impl.is_prime, values)) == [impl.is_prime(v) for v in values]
        assert not ex._offload.started


@pytest.mark.skipif(not gil_enabled(), reason="without a GIL, threads do everything")
def test_big_numbers_go_to_processes(impl, threaded):
    rng = random.Random(11)
    # Enough big-number work per chunk to be worth processes, with gmpy2 or without.
    values = [rng.getrandbits(1024) for _ in range(300)] + [rng.getrandbits(64) for _ in range(3000)]
    values += [impl.next_prime(2**300), impl.next_prime(2**521)]
    rng.shuffle(values)
    assert list(threaded.map(impl.is_prime, values)) == [impl.is_prime(v) for v in values]
    assert threaded._offload.started
    big = [2**100 + i for i in range(60)]
    assert list(threaded.map(impl.next_prime, big)) == [impl.next_prime(v) for v in big]
    assert list(threaded.map(impl.prev_prime, big)) == [impl.prev_prime(v) for v in big]


@pytest.mark.skipif(not gil_enabled(), reason="without a GIL, threads do everything")
def test_offloaded_errors_keep_their_position(impl):
    values = [2**130 + i for i in range(300)]  # above the wide kernel, whose searches need no helper
    values[210] = 1  # prev_prime(1): ValueError, raised in a helper process
    with fastprime.Executor(2, backend="thread") as ex:
        got, error = drain(ex.map(impl.prev_prime, values))
        assert ex._offload.started
    assert got == [impl.prev_prime(v) for v in values[:210]]
    assert isinstance(error, ValueError) and same_error(error, scalar(impl, "prev_prime", [1])[1])


@pytest.mark.skipif(not gil_enabled(), reason="without a GIL, threads do everything")
def test_dead_helper_processes_do_not_lose_results(impl):
    rng = random.Random(3)
    values = [rng.getrandbits(1024) for _ in range(400)]
    expected = [impl.is_prime(v) for v in values]
    with fastprime.Executor(2, backend="thread") as ex:
        assert list(ex.map(impl.is_prime, values)) == expected
        pids = ex._offload.pids()
        assert pids
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            assert list(ex.map(impl.is_prime, values)) == expected
            assert list(ex.map(impl.is_prime, values)) == expected  # and on without helpers
        assert any("could not use helper processes" in str(w.message) for w in caught)


@pytest.mark.skipif(not gil_enabled(), reason="without a GIL, threads do everything")
@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="POSIX signals")
def test_helpers_leave_ctrl_c_to_the_parent(impl):
    # A terminal's Ctrl-C signals the whole process group, helpers included.
    values = [2**1000 + i for i in range(300)]
    with fastprime.Executor(2, backend="thread") as ex:
        expected = list(ex.map(impl.is_prime, values))
        pids = ex._offload.pids()
        assert pids
        for pid in pids:
            os.kill(pid, signal.SIGINT)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a helper that died would warn
            assert list(ex.map(impl.is_prime, values)) == expected
        assert ex._offload.pids() == pids


@pytest.mark.skipif(not gil_enabled(), reason="without a GIL, threads do everything")
def test_helpers_stop_with_the_executor(impl):
    ex = fastprime.Executor(2, backend="thread")
    list(ex.map(impl.is_prime, [2**1000 + i for i in range(300)]))
    processes = [h.process for h in ex._offload._helpers.values()]
    assert processes
    ex.shutdown(wait=True)
    for process in processes:
        assert process.exitcode is not None
    # Collected without shutdown: the helpers stop too.
    ex = fastprime.Executor(2, backend="thread")
    list(ex.map(impl.is_prime, [2**1000 + i for i in range(300)]))
    processes = [h.process for h in ex._offload._helpers.values()]
    del ex
    for process in processes:
        process.join(LONG)
        assert process.exitcode is not None


# -- the process backend: crashed workers -----------------------------------------------


def test_crashed_worker_breaks_the_pool_without_hanging():
    with fastprime.Executor(1, backend="process") as ex:
        crash = ex.submit(os._exit, 1)
        with pytest.raises(BrokenProcessPool):
            crash.result(timeout=LONG)
        with pytest.raises(BrokenProcessPool):
            ex.submit(pow, 2, 2)
        with pytest.raises(BrokenProcessPool):
            list(ex.map(fastprime.is_prime, range(100)))


def test_crash_fails_the_chunks_in_flight():
    # The chunks are bigger than a pipe's buffer: on Python 3.10 the standard library's
    # pool would hang here after the crash (gh-94777); fastprime's pool has the fix.
    with fastprime.Executor(1, backend="process") as ex:
        ex.submit(pow, 2, 2).result(timeout=LONG)  # the worker is up
        crash = ex.submit(os._exit, 1)  # runs before the chunks queued behind it
        with pytest.raises(BrokenProcessPool):
            list(ex.map(fastprime.is_prime, range(2**40, 2**40 + 200_000)))
        with pytest.raises(BrokenProcessPool):
            crash.result(timeout=LONG)


# -- the batch call behind the thread backend's chunks --------------------------------


class _Index:
    """An __index__ that may run any code: here, code that changes the list being read."""

    def __init__(self, value, action=None):
        self.value = value
        self.action = action

    def __index__(self):
        if self.action is not None:
            self.action()
        return self.value


def test_batch_flags_match_the_scalar_function(impl):
    rnd = random.Random(7)
    values = [rnd.getrandbits(rnd.randint(1, 70)) for _ in range(3000)]
    values += [-3, 0, 1, 2, True, False, 2**64 - 59, 2**64, 2**64 + 13, 2**89 - 1, -(2**70)]
    expected = bytes(impl.is_prime(v) for v in values)
    assert impl.is_prime_flags(values) == expected
    assert impl.is_prime_flags(tuple(values)) == expected
    assert impl.is_prime_flags(iter(values)) == expected
    assert impl.is_prime_many(values) == [bool(b) for b in expected]
    # A range of the input, read in place; a stop beyond the end is clamped, as a slice is.
    assert impl.is_prime_flags(values, 100, 2000) == expected[100:2000]
    assert impl.is_prime_flags(values, 2990, 10**9) == expected[2990:]
    assert impl.is_prime_flags(values, 5000) == b""


def test_batch_leaves_big_numbers_to_the_caller(impl):
    # Numbers above 2**128 (the compiled kernel tests those below in the batch).
    values = [7, 2**128 + 51, 8, 2**521 - 1, 2**128 + 53, 11]
    big = []
    flags = impl.is_prime_flags(values, 1, None, big)
    assert flags == bytes([0, 0, 0, 0, 1])
    assert big == [(0, 2**128 + 51), (2, 2**521 - 1), (3, 2**128 + 53)]


def test_batch_reads_other_integer_types(impl):
    np = pytest.importorskip("numpy")
    values = [np.uint64(2**64 - 59), np.int8(-7), np.int64(97), _Index(101), 1 << 1000, 3]
    assert impl.is_prime_flags(values) == bytes([1, 0, 1, 1, 0, 1])


def test_batch_refuses_a_non_integer_by_name(impl):
    with pytest.raises(TypeError, match="'float'"):
        impl.is_prime_flags([2, 3, 5.0, 7])


def test_batch_survives_a_list_changed_by_index(impl):
    # __index__ code that empties the list being read: the answers are those of the
    # items as they were when reached, and nothing reads freed memory.
    values = [7, 8]
    values += [_Index(11, values.clear)] + [(1 << 61) - 1] * 10_000 + [4]
    flags = impl.is_prime_flags(values)
    assert flags == bytes([1, 0, 1] + [1] * 10_000 + [0])
    assert values == []


def test_batch_reads_a_list_shortened_meanwhile(impl):
    # Another thread shortens the list while it is read (the compiled twin releases the
    # GIL between blocks): the answers are those of the items as read, up to where the
    # list ended; nothing past its end is read.
    rnd = random.Random(11)
    values = [rnd.getrandbits(64) | 1 for _ in range(200_000)]
    expected = impl.is_prime_flags(values)
    stop = threading.Event()

    def shorten():
        while values and not stop.is_set():
            del values[-500:]
            stop.wait(0.0002)

    thread = threading.Thread(target=shorten)
    thread.start()
    cut_short = 0
    try:
        while values:
            before = len(values)
            flags = impl.is_prime_flags(values)
            assert len(values) <= len(flags) <= before
            assert flags == expected[: len(flags)]
            cut_short += len(flags) < before
    finally:
        stop.set()
        thread.join()
    if impl.__name__.endswith("_cfastprime"):
        assert cut_short  # the case under test did happen


def _bool_refs():
    return sys.getrefcount(True), sys.getrefcount(False)


def _balanced(body, attempts=5):
    """Whether ``body()`` leaves the counts of True and False where they were.

    Another thread may change them meanwhile (an event loop left behind by a dask test,
    a worker finishing a chunk), so a run that is off is tried again: a leak is off on
    every try, another thread's traffic is not.
    """
    for _ in range(attempts):
        gc.collect()
        before = _bool_refs()
        body()
        gc.collect()
        if _bool_refs() == before:
            return True
    return False


@pytest.mark.parametrize("taken", [0, 1, 2500, 4999, 5000, 7500, 10_002])
def test_chain_results_references_balance(impl, taken):
    # The compiled twin pays for a chunk's references up front (where bools are mortal)
    # and refunds the unread ones: whatever is read, and wherever the reader stops, the
    # counts of True and False come back to where they were.
    flags = bytearray([1, 0, 0, 1, 0] * 1000)

    def body():
        it = impl.chain_results([flags, bytes(flags), [True, False]], 10_002)
        got = list(itertools.islice(it, taken))
        assert got == ([bool(b) for b in flags] * 2 + [True, False])[:taken]

    assert _balanced(body)


def test_chain_results_references_balance_on_error(impl):
    def chunks():
        yield bytearray([1, 0, 1])
        raise ValueError("from the chunks")

    def body():
        it = impl.chain_results(chunks())
        got = [next(it) for _ in range(3)]
        with pytest.raises(ValueError, match="from the chunks"):
            next(it)
        assert got == [True, False, True]

    assert _balanced(body)


def test_is_prime_many_references_balance(impl):
    values = list(range(10_000))

    def body():
        assert impl.is_prime_many(values) == [impl.is_prime(v) for v in values]

    assert _balanced(body)


def test_chain_results(impl):
    chunks = [bytearray([1, 0]), [5, None], b"\x01", [], bytearray(), (x for x in "ab")]
    assert list(impl.chain_results(chunks)) == [True, False, 5, None, True, "a", "b"]
    assert list(impl.chain_results([], 0)) == []


def test_chain_results_length_hint(impl):
    import operator

    it = impl.chain_results([bytearray(3), [1, 2]], 5)
    next(it)
    if impl.__name__.endswith("_cfastprime"):
        assert operator.length_hint(it) == 4
    assert list(it) == [False, False, 1, 2]


def test_map_over_a_range_longer_than_maxsize(impl, shared):
    start = 10**30
    it = shared.map(impl.is_prime, range(start, 10**31))
    got = list(itertools.islice(it, 300))
    assert got == [impl.is_prime(n) for n in range(start, start + 300)]
