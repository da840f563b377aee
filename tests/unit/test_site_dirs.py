"""``distinfo.site_packages_dirs`` lists ``lib/python3*/site-packages`` without pathlib's glob
(whose pattern compiling cost lock --from-env more than the listing): the same folders in the
same order as the glob, whatever else ``lib`` holds."""

from __future__ import annotations

import os
from pathlib import Path

from npinit.record.distinfo import site_packages_dirs


def by_glob(prefix: Path) -> list[Path]:
    """What the glob gave (the reference)."""
    found = sorted((prefix / "lib").glob("python3*/site-packages"))
    windows = prefix / "Lib" / "site-packages"
    if windows.is_dir():
        found.append(windows)
    return [p for p in found if p.is_dir()]


def test_the_site_folders_are_the_globs_in_its_order(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    for name in ["python3.12", "python3.1", "python3.1-dbg", "python3.10", "python3", "python3t"]:
        (lib / name / "site-packages").mkdir(parents=True)
    (lib / "python3.9").mkdir()  # no site-packages
    (lib / "python3.8" / "site-packages").parent.mkdir()
    (lib / "python3.8" / "site-packages").write_text("a file, not a folder\n")
    (lib / "python3.11").write_text("a file\n")
    (lib / "Python3.13" / "site-packages").mkdir(parents=True)  # another case
    (lib / "pypy3.10" / "site-packages").mkdir(parents=True)
    (lib / "python2.7" / "site-packages").mkdir(parents=True)
    (lib / "python3.14").symlink_to(tmp_path / "nowhere")  # dangling
    os.symlink(lib / "python3.12", lib / "python3.15")  # a link to a real one
    found = site_packages_dirs(tmp_path)
    assert found == by_glob(tmp_path)
    names = [p.parent.name for p in found]
    assert names.index("python3.1") < names.index("python3.1-dbg")  # by parts, as Paths sort
    assert {"python3.12", "python3.15", "python3t"} <= set(names)


def test_no_lib_or_a_lib_file_gives_none(tmp_path: Path) -> None:
    assert site_packages_dirs(tmp_path) == [] == by_glob(tmp_path)
    (tmp_path / "lib").write_text("not a folder\n")
    assert site_packages_dirs(tmp_path) == [] == by_glob(tmp_path)
