"""npinit init on real projects' files (../shared/fixtures/realworld): the manager found, what
the file says read, NumPy decided within the file's Python and numpy ranges, only numpy and
BLAS lines changed, .npinit.toml and the check added, nothing else touched; then lock,
create and verify work as in a generated project."""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, need_python
from tests.helpers import invoke, lock_section, tree

REALWORLD = FIXTURES / "realworld"


def _project(tmp_path: Path, fixture: str) -> tuple[Path, Path]:
    """The fixture at its real path inside a project folder."""
    root = tmp_path / "proj"
    relative = fixture.split("__", 1)[1].replace("__", "/")
    target = root / relative
    target.parent.mkdir(parents=True)
    shutil.copy(REALWORLD / fixture, target)
    return root, target


def _changed_lines(before: str, after: str) -> list[str]:
    import difflib

    return [
        line[1:]
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="")
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_scipy_keeps_its_openblas_selector_and_decides_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, target = _project(tmp_path, "scipy__environment.yml")
    code, out, err = invoke(
        ["init", "--no-solve", "--no-input", "--json", "--python", "3.12"], root, capsys
    )
    assert code == 0, err
    report = json.loads(out)
    assert report["blas"] == "openblas" and report["python"] == "3.12"
    assert "BLAS openblas: the file's selector, kept" in report["decisions"]
    text = target.read_text()
    assert "libblas=*=*openblas" in text  # untouched
    assert f"  - numpy={report['numpy']}" in text


def test_a_conda_lock_platforms_key_and_a_bracket_selector(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    """conda-lock's `platforms:` key gives the platforms; `libblas[build=*mkl]` the BLAS;
    the file lives in binder/; `npinit lock` then solves it against the conda-forge slice."""
    root = tmp_path / "lab"
    (root / "binder").mkdir(parents=True)
    env = root / "binder/environment.yml"
    original = (
        "# the binder environment\n"
        "name: lab\n"
        "channels:\n  - conda-forge\n"
        "platforms:\n  - linux-64\n  - win-64\n"
        "dependencies:\n"
        "  - python >=3.13  # any recent Python\n"
        "  - numpy >=2.4,<2.5\n"
        "  - libblas[build=*mkl]\n"
        "  - pytest\n"
    )
    env.write_text(original)
    code, out, err = invoke(["init", "--no-solve", "--no-input", "--json"], root, capsys)
    assert code == 0, err
    report = json.loads(out)
    assert report["platforms"] == ["linux-64", "win-64"] and report["blas"] == "mkl"
    assert report["file"] == "binder/environment.yml" and report["numpy"].startswith("2.4.")
    answers = tomllib.loads((root / ".npinit.toml").read_text())["project"]
    assert answers["requires-python"] == ">=3.13" and answers["file"] == "binder/environment.yml"
    text = env.read_text()
    changed = _changed_lines(original, text)
    assert changed[0] == "  - numpy >=2.4,<2.5" and len(changed) == 2
    assert changed[1].replace(" ", "").replace("-numpy", "") in (
        f"={report['numpy']}",
        f"=={report['numpy']}",
    )
    code, _, err = invoke(["set", "--numpy", "2.4.4"], root, capsys)  # set finds binder/
    assert code == 0, err
    assert "  - numpy=2.4.4\n" in env.read_text()
    assert 'numpy = "2.4.4"' in (root / ".npinit.toml").read_text()
    assert invoke(["set", "--numpy", report["numpy"]], root, capsys)[0] == 0  # back
    code, out, err = invoke(["lock", "--channel-alias", forge_alias, "--json"], root, capsys)
    assert code == 0, err
    for platform in ("linux-64", "win-64"):
        section = lock_section(root / "npinit.lock", platform)
        by_name = {p["name"]: p for p in section["packages"]}
        assert by_name["numpy"]["version"] == report["numpy"]
        assert by_name["libblas"]["build"].endswith("mkl")
        assert by_name["python"]["version"].startswith(("3.13.", "3.14."))


def test_refusals_write_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = invoke(["init", "--no-solve", "--no-input"], empty, capsys)
    assert code == 2 and "no environment file" in err and "requirements*.txt" in err
    both = tmp_path / "both"
    both.mkdir()
    (both / "environment.yml").write_text("dependencies:\n  - numpy\n")
    (both / "requirements.txt").write_text("numpy\n")
    before = tree(both)
    code, _, err = invoke(["init", "--no-solve", "--no-input"], both, capsys)
    assert code == 2 and "several files fit" in err and "--manager" in err
    assert "conda (environment.yml)" in err and "pip (requirements.txt)" in err
    assert tree(both) == before
    code, _, err = invoke(["init", "--no-solve", "--no-input", "--manager", "pip"], both, capsys)
    assert code == 0, err
    assert (both / "environment.yml").read_text() == "dependencies:\n  - numpy\n"
    code, _, err = invoke(["init", "--no-solve", "--no-input", "--manager", "pip"], both, capsys)
    assert code == 2 and "already an npinit project" in err and "npinit set" in err
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "environment.yml").write_text("dependencies:\n  - numpy\n  - [unclosed\n")
    before = tree(broken)
    code, _, err = invoke(["init", "--no-solve", "--no-input"], broken, capsys)
    assert code == 2 and "environment.yml" in err and len(err.strip().splitlines()) == 1
    assert tree(broken) == before


