"""The documentation's examples run as tests: README.md's ``>>>`` sessions and every
docstring example in the package, against whichever implementation is loaded (the
suite runs once per implementation, so both are covered).
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import fastprime

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"

FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _modules():
    names = ["fastprime"]
    for info in pkgutil.walk_packages(fastprime.__path__, "fastprime."):
        if info.name.endswith("__main__"):
            continue
        names.append(info.name)
    return names


def _run(test: doctest.DocTest) -> None:
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {test.name} (see the output above)"


def _readme_test() -> doctest.DocTest:
    # A code fence ends an example's expected output, as a blank line does in a docstring.
    lines = ["" if line.strip().startswith("```") else line for line in README.read_text(encoding="utf-8").splitlines()]
    return doctest.DocTestParser().get_doctest("\n".join(lines), {"fastprime": fastprime}, "README.md", str(README), 0)


needs_readme = pytest.mark.skipif(not README.exists(), reason="the wheel's test run has tests/ without the README beside it")


@needs_readme
def test_readme_has_examples():
    assert len(_readme_test().examples) >= 10


@needs_readme
def test_readme_examples():
    _run(_readme_test())


@pytest.mark.parametrize("module_name", _modules())
def test_docstring_examples(module_name):
    module = importlib.import_module(module_name)
    for test in doctest.DocTestFinder(exclude_empty=True).find(module, module_name, extraglobs={"fastprime": fastprime}):
        _run(test)
