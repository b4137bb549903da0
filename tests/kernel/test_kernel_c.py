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
from conftest import random_number_line, read_vectors

from fastprime import fallback

HERE = Path(__file__).parent
TESTS = HERE.parent
SOURCE = TESTS / "c" / "check_kernel.c"
INCLUDE = TESTS.parent / "src" / "fastprime" / "csrc"
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


def _built(tmp_path: Path, build: str) -> Path:
    if CC is None:
        if REQUIRED:
            pytest.fail("no C compiler found and FASTPRIME_REQUIRE_C_TESTS=1")
        pytest.skip("no C compiler")
    exe = _build(tmp_path, f"check_{build}", BUILDS[build])
    if exe is None:
        pytest.skip("this compiler cannot build 32-bit code (gcc-multilib not installed)")
    return exe


@pytest.mark.parametrize("build", list(BUILDS))
def test_lucas_parameter_lookup_agrees_with_search(build, tmp_path):
    # The table-driven choice of P must be exactly Baillie's (the smallest P >= 3 with
    # (P*P-4 / n) = -1): the "no composite below 2**64 passes" result is for that P.
    exe = _built(tmp_path, build)
    proc = subprocess.run([str(exe), "--lucas-p", "20000000"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert int(proc.stdout.split()[-1]) > 2_000_000


# ---- The tables of fp_lucas_p, derived here from their definition ----

_ODD_PRIMES = (3, 5, 7, 11, 13, 17, 19, 23)


def _odd_factor_mask(d: int) -> int:
    # Bit 0 for 2, bit j + 1 for _ODD_PRIMES[j]: the primes dividing d an odd number of times.
    mask = 0
    for bit, q in enumerate((2,) + _ODD_PRIMES):
        e = 0
        while d % q == 0:
            d //= q
            e += 1
        mask |= (e & 1) << bit
    assert d == 1, "for P <= 22, D = (P-2)(P+2) has no prime factor above 23"
    return mask


def _expected_tables() -> tuple[list[int], list[int]]:
    residues = [sum({1 << (x * x % q) for x in range(1, q)}) for q in _ODD_PRIMES]
    kernels = [(p, _odd_factor_mask(p * p - 4)) for p in range(3, 23)]
    first_p = [next((p for p, k in kernels if bin(k & neg).count("1") % 2), 0) for neg in range(512)]
    return residues, first_p


def _header_array(text: str, name: str) -> list[int]:
    body = text.split(name, 1)[1].split("{", 1)[1].split("}", 1)[0]
    return [int(v, 0) for v in body.replace("\n", " ").split(",") if v.strip()]


def test_lucas_tables_in_header_match_their_definition():
    text = (INCLUDE / "kernel_tables.h").read_text()
    residues, first_p = _expected_tables()
    assert _header_array(text, "FP_JACOBI_QR[8]") == residues
    rows = [", ".join(map(str, first_p[i : i + 32])) for i in range(0, 512, 32)]
    assert _header_array(text, "FP_FIRST_P[512]") == first_p, "expected:\n" + ",\n".join(rows)


# ---- lines.h, the command line's parser: both digit paths and 32-bit builds ----

LINES_SOURCE = TESTS / "c" / "check_lines.c"
LINES_BUILDS = {
    "default": [],
    "byte-at-a-time": ["-DFP_SWAR_DIGITS=0"],
    "m32": ["-m32"],
}


def _lines_texts() -> list:
    rnd = random.Random(20261127)
    texts = [b"\n".join(random_number_line(rnd) for _ in range(rnd.randint(0, 200))) for _ in range(40)]
    texts += [b"18446744073709551616", b"1_000", b"12x", b"-", b"7\n\n", b"", b"0" * 40 + b"5"]
    return texts


def _python_parse(text: bytes):
    from fastprime.cli.reading import parse_body

    try:
        block, bad, lines = parse_body(text, 0)
    except ValueError:
        return None
    if bad is not None or any(abs(n) >= 1 << 64 for n in block.numbers):
        return None
    return lines, list(block.numbers)


@pytest.mark.parametrize("build", list(LINES_BUILDS))
def test_line_parser_paths_agree_with_int(build, tmp_path):
    if CC is None:
        if REQUIRED:
            pytest.fail("no C compiler found and FASTPRIME_REQUIRE_C_TESTS=1")
        pytest.skip("no C compiler")
    exe = tmp_path / f"lines_{build}"
    cmd = [CC, "-O2", "-std=c99", "-Wall", "-Werror", f"-I{INCLUDE}", *LINES_BUILDS[build], str(LINES_SOURCE), "-o", str(exe)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        if build == "m32":
            pytest.skip("this compiler cannot build 32-bit code (gcc-multilib not installed)")
        pytest.fail(f"{' '.join(cmd)}\n{proc.stderr}")
    for text in _lines_texts():
        for step in ("1", "3", "7"):
            out = subprocess.run([str(exe), step], input=text, capture_output=True)
            assert out.returncode == 0, (build, text[:80])
            lines = out.stdout.split(b"\n")
            expected = _python_parse(text)
            if lines[0] == b"slow":
                # Left to Python: only where int() refuses a line or a number is >= 2**64,
                # or uses a form the C parser does not read ('_' between digits).
                assert expected is None or b"_" in text, (build, text[:80])
                continue
            assert expected is not None, (build, text[:80])
            assert lines[0] == b"ok %d" % expected[0]
            assert [int(v) for v in lines[1:-1]] == expected[1], (build, step)
