"""What a black-box tester of ``npinit init`` found on the PyPI side (issue 26), each proven
on the real path: uv really resolves against the package index, and ``npinit lock`` (uv
lock, uv pip compile, poetry lock) locks what init recorded on the first try."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import find_python
from tests.e2e.test_adopt_solve import own_solves
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


POETRY_SPLIT = """\
[tool.poetry]
name = "demo"
version = "0.1.0"
description = ""
authors = ["A <a@b.c>"]
package-mode = false

[tool.poetry.dependencies]
python = "^3.10"
numpy = [{version = "^1.26", python = "<3.12"}, {version = ">=2.0", python = ">=3.12"}]
"""


def test_a_poetry_numpy_split_by_python_pins_the_entry_of_the_recorded_python(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Poetry's list of python-marker constraints: each part of the range is resolved on its
    own (uv, the file converted), only the entry for the recorded Python changes, and poetry
    lock locks it on the first try. It was refused naming a temporary
    poetry-requirements.txt, and the 3.12 part was held to the 3.10 part's NumPy 1.26."""
    root = tmp_path / "p"
    root.mkdir()
    (root / "pyproject.toml").write_text(POETRY_SPLIT)
    code, out, err = invoke(["init", "--no-input", "--json"], root, capsys)
    assert code == 0, err
    report = json.loads(out)
    numpy, python = report["numpy"], report["python"]
    assert numpy.startswith("2.") and python not in ("3.10", "3.11"), report
    assert (root / "pyproject.toml").read_text() == POETRY_SPLIT.replace(
        'version = ">=2.0"', f'version = "=={numpy}"'
    )
    code, _, err = invoke(["lock"], root, capsys)
    assert code == 0, err
    section = lock_section(root / "npinit.lock")
    assert {p["name"]: p["version"] for p in section["packages"]}["numpy"] == numpy
    assert invoke(["lock", "--check"], root, capsys)[0] == 0


def test_a_numpy_url_wheel_is_solved_and_locked_with_that_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``numpy @ URL`` of one wheel: uv resolves the file with it (the Python its tag has is
    recorded), and npinit lock locks that very file with its hash (uv writes it as the
    pylock ``archive``, which was read as no file: 'numpy has no file for linux-64')."""
    from tests.integration.test_init_pypi_lines import WHEEL

    root = tmp_path / "p"
    root.mkdir()
    (root / "requirements.txt").write_text(f"numpy @ {WHEEL}\nsix\n")
    code, out, err = invoke(["init", "--no-input", "--json"], root, capsys)
    assert code == 0, err
    assert (json.loads(out)["python"], json.loads(out)["numpy"]) == ("3.12", "2.1.3")
    code, _, err = invoke(["lock"], root, capsys)
    assert code == 0, err
    numpy = next(p for p in lock_section(root / "npinit.lock")["packages"] if p["name"] == "numpy")
    assert (numpy["version"], numpy["url"]) == ("2.1.3", WHEEL)
    assert numpy["sha256"]


def test_a_uv_range_wider_than_a_numpy_wheel_solves_and_locks_the_wheels_python(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A uv project of ``>=3.11`` with ``numpy @ URL`` of a cp312 wheel: the solve is for
    the Python the wheel installs on (it was for 3.11, the range's oldest: 'numpy has no
    file for linux-64', exit 2), and npinit lock locks that file on the first try."""
    from tests.integration.test_init_pypi_lines import WHEEL

    root = tmp_path / "p"
    root.mkdir()
    (root / "pyproject.toml").write_text(
        '[project]\nname = "d"\nversion = "0"\nrequires-python = ">=3.11"\n'
        f'dependencies = ["numpy @ {WHEEL}"]\n\n[tool.uv]\n'
    )
    code, out, err = invoke(["init", "--no-input", "--json"], root, capsys)
    assert code == 0, err
    assert (json.loads(out)["python"], json.loads(out)["numpy"]) == ("3.12", "2.1.3")
    code, _, err = invoke(["lock"], root, capsys)
    assert code == 0, err
    numpy = next(p for p in lock_section(root / "npinit.lock")["packages"] if p["name"] == "numpy")
    assert (numpy["version"], numpy["url"]) == ("2.1.3", WHEEL)


def test_numpy_comes_from_the_solve_of_the_file_as_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], own_solves: Path
) -> None:
    """A file without numpy: its own resolution decides (tensorflow 2.14.1, which needs
    numpy<2, so NumPy 1.26.4), not one with numpy added, where uv took NumPy 2 and went back
    to tensorflow 2.14.0; npinit lock then locks the same tensorflow."""
    root = tmp_path / "p"
    root.mkdir()
    (root / "requirements.txt").write_text("tensorflow>=2.14.0,<2.15\n")
    code, out, err = invoke(["init", "--no-input", "--json"], root, capsys)
    assert code == 0, err
    report = json.loads(out)
    assert (report["python"], report["numpy"]) == ("3.11", "1.26.4"), report
    code, _, err = invoke(["lock"], root, capsys)
    assert code == 0, err
    locked = {p["name"]: p["version"] for p in lock_section(root / "npinit.lock")["packages"]}
    assert (locked["tensorflow"], locked["numpy"]) == ("2.14.1", "1.26.4")


