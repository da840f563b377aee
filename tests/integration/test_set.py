"""npinit set on real files from scientific projects: only numpy (or BLAS/Python) lines
change, the files still parse, the pins are there; refusals leave files untouched."""

from __future__ import annotations

import difflib
import shutil
import stat
import tomllib
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement

from tests.conftest import FIXTURES
from tests.helpers import invoke, load_yaml

REAL = FIXTURES / "realworld"
FILES = {
    "numpy__environment.yml": "environment.yml",
    "scipy__environment.yml": "environment.yml",
    "numpy__pyproject.toml": "pyproject.toml",
    "xarray__pyproject.toml": "pyproject.toml",
    "pandas__requirements-dev.txt": "requirements-dev.txt",
    "numpy__requirements__test_requirements.txt": "test_requirements.txt",
    "PythonDataScienceHandbook__requirements.txt": "requirements.txt",
}


def _copy(tmp_path: Path, source: Path | str, name: str) -> Path:
    target = tmp_path / name
    shutil.copy(REAL / source, target)
    return target


def _changes(before: str, after: str) -> tuple[list[str], list[str]]:
    removed, added = [], []
    for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0):
        if line.startswith("-") and not line.startswith("---"):
            removed.append(line[1:])
        elif line.startswith("+") and not line.startswith("+++"):
            added.append(line[1:])
    return removed, added


def _pinned(path: Path, version: str) -> bool:
    text = path.read_text()
    if path.suffix == ".yml":
        return f"numpy={version}" in load_yaml(path)["dependencies"]
    if path.suffix == ".toml":
        deps = tomllib.loads(text)["project"]["dependencies"]
        return any(
            Requirement(d).name == "numpy" and str(Requirement(d).specifier) == f"=={version}"
            for d in deps
        )
    reqs = [
        Requirement(line.split("#")[0])
        for line in text.splitlines()
        if line.strip() and not line.startswith(("#", "-"))
    ]
    return any(r.name.lower() == "numpy" and str(r.specifier) == f"=={version}" for r in reqs)


@pytest.mark.parametrize(("source", "name"), FILES.items())
def test_set_numpy_touches_only_numpy_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], source: Path, name: str
) -> None:
    path = _copy(tmp_path, source, name)
    before = path.read_text()
    code, _, err = invoke(["set", str(path), "--numpy", "2.4.6"], tmp_path, capsys)
    assert code == 0, err
    after = path.read_text()
    removed, added = _changes(before, after)
    assert len(added) == 1 and len(removed) <= 1
    assert all("numpy" in line.lower() for line in removed + added)
    assert "2.4.6" in added[0]
    assert _pinned(path, "2.4.6")
    assert "npinit verify" not in err  # no environment and no lock to fall out of step with


def test_pandas_environment_pins_python_3_8_so_numpy_2_4_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _copy(tmp_path, "pandas__environment.yml", "environment.yml")
    before = path.read_bytes()
    code, _, err = invoke(["set", str(path), "--numpy", "2.4.6"], tmp_path, capsys)
    assert code == 2 and "no wheels for Python 3.8" in err
    assert path.read_bytes() == before
    code, _, _ = invoke(
        ["set", str(path), "--numpy", "2.4.6", "--python", "3.12"], tmp_path, capsys
    )
    assert code == 0
    removed, added = _changes(before.decode(), path.read_text())
    assert sorted(added) == ["  - numpy=2.4.6", "  - python=3.12"]
    assert sorted(removed) == ["  - numpy", "  - python=3.8"]


@pytest.mark.parametrize(
    "source", ["numpy__environment.yml", "scipy__environment.yml", "pandas__environment.yml"]
)
def test_blas_mkl_on_conda_files_changes_only_blas_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], source: Path
) -> None:
    path = _copy(tmp_path, source, "environment.yml")
    before = path.read_text()
    code, _, err = invoke(["set", str(path), "--blas", "mkl"], tmp_path, capsys)
    assert code == 0, err
    removed, added = _changes(before, path.read_text())
    assert [line.split("#")[0].strip() for line in added] == [
        "- libblas=*=*mkl",
        "- liblapack=*=*mkl",
    ]
    for line in removed:  # only BLAS selectors (and nomkl, which contradicts MKL) go
        assert "libblas=*=" in line or line.strip() == "- nomkl"
    deps = load_yaml(path)["dependencies"]
    assert "libblas=*=*mkl" in deps and "liblapack=*=*mkl" in deps
    assert "nomkl" not in deps


