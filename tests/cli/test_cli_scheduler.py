"""``--scheduler ADDRESS`` (issue 15's command line): the same output on a dask cluster.

A ``LocalCluster(n_workers=2, threads_per_worker=1, processes=True)`` is started once for
the module; the command runs in a subprocess against its address, and its stdout,
stderr and exit status are compared with the same command run locally.  Every run has
a timeout (``test_cli.TIMEOUT``), so a hang fails instead of stalling the suite.

The runs on the cluster use ``fastprime.Executor(backend=client)``
(``fastprime._executor.dask``).  CI installs the ``dask`` extra, so they run there;
without dask they are skipped, saying so.  The errors (dask missing, an unreachable or
malformed address, --backend with --scheduler) are tested either way.
"""

from __future__ import annotations

import importlib.util
import random
import subprocess
import sys
import warnings

import pytest
from conftest import PURE_ONLY
from test_cli import SCRIPT, TIMEOUT, Cli

import fastprime
from fastprime import cli
from fastprime.cli.cluster import DASK_MISSING


@pytest.fixture(params=["python"] if PURE_ONLY else ["default", "python"])
def run(request) -> Cli:
    return Cli(request.param, SCRIPT)


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip(
        "distributed", reason='the runs on a cluster need the dask extra: pip install "pyfastprime[dask]"'
    )
    with warnings.catch_warnings():
        # The scheduler's HTTP routes move off a port that is in use (another cluster).
        warnings.filterwarnings("ignore", "Port .* is already in use", UserWarning)
        local = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, worker_dashboard_address=None
        )
    with local:
        yield local.scheduler_address


@pytest.fixture(scope="module")
def on_cluster(cluster) -> str:
    """The cluster's address, checked to run ``fastprime.Executor(backend=client)``."""
    from distributed import Client

    with Client(cluster, set_as_default=False) as client:
        with fastprime.Executor(backend=client) as executor:
            assert executor.backend == "dask"
    return cluster


def _same(run: Cli, address: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """Run ``args`` locally and on the cluster: the same stdout, stderr and status."""
    local = run(*args, stdin=stdin)
    if args[:1] == ("primes",):  # a subcommand's options come after it
        remote = run("primes", "--scheduler", address, *args[1:], stdin=stdin)
    else:
        remote = run("--scheduler", address, *args, stdin=stdin)
    assert (remote.returncode, remote.stderr) == (local.returncode, local.stderr), remote.stderr
    assert remote.stdout == local.stdout
    return local


def _numbers(seed: int, count: int) -> list:
    rng = random.Random(seed)
    numbers = [rng.getrandbits(64) for _ in range(count)]
    numbers += [rng.getrandbits(bits) | 1 for bits in (70, 128, 300) for _ in range(50)]
    numbers += list(range(-5, 3000))
    rng.shuffle(numbers)
    return numbers


# --- the same output on the cluster ---------------------------------------------------------


@pytest.mark.parametrize("mode", [[], ["--only-primes"], ["--count"], ["--json"], ["--count", "--json"], ["--next"]])
def test_a_file(run, on_cluster, tmp_path, mode):
    # ~1.6 MiB: two blocks, so the blocks' order is checked too.
    numbers = _numbers(1, 80_000)
    path = tmp_path / "numbers.txt"
    path.write_text("# numbers\n" + "".join(f"{n}\n" for n in numbers))
    out = _same(run, on_cluster, "--file", str(path), *mode)
    assert out.returncode == 0 and out.stdout


def test_standard_input(run, on_cluster):
    stdin = "".join(f"{n}\n" for n in _numbers(2, 20_000))
    assert _same(run, on_cluster, "-", "--only-primes", stdin=stdin).stdout
    assert _same(run, on_cluster, "-", "--count", stdin=stdin).stdout


def test_numbers_on_the_command_line(run, on_cluster):
    assert _same(run, on_cluster, "97", "98", str(2**89 - 1)).stdout
    assert _same(run, on_cluster).stdout  # the docs' example


def test_a_bad_line_stops_at_the_same_place(run, on_cluster, tmp_path):
    lines = [str(n) for n in _numbers(3, 100_000)]
    lines[90_000] = "12x"
    path = tmp_path / "bad.txt"
    path.write_text("\n".join(lines) + "\n")
    out = _same(run, on_cluster, "--file", str(path), "--only-primes")
    assert out.returncode == 2 and "line 90001: '12x' is not an integer" in out.stderr


@pytest.mark.parametrize(
    "args",
    [["primes", "1e6"], ["primes", "--count", "1e6"], ["primes", "--json", "1e5", "2e5"], ["primes", "2**64-300", "2**64+300"]],
)
def test_primes(run, on_cluster, args):
    assert _same(run, on_cluster, *args).stdout


# --- errors, tested now --------------------------------------------------------------------

# Reaching for a scheduler needs dask itself (without it the error names the extra, tested
# below): the wheel's own test run installs the [test] extra alone; CI's main runs have dask.
needs_dask = pytest.mark.skipif(
    importlib.util.find_spec("distributed") is None, reason='dask.distributed is not installed (pip install "pyfastprime[dask]")'
)


@needs_dask
def test_unreachable_scheduler_is_a_one_line_error(run):
    # Nothing listens on port 1: dask retries until its connect timeout, 2 s here.
    run.env["DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT"] = "2s"
    for args in (["--scheduler", "tcp://127.0.0.1:1", "7"], ["primes", "--scheduler", "tcp://127.0.0.1:1", "100"]):
        result = run(*args)
        assert result.returncode == cli.EXIT_USAGE, result.stderr
        assert result.stderr.startswith("fastprime: error: cannot reach the dask scheduler at 'tcp://127.0.0.1:1'")
        assert len(result.stderr.splitlines()) == 1 and result.stdout == ""


@needs_dask
@pytest.mark.parametrize("address", ["nonsense", "foo://host:1", "tcp://no-such-host.invalid:8786"])
def test_malformed_address_is_a_one_line_error(run, address):
    result = run("--scheduler", address, "7")
    assert result.returncode == cli.EXIT_USAGE, result.stderr
    assert result.stderr.startswith(f"fastprime: error: cannot reach the dask scheduler at {address!r}")
    assert len(result.stderr.splitlines()) == 1 and result.stdout == ""


def test_backend_cannot_be_combined_with_scheduler(run):
    result = run("--scheduler", "tcp://127.0.0.1:1", "--backend", "thread", "7")
    assert result.returncode == cli.EXIT_USAGE
    assert "--backend cannot be combined with --scheduler" in result.stderr


def test_dask_not_installed_names_the_extra(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` fails
    assert cli.main(["--scheduler", "tcp://127.0.0.1:8786", "7"]) == cli.EXIT_USAGE
    assert cli.main(["primes", "--scheduler", "tcp://127.0.0.1:8786", "10"]) == cli.EXIT_USAGE
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"fastprime: error: {DASK_MISSING}\n" * 2
    assert 'pip install "pyfastprime[dask]"' in DASK_MISSING


def test_dask_is_not_imported_without_scheduler():
    probe = (
        "import sys\n"
        "from fastprime.cli import main\n"
        "assert main(['--count', '7', '8']) == 0\n"
        "assert main(['primes', '--count', '100']) == 0\n"
        "assert 'distributed' not in sys.modules and 'dask' not in sys.modules, 'dask imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=TIMEOUT)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "1\n25\n"
