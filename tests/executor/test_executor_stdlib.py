"""CPython's own checks of an executor, run against ``fastprime.Executor``.

A port of ``Lib/test/test_concurrent_futures`` (``executor.py``: ExecutorTest;
``test_thread_pool.py``: ThreadPoolExecutorTest; ``test_shutdown.py``: the thread-
and process-pool shutdown tests; plus the basics of ``test_wait``, ``test_as_completed``
and ``test_init``), with ``ThreadPoolExecutor``/``ProcessPoolExecutor`` replaced by
``fastprime.Executor(backend="thread"|"process")``.  Sleeps are shortened, and tests
of CPython internals are kept only where they say something about this executor.
The thread-pool internals the originals inspect (``_threads``, ``_processes``) are
those of the pool ``fastprime.Executor`` wraps, ``executor._pool``.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
import weakref
from concurrent import futures
from operator import add
from pathlib import Path

import pytest

import fastprime
from fastprime.executor import HAS_BUFFERSIZE, default_max_workers, gil_enabled

# The process backend uses the standard library's default start method, "fork" on Linux
# before Python 3.14, which warns (3.12+) when the process has threads, as this test
# process always has: the standard library's ProcessPoolExecutor would warn the same.
pytestmark = pytest.mark.filterwarnings("ignore:This process .* is multi-threaded, use of fork:DeprecationWarning")

WORKERS = 5  # CPython's ExecutorMixin.worker_count
LONG = 60.0  # generous bound for waits that should never be reached
SRC = str(Path(fastprime.__file__).resolve().parent.parent)

BACKENDS = ["thread", "process"]


def mul(x, y):
    return x * y


def capture(*args, **kwargs):
    return args, kwargs


class MyObject:
    def my_method(self):
        pass


def make_dummy_object(_):
    return MyObject()


def raiser(exception, msg="std"):
    raise exception(msg)


def timeout_on_one(x):
    if x == 1:
        raise TimeoutError
    return x


class FalseyBoolException(Exception):
    def __bool__(self):
        return False


class FalseyLenException(Exception):
    def __len__(self):
        return 0


def _stdlib_raises_falsey() -> bool:
    future = futures.Future()
    future.set_exception(FalseyBoolException("probe"))
    try:
        future.result()
    except FalseyBoolException:
        return True
    return False


# The futures are the standard library's: where its Future has the bug, so does ours.
STDLIB_RAISES_FALSEY = _stdlib_raises_falsey()


def fork_context():
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("needs the fork start method")
    return multiprocessing.get_context("fork")


def make(backend, max_workers=WORKERS, **options):
    return fastprime.Executor(max_workers, backend=backend, **options)


@pytest.fixture(params=BACKENDS)
def executor(request):
    ex = make(request.param)
    yield ex
    ex.shutdown(wait=True)


def run_python(code: str) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter that imports this fastprime."""
    env = dict(os.environ)
    env["PYTHONPATH"] = SRC + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=LONG
    )


# -- ExecutorTest (Lib/test/test_concurrent_futures/executor.py) ----------------------


