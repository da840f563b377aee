"""Where init's pin goes and which Pythons it binds (issue 26, black-box run of 85f60b6):
the main dependencies, else an extra, else a group; a pin written to an unmarked entry
binds every Python of the range, so its range's oldest Python decides it."""

from __future__ import annotations

from pathlib import Path

from npinit.editing.adopt_find import Fit
from npinit.editing.adopt_pins import pin_marker, pinned_entries, range_floor
from npinit.editing.adopt_read import read_file
from npinit.model import Manager

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


def test_an_extras_unmarked_pin_binds_the_whole_range(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(EXTRA_AND_GROUP)
    says = read_file(Fit(Manager.UV, path), None)
    assert [e.spec for e in pinned_entries(says, "3.14")] == [">=2.0"]  # the extra's
    assert pin_marker(says, "3.14") == ""  # everywhere
    assert range_floor(says, "3.14") == "3.11"  # not 3.12, where the group's line starts


def test_a_split_pin_binds_its_own_part(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(EXTRA_AND_GROUP.replace('"scipy"', "\"numpy<2 ; python_version < '3.12'\""))
    says = read_file(Fit(Manager.UV, path), None)
    assert [e.spec for e in pinned_entries(says, "3.11")] == ["<2"]  # main, not the extra
    assert pin_marker(says, "3.11") == '(python_version < "3.12")'
