"""npinit new --create / npinit create: real environments installed exactly from the lock,
checked against it, their own tests; missing tools, failures and interrupts leave the
project and the lock intact and no environment."""

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

from tests.conftest import need_python, run
from tests.helpers import fake_conda, invoke, lock_section, no_conda_path, python_in

pytestmark = pytest.mark.e2e
PIP = ["--manager", "pip", "--python", "3.12", "--numpy", "2.4.6", "--platform", "linux-64"]


def _lock(project: Path, platform: str = "linux-64") -> dict[str, Any]:
    return lock_section(project / "npinit.lock", platform)


def _conda_args(channel: Path, name: str) -> list[str]:
    """A conda project the synthetic channel solves (python 3.12.9, numpy 2.4.6)."""
    alias = channel.as_uri()
    return ["new", name, "--manager", "conda", "--python", "3.12", "--numpy", "2.4.6",
            "--platform", "linux-64", "--no-input", "--channel-alias", alias]  # fmt: skip


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
    assert len(numpy["sha256"]) == 64 and numpy["url"].endswith("x86_64.whl")
    assert report["platform"] == "linux-64" and report["verified"] is True
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
    # every platform's section is poetry.lock read for it: they never disagree
    code, _, err = invoke(["lock", "--platform", "all"], project, capsys)
    assert code == 0, err
    poetry_versions = {p["name"]: p["version"] for p in tomllib.loads(poetry_lock)["package"]}
    for platform in ("linux-64", "linux-aarch64", "osx-64", "osx-arm64", "win-64"):
        section = _lock(project, platform)["packages"]
        assert {p["name"]: p["version"] for p in section if p["name"] != "po"} == {
            name: version
            for name, version in poetry_versions.items()
            if name != "colorama" or platform == "win-64"
        }, platform
    before = (project / "npinit.lock").read_bytes()
    shutil.rmtree(project / ".venv")
    code, _, err = invoke(["create", "--no-check"], project, capsys)  # poetry sync, again
    assert code == 0, err
    assert (project / "npinit.lock").read_bytes() == before
    code, _, _ = invoke(["verify"], project, capsys)
    assert code == 0


@pytest.mark.parametrize("blas", ["mkl", "openblas"])
def test_embedded_conda_engine_on_a_local_channel(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    channel: Any,
    blas: str,
) -> None:
    monkeypatch.setenv("PATH", no_conda_path())
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


@pytest.mark.parametrize(
    ("tools", "used"),
    [(["conda"], "conda"), (["micromamba", "conda"], "micromamba"),
     (["mamba", "micromamba", "conda"], "mamba")],
)  # fmt: skip
def test_stand_in_conda_front_end_is_handed_the_locked_explicit_file(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    channel: Path,
    tools: list[str],
    used: str,
) -> None:
    """What this shows: npinit picks the front-end (mamba, micromamba, conda in that order)
    and hands it an ``@EXPLICIT`` file that is exactly the lock. The stand-in writes
    conda-meta from that same file, so the closing ``verify`` is npinit agreeing with itself;
    a real micromamba install is test_real_micromamba_or_pixi_installs_the_lock."""
    fake_conda(tmp_path / "bin", tools)
    log = tmp_path / "calls.log"
    monkeypatch.setenv("NPINIT_TEST_LOG", str(log))
    monkeypatch.setenv("PATH", str(tmp_path / "bin") + os.pathsep + no_conda_path())
    code, out, err = invoke([*_conda_args(channel, "cf"), "--create"], tmp_path, capsys)
    assert code == 0, err
    project = tmp_path / "cf"
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    assert len(calls) == 1
    *argv, explicit = calls[0]
    assert argv[:5] == [used, "create", "--yes", "--prefix", str(project / ".conda")]
    assert argv[5] == "--file" and argv[6].endswith("conda-linux-64.txt")
    locked = _lock(project)
    lines = explicit.splitlines()
    urls = [line for line in lines if not line.startswith(("#", "@"))]
    assert "@EXPLICIT" in lines and len(urls) == len(locked["packages"]) > 5
    # the lock names the channel; the front-end fetches through the alias (--channel-alias)
    canonical = "https://conda.anaconda.org/"
    assert all(p["url"].startswith(canonical + "conda-forge/") for p in locked["packages"])
    assert sorted(urls) == sorted(
        f"{channel.as_uri()}/{p['url'].removeprefix(canonical)}#{p['md5']}"
        for p in locked["packages"]
    )
    assert "installed exactly, verified" in out and "not run" in out
    assert locked["blas"]["variant"] == "openblas"
    code, _, _ = invoke(["verify"], project, capsys)
    assert code == 0


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
    # locking needs no interpreter: the lock is whole, the environment was never started
    assert len(_lock(tmp_path / "nopy")["packages"]) >= 3
    assert not (tmp_path / "nopy/.venv").exists()


