"""fastprime on a dask.distributed cluster: ``DaskExecutor`` and ``is_prime_dask_array``.

``fastprime.Executor(backend=client)`` delegates to ``DaskExecutor(client, max_workers)``;
``fastprime.is_prime_array(dask_array)`` returns ``is_prime_dask_array(dask_array)``;
``count_primes``/``primes``/``is_prime_array(..., executor=ex)`` spread their pieces over
any executor (this one too) with ``fastprime._parallel.map_on_executor``.

>>> from dask.distributed import Client                            # doctest: +SKIP
>>> with fastprime.Executor(backend=Client("tcp://scheduler:8786")) as ex:  # doctest: +SKIP
...     flags = list(ex.map(fastprime.is_prime, numbers))

dask is imported lazily (``deps``), never by ``import fastprime`` nor by importing this
package; when it is missing, the first use raises an ``ImportError`` naming the extra,
``pip install "pyfastprime[dask]"``.  Workers need fastprime installed: the compiled
functions pickle by reference, and so do the task functions (``worker``).

How the batched ``map`` works (``fn`` is ``fastprime.is_prime``, ``next_prime`` or
``prev_prime``, of either implementation, with one iterable):

- the input is read lazily in chunks (``feed.Source``); a 1-D numpy integer array, a
  list, a tuple or a range is sliced (no per-item Python code on the client); a list
  slice of ints that fit in 64 bits is sent as a uint64 array (``array('Q', part)``,
  one C loop), a range as ``arange`` arithmetic; anything else (big ints, floats,
  strings...) goes as a list and the worker applies exactly the checks the local
  functions apply;
- each chunk is ONE dask task with a unique key (``fastprime-<kind>-<map id>-<n>``):
  never merged with an identical chunk, so cancelling one map's chunk cannot cancel
  another's, and no time is spent hashing megabytes of data to make a key;
- at most ``max_workers`` chunks are in flight per map, plus the one whose results are
  being read (``feed.MapWindow``: memory stays flat on an endless iterator; the next
  chunk is submitted as soon as a chunk's results arrive, before they are read);
- chunk sizes adapt (``feed.ChunkSizes``): each task reports its own compute time, and
  the next chunks are sized for ``TASK_SECONDS`` of work (so the measured per-task
  cost of the scheduler, 4-10 ms, stays below 5% of the work), shrinking towards the
  end of an input of known length so the workers finish together, never below
  ``MIN_TASK_SECONDS`` of work;
- on the worker (``worker.chunk_task``), a chunk of integers runs
  ``is_prime_array(chunk, workers=<the worker's nthreads>)`` (GIL-free, every thread of
  the worker); ``is_prime`` results come back as packed bits (``numpy.packbits``: 1 bit
  per number) and are expanded lazily, chunk by chunk, on the client;
- an item that raises (``is_prime("x")``, ``prev_prime(2)``) makes the iterator yield
  every result before it, then raise the same exception (type and message) at that
  item, exactly as the local ``fastprime.Executor.map`` does.

Modules: ``deps`` (dask and numpy, on first use; ``DASK_MISSING``), ``worker`` (what
runs on the workers), ``feed`` (input into chunks, chunk sizes, the map window),
``executor`` (``DaskExecutor``), ``arrays`` (``is_prime_dask_array``, ``is_dask_array``).
"""

from .arrays import is_dask_array, is_prime_dask_array
from .deps import DASK_MISSING
from .executor import DaskExecutor, SchedulerUnavailableError

__all__ = [
    "DaskExecutor",
    "SchedulerUnavailableError",
    "is_prime_dask_array",
    "is_dask_array",
    "DASK_MISSING",
]
