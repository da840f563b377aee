"""The probe's deadline holds whoever keeps its pipes open (issue 24, item 14): an
interpreter that starts a ``setsid`` child keeping stdout open, then answers and exits (or
never answers), no longer makes ``doctor`` wait for the child, and the child does not outlive
npinit."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from pathlib import Path

import pytest

from npinit.record.probe import run_script
from npinit.runner import TimedOut, run

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="setsid and /proc")


def _fake_python(folder: Path, answer: bool) -> tuple[Path, Path]:
    """An "interpreter" that starts a child in a session of its own holding its stdout and
    stderr for five minutes, then prints a probe answer and exits (or, without ``answer``,
    never exits). Returns the script and the file the child writes its pid to."""
    pid_file = folder / "child.pid"
    script = folder / "python"
    tail = 'echo \'{"numpy": "2.4.6", "numpy_blas": "openblas"}\'\n' if answer else "sleep 300\n"
    script.write_text(
        "#!/bin/sh\n"
        f"setsid sh -c 'echo $$ > {pid_file}.tmp; mv {pid_file}.tmp {pid_file}; "
        "exec sleep 300' &\n"
        f"while [ ! -e {pid_file} ]; do :; done\n" + tail
    )
    script.chmod(0o755)
    return script, pid_file


def _gone(pid: int) -> bool:
    """The process ended (a zombie waiting for a reaper counts as ended)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def _wait_gone(pid: int, within: float = 10) -> bool:
    end = time.monotonic() + within
    while time.monotonic() < end:
        if _gone(pid):
            return True
        time.sleep(0.05)
    return _gone(pid)


@pytest.mark.parametrize("answer", [True, False], ids=["answers-and-exits", "never-answers"])
def test_a_setsid_child_holding_the_pipe_cannot_hold_the_probe(
    answer: bool, tmp_path: Path
) -> None:
    script, pid_file = _fake_python(tmp_path, answer)
    started = time.monotonic()
    pid = 0
    try:
        if answer:
            seen = run_script(script, doctor=True, timeout=60)
            assert seen == {"numpy": "2.4.6", "numpy_blas": "openblas"}
        else:
            with pytest.raises(TimedOut):
                run_script(script, doctor=True, timeout=3)
        spent = time.monotonic() - started
        pid = int(pid_file.read_text())
        assert spent < 30, f"the probe waited {spent:.0f} s for a child holding its pipe"
        assert _wait_gone(pid), "the child holding the pipe outlived the probe"
    finally:
        if pid and not _gone(pid):  # the test's own child, by its pid
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def test_output_still_comes_whole_from_a_child_that_ends_normally(tmp_path: Path) -> None:
    result = run(["sh", "-c", "printf 'a%.0s' $(seq 1 100000); echo; echo err >&2"], timeout=60)
    assert result.stdout == "a" * 100000 + "\n" and result.stderr == "err\n"
