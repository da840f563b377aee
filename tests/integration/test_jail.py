"""The project folder is the jail (issue 24, items 3, 4, 8 and 15): no writer follows a link
out of the project, paths read from .npinit.toml stay inside it, and a command's writes are
one transaction (a fault between two renames puts every file back)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from npinit import faults
from tests.helpers import invoke, tree

ENV = "name: p\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.12\n  - numpy=1.26\n"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside every project, with a precious file: it must stay as it is."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "precious").write_text("keep me\n")
    (folder / "environment.yml").write_text(ENV)
    return folder


@pytest.fixture(autouse=True)
def fresh_faults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(faults, "_passed", {})  # NPINIT_TEST_FAULT's counts, per test


def _project(tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> Path:
    args = ["new", "p", "--no-input", "--platform", "linux-64", "--manager", "conda", *extra]
    code, _, err = invoke([*args, "--python", "3.12", "--numpy", "2.4.6"], tmp_path, capsys)
    assert code == 0, err
    return tmp_path / "p"


def _refused(code: int, err: str, *words: str) -> None:
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    for word in words:
        assert word in err, err


def _answers_file(project: Path, value: str) -> None:
    path = project / ".npinit.toml"
    text = path.read_text()
    path.write_text(text.replace("[project]\n", f"[project]\nfile = {value}\n", 1))


# item 3: .npinit.toml's file is a path inside the project (one function reads it)


@pytest.mark.parametrize("command", [["set", "--numpy", "2.3"], ["lock", "--check"], ["create"]])
def test_an_absolute_file_in_npinit_toml_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], outside: Path, command: list[str]
) -> None:
    project = _project(tmp_path, capsys)
    _answers_file(project, f'"{outside / "environment.yml"}"')
    before = tree(outside)
    code, _, err = invoke(command, project, capsys)
    _refused(code, err, "file", "inside the project")
    assert tree(outside) == before


def test_a_file_through_a_linked_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], outside: Path
) -> None:
    project = _project(tmp_path, capsys)
    (project / "binder").symlink_to(outside)
    _answers_file(project, '"binder/environment.yml"')
    code, _, err = invoke(["set", "--numpy", "2.3"], project, capsys)
    _refused(code, err, f"{project / 'binder'} is a symlink to {outside}", "outside the project")
    assert (outside / "environment.yml").read_text() == ENV


@pytest.mark.parametrize("value", ['"../x/environment.yml"', '"a\\u0000b"', "3", '""'])
def test_other_bad_file_values_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    project = _project(tmp_path, capsys)
    _answers_file(project, value)
    code, _, err = invoke(["set", "--numpy", "2.3"], project, capsys)
    _refused(code, err, ".npinit.toml")


# item 4: symlinks inside a project never carry a write outside it


@pytest.mark.parametrize("name", ["environment.yml", ".npinit.toml"])
def test_set_refuses_a_project_file_linking_outside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], outside: Path, name: str
) -> None:
    project = _project(tmp_path, capsys)
    (outside / name).write_bytes((project / name).read_bytes())
    (project / name).unlink()
    (project / name).symlink_to(outside / name)
    before = tree(outside)
    for args in (["set", "--numpy", "2.3", "--dry-run"], ["set", "--numpy", "2.3"]):
        code, out, err = invoke(args, project, capsys)
        _refused(code, err, f"{project / name} is a symlink to", "outside the project")
        assert out == ""  # not even a diff of a file outside
    assert tree(outside) == before


def test_a_link_inside_the_project_is_followed_and_the_diff_names_the_real_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path, capsys)
    (project / "envs").mkdir()
    os.replace(project / "environment.yml", project / "envs/base.yml")
    (project / "environment.yml").symlink_to("envs/base.yml")
    code, out, err = invoke(["set", "--numpy", "2.3", "--dry-run"], project, capsys)
    assert code == 0, err
    assert "a/envs/base.yml" in out and "a/environment.yml" not in out
    code, _, err = invoke(["set", "--numpy", "2.3"], project, capsys)
    assert code == 0, err
    assert "numpy=2.3.5" in (project / "envs/base.yml").read_text()
    assert (project / "environment.yml").is_symlink()


@pytest.mark.parametrize("link", ["tests", ".github", "binder"])
def test_init_never_writes_through_a_linked_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], outside: Path, link: str
) -> None:
    root = tmp_path / "existing"
    root.mkdir()
    if link == "binder":  # the environment file init edits lives in a folder linked out
        (root / link).symlink_to(outside)
    else:
        (root / "environment.yml").write_text(ENV)
        (outside / "workflows").mkdir()
        (root / link).symlink_to(outside)
    before = tree(outside)
    code, _, err = invoke(["init", "--no-solve", "--no-input", "--ci", "github"], root, capsys)
    _refused(code, err, f"{root / link} is a symlink to {outside}", "outside the project")
    assert tree(outside) == before
    assert not (root / ".npinit.toml").exists()


def test_init_with_a_dangling_npinit_toml_link_names_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], outside: Path
) -> None:
    """It used to say "appeared after npinit init looked" on every run."""
    root = tmp_path / "existing"
    root.mkdir()
    (root / "environment.yml").write_text(ENV)
    (root / ".npinit.toml").symlink_to(outside / "gone.toml")
    code, _, err = invoke(["init", "--no-solve", "--no-input"], root, capsys)
    _refused(code, err, ".npinit.toml is a dangling symlink")
    assert not (outside / "gone.toml").exists()


@pytest.mark.parametrize("name", [".npinit-create-incomplete", ".conda"])
def test_create_never_creates_a_dangling_links_target(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    outside: Path,
    name: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = _project(tmp_path, capsys)
    (project / name).symlink_to(outside / "made")
    monkeypatch.setenv("PATH", str(tmp_path / "no-conda"))
    code, _, err = invoke(["create"], project, capsys)
    _refused(code, err, f"{project / name} is a dangling symlink to")
    assert not (outside / "made").exists()
    assert not (project / "npinit.lock").exists()


def test_export_and_lock_from_env_refuse_a_linked_lock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], outside: Path
) -> None:
    import shutil

    from tests.e2e.test_faults import REAL_META

    project = _project(tmp_path, capsys)
    shutil.copytree(REAL_META, project / ".conda/conda-meta")
    (project / "npinit.lock").symlink_to(outside / "made.lock")
    code, _, err = invoke(["lock", "--from-env"], project, capsys)
    _refused(code, err, "npinit.lock is a dangling symlink to", "outside the project")
    assert not (outside / "made.lock").exists()
    (project / "npinit.lock").unlink()
    code, _, err = invoke(["lock", "--from-env"], project, capsys)
    assert code == 0, err
    (project / "requirements-lock.txt").symlink_to(outside / "precious")
    args = ["lock", "--format", "requirements", "--output", "requirements-lock.txt"]
    code, _, err = invoke(args, project, capsys)
    _refused(code, err, "requirements-lock.txt is a symlink to", "outside the project")
    assert (outside / "precious").read_text() == "keep me\n"


@pytest.mark.parametrize("command", ["lock", "report"])
def test_an_output_file_linking_out_of_its_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], outside: Path, command: str
) -> None:
    from tests.e2e.test_faults import conda_prefix

    here = tmp_path / "here"
    here.mkdir()
    (here / "out").symlink_to(outside / "precious")
    if command == "lock":
        args = ["lock", "--prefix", str(conda_prefix(tmp_path)), "--output", "out"]
    else:
        code, doctor, _ = invoke(["doctor", "--json"], here, capsys)
        (here / "d.json").write_text(doctor)
        args = ["report", "d.json", "--output", "out"]
    code, _, err = invoke(args, here, capsys)
    _refused(code, err, "out is a symlink to", "outside")
    assert (outside / "precious").read_text() == "keep me\n"


# item 8: each command's writes are one transaction


def test_a_fault_between_sets_two_renames_puts_both_files_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project(tmp_path, capsys)
    before = tree(project)
    monkeypatch.setenv("NPINIT_TEST_FAULT", "write-renamed#1")
    code, _, err = invoke(["set", "--numpy", "2.3"], project, capsys)
    assert code == 1 and "injected fault at write-renamed" in err, err
    assert "nothing half-written was left" in err
    assert tree(project) == before  # no edited file, no temporary, no backup
    monkeypatch.delenv("NPINIT_TEST_FAULT")
    code, _, err = invoke(["set", "--numpy", "2.3"], project, capsys)
    assert code == 0, err
    after = tree(project)
    assert "numpy=2.3.5" in after["environment.yml"].decode()
    assert 'numpy = "2.3.5"' in after[".npinit.toml"].decode()


@pytest.mark.parametrize("step", ["write-before-rename", "write-renamed#1", "write-renamed#3"])
def test_an_interrupted_init_leaves_the_project_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    """No .npinit.toml, no empty tests/ or .github/workflows/, the environment file as it was."""
    root = tmp_path / "existing"
    root.mkdir()
    (root / "environment.yml").write_text(ENV.replace("numpy=1.26", "numpy"))
    before = tree(root)
    monkeypatch.setenv("NPINIT_TEST_FAULT", step)
    code, _, err = invoke(["init", "--no-solve", "--no-input", "--ci", "github"], root, capsys)
    assert code == 1 and "injected fault" in err, err
    assert tree(root) == before
    assert sorted(p.name for p in root.iterdir()) == ["environment.yml"]


@pytest.mark.parametrize(
    "entry",
    [
        ["../elsewhere/precious", "../elsewhere/gone.tmp", None],
        ["environment.yml", None, "../elsewhere/precious"],
        ["{out}/precious", "{out}/gone.tmp", None],
        "not a list",
    ],
)
def test_a_planted_journal_never_moves_a_file_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], outside: Path, entry: object
) -> None:
    """The next writer undoes a killed transaction from .npinit-transaction: a journal the
    project carries (hostile) can name only files inside it."""
    import json

    project = _project(tmp_path, capsys)
    if isinstance(entry, list):
        entry = [p.format(out=outside) if isinstance(p, str) else p for p in entry]
    (project / ".npinit-transaction").write_text(
        json.dumps({"files": [entry], "folders": ["../elsewhere", str(outside)]})
    )
    before = tree(outside)
    code, _, err = invoke(["set", "--numpy", "2.3"], project, capsys)
    assert code == 0, err
    assert tree(outside) == before
    assert not (project / ".npinit-transaction").exists()
    assert "numpy=2.3.5" in (project / "environment.yml").read_text()
