"""csrc/sieve_tables.h and csrc/wide_tables.h are exactly what their generators write.

(kernel_tables.h has its own, longer test: test_kernel_tables.py.)
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
PAIRS = [("gen_sieve_tables.py", "sieve_tables.h"), ("gen_wide_tables.py", "wide_tables.h")]

pytestmark = pytest.mark.skipif(not (ROOT / "tools").is_dir(), reason="the wheel's test run has no tools/")


@pytest.mark.parametrize("generator, header", PAIRS)
def test_header_is_the_generators_output_byte_for_byte(generator, header):
    spec = importlib.util.spec_from_file_location(generator[:-3], ROOT / "tools" / generator)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    expected = module.render().encode("ascii")
    assert (ROOT / "src" / "fastprime" / "csrc" / header).read_bytes() == expected, f"regenerate it: python tools/{generator}"
