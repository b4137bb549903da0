"""The C header on the paths this machine's Python build does not take.

The extension is built with ``unsigned __int128`` and inline-asm selects here; wheels
for 32-bit targets, MSVC or unknown compilers use the portable 4x(32x32) product and
mask selects.  A small C program (tests/c/check_kernel.c) is compiled with those paths
forced, and, where ``gcc -m32`` works, as 32-bit code, and must agree with the default
build and with the pure-Python implementation on the same numbers.

Needs a C compiler.  Without one the tests skip, unless FASTPRIME_REQUIRE_C_TESTS=1
(set by CI), where a missing compiler is a failure.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sysconfig
from pathlib import Path

import pytest

from fastprime import fallback

from conftest import read_vectors

HERE = Path(__file__).parent
SOURCE = HERE / "c" / "check_kernel.c"
INCLUDE = HERE.parent / "src" / "fastprime"
REQUIRED = os.environ.get("FASTPRIME_REQUIRE_C_TESTS", "") not in ("", "0")


def _compiler():
    cc = os.environ.get("CC") or sysconfig.get_config_var("CC") or ""
    cc = cc.split()[0] if cc else ""
    for name in (cc, "cc", "gcc", "clang"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


CC = _compiler()


def _build(tmp_path: Path, name: str, flags: list[str]) -> Path | None:
    exe = tmp_path / name
    cmd = [CC, "-O2", "-std=c99", "-Wall", "-Werror", f"-I{INCLUDE}", *flags, str(SOURCE), "-o", str(exe), "-lm"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        return None if "-m32" in flags else pytest.fail(f"{' '.join(cmd)}\n{proc.stderr}")
    return exe


def _numbers() -> list[int]:
    rnd = random.Random(20261126)
    nums = list(range(0, 70_000))
    nums += [n for n, _, _ in read_vectors() if n < 1 << 64]
    nums += [rnd.getrandbits(64) for _ in range(20_000)]
    nums += [rnd.getrandbits(rnd.randint(2, 64)) for _ in range(10_000)]
    # Products of two primes near 2**32 (hard semiprimes) and their squares.
    ps = [4294967291, 4294967279, 4294967231, 4294967197, 4294967189, 65521, 65519]
    nums += [p * q for p in ps for q in ps if p * q < 1 << 64]
    # The top of the range, where Montgomery constants are special.
    nums += [(1 << 64) - k for k in range(1, 2000)]
    nums += [(1 << 63) + k for k in range(-1000, 1000)]
    nums += [(1 << 32) + k for k in range(-1000, 1000)]
    return nums


@pytest.fixture(scope="module")
def numbers():
    nums = _numbers()
    return nums, [fallback.is_prime(n) for n in nums]


def _run(exe: Path, nums: list[int]) -> tuple[str, list[bool]]:
    proc = subprocess.run([str(exe)], input="\n".join(map(str, nums)) + "\n", capture_output=True, text=True)
    lines = proc.stdout.split("\n")
    assert proc.returncode == 0, f"scalar and batch disagree ({exe.name}): {proc.stderr}"
    answers = lines[1 : 1 + len(nums)]
    assert all(a in ("00", "11") for a in answers)
    return lines[0], [a == "11" for a in answers]


BUILDS = {
    "default": [],
    "portable": ["-DFP_FORCE_PORTABLE_MUL", "-DFP_NO_ASM"],
    "m32": ["-m32"],
}


@pytest.mark.parametrize("build", list(BUILDS))
def test_c_kernel_paths_agree_with_pure_python(build, numbers, tmp_path):
    if CC is None:
        if REQUIRED:
            pytest.fail("no C compiler found and FASTPRIME_REQUIRE_C_TESTS=1")
        pytest.skip("no C compiler")
    exe = _build(tmp_path, f"check_{build}", BUILDS[build])
    if exe is None:  # only -m32 may be missing (no 32-bit libc installed)
        pytest.skip("this compiler cannot build 32-bit code (gcc-multilib not installed)")
    nums, expected = numbers
    path, got = _run(exe, nums)
    if build == "portable":
        assert path == "portable"
    if build == "m32":
        assert path == "portable"  # no __int128 on 32-bit targets
    bad = [n for n, g, e in zip(nums, got, expected) if g != e]
    assert not bad, f"{build} build ({path}) wrong on {bad[:10]}"
