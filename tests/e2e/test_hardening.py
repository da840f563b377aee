"""Every input a real machine has: undecodable metadata, corrupt answers files, FIFOs where
files should be, hanging and broken interpreters, old-style installs, odd lock values. Each is
one line and a documented exit code, or a warning that names what was left out."""

from __future__ import annotations

import json
import os
import shutil
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, need_python, run
from tests.helpers import invoke

pytestmark = pytest.mark.e2e
REAL_META = FIXTURES / "conda-meta/osx-arm64-openblas"


@pytest.fixture(scope="module")
def bare_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real venv with no packages (fast: no pip)."""
    python = need_python("3.12")
    venv = tmp_path_factory.mktemp("hard") / "venv"
    run([python, "-m", "venv", "--without-pip", venv])
    return venv


def _copy(venv: Path, to: Path) -> Path:
    shutil.copytree(venv, to, symlinks=True)
    return to


def _dist(site: Path, name: str, version: str, installer: bytes = b"pip\n") -> Path:
    dist = site / f"{name}-{version}.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    (dist / "INSTALLER").write_bytes(installer)
    return dist


def _site(venv: Path) -> Path:
    return next((venv / "lib").glob("python3*/site-packages"))


@pytest.mark.parametrize("command", ["lock", "verify", "doctor"])
def test_undecodable_installer_and_wheel_files_are_a_warning(
    bare_venv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    venv = _copy(bare_venv, tmp_path / "v")
    dist = _dist(_site(venv), "odd", "1.0", installer=b"\xff\n")
    (dist / "WHEEL").write_bytes(b"Tag: \xff\n")
    lock = tmp_path / "npinit.lock"
    if command == "verify":
        assert (
            invoke(["lock", "--prefix", str(venv), "--output", str(lock)], tmp_path, capsys)[0] == 0
        )
    args = {
        "lock": ["lock", "--prefix", str(venv), "--output", str(lock)],
        "verify": ["verify", "--prefix", str(venv), "--lock", str(lock)],
        "doctor": ["doctor", "--prefix", str(venv)],
    }[command]
    code, out, err = invoke(args, tmp_path, capsys)
    assert "Traceback" not in out + err
    if command == "lock":
        assert code == 0, err
        assert "INSTALLER is not UTF-8" in err and "WHEEL is not UTF-8" in err
        assert 'name = "odd"' in lock.read_text()
    elif command == "verify":
        assert code == 0, out + err
    else:  # the bare venv has no NumPy: that is the problem doctor reports, and only that
        assert code == 1 and "NumPy is not installed" in out, out + err


def test_egg_info_is_locked_with_a_warning(
    bare_venv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    venv = _copy(bare_venv, tmp_path / "v")
    egg = _site(venv) / "oldpkg-0.3-py3.12.egg-info"
    egg.mkdir()
    (egg / "PKG-INFO").write_text("Metadata-Version: 1.1\nName: OldPkg\nVersion: 0.3\n")
    (_site(venv) / "single-1.0-py3.12.egg-info").write_text("Name: single\nVersion: 1.0\n")
    lock = tmp_path / "npinit.lock"
    code, _, err = invoke(["lock", "--prefix", str(venv), "--output", str(lock)], tmp_path, capsys)
    assert code == 0, err
    text = lock.read_text()
    assert 'name = "oldpkg"' in text and 'name = "single"' in text
    assert "oldpkg 0.3 is installed as egg-info" in err


def test_conda_records_of_the_wrong_type_are_refused_by_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prefix = tmp_path / "env"
    shutil.copytree(REAL_META, prefix / "conda-meta")
    record = next(prefix.glob("conda-meta/numpy-*.json"))
    data = json.loads(record.read_text())
    data["version"] = ["x"]
    record.write_text(json.dumps(data))
    lock = tmp_path / "npinit.lock"
    code, _, err = invoke(
        ["lock", "--prefix", str(prefix), "--output", str(lock)], tmp_path, capsys
    )
    assert code == 0, err
    assert f"conda record {record.name} left out: version has the wrong type" in err
    assert "['x']" not in lock.read_text()


@pytest.mark.parametrize("value", ["true", "0", "-1", '"1"', "1.5"])
def test_lock_versions_that_are_not_whole_numbers_from_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: Any
) -> None:
    prefix = tmp_path / "env"
    shutil.copytree(REAL_META, prefix / "conda-meta")
    lock = tmp_path / "npinit.lock"
    assert (
        invoke(["lock", "--prefix", str(prefix), "--output", str(lock)], tmp_path, capsys)[0] == 0
    )
    text = lock.read_text()
    assert "lock-version = 2\n" in text
    lock.write_text(text.replace("lock-version = 2\n", f"lock-version = {value}\n"))
    code, _, err = invoke(
        ["verify", "--prefix", str(prefix), "--lock", str(lock)], tmp_path, capsys
    )
    assert code == 2 and "invalid lock-version" in err and len(err.strip().splitlines()) == 1


def test_verify_refuses_a_fifo_lock_instead_of_waiting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prefix = tmp_path / "env"
    shutil.copytree(REAL_META, prefix / "conda-meta")
    fifo = tmp_path / "npinit.lock"
    os.mkfifo(fifo)
    result: dict[str, tuple[int, str, str]] = {}
    worker = threading.Thread(
        target=lambda: result.update(
            r=invoke(["verify", "--prefix", str(prefix), "--lock", str(fifo)], tmp_path, capsys)
        ),
        daemon=True,
    )
    worker.start()
    worker.join(timeout=30)
    if worker.is_alive():  # free the blocked reader, then fail
        with open(fifo, "w"):
            pass
        pytest.fail("verify waited on the FIFO")
    code, _, err = result["r"]
    assert code == 2 and "not a regular file (a FIFO)" in err


ANSWERS_BREAKAGES = {
    "binary": b"\x00\xff\xfe binary",
    "not-a-table": b'project = "x"\n',
    "not-toml": b"[project\nname = 1\n",
    "wrong-type": b'[project]\nname = "p"\nmanager = "pip"\npython = "3.12"\n'
    b'platforms = "linux-64"\n',
}


@pytest.mark.parametrize(
    ("breakage", "command"),
    [
        (b, c)
        for b in sorted(ANSWERS_BREAKAGES)
        for c in ("set", "lock", "create", "doctor")
        if b != "wrong-type" or c == "create"  # only create reads the platforms
    ],
)
def test_a_broken_answers_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], breakage: str, command: str
) -> None:
    code, _, err = invoke(
        ["new", "p", "--manager", "pip", "--python", "3.12", "--no-input"], tmp_path, capsys
    )
    assert code == 0, err
    project = tmp_path / "p"
    answers = project / ".npinit.toml"
    answers.write_bytes(ANSWERS_BREAKAGES[breakage])
    before = {p.name: p.read_bytes() for p in project.iterdir() if p.is_file()}
    args = {
        "set": ["set", "--numpy", "2.3"],
        "lock": ["lock"],
        "create": ["create"],
        "doctor": ["doctor"],
    }[command]
    code, out, err = invoke(args, project, capsys)
    assert code == 2, out + err
    assert ".npinit.toml" in err and "Traceback" not in out + err
    assert len(err.strip().splitlines()) == 1
    assert {p.name: p.read_bytes() for p in project.iterdir() if p.is_file()} == before


def test_doctor_stops_an_interpreter_that_hangs(
    bare_venv: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    venv = _copy(bare_venv, tmp_path / "v")
    pids = tmp_path / "pids"
    (_site(venv) / "zzz_hang.pth").write_text(
        f"import os, time; open({str(pids)!r}, 'a').write(str(os.getpid()) + '\\n'); "
        "time.sleep(600)\n"
    )
    monkeypatch.setenv("NPINIT_PROBE_TIMEOUT", "3")
    started = time.monotonic()
    code, out, err = invoke(["doctor", "--prefix", str(venv), "--json"], tmp_path, capsys)
    assert time.monotonic() - started < 60
    assert code == 1, err
    check = {c["id"]: c for c in json.loads(out)["checks"]}["numpy-import"]
    assert check["status"] == "problem"
    assert "could not run" in check["message"] and "within 3 s" in check["message"]
    for pid in map(int, pids.read_text().split()):  # the hanging interpreter was stopped
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text()


def test_a_bad_probe_timeout_is_one_line(
    bare_venv: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NPINIT_PROBE_TIMEOUT", "soon")
    code, _, err = invoke(["doctor", "--prefix", str(bare_venv)], tmp_path, capsys)
    assert code == 2 and "NPINIT_PROBE_TIMEOUT" in err


def test_doctor_on_a_venv_whose_interpreter_is_gone(
    bare_venv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    venv = _copy(bare_venv, tmp_path / "v")
    for name in ("python", "python3", "python3.12"):
        link = venv / "bin" / name
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(tmp_path / "removed-python3.12")
    code, out, err = invoke(["doctor", "--prefix", str(venv)], tmp_path, capsys)
    assert code == 1, out + err
    assert "the environment's interpreter is missing" in out
    assert "Traceback" not in out + err


def test_pixi_names_the_platform_mkl_is_not_built_for(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = invoke(
        [
            "new",
            "px",
            "--manager",
            "pixi",
            "--platform",
            "all",
            "--no-input",
            "--blas",
            "openblas,osx-arm64=mkl",
        ],
        tmp_path,
        capsys,
    )
    assert code == 2
    assert "mkl is not built for osx-arm64" in err
    assert "--manager pixi" not in err and "osx-arm64=openblas" in err


def test_python_interpreter_that_prints_nothing_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = tmp_path / "python"
    fake.write_text("#!/bin/sh\nexit 0\n")
    fake.chmod(0o755)
    code, _, err = invoke(
        ["lock", "--python", str(fake), "--output", str(tmp_path / "l")], tmp_path, capsys
    )
    assert code == 2 and "not a working Python interpreter" in err
    assert sys.executable  # the real one is untouched