class TestExecutor:
    def test_submit(self, executor):
        future = executor.submit(pow, 2, 8)
        assert future.result() == 256

    def test_submit_keyword(self, executor):
        future = executor.submit(mul, 2, y=8)
        assert future.result() == 16
        future = executor.submit(capture, 1, self=2, fn=3)
        assert future.result() == ((1,), {"self": 2, "fn": 3})
        with pytest.raises(TypeError):
            executor.submit(fn=capture, arg=1)
        with pytest.raises(TypeError):
            executor.submit(arg=1)

    def test_map(self, executor):
        assert list(executor.map(pow, range(10), range(10))) == list(map(pow, range(10), range(10)))
        assert list(executor.map(pow, range(10), range(10), chunksize=3)) == list(map(pow, range(10), range(10)))

    def test_map_exception(self, executor):
        i = executor.map(divmod, [1, 1, 1, 1], [2, 3, 0, 5])
        assert next(i) == (0, 1)
        assert next(i) == (0, 1)
        with pytest.raises(ZeroDivisionError):
            next(i)

    def test_map_timeout_from_callable(self, executor):
        # A TimeoutError from the callable is not the map() timeout.
        i = executor.map(timeout_on_one, [0, 1, 2, 3])
        assert next(i) == 0
        with pytest.raises(TimeoutError):
            next(i)

    def test_map_timeout(self):
        # The original sleeps 6 s against a 5 s timeout; an event is quicker and exact.
        release = threading.Event()
        with make("thread") as executor:
            results = []
            try:
                with pytest.raises(futures.TimeoutError):
                    for result in executor.map(lambda t: release.wait(t) if t else None, [0, 0, LONG], timeout=0.5):
                        results.append(result)
            finally:
                release.set()
        # gh-110097: on a loaded machine the workers may start after the timeout.
        assert results in ([None, None], [None], [])

    def test_map_timeout_process(self):
        with make("process", 2) as executor:
            results = []
            with pytest.raises(futures.TimeoutError):
                for result in executor.map(time.sleep, [0, 0, 1.5], timeout=0.5):
                    results.append(result)
            assert results in ([None, None], [None], [])

    @pytest.mark.skipif(not HAS_BUFFERSIZE, reason="map(buffersize=) is new in Python 3.14")
    def test_map_buffersize_type_validation(self, executor):
        for buffersize in ("foo", 2.0):
            with pytest.raises(TypeError, match="buffersize must be an integer or None"):
                executor.map(str, range(4), buffersize=buffersize)

    @pytest.mark.skipif(not HAS_BUFFERSIZE, reason="map(buffersize=) is new in Python 3.14")
    def test_map_buffersize_value_validation(self, executor):
        for buffersize in (0, -1):
            with pytest.raises(ValueError, match="buffersize must be None or "):
                executor.map(str, range(4), buffersize=buffersize)

    @pytest.mark.skipif(not HAS_BUFFERSIZE, reason="map(buffersize=) is new in Python 3.14")
    def test_map_buffersize(self, executor):
        ints = range(4)
        for buffersize in (1, 2, len(ints), len(ints) * 2):
            assert list(executor.map(str, ints, buffersize=buffersize)) == ["0", "1", "2", "3"]
            assert list(executor.map(add, ints, ints, buffersize=buffersize)) == [0, 2, 4, 6]

    @pytest.mark.skipif(not HAS_BUFFERSIZE, reason="map(buffersize=) is new in Python 3.14")
    def test_map_buffersize_on_infinite_iterable(self, executor):
        res = executor.map(str, itertools.count(), buffersize=2)
        assert [next(res, None) for _ in range(3)] == ["0", "1", "2"]
        res = executor.map(add, itertools.count(), itertools.count(), buffersize=2)
        assert [next(res, None) for _ in range(3)] == [0, 2, 4]

    @pytest.mark.skipif(not HAS_BUFFERSIZE, reason="map(buffersize=) is new in Python 3.14")
    def test_map_buffersize_edges(self, executor):
        assert next(executor.map(str, [], buffersize=2), None) is None
        assert next(executor.map(str, buffersize=2), None) is None

    @pytest.mark.skipif(not HAS_BUFFERSIZE, reason="map(buffersize=) is new in Python 3.14")
    def test_map_buffersize_when_buffer_is_full(self, executor):
        ints = iter(range(4))
        executor.map(str, ints, buffersize=2)
        executor.shutdown(wait=True)
        assert next(ints) == 2

    @pytest.mark.skipif(HAS_BUFFERSIZE, reason="this Python's map() has buffersize")
    def test_map_has_no_buffersize_before_3_14(self, executor):
        # As ThreadPoolExecutor.map before 3.14: an unknown keyword argument.
        with pytest.raises(TypeError, match="buffersize"):
            executor.map(str, range(4), buffersize=2)
        with pytest.raises(TypeError, match="buffersize"):
            executor.map(fastprime.is_prime, range(4), buffersize=2)

    def test_shutdown_race_issue12456(self, executor):
        executor.map(str, [2] * (WORKERS + 1))
        executor.shutdown()

    @pytest.mark.skipif(sys.implementation.name != "cpython", reason="relies on reference counting")
    def test_no_stale_references(self, executor):
        # Issue #16284: the executor must not keep submitted callables alive.
        my_object = MyObject()
        collected = threading.Event()

        def set_event():
            if not gil_enabled():
                threading.Thread(target=collected.set).start()
            else:
                collected.set()

        my_object_callback = weakref.ref(my_object, lambda obj: set_event())  # noqa: F841
        executor.submit(pow, 2, 3)  # warm the pool up
        if executor.backend == "thread":
            executor.submit(my_object.my_method)
        else:
            executor.submit(make_dummy_object, my_object)
        del my_object
        deadline = time.monotonic() + LONG
        while not collected.is_set() and time.monotonic() < deadline:
            gc.collect()
            collected.wait(0.1)
        assert collected.is_set(), "stale reference not collected"

    def test_max_workers_negative(self, executor):
        for number in (0, -1):
            with pytest.raises(ValueError, match="max_workers must be greater than 0"):
                make(executor.backend, max_workers=number)

    def test_free_reference(self, executor):
        # Issue #14406: the result iterator must not keep results alive.
        for obj in executor.map(make_dummy_object, range(10)):
            wr = weakref.ref(obj)
            del obj
            gc.collect()
            deadline = time.monotonic() + LONG
            while wr() is not None and time.monotonic() < deadline:
                time.sleep(0.01)
            assert wr() is None

    @pytest.mark.skipif(
        not STDLIB_RAISES_FALSEY, reason="gh-132063: this Python's Future swallows falsey exceptions"
    )
    def test_swallows_falsey_exceptions(self, executor):
        # gh-132063: exceptions that are falsey must still be raised.
        with pytest.raises(FalseyBoolException, match="boolbool"):
            executor.submit(raiser, FalseyBoolException, "boolbool").result()
        with pytest.raises(FalseyLenException, match="lenlen"):
            executor.submit(raiser, FalseyLenException, "lenlen").result()


