"""A requirements file's lines that install a local folder with no Python project in it
(``-e .`` exported from a repository whose pyproject.toml is not there): named, and left out
of the copy uv resolves, whose ``-r`` includes still point at the file's own folder."""

from __future__ import annotations

from pathlib import Path

from npinit.editing.requirements import missing_projects, without_lines


def test_a_local_folder_without_a_project_is_named(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    text = "-e .\n--editable ./pkg[dev]  # local\nnumpy==2.4.3\n-e git+https://x.org/y.git\n"
    path = tmp_path / "requirements.txt"
    path.write_text(text)
    assert missing_projects(path, text) == ["-e .", "--editable ./pkg[dev]  # local"]
    (tmp_path / "pkg" / "setup.py").write_text("")  # only its build can tell: left out
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "p"\nversion = "1"\n')
    assert missing_projects(path, text) == ["--editable ./pkg[dev]  # local"]
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "p"\nversion = "1"\ndynamic = ["dependencies"]\n'
    )
    assert missing_projects(path, text) == ["-e .", "--editable ./pkg[dev]  # local"]


def test_the_copy_leaves_them_out_and_keeps_the_includes(tmp_path: Path) -> None:
    text = "-e .\n-r base.txt\n-c /abs/constraints.txt\nnumpy\n"
    path = tmp_path / "requirements.txt"
    path.write_text(text)
    copy = without_lines(path, text, ["-e ."], tmp_path / "out.txt")
    assert copy.read_text().splitlines() == [
        "# -e .",
        f"-r {tmp_path / 'base.txt'}",
        "-c /abs/constraints.txt",
        "numpy",
    ]
