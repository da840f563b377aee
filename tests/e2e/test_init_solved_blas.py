"""init records the BLAS the solve selects on each platform, not the channel's default: a
pixi manifest with ``nomkl`` (pyxis's python/pixi.toml has it) gets OpenBLAS on win-64,
where conda-forge's default is MKL (nomkl keeps MKL out: DOMAIN.md). init recorded mkl for
win-64, which the lock then contradicted. The slice has no nomkl: a one-package channel
beside it holds one, built as conda-forge's constrains MKL away."""

from __future__ import annotations

import asyncio
import json
import tomllib
from pathlib import Path

import pytest

from tests.channels import package
from tests.conftest import FIXTURES
from tests.helpers import invoke

pytestmark = pytest.mark.e2e

MANIFEST = """[workspace]
name = "nomkl"
channels = ["conda-forge", "extra"]
platforms = ["linux-64", "win-64"]

[dependencies]
python = "3.14.*"
numpy = "*"
nomkl = "*"
"""


def _alias(root: Path) -> str:
    """conda-forge (the slice) and ``extra`` (nomkl alone) under one channel alias."""
    from rattler.index import index_fs

    root.mkdir()
    (root / "conda-forge").symlink_to(FIXTURES / "channels" / "conda-forge-blas-slice")
    extra = root / "extra"
    package(extra, "noarch", "nomkl", "1.0", "h0_0", constrains=("mkl <0.a0",))
    for subdir in ("linux-64", "win-64"):
        (extra / subdir).mkdir(parents=True, exist_ok=True)
    asyncio.run(index_fs(extra, force=True))
    return root.as_uri()


def test_nomkl_is_recorded_as_the_solve_selects_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    alias = _alias(tmp_path / "alias")
    root = tmp_path / "p"
    root.mkdir()
    (root / "pixi.toml").write_text(MANIFEST)
    args = ["--channel-alias", alias]
    code, out, err = invoke(["init", "--no-input", "--yes", "--json", *args], root, capsys)
    assert code == 0, err
    assert "BLAS openblas: what the solve selects" in json.loads(out)["decisions"]
    recorded = tomllib.loads((root / ".npinit.toml").read_text())["blas"]
    assert {p: b["variant"] for p, b in recorded.items()} == {
        "linux-64": "openblas",
        "win-64": "openblas",
    }
    assert invoke(["lock", *args], root, capsys)[0] == 0
    sections = tomllib.loads((root / "npinit.lock").read_text())["platforms"]
    assert {p: s["blas"]["variant"] for p, s in sections.items()} == {
        "linux-64": "openblas",
        "win-64": "openblas",
    }
    code, _, err = invoke(["lock", "--check", *args], root, capsys)
    assert code == 0, err


def test_nomkl_without_solving_is_openblas_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--no-solve: the table's default (MKL on win-64) would contradict the lock; nomkl
    keeps MKL out, so the table-only record is OpenBLAS, and lock agrees."""
    alias = _alias(tmp_path / "alias")
    root = tmp_path / "p"
    root.mkdir()
    (root / "pixi.toml").write_text(MANIFEST)
    args = ["--channel-alias", alias]
    init = ["init", "--no-input", "--yes", "--json", "--no-solve", "--numpy", "2.5.0", *args]
    code, out, err = invoke(init, root, capsys)
    assert code == 0, err
    assert "BLAS openblas: the file's nomkl keeps MKL out" in json.loads(out)["decisions"]
    recorded = tomllib.loads((root / ".npinit.toml").read_text())["blas"]
    assert recorded["win-64"]["variant"] == "openblas"
    code, _, err = invoke(["lock", *args], root, capsys)
    assert code == 0, err  # it refused: 'its win-64 section has BLAS openblas, the project mkl'
