"""A conda project's lock inputs: environment.yml's channels, specs and ``platforms:`` key,
read from one reading of the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from npinit.managers import conda, conda_engine
from npinit.spec import build_spec

FILE = """\
name: demo
channels:
  - conda-forge
  - nodefaults
dependencies:
  - python=3.12
  - numpy=2.4.6
  - libblas=*=*openblas
platforms:
  - linux-64
  - win-64
"""


def test_the_lock_inputs_read_environment_yml_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "environment.yml").write_text(FILE, "utf-8")
    spec = build_spec(
        name="demo", manager="conda", blas="openblas", channel="conda-forge",
        platforms=["linux-64", "win-64"], python="3.12", numpy="2.4.6",
    )  # fmt: skip
    reads: list[Path] = []
    real = conda_engine.read_environment

    def counted(path: Path) -> dict[str, Any]:
        reads.append(path)
        return real(path)

    monkeypatch.setattr(conda_engine, "read_environment", counted)
    assert conda.lock_inputs(tmp_path, spec) == [
        "channel conda-forge",
        "channel nodefaults",
        "python=3.12",
        "numpy=2.4.6",
        "libblas=*=*openblas",
        "platforms: linux-64, win-64",
    ]
    assert reads == [tmp_path / "environment.yml"]
