"""A stopped ``npinit create`` stops its installer too: real signals sent to npinit's pid
alone (as an IDE's stop button or a supervisor sends them), with default dispositions."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, NoReturn

import pytest

from tests.conftest import need_python
from tests.helpers import lock_section, no_conda_path, npinit_environ

# A stand-in conda whose build forks a writer that keeps writing into the prefix, the way
# pip's and uv's worker processes do; it records every pid it starts.
WRITER = """#!/bin/sh
prefix="$4"
mkdir -p "$prefix/conda-meta"
echo $$ >> "{pids}"
( while true; do mkdir -p "$prefix/lib"; date > "$prefix/lib/written"; sleep 0.02; done ) \
    </dev/null >/dev/null 2>&1 &
echo $! >> "{pids}"
touch "{started}"
wait
"""


NEW = [sys.executable, "-m", "npinit", "new", "sig", "--manager"]


def _default_signals() -> None:
    """The child starts with SIGINT, SIGTERM and SIGHUP at their defaults, whatever the test
    runner's own dispositions are (a backgrounded shell ignores SIGINT)."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


# A stand-in uv for pip projects: `uv venv` makes the folder, `uv pip install` forks a writer
# into .venv/lib, as an orphaned pip did in the reported bug.
UV = """#!/bin/sh
if [ "$1" = venv ]; then mkdir -p "$5"; exit 0; fi
if [ "$2" = compile ]; then exec "{real_uv}" "$@"; fi
echo $$ >> "{pids}"
( while true; do mkdir -p .venv/lib; date > .venv/lib/written; sleep 0.02; done ) \\
    </dev/null >/dev/null 2>&1 &
echo $! >> "{pids}"
touch "{started}"
wait
"""


