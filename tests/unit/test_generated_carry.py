"""set's carrying of a change between two renderings into a generated file (issue 25)."""

from __future__ import annotations

from npinit.editing.generated import carry

OLD = "# header\nPython 3.12\nNumPy 2.4.6\nend\n"
NEW = "# header\nPython 3.13\nNumPy 2.4.6\nend\n"


def test_a_changed_line_is_carried_where_the_file_still_has_it() -> None:
    current = "# header\nmy own line\nPython 3.12\nNumPy 2.4.6\nend\n"
    done = carry(current, OLD, NEW)
    assert done.text == "# header\nmy own line\nPython 3.13\nNumPy 2.4.6\nend\n"
    assert done.missed == ()


def test_a_line_changed_by_hand_is_left_and_reported() -> None:
    current = "# header\nPython 3.11 (ours)\nNumPy 2.4.6\nend\n"
    done = carry(current, OLD, NEW)
    assert done.text == current
    assert done.missed == ("Python 3.12",)


def test_crlf_and_a_missing_final_newline_are_kept() -> None:
    current = "# header\r\nPython 3.12\r\nNumPy 2.4.6\r\nend"
    assert carry(current, OLD, NEW).text == "# header\r\nPython 3.13\r\nNumPy 2.4.6\r\nend"
    last = carry("a\nPython 3.12", "a\nPython 3.12\n", "a\nPython 3.13\n")
    assert last.text == "a\nPython 3.13"


def test_inserted_and_removed_lines_follow_their_neighbours() -> None:
    old = "import numpy\n\nEXPECTED = 1\n"
    new = "import warnings\nimport numpy\n\nEXPECTED = 2\nGIL = []\n"
    current = "# mine\nimport numpy\n\nEXPECTED = 1\n# tail\n"
    done = carry(current, old, new)
    assert done.text == "# mine\nimport warnings\nimport numpy\n\nEXPECTED = 2\nGIL = []\n# tail\n"
    assert carry(done.text, new, old).text == current


def test_comments_only_leaves_the_other_lines_to_their_editor() -> None:
    old = "# NumPy 2.4.6\nnumpy==2.4.6\n"
    new = "# NumPy 2.3.5\nnumpy==2.3.5\n"
    edited = "# NumPy 2.4.6\nnumpy==2.3.5  # set's editor\n"
    done = carry(edited, old, new, comments_only=True)
    assert done.text == "# NumPy 2.3.5\nnumpy==2.3.5  # set's editor\n"
