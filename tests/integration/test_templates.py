"""npinit new --template: another cookiecutter template, rendered by real cookiecutter; its
hooks run only with --trust, and nothing it writes may land outside the project."""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Mapping
from pathlib import Path

import pytest

from tests.helpers import invoke

BASE = ["--no-input", "--platform", "linux-64", "--manager", "pip"]


def write_template(
    root: Path, files: dict[str, str], context: Mapping[str, object] | None = None
) -> Path:
    """A small cookiecutter template written inline (the copier tests' way)."""
    template = root / "tpl"
    (template).mkdir(parents=True)
    (template / "cookiecutter.json").write_text(
        json.dumps(context or {"project_name": "x", "numpy_version": "0"})
    )
    for name, text in files.items():
        path = template / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return template


HOOK = "from pathlib import Path\nPath('hook-ran').write_text('yes')\n"
PROJECT = {
    "{{cookiecutter.project_name}}/README.md": "numpy {{cookiecutter.numpy_version}}\n",
    "hooks/post_gen_project.py": HOOK,
}


def test_hooks_do_not_run_without_trust(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = write_template(tmp_path, PROJECT)
    out_dir = tmp_path / "out"
    code, out, err = invoke(
        [
            "new",
            "proj",
            *BASE,
            "--numpy",
            "2.4.6",
            "--template",
            str(template),
            "--output-dir",
            str(out_dir),
        ],
        tmp_path,
        capsys,
    )
    assert code == 0, err
    project = out_dir / "proj"
    assert (project / "README.md").read_text() == "numpy 2.4.6\n"  # npinit's answers passed
    assert not (project / "hook-ran").exists()
    assert "add --trust to run them" in out


def test_hooks_run_with_trust(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = write_template(tmp_path, PROJECT)
    code, _, err = invoke(
        [
            "new",
            "proj",
            *BASE,
            "--template",
            str(template),
            "--trust",
            "--output-dir",
            str(tmp_path / "out"),
        ],
        tmp_path,
        capsys,
    )
    assert code == 0, err
    assert (tmp_path / "out/proj/hook-ran").read_text() == "yes"


def _everything(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


def test_file_names_that_climb_out_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = write_template(
        tmp_path,
        {"{{cookiecutter.project_name}}/{{cookiecutter.evil}}": "pwned\n"},
        {"project_name": "x", "evil": "../../escape.txt"},
    )
    before = _everything(tmp_path)
    code, _, err = invoke(
        ["new", "proj", *BASE, "--template", str(template), "--output-dir", str(tmp_path / "out")],
        tmp_path,
        capsys,
    )
    assert code == 2 and "outside the project" in err
    assert _everything(tmp_path) - before <= {"out"}  # nothing written, the escape least of all
    assert not (tmp_path / "escape.txt").exists()


def test_symlinks_out_of_the_template_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("private")
    template = write_template(tmp_path, {"{{cookiecutter.project_name}}/README.md": "x\n"})
    os.symlink(secret, template / "{{cookiecutter.project_name}}" / "stolen.txt")
    code, _, err = invoke(
        ["new", "proj", *BASE, "--template", str(template), "--output-dir", str(tmp_path / "out")],
        tmp_path,
        capsys,
    )
    assert code == 2 and "links outside it" in err
    assert not (tmp_path / "out/proj").exists()


def test_zip_template(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = write_template(tmp_path, {"{{cookiecutter.project_name}}/a.txt": "a\n"})
    archive = tmp_path / "tpl.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("tpl/", "")  # cookiecutter wants the top-level directory first
        for path in template.rglob("*"):
            zf.write(path, Path("tpl") / path.relative_to(template))
    code, _, err = invoke(
        ["new", "proj", *BASE, "--template", str(archive), "--output-dir", str(tmp_path / "out")],
        tmp_path,
        capsys,
    )
    assert code == 0, err
    assert (tmp_path / "out/proj/a.txt").read_text() == "a\n"


def test_missing_template_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = invoke(
        ["new", "proj", *BASE, "--template", str(tmp_path / "nope")], tmp_path, capsys
    )
    assert code == 2 and "cannot use the template" in err