def test_a_release_built_from_source_where_it_has_wheels_elsewhere_holds_python_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], own_solves: Path
) -> None:
    """scipy<1.0 is scipy 0.19.1, with wheels up to cp36: on every Python npinit supports it
    would be built from its sdist (or fail to build), so nothing resolves, and the line
    names it; it passed the solve, and the lock held the sdist."""
    root = tmp_path / "p"
    root.mkdir()
    (root / "requirements.txt").write_text("scipy<1.0\nnumpy\n")
    code, _, err = invoke(["init", "--no-input"], root, capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert "scipy==0.19.1 has no wheels for Python 3.8 to " in err
    assert not (root / ".npinit.toml").exists()


__all__ = ["own_solves"]  # the fixture: npinit's remembered resolutions of the test's own


WIN_ONLY_CAP = 'numpy\nnumba==0.60.0; sys_platform == "win32"\n'


def test_a_line_for_a_platform_not_recorded_does_not_cap_numpy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """numba 0.60.0 (numpy<2.1) only on Windows, in a project for linux-64: uv's universal
    resolution counted it everywhere, so init chose NumPy 2.0.2 (and Python 3.12); the
    lines for platforms not recorded are left out of init's solve and of the lock. With
    win-64 recorded, numba holds NumPy back, and a line says so."""
    from npinit.editing.adopt_pins import releases_for

    root = tmp_path / "p"
    root.mkdir()
    (root / "requirements.txt").write_text(WIN_ONLY_CAP)
    args = ["init", "--no-input", "--json", "--platform", "linux-64"]
    code, out, err = invoke(args, root, capsys)
    assert code == 0, err
    report = json.loads(out)
    assert report["numpy"] == releases_for(report["python"], "")[-1].version, report
    code, _, err = invoke(["lock"], root, capsys)
    assert code == 0, err
    locked = {p["name"]: p["version"] for p in lock_section(root / "npinit.lock")["packages"]}
    assert locked["numpy"] == report["numpy"] and "numba" not in locked
    both = tmp_path / "q"
    both.mkdir()
    (both / "requirements.txt").write_text(WIN_ONLY_CAP)
    args = ["init", "--no-input", "--json", "--platform", "linux-64,win-64"]
    code, out, err = invoke(args, both, capsys)
    assert code == 0, err
    report = json.loads(out)
    assert (report["python"], report["numpy"]) == ("3.12", "2.0.2"), report
    assert any("numba==0.60.0 needs numpy>=1.22,<2.1" in d for d in report["decisions"])


def test_a_numpy_that_differs_by_platform_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """numpy==1.26.4 on Windows, numpy>=2.1 elsewhere, both platforms recorded: npinit
    records one NumPy, so exit 2 naming what each platform gets, nothing written (init
    recorded win-64's 1.26.4 for both and pinned the other line to it, against its >=2.1)."""
    root = tmp_path / "p"
    root.mkdir()
    text = 'numpy==1.26.4; sys_platform == "win32"\nnumpy>=2.1; sys_platform != "win32"\n'
    (root / "requirements.txt").write_text(text)
    args = ["init", "--no-input", "--platform", "win-64,linux-64"]
    code, _, err = invoke(args, root, capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert "its numpy differs by platform (1.26.4 on win-64, 2." in err and "linux-64)" in err
    assert sorted(p.name for p in root.iterdir()) == ["requirements.txt"]


def test_a_uv_range_says_which_package_held_numpy_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """uv locks the range at once: NumPy is what its oldest Python resolves with, and the
    line naming the package that held it back survives the second solve (the recorded
    Python's), where it was dropped."""
    root = tmp_path / "p"
    root.mkdir()
    (root / "pyproject.toml").write_text(
        '[project]\nname = "d"\nversion = "0"\nrequires-python = ">=3.11"\n'
        'dependencies = ["numba==0.60.0"]\n\n[tool.uv]\n'
    )
    code, out, err = invoke(["init", "--no-input", "--json"], root, capsys)
    assert code == 0, err
    report = json.loads(out)
    assert (report["python"], report["numpy"]) == ("3.12", "2.0.2"), report
    held = "NumPy 2.0.2: numba==0.60.0 needs numpy>=1.22,<2.1 (NumPy 2.4.6 does not resolve)"
    assert held in report["decisions"], report["decisions"]


def test_a_pep621_file_is_solved_for_the_recorded_platforms_by_pip_for_every_one_by_uv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same Windows-only numba in ``[project]`` dependencies: pip's solve and lock leave
    it out on linux-64 (the newest NumPy, locked on the first try); uv lock locks every
    platform, so for uv numba holds NumPy to 2.0.2, and the Python line names it."""
    from npinit.editing.adopt_pins import releases_for

    text = (
        '[project]\nname = "d"\nversion = "0"\n'
        'dependencies = ["numpy", "numba==0.60.0; sys_platform == \'win32\'"]\n'
    )
    for manager in ("pip", "uv"):
        root = tmp_path / manager
        root.mkdir()
        (root / "pyproject.toml").write_text(text)
        args = ["init", "--no-input", "--json", "--manager", manager, "--platform", "linux-64"]
        code, out, err = invoke(args, root, capsys)
        assert code == 0, err
        report = json.loads(out)
        if manager == "uv":
            assert (report["python"], report["numpy"]) == ("3.12", "2.0.2"), report
            assert any("numba==0.60.0 needs numpy>=1.22,<2.1" in d for d in report["decisions"])
            continue
        assert report["numpy"] == releases_for(report["python"], "")[-1].version, report
        code, _, err = invoke(["lock"], root, capsys)
        assert code == 0, err
        locked = {p["name"]: p["version"] for p in lock_section(root / "npinit.lock")["packages"]}
        assert locked["numpy"] == report["numpy"] and "numba" not in locked