def test_an_existing_check_is_never_overwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "p"
    (root / "tests").mkdir(parents=True)
    (root / "tests/test_environment.py").write_text("# the project's own\n")
    (root / "requirements.txt").write_text("numpy>=2.3,<2.4  # fast arrays\nscipy\n")
    code, out, err = invoke(["init", "--no-solve", "--no-input", "--json"], root, capsys)
    assert code == 0, err
    assert json.loads(out)["added"] == [".npinit.toml", "tests/test_npinit_environment.py"]
    assert (root / "tests/test_environment.py").read_text() == "# the project's own\n"
    numpy = json.loads(out)["numpy"]
    assert (root / "requirements.txt").read_text() == f"numpy=={numpy}  # fast arrays\nscipy\n"


def test_the_confirmation_and_dry_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "p"
    root.mkdir()
    (root / "requirements.txt").write_text("numpy\n")
    before = tree(root)
    code, out, _ = invoke(["init", "--no-solve", "--dry-run"], root, capsys)
    assert code == 0 and "+numpy==" in out and tree(root) == before
    code, _, err = invoke(["init", "--no-solve"], root, capsys, stdin="n\n")
    assert code == 1 and "nothing was written" in err and tree(root) == before


@pytest.mark.e2e
def test_a_pip_project_brought_under_npinit_is_created_for_real(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    need_python("3.12")
    root = tmp_path / "old-project"
    root.mkdir()
    (root / "requirements.txt").write_text("# our deps\nnumpy>=2.3\nthreadpoolctl\npytest\n")
    code, out, err = invoke(
        ["init", "--no-solve", "--no-input", "--json", "--python", "3.12"], root, capsys
    )
    assert code == 0, err
    code, out, err = invoke(["create", "--json"], root, capsys)
    assert code == 0, err
    report: dict[str, Any] = json.loads(out)
    assert report["tests"]["passed"] is True and report["verified"] is True
    code, out, _ = invoke(["verify"], root, capsys)
    assert code == 0 and "No drift" in out
    code, out, _ = invoke(["doctor", "--json"], root, capsys)
    assert code == 0, out


def test_a_file_that_appears_before_writing_is_not_overwritten(tmp_path: Path) -> None:
    from npinit import api
    from npinit.errors import InvalidInput

    root = tmp_path / "p"
    root.mkdir()
    (root / "requirements.txt").write_text("numpy\n")
    plan = api.plan_init(root)
    (root / "tests").mkdir()
    (root / "tests/test_environment.py").write_text("# written meanwhile\n")
    with pytest.raises(InvalidInput, match="appeared after npinit looked"):
        api.apply_init(plan)
    assert (root / "tests/test_environment.py").read_text() == "# written meanwhile\n"
    assert not (root / ".npinit.toml").exists()  # the file it had created is taken back
    assert (root / "requirements.txt").read_text() == "numpy\n"


def test_it_asks_which_manager_when_several_fit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "both"
    root.mkdir()
    (root / "environment.yml").write_text("dependencies:\n  - python=3.12\n  - numpy\n")
    (root / "requirements.txt").write_text("numpy\n")
    code, _, err = invoke(["init", "--no-solve"], root, capsys, stdin="1\ny\n")
    assert code == 0, err
    assert "1. conda (environment.yml)" in err and "2. pip (requirements.txt)" in err
    answers = tomllib.loads((root / ".npinit.toml").read_text())["project"]
    assert answers["manager"] == "conda" and answers["file"] == "environment.yml"
    assert (root / "requirements.txt").read_text() == "numpy\n"
    assert f"  - numpy={answers['numpy']}\n" in (root / "environment.yml").read_text()
