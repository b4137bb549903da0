"""Static checks of the wheel-building and CI configuration.

GitHub Actions cannot run here, so what can be checked without running it is checked
here: actions pinned to commit SHAs, wheels built from the sdist, publishing only from a
tag by trusted publishing, and the [tool.cibuildwheel] settings that make a wheel without
the compiled kernel impossible.  tools/check_dist.sh checks the rest with the real tools
(cibuildwheel's build selection, GitHub's workflow schema, auditwheel).

The workflow files are not in the sdist; the workflow tests skip when run from an
unpacked sdist or a cibuildwheel test directory, and run in a repository checkout.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

try:
    import tomllib
except ImportError:  # Python 3.10; pytest depends on tomli there
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
needs_workflows = pytest.mark.skipif(
    not WORKFLOWS.is_dir(), reason="no .github/workflows: not a repository checkout"
)

SUPPORTED = ["3.10", "3.11", "3.12", "3.13", "3.14", "3.14t"]


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _cibw() -> dict:
    return _pyproject()["tool"]["cibuildwheel"]


def _workflow(name: str) -> str:
    return (WORKFLOWS / name).read_text(encoding="utf-8")


def _jobs(text: str) -> dict[str, str]:
    """The text of each job of a workflow, keyed by job id (2-space indented keys)."""
    body = text.split("\njobs:\n", 1)[1]
    parts = re.split(r"(?m)^  ([A-Za-z0-9_-]+):\n", body)
    return dict(zip(parts[1::2], parts[2::2]))


# -- pyproject.toml [tool.cibuildwheel] ---------------------------------------------------


def test_cibuildwheel_builds_every_supported_cpython_and_nothing_else():
    floor = re.fullmatch(r">=\s*3\.(\d+)", _pyproject()["project"]["requires-python"])
    assert floor, "requires-python should be a plain lower bound"
    expected = [f"cp3{minor}-*" for minor in range(int(floor.group(1)), 15)] + ["cp314t-*"]
    assert _cibw()["build"] == expected


def test_cibuildwheel_fails_the_build_when_the_kernel_does_not_compile():
    assert _cibw()["environment"]["FASTPRIME_REQUIRE_EXTENSION"] == "1"


def test_cibuildwheel_tests_the_installed_wheel_with_the_compiled_kernel():
    cibw = _cibw()
    commands = cibw["test-command"]
    assert any("fastprime.implementation == 'cython'" in c for c in commands)
    assert any("_is_gil_enabled()" in c for c in commands), "free-threaded GIL check"
    assert any(re.search(r"python -m pytest\b.*\btests\b", c) for c in commands)
    # The tests run from a copy of tests/ in a scratch directory, never the source tree;
    # the C headers go along for the C kernel tests, and pyproject.toml for pytest's settings.
    sources = cibw["test-sources"]
    assert "tests" in sources and "pyproject.toml" in sources
    # All the C is in csrc/, listed as the folder (one entry, whatever the headers).
    assert "src/fastprime/csrc" in sources
    assert not list((ROOT / "src" / "fastprime").glob("*.h")), "C headers belong in src/fastprime/csrc/"
    assert not [s for s in sources if s.endswith(".h")]
    assert cibw["test-extras"] == ["test"]


def test_cibuildwheel_platform_architectures():
    cibw = _cibw()
    assert cibw["linux"]["archs"] == ["x86_64", "aarch64"]
    assert cibw["macos"]["archs"] == ["x86_64", "arm64"]
    assert cibw["windows"]["archs"] == ["AMD64", "ARM64"]


def test_only_the_numpy_less_target_drops_numpy_from_the_test_requirements():
    """cp310-win_arm64 has no numpy wheel; it gets the test extra minus numpy, no less."""
    overrides = _cibw().get("overrides", [])
    assert [o["select"] for o in overrides] == ["cp310-win_arm64"]
    (override,) = overrides
    test_extra = _pyproject()["project"]["optional-dependencies"]["test"]
    assert override["test-extras"] == []
    assert override["test-requires"] == [r for r in test_extra if not r.startswith("numpy")]


# -- .github/workflows ----------------------------------------------------------------------


@needs_workflows
@pytest.mark.parametrize("name", ["wheels.yml", "tests.yml"])
def test_every_action_is_pinned_to_a_full_commit_sha_with_its_version(name):
    uses = re.findall(r"(?m)^\s*(?:-\s*)?uses:\s*(\S+)(.*)$", _workflow(name))
    assert uses
    for ref, rest in uses:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", ref), ref
        assert re.fullmatch(r"\s*#\s*v\d+(\.\d+)*\b.*", rest), f"{ref}: no version comment"


@needs_workflows
def test_wheels_are_built_from_the_sdist_only():
    jobs = _jobs(_workflow("wheels.yml"))
    assert {"sdist", "wheels", "publish"} <= set(jobs)
    assert "python -m build --sdist" in jobs["sdist"]
    wheels = jobs["wheels"]
    assert "needs: sdist" in wheels
    assert "actions/checkout" not in wheels, "the wheels job must see only the sdist"
    assert re.search(r"python -m cibuildwheel sdist/\*\.tar\.gz\b", wheels)


@needs_workflows
def test_wheels_jobs_run_on_native_runners_for_every_platform():
    wheels = _jobs(_workflow("wheels.yml"))["wheels"]
    runners = set(re.findall(r"runner:\s*(\S+)", wheels))
    assert runners == {
        "ubuntu-24.04", "ubuntu-24.04-arm", "macos-15-intel", "macos-15",
        "windows-2025", "windows-11-arm",
    }


@needs_workflows
def test_publishing_is_tag_only_trusted_publishing():
    text = _workflow("wheels.yml")
    jobs = _jobs(text)
    publish = jobs["publish"]
    assert "if: github.event_name == 'push' && startsWith(github.ref, 'refs/tags/v')" in publish
    assert re.search(r"needs:\s*\[sdist, wheels\]", publish)
    assert re.search(r"environment:\s*\n\s+name: pypi\b", publish)
    assert re.search(r"permissions:\s*\n\s+id-token: write", publish)
    assert "pypa/gh-action-pypi-publish@" in publish
    assert "password" not in publish and "secrets." not in text
    # The id-token permission is granted to the publishing job only.
    assert text.count("id-token: write") == 1
    assert re.search(r"(?m)^permissions:\s*\n\s+contents: read", text)
    assert re.search(r'(?m)^\s+tags:\s*\["v\*"\]', text)


@needs_workflows
def test_ci_tests_every_os_and_python_with_both_implementations():
    test_job = _jobs(_workflow("tests.yml"))["test"]
    assert "os: [ubuntu-24.04, macos-15, windows-2025]" in test_job
    pythons = re.search(r"python:\s*\[(.*)\]", test_job).group(1)
    assert [p.strip().strip('"') for p in pythons.split(",")] == SUPPORTED
    assert 'FASTPRIME_REQUIRE_EXTENSION: "1"' in test_job
    assert 'FASTPRIME_PURE_PYTHON: "1"' in test_job
    assert test_job.count("python -m pytest") == 2


def _normalized(name: str) -> str:
    # PyPI refuses a new project whose name equals an existing one's once case folded
    # with "-", "_" and "." removed ("too similar to an existing project").
    return re.sub(r"[-_.]", "", name).lower()


@pytest.mark.skipif(not (ROOT / "README.md").exists(), reason="the wheel's test run has tests/ and pyproject.toml only")
def test_distribution_name_is_not_too_similar_to_fast_prime():
    # "fast-prime" exists on PyPI: a first upload as "fastprime" would be refused
    # (issue 12, item 13).  The import name and the command stay "fastprime".
    name = _pyproject()["project"]["name"]
    assert _normalized(name) != "fastprime"
    assert _pyproject()["project"]["scripts"] == {"fastprime": "fastprime.cli:main"}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"pip install {name}" in readme and "pip install fastprime\n" not in readme
    wheels = (ROOT / ".github" / "workflows" / "wheels.yml").read_text(encoding="utf-8")
    assert f"pypi.org/project/{name}/" in wheels and f"dist/{name}-*.tar.gz" in wheels
    assert f"{name}-*.whl" in (ROOT / "tools" / "check_dist.sh").read_text(encoding="utf-8")
