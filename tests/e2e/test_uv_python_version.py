"""A uv project's ``.python-version`` is the Python ``uv sync`` builds (black-box finding
F12): init reads it (records that Python, not the newest of requires-python), and one that
no longer names the recorded Python makes ``lock --check`` exit 2 naming it. Real uv lock."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import invoke

pytestmark = pytest.mark.e2e

UV = """\
[project]
name = "demo"
version = "0.1.0"
requires-python = ">=3.11"
dependencies = ["numpy>=1.26"]

[tool.uv]
"""


def test_init_records_the_python_version_file_and_check_sees_it_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text(UV)
    (tmp_path / ".python-version").write_text("3.12\n")
    code, out, err = invoke(["init", "--no-input", "--json"], tmp_path, capsys)
    assert code == 0, err
    plan = json.loads(out)
    assert plan["python"] == "3.12"
    assert any(".python-version" in line for line in plan["decisions"]), plan["decisions"]
    assert "EXPECTED_PYTHON = '3.12'" in (tmp_path / "tests" / "test_environment.py").read_text()
    code, _, err = invoke(["lock"], tmp_path, capsys)
    assert code == 0, err
    assert invoke(["lock", "--check"], tmp_path, capsys)[0] == 0

    (tmp_path / ".python-version").write_text("3.11\n")
    code, _, err = invoke(["lock", "--check"], tmp_path, capsys)
    assert code == 2 and ".python-version says 3.11" in err and "Python 3.12" in err, err


def test_a_python_version_file_outside_requires_python_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text(UV)
    (tmp_path / ".python-version").write_text("3.10\n")
    code, _, err = invoke(["init", "--no-input", "--no-solve"], tmp_path, capsys)
    assert code == 2 and ".python-version says 3.10, outside" in err, err
    assert not (tmp_path / ".npinit.toml").exists()