# -- ThreadPoolExecutorTest (test_thread_pool.py) ------------------------------------


class TestThreadPool:
    def test_map_submits_without_iteration(self):
        # Issue 11777: map() submits its work when called, not when iterated.
        finished = []
        executor = make("thread")
        executor.map(finished.append, range(10))
        executor.shutdown(wait=True)
        assert sorted(finished) == list(range(10))

    def test_default_workers(self):
        # The standard library's min(32, cpus + 4) for the pool; the batched fast path
        # still runs on the usable cores (tests/executor/test_hardening.py).
        with fastprime.Executor(backend="thread") as executor:
            assert executor.max_workers == min(32, default_max_workers() + 4)
            assert executor._pool._max_workers == min(32, default_max_workers() + 4)

    def test_saturation(self):
        executor = make("thread", 4)
        sem = threading.Semaphore(0)
        for _ in range(15 * 4):
            executor.submit(sem.acquire)
        assert len(executor._pool._threads) == 4
        for _ in range(15 * 4):
            sem.release()
        executor.shutdown(wait=True)

    @pytest.mark.skipif(not gil_enabled(), reason="gh-117344: flaky without the GIL")
    def test_idle_thread_reuse(self):
        executor = fastprime.Executor(backend="thread")
        executor.submit(mul, 21, 2).result()
        executor.submit(mul, 6, 7).result()
        executor.submit(mul, 3, 14).result()
        assert len(executor._pool._threads) == 1
        executor.shutdown(wait=True)

    @pytest.mark.skipif(not hasattr(os, "register_at_fork"), reason="needs os.register_at_fork")
    @pytest.mark.filterwarnings("ignore:.*fork.*:DeprecationWarning")
    def test_hang_global_shutdown_lock(self):
        # bpo-45021: a process forked while a thread pool runs must be able to exit.
        context = fork_context()

        def submit(pool):
            pool.submit(submit, pool)

        with make("thread", 1) as pool:
            pool.submit(submit, pool)
            for _ in range(5):
                with fastprime.Executor(1, backend="process", mp_context=context) as workers:
                    workers.submit(tuple)

    @pytest.mark.skipif(not hasattr(os, "register_at_fork"), reason="needs os.register_at_fork")
    @pytest.mark.filterwarnings("ignore:.*fork.*:DeprecationWarning")
    def test_process_fork_from_a_threadpool(self):
        # bpo-43944: a process forked from a worker thread must not try to join it.
        context = fork_context()

        def fork_process_and_return_exitcode():
            p = context.Process(target=lambda: 1)
            p.start()
            p.join()
            return p.exitcode

        with futures.ThreadPoolExecutor(1) as pool:
            stdlib_exitcode = pool.submit(fork_process_and_return_exitcode).result()
        if stdlib_exitcode != 0:
            pytest.skip(f"with this Python, the standard library's ThreadPoolExecutor fails too (exit code {stdlib_exitcode})")
        with make("thread", 1) as pool:
            assert pool.submit(fork_process_and_return_exitcode).result() == 0

    def test_executor_map_current_future_cancel(self):
        stop_event = threading.Event()
        log = []

        def log_n_wait(ident):
            log.append(f"{ident=} started")
            try:
                stop_event.wait()
            finally:
                log.append(f"{ident=} stopped")

        with make("thread", 1) as pool:
            fut = pool.submit(log_n_wait, ident="first")
            try:
                gen = pool.map(log_n_wait, ["second", "third"], timeout=0)
                with pytest.raises(futures.TimeoutError):
                    next(gen)
                gen.close()
            finally:
                stop_event.set()
            fut.result()
        # 'second' is cancelled by the TimeoutError, 'third' by closing the iterator.
        assert log == ["ident='first' started", "ident='first' stopped"]


