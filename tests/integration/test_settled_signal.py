"""A stop signal after the command has finished (``set`` wrote every file) changes nothing:
npinit exits 0 as the command did. Python gives SIGINT its default action back while it
tears down, and a Ctrl-C there killed npinit after ``set`` had changed every file: exit 130,
no line (black-box finding F18 of issue 26). NPINIT_TEST_FAULT sends the signal at the step
after the command (no sleep)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import npinit_environ


@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM"])
def test_a_stop_signal_after_set_finished_is_exit_0(tmp_path: Path, sig: str) -> None:
    (tmp_path / "requirements.txt").write_text("numpy>=1.26\nscipy\n")
    env = npinit_environ(dict(os.environ))
    npinit = [sys.executable, "-m", "npinit"]
    subprocess.run(
        [*npinit, "init", "--no-input", "--no-solve"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
    )
    env["NPINIT_TEST_FAULT"] = f"command-done:{sig}"
    args = [*npinit, "set", "--numpy", "2.3.5", "--python", "3.12", "--no-solve"]
    done = subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, (done.returncode, done.stderr)
    assert "numpy==2.3.5" in (tmp_path / "requirements.txt").read_text()
    assert "interrupted" not in done.stderr and "stopped" not in done.stderr
