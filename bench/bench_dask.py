"""fastprime on dask.distributed vs the local fastprime.Executor, side by side.

    python bench/bench_dask.py                # LocalCluster(2 x 1 thread) vs Executor(2)
    python bench/bench_dask.py --quick        # smaller sizes (a smoke run)
    python bench/bench_dask.py --sweep        # per-task cost and chunk-size / in-flight sweeps
    python bench/bench_dask.py --scheduler tcp://host:8786   # a real cluster (see below)

Rows: ``list(ex.map(is_prime, ...))`` over 10^7 numbers (target <= 1.3x the local
``Executor(2)``), ``is_prime_array`` of a dask array of 10^8 uint64 (<= 1.3x the local
``is_prime_array(workers=2)``), ``count_primes(0, 10**11, executor=ex)`` (<= 1.15x the
local ``count_primes(0, 10**11, workers=2)``; ``--count-n 0`` skips it), and the
1-worker vs the 2-worker cluster.  Medians of --repeat runs (default 5); ratio = dask
time / local time (lower is better).

Pointing it at a real multi-machine cluster (see also bench/README.md)
----------------------------------------------------------------------
Start a scheduler and workers with fastprime (and the same numpy/dask versions)
installed on every machine::

    machine A:  dask scheduler --port 8786
    machines B…: dask worker tcp://A:8786 --nworkers 1 --nthreads <cores>

then, on the client machine::

    python bench/bench_dask.py --scheduler tcp://A:8786

The local baselines still run on the client machine (with --local-workers threads,
default 2), so the ratios compare the cluster with this machine.  The
1-worker-vs-2-worker comparison needs LocalClusters and is skipped.  The input
arrays are generated on the client and shipped to the workers (the dask-array case
is timed both with the data already on the cluster — persisted — and including the
shipping), so on a real network the map case measures the network too: 8 bytes per
64-bit number out, 1 bit back.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import warnings


def median_time(fn, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), times


def line(label, local, dask_t, target=None, best=None):
    ratio = dask_t / local
    verdict = "" if target is None else ("  ok" if ratio <= target else f"  OVER target {target}x")
    extra = "" if best is None else f"   (best runs: {best[0]:.3f} vs {best[1]:.3f} s, {best[1] / best[0]:.2f}x)"
    print(f"  {label:<58} local {local:7.3f} s   dask {dask_t:7.3f} s   ratio {ratio:5.2f}x{verdict}{extra}", flush=True)


def random_odd_u64(np, n, seed=12345):
    rng = np.random.default_rng(seed)
    out = rng.integers(0, 2**63, size=n, dtype=np.uint64)
    out <<= np.uint64(1)
    out |= np.uint64(1)
    return out


def _process_cpu():
    import psutil

    times = psutil.Process().cpu_times()
    return times.user + times.system


def workers_cpu(client):
    """CPU seconds used so far by the client's worker processes (0 without a client)."""
    if client is None:
        return 0.0
    return sum(client.run(_process_cpu).values())


