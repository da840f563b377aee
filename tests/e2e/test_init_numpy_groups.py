"""numpy in an extra or a dependency group (black-box run of 85f60b6, issue 26): every
numpy entry is in the solve, and the pin is written to its place (the main dependencies,
else an extra, else a group) while the other entries' ranges stay as the file has them.
It chose NumPy 2.5.5 over a group's numpy<2.4 and rewrote the cap to ==2.5.5, and pinned
an extra's unmarked numpy from the 3.12 part of a >=3.11 range (uv lock then failed).
Proven by the lockers: uv lock, uv pip compile, poetry lock, on the first try."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import invoke, lock_section

pytestmark = pytest.mark.e2e

EXTRA_AND_GROUP = """\
[project]
name = "dg1"
version = "0.1.0"
requires-python = ">=3.11"
dependencies = ["scipy"]

[project.optional-dependencies]
fast = ["numpy>=2.0"]

[dependency-groups]
test = ["numpy<2.4 ; python_version >= '3.12'", "pytest"]
"""

MAIN_AND_GROUP = """\
[project]
name = "dg2"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = ["numpy>=2.0"]

[dependency-groups]
test = ["numpy<2.4", "pytest"]
"""

POETRY_GROUP = """\
[tool.poetry]
name = "po7"
version = "0.1.0"
description = ""
authors = ["A <a@b.c>"]
package-mode = false

[tool.poetry.dependencies]
python = "^3.12"
numpy = ">=2.0"

[tool.poetry.group.test.dependencies]
numpy = "<2.4"
"""


@pytest.mark.parametrize(
    ("text", "manager", "old", "new"),
    [
        (EXTRA_AND_GROUP, "uv", 'fast = ["numpy>=2.0"]', 'fast = ["numpy==2.3.5"]'),
        (MAIN_AND_GROUP, "pip", '["numpy>=2.0"]', '["numpy==2.3.5"]'),
        (POETRY_GROUP, "poetry", 'numpy = ">=2.0"', 'numpy = "==2.3.5"'),
    ],
    ids=["uv-extra", "pip-main", "poetry-main"],
)
def test_a_numpy_range_in_a_group_is_solved_with_and_kept(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    text: str,
    manager: str,
    old: str,
    new: str,
) -> None:
    root = tmp_path / "p"
    root.mkdir()
    (root / "pyproject.toml").write_text(text)
    code, out, err = invoke(["init", "--no-input", "--json", "--manager", manager], root, capsys)
    assert code == 0, err
    assert json.loads(out)["numpy"] == "2.3.5"
    assert (root / "pyproject.toml").read_text() == text.replace(old, new)
    code, _, err = invoke(["lock"], root, capsys)
    assert code == 0, err
    section = lock_section(root / "npinit.lock")
    assert {p["name"]: p["version"] for p in section["packages"]}["numpy"] == "2.3.5"