def test_unresolvable_requirements_write_no_lock_and_no_environment(
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
    assert code == 2 and "cannot be resolved" in err and len(err.strip().splitlines()) == 1
    assert "npinit-no-such-package-here" in err
    assert not (project / ".venv").exists() and not (project / "npinit.lock").exists()
    assert _project_files(project) == before


def test_participant_path_altered_hash_and_stale_lock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The instructor locks every platform; a participant copies the project without its
    environment and creates: exactly the lock, verified, the lock byte for byte the same.
    An altered hash fails (exit 1) and leaves no .venv; after `set --numpy` the lock is stale
    (exit 2) until `create --update`."""
    need_python("3.12")
    code, _, err = invoke(["new", "inst", *PIP, "--no-input"], tmp_path, capsys)
    assert code == 0, err
    instructor = tmp_path / "inst"
    code, out, err = invoke(["lock", "--platform", "all", "--json"], instructor, capsys)
    assert code == 0, err
    assert sorted(json.loads(out)["platforms"]) == [
        "linux-64", "linux-aarch64", "osx-64", "osx-arm64", "win-64"
    ]  # fmt: skip
    participant = tmp_path / "part"
    shutil.copytree(instructor, participant)
    lock = participant / "npinit.lock"
    before = lock.read_bytes()
    code, out, err = invoke(["create", "--json", "--no-check"], participant, capsys)
    assert code == 0, err
    assert lock.read_bytes() == before
    section = _lock(participant)
    freeze = run([python_in(participant / ".venv"), "-m", "pip", "--version"], check=False)
    assert freeze.returncode != 0  # uv's venv: nothing but the lock, not even pip
    installed = run(
        [python_in(participant / ".venv"), "-c",
         "import importlib.metadata as m, json; print(json.dumps(sorted("
         "(d.metadata['Name'].lower(), d.version) for d in m.distributions())))"]
    )  # fmt: skip
    assert [tuple(x) for x in json.loads(installed.stdout)] == [
        (p["name"], p["version"]) for p in section["packages"]
    ]
    code, out, _ = invoke(["verify"], participant, capsys)
    assert code == 0 and "No drift" in out
    # the same version, rebuilt locally: pip records the file it came from (PEP 610)
    dist = next((participant / ".venv").glob("lib/python3.12/site-packages/numpy-*.dist-info"))
    wheel = (dist / "WHEEL").read_text()
    (dist / "WHEEL").unlink()  # uv links files from its cache: never write through the link
    (dist / "WHEEL").write_text(
        "".join(line for line in wheel.splitlines(True) if not line.startswith("Tag:"))
        + "Tag: cp312-cp312-linux_x86_64\n"
    )
    (dist / "direct_url.json").write_text(
        json.dumps({"url": "file:///tmp/numpy-2.3.5-cp312-cp312-linux_x86_64.whl",
                    "archive_info": {}})
    )  # fmt: skip
    code, out, _ = invoke(["verify", "--json"], participant, capsys)
    assert code == 4
    assert json.loads(out)["changes"] == [
        {"kind": "changed", "name": "numpy (pypi)", "locked": "from the index",
         "installed": "a local build"}
    ]  # fmt: skip
    (dist / "direct_url.json").unlink()
    code, out, _ = invoke(["verify", "--json"], participant, capsys)
    assert code == 4 and json.loads(out)["changes"][0]["installed"] == (
        "wheel cp312-cp312-linux_x86_64"
    )

    altered = tmp_path / "altered"
    shutil.copytree(instructor, altered)
    text = (altered / "npinit.lock").read_text()
    numpy = next(p for p in section["packages"] if p["name"] == "numpy")
    text = text.replace(numpy["sha256"], "0" * 64)
    (altered / "npinit.lock").write_text(text)
    code, _, err = invoke(["create", "--no-check"], altered, capsys)
    assert code == 1 and "hash mismatch" in err and len(err.strip().splitlines()) == 1
    assert not (altered / ".venv").exists()
    assert (altered / "npinit.lock").read_text() == text

    shutil.rmtree(participant / ".venv")
    code, _, _ = invoke(["set", "--numpy", "2.3"], participant, capsys)
    assert code == 0
    code, _, err = invoke(["create", "--no-check"], participant, capsys)
    assert code == 2 and "does not match the project" in err and "numpy" in err
    assert "npinit create --update" in err and not (participant / ".venv").exists()
    code, out, err = invoke(["create", "--no-check", "--update", "--json"], participant, capsys)
    assert code == 0, err
    assert json.loads(out)["numpy"].startswith("2.3.")
    assert _lock(participant)["packages"] != section["packages"]


def test_a_lock_without_this_platform_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _ = invoke(["new", "mac", *PIP[:-1], "osx-arm64", "--no-input"], tmp_path, capsys)
    assert code == 0
    project = tmp_path / "mac"
    code, _, err = invoke(["lock"], project, capsys)
    assert code == 0, err
    code, _, err = invoke(["create"], project, capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "no section for linux-64 (it has osx-arm64)" in err
    assert "npinit lock --platform linux-64" in err
    assert not (project / ".venv").exists()


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
    # a venv npinit cannot tell the Python of is refused, naming the difference, and kept
    assert code == 2 and "is Python unknown" in err and "asks for 3.12" in err
    assert (venv / "pyvenv.cfg").is_file()


def _default_signals() -> None:
    """SIGINT at its default in the child, even when the test runner was started in the
    background (where a shell ignores it, and Python then never raises KeyboardInterrupt)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_an_environment_that_differs_from_the_lock_is_refused_and_removed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    channel: Path,
) -> None:  # fmt: skip
    """An installer that leaves a locked package out (the stand-in conda, told to): create
    compares the new environment with the lock before it says anything is installed, exits 1
    in one line naming what differs, and removes the environment it began."""
    fake_conda(tmp_path / "bin", ["conda"])
    monkeypatch.setenv("PATH", str(tmp_path / "bin") + os.pathsep + no_conda_path())
    code, _, _ = invoke(_conda_args(channel, "cd"), tmp_path, capsys)
    assert code == 0
    project = tmp_path / "cd"
    monkeypatch.setenv("NPINIT_TEST_LEAVE_OUT", "numpy")
    create = ["create", "--no-check", "--channel-alias", channel.as_uri()]
    code, out, err = invoke(create, project, capsys)
    assert code == 1, out + err
    assert (
        err.strip()
        .splitlines()[0]
        .startswith("npinit: error: the new environment differs from npinit.lock: ")
    ), err
    assert "numpy" in err and "installed exactly" not in out + err
    assert not (project / ".conda").exists()
    monkeypatch.delenv("NPINIT_TEST_LEAVE_OUT")
    code, out, err = invoke(create, project, capsys)
    assert code == 0 and "installed exactly, verified" in out, out + err


