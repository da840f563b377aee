"""npinit's README set-up: two commands that work with a system python3 (a venv created and
activated first), writing the example project where .gitignore covers it; .ci/run reads those
two commands from the README and runs them as written."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT


def _setup_commands() -> list[str]:
    script = (ROOT / ".ci/run").read_text()
    awk = script.split("mapfile -t setup < <(awk '", 1)[1].split("' README.md)", 1)[0]
    result = subprocess.run(
        ["awk", awk, ROOT / "README.md"], capture_output=True, text=True, check=True
    )
    return result.stdout.splitlines()


def test_ci_runs_the_readme_commands_as_written() -> None:
    commands = _setup_commands()  # the very extraction .ci/run uses
    assert len(commands) == 2
    first, second = commands
    assert first.startswith("python3 -m venv .venv && . .venv/bin/activate && ")
    assert "python -m pip install -e '.[test]'" in first  # pip of the venv, not the system's
    assert first.endswith("npinit new my-project --no-input")
    assert second == ".venv/bin/python -m pytest"
    script = (ROOT / ".ci/run").read_text()
    assert 'eval "${setup[0]}"' in script and 'eval "${setup[1]}"' in script


def test_the_example_project_and_the_venv_are_ignored_by_git(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "checkout"
    repo.mkdir()
    shutil.copy(ROOT / ".gitignore", repo / ".gitignore")
    subprocess.run(["git", "init", "-q", repo], check=True)
    (repo / "my-project").mkdir()
    (repo / "my-project/environment.yml").write_text("name: x\n")
    (repo / ".venv").mkdir()
    (repo / ".venv/pyvenv.cfg").write_text("home = /usr/bin\n")
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True, check=True
    )
    assert status.stdout.splitlines() == ["?? .gitignore"]
