"""``npinit create`` of a pip project with a lock begins ``uv venv`` before it reads the lock
(api/create._head_start, managers/pip.start_venv): uv makes the venv in the background while
npinit checks the lock and writes its hashed export. What it sends uv is what it sent before
(the same two commands, in the same order); a failure, a stop or a refused lock while uv runs
leaves no uv running, no .venv, no temporary file and no marker; a uv venv that fails says
what it said before, and a stale lock still wins over it (exit 2). Stand-in uvs (NPINIT_UV)
make the moments certain: one that never finishes its venv, one that fails it, one that logs
its arguments and runs the real uv."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import need_python
from tests.helpers import npinit_environ, tree

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(sys.platform != "linux", reason="process groups and /proc"),
]

PIP = ["--manager", "pip", "--python", "3.12", "--numpy", "2.4.6", "--platform", "linux-64"]

# a uv whose `uv venv` makes the folder, says it started, and does not finish (it gives up
# after 30 s: a create that waited for it fails then instead of hanging)
ENDLESS = """#!/bin/sh
if [ "$1" = venv ]; then
    mkdir -p "$5"; echo $$ >> "{pids}"
    i=0; while [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done
    echo "error: the stand-in gave up" >&2; exit 1
fi
exec "{real_uv}" "$@"
"""
# a uv whose `uv venv` fails as a full disk would
FAILING = """#!/bin/sh
if [ "$1" = venv ]; then mkdir -p "$5/lib"; echo "error: No space left on device" >&2; exit 2; fi
exec "{real_uv}" "$@"
"""
# a uv that logs its arguments (one JSON list a line) and does the real work
LOGGING = """#!/bin/sh
"{python}" -c 'import json, sys; print(json.dumps(sys.argv[1:]))' "$@" >> "{log}"
exec "{real_uv}" "$@"
"""


@pytest.fixture(scope="module")
def locked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A pip project locked for linux-64 (NumPy 2.4.6, pytest, threadpoolctl)."""
    need_python("3.12")
    root = tmp_path_factory.mktemp("head-start")
    env = npinit_environ(dict(os.environ))
    new = ["new", "hs", *PIP, "--ci", "none", "--no-input", "--no-solve"]
    subprocess.run([sys.executable, "-m", "npinit", *new], cwd=root, env=env, check=True)
    subprocess.run([sys.executable, "-m", "npinit", "lock"], cwd=root / "hs", env=env, check=True)
    return root / "hs"


@pytest.fixture(autouse=True)
def no_stand_in_left(tmp_path: Path) -> Iterator[None]:
    """Whatever a test's verdict, none of its stand-ins runs after it."""
    yield
    for pid in _running(str(tmp_path / "stand-in")):
        os.kill(pid, signal.SIGKILL)


def _project(locked: Path, tmp_path: Path) -> Path:
    project = tmp_path / "hs"
    shutil.copytree(locked, project, symlinks=True)
    return project


def _stand_in(tmp_path: Path, script: str) -> tuple[Path, Path]:
    """The stand-in uv written from ``script``; and the file it writes its pids or its
    arguments to."""
    from uv import find_uv_bin

    record = tmp_path / "uv.record"
    uv = tmp_path / "stand-in" / "uv"
    uv.parent.mkdir()
    uv.write_text(
        script.format(pids=record, log=record, real_uv=find_uv_bin(), python=sys.executable)
    )
    uv.chmod(0o755)
    return uv, record


def _create(
    project: Path, tmp_path: Path, uv: Path | None, fault: str = ""
) -> subprocess.CompletedProcess[str]:
    """``npinit create --no-check`` in ``project``, with its own empty TMPDIR."""
    temporary = tmp_path / "tmp"
    temporary.mkdir(exist_ok=True)
    env = npinit_environ({**os.environ, "TMPDIR": str(temporary)})
    if uv is not None:
        env["NPINIT_UV"] = str(uv)
    if fault:
        env["NPINIT_TEST_FAULT"] = fault
    return subprocess.run(
        [sys.executable, "-m", "npinit", "create", "--no-check"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )


def _running(marker: str) -> list[int]:
    """The live processes whose command line holds ``marker`` (the stand-in's path)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            held = marker.encode() in (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if held and entry.name.isdigit() and state not in ("Z", "X"):
            found.append(int(entry.name))
    return found


def _nothing_left(project: Path, tmp_path: Path, before: dict[str, bytes], uv: Path | None) -> None:
    survivors = _running(str(uv)) if uv is not None else []
    assert survivors == []
    assert tree(project) == before  # no .venv, no marker, the lock and the files as they were
    assert not (project / ".venv").exists()
    assert list((tmp_path / "tmp").iterdir()) == []  # the export's folder went with it


@pytest.mark.parametrize("stop", ["", ":SIGINT", ":SIGTERM"])
def test_a_fault_while_uv_venv_runs_leaves_nothing(locked: Path, tmp_path: Path, stop: str) -> None:
    """The fault comes once the lock was read and its export written, uv venv not waited for:
    with the stand-in, uv is certainly still running then."""
    project = _project(locked, tmp_path)
    before = tree(project)
    uv, pids = _stand_in(tmp_path, ENDLESS)
    done = _create(project, tmp_path, uv, "create-venv-pending" + stop)
    code, said = {"": (1, "injected fault at create-venv-pending"), ":SIGINT": (130, "interrupted"),
                  ":SIGTERM": (143, "stopped by SIGTERM")}[stop]  # fmt: skip
    assert done.returncode == code, done.stderr
    assert said in done.stderr and "Traceback" not in done.stderr
    assert len(pids.read_text().split()) == 1  # uv venv had begun
    _nothing_left(project, tmp_path, before, uv)


def test_a_fault_while_the_real_uv_venv_runs_leaves_nothing(locked: Path, tmp_path: Path) -> None:
    """The real uv may have finished its venv by then, or not: either way no .venv stays."""
    project = _project(locked, tmp_path)
    before = tree(project)
    done = _create(project, tmp_path, None, "create-venv-pending")
    assert done.returncode == 1, done.stderr
    assert "injected fault at create-venv-pending" in done.stderr
    _nothing_left(project, tmp_path, before, None)


def test_a_stale_lock_stops_the_uv_venv_begun_before_it_was_read(
    locked: Path, tmp_path: Path
) -> None:
    project = _project(locked, tmp_path)
    requirements = project / "requirements.txt"
    requirements.write_text(requirements.read_text() + "six\n")
    before = tree(project)
    uv, pids = _stand_in(tmp_path, ENDLESS)
    done = _create(project, tmp_path, uv)
    assert done.returncode == 2, done.stderr
    [line] = done.stderr.strip().splitlines()
    assert "npinit.lock does not match the project" in line
    assert len(pids.read_text().split()) == 1  # uv venv had begun: it was stopped
    _nothing_left(project, tmp_path, before, uv)


def _in_turn(project: Path, uv: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """create as it ran before the head start (a runner of the test's own: uv venv runs in
    its turn, after the lock was read): its error line, or "" when it succeeded."""
    from npinit import api
    from npinit.errors import NpinitError
    from npinit.runner import run

    monkeypatch.setenv("NPINIT_UV", str(uv))
    try:
        api.create_environment(
            project, machine=api.this_machine(), run=lambda *a, **k: run(*a, **k), check=False
        )
    except NpinitError as error:
        return f"npinit: error: {error.message} ({error.hint})"
    return ""


def test_a_failing_uv_venv_says_what_it_said_and_a_stale_lock_still_wins(
    locked: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project(locked, tmp_path)
    before = tree(project)
    uv, _ = _stand_in(tmp_path, FAILING)
    done = _create(project, tmp_path, uv)
    assert done.returncode == 1, done.stderr
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("npinit: error: uv venv failed (exit 2): error: No space left on")
    assert line == _in_turn(project, uv, monkeypatch)
    _nothing_left(project, tmp_path, before, uv)
    requirements = project / "requirements.txt"
    requirements.write_text(requirements.read_text() + "six\n")
    before = tree(project)
    done = _create(project, tmp_path, uv)
    assert done.returncode == 2, done.stderr  # as when uv venv ran after the lock was read
    [line] = done.stderr.strip().splitlines()
    assert "npinit.lock does not match the project" in line
    assert line == _in_turn(project, uv, monkeypatch)
    _nothing_left(project, tmp_path, before, uv)


def test_uv_is_sent_the_commands_it_was_sent_in_turn(
    locked: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project(locked, tmp_path)
    uv, log = _stand_in(tmp_path, LOGGING)
    done = _create(project, tmp_path, uv)
    assert done.returncode == 0, done.stderr
    assert "installed exactly, verified" in done.stdout
    assert not (project / ".npinit-create-incomplete").exists()
    early = [json.loads(line) for line in log.read_text().splitlines()]
    shutil.rmtree(project / ".venv")
    log.unlink()
    assert _in_turn(project, uv, monkeypatch) == ""
    in_turn = [json.loads(line) for line in log.read_text().splitlines()]
    assert [c[:-1] for c in early] == [c[:-1] for c in in_turn]  # the export's folder aside
    assert [Path(c[-1]).name for c in early] == [Path(c[-1]).name for c in in_turn]
    assert [c[:2] for c in early] == [["venv", "--quiet"], ["pip", "sync"]]
    assert early[0][-1] == str(project / ".venv")
