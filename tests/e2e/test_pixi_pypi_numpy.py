"""A pixi project whose numpy is a PyPI dependency (``[pypi-dependencies]``, or the
``[project]`` dependencies pixi installs from PyPI) keeps it one (black-box finding F13):
init pins numpy where it is and adds no conda numpy; the lock holds PyPI's wheel. Real
py-rattler against the conda-forge slice and uv against the package index."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tests.helpers import invoke, lock_section

pytestmark = pytest.mark.e2e

PYPROJECT = """\
[project]
name = "demo"
version = "0.1"
requires-python = ">=3.12"
dependencies = ["numpy>=2.0", "threadpoolctl"]

[tool.pixi.workspace]
channels = ["conda-forge"]
platforms = ["linux-64"]

[tool.pixi.dependencies]
python = "3.14.*"
"""

PIXI = """\
[workspace]
channels = ["conda-forge"]
platforms = ["linux-64"]

[dependencies]
python = "3.14.*"

[pypi-dependencies]
numpy = ">=2.0"
"""


def test_a_pyproject_numpy_pixi_takes_from_pypi_is_pinned_there_and_locked_from_pypi(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    alias = ["--channel-alias", forge_alias]
    code, _, err = invoke(["init", "--no-input", *alias], tmp_path, capsys)
    assert code == 0, err
    doc = tomllib.loads((tmp_path / "pyproject.toml").read_text())
    pinned = doc["project"]["dependencies"][0]
    assert pinned.startswith("numpy==") and doc["project"]["dependencies"][1] == "threadpoolctl"
    assert "numpy" not in doc["tool"]["pixi"]["dependencies"]  # no conda numpy added
    code, _, err = invoke(["lock", *alias], tmp_path, capsys)
    assert code == 0, err
    numpy = [p for p in lock_section(tmp_path / "npinit.lock")["packages"] if p["name"] == "numpy"]
    assert [(p["source"], p["version"]) for p in numpy] == [("pypi", pinned.split("==")[1])]
    assert invoke(["lock", "--check"], tmp_path, capsys)[0] == 0


def test_a_pixi_pypi_dependencies_numpy_is_pinned_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pixi.toml").write_text(PIXI)
    code, out, err = invoke(["init", "--no-input", "--no-solve"], tmp_path, capsys)
    assert code == 0, err
    assert "no numpy entry" not in out and "(the file has numpy >=2.0)" in out, out
    doc = tomllib.loads((tmp_path / "pixi.toml").read_text())
    assert doc["pypi-dependencies"]["numpy"].startswith("==")
    assert set(doc["dependencies"]) == {"python"}
