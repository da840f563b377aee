"""A Poetry file's dependencies as the requirements uv resolves when init chooses pins."""

from __future__ import annotations

import tomllib

from npinit.editing.adopt_poetry import poetry_requirements
from npinit.editing.pythons import poetry_to_pep440
from tests.conftest import FIXTURES


def test_caret_bounds_follow_the_first_non_zero_part() -> None:
    cases = {
        "^2.1.1": ">=2.1.1,<3",
        "^0.19.1": ">=0.19.1,<0.20",
        "^0.0.3": ">=0.0.3,<0.0.4",
        "^0.0": ">=0.0,<0.1",
        "~1.2": ">=1.2,<1.3",
        "^3.11": ">=3.11,<4",
    }
    assert {spec: poetry_to_pep440(spec) for spec in cases} == cases


def test_mlcourse_dependencies_and_groups() -> None:
    doc = tomllib.loads((FIXTURES / "realworld-more/mlcourse__pyproject.toml").read_text())
    lines, skipped = poetry_requirements(doc)
    assert "torchvision>=0.19.1,<0.20" in lines and "numpy>=2.1.1,<3" in lines
    assert "pytest>=8.3.3,<9" in lines  # the dev group: poetry lock resolves it too
    assert not any(line.startswith("python") for line in lines) and skipped == []


def test_tables_extras_markers_and_what_the_index_cannot_give() -> None:
    doc = {
        "tool": {
            "poetry": {
                "dependencies": {
                    "python": "^3.10",
                    "a": {"version": "~1.2", "extras": ["x"], "python": "^3.11"},
                    "b": {"git": "https://example.org/b.git"},
                    "c": [{"version": "1.0", "markers": "sys_platform == 'win32'"}, "2.0"],
                }
            }
        }
    }
    lines, skipped = poetry_requirements(doc)
    assert lines == [
        "a[x]>=1.2,<1.3; (python_version >= '3.11' and python_version < '4')",
        "c==1.0; (sys_platform == 'win32')",
        "c==2.0",
    ]
    assert skipped == ["b"]