# -- ExecutorShutdownTest and the thread/process variants (test_shutdown.py) ----------


class TestShutdown:
    def test_run_after_shutdown(self, executor):
        executor.shutdown()
        with pytest.raises(RuntimeError):
            executor.submit(pow, 2, 5)
        with pytest.raises(RuntimeError):
            executor.map(pow, [2], [5])
        with pytest.raises(RuntimeError):
            executor.map(fastprime.is_prime, [2])

    @pytest.mark.parametrize("backend", BACKENDS)
    def test_interpreter_shutdown(self, backend):
        # Work still queued when the interpreter exits is finished first.
        result = run_python(
            "import time, fastprime\n"
            "if __name__ == '__main__':\n"
            f"    t = fastprime.Executor(1, backend={backend!r})\n"
            "    t.submit(time.sleep, 0.3)\n"
            "    t.submit(print, 'apple', flush=True)\n"
        )
        assert result.stderr == ""
        assert result.stdout.strip() == "apple"

    @pytest.mark.parametrize("backend", BACKENDS)
    def test_submit_after_interpreter_shutdown(self, backend):
        result = run_python(
            "import atexit\n"
            "@atexit.register\n"
            "def run_last():\n"
            "    try:\n"
            "        t.submit(id, None)\n"
            "    except RuntimeError:\n"
            "        print('runtime-error')\n"
            "        raise\n"
            "import fastprime\n"
            "if __name__ == '__main__':\n"
            f"    t = fastprime.Executor(5, backend={backend!r})\n"
            "    t.submit(id, 42).result()\n"
        )
        assert "RuntimeError: cannot schedule new futures" in result.stderr
        assert result.stdout.strip() == "runtime-error"

    def test_hang_issue12364(self, executor):
        fs = [executor.submit(time.sleep, 0.01) for _ in range(50)]
        executor.shutdown()
        for f in fs:
            f.result()

    def test_cancel_futures(self, executor):
        fs = [executor.submit(time.sleep, 0.1) for _ in range(50)]
        executor.shutdown(cancel_futures=True)
        # Not an exact count, but with 5 workers many of the 50 were still pending.
        cancelled = [fut for fut in fs if fut.cancelled()]
        assert len(cancelled) > 20
        others = [fut for fut in fs if not fut.cancelled()]
        for fut in others:
            assert fut.done()
            assert fut.exception() is None
        assert len(others) > 0

    def test_hang_gh83386(self):
        # shutdown(wait=False) does not hang at exit with running futures (threads).
        result = run_python(
            "import time, fastprime\n"
            "if __name__ == '__main__':\n"
            "    t = fastprime.Executor(max_workers=3, backend='thread')\n"
            "    t.submit(time.sleep, 0.3)\n"
            "    t.submit(print, 'apple', flush=True)\n"
            "    t.shutdown(wait=False)\n"
        )
        assert result.stderr == ""
        assert result.stdout.strip() == "apple"

    @pytest.mark.skipif(not hasattr(signal, "alarm"), reason="needs signal.alarm")
    def test_hang_gh94440(self, executor):
        # shutdown(wait=True) does not hang after a future is cancelled right before it.
        executor.submit(int).result()

        def timeout(_signum, _frame):
            raise RuntimeError("timed out waiting for shutdown")

        old_handler = signal.signal(signal.SIGALRM, timeout)
        try:
            signal.alarm(20)
            executor.submit(int).cancel()
            executor.shutdown(wait=True)
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, old_handler)


