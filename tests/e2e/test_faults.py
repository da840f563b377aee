"""Reliability with real processes: signals at named steps, a full disk, read-only
places, corrupt inputs, two writers at once. Whatever happens, previous files are intact and
nothing half-written is left."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES
from tests.helpers import fake_conda, invoke, lock_section

pytestmark = pytest.mark.e2e
NPINIT = [sys.executable, "-m", "npinit"]
REAL_META = FIXTURES / "conda-meta/osx-arm64-openblas"


def conda_prefix(root: Path) -> Path:
    prefix = root / "env"
    shutil.copytree(REAL_META, prefix / "conda-meta")
    return prefix


@pytest.mark.parametrize(
    ("sig", "step", "left"),
    [
        ("SIGINT", "new-rendered", "none"),
        ("SIGTERM", "new-rendered", "none"),
        ("SIGKILL", "new-rendered", "none"),
        ("SIGINT", "new-moved", "whole"),
        ("SIGKILL", "new-moved", "whole"),
    ],
)
def test_signals_during_new_leave_a_whole_project_or_none(
    tmp_path: Path, sig: Any, step: str, left: str
) -> None:
    """A signal at a named step (the test-only NPINIT_TEST_FAULT, no timing): before the
    move there is no project, after it a whole one; never a part."""
    reference = tmp_path / "reference"
    args = ["new", "proj", "--no-input", "--platform", "linux-64"]
    subprocess.run([*NPINIT, *args, "--output-dir", str(reference)], check=True)
    expected = {p.relative_to(reference / "proj") for p in (reference / "proj").rglob("*")}
    out = tmp_path / "out"
    out.mkdir()
    result = subprocess.run(
        [*NPINIT, *args, "--output-dir", str(out)],
        env={**os.environ, "NPINIT_TEST_FAULT": f"{step}:{sig}"},
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    project = out / "proj"
    if left == "whole":
        assert {p.relative_to(project) for p in project.rglob("*")} == expected
    else:
        assert not project.exists()
    code = {"SIGINT": 130, "SIGTERM": 143, "SIGKILL": -9}[sig]
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    staging = [p for p in out.iterdir() if p.name != "proj"]
    if sig == "SIGKILL":  # a killed run leaves its hidden staging folder (removed later)
        assert [p.name.startswith(".proj.npinit-") for p in staging] == [True]
    else:
        assert staging == []


def _killed_at(step: str, cmd: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``cmd`` and have npinit SIGKILL itself at ``step`` (test-only NPINIT_TEST_FAULT)."""
    result = subprocess.run(
        cmd,
        cwd=cwd,
        env={**os.environ, "NPINIT_TEST_FAULT": f"{step}:SIGKILL"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == -signal.SIGKILL, result.stderr
    return result


@pytest.mark.parametrize(("step", "new"), [("write-before-rename", False), ("write-renamed", True)])
def test_sigkill_during_set_leaves_the_old_or_the_new_file(
    tmp_path: Path, step: str, new: bool
) -> None:
    source = FIXTURES / "realworld/scipy__environment.yml"
    original = source.read_bytes()
    target = tmp_path / "environment.yml"
    target.write_bytes(original)
    _killed_at(step, [*NPINIT, "set", str(target), "--numpy", "2.4.6"], tmp_path)
    edited = original.replace(b"  - numpy\n", b"  - numpy=2.4.6\n")
    assert edited != original
    assert target.read_bytes() == (edited if new else original)


@pytest.mark.parametrize(("step", "new"), [("write-before-rename", False), ("write-renamed", True)])
def test_sigkill_during_lock_never_leaves_a_truncated_lock(
    tmp_path: Path, step: str, new: bool
) -> None:
    prefix = conda_prefix(tmp_path)
    lock = tmp_path / "npinit.lock"
    lock.write_text("# the previous lock\nlock-version = 1\n")
    previous = lock.read_bytes()
    _killed_at(step, [*NPINIT, "lock", "--prefix", str(prefix), "--output", str(lock)], tmp_path)
    text = lock.read_bytes()
    if not new:
        assert text == previous
    else:
        data = lock_section(text.decode())
        assert len(data["packages"]) == len(list(REAL_META.glob("*.json")))


def test_two_locks_at_once_leave_one_complete_file(tmp_path: Path) -> None:
    prefix = conda_prefix(tmp_path)
    lock = tmp_path / "npinit.lock"
    for _ in range(5):
        procs = [
            subprocess.Popen(
                [*NPINIT, "lock", "--prefix", str(prefix), "--output", str(lock)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            for _ in range(4)
        ]
        assert all(p.wait(timeout=60) == 0 for p in procs)
        data = lock_section(lock)
        assert len(data["packages"]) == len(list(REAL_META.glob("*.json")))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["env", "npinit.lock"]


def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (300, 300))


def test_full_disk_gives_a_clear_error_and_keeps_the_old_lock(tmp_path: Path) -> None:
    prefix = conda_prefix(tmp_path)
    lock = tmp_path / "npinit.lock"
    lock.write_text("lock-version = 1\n")
    result = subprocess.run(
        [*NPINIT, "lock", "--prefix", str(prefix), "--output", str(lock)],
        capture_output=True,
        text=True,
        preexec_fn=_limit_file_size,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("npinit: error:") and "File too large" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert lock.read_text() == "lock-version = 1\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_full_disk_during_new_leaves_no_project(tmp_path: Path) -> None:
    result = subprocess.run(
        [*NPINIT, "new", "proj", "--no-input", "--platform", "linux-64"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        preexec_fn=_limit_file_size,
    )
    assert result.returncode == 1 and "File too large" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("where", ["/proc/npinit-test/out", "/sys/npinit-test"])
def test_read_only_places(tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str) -> None:
    code, _, err = invoke(
        ["new", "proj", "--no-input", "--platform", "linux-64", "--output-dir", where],
        tmp_path,
        capsys,
    )
    assert code == 1 and err.startswith("npinit: error:") and len(err.strip().splitlines()) == 1
    prefix = conda_prefix(tmp_path)
    code, _, err = invoke(
        ["lock", "--prefix", str(prefix), "--output", f"{where}/npinit.lock"], tmp_path, capsys
    )
    assert code == 1 and "Traceback" not in err


# -- corrupt inputs ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["truncated", "binary", "huge"])
def test_corrupt_locks(tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str) -> None:
    prefix = conda_prefix(tmp_path)
    lock = tmp_path / "npinit.lock"
    invoke(["lock", "--prefix", str(prefix), "--output", str(lock)], tmp_path, capsys)
    text = lock.read_bytes()
    if kind == "truncated":
        lock.write_bytes(text[: len(text) // 2 - 7])
    elif kind == "binary":
        lock.write_bytes(os.urandom(4096))
    else:
        lock.write_bytes(b"lock-version = 1\n" + b'[[packages]]\nname = "x\n' * 400_000)
    code, _, err = invoke(
        ["verify", "--prefix", str(prefix), "--lock", str(lock)], tmp_path, capsys
    )
    assert code == 2 and str(lock) in err and len(err.strip().splitlines()) == 1


def test_dist_info_without_metadata_and_a_symlink_loop(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    venv = tmp_path / "venv"
    site = venv / "lib/python3.12/site-packages"
    site.mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text("version = 3.12.1\n")
    good = site / "good-1.0.dist-info"
    good.mkdir()
    (good / "METADATA").write_text("Name: good\nVersion: 1.0\n")
    (site / "empty-1.0.dist-info").mkdir()
    os.symlink(site / "loop-1.0.dist-info", site / "loop-1.0.dist-info")
    out = tmp_path / "l.lock"
    code, _, err = invoke(["lock", "--prefix", str(venv), "--output", str(out)], tmp_path, capsys)
    assert code == 0
    assert "empty-1.0.dist-info/METADATA does not exist" in err
    assert "loop-1.0.dist-info" in err
    assert [p["name"] for p in lock_section(out)["packages"]] == ["good"]


def test_conda_record_missing_fields(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    prefix = conda_prefix(tmp_path)
    record = prefix / "conda-meta/libblas-3.9.0-20_osxarm64_openblas.json"
    data = json.loads(record.read_text())
    del data["version"]
    record.write_text(json.dumps(data))
    code, _, err = invoke(["lock", "--prefix", str(prefix)], tmp_path, capsys)
    assert code == 2 and "libblas-3.9.0-20_osxarm64_openblas.json" in err


def test_environment_yml_that_is_a_list_is_refused_by_create(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    invoke(["new", "proj", "--no-input", "--platform", "linux-64"], tmp_path, capsys)
    project = tmp_path / "proj"
    (project / "environment.yml").write_text("- numpy\n- python\n")
    monkeypatch.setenv("PATH", str(tmp_path / "no-conda"))
    code, _, err = invoke(["create"], project, capsys)
    assert code == 2 and "is not an environment file (its top level is not a mapping)" in err
    assert not (project / ".conda").exists() and not (project / "npinit.lock").exists()


def test_sigkill_during_create_then_create_again(tmp_path: Path, channel: Path) -> None:
    """A killed create leaves its marker; the next create removes the half-built env."""
    bin_dir = tmp_path / "bin"
    fake_conda(bin_dir, ["conda"])
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}/usr/bin:/bin",
        "NPINIT_TEST_STARTED": str(tmp_path / "ck/.conda/started"),
        "NPINIT_TEST_WAIT_FOR": str(tmp_path / "fast"),
    }
    subprocess.run(
        [*NPINIT, "new", "ck", "--no-input", "--platform", "linux-64", "--python", "3.12",
         "--numpy", "2.4.6", "--manager", "conda"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )  # fmt: skip
    project = tmp_path / "ck"
    alias = ["--channel-alias", channel.as_uri()]
    proc = subprocess.Popen(
        [*NPINIT, "create", *alias], cwd=project, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not (project / ".conda/started").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.kill()
    proc.communicate(timeout=30)
    assert (project / ".npinit-create-incomplete").exists()  # the marker says what happened
    lock = (project / "npinit.lock").read_bytes()  # written whole before installing
    (tmp_path / "fast").touch()
    again = subprocess.run(
        [*NPINIT, "create", *alias], cwd=project, env=env, capture_output=True, text=True
    )
    assert again.returncode == 0, again.stderr
    assert "removed the half-built environment" in again.stderr
    assert (project / "npinit.lock").read_bytes() == lock
    assert (project / ".conda/conda-meta").is_dir()
    assert not (project / ".npinit-create-incomplete").exists()
