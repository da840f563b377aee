"""A child left running while npinit works (runner.start, runner.Started): waited for, it
answers as runner.run would; stopped, its whole group is gone; a stop that comes as it
starts is held until its caller watches it; the test-only fault as it starts leaves none
behind."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest

from npinit.errors import Failure
from npinit.runner import run, start

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="process groups and /proc")


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def _sleeper(tmp_path: Path) -> tuple[list[str], Path]:
    """A shell that starts a grandchild in its group, writes both pids, and waits."""
    pids = tmp_path / "pids"
    script = f"sleep 300 & echo $$ $! > {pids}.tmp; mv {pids}.tmp {pids}; wait"
    return ["sh", "-c", script], pids


def _pids(path: Path) -> list[int]:
    while not path.exists():  # polling for the file the child writes, not for a moment
        time.sleep(0.01)
    return [int(word) for word in path.read_text().split()]


def _groups() -> set[int]:
    """The process groups of this test's children (led by a child of this process)."""
    found = set()
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == os.getpid() and fields[0] not in ("Z", "X"):
            found.add(int(fields[2]))
    return found


def _group(pgid: int) -> list[int]:
    """The live processes of process group ``pgid``."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            found.append(int(entry.name))
    return found


def test_waited_for_it_answers_as_run_does(tmp_path: Path) -> None:
    cmd = ["sh", "-c", "echo out; echo err >&2"]
    started = start(cmd, cwd=tmp_path, what="the echo")
    started.watch()
    result = started.wait()
    assert (result.args, result.returncode, result.stdout, result.stderr) == (
        cmd,
        0,
        "out\n",
        "err\n",
    )
    assert result.stdout == run(cmd, cwd=tmp_path).stdout
    started.stop()  # waited for: nothing to stop, no error


def test_a_non_zero_exit_is_the_failure_run_raises(tmp_path: Path) -> None:
    cmd = ["sh", "-c", "echo first; echo 'no space left' >&2; exit 3"]
    with pytest.raises(Failure) as ran:
        run(cmd, cwd=tmp_path, what="uv venv")
    started = start(cmd, cwd=tmp_path, what="uv venv")
    with pytest.raises(Failure) as waited:
        started.wait()
    assert (waited.value.message, waited.value.hint) == (ran.value.message, ran.value.hint)
    assert waited.value.message == "uv venv failed (exit 3): no space left"


def test_a_program_that_cannot_start_is_the_failure_run_raises(tmp_path: Path) -> None:
    missing = str(tmp_path / "no-such-uv")
    with pytest.raises(Failure) as ran:
        run([missing, "venv"])
    with pytest.raises(Failure) as started:
        start([missing, "venv"])
    assert started.value.message == ran.value.message == f"{missing} could not be started"


def test_stopped_its_whole_group_is_gone(tmp_path: Path) -> None:
    cmd, pid_file = _sleeper(tmp_path)
    started = start(cmd, cwd=tmp_path)
    try:
        started.watch()
        pids = _pids(pid_file)
        assert all(_alive(pid) for pid in pids)
    finally:
        started.stop()
    assert not any(_alive(pid) for pid in pids)


def test_a_stop_as_it_starts_waits_for_watch(tmp_path: Path) -> None:
    """SIGINT while the child starts is held: the caller's try, entered after start
    returned, still gets the KeyboardInterrupt, and stops the child."""
    cmd, _ = _sleeper(tmp_path)
    started = start(cmd, cwd=tmp_path)
    os.kill(os.getpid(), signal.SIGINT)  # held: no KeyboardInterrupt here
    with pytest.raises(KeyboardInterrupt):
        try:
            started.watch()
            pytest.fail("the held stop was not acted on")
        except BaseException:
            started.stop()
            raise
    assert _group(started.process.pid) == []  # the shell, and its sleep if it got that far
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_fault_as_the_child_starts_leaves_no_child(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The injected failure at child-started (an OSError, not a signal) stops the child it
    came after, and gives the held stops back."""
    cmd, pid_file = _sleeper(tmp_path)
    monkeypatch.setenv("NPINIT_TEST_FAULT", "child-started")
    groups = _groups()
    with pytest.raises(OSError, match="injected fault at child-started"):
        start(cmd, cwd=tmp_path)
    assert not pid_file.exists() or not any(_alive(pid) for pid in _pids(pid_file))
    assert _groups() <= groups  # no group of the child's left
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_given_text_is_what_the_child_reads_on_its_stdin(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """run(given=TEXT): the child reads TEXT whole on its stdin, then its end (more than a
    pipe holds, written PIPE_BUF bytes at a time while its output is read, over many slices
    of the wait: made 1 ms here); without, /dev/null."""
    from npinit import runner

    monkeypatch.setattr(runner, "SLICE", 0.001)
    text = "".join(f"package{n}==1.0 --hash=sha256:{n:064x}\n" for n in range(40000))
    assert len(text) > 1 << 21
    done = run(["wc", "-c"], given=text, timeout=30)
    assert done.stdout.split() == [str(len(text.encode()))]
    assert run(["cat"], given="").stdout == ""
    assert run(["cat"]).stdout == ""


def test_what_the_pipe_takes_at_once_is_written_without_a_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An export of a few dozen packages (12 KB; a new pipe takes 64 KB) is written at once:
    no thread is started, so nothing waits for one to be scheduled; 4 MB needs the thread
    for the rest. Both arrive whole."""
    import threading

    started: list[str] = []

    class Spy(threading.Thread):
        def start(self) -> None:
            started.append(self.name)
            super().start()

    monkeypatch.setattr(threading, "Thread", Spy)
    small = "".join(f"package{n}==1.0 --hash=sha256:{n:064x}\n" for n in range(120))
    assert 1 << 13 < len(small) < 1 << 14
    assert run(["wc", "-c"], given=small, timeout=30).stdout.split() == [str(len(small))]
    assert started == []
    big = small * 340
    assert run(["wc", "-c"], given=big, timeout=30).stdout.split() == [str(len(big))]
    assert started == ["npinit-stdin"]
