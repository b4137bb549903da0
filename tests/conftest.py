"""Shared fixtures: every kernel-level test runs against both implementations.

``impl`` is parametrized over the compiled module and the pure-Python twin.  When
``FASTPRIME_PURE_PYTHON=1`` is set (the fallback run of CI), only the twin is used, and
the top-level package is the twin too.  Otherwise the compiled module must import: a
missing extension is an error, not a skip, so a broken build cannot pass unnoticed.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

# sympy is the independent reference: keep it on its own pure-Python arithmetic, so it
# does not share gmpy2 (and GMP's BPSW) with the code under test.  Read at its import.
os.environ.setdefault("SYMPY_GROUND_TYPES", "python")

import pytest

import fastprime
from fastprime import fallback

PURE_ONLY = os.environ.get("FASTPRIME_PURE_PYTHON", "").strip().lower() not in ("", "0", "false", "no")
DATA = Path(__file__).parent


def _compiled():
    from fastprime import _cfastprime

    return _cfastprime


def pytest_configure(config):
    if not PURE_ONLY:
        try:
            _compiled()
        except ImportError as exc:
            raise pytest.UsageError(
                f"the compiled kernel did not import ({exc}); build it, or set "
                "FASTPRIME_PURE_PYTHON=1 to test only the pure-Python implementation"
            ) from exc


def pytest_collection_modifyitems(config, items):
    # Tests of the compiled module itself are not skipped in the pure-Python run (a
    # skip would read as a gap); they are not part of it, and say so in the header.
    if PURE_ONLY:
        kept = [item for item in items if item.get_closest_marker("compiled") is None]
        dropped = [item for item in items if item.get_closest_marker("compiled") is not None]
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            items[:] = kept


def pytest_report_header(config):
    return f"fastprime implementation: {fastprime.implementation}; kernels under test: {IMPL_NAMES}"


IMPL_NAMES = ["python"] if PURE_ONLY else ["cython", "python"]


@pytest.fixture(params=IMPL_NAMES)
def impl(request):
    """The implementation module under test: ``_cfastprime`` or ``fallback``."""
    return _compiled() if request.param == "cython" else fallback


def sieve(limit: int) -> bytearray:
    """sieve[n] is 1 iff n is prime, for n < limit: the independent reference for ranges
    (no numpy: one wheel is tested without it)."""
    flags = bytearray([1]) * limit
    flags[:2] = b"\0\0"
    for p in range(2, int(limit**0.5) + 1):
        if flags[p]:
            flags[p * p :: p] = bytes(len(range(p * p, limit, p)))
    return flags


def read_vectors():
    """``[(n, is_prime, note)]`` from ``primality-vectors.txt``."""
    rows = []
    for line in (DATA / "primality-vectors.txt").read_text().splitlines():
        body, _, note = line.partition("#")
        body = body.strip()
        if not body:
            continue
        number, verdict = body.split()
        rows.append((int(number), verdict == "prime", note.strip()))
    return rows


def random_number_line(rng: random.Random) -> bytes:
    """A line as the command line may read it: a number in any form it accepts (signs,
    leading zeros, spaces, comments, CRLF), or a blank or comment line."""
    kind = rng.random()
    if kind < 0.05:
        return rng.choice([b"", b"   ", b"# a comment", b"\t# indented comment", b"\r"])
    n = rng.choice([rng.getrandbits(64), rng.randrange(1000), rng.getrandbits(rng.randint(1, 64)), 0, 1, 2**64 - 1])
    text = b"%d" % n
    if rng.random() < 0.1:
        text = b"0" * rng.randint(1, 12) + text
    if rng.random() < 0.1:
        text = rng.choice([b"+", b"-"]) + text
    if rng.random() < 0.1:
        text = b" \t"[rng.randint(0, 1) :] + text + b"  "
    if rng.random() < 0.05:
        text += b" # note"
    if rng.random() < 0.05:
        text += b"\r"
    return text


# ---- C test programs (tests/c/) ------------------------------------------------------

C_REQUIRED = os.environ.get("FASTPRIME_REQUIRE_C_TESTS", "") not in ("", "0")
CSRC = Path(__file__).resolve().parent.parent / "src" / "fastprime" / "csrc"

#: The builds every C test program runs in: the default product (unsigned __int128 here),
#: the portable 4x(32x32) multiply, 32-bit code, and AddressSanitizer + UBSan.
C_BUILDS = {
    "default": ["-O2"],
    "portable": ["-O2", "-DFP_FORCE_PORTABLE_MUL"],
    "m32": ["-O2", "-m32"],
    "sanitized": ["-O1", "-g", "-fsanitize=address,undefined", "-fno-sanitize-recover=all"],
}


def c_compiler():
    import shutil
    import sysconfig

    cc = os.environ.get("CC") or sysconfig.get_config_var("CC") or ""
    for name in (cc.split()[0] if cc else "", "cc", "gcc", "clang"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def build_c(tmp_path: Path, source: Path, build: str) -> Path:
    """Compile tests/c/``source`` in one of ``C_BUILDS``; skip (fail under
    FASTPRIME_REQUIRE_C_TESTS=1, as in CI) where this machine cannot."""
    import subprocess

    cc = c_compiler()
    if cc is None:
        if C_REQUIRED:
            pytest.fail("no C compiler found and FASTPRIME_REQUIRE_C_TESTS=1")
        pytest.skip("no C compiler")
    exe = tmp_path / f"{source.stem}_{build}"
    cmd = [cc, "-std=c99", "-Wall", "-Wextra", "-Werror", f"-I{CSRC}", *C_BUILDS[build], str(source), "-o", str(exe), "-lm"]
    built = subprocess.run(cmd, capture_output=True, text=True)
    if built.returncode != 0:
        if build in ("m32", "sanitized") and not C_REQUIRED:  # CI installs what these need
            pytest.skip(f"{build} build not available here: {built.stderr[:200]}")
        pytest.fail(f"{' '.join(cmd)}\n{built.stderr}")
    return exe