class TestThreadPoolShutdown:
    def test_threads_terminate(self):
        executor = make("thread")
        sem = threading.Semaphore(0)
        for _ in range(3):
            executor.submit(sem.acquire)
        assert len(executor._pool._threads) == 3
        for _ in range(3):
            sem.release()
        executor.shutdown()
        for t in executor._pool._threads:
            t.join(LONG)
            assert not t.is_alive()

    def test_context_manager_shutdown(self):
        with make("thread") as e:
            executor = e
            assert list(e.map(abs, range(-5, 5))) == [5, 4, 3, 2, 1, 0, 1, 2, 3, 4]
            assert list(e.map(fastprime.is_prime, range(-5, 5))) == [False] * 7 + [True, True, False]
        for t in executor._pool._threads:
            t.join(LONG)
            assert not t.is_alive()

    def test_del_shutdown(self):
        executor = make("thread")
        res = executor.map(abs, range(-5, 5))
        fast = executor.map(fastprime.is_prime, range(-5, 5))
        threads = executor._pool._threads
        del executor
        gc.collect()
        for t in threads:
            t.join(LONG)
            assert not t.is_alive()
        # The results were all computed before the executor went away.
        assert all(r == abs(v) for r, v in zip(res, range(-5, 5)))
        assert list(fast) == [fastprime.is_prime(v) for v in range(-5, 5)]

    def test_shutdown_no_wait(self):
        executor = make("thread")
        res = executor.map(abs, range(-5, 5))
        fast = executor.map(fastprime.next_prime, range(-5, 5))
        threads = executor._pool._threads
        executor.shutdown(wait=False)
        for t in threads:
            t.join(LONG)
            assert not t.is_alive()
        assert all(r == abs(v) for r, v in zip(res, range(-5, 5)))
        assert list(fast) == [fastprime.next_prime(v) for v in range(-5, 5)]

    def test_thread_names_assigned(self):
        executor = make("thread", thread_name_prefix="SpecialPool")
        executor.map(abs, range(-5, 5))
        threads = executor._pool._threads
        del executor
        gc.collect()
        for t in threads:
            assert t.name.startswith("SpecialPool_")
            assert t.name[len("SpecialPool_"):] in {"0", "1", "2", "3", "4"}
            t.join(LONG)

    def test_thread_names_default(self):
        executor = make("thread")
        executor.map(abs, range(-5, 5))
        threads = executor._pool._threads
        del executor
        gc.collect()
        import re

        for t in threads:
            assert re.search(r"ThreadPoolExecutor-\d+_[0-4]$", t.name)
            t.join(LONG)

    def test_cancel_futures_wait_false(self):
        result = run_python(
            "import time, fastprime\n"
            "if __name__ == '__main__':\n"
            "    t = fastprime.Executor(backend='thread')\n"
            "    t.submit(time.sleep, 0.1)\n"
            "    t.submit(print, 'apple', flush=True)\n"
            "    t.shutdown(wait=False, cancel_futures=True)\n"
        )
        assert result.stderr == ""
        # gh-116682: stdout may be empty if shutdown happens before the task starts.
        assert result.stdout.strip() in ("apple", "")


class TestProcessPoolShutdown:
    def test_processes_terminate(self):
        context = multiprocessing.get_context()
        executor = make("process", mp_context=context)
        for _ in range(3):
            executor.submit(time.sleep, 0.2)
        if context.get_start_method() == "fork":
            expected = WORKERS  # fork starts them all at once
        else:
            expected = 3
        assert len(executor._pool._processes) == expected
        processes = executor._pool._processes
        executor.shutdown()
        for p in processes.values():
            p.join(LONG)
            assert p.exitcode is not None

    def test_context_manager_shutdown(self):
        with make("process", 2) as e:
            processes = e._pool._processes
            assert list(e.map(abs, range(-5, 5))) == [5, 4, 3, 2, 1, 0, 1, 2, 3, 4]
            assert list(e.map(fastprime.is_prime, range(-5, 5))) == [False] * 7 + [True, True, False]
        for p in processes.values():
            p.join(LONG)
            assert p.exitcode is not None

    def test_del_shutdown(self):
        executor = make("process", 2)
        res = executor.map(abs, range(-5, 5))
        fast = executor.map(fastprime.is_prime, range(-5, 5))
        manager_thread = executor._pool._executor_manager_thread
        processes = executor._pool._processes
        call_queue = executor._pool._call_queue
        del executor
        gc.collect()
        manager_thread.join(LONG)
        assert not manager_thread.is_alive()
        for p in processes.values():
            p.join(LONG)
        call_queue.join_thread()
        assert all(r == abs(v) for r, v in zip(res, range(-5, 5)))
        assert list(fast) == [fastprime.is_prime(v) for v in range(-5, 5)]

    def test_shutdown_no_wait(self):
        executor = make("process", 2)
        res = executor.map(abs, range(-5, 5))
        fast = executor.map(fastprime.is_prime, range(-5, 5))
        processes = executor._pool._processes
        call_queue = executor._pool._call_queue
        manager_thread = executor._pool._executor_manager_thread
        executor.shutdown(wait=False)
        manager_thread.join(LONG)
        for p in processes.values():
            p.join(LONG)
        call_queue.join_thread()
        assert all(r == abs(v) for r, v in zip(res, range(-5, 5)))
        assert list(fast) == [fastprime.is_prime(v) for v in range(-5, 5)]


