"""What a black-box tester of ``npinit init`` found in the numpy lines of PyPI files (issue
26), read from the release table (no index needed): a line's own spelling is kept but for
its version (markers, quotes, blanks), and ``numpy @ URL`` is exact already (packaging reads
the release from the wheel's file name)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from npinit.editing.requirement_pins import repin
from tests.helpers import invoke


@pytest.mark.parametrize(
    ("line", "pinned"),
    [
        ("numpy>=1.26; python_version < '3.12'", "numpy==2.1.3; python_version < '3.12'"),
        ("NumPy >= 1.26 ;python_version<'3.12'", "NumPy == 2.1.3 ;python_version<'3.12'"),
        ("numpy >= 1.26, < 2 ; os_name == 'nt'", "numpy == 2.1.3 ; os_name == 'nt'"),
        ("numpy[dev] (>=1.26)", "numpy[dev] (==2.1.3)"),
        ("numpy ; sys_platform == 'linux'", "numpy==2.1.3 ; sys_platform == 'linux'"),
        ("numpy @ https://x.org/numpy-2.0.0-cp312-cp312-win_amd64.whl ; os_name=='nt'",
         "numpy==2.1.3 ; os_name=='nt'"),
    ],
)  # fmt: skip
def test_a_repin_changes_the_version_part_only(line: str, pinned: str) -> None:
    assert repin(line, "2.1.3") == pinned


MARKED = "numpy>=1.26; python_version < '3.12'\nnumpy>=2.0 ; python_version >= '3.12'\n"
PEP621 = """\
[project]
name = "demo"
version = "0.1.0"
requires-python = ">=3.10"
dependencies = ["numpy>=1.26; python_version < '3.12'", 'numpy>=2.0; python_version >= "3.12"']
"""


@pytest.mark.parametrize(
    ("name", "text", "after"),
    [
        ("requirements.txt", MARKED, MARKED.replace(">=2.0 ;", "==2.3.5 ;")),
        ("pyproject.toml", PEP621, PEP621.replace("'numpy>=2.0;", "'numpy==2.3.5;")),
    ],
    ids=["requirements", "pep621"],
)
def test_marked_numpy_lines_keep_their_spelling_and_only_the_one_that_holds_moves(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, after: str
) -> None:
    """The line whose marker holds for the recorded Python is pinned, its quotes and blanks
    kept; the other line is left as it is (a PEP 621 array too: both were pinned)."""
    root = tmp_path / "p"
    root.mkdir()
    (root / name).write_text(text)
    args = ["init", "--no-solve", "--no-input", "--python", "3.13", "--numpy", "2.3.5"]
    args += ["--manager", "pip"] if name == "pyproject.toml" else []
    code, _, err = invoke(args, root, capsys)
    assert code == 0, err
    assert (root / name).read_text() == after


WHEEL = (
    "https://files.pythonhosted.org/packages/9e/3e/3757f304c704f2f0294a6b8340fcf2be244038be07da"
    "4cccf390fa678a9f/numpy-2.1.3-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
)


def test_a_numpy_url_is_its_wheels_release_and_platform(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``numpy @ URL`` of a wheel: the release its file name names, kept as the pin, on the
    only Python it has; a platform it has no file for is one line naming where it installs."""
    root = tmp_path / "p"
    root.mkdir()
    text = f"numpy @ {WHEEL}\nsix\n"
    (root / "requirements.txt").write_text(text)
    code, out, err = invoke(["init", "--no-solve", "--no-input", "--json"], root, capsys)
    assert code == 0, err
    report = json.loads(out)
    assert (report["numpy"], report["python"], report["changed"]) == ("2.1.3", "3.12", [])
    assert (root / "requirements.txt").read_text() == text
    other = tmp_path / "q"
    other.mkdir()
    (other / "requirements.txt").write_text(text)
    args = ["init", "--no-solve", "--no-input", "--platform", "linux-64,osx-arm64"]
    code, out, err = invoke(args, other, capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert "installs only on Python 3.12 on linux-64" in err and "osx-arm64" in err
    assert not (other / ".npinit.toml").exists()


@pytest.mark.parametrize(("floor", "newest"), [("3.10", False), ("3.12", True)])
def test_a_uv_range_says_newest_only_when_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], floor: str, newest: bool
) -> None:
    """uv locks the whole range: NumPy is the newest for the range's oldest Python, and the
    lines say so; the recorded Python is "the newest" only when no Python of the range is
    newer (it said so for 3.13 of '>=3.10', whose NumPy 2.2.6 has no wheels for 3.14)."""
    root = tmp_path / "p"
    root.mkdir()
    (root / "pyproject.toml").write_text(
        f'[project]\nname = "d"\nversion = "0"\nrequires-python = ">={floor}"\n'
        'dependencies = ["numpy>=1.26"]\n\n[tool.uv]\n'
    )
    code, out, err = invoke(["init", "--no-solve", "--no-input", "--json"], root, capsys)
    assert code == 0, err
    said = json.loads(out)["decisions"]
    numpy_line = next(d for d in said if d.startswith("NumPy"))
    python_line = next(d for d in said if d.startswith("Python"))
    assert f"the newest release for Python {floor}, the oldest of '>={floor}'" in numpy_line
    assert ("with wheels of NumPy" not in python_line) == newest, python_line
    assert ("Python 3.13: the newest with wheels" in python_line) == (not newest)