def per_task_cost(client, n=400):
    """Wall time per trivial task, in a stream with 2 tasks per thread in flight."""
    from collections import deque

    slots = 2 * sum(client.nthreads().values())
    futures = deque()
    start = time.perf_counter()
    for i in range(n):
        futures.append(client.submit(abs, i, pure=False))
        if len(futures) >= slots:
            futures.popleft().result()
    while futures:
        futures.popleft().result()
    return (time.perf_counter() - start) / n


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scheduler", help="address of a running dask scheduler (default: LocalClusters)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--map-n", type=float, default=1e7)
    parser.add_argument("--array-n", type=float, default=1e8)
    parser.add_argument("--array-chunk", type=int, default=1 << 22)
    parser.add_argument("--count-n", type=float, default=1e11,
                        help="count_primes(0, N) on the cluster vs local (0: skip the row)")
    parser.add_argument("--count-repeat", type=int, default=None,
                        help="runs of the count_primes row (default: --repeat); it is the slow one")
    parser.add_argument("--local-workers", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="10x smaller inputs, 3 repeats")
    parser.add_argument("--sweep", action="store_true", help="also sweep chunk sizes and chunks in flight")
    args = parser.parse_args()
    if args.quick:
        args.map_n, args.array_n, args.count_n, args.repeat = args.map_n / 10, args.array_n / 10, args.count_n / 10, 3

    import dask
    import dask.array as da
    import numpy as np
    from dask.distributed import Client, LocalCluster, futures_of

    import fastprime
    from fastprime import _ranges

    warnings.filterwarnings("ignore", message="Sending large graph")
    n_map, n_arr, repeat = int(args.map_n), int(args.array_n), args.repeat
    n_count = int(args.count_n)
    count_repeat = args.count_repeat or repeat
    print(f"fastprime {fastprime.__version__} ({fastprime.implementation}), dask {dask.__version__}, "
          f"{os.cpu_count()} CPUs, medians of {repeat} runs")
    if n_count and _ranges.engine_for(0, n_count) is None:
        print("  note: count_primes runs on the pure-Python range engine here (the compiled one, "
              "fastprime._cranges, is not built): slow on both sides")

    numbers = random_odd_u64(np, n_map)
    big = random_odd_u64(np, n_arr, seed=999)
    expected_map = fastprime.is_prime_array(numbers).tolist()
    expected_arr = fastprime.is_prime_array(big)

    # The machine may be shared: every repetition runs each variant once, in turn, so
    # they all see the same background load; the medians are then compared.
    local_ex = fastprime.Executor(args.local_workers)
    cases = {"map": {"local": lambda: list(local_ex.map(fastprime.is_prime, numbers))},
             "array": {"local": lambda: fastprime.is_prime_array(big, workers=args.local_workers),
                       # A control: how much this machine scales from 1 to 2 threads right
                       # now (others' load on a shared machine caps any speed-up).
                       "local-1": lambda: fastprime.is_prime_array(big, workers=1)},
             "array shipped": {},
             "count": {}}
    expected_count = None
    if n_count:
        cases["count"]["local"] = lambda: fastprime.count_primes(0, n_count, workers=args.local_workers)
    stack = []
    clients = {}
    if args.scheduler:
        clusters = [("cluster", Client(args.scheduler))]
    else:
        clusters = []
        for workers in (2, 1):
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
            stack.append(cluster)
            clusters.append((workers, Client(cluster)))
    for name, client in clusters:
        stack.append(client)
        clients[name] = client
        ex = fastprime.Executor(backend=client)
        threads = sum(client.nthreads().values())
        print(f"{name if name == 'cluster' else f'LocalCluster({name} x 1 thread)'}: {len(client.nthreads())} workers, "
              f"{threads} threads, {ex.max_workers} chunks in flight; "
              f"per-task cost {per_task_cost(client) * 1e3:.2f} ms (trivial tasks, streamed)", flush=True)
        assert list(ex.map(fastprime.is_prime, numbers)) == expected_map, "map results differ"
        # Explicitly on this client (the default client is the one created last).
        xp = client.persist(da.from_array(big, chunks=args.array_chunk))  # the data lives on the cluster
        dask.distributed.wait(futures_of(xp))
        placed = sorted(len(keys) for keys in client.has_what().values())
        print(f"  {len(xp.chunks[0])} blocks of {args.array_chunk} numbers persisted, per worker: {placed}", flush=True)
        flags = fastprime.is_prime_array(xp)  # lazy: a dask array
        assert (client.compute(flags, sync=True) == expected_arr).all(), "dask array results differ"
        cases["map"][name] = lambda ex=ex: list(ex.map(fastprime.is_prime, numbers))
        cases["array"][name] = lambda client=client, flags=flags: client.compute(flags, sync=True)
        if name in (2, "cluster"):
            cases["array shipped"][name] = lambda client=client: client.compute(
                fastprime.is_prime_array(da.from_array(big, chunks=args.array_chunk, name=False)), sync=True)
            if n_count:
                cases["count"][name] = lambda ex=ex: fastprime.count_primes(0, n_count, executor=ex)
        if args.sweep and name in (2, "cluster"):
            sweep(client, ex, numbers, repeat)

    print(f"timing, load average before: {os.getloadavg()[0]:.1f}", flush=True)
    times = {case: {name: [] for name in variants} for case, variants in cases.items()}
    cpu = {case: {name: [] for name in variants} for case, variants in cases.items()}
    for run in range(max(repeat, count_repeat)):
        for case, variants in cases.items():
            if run >= (count_repeat if case == "count" else repeat):
                continue
            for name, fn in variants.items():
                # CPU seconds of every process doing the work (this one: the caller, the
                # local threads and, for a LocalCluster, its scheduler; plus the workers):
                # unlike wall time, barely changed by other load on a shared machine.
                cpu_start = time.process_time() + workers_cpu(clients.get(name))
                t = time.perf_counter()
                result = fn()
                if case == "count":  # both sides must agree
                    expected_count = result if expected_count is None else expected_count
                    assert result == expected_count, f"count_primes differs: {result} vs {expected_count}"
                times[case][name].append(time.perf_counter() - t)
                cpu[case][name].append(time.process_time() + workers_cpu(clients.get(name)) - cpu_start)
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    med = {case: {name: statistics.median(ts) for name, ts in names.items() if ts} for case, names in times.items()}
    main_name = "cluster" if args.scheduler else 2

    print()
    print(f"Results ({'cluster ' + args.scheduler if args.scheduler else 'LocalCluster(n_workers=2, threads_per_worker=1)'}"
          f" vs local, {args.local_workers} workers; medians of {repeat}):")
    best = {case: {name: min(ts) for name, ts in names.items() if ts} for case, names in times.items()}
    line(f"list(ex.map(is_prime, {n_map:.0e} odd u64 numpy)) vs Executor({args.local_workers})",
         med["map"]["local"], med["map"][main_name], 1.3, (best["map"]["local"], best["map"][main_name]))
    line(f"is_prime_array(dask array {n_arr:.0e} u64, persisted).compute()",
         med["array"]["local"], med["array"][main_name], 1.3, (best["array"]["local"], best["array"][main_name]))
    line("  same, input shipped from the client (from_array)", med["array"]["local"], med["array shipped"][main_name])
    if n_count:
        line(f"count_primes(0, {n_count:.0e}, executor=ex) vs workers={args.local_workers}",
             med["count"]["local"], med["count"][main_name], 1.15, (best["count"]["local"], best["count"][main_name]))
    if not args.scheduler:
        print("1-worker cluster vs 2-worker cluster (speed-up, >= 1.8x expected):")
        print(f"  map:        {med['map'][1]:.3f} s / {med['map'][2]:.3f} s = {med['map'][1] / med['map'][2]:.2f}x")
        print(f"  dask array: {med['array'][1]:.3f} s / {med['array'][2]:.3f} s = {med['array'][1] / med['array'][2]:.2f}x")
        print(f"  control, local is_prime_array workers=1 vs 2: {med['array']['local-1']:.3f} s / "
              f"{med['array']['local']:.3f} s = {med['array']['local-1'] / med['array']['local']:.2f}x "
              "(what the machine allowed during the run)")
    cmed = {case: {name: statistics.median(ts) for name, ts in names.items() if ts} for case, names in cpu.items()}
    print("CPU seconds, all processes (medians; the overhead of the work's distribution, whatever the load):")
    for case in ("map", "array", "array shipped", "count"):
        for name in cmed[case]:
            if name in ("local", "local-1"):
                continue
            base = cmed[case]["local"] if case != "array shipped" else cmed["array"]["local"]
            if not base:
                continue
            ratio = cmed[case][name] / base
            print(f"  {case:<14} {str(name):<8} dask {cmed[case][name]:7.3f} s   local {base:7.3f} s   ratio {ratio:5.2f}x")
    print("all runs (s):")
    for case, names in times.items():
        for name, ts in names.items():
            print(f"  {case:<14} {str(name):<8} " + " ".join(f"{t:.3f}" for t in ts))
    local_ex.shutdown()
    for item in reversed(stack):
        item.close()


