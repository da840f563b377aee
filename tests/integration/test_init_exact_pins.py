"""What the black-box run of 85f60b6 found in init's lines (issue 26), from the release
table (no index needed): ``numpy===2.1.3`` is the file's exact pin, kept (it was called "the
newest release" and rewritten to ``==2.1.3``); a given file that fits two managers is
answered with the managers to choose, not with "give the file"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from npinit.editing.adopt_pins import exact_release
from tests.helpers import invoke


@pytest.mark.parametrize(
    ("spec", "release"),
    [
        ("==2.1.3", "2.1.3"),
        ("===2.1.3", "2.1.3"),
        ("== 1.26", "1.26.0"),
        ("==1.24", "1.24.0"),
        ("==2", "2.0.0"),
        ("==1.24.0.0", "1.24.0"),
        ("==01.024.3", "1.24.3"),
        (">=2.1.3", ""),
        ("==2.1.*", ""),
    ],
)
def test_an_exact_pin_names_its_release(spec: str, release: str) -> None:
    assert exact_release(spec) == release


def test_an_arbitrary_equality_pin_is_the_files_pin_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "numpy===2.1.3\nscipy\n"
    (tmp_path / "requirements.txt").write_text(text)
    code, out, err = invoke(["init", "--no-input", "--json", "--python", "3.12"], tmp_path, capsys)
    assert code == 0, err
    report = json.loads(out)
    assert report["numpy"] == "2.1.3"
    assert "NumPy 2.1.3: the file's pin, kept (it fits Python 3.12)" in report["decisions"]
    assert (tmp_path / "requirements.txt").read_text() == text


def test_a_given_file_that_fits_two_managers_asks_for_the_manager(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The file was given: the hint names the managers to choose (it said to give the
    file)."""
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\nversion = "0"\ndependencies = ["numpy>=2"]\n'
    )
    code, _, err = invoke(["init", "--no-input", "pyproject.toml"], tmp_path, capsys)
    assert code == 2
    assert "give --manager uv or --manager pip" in err, err
    assert "npinit init PATH" not in err
    assert not (tmp_path / ".npinit.toml").exists()


def test_a_pin_of_no_release_is_named_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """numpy==2.9.0 does not exist: said so, with the newest release npinit knows (it was
    "has no wheel for any Python npinit supports ... NumPy 1.17.5")."""
    (tmp_path / "requirements.txt").write_text("numpy==2.9.0\n")
    code, _, err = invoke(["init", "--no-input"], tmp_path, capsys)
    assert code == 2
    assert "requirements.txt: numpy==2.9.0 names no NumPy release (npinit knows 1.17.0 to" in err
    assert "1.17.5" not in err and "no wheel" not in err, err
    assert not (tmp_path / ".npinit.toml").exists()


def test_a_pin_padded_with_zeros_is_that_release_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``numpy==1.24`` is 1.24.0 (PEP 440 zero padding; uv resolves it so): the file's pin,
    kept as written (it was refused as naming no NumPy release)."""
    (tmp_path / "requirements.txt").write_text("numpy==1.24\n")
    code, out, err = invoke(["init", "--no-input", "--json", "--python", "3.11"], tmp_path, capsys)
    assert code == 0, err
    report = json.loads(out)
    assert report["numpy"] == "1.24.0"
    assert "NumPy 1.24.0: the file's pin, kept (it fits Python 3.11)" in report["decisions"]
    assert (tmp_path / "requirements.txt").read_text() == "numpy==1.24\n"


@pytest.mark.parametrize("solve", [[], ["--no-solve"]], ids=["solved", "no-solve"])
def test_a_conda_spec_with_control_characters_is_refused_as_lock_refuses_it(
    solve: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A quoted YAML item can hold an escape ("pytest  # \\e[31m"): init adopted it and the
    first lock refused it (a lock records each spec as one line); now both refuse it where
    the file is read (managers/conda._read), escaped, nothing written."""
    (tmp_path / "environment.yml").write_text(
        'channels: ["conda-forge"]\ndependencies:\n  - python=3.14\n  - "numpy"\n'
        '  - "pytest  # \\e[31m"\n'
    )
    code, _, err = invoke(["init", "--no-input", *solve], tmp_path, capsys)
    assert code == 2, err
    assert "environment.yml: 'pytest  # \\x1b[31m' holds control characters" in err, err
    assert "\x1b" not in err and not (tmp_path / ".npinit.toml").exists()


def test_a_numpy_spec_given_by_a_yaml_alias_is_pinned_at_its_anchor(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``- *np`` with ``x: &np numpy>=2``: the alias is located at its anchor, whose value is
    pinned after the anchor (it replaced ``&np numpy>=2`` whole, and the edited file's
    undefined alias was said as 'not valid YAML')."""
    (tmp_path / "environment.yml").write_text(
        "channels: [conda-forge]\nx: &np numpy>=2\ndependencies:\n  - python=3.14\n  - *np\n"
    )
    code, out, err = invoke(["init", "--no-input", "--no-solve", "--json"], tmp_path, capsys)
    assert code == 0, err
    numpy = json.loads(out)["numpy"]
    assert (tmp_path / "environment.yml").read_text() == (
        f"channels: [conda-forge]\nx: &np numpy={numpy}\ndependencies:\n  - python=3.14\n  - *np\n"
    )
