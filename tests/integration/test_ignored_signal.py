"""A stop signal the caller ignored (``nohup``) stays ignored: npinit installs its SIGTERM
and SIGHUP handlers (a stop like Ctrl-C's: exit 128 + the signal) only where the signal is
not ignored already. NPINIT_TEST_FAULT sends the signal while ``set`` writes (no sleep)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import npinit_environ


def _ignoring_sigterm() -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # as nohup leaves it for its command


@pytest.mark.parametrize("ignored", [True, False])
def test_a_sigterm_the_caller_ignored_stays_ignored(tmp_path: Path, ignored: bool) -> None:
    (tmp_path / "requirements.txt").write_text("numpy>=1.26\nscipy\n")
    env = npinit_environ(dict(os.environ))
    npinit = [sys.executable, "-m", "npinit"]
    init = [*npinit, "init", "--no-input", "--no-solve"]
    subprocess.run(init, cwd=tmp_path, env=env, check=True, capture_output=True)
    env["NPINIT_TEST_FAULT"] = "write-before-rename:SIGTERM"
    args = [*npinit, "set", "--numpy", "2.3.5", "--python", "3.12", "--no-solve"]
    done = subprocess.run(
        args, cwd=tmp_path, env=env, capture_output=True, text=True,
        preexec_fn=_ignoring_sigterm if ignored else None,
    )  # fmt: skip
    written = "numpy==2.3.5" in (tmp_path / "requirements.txt").read_text()
    if ignored:
        assert done.returncode == 0 and written, (done.returncode, done.stderr)
    else:
        assert done.returncode == 128 + signal.SIGTERM and not written, done.stderr