def test_dry_run_prints_the_diff_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _copy(tmp_path, "xarray__pyproject.toml", "pyproject.toml")
    before = path.read_bytes()
    code, out, _ = invoke(["set", str(tmp_path), "--numpy", "2.4.6", "--dry-run"], tmp_path, capsys)
    assert code == 0
    assert path.read_bytes() == before
    assert '-dependencies = ["numpy>=1.26"' in out and '+dependencies = ["numpy==2.4.6"' in out
    assert out.startswith("--- a/pyproject.toml")


def test_generated_project_set_matches_a_fresh_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    common = ["--manager", "conda", "--python", "3.14", "--platform", "linux-64", "--no-input"]
    invoke(
        ["new", "proj", *common, "--numpy", "2.3.5", "--output-dir", str(tmp_path / "old")],
        tmp_path,
        capsys,
    )
    invoke(
        [
            "new",
            "proj",
            *common,
            "--numpy",
            "2.4.6",
            "--blas",
            "mkl",
            "--output-dir",
            str(tmp_path / "new"),
        ],
        tmp_path,
        capsys,
    )
    project = tmp_path / "old/proj"
    code, _, err = invoke(["set", "--numpy", "2.4", "--blas", "mkl"], project, capsys)
    assert code == 0, err
    fresh = (tmp_path / "new/proj/environment.yml").read_text().splitlines()
    edited = (project / "environment.yml").read_text().splitlines()
    assert edited[1:] == fresh[1:]  # all but the header comment, which is kept
    answers = tomllib.loads((project / ".npinit.toml").read_text())
    assert answers["project"]["numpy"] == "2.4.6" and answers["project"]["blas"] == "mkl"
    assert answers["blas"]["linux-64"]["variant"] == "mkl"


@pytest.mark.parametrize("manager", ["pip", "poetry", "uv", "pixi"])
def test_set_on_every_generated_manager(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], manager: str
) -> None:
    invoke(
        [
            "new",
            "proj",
            "--manager",
            manager,
            "--python",
            "3.12",
            "--numpy",
            "2.3.5",
            "--platform",
            "linux-64",
            "--no-input",
        ],
        tmp_path,
        capsys,
    )
    project = tmp_path / "proj"
    code, _, err = invoke(["set", "--numpy", "2.4.6", "--python", "3.13"], project, capsys)
    assert code == 0, err
    answers = tomllib.loads((project / ".npinit.toml").read_text())["project"]
    assert (answers["numpy"], answers["python"]) == ("2.4.6", "3.13")
    if manager == "pip":
        assert "numpy==2.4.6" in (project / "requirements.txt").read_text().splitlines()
        assert (project / ".python-version").read_text() == "3.13\n"
    elif manager == "pixi":
        deps = tomllib.loads((project / "pixi.toml").read_text())["dependencies"]
        assert (deps["numpy"], deps["python"]) == ("==2.4.6", "3.13.*")
    else:
        data = tomllib.loads((project / "pyproject.toml").read_text())["project"]
        assert data["dependencies"][0] == "numpy==2.4.6"
        assert data["requires-python"] == ">=3.13,<3.14"


def test_pixi_blas_per_platform(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    invoke(["new", "px", "--manager", "pixi", "--platform", "all", "--no-input"], tmp_path, capsys)
    project = tmp_path / "px"
    code, _, err = invoke(["set", "--blas", "mkl,osx-arm64=accelerate"], project, capsys)
    assert code == 0, err
    data = tomllib.loads((project / "pixi.toml").read_text())
    assert data["target"]["linux-64"]["dependencies"]["libblas"]["build"] == "*mkl"
    assert data["target"]["osx-arm64"]["dependencies"]["libblas"]["build"] == "*_accelerate"
    code, _, _ = invoke(["set", "--blas", "default"], project, capsys)
    data = tomllib.loads((project / "pixi.toml").read_text())
    assert code == 0
    assert all("libblas" not in t.get("dependencies", {}) for t in data.get("target", {}).values())


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("environment.yml", "- numpy\n- scipy\n", "top level is not a mapping"),
        ("environment.yml", "name: x\ndependencies: [a, b\n", "not valid YAML"),
        ("pyproject.toml", "[project]\nname = 'a'\nname = 'b'\n", "not valid TOML"),
        ("pyproject.toml", "[tool.black]\nline-length = 88\n", "no [project]"),
        ("requirements.txt", "numpy\x00\x01", "not a text file"),
    ],
)
def test_unparsable_files_exit_2_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: Any, says: str
) -> None:
    path = tmp_path / name
    path.write_text(content)
    code, _, err = invoke(["set", str(path), "--numpy", "2.4.6"], tmp_path, capsys)
    assert code == 2 and says in err and len(err.strip().splitlines()) == 1
    assert path.read_text() == content


