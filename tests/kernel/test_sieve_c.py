"""csrc/sieve.h, the segmented range sieve, built as plain C on every path.

tests/c/check_sieve.c checks pi(10**k), every [lo, hi) with hi < 200, and random
windows (crossing 2**32, ending at 2**64 - 1, tiny ones; a third with tiny segments so
the bucket code runs on small windows), each counted in small steps and filled with
caps of 1, 2, 7 and random sizes, against its own references: a plain sieve below
2**44 and a deterministic Miller-Rabin above.  Built with ``unsigned __int128``, the
portable multiply, as 32-bit code and with AddressSanitizer + UBSan.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import C_BUILDS, CSRC, build_c

SOURCE = Path(__file__).resolve().parent.parent / "c" / "check_sieve.c"

pytestmark = pytest.mark.skipif(not CSRC.is_dir(), reason="the wheel's test run has no C sources")

# (largest k of pi(10**k), random windows, seed): smaller where the build is slow.
ARGS = {"default": (10, 300, 1), "portable": (9, 150, 2), "m32": (9, 150, 3), "sanitized": (8, 60, 4)}


@pytest.mark.parametrize("build", list(C_BUILDS))
def test_sieve_builds_agree_with_their_references(build, tmp_path):
    exe = build_c(tmp_path, SOURCE, build)
    run = subprocess.run([str(exe), *map(str, ARGS[build])], capture_output=True, text=True, timeout=900)
    assert run.returncode == 0 and " 0 failures" in run.stdout, (run.stdout[-3000:], run.stderr[-2000:])