def sweep(client, ex, numbers, repeat):
    """How the chunk size and the chunks in flight change the map time."""
    import fastprime
    from fastprime._executor.dask import DaskExecutor, feed

    print("sweep: list(ex.map(is_prime, numbers)) with fixed chunk sizes (tasks, time, per-task cost estimate)")
    times = {}
    saved = feed.ChunkSizes.next
    try:
        for shift in (16, 17, 18, 19, 20, 21, 22):
            size = 1 << shift
            feed.ChunkSizes.next = lambda self, read, size=size: size
            t, _ = median_time(lambda: list(ex.map(fastprime.is_prime, numbers)), repeat)
            times[size] = (t, -(-len(numbers) // size))
            print(f"  chunk 2^{shift}: {times[size][1]:4d} tasks  {t:.3f} s", flush=True)
    finally:
        feed.ChunkSizes.next = saved
    (t_small, n_small), (t_big, n_big) = times[1 << 17], times[1 << 21]
    print(f"  => marginal cost per task ~ {(t_small - t_big) / (n_small - n_big) * 1e3:.2f} ms "
          f"(2^17 vs 2^21 chunks)")
    print("sweep: chunks in flight per cluster thread (adaptive chunk sizes)")
    threads = sum(client.nthreads().values())
    for factor in (1, 2, 3, 4):
        probe = DaskExecutor(client, max_workers=factor * threads)
        t, _ = median_time(lambda probe=probe: list(probe.map(fastprime.is_prime, numbers)), repeat)
        print(f"  {factor} per thread ({factor * threads} in flight): {t:.3f} s", flush=True)


if __name__ == "__main__":
    main()
