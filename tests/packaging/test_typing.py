"""Type checkers see fastprime's real signatures: mypy on a small typed program.

``typing_example.py`` must pass ``mypy --strict``; a probe file checks what mypy
infers (``reveal_type``) and that misuse is an error.  If fastprime's names were
``Any`` to mypy (no ``py.typed``, no stub for the compiled module, or public names
bound in a way mypy cannot follow), the reveals would say ``Any`` and the misuse
would pass: both are asserted against.  mypy runs on the *installed* package, from a
directory outside the source tree, as a user's project would.
"""

from __future__ import annotations

import re
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent

# The typed example uses is_prime_array, which needs numpy.  Only one CI target lacks
# numpy (cp310-win_arm64, for want of a numpy wheel); everywhere else this runs.
pytest.importorskip("numpy", reason="the typed example uses is_prime_array, which needs numpy")

PROBE = '''\
import fastprime
from fastprime import _cfastprime

reveal_type(fastprime.is_prime(7))
reveal_type(fastprime.next_prime(7))
reveal_type(fastprime.prev_prime(7))
reveal_type(fastprime.implementation)
reveal_type(fastprime.Executor(2).map(fastprime.is_prime, [1, 2]))
reveal_type(fastprime.Executor(2).submit(fastprime.next_prime, 7))
reveal_type(fastprime.Executor(2))
reveal_type(fastprime.is_prime_array([1, 2]))
reveal_type(_cfastprime.is_prime_many([1, 2]))
reveal_type(_cfastprime.is_prime)
fastprime.is_prime("7")  # MISUSE
fastprime.is_prime(7.5)  # MISUSE
fastprime.next_prime(None)  # MISUSE
fastprime.Executor(max_workers="two")  # MISUSE
_cfastprime.is_prime_many([1], big_out=3)  # MISUSE
'''

# What mypy must reveal, line by line: anchored regular expressions, so "Any" where
# a real type belongs does not match.  (mypy 2 prints "bool" where 1.x printed
# "builtins.bool"; both are accepted.)
REVEALED = [
    r"^(builtins\.)?bool$",
    r"^(builtins\.)?int$",
    r"^(builtins\.)?int$",
    r"^(builtins\.)?str$",
    r"^(typing\.)?Iterator\[(builtins\.)?bool\]$",
    r"^(concurrent\.futures\._base\.)?Future\[(builtins\.)?int\]$",
    r"^(fastprime\.executor\.)?Executor$",
    r"^(numpy\.)?ndarray\b",
    r"^(builtins\.)?list\[(builtins\.)?bool\]$",
    r"^def \((n: )?(typing\.)?SupportsIndex(, /)?\) -> (builtins\.)?bool$",
]


@pytest.fixture(scope="module")
def mypy_output(tmp_path_factory, request) -> str:
    work = tmp_path_factory.mktemp("mypy")
    probe = work / "probe.py"
    probe.write_text(PROBE)
    # Reuse mypy's cache between runs when pytest keeps one (numpy's stubs are big).
    cache_plugin = getattr(request.config, "cache", None)
    cache = cache_plugin.mkdir("mypy") if cache_plugin is not None else work / "cache"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--show-error-codes",
            "--no-error-summary",
            "--hide-error-context",
            "--no-color-output",
            "--cache-dir",
            str(cache),
            str(HERE / "typing_example.py"),
            str(probe),
        ],
        cwd=work,  # not the source tree: mypy must find the installed package
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.stderr == "" or "error" not in result.stderr.lower(), result.stderr
    return result.stdout


def _lines_of(output: str, filename: str) -> list:
    return [line for line in output.splitlines() if line.startswith(filename) or f"/{filename}:" in line]


def test_typed_example_passes_mypy_strict(mypy_output):
    assert _lines_of(mypy_output, "typing_example.py") == []
    assert "import-untyped" not in mypy_output and "import-not-found" not in mypy_output, mypy_output


def test_mypy_sees_the_real_signatures(mypy_output):
    reveals = [
        line.split('Revealed type is "', 1)[1].rstrip('"')
        for line in _lines_of(mypy_output, "probe.py")
        if "Revealed type is" in line
    ]
    assert len(reveals) == len(REVEALED), mypy_output
    wrong = [
        f"{line.strip()}  revealed {revealed!r}, expected /{pattern}/"
        for line, revealed, pattern in zip(_reveal_lines(), reveals, REVEALED)
        if not re.search(pattern, revealed)
    ]
    assert not wrong, "\n".join(wrong)


def _reveal_lines() -> list:
    return [line for line in PROBE.splitlines() if line.startswith("reveal_type(")]


def test_mypy_rejects_misuse(mypy_output):
    misuse_lines = [i for i, line in enumerate(PROBE.splitlines(), 1) if line.endswith("# MISUSE")]
    errors = {
        int(m.group(1))
        for line in _lines_of(mypy_output, "probe.py")
        if (m := re.search(r"probe\.py:(\d+): error: .*\[(arg-type|call-overload)\]", line))
    }
    assert errors == set(misuse_lines), mypy_output


def test_the_typed_example_runs():
    result = subprocess.run(
        [sys.executable, str(HERE / "typing_example.py")], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert "[2, 3, 5, 7, 11, 13, 17, 19, 23, 29]" in result.stdout
    assert "112272535095293 is prime: True" in result.stdout


def test_the_package_ships_its_type_information():
    package = resources.files("fastprime")
    assert (package / "py.typed").is_file()
    stub = package / "_cfastprime.pyi"
    assert stub.is_file()
    text = stub.read_text()
    for name in ("def is_prime(", "def next_prime(", "def prev_prime(", "def is_prime_many(", "def is_prime_into("):
        assert name in text, name