def test_numpy_asked_of_a_file_that_pins_it_by_url_is_one_line_naming_the_url(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``init --numpy X`` where the file has ``numpy @ URL`` of another release: exit 2, one
    line saying the file pins NumPy by that URL (named) and what to do, nothing written (it
    was uv's 'there is no version of numpy==2.2.6'); --numpy of the URL's release is kept."""
    root = tmp_path / "p"
    root.mkdir()
    text = f"numpy @ {WHEEL}\nsix\n"
    (root / "requirements.txt").write_text(text)
    code, _, err = invoke(["init", "--no-input", "--numpy", "2.2.6"], root, capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert f"requirements.txt pins NumPy by URL (numpy @ '{WHEEL}', NumPy 2.1.3)" in err
    assert "replace that line with numpy==2.2.6" in err
    assert sorted(p.name for p in root.iterdir()) == ["requirements.txt"]
    args = ["init", "--no-solve", "--no-input", "--json", "--numpy", "2.1.3"]
    code, _, err = invoke(args, root, capsys)
    assert code == 0, err
    assert (root / "requirements.txt").read_text() == text


def test_a_numpy_wheel_for_one_python_of_the_range_says_where_it_installs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``numpy @ URL`` of a cp312 wheel in a project of ``>=3.11``: one line says the wheel
    installs only on Python 3.12 (and that platform), and 3.12 is recorded without the
    range (the wheel allows no other Python); nothing said it, and the range was kept."""
    root = tmp_path / "p"
    root.mkdir()
    (root / "pyproject.toml").write_text(
        '[project]\nname = "d"\nversion = "0"\nrequires-python = ">=3.11"\n'
        f'dependencies = ["numpy @ {WHEEL}"]\n'
    )
    args = ["init", "--no-solve", "--no-input", "--json", "--manager", "uv"]
    code, out, err = invoke(args, root, capsys)
    assert code == 0, err
    report = json.loads(out)
    said = [d for d in report["decisions"] if "installs only on" in d]
    assert said == [
        f"Python 3.12: numpy @ .../{WHEEL.rsplit('/', 1)[1]!r} installs only on Python 3.12 on "
        "linux-64 (the file's '>=3.11' allows more; the wheel's Python is recorded)"
    ], report["decisions"]
    assert (report["python"], report["python_range"]) == ("3.12", ""), report
    assert "requires-python" not in (root / ".npinit.toml").read_text()


def test_the_oldest_python_of_a_numpy_split_by_python_is_of_its_part(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The pin is the python_version >= '3.12' entry's: NumPy is the newest for 3.12, the
    oldest of that part of '>=3.10' (it said 'the oldest of '>=3.10'', which is 3.10)."""
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "d"\nversion = "0"\nrequires-python = ">=3.10"\ndependencies = [\n'
        "  \"numpy>=1.26,<2; python_version < '3.12'\",\n"
        "  \"numpy>=2.1; python_version >= '3.12'\",\n]\n\n[tool.uv]\n"
    )
    code, out, err = invoke(["init", "--no-solve", "--no-input", "--json"], tmp_path, capsys)
    assert code == 0, err
    numpy_line = next(d for d in json.loads(out)["decisions"] if d.startswith("NumPy"))
    assert (
        "for Python 3.12, the oldest of '>=3.10' where python_version >= \"3.12\" (locked"
        in numpy_line
    ), numpy_line


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (
            "numpy<2\n",
            "Python 3.12: the newest the whole file resolves with (the file has no "
            "Python entry; numpy<2 has no wheels for Python 3.13)",
        ),
        (
            "numpy==2.4.3\n",
            "(the file has no Python entry; numpy==2.4.3 has no wheels for Python 3.15)",
        ),
    ],
)
def test_the_python_line_names_the_files_numpy_when_it_holds_python_back(
    text: str, line: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The newer Pythons the file's own numpy has no wheels for are never tried: the line
    says so (it named no reason)."""
    (tmp_path / "requirements.txt").write_text(text)
    code, out, err = invoke(["init", "--no-input", "--json", "--dry-run"], tmp_path, capsys)
    assert code == 0, err
    said = next(d for d in json.loads(out)["decisions"] if d.startswith("Python"))
    assert line in said, said
