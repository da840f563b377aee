"""npinit new --create / npinit create: real environments, recorded locks, their own tests;
missing tools, failures and interrupts leave the project intact and no lock."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, need_python, run
from tests.helpers import invoke, python_in

pytestmark = pytest.mark.e2e
PIP = ["--manager", "pip", "--python", "3.12", "--numpy", "2.4.6", "--platform", "linux-64"]


def _lock(project: Path) -> dict[str, Any]:
    return tomllib.loads((project / "npinit.lock").read_text())


@pytest.mark.parametrize("installer", ["uv", "pip"])
def test_pip_create_end_to_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], installer: str
) -> None:
    need_python("3.12")
    args = ["new", "pc", *PIP, "--create", "--no-input", "--json"]
    if installer == "pip":
        args.append("--no-uv")
    code, out, err = invoke(args, tmp_path, capsys)
    assert code == 0, err
    report = json.loads(out)["environment"]
    assert report["tool"] == installer
    assert report["numpy"] == "2.4.6" and report["blas"] == "openblas"
    assert report["tests"]["passed"] is True and "4 passed" in report["tests"]["summary"]
    project = tmp_path / "pc"
    version = run([python_in(project / ".venv"), "-c", "import numpy; print(numpy.__version__)"])
    assert version.stdout.strip() == "2.4.6"
    numpy = next(p for p in _lock(project)["packages"] if p["name"] == "numpy")
    if installer == "pip":  # pip's --report gives the hashes; uv reports none
        assert len(numpy["sha256"]) == 64 and numpy["url"].endswith(".whl")
    else:
        assert "sha256" not in numpy
        assert "npinit lock --online" in " ".join(report["warnings"])
    code, out, _ = invoke(["verify"], project, capsys)
    assert code == 0 and "No drift" in out


def test_poetry_create_in_an_existing_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    need_python("3.12")
    code, _, _ = invoke(
        [
            "new",
            "po",
            "--manager",
            "poetry",
            "--python",
            "3.12",
            "--numpy",
            "2.4.6",
            "--platform",
            "linux-64",
            "--no-input",
        ],
        tmp_path,
        capsys,
    )
    assert code == 0
    project = tmp_path / "po"
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    poetry = shutil.which("poetry") or str(Path(sys.executable).with_name("poetry"))
    # this machine's PyPI mirror lacks the JSON API Poetry's default source uses
    run(
        [poetry, "source", "add", "--priority=primary", "simple", "https://pypi.org/simple/"],
        cwd=project,
        env=env,
    )
    monkeypatch.setenv("PATH", str(Path(poetry).parent) + os.pathsep + os.environ["PATH"])
    code, out, err = invoke(["create", "--json"], project, capsys)
    assert code == 0, err
    report = json.loads(out)
    assert report["tool"] == "poetry" and report["tests"]["passed"] is True
    poetry_lock = (project / "poetry.lock").read_text()
    numpy = next(p for p in _lock(project)["packages"] if p["name"] == "numpy")
    assert numpy["version"] == "2.4.6" and numpy["sha256"] in poetry_lock
    code, _, _ = invoke(["verify"], project, capsys)
    assert code == 0


@pytest.fixture(scope="module")
def channel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.channels import build_channel

    return build_channel(tmp_path_factory.mktemp("channel"))


def _no_conda_path(tmp_path: Path) -> str:
    """PATH without any conda front-end, so the embedded engine is used."""
    keep = [
        p
        for p in os.environ["PATH"].split(os.pathsep)
        if not any((Path(p) / t).exists() for t in ("conda", "mamba", "micromamba"))
    ]
    return os.pathsep.join(keep)


@pytest.mark.parametrize("blas", ["mkl", "openblas"])
def test_embedded_conda_engine_on_a_local_channel(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    channel: Any,
    blas: str,
) -> None:
    monkeypatch.setenv("PATH", _no_conda_path(tmp_path))
    code, out, err = invoke(
        [
            "new",
            "cc",
            "--manager",
            "conda",
            "--python",
            "3.12",
            "--numpy",
            "2.4.6",
            "--blas",
            blas,
            "--platform",
            "linux-64",
            "--threads",
            "2",
            "--no-input",
            "--create",
            "--json",
            "--channel-alias",
            channel.as_uri(),
        ],
        tmp_path,
        capsys,
    )
    assert code == 0, err
    report = json.loads(out)["environment"]
    assert report["tool"] == "py-rattler" and report["blas"] == blas
    assert report["tests"]["passed"] is None  # the synthetic python has no interpreter
    prefix = tmp_path / "cc/.conda"
    records = {p.name.rsplit("-", 2)[0] for p in (prefix / "conda-meta").glob("*.json")}
    assert {"python", "numpy", "libblas", "liblapack", "pytest", "threadpoolctl"} <= records
    libblas = json.loads(next((prefix / "conda-meta").glob("libblas-*.json")).read_text())
    assert libblas["build"].endswith(blas)
    assert (prefix / "lib/python3.12/site-packages/numpy/__init__.py").exists()
    state = json.loads((prefix / "conda-meta/state").read_text())
    assert state["env_vars"]["OPENBLAS_NUM_THREADS"] == "2"
    lock = _lock(tmp_path / "cc")
    assert lock["blas"]["variant"] == blas
    assert next(p for p in lock["packages"] if p["name"] == "numpy")["channel"] == "conda-forge"
    code, out, _ = invoke(["verify"], tmp_path / "cc", capsys)
    assert code == 0, out


STAND_IN = """#!{python}
import json, os, shutil, sys
with open(os.environ["NPINIT_TEST_LOG"], "a") as log:
    log.write(json.dumps([os.path.basename(sys.argv[0]), *sys.argv[1:]]) + "\\n")
