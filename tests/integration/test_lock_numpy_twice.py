"""A lock section holding two numpys (a conda one and a PyPI one) is no truth about the
environment, whoever wrote it: ``lock --check`` refuses it (exit 2, one line naming both),
as ``npinit lock`` refuses to write one (the same rule, api.reproduce.numpy_twice)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.helpers import invoke

CP4 = Path(__file__).parents[1] / "data/blackbox/cp4"


def test_lock_check_refuses_a_section_with_two_numpys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "cp4"
    shutil.copytree(CP4, project)
    code, _, err = invoke(["lock", "--check"], project, capsys)
    assert code == 2, err
    assert "linux-64 section holds numpy twice (2.3.5 from conda, 2.2.6 from pypi)" in err, err
