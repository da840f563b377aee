"""What a black-box tester of ``npinit init`` found (issue 26), each proven on the real path:
pixi in pyproject.toml pinned where pixi reads it, included files, outside includes and
pixi features refused by lock's own rule, unparseable requirements files refused with their
line, the decision lines saying what the file had, the ``--hash`` lines of a numpy pin."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from tests.helpers import invoke, lock_section, tree

PIXI_PYPROJECT = """\
[project]
name = "demo"
version = "0.1.0"

[tool.pixi.workspace]
channels = ["conda-forge"]
platforms = ["linux-64"]

[tool.pixi.dependencies]
numpy = ">=2.4"
python = "3.14.*"
"""


def test_pixi_in_pyproject_is_pinned_where_pixi_reads_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    """numpy is pinned in [tool.pixi.dependencies], not added to [project] dependencies
    (which pixi installs from PyPI and npinit's lock refuses); then lock solves it."""
    root = tmp_path / "p"
    root.mkdir()
    (root / "pyproject.toml").write_text(PIXI_PYPROJECT)
    code, out, err = invoke(
        ["init", "--no-solve", "--no-input", "--json", "--numpy", "2.4.6"], root, capsys
    )
    assert code == 0, err
    assert json.loads(out)["manager"] == "pixi"
    doc = tomllib.loads((root / "pyproject.toml").read_text())
    assert doc["tool"]["pixi"]["dependencies"]["numpy"] == "==2.4.6"
    assert "dependencies" not in doc["project"]
    code, _, err = invoke(["lock", "--channel-alias", forge_alias], root, capsys)
    assert code == 0, err
    section = lock_section(root / "npinit.lock", "linux-64")
    assert {p["name"]: p["version"] for p in section["packages"]}["numpy"] == "2.4.6"