def test_mkl_on_a_pypi_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _copy(tmp_path, "PythonDataScienceHandbook__requirements.txt", "requirements.txt")
    before = path.read_bytes()
    code, _, err = invoke(["set", str(path), "--blas", "mkl"], tmp_path, capsys)
    assert code == 2 and "PyPI's numpy wheels" in err
    assert path.read_bytes() == before


def test_nothing_to_change_and_file_mode_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _copy(tmp_path, "PythonDataScienceHandbook__requirements.txt", "requirements.txt")
    code, _, err = invoke(["set", str(path)], tmp_path, capsys)
    assert code == 2 and "nothing to change" in err
    path.chmod(0o640)
    code, _, _ = invoke(["set", str(path), "--numpy", "2.4.6"], tmp_path, capsys)
    assert code == 0 and stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["requirements.txt"]  # no temp file left


def test_channel_switch_on_a_conda_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    invoke(
        ["new", "ch", "--manager", "conda", "--platform", "linux-64", "--no-input"],
        tmp_path,
        capsys,
    )
    project = tmp_path / "ch"
    code, _, err = invoke(["set", "--channel", "defaults", "--blas", "mkl"], project, capsys)
    assert code == 0, err
    env = load_yaml(project / "environment.yml")
    assert env["channels"] == ["defaults"]
    assert "blas=*=mkl" in env["dependencies"]
    answers = tomllib.loads((project / ".npinit.toml").read_text())["project"]
    assert (answers["channel"], answers["blas"]) == ("defaults", "mkl")


def test_channel_switch_edits_the_answers_as_toml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """.npinit.toml's channel in any TOML spelling (a literal string, no spaces) is changed
    through the TOML editor, and a comment that names the old channel is left alone."""
    invoke(
        ["new", "ch", "--manager", "conda", "--platform", "linux-64", "--no-input"],
        tmp_path,
        capsys,
    )
    answers_file = tmp_path / "ch" / ".npinit.toml"
    text = answers_file.read_text()
    assert 'channel = "conda-forge"\n' in text
    answers_file.write_text(
        text.replace(
            'channel = "conda-forge"\n', "channel='conda-forge'  # not channel = \"conda-forge\"\n"
        )
    )
    code, _, err = invoke(["set", "--channel", "defaults"], tmp_path / "ch", capsys)
    assert code == 0, err
    after = answers_file.read_text()
    assert tomllib.loads(after)["project"]["channel"] == "defaults"
    assert '# not channel = "conda-forge"' in after


POETRY_SPLIT = """\
[tool.poetry]
name = "demo"
version = "0.1.0"
description = ""
authors = ["A <a@b.c>"]
package-mode = false

[tool.poetry.dependencies]
python = "^3.10"
numpy = [{version = ">=1.26", python = "<3.12"}, {version = ">=2.0", python = ">=3.12"}]
"""


def test_set_numpy_on_a_poetry_numpy_split_by_python_pins_the_recorded_pythons_entry(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Poetry's list of python-constrained numpy entries in an npinit project: set --numpy
    pins the entry the recorded Python selects and keeps the others (it refused: 'has
    several constraints'); a lone file without --python is still one line saying what to
    give."""
    root = tmp_path / "p"
    root.mkdir()
    (root / "pyproject.toml").write_text(POETRY_SPLIT)
    code, _, err = invoke(["init", "--no-solve", "--no-input", "--python", "3.13"], root, capsys)
    assert code == 0, err
    code, _, err = invoke(["set", "--numpy", "2.2.6"], root, capsys)
    assert code == 0, err
    assert (root / "pyproject.toml").read_text() == POETRY_SPLIT.replace(
        'version = ">=2.0"', 'version = "==2.2.6"'
    )
    (tmp_path / "lone").mkdir()
    lone = tmp_path / "lone" / "pyproject.toml"
    lone.write_text(POETRY_SPLIT)
    code, _, err = invoke(["set", "--numpy", "2.2.6", str(lone)], tmp_path, capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1 and "give --python 3.X" in err, err
    assert lone.read_text() == POETRY_SPLIT
