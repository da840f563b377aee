"""What a black-box tester of ``npinit init`` found about paths (issue 26): a file given by
its absolute path from ``/`` (or from the home folder) made ``/`` the project, and from
another folder its own folder (``envs/``) although its parent holds ``.git``; a regular
file named ``tests`` in the way gave exit 1 with an unrelated hint; a control character in
the file's name made the refusal name ``.npinit.toml``, and is never printed raw."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import invoke, tree

ENV = "channels:\n  - conda-forge\ndependencies:\n  - python=3.12\n  - numpy\n"


@pytest.mark.parametrize(
    ("where", "marker", "project"),
    [
        ("/", None, "a/b"),  # no project around it: the file's own folder
        ("/", ".git", "a"),  # the project that holds it
        ("home", None, "a/b"),
        ("home", "pyproject.toml", "a"),
        # run from another folder: the project that holds it too (it was a/b, the file's)
        ("elsewhere", ".git", "a"),
        ("elsewhere", "pyproject.toml", "a"),
        ("elsewhere", None, "a/b"),
    ],
    ids=["root", "root-git", "home", "home-pyproject", "else-git", "else-pyproject", "else"],
)
def test_a_file_named_from_root_or_home_is_never_a_project_at_root_or_home(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    where: str,
    marker: str | None,
    project: str,
) -> None:
    home = tmp_path / "home"
    (home / "a/b").mkdir(parents=True)
    (home / "a/b/env.yml").write_text(ENV)
    if marker == ".git":
        (home / "a/.git").mkdir()
    elif marker:
        (home / "a" / marker).write_text('[project]\nname = "a"\n')
    monkeypatch.setenv("HOME", str(home))
    cwd = {"/": Path("/"), "home": home, "elsewhere": tmp_path / "elsewhere"}[where]
    cwd.mkdir(exist_ok=True)
    args = ["init", str(home / "a/b/env.yml"), "--dry-run", "--no-solve", "--no-input", "--json"]
    code, out, err = invoke(args, cwd, capsys)
    assert code == 0, err
    report = json.loads(out)
    assert report["project"] == str(home / project)
    assert report["file"] == Path(home / "a/b/env.yml").relative_to(home / project).as_posix()


@pytest.mark.parametrize(
    ("in_the_way", "args", "words"),
    [
        ("tests", [], "tests is a file where npinit init puts tests/test_environment.py"),
        (".github", ["--ci", "github"], ".github is a file where npinit init puts .github/"),
    ],
    ids=["tests", "github"],
)
def test_a_file_where_init_puts_a_folder_is_named_exit_2(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    in_the_way: str,
    args: list[str],
    words: str,
) -> None:
    (tmp_path / "environment.yml").write_text(ENV)
    (tmp_path / in_the_way).write_text("not a folder\n")
    before = tree(tmp_path)
    code, _, err = invoke(["init", "--no-solve", "--no-input", *args], tmp_path, capsys)
    assert code == 2 and words in err and "rename or move it" in err, err
    assert len(err.strip().splitlines()) == 1 and tree(tmp_path) == before


@pytest.mark.parametrize("given", [True, False], ids=["given", "found"])
def test_a_control_character_in_the_files_name_is_refused_naming_it_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], given: bool
) -> None:
    name = "env\x1b[31m.yml"
    (tmp_path / name).write_text(ENV)
    before = tree(tmp_path)
    args = ["init", "--no-solve", "--no-input"] + ([name] if given else [])
    code, out, err = invoke(args, tmp_path, capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert "the environment file: name 'env\\x1b[31m.yml' holds control characters" in err
    assert ".npinit.toml records it" in err and "\x1b" not in out + err  # never raw
    assert tree(tmp_path) == before


@pytest.mark.parametrize(
    ("files", "words"),
    [
        (
            {"requirements.txt": "-r missing.txt\nnumpy\n"},
            "requirements.txt includes missing.txt, which does not exist: npinit cannot lock it",
        ),
        (
            {"environment.yml": ENV + "  - pip:\n    - -r missing.txt\n"},
            "environment.yml's pip: section includes missing.txt, which does not exist: npinit "
            "cannot lock it",
        ),
    ],
    ids=["requirements", "conda-pip"],
)
def test_an_include_is_refused_by_locks_one_rule_before_any_solve(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str], words: str
) -> None:
    """Solving (no --no-solve) too: requirements.lockable_includes is the one include rule,
    applied before a resolver runs (the channel alias leads nowhere: a solve would fail)."""
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    before = tree(tmp_path)
    args = ["init", "--no-input", "--channel-alias", (tmp_path / "none").as_uri()]
    code, _, err = invoke(args, tmp_path, capsys)
    assert code == 2 and err.startswith(f"npinit: error: {words}"), err
    assert len(err.strip().splitlines()) == 1 and tree(tmp_path) == before
