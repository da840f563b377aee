"""What a black-box tester of ``npinit init`` found on the PyPI side (issue 26), each proven
on the real path: uv really resolves against the package index, and ``npinit lock`` (uv
lock, uv pip compile, poetry lock) locks what init recorded on the first try."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import find_python
from tests.helpers import invoke, lock_section

pytestmark = pytest.mark.e2e

UV_RANGE = """\
[project]
name = "demo"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = ["numpy>=1.26"]

[tool.uv]
"""


def test_a_uv_project_locks_without_its_recorded_python_installed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """init records the newest Python of the range (whether or not it is installed: it is
    the environment's); uv.lock is one universal resolution, so ``npinit lock`` runs uv lock
    with an installed Python of the range, as uv lock itself would (it was exit 3)."""
    pythons = tmp_path / "pyenv"
    (pythons / "versions").mkdir(parents=True)
    only = find_python("3.12")
    assert only is not None
    (pythons / "versions" / "3.12.99").symlink_to(only.parent.parent)
    monkeypatch.setenv("PYENV_ROOT", str(pythons))
    monkeypatch.setenv("PATH", os.pathsep.join(["/usr/local/bin", "/usr/bin", "/bin"]))
    root = tmp_path / "p"
    root.mkdir()
    (root / "pyproject.toml").write_text(UV_RANGE)
    code, out, err = invoke(["init", "--no-input", "--json"], root, capsys)
    assert code == 0, err
    recorded = json.loads(out)["python"]
    assert recorded != "3.12"  # the newest of the range, not installed here
    code, _, err = invoke(["lock"], root, capsys)
    assert code == 0, err
    assert lock_section(root / "npinit.lock")["environment"]["python"] == recorded
    assert invoke(["lock", "--check"], root, capsys)[0] == 0
