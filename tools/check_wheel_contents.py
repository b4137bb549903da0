#!/usr/bin/env python3
"""Check a built wheel's contents (tools/check_dist.sh, step "the wheel holds ...").

The wheel must hold the package, its typing files and one compiled module per
``src/fastprime/*.pyx`` of the source tree (so a second .pyx cannot be forgotten), and
none of the build's inputs: C headers, Cython sources and declarations, generated C.
The compiled modules need nothing of them at run time.

Usage: python tools/check_wheel_contents.py WHEEL [SOURCE_ROOT]
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path


def problems(wheel: str, root: Path) -> list[str]:
    names = zipfile.ZipFile(wheel).namelist()
    found = []
    need = ["fastprime/__init__.py", "fastprime/py.typed", "fastprime/_cfastprime.pyi"]
    found += [f"missing {n}" for n in need if n not in names]
    for pyx in sorted((root / "src" / "fastprime").glob("*.pyx")):
        stem = f"fastprime/{pyx.stem}."
        kernels = [n for n in names if n.startswith(stem) and n.endswith((".so", ".pyd"))]
        if len(kernels) != 1:
            found.append(f"{pyx.name}: compiled modules {kernels}, expected one")
    sources = [n for n in names if n.endswith((".h", ".c", ".pyx", ".pxd"))]
    found += [f"build input in the wheel: {n}" for n in sources]
    return found


def main(argv: list[str]) -> int:
    root = Path(argv[2]) if len(argv) > 2 else Path(__file__).resolve().parent.parent
    found = problems(argv[1], root)
    if found:
        print("\n".join(found), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
