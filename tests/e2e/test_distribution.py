"""npinit as it would be published: `python -m build` makes the sdist and the wheel, and
`twine check --strict` (PyPI's own rendering checks) accepts both, as .ci/run does."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, run

pytestmark = pytest.mark.e2e


def test_build_and_twine_check(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    run([sys.executable, "-m", "build", "--outdir", dist, ROOT])
    built = sorted(p.name for p in dist.iterdir())
    assert len(built) == 2
    assert {name.endswith(".tar.gz") for name in built} == {True, False}
    assert any(name.endswith("-py3-none-any.whl") for name in built)
    checked = run([sys.executable, "-m", "twine", "check", "--strict", *sorted(dist.iterdir())])
    assert checked.stdout.count("PASSED") == 2, checked.stdout


def test_ci_runs_the_build_and_the_check() -> None:
    script = (ROOT / ".ci/run").read_text()
    assert "-m build --outdir" in script and "-m twine check --strict" in script
