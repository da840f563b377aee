"""A numpy split by Python markers (black-box run of 85f60b6, issue 26), when the recorded
Python selects the OLDER entry: the pin the range's oldest Python resolved with is held
only where its entry applies, so the other entry keeps its own range. It was refused
("you require numpy{python_full_version >= '3.12'}>=2.1 and ...==1.26.4"). Proven by the
lockers themselves: poetry lock and uv lock, on the first try."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import invoke, lock_section

pytestmark = pytest.mark.e2e

POETRY_OLDER = """\
[tool.poetry]
name = "po4"
version = "0.1.0"
description = ""
authors = ["A <a@b.c>"]
package-mode = false

[tool.poetry.dependencies]
python = ">=3.10,<3.12"
numpy = [
    {version = "^1.26", python = "<3.12"},
    {version = ">=2.1", python = ">=3.12"},
]
"""

PEP621_OLDER = """\
[project]
name = "pep3"
version = "0.1.0"
requires-python = ">=3.10,<3.14"
dependencies = [
    'numpy>=1.26,<2 ; python_version < "3.12"',
    "numpy>=2.1; python_version>='3.12'",
]
"""


@pytest.mark.parametrize(
    ("text", "args", "old", "new"),
    [
        (POETRY_OLDER, [], 'version = "^1.26"', 'version = "==1.26.4"'),
        (
            PEP621_OLDER,
            ["--manager", "uv", "--python", "3.11"],
            "numpy>=1.26,<2 ;",
            "numpy==1.26.4 ;",
        ),
    ],
    ids=["poetry", "uv"],
)
def test_the_older_entry_of_a_numpy_split_by_python_is_pinned_and_locks(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    text: str,
    args: list[str],
    old: str,
    new: str,
) -> None:
    root = tmp_path / "p"
    root.mkdir()
    (root / "pyproject.toml").write_text(text)
    code, out, err = invoke(["init", "--no-input", "--json", *args], root, capsys)
    assert code == 0, err
    report = json.loads(out)
    assert (report["python"], report["numpy"]) == ("3.11", "1.26.4"), report
    assert (root / "pyproject.toml").read_text() == text.replace(old, new)
    code, _, err = invoke(["lock"], root, capsys)
    assert code == 0, err
    section = lock_section(root / "npinit.lock")
    assert {p["name"]: p["version"] for p in section["packages"]}["numpy"] == "1.26.4"
