"""Shared fixtures: an isolated environment for every test, paths, and small helpers."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# the shared data beside the checkout; a git worktree elsewhere names it with NPINIT_SHARED
SHARED = Path(os.environ.get("NPINIT_SHARED") or ROOT.parent / "shared")
FIXTURES = SHARED / "fixtures"
TEMPLATE = ROOT / "templates" / "numpy-project"

# a suite started in the background (``nohup ... &``) inherits SIGINT ignored, and so would
# every npinit it starts: the Ctrl-C tests need the children to take SIGINT as Python does
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

_ISOLATE_PREFIXES = ("PIP_", "CONDA_", "POETRY_", "UV_", "MAMBA_", "PIXI_", "NPINIT_")


def checkout_src() -> Path:
    """The ``src`` folder of the npinit these tests import: this checkout's (a git worktree's
    too, where the shared venv's editable install points at another checkout)."""
    import npinit

    return Path(npinit.__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs with its own HOME and without the caller's package-manager settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(shared_cache()))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    for name in list(os.environ):
        if name.startswith(_ISOLATE_PREFIXES) or name in ("VIRTUAL_ENV", "PYTHONPATH"):
            monkeypatch.delenv(name, raising=False)
    # a child ``python -m npinit`` (or npinit script) runs the code under test, not whatever
    # the venv's install points at; a test of an installed npinit removes it (test_wheel)
    monkeypatch.setenv("PYTHONPATH", str(checkout_src()))
    # the tools the test extra installs (poetry) are found as in the activated venv: the
    # README's test command, `.venv/bin/python -m pytest`, runs from any shell
    venv_bin = str(Path(sys.executable).parent)
    monkeypatch.setenv("PATH", os.pathsep.join([venv_bin, os.environ.get("PATH", "")]))
    # the machine's own pip settings (find-links, constraints) stay out of real installs
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("PIP_DISABLE_PIP_VERSION_CHECK", "1")


def shared_cache() -> Path:
    """One download cache for the whole run (wheels are big; HOME is per test), shared by
    every run on the machine: build what goes in it under :func:`cache_lock`."""
    path = Path(os.environ.get("NPINIT_TEST_CACHE", "/tmp/npinit-test-cache"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextlib.contextmanager
def cache_lock(name: str) -> Iterator[Path]:
    """``shared_cache() / name``, held alone (an flock) while the caller checks and builds it:
    two test runs at once (two checkouts, or pytest-xdist's workers) never build it together
    nor use it half-built."""
    import fcntl

    path = shared_cache() / name
    with open(shared_cache() / f".{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield path
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def pyenv_root(environ: Mapping[str, str]) -> Path:
    """Where pyenv keeps its interpreters, by pyenv's own rule: ``$PYENV_ROOT``, else
    ``$HOME/.pyenv`` (no fixed home: CI may run as another user)."""
    home = environ.get("HOME") or str(Path.home())
    return Path(environ.get("PYENV_ROOT") or Path(home) / ".pyenv")


# read when the tests start, before each test's HOME is isolated
PYENV_ROOT = pyenv_root(os.environ)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def find_python(version: str, root: Path | None = None, path: str | None = None) -> Path | None:
    """An interpreter for ``3.X``: pyenv's (under ``root``, by default :data:`PYENV_ROOT`),
    or ``python3.X`` on ``path`` (by default PATH)."""
    for prefix in sorted(((root or PYENV_ROOT) / "versions").glob(f"{version}.*")):
        exe = prefix / "bin" / "python3"
        if exe.exists():
            return exe
    found = shutil.which(f"python{version}", path=path)
    return Path(found) if found else None


def need_python(version: str) -> Path:
    """The interpreter, else skip the test; in CI (``CI=true``) a missing interpreter fails
    the test instead, so that a CI machine without it cannot pass by skipping."""
    exe = find_python(version)
    if exe is None:
        reason = f"Python {version} is not installed (pyenv install {version})"
        if IN_CI:
            pytest.fail(f"{reason}; CI must have it")
        pytest.skip(reason)
    return exe


def run(
    cmd: list[str | Path],
    cwd: Path | None = None,
    check: bool = True,
    env: dict[str, str] | None = None,
    timeout: float = 900,
) -> subprocess.CompletedProcess[str]:
    """Run a real command; on failure show its output in the test report."""
    result = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, capture_output=True, text=True, env=env, timeout=timeout
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"{cmd} exited {result.returncode}\nstdout:\n{result.stdout[-4000:]}\n"
            f"stderr:\n{result.stderr[-4000:]}"
        )
    return result


@pytest.fixture(scope="session")
def channel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A local channel alias (``<root>/conda-forge``) of tiny synthetic packages: python
    3.12.9 (no interpreter), numpy 2.4.6 and mkl/openblas BLAS builds, for linux-64."""
    from tests.channels import build_channel

    return build_channel(tmp_path_factory.mktemp("channel"))


@pytest.fixture(scope="session")
def forge_alias(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A channel alias whose ``conda-forge`` is the shared conda-forge slice (real metadata
    for linux-64, linux-aarch64, osx-arm64 and win-64)."""
    root = tmp_path_factory.mktemp("alias")
    (root / "conda-forge").symlink_to(FIXTURES / "channels" / "conda-forge-blas-slice")
    return root.as_uri()


_EXIT_STATUS: list[int] = []


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _EXIT_STATUS.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """py-rattler 0.28's runtime threads can crash the interpreter while it tears itself down
    after a solve (npinit's own entry point leaves the same way, see npinit.__main__): once
    pytest has reported everything, leave with its exit status, without that teardown."""
    import sys

    if "rattler" in sys.modules and _EXIT_STATUS:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_EXIT_STATUS[-1])
