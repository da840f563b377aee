"""The README's exit-code table, one real process per code."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

pytestmark = pytest.mark.e2e
NPINIT = [sys.executable, "-m", "npinit"]


def _prefix(root: Path) -> Path:
    prefix = root / "env"
    shutil.copytree(FIXTURES / "conda-meta/osx-arm64-openblas", prefix / "conda-meta")
    return prefix


def _run(
    args: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*NPINIT, *args], cwd=cwd, capture_output=True, text=True, env=env)


def test_0_ok(tmp_path: Path) -> None:
    assert _run(["versions", "--python", "3.12"], tmp_path).returncode == 0


def test_1_failure(tmp_path: Path) -> None:
    result = _run(
        ["lock", "--prefix", str(_prefix(tmp_path)), "--output", "/proc/x/n.lock"], tmp_path
    )
    assert result.returncode == 1 and result.stderr.startswith("npinit: error:")


def test_2_invalid_input(tmp_path: Path) -> None:
    result = _run(["new", "../x", "--no-input"], tmp_path)
    assert result.returncode == 2 and list(tmp_path.iterdir()) == []


def test_3_tool_missing(tmp_path: Path) -> None:
    env = {**os.environ, "PATH": str(tmp_path / "nothing")}
    result = _run(
        ["new", "p", "--manager", "poetry", "--platform", "linux-64", "--no-input", "--create"],
        tmp_path,
        env,
    )
    assert result.returncode == 3 and "Poetry is not installed" in result.stderr


def test_4_drift(tmp_path: Path) -> None:
    prefix = _prefix(tmp_path)
    lock = tmp_path / "npinit.lock"
    assert _run(["lock", "--prefix", str(prefix), "--output", str(lock)], tmp_path).returncode == 0
    record = prefix / "conda-meta/numpy-1.26.4-py311h7125741_0.json"
    data = json.loads(record.read_text())
    data["version"] = "1.26.3"
    record.write_text(json.dumps(data))
    result = _run(["verify", "--prefix", str(prefix), "--lock", str(lock)], tmp_path)
    assert result.returncode == 4 and "numpy" in result.stdout


def test_end_of_input_at_a_prompt_is_exit_2(tmp_path: Path) -> None:
    """`npinit new p < /dev/null`: no answer can come; say so and suggest --no-input."""
    result = subprocess.run(
        [*NPINIT, "new", "p"],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert "no answer came on standard input" in result.stderr and "--no-input" in result.stderr
    assert "interrupted" not in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_130_interrupted_at_a_prompt(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [*NPINIT, "new"],
        cwd=tmp_path,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert proc.stdout is not None
    seen = ""
    while "Project name" not in seen:  # it waits at the first prompt
        chunk = os.read(proc.stdout.fileno(), 1024).decode()
        assert chunk, "npinit ended before asking"
        seen += chunk
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130 and "interrupted" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []
