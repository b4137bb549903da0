"""csrc/kernel_tables.h is exactly what tools/gen_kernel_tables.py writes.

The tables are generated, never edited by hand: a change to one without the other
fails here, with the command that regenerates the header.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
GENERATOR = ROOT / "tools" / "gen_kernel_tables.py"
HEADER = ROOT / "src" / "fastprime" / "csrc" / "kernel_tables.h"


def _generator():
    spec = importlib.util.spec_from_file_location("gen_kernel_tables", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_header_is_the_generators_output_byte_for_byte():
    expected = _generator().render().encode("ascii")
    assert HEADER.read_bytes() == expected, f"regenerate it: python {GENERATOR.relative_to(ROOT)}"


def test_generator_is_deterministic(tmp_path):
    # Two runs in separate interpreters (different hash seeds) write the same bytes.
    outputs = []
    for seed in ("1", "2"):
        target = tmp_path / f"tables-{seed}.h"
        subprocess.run([sys.executable, str(GENERATOR), str(target)], check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed})
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1] == HEADER.read_bytes()


def test_check_mode_reports_a_difference(tmp_path, monkeypatch):
    gen = _generator()
    copy = tmp_path / "kernel_tables.h"
    copy.write_bytes(HEADER.read_bytes().replace(b"257ULL", b"263ULL"))
    monkeypatch.setattr(gen, "HEADER", copy)
    assert gen.main(["gen", "--check"]) == 1
    copy.write_bytes(HEADER.read_bytes())
    assert gen.main(["gen", "--check"]) == 0
