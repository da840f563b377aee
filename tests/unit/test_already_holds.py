"""jail.already_holds: a writer skips a file only when it holds exactly the text now (read
again, not trusted to the earlier read), as a regular file of one link, with no killed
transaction's journal waiting to be undone."""

from __future__ import annotations

import os
from pathlib import Path

from npinit.jail import already_holds
from npinit.journal import NAME


def test_only_the_same_bytes_in_a_plain_file_are_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "npinit.lock"
    path.write_bytes(b"new\n")
    assert already_holds(tmp_path, path, b"new\n", b"new\n")
    assert not already_holds(tmp_path, path, b"new\n", None)  # not read before: write
    assert not already_holds(tmp_path, path, b"new\n", b"old\n")  # it held other bytes
    path.write_bytes(b"changed since\n")  # read as the new text, changed on disk since
    assert not already_holds(tmp_path, path, b"new\n", b"new\n")
    path.write_bytes(b"new\n")
    os.link(path, tmp_path / "twin")  # a second link: the write gives it a file of its own
    assert not already_holds(tmp_path, path, b"new\n", b"new\n")
    (tmp_path / "twin").unlink()
    (tmp_path / "real").write_bytes(b"new\n")
    path.unlink()
    path.symlink_to(tmp_path / "real")  # a link: the writer decides where it may go
    assert not already_holds(tmp_path, path, b"new\n", b"new\n")
    path.unlink()
    path.write_bytes(b"new\n")
    (tmp_path / NAME).write_text("{}")  # a killed transaction's journal: the writer undoes it
    assert not already_holds(tmp_path, path, b"new\n", b"new\n")
