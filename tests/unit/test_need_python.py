"""A missing interpreter skips a test on a developer's machine and fails it in CI."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests import conftest


def test_missing_python_skips_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(conftest, "IN_CI", False)
    with pytest.raises(BaseException) as caught:  # pytest's outcomes are BaseExceptions
        conftest.need_python("2.1")
    assert caught.type is pytest.skip.Exception
    assert "Python 2.1 is not installed" in str(caught.value)


def test_missing_python_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(conftest, "IN_CI", True)
    with pytest.raises(BaseException) as caught:  # a skip here must not skip this test
        conftest.need_python("2.1")
    assert caught.type is pytest.fail.Exception
    assert "CI must have it" in str(caught.value)


def test_pyenv_root_is_read_as_pyenv_reads_it(tmp_path: Path) -> None:
    """``$PYENV_ROOT``, else ``$HOME/.pyenv``: never a fixed ``/root/.pyenv``."""
    assert conftest.pyenv_root({"PYENV_ROOT": str(tmp_path / "p"), "HOME": "/x"}) == (
        tmp_path / "p"
    )
    assert conftest.pyenv_root({"HOME": str(tmp_path / "u")}) == tmp_path / "u" / ".pyenv"
    assert conftest.pyenv_root({"PYENV_ROOT": "", "HOME": str(tmp_path)}) == tmp_path / ".pyenv"


def test_pythons_are_found_under_any_pyenv_root(tmp_path: Path) -> None:
    """A pyenv tree elsewhere (another user's, CI's) is searched; a version it lacks is
    looked for on PATH, and missing from both is None (what need_python acts on)."""
    exe = tmp_path / "versions" / "3.99.1" / "bin" / "python3"
    exe.parent.mkdir(parents=True)
    exe.symlink_to(sys.executable)
    assert conftest.find_python("3.99", root=tmp_path) == exe
    assert conftest.find_python("3.9", root=tmp_path, path=str(tmp_path)) is None
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3.98").symlink_to(sys.executable)
    assert conftest.find_python("3.98", root=tmp_path, path=str(bin_dir)) == bin_dir / "python3.98"
