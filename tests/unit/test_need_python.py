"""A missing interpreter skips a test on a developer's machine and fails it in CI."""

from __future__ import annotations

import pytest

from tests import conftest


def test_missing_python_skips_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(conftest, "IN_CI", False)
    with pytest.raises(pytest.skip.Exception, match=r"Python 2\.1 is not installed"):
        conftest.need_python("2.1")


def test_missing_python_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(conftest, "IN_CI", True)
    with pytest.raises(pytest.fail.Exception, match="CI must have it"):
        conftest.need_python("2.1")


def test_pythons_are_found_under_pyenv_root_not_a_fixed_home() -> None:
    if not list((conftest.PYENV_ROOT / "versions").glob("3.12.*")):
        pytest.skip("no pyenv here: interpreters come from PATH")
    found = conftest.find_python("3.12")
    assert found is not None and found.is_relative_to(conftest.PYENV_ROOT)
