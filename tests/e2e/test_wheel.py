"""The built wheel carries the template and the data file, and works installed on its own."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, need_python, run
from tests.helpers import python_in

pytestmark = pytest.mark.e2e


def test_wheel_contents_and_installed_npinit_new(tmp_path: Path) -> None:
    python = need_python("3.12")
    run([python, "-m", "venv", tmp_path / "build-env"])
    builder = python_in(tmp_path / "build-env")
    run([builder, "-m", "pip", "wheel", "-q", "--no-deps", "-w", tmp_path / "dist", ROOT])
    (wheel,) = (tmp_path / "dist").glob("npinit-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    template_files = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "templates").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert {f"npinit/{name}" for name in template_files} <= names
    assert "npinit/knowledge/numpy_releases.json" in names
    assert not any(n.startswith(("tests/", "examples/")) for n in names)
    # installed from the wheel alone (outside the source tree), npinit finds its template;
    # without the checkout's src on PYTHONPATH (tests/conftest.py puts it there)
    alone = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run([builder, "-m", "pip", "install", "-q", wheel], env=alone)
    where = run([builder, "-c", "import npinit; print(npinit.__file__)"], env=alone)
    assert "site-packages" in where.stdout, where.stdout
    out = run(
        [
            builder,
            "-m",
            "npinit",
            "new",
            "from-wheel",
            "--no-input",
            "--manager",
            "pip",
            "--platform",
            "linux-64",
            "--output-dir",
            tmp_path / "out",
        ],
        cwd=tmp_path,
        env=alone,
    )
    assert "Created" in out.stdout
    assert (tmp_path / "out/from-wheel/requirements.txt").exists()
