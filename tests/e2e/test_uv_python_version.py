"""A uv project's ``.python-version`` is the Python ``uv sync`` builds (black-box finding
F12): init reads it (records that Python, not the newest of requires-python), and one that
no longer names the recorded Python makes ``lock --check`` exit 2 naming it. Real uv lock.
It is read as uv reads a Python request: ``3.14t`` (or ``3.14+freethreaded``) is the
free-threaded build, recorded as ``3.14t``, and its flag is part of what lock checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from npinit.editing.pythons import uv_request
from tests.helpers import invoke, lock_section

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


@pytest.mark.parametrize(
    ("line", "python"),
    [
        ("3.14t", "3.14t"),
        ("3.14+freethreaded", "3.14t"),
        ("cpython-3.14t", "3.14t"),
        ("cpython-3.14.0+freethreaded-linux-x86_64-gnu", "3.14t"),
        ("3.14.0t", "3.14t"),
        ("3.14.0", "3.14"),
        ("3.14+gil", "3.14"),
        ("3.13d", "3.13"),
        ("cpython@3.12", "3.12"),
        ("cp312", "3.12"),
        ("cpython-3.12.3-macos-aarch64-none", "3.12"),
    ],
)
def test_a_python_version_line_is_read_as_uv_reads_a_python_request(line: str, python: str) -> None:
    assert uv_request(line) == python


def test_a_free_threaded_python_version_file_is_recorded_and_its_flag_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text(UV)
    (tmp_path / ".python-version").write_text("3.14t\n")
    code, out, err = invoke(["init", "--no-input", "--json"], tmp_path, capsys)
    assert code == 0, err
    plan = json.loads(out)
    assert plan["python"] == "3.14t", plan["decisions"]
    assert "Python 3.14t: .python-version's pin (what uv sync builds)" in plan["decisions"]
    assert 'requires-python = ">=3.11"' in (tmp_path / "pyproject.toml").read_text()
    assert 'python = "3.14t"' in (tmp_path / ".npinit.toml").read_text()
    code, _, err = invoke(["lock"], tmp_path, capsys)  # real uv lock, cp314t wheels kept
    assert code == 0, err
    numpy = next(
        p for p in lock_section(tmp_path / "npinit.lock")["packages"] if p["name"] == "numpy"
    )
    assert {tag.split("-")[1] for tag in numpy["tags"]} == {"cp314t"}, numpy["tags"]
    assert invoke(["lock", "--check"], tmp_path, capsys)[0] == 0

    (tmp_path / ".python-version").write_text("3.14+freethreaded\n")  # uv's other spelling
    assert invoke(["lock", "--check"], tmp_path, capsys)[0] == 0
    (tmp_path / ".python-version").write_text("3.14\n")  # the GIL build: another Python
    code, _, err = invoke(["lock", "--check"], tmp_path, capsys)
    assert code == 2 and ".python-version says 3.14," in err and "Python 3.14t" in err, err
