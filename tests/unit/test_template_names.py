"""Property tests over hostile names (issue 24): a rendered file name and a zip member name
either stay inside their folder, fit any file system and hold no control character, or are
refused with npinit's one-line error; never anything else."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from hypothesis import given, settings
from hypothesis import strategies as st

from npinit.errors import InvalidInput
from npinit.template_fetch import member_parts
from npinit.template_render import MAX_NAME, MAX_PATH, inside_project

PIECES = [
    "a",
    "é",
    ".",
    "..",
    "/",
    "\\",
    ":",
    "C:",
    "~",
    "\x00",
    "\n",
    "\x7f",
    " ",
    "d/",
    "x" * 120,
]
NAMES = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
ROOT = Path("/project/root")


@settings(max_examples=400, deadline=None)
@given(NAMES)
def test_a_rendered_name_stays_inside_or_is_refused(name: str) -> None:
    try:
        path = inside_project(ROOT, name, "t")
    except InvalidInput as error:
        assert "\n" not in error.message and error.message.startswith("the template's")
        return
    assert path.is_relative_to(ROOT)
    relative = os.path.relpath(path, ROOT)
    assert not any(ord(c) < 32 or c == "\x7f" for c in relative)
    assert len(name.encode("utf-8")) <= MAX_PATH
    assert all(len(part.encode("utf-8")) <= MAX_NAME for part in Path(relative).parts)


@settings(max_examples=400, deadline=None)
@given(NAMES)
def test_a_zip_member_stays_inside_or_is_refused(name: str) -> None:
    parts = member_parts(name)
    if parts is None:
        return
    joined = os.path.normpath(ROOT.joinpath(*parts))
    assert Path(joined).is_relative_to(ROOT) and Path(joined) != ROOT
    assert ".." not in PurePosixPath(*parts).parts and "\x00" not in name
