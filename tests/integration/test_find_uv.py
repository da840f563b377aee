"""Which uv npinit runs: a deliberate NPINIT_UV, else the uv installed with npinit, else a
uv on PATH new enough to write pylock files (0.6.15)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from uv import find_uv_bin

from npinit.managers.common import UV_MINIMUM, find_uv, packaged_uv
from npinit.model import Manager
from npinit.model_create import CreateContext
from npinit.model_spec import Blas, Channel, ProjectSpec
from npinit.runner import run


def _context(tmp_path: Path, **environ: str) -> CreateContext:
    return CreateContext(
        project=tmp_path,
        spec=ProjectSpec("p", "p", Manager.UV, "3.12", "2.4.6", Blas.DEFAULT, Channel.PYPI, ()),
        environ={"PATH": str(tmp_path / "bin"), **environ},
        run=run,
        progress=lambda _: None,
    )


def _uv_on_path(tmp_path: Path, version: str) -> Path:
    fake = tmp_path / "bin" / "uv"
    fake.parent.mkdir(exist_ok=True)
    fake.write_text(f"#!/bin/sh\necho 'uv {version} (stand-in)'\n")
    fake.chmod(0o755)
    return fake


def test_the_bundled_uv_comes_before_one_on_path(tmp_path: Path) -> None:
    _uv_on_path(tmp_path, "0.13.0")
    assert find_uv(_context(tmp_path)) == str(find_uv_bin())


def test_npinit_uv_is_taken_as_given(tmp_path: Path) -> None:
    fake = _uv_on_path(tmp_path, "0.13.0")
    assert find_uv(_context(tmp_path, NPINIT_UV=str(fake))) == str(fake)


@pytest.mark.parametrize(("version", "taken"), [("0.6.14", False), ("0.6.15", True)])
def test_without_the_bundled_uv_only_a_new_enough_one_on_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, version: str, taken: bool
) -> None:
    monkeypatch.setitem(sys.modules, "uv", None)  # the PyPI package uv is not installed
    fake = _uv_on_path(tmp_path, version)
    assert find_uv(_context(tmp_path)) == (str(fake) if taken else None)
    assert UV_MINIMUM == (0, 6, 15)


def test_the_bundled_uv_is_new_enough() -> None:
    """npinit's own requirement (``uv>=0.6.15``) holds for the uv it is tested with."""
    out = run([find_uv_bin(), "--version"]).stdout.split()[1]
    assert tuple(int(p) for p in out.split(".")) >= UV_MINIMUM


def test_the_packaged_uv_is_found_as_find_uv_bin_finds_it() -> None:
    """In a fresh interpreter of this venv (the uv package not loaded), npinit takes the
    venv's bin/uv without loading the package or sysconfig; the answer is find_uv_bin's. Once
    the package is loaded (here), find_uv_bin itself answers: the same."""
    import os
    import subprocess

    from tests.helpers import npinit_environ

    probe = (
        "import sys\nfrom npinit.managers.common import packaged_uv\n"
        "print(packaged_uv(False), sorted(m for m in ('uv', 'sysconfig') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env=npinit_environ(dict(os.environ)),
    )
    assert done.stdout.split(maxsplit=1) == [str(find_uv_bin()), "[]\n"]
    assert packaged_uv(False) == str(find_uv_bin())


@pytest.mark.parametrize(("version", "taken"), [("0.6.14", False), ("0.7.0", True)])
def test_choosing_pins_finds_uv_by_the_same_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, version: str, taken: bool
) -> None:
    """init's solving (api.pins_pypi.uv_for_solving, given only the environment) takes the
    uv create takes: without the bundled one, a new enough uv on PATH, asked its version."""
    from npinit.api.pins_pypi import uv_for_solving
    from npinit.errors import ToolMissing

    monkeypatch.setitem(sys.modules, "uv", None)  # the PyPI package uv is not installed
    fake = _uv_on_path(tmp_path, version)
    environ = {"PATH": str(tmp_path / "bin")}
    if taken:
        assert uv_for_solving(environ) == str(fake)
    else:
        with pytest.raises(ToolMissing):
            uv_for_solving(environ)