prefix = sys.argv[sys.argv.index("--prefix") + 1]
shutil.copytree({records!r}, os.path.join(prefix, "conda-meta"))
"""


def _stand_ins(folder: Path, names: list[str]) -> None:
    folder.mkdir()
    for name in names:
        exe = folder / name
        exe.write_text(
            STAND_IN.format(
                python=sys.executable, records=str(FIXTURES / "conda-meta/osx-arm64-openblas")
            )
        )
        exe.chmod(0o755)


@pytest.mark.parametrize(
    ("tools", "expected"),
    [
        (["conda"], ["conda", "env", "create", "--prefix", "{p}", "--file", "{f}"]),
        (
            ["micromamba", "conda"],
            ["micromamba", "create", "--yes", "--prefix", "{p}", "--file", "{f}"],
        ),
        (
            ["mamba", "micromamba", "conda"],
            ["mamba", "env", "create", "--yes", "--prefix", "{p}", "--file", "{f}"],
        ),
    ],
)
def test_conda_front_ends_get_the_exact_command(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tools: Any,
    expected: Any,
) -> None:
    _stand_ins(tmp_path / "bin", tools)
    log = tmp_path / "calls.log"
    monkeypatch.setenv("NPINIT_TEST_LOG", str(log))
    monkeypatch.setenv("PATH", str(tmp_path / "bin") + os.pathsep + _no_conda_path(tmp_path))
    code, out, err = invoke(
        [
            "new",
            "cf",
            "--manager",
            "conda",
            "--python",
            "3.12",
            "--numpy",
            "2.4.6",
            "--platform",
            "osx-arm64",
            "--no-input",
            "--create",
        ],
        tmp_path,
        capsys,
    )
    assert code == 0, err
    project = tmp_path / "cf"
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    assert calls == [
        [a.format(p=project / ".conda", f=project / "environment.yml") for a in expected]
    ]
    assert "not run" in out
    assert _lock(project)["blas"]["variant"] == "openblas"


def _project_files(project: Path) -> dict[str, bytes]:
    return {
        p.relative_to(project).as_posix(): p.read_bytes()
        for p in project.rglob("*")
        if p.is_file() and ".venv" not in p.parts
    }


def test_missing_poetry_exits_3_and_keeps_the_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    code, _, err = invoke(
        [
            "new",
            "np",
            "--manager",
            "poetry",
            "--python",
            "3.12",
            "--platform",
            "linux-64",
            "--no-input",
            "--create",
        ],
        tmp_path,
        capsys,
    )
    assert code == 3
    assert err.strip().splitlines() == [
        "npinit: error: Poetry is not installed (install it: pipx install poetry)"
    ]
    assert (tmp_path / "np/pyproject.toml").exists()
    assert not (tmp_path / "np/npinit.lock").exists() and not (tmp_path / "np/.venv").exists()


def test_missing_python_exits_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path / "no-pyenv"))
    code, _, err = invoke(["new", "nopy", *PIP, "--no-input", "--create"], tmp_path, capsys)
    assert code == 3 and "Python 3.12 is not installed" in err
    assert not (tmp_path / "nopy/npinit.lock").exists()


def test_failed_install_removes_the_environment_and_writes_no_lock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    need_python("3.12")
    code, _, _ = invoke(
        ["new", "bad", *PIP, "--with", "npinit-no-such-package-here", "--no-input"],
        tmp_path,
        capsys,
    )
    assert code == 0
    project = tmp_path / "bad"
    before = _project_files(project)
    code, _, err = invoke(["create"], project, capsys)
    assert code == 1 and "failed" in err and len(err.strip().splitlines()) == 1
    assert not (project / ".venv").exists() and not (project / "npinit.lock").exists()
    assert _project_files(project) == before


def test_no_check_skips_the_environment_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    need_python("3.12")
    code, out, err = invoke(
        ["new", "nc", *PIP, "--no-input", "--create", "--no-check", "--json"], tmp_path, capsys
    )
    assert code == 0, err
    tests = json.loads(out)["environment"]["tests"]
    assert tests == {"passed": None, "summary": "skipped (--no-check)"}
    assert (tmp_path / "nc/npinit.lock").exists()


def test_existing_environment_is_not_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    invoke(["new", "ex", *PIP, "--no-input"], tmp_path, capsys)
    venv = tmp_path / "ex/.venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (venv / "bin/python").symlink_to(sys.executable)  # a whole venv, not a half-built one
    code, _, err = invoke(["create"], tmp_path / "ex", capsys)
    assert code == 2 and "already exists" in err
    assert (venv / "pyvenv.cfg").is_file()


def _default_signals() -> None:
    """SIGINT at its default in the child, even when the test runner was started in the
    background (where a shell ignores it, and Python then never raises KeyboardInterrupt)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_during_creation(tmp_path: Path) -> None:
    """SIGINT while a (stand-in) conda builds: exit 130, no half-built env, no lock."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    slow = bin_dir / "conda"
    slow.write_text('#!/bin/sh\nmkdir -p "$4/conda-meta"\ntouch "$4/started"\nsleep 60\n')
    slow.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{_no_conda_path(tmp_path)}"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "npinit",
            "new",
            "ci",
            "--manager",
            "conda",
            "--platform",
            "linux-64",
            "--no-input",
            "--create",
        ],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_default_signals,
    )
    project = tmp_path / "ci"
    deadline = time.monotonic() + 60
    while not (project / ".conda/started").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert (project / ".conda/started").exists()
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "interrupted" in err and "Traceback" not in err
    assert not (project / ".conda").exists() and not (project / "npinit.lock").exists()
    assert (project / "environment.yml").exists()


def test_progress_on_a_terminal_and_quiet_otherwise(tmp_path: Path) -> None:
    """rich shows the steps on a TTY; a pipe (an IDE, CI) gets no progress noise."""
    import pty

    _stand_ins(tmp_path / "bin", ["conda"])
    env = {
        **os.environ,
        "NPINIT_TEST_LOG": str(tmp_path / "log"),
        "PATH": f"{tmp_path / 'bin'}{os.pathsep}{_no_conda_path(tmp_path)}",
        "TERM": "xterm",
        "COLUMNS": "100",
    }
    args = [
        sys.executable,
        "-m",
        "npinit",
        "new",
        "tt",
        "--manager",
        "conda",
        "--platform",
        "osx-arm64",
        "--no-input",
        "--create",
    ]
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [*args[:4], "t1", *args[5:]], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=slave
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(master)
    terminal = b"".join(chunks).decode(errors="replace")
    assert proc.returncode == 0
    assert "Creating .conda with conda" in terminal or "Recording the lock" in terminal
    piped = subprocess.run(
        [*args[:4], "t2", *args[5:]], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert piped.returncode == 0
    assert "Creating .conda" not in piped.stderr and "Recording" not in piped.stderr
