"""The CLI end to end through its real entry point: exit codes, one-line errors, --json."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from npinit.cli import cli
from tests.conftest import ROOT, TEMPLATE
from tests.helpers import invoke, tree

BASE = ["new", "proj", "--no-input", "--platform", "linux-64"]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--manager", "pip", "--blas", "mkl"], "PyPI's numpy wheels carry OpenBLAS"),
        (["--manager", "poetry", "--blas", "netlib"], "--manager conda --blas netlib"),
        (["--manager", "conda", "--blas", "accelerate"], "accelerate is not built for linux-64"),
        (
            ["--manager", "conda", "--channel", "defaults", "--blas", "blis"],
            "--channel conda-forge",
        ),
        (["--numpy", "1.26.4", "--python", "3.13"], "for Python 3.13 use NumPy 2.1 to 2.5"),
        (["--numpy", "2.4.99"], "is not a release"),
        (["--python", "3.99"], "no NumPy release has wheels for Python 3.99"),
        (["--platform", "solaris-64"], "unknown platform"),
        (["--manager", "pip", "--channel", "defaults"], "applies to conda"),
        (["--with", "numpy"], "conflicts with what npinit pins"),
        (["--threads", "0"], "out of range"),
    ],
)
def test_refusals_exit_2_with_one_line_and_write_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: Any, says: str
) -> None:
    code, _, err = invoke([*BASE, *args], tmp_path, capsys)
    assert code == 2
    assert says in err
    assert len(err.strip().splitlines()) == 1 and err.startswith("npinit: error: ")
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["", "../escape", "a/b", "2fast", "con", "numpy", "/abs"])
def test_bad_names_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    code, _, err = invoke(["new", name, "--no-input"], tmp_path, capsys)
    assert code == 2, err
    assert list(tmp_path.iterdir()) == []


def test_unknown_choice_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = invoke([*BASE, "--manager", "npm"], tmp_path, capsys)
    assert code == 2 and "npm" in err


def test_existing_non_empty_target_needs_force_and_force_keeps_other_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "proj"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    (target / "README.md").write_text("old readme")
    code, _, err = invoke(BASE, tmp_path, capsys)
    assert code == 2 and "--force" in err
    assert (target / "README.md").read_text() == "old readme"
    code, _, _ = invoke([*BASE, "--force"], tmp_path, capsys)
    assert code == 0
    assert (target / "notes.txt").read_text() == "mine"
    assert (target / "README.md").read_text() != "old readme"
    assert (target / "environment.yml").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["proj"]  # no staging directory left


def test_empty_existing_directory_is_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "proj").mkdir()
    code, _, _ = invoke(BASE, tmp_path, capsys)
    assert code == 0 and (tmp_path / "proj/environment.yml").exists()


def test_json_output_is_pinned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = invoke(
        [
            *BASE,
            "--manager",
            "conda",
            "--blas",
            "mkl",
            "--python",
            "3.14",
            "--numpy",
            "2.4",
            "--json",
            "--output-dir",
            str(tmp_path / "out"),
        ],
        tmp_path,
        capsys,
    )
    assert code == 0
    assert json.loads(out) == {
        "project": str((tmp_path / "out/proj").resolve()),
        "files": [
            ".github/workflows/environment.yml",
            ".gitignore",
            ".npinit.toml",
            "README.md",
            "environment.yml",
            "pytest.ini",
            "src/proj/__init__.py",
            "tests/test_environment.py",
        ],
        "manager": "conda",
        "python": "3.14",
        "numpy": "2.4.6",
        "blas": "mkl",
        "channel": "conda-forge",
        "platforms": ["linux-64"],
        "blas_by_platform": {"linux-64": "mkl"},
        "spec_file": "environment.yml",
        "spec_lines": [
            "python=3.14",
            "numpy=2.4.6",
            "libblas=*=*mkl",
            "liblapack=*=*mkl",
            "pytest",
            "threadpoolctl",
        ],
        "warnings": [
            "MKL is about 700 MB on disk (OpenBLAS about 30 MB) and is not open source: "
            "bundling it in an application you redistribute needs care."
        ],
    }


def test_interactive_prompts_ask_missing_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        cli, ["new", "--platform", "linux-64"], input="asked\npip\n3.11\n2.3\n\n\n\n\ny\n"
    )
    assert result.exit_code == 0, result.output
    assert "Package manager" in result.output and "BLAS" in result.output
    assert "numpy==2.3.5" in (tmp_path / "asked/requirements.txt").read_text()


def test_versions_lists_what_fits(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = invoke(["versions", "--python", "3.13", "--json"], tmp_path, capsys)
    rows = json.loads(out)
    assert code == 0
    assert rows[0]["version"] == "2.5.5" and rows[-1]["version"] == "2.1.0"
    assert all("3.13" in r["pythons"] for r in rows)
    code, out, _ = invoke(["versions", "--python", "3.9"], tmp_path, capsys)
    assert out.splitlines()[0].startswith("2.0.2")


def test_python_dash_m_and_console_script(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "npinit", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0 and "npinit" in result.stdout


def test_plain_cookiecutter_gives_the_same_files(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "cookiecutter",
            "--no-input",
            str(TEMPLATE),
            "-o",
            str(plain),
            "manager=conda",
            "blas=mkl",
            "python_version=3.14",
            "numpy_version=2.4.6",
            "project_name=proj",
            "platforms=linux-64",
        ],
        check=True,
        capture_output=True,
    )
    ours = tmp_path / "ours"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "npinit",
            "new",
            "proj",
            "--manager",
            "conda",
            "--blas",
            "mkl",
            "--python",
            "3.14",
            "--numpy",
            "2.4.6",
            "--platform",
            "linux-64",
            "--no-input",
            "--output-dir",
            str(ours),
        ],
        check=True,
        capture_output=True,
    )
    assert tree(plain / "proj") == tree(ours / "proj")


def test_examples_match_fresh_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    examples = json.loads((ROOT / "examples/examples.json").read_text())["examples"]
    assert len(examples) >= 4
    for name, args in examples.items():
        code, _, err = invoke(
            ["new", name, *args, "--no-input", "--output-dir", str(tmp_path)], tmp_path, capsys
        )
        assert code == 0, err
        assert tree(tmp_path / name) == tree(ROOT / "examples" / name), (
            f"examples/{name} is stale: run python tools/update_examples.py"
        )


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (
            ["--manager", "conda", "--platform", "all", "--blas", "mkl"],
            "--manager pixi, which selects the BLAS per platform",
        ),
        (
            ["--manager", "conda", "--platform", "all", "--blas", "mkl,osx-arm64=accelerate"],
            "environment.yml cannot select a different BLAS per platform",
        ),
        (["--manager", "pip", "--platform", "all", "--blas", "mkl"], "--manager conda --blas mkl"),
        (["--manager", "pixi", "--channel", "defaults"], "use conda-forge"),
        (
            ["--manager", "pixi", "--platform", "linux-64", "--blas", "osx-arm64=accelerate"],
            "not one of the project's platforms",
        ),
        (
            ["--manager", "pixi", "--platform", "all", "--blas", "linux-64=accelerate"],
            "accelerate is not built for linux-64",
        ),
        (["--blas", "fast"], "unknown BLAS 'fast'"),
    ],
)
def test_several_platforms_refusals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: Any, says: str
) -> None:
    code, _, err = invoke(["new", "proj", "--no-input", *args], tmp_path, capsys)
    assert code == 2, err
    assert says in err and len(err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_workshop_kit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = invoke(
        ["new", "workshop", "--manager", "conda", "--platform", "all", "--no-input", "--json"],
        tmp_path,
        capsys,
    )
    assert code == 0, err
    result = json.loads(out)
    assert result["blas_by_platform"] == {
        "linux-64": "openblas",
        "osx-arm64": "openblas",
        "win-64": "mkl",
    }
    assert not [line for line in result["spec_lines"] if "blas" in line]  # defaults everywhere
    readme = (tmp_path / "workshop/README.md").read_text()
    section = readme.split("## Before the workshop", 1)[1]
    for platform in ("linux-64", "osx-arm64", "win-64"):
        assert f"**{platform}**" in section
    assert "Miniforge" in section and "npinit doctor --json" in section
    assert "python tests/test_environment.py" in section
    assert "npinit create\nnpinit verify\n" in section and "```\nnpinit lock\n```" in section
    assert (tmp_path / "workshop/tests/test_environment.py").exists()


def test_single_platform_readme_has_no_workshop_section(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    invoke(["new", "solo", "--no-input", "--platform", "linux-64"], tmp_path, capsys)
    assert "Before the workshop" not in (tmp_path / "solo/README.md").read_text()