def _start_create(
    tmp_path: Path, manager: str, channel: Path
) -> tuple[subprocess.Popen[str], Path, Path]:
    from uv import find_uv_bin

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    pids, started = tmp_path / "pids", tmp_path / "started"
    tool = bin_dir / ("conda" if manager == "conda" else "uv")
    script = WRITER if manager == "conda" else UV
    tool.write_text(script.format(pids=pids, started=started, real_uv=find_uv_bin()))
    tool.chmod(0o755)
    env = npinit_environ({**os.environ, "PATH": f"{bin_dir}{os.pathsep}{no_conda_path()}"})
    if manager != "conda":
        env["NPINIT_UV"] = str(tool)  # npinit prefers its own uv to one on PATH
    python = ["--python", "3.12", "--numpy", "2.4.6"]
    if manager == "conda":  # the synthetic channel solves it
        python += ["--channel-alias", channel.as_uri()]
    proc = subprocess.Popen(
        [*NEW, manager, *python, "--platform", "linux-64", "--no-input", "--create"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_default_signals,
    )
    while not started.exists() and proc.poll() is None:  # no deadline: a loaded machine
        time.sleep(0.02)  # polling for a file the stand-in writes, not waiting for a moment
    assert started.exists(), proc.communicate(timeout=60)
    return proc, tmp_path / "sig", pids


@pytest.mark.parametrize(
    ("sig", "code", "said"),
    [
        (signal.SIGINT, 130, "interrupted"),
        (signal.SIGTERM, 143, "stopped by SIGTERM"),
        (signal.SIGHUP, 129, "stopped by SIGHUP"),
    ],
)
@pytest.mark.parametrize("manager", ["conda", "pip"])
def test_signal_to_npinit_alone_stops_the_installer(
    tmp_path: Path, sig: Any, code: int, said: str, manager: str, channel: Path
) -> None:
    if manager == "pip":
        need_python("3.12")
    proc, project, pids = _start_create(tmp_path, manager, channel)
    proc.send_signal(sig)  # to npinit's pid only, not to a process group
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    assert said in err and "Traceback" not in err
    children = [int(line) for line in pids.read_text().split()]
    assert len(children) == 2  # the stand-in and the writer it forked
    survivors = [pid for pid in children if _alive(pid)]
    for pid in survivors:  # leave no writer behind, whatever the verdict
        os.kill(pid, signal.SIGKILL)
    assert survivors == []
    # nothing writes into the project any more: no environment; the lock, written whole
    # before installing began, and the files are intact
    assert not (project / ".conda").exists() and not (project / ".venv").exists()
    assert lock_section(project / "npinit.lock", "linux-64")["packages"]
    assert not (project / ".npinit-create-incomplete").exists()
    assert (project / ("environment.yml" if manager == "conda" else "requirements.txt")).is_file()


# A stand-in uv that forks a writer and waits, the way the installer of the first test does
WAITER = """#!/bin/sh
( while true; do sleep 0.02; done ) </dev/null >/dev/null 2>&1 &
wait
"""


def _running(marker: str) -> list[int]:
    """The live processes whose command line holds ``marker`` (a stand-in's path: its shell
    and the subshells it forks keep that command line)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            held = marker.encode() in (entry / "cmdline").read_bytes()
        except OSError:  # not a process, or one that just ended
            continue
        if held and entry.name.isdigit() and _alive(int(entry.name)):
            found.append(int(entry.name))
    return found


@pytest.mark.parametrize(("sig", "code"), [("SIGINT", 130), ("SIGTERM", 143), ("SIGHUP", 129)])
def test_a_stop_as_the_child_starts_stops_the_child(tmp_path: Path, sig: str, code: int) -> None:
    """The stop comes at the one moment the signal from outside can only sometimes hit: the
    child runs (Popen returned) and npinit is not yet watching it. The fault hook sends it
    there, every time: the child's group is stopped all the same, and nothing is written."""
    from npinit import api

    spec = api.resolve_project("sig", manager="pip", python="3.12", platforms=["linux-64"])
    api.new_project(spec, tmp_path)
    uv = tmp_path / "uv-stand-in"
    uv.write_text(WAITER)
    uv.chmod(0o755)
    env = npinit_environ({**os.environ, "NPINIT_UV": str(uv)})
    env["NPINIT_TEST_FAULT"] = f"child-started:{sig}"
    done = subprocess.run(
        [sys.executable, "-m", "npinit", "lock"],
        cwd=tmp_path / "sig",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_default_signals,
    )
    survivors = _running(str(uv))
    for pid in survivors:  # leave no stand-in behind, whatever the verdict
        os.kill(pid, signal.SIGKILL)
    assert survivors == []
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "sig" / "npinit.lock").exists()


def test_a_half_built_venv_without_the_marker_is_rebuilt(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A `.venv` holding only `lib/` (what an orphaned pip left) is recognised as half-built:
    the next create removes it instead of refusing forever."""
    from npinit import api

    project = tmp_path / "p"
    spec = api.resolve_project("p", manager="pip", python="3.12", platforms=["linux-64"])
    api.new_project(spec, tmp_path)
    (project / ".venv/lib/python3.12/site-packages/numpy").mkdir(parents=True)
    assert api.half_built(project) == [".venv"]
    (project / ".venv/pyvenv.cfg").write_text("home = /usr/bin\n")
    assert api.half_built(project) == [".venv"]  # still no interpreter
    (project / ".venv/bin").mkdir()
    (project / ".venv/bin/python").symlink_to(sys.executable)
    assert api.half_built(project) == []

    calls: list[list[str]] = []

    def refuse(cmd: Any, **kwargs: Any) -> NoReturn:
        """Records what create would run, and stops it there."""
        calls.append([str(c) for c in cmd])
        from npinit.errors import Failure

        raise Failure("stopped by the test", "")

    (project / ".venv/bin/python").unlink()
    with pytest.raises(Exception, match="stopped by the test"):
        api.create_environment(project, machine=api.this_machine(), run=refuse, use_uv=False)

    assert calls  # it went on to build, instead of "already exists"
    assert not (project / ".venv").exists()
