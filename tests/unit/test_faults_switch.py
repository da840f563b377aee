"""The test-only fault hook fires in a source checkout, and in an installed package only
when deliberately enabled."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from types import ModuleType

import pytest

import npinit.faults


def _load_copy(root: Path) -> ModuleType:
    """npinit/faults.py as an installed package has it (site-packages, no pyproject.toml)."""
    target = root / "lib" / "python3" / "site-packages" / "npinit" / "faults.py"
    target.parent.mkdir(parents=True)
    shutil.copy(npinit.faults.__file__, target)
    spec = importlib.util.spec_from_file_location("installed_faults", target)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fault_fires_in_the_source_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NPINIT_TEST_FAULT", "some-step")
    monkeypatch.setattr(npinit.faults, "_passed", {})
    with pytest.raises(OSError, match="injected fault at some-step"):
        npinit.faults.checkpoint("some-step")


def test_an_installed_package_ignores_it_unless_enabled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    installed = _load_copy(tmp_path)
    monkeypatch.setenv("NPINIT_TEST_FAULT", "some-step")
    installed.checkpoint("some-step")  # nothing happens
    monkeypatch.setenv("NPINIT_TEST_FAULT_INSTALLED", "1")
    with pytest.raises(OSError, match="injected fault at some-step"):
        installed.checkpoint("some-step")
