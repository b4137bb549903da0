"""Benchmark the ``fastprime`` command on files of numbers against ``is_prime_array``.

The command streams a file through ``fastprime.Executor``; the yardstick is
``fastprime.is_prime_array`` (all cores) over the same numbers already in a numpy
array, the fastest way fastprime offers to test them.  In one run, interleaved
(A B A B ...), best of ``--repeat``, for each input it prints seconds per number
and the ratio command / array for:

  * ``fastprime --file F --count``           (parse + test, one line of output)
  * ``fastprime --file F --only-primes``     (output: the primes)
  * ``fastprime --file F``                   (output: 'N is prime: B' per line)
  * ``load + is_prime_array``: numpy parsing the same file, then the array call
    (what a numpy user would write instead of the command)

The command runs as a subprocess writing to /dev/null, so its figures include the
interpreter start; that start alone (the command on a file of 10,000 small numbers)
is printed too, and the last column is the ratio with it subtracted (what a long file
sees).

Inputs: random odd 64-bit numbers (cheap to test: most fall to trial division), the
largest primes below 2**64 (every test runs to the end), and 1..N (tiny numbers).

``--primes N`` (default 10,000,000; 0 skips it) times ``fastprime primes 0 STOP``, where
[0, STOP) holds the first N primes, against ``fastprime --file F --only-primes`` on a
file of the same N primes: the same N lines of output, in ns per line (issue 13: the
range must not be slower per line), with each one's peak RSS, and the cost of turning
a window's primes into text in-process (``format_primes``, one thread).

``--memory`` also streams ``seq 1 N`` into ``fastprime - --count`` for growing N and
prints the command's peak RSS, to show it stays flat (needs ``seq``; POSIX only).

    python bench/bench_cli.py                    # the figures in bench/README.md
    python bench/bench_cli.py --lines 200000     # quicker
    python bench/bench_cli.py --memory 100000000 # peak RSS up to 10**8 lines
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, List, Sequence

import numpy as np

import fastprime


def _command() -> List[str]:
    found = shutil.which("fastprime", path=sysconfig.get_path("scripts"))
    return [found] if found else [sys.executable, "-m", "fastprime"]


def _write_inputs(directory: Path, lines: int, seed: int) -> Dict[str, Path]:
    rng = np.random.default_rng(seed)
    random_odd = rng.integers(0, 2**64, lines, dtype=np.uint64, endpoint=False) | np.uint64(1)
    primes = np.empty(max(1, lines // 4), dtype=np.uint64)
    n = 2**64
    for i in range(len(primes)):
        n = fastprime.prev_prime(n)
        primes[i] = n
    inputs = {
        f"{lines:,} random odd 64-bit": random_odd,
        f"{len(primes):,} largest primes < 2**64": primes,
        f"1..{lines:,}": np.arange(1, lines + 1, dtype=np.uint64),
    }
    paths = {}
    for i, (label, values) in enumerate(inputs.items()):
        path = directory / f"input{i}.txt"
        path.write_bytes(("\n".join(map(str, values.tolist())) + "\n").encode())
        paths[label] = path
    return paths


def _time_command(argv: Sequence[str]) -> float:
    start = time.perf_counter()
    with open(os.devnull, "wb") as devnull:
        subprocess.run(argv, stdout=devnull, check=True)
    return time.perf_counter() - start


def _time_array(path: Path, load: bool, values: np.ndarray) -> float:
    start = time.perf_counter()
    if load:
        values = np.fromstring(path.read_bytes(), dtype=np.uint64, sep="\n")
    fastprime.is_prime_array(values)
    return time.perf_counter() - start


def _fmt(seconds: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def _benchmark(paths: Dict[str, Path], repeat: int) -> None:
    command = _command()
    # Start-up of a streamed run: the interpreter, fastprime, numpy (imported for inputs
    # of 64 KiB or more) and the executor, on a file whose testing takes no time.
    small = next(iter(paths.values())).with_name("start-up.txt")
    small.write_bytes(b"".join(b"%d\n" % n for n in range(10**6, 10**6 + 10_000)))
    startup = min(_time_command(command + ["--file", str(small), "--count"]) for _ in range(repeat))
    print(f"command start-up (fastprime --file F --count, F = 10,000 small numbers): {_fmt(startup)}\n")
    header = f"{'input':32} {'contender':34} {'per number':>11} {'÷ array':>8} {'excl. start-up':>15}"
    print(header)
    print("-" * len(header))
    for label, path in paths.items():
        values = np.fromstring(path.read_bytes(), dtype=np.uint64, sep="\n")
        count = len(values)
        # Same answers first: the command's count against the array's.
        expected = int(fastprime.is_prime_array(values).sum())
        got = subprocess.run(command + ["--file", str(path), "--count"], capture_output=True, text=True, check=True)
        if int(got.stdout) != expected:
            raise SystemExit(f"{label}: the command counted {got.stdout.strip()} primes, the array {expected}")
        file = command + ["--file", str(path)]
        contenders: Dict[str, Callable[[], float]] = {
            "is_prime_array (numbers in memory)": lambda p=path, v=values: _time_array(p, False, v),
            "np.fromstring + is_prime_array": lambda p=path, v=values: _time_array(p, True, v),
            "fastprime --file F --count": lambda f=file: _time_command(f + ["--count"]),
            "fastprime --file F --only-primes": lambda f=file: _time_command(f + ["--only-primes"]),
            "fastprime --file F": lambda f=file: _time_command(f),
        }
        best = {name: float("inf") for name in contenders}
        for _ in range(repeat):
            for name, run in contenders.items():
                best[name] = min(best[name], run())
        base = best["is_prime_array (numbers in memory)"]
        for name, seconds in best.items():
            line = f"{label:32} {name:34} {_fmt(seconds / count):>11} {seconds / base:>7.2f}x"
            if name.startswith("fastprime"):
                line += f" {(seconds - startup) / base:>14.2f}x"
            print(line)
        print()


def _peak_rss(argv: Sequence[str]) -> tuple[float, int]:
    """(seconds, peak RSS in KiB) of ``argv`` with stdout to /dev/null (POSIX)."""
    probe = (
        "import resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)\n"
        "print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True, text=True, check=True).stdout
    seconds, kib = out.split()
    return float(seconds), int(kib)


def _primes_row(directory: Path, count: int, repeat: int) -> None:
    from fastprime.cli.ranges import format_primes

    command = _command()
    # The first `count` primes, found a window at a time, written to a file.
    path = directory / "primes.txt"
    found, lo, width, last = 0, 0, 1 << 24, 0
    with open(path, "wb") as out:
        while found < count:
            window = fastprime.primes_array(lo, lo + width)[: count - found]
            if len(window):
                out.write(bytes(format_primes(window)))
                last = int(window[-1])
                found += len(window)
            lo += width
    stop = last + 1
    contenders = {
        f"fastprime primes 0 {stop}": command + ["primes", "0", str(stop)],
        "fastprime --file F --only-primes": command + ["--file", str(path), "--only-primes"],
    }
    got = subprocess.run(command + ["primes", "--count", "0", str(stop)], capture_output=True, text=True, check=True)
    if int(got.stdout) != count:
        raise SystemExit(f"fastprime primes --count 0 {stop} says {got.stdout.strip()}, expected {count}")
    best = {name: (float("inf"), 0) for name in contenders}
    for _ in range(repeat):
        for name, argv in contenders.items():
            seconds, kib = _peak_rss(argv)
            best[name] = (min(best[name][0], seconds), max(best[name][1], kib))
    print(f"{count:,} primes printed, best of {repeat} (stdout to /dev/null; peak RSS of the command):")
    base = best["fastprime --file F --only-primes"][0]
    for name, (seconds, kib) in best.items():
        print(f"  {name:40} {seconds / count * 1e9:7.1f} ns/line  {seconds / base:5.2f}x  {kib / 1024:6.1f} MiB")
    sample = fastprime.primes_array(10**9, 10**9 + (1 << 24))
    for as_json in (False, True):
        seconds = min(_timed(lambda j=as_json: format_primes(sample, j)) for _ in range(max(repeat, 3)))
        label = "--json" if as_json else "plain"
        print(f"  format_primes ({label}, 10-digit primes, one thread): {seconds / len(sample) * 1e9:.1f} ns/line")
    print()


def _timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def _memory(max_lines: int) -> None:
    if shutil.which("seq") is None or sys.platform == "win32":
        print("--memory needs `seq` and a POSIX system")
        return
    command = _command()
    print("peak memory of `seq 1 N | fastprime - --count` (whole process, ru_maxrss):")
    n = 10**6
    while n <= max_lines:
        probe = (
            "import resource, subprocess, sys\n"
            "seq = subprocess.Popen(['seq', '1', sys.argv[1]], stdout=subprocess.PIPE)\n"
            "out = subprocess.run(sys.argv[2:], stdin=seq.stdout, capture_output=True, text=True).stdout\n"
            "seq.wait()\n"
            "print(out.strip(), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        )
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-c", probe, str(n)] + command + ["-", "--count"],
            capture_output=True,
            text=True,
            check=True,
        )
        seconds = time.perf_counter() - start
        primes, kib = result.stdout.split()
        scale = 1024 if sys.platform != "darwin" else 1024 * 1024  # ru_maxrss: KiB on Linux, bytes on macOS
        print(f"  N = {n:>11,}: {int(kib) * 1024 / scale / 1024:7.1f} MiB, {primes} primes, {seconds:.1f} s")
        n *= 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=5_000_000, help="numbers per input file (default 5,000,000)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs, best kept (default 3)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--memory", type=int, default=0, metavar="N", help="also measure peak RSS up to N lines")
    parser.add_argument(
        "--primes", type=int, default=10_000_000, metavar="N",
        help="N primes: fastprime primes vs --file F --only-primes (default 10,000,000; 0: skip)",
    )
    parser.add_argument("--only-primes-row", action="store_true", help="run only the --primes comparison")
    args = parser.parse_args()
    print(
        f"fastprime {fastprime.__version__} ({fastprime.implementation}), Python {platform.python_version()}, "
        f"numpy {np.__version__}, {os.cpu_count()} cores, {platform.machine()} {platform.system()}; "
        f"best of {args.repeat}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        if args.primes and sys.platform != "win32":
            _primes_row(Path(tmp), args.primes, args.repeat)
        if not args.only_primes_row:
            paths = _write_inputs(Path(tmp), args.lines, args.seed)
            _benchmark(paths, args.repeat)
    if args.memory:
        _memory(args.memory)


if __name__ == "__main__":
    main()
