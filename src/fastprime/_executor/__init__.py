"""The machinery behind ``fastprime.Executor``'s chunked ``map`` (internal).

Data flow of ``Executor(2).map(fastprime.is_prime, numbers)`` on the thread backend::

    caller's thread                          worker threads (pool)          helper processes
    ---------------                          ---------------------          ----------------
    executor.Executor.map
      tasks.fast_function(fn) -> "is_prime"
      window.chunked_map
        window._Window.fill ---- chunk ----> runners._thread_is_prime
          (reads `numbers` lazily;             tasks.batch_is_prime:
           at most max_in_flight items)          kernel is_prime_flags,
                                                 GIL released   --- n >= 2**64 --> offload._serve
                                                                <-- flags -------   (tasks.run_task)
        window._results <--- Outcome ---------  (flags, error)
      kernel chain_results: flags -> True/False, in order, one per number

- ``base``: what the pieces share: the ``Scheduler`` Protocol (how a runner submits
  a task; ``scheduler.PoolScheduler`` implements it over the executor's pool), chunks
  (``Span``), ``Outcome`` and ready-made futures.
- ``window``: reads the input into chunks, keeps a bounded number in flight, yields
  their results in order and raises an item's error at its position.
- ``runners``: turn a chunk into tasks: one per chunk on threads, cut by estimated cost
  (``cost``) on processes.
- ``tasks``: what a task computes (module-level functions, so processes can unpickle them).
- ``offload``: one helper process per worker thread for work that holds the GIL.
- ``process_pool``: ``ProcessPoolExecutor`` with the hangs CPython fixed later fixed here.
- ``dask/``: the same Executor on a dask.distributed cluster (``Executor(backend=client)``):
  compact chunks as dask tasks, a bounded number in flight; dask imported on first use.

Nothing here imports ``fastprime.executor``: the dependency runs one way.
"""
