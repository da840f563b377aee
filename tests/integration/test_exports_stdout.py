"""Exports follow the shell's conventions: no --output (or --output -) is standard output, so
``npinit lock --format pylock ... > pylock.toml`` holds the export and no file named ``-``
appears; --output FILE still writes the file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.helpers import invoke

META = FIXTURES / "conda-meta/osx-arm64-openblas"


def _locked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    args = ["new", "p", "--no-input", "--platform", "linux-64", "--manager", "conda"]
    code, _, err = invoke([*args, "--python", "3.12", "--numpy", "2.4.6"], tmp_path, capsys)
    assert code == 0, err
    project = tmp_path / "p"
    shutil.copytree(META, project / ".conda/conda-meta")
    code, _, err = invoke(["lock", "--from-env"], project, capsys)
    assert code == 0, err
    return project


@pytest.mark.parametrize("dash", [False, True])
def test_a_project_export_goes_to_standard_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], dash: bool
) -> None:
    project = _locked(tmp_path, capsys)
    before = sorted(p.name for p in project.iterdir())
    args = ["lock", "--format", "conda-explicit", *(["--output", "-"] if dash else [])]
    code, out, err = invoke(args, project, capsys)
    assert code == 0, err
    assert "@EXPLICIT" in out and "libblas" in out
    assert sorted(p.name for p in project.iterdir()) == before  # no file, none named "-"
    code, out, _ = invoke([*args, "--json"], project, capsys)
    data = json.loads(out)
    assert data["lock"] == "-" and "@EXPLICIT" in data["text"]


def test_output_file_still_writes_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _locked(tmp_path, capsys)
    code, out, err = invoke(
        ["lock", "--format", "conda-explicit", "--output", "explicit.txt"], project, capsys
    )
    assert code == 0, err
    assert "@EXPLICIT" in (project / "explicit.txt").read_text() and "@EXPLICIT" not in out


def test_a_recorded_environment_export_goes_to_standard_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prefix = tmp_path / "env"
    shutil.copytree(META, prefix / "conda-meta")
    code, out, err = invoke(
        ["lock", "--prefix", str(prefix), "--format", "conda-explicit", "--output", "-"],
        tmp_path,
        capsys,
    )
    assert code == 0, err
    assert "@EXPLICIT" in out and not (tmp_path / "-").exists()
    assert not (tmp_path / "conda-explicit.txt").exists()
