#!/usr/bin/env python3
"""The C of the package under the sanitizers, and its fuzzers (run by .ci/run).

1. tests/c/check_sanitized.c, built with ``clang -fsanitize=address,undefined``: the
   kernel, the line scanner and the glue helpers (pylong.h, pyglue.h, in an embedded
   Python) against independent references, every buffer exactly as large as the headers
   are told.
2. The libFuzzer harnesses in tests/fuzz/ (``-fsanitize=fuzzer,address,undefined``),
   each for a fixed time, from the seed corpus in tests/fuzz/corpus/<name>/.  New inputs
   go to a scratch directory (the repository's corpus is only read); a crash leaves
   its input there, and its path is printed.

Needs clang and its runtime libraries (Debian: clang, libclang-rt-14-dev).

Usage: python tools/c_checks.py [--fuzz-seconds N] [--cases N] [--only sanitize|fuzz]
       [--keep]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CSRC = ROOT / "src" / "fastprime" / "csrc"
TESTS_C = ROOT / "tests" / "c"
FUZZ = ROOT / "tests" / "fuzz"
SANITIZE = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-fno-omit-frame-pointer"]
WARN = ["-Wall", "-Wextra", "-Werror"]
# Leaks are not what is checked (the embedded interpreter keeps its own at exit);
# anything else a sanitizer finds aborts with a report.
ENV = {
    "ASAN_OPTIONS": "detect_leaks=0:abort_on_error=1:strict_string_checks=1",
    "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1",
    # Python's objects from malloc, so ASan sees them too.
    "PYTHONMALLOC": "malloc",
}


def _clang() -> str:
    for name in (os.environ.get("CLANG", ""), "clang", "clang-14"):
        if name and shutil.which(name):
            return shutil.which(name)  # type: ignore[return-value]
    sys.exit("c_checks: clang not found (Debian: apt-get install clang libclang-rt-14-dev)")


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    print("    $", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.run(cmd, **kwargs)


def _python_embed_flags() -> tuple[list[str], list[str]]:
    include = sysconfig.get_paths()["include"]
    libdir = sysconfig.get_config_var("LIBDIR") or ""
    version = sysconfig.get_config_var("LDVERSION") or sysconfig.get_python_version()
    libs = (sysconfig.get_config_var("LIBS") or "").split() + (sysconfig.get_config_var("SYSLIBS") or "").split()
    ldflags = [f"-L{libdir}", f"-Wl,-rpath,{libdir}", f"-lpython{version}", *libs]
    return [f"-I{include}"], ldflags


def sanitize(clang: str, work: Path, cases: int) -> None:
    print("==> sanitizers: kernel, lines, pylong, pyglue (tests/c/check_sanitized.c)", flush=True)
    cflags, ldflags = _python_embed_flags()
    exe = work / "check_sanitized"
    cmd = [clang, "-g", "-O1", "-std=c11", *WARN, *SANITIZE, f"-I{CSRC}", f"-I{TESTS_C}", *cflags,
           str(TESTS_C / "check_sanitized.c"), "-o", str(exe), *ldflags]
    if _run(cmd).returncode:
        sys.exit("c_checks: FAILED: the sanitizer build does not compile")
    started = time.monotonic()
    proc = _run([str(exe), str(cases)], env={**os.environ, **ENV})
    if proc.returncode:
        sys.exit(f"c_checks: FAILED: the sanitized checks exited with {proc.returncode}")
    print(f"    ok ({time.monotonic() - started:.1f}s)", flush=True)


def fuzz(clang: str, work: Path, seconds: int) -> None:
    harnesses = sorted(FUZZ.glob("fuzz_*.c"))
    if not harnesses:
        sys.exit(f"c_checks: no harnesses in {FUZZ}")
    for source in harnesses:
        name = source.stem[len("fuzz_"):]
        print(f"==> libFuzzer: {source.relative_to(ROOT)}, {seconds}s", flush=True)
        exe = work / source.stem
        cmd = [clang, "-g", "-O1", "-std=c11", *WARN, "-fsanitize=fuzzer,address,undefined",
               "-fno-sanitize-recover=all", f"-I{CSRC}", f"-I{TESTS_C}", str(source), "-o", str(exe)]
        if _run(cmd).returncode:
            sys.exit(f"c_checks: FAILED: {source.name} does not compile")
        seeds = FUZZ / "corpus" / name
        found = work / f"corpus-{name}"
        found.mkdir(exist_ok=True)
        artifacts = work / f"crash-{name}"
        artifacts.mkdir(exist_ok=True)
        proc = _run(
            [str(exe), f"-max_total_time={seconds}", "-timeout=10", "-rss_limit_mb=2048",
             "-print_final_stats=1", f"-artifact_prefix={artifacts}/", str(found), str(seeds)],
            env={**os.environ, **ENV}, capture_output=True, text=True,
        )
        log = work / f"fuzz-{name}.log"
        log.write_text(proc.stdout + proc.stderr)
        if proc.returncode:
            print("\n".join((proc.stdout + proc.stderr).splitlines()[-40:]), file=sys.stderr)
            sys.exit(f"c_checks: FAILED: {source.name} found a failing input: {sorted(artifacts.iterdir())} "
                     f"(log: {log}); reproduce with {exe} <input>")
        stats = dict(line[len("stat::"):].split(":", 1) for line in proc.stderr.splitlines() if line.startswith("stat::"))
        runs = stats.get("number_of_executed_units", "?").strip()
        print(f"    ok: {runs} inputs, {len(list(found.iterdir()))} new in the corpus", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fuzz-seconds", type=int, default=30, help="per harness (default 30)")
    parser.add_argument("--cases", type=int, default=300_000, help="of the sanitized checks")
    parser.add_argument("--only", choices=("sanitize", "fuzz"))
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = parser.parse_args()
    clang = _clang()
    work = Path(tempfile.mkdtemp(prefix="fastprime-c-checks."))
    ok = False
    try:
        if args.only != "fuzz":
            sanitize(clang, work, args.cases)
        if args.only != "sanitize":
            fuzz(clang, work, args.fuzz_seconds)
        ok = True
    finally:
        if ok and not args.keep:
            shutil.rmtree(work)
        else:
            print(f"c_checks: scratch directory kept: {work}", file=sys.stderr)
    print("c_checks: all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