# -- test_wait.py, test_as_completed.py, test_future.py: real Futures -------------------


class TestFutures:
    def test_wait_first_completed(self):
        release = threading.Event()
        with make("thread") as executor:
            slow = executor.submit(release.wait, LONG)
            fast = executor.submit(mul, 21, 2)
            done, not_done = futures.wait([slow, fast], timeout=LONG, return_when=futures.FIRST_COMPLETED)
            assert fast in done
            assert slow in not_done
            release.set()
            done, not_done = futures.wait([slow, fast], timeout=LONG)
            assert done == {slow, fast} and not not_done

    def test_wait_first_exception(self, executor):
        bad = executor.submit(divmod, 1, 0)
        good = executor.submit(pow, 2, 10)
        done, _ = futures.wait([bad, good], timeout=LONG, return_when=futures.FIRST_EXCEPTION)
        assert bad in done
        assert isinstance(bad.exception(), ZeroDivisionError)

    def test_as_completed(self, executor):
        fs = {executor.submit(mul, i, i): i for i in range(10)}
        seen = {fs[f]: f.result() for f in futures.as_completed(fs, timeout=LONG)}
        assert seen == {i: i * i for i in range(10)}

    def test_callbacks_and_states(self, executor):
        called = threading.Event()
        results = []
        future = executor.submit(pow, 3, 4)
        future.add_done_callback(lambda f: (results.append(f.result()), called.set()))
        assert called.wait(LONG)
        assert results == [81]
        assert isinstance(future, futures.Future)
        assert future.done() and not future.cancelled() and not future.running()
        assert future.exception(timeout=LONG) is None

    def test_result_timeout_and_cancel(self):
        release = threading.Event()
        with make("thread", 1) as executor:
            blocker = executor.submit(release.wait, LONG)
            queued = executor.submit(pow, 2, 2)
            with pytest.raises(futures.TimeoutError):
                queued.result(timeout=0.05)
            with pytest.raises(futures.TimeoutError):
                queued.exception(timeout=0.05)
            assert queued.cancel()
            assert queued.cancelled()
            with pytest.raises(futures.CancelledError):
                queued.result()
            release.set()
            assert blocker.result(timeout=LONG) is True


# -- test_init.py: initializers -------------------------------------------------------

INITIALIZER_STATUS = "uninitialized"


def init(x):
    global INITIALIZER_STATUS
    INITIALIZER_STATUS = x


def get_init_status():
    return INITIALIZER_STATUS


def init_fail():
    raise ValueError("error in initializer")


class TestInitializer:
    def test_initializer(self, executor):
        options = {"initializer": init, "initargs": ("initialized",)}
        with make(executor.backend, 2, **options) as ex:
            assert [ex.submit(get_init_status).result() for _ in range(4)] == ["initialized"] * 4

    def test_initializer_failure(self, executor):
        with make(executor.backend, 2, initializer=init_fail) as ex:
            future = ex.submit(get_init_status)
            with pytest.raises(futures.BrokenExecutor):
                future.result(timeout=LONG)
            # The executor is broken: new work is refused, fast path included.
            deadline = time.monotonic() + LONG
            while time.monotonic() < deadline:
                try:
                    ex.submit(get_init_status)
                except futures.BrokenExecutor:
                    break
                time.sleep(0.01)
            with pytest.raises(futures.BrokenExecutor):
                ex.submit(get_init_status)
            with pytest.raises(futures.BrokenExecutor):
                list(ex.map(fastprime.is_prime, range(10)))