def test_ctrl_c_during_creation(tmp_path: Path, channel: Path) -> None:
    """SIGINT while a (stand-in) conda installs: exit 130, no half-built env, the lock that
    was written before installing whole and unchanged."""
    bin_dir = tmp_path / "bin"
    fake_conda(bin_dir, ["conda"])
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{no_conda_path()}",
        "NPINIT_TEST_STARTED": str(tmp_path / "ci/.conda/started"),
        "NPINIT_TEST_WAIT_FOR": str(tmp_path / "never"),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "npinit", *_conda_args(channel, "ci"), "--create"],
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
    assert not (project / ".conda").exists()
    assert _lock(project)["blas"]["variant"] == "openblas"
    assert (project / "environment.yml").exists()


def test_progress_on_a_terminal_and_quiet_otherwise(tmp_path: Path, channel: Path) -> None:
    """rich shows the steps on a TTY; a pipe (an IDE, CI) gets no progress noise."""
    import pty

    fake_conda(tmp_path / "bin", ["conda"])
    env = {
        **os.environ,
        "NPINIT_TEST_LOG": str(tmp_path / "log"),
        "PATH": f"{tmp_path / 'bin'}{os.pathsep}{no_conda_path()}",
        "TERM": "xterm",
        "COLUMNS": "100",
    }
    args = [sys.executable, "-m", "npinit", *_conda_args(channel, "tt"), "--create"]
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
    assert "Installing" in terminal and "locked packages with conda" in terminal
    piped = subprocess.run(
        [*args[:4], "t2", *args[5:]], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert piped.returncode == 0
    assert "Installing" not in piped.stderr and "Locking" not in piped.stderr


@pytest.mark.parametrize("tool", ["micromamba", "pixi"])
def test_real_micromamba_or_pixi_installs_the_lock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], channel: Path, tool: str
) -> None:
    """The real front-end, not a stand-in, installs what npinit locked, and verify finds no
    drift. It runs where one is installed: PyPI ships neither binary (looked up for issue 30:
    no distribution named micromamba; the one named pixi is a Pixiv downloader; conda-express
    bootstraps conda from conda-forge at first use, can-they-merge and wetlands download
    their binaries at run time; Debian 12 packages neither). py-rattler, the library pixi is
    built on, installs real locks in test_embedded_conda_engine_on_a_local_channel."""
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed, and PyPI ships no {tool} binary to install")
    manager = "conda" if tool == "micromamba" else "pixi"
    args = _conda_args(channel, "real")
    args[args.index("conda")] = manager
    code, _, err = invoke([*args, "--create", "--no-check"], tmp_path, capsys)
    assert code == 0, err
    code, out, _ = invoke(["verify"], tmp_path / "real", capsys)
    assert code == 0, out
