"""Property tests for the containment rule (issue 24): over hostile link layouts, file names
and ``.npinit.toml`` values, no writer (set, init, lock --from-env, report --output, the
transaction itself) changes anything outside the project, and every refusal is one line with
a documented exit code, never a traceback."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from npinit.errors import InvalidInput
from tests.helpers import invoke

ENV = "name: p\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.12\n  - numpy=1.26\n"
NAMES = [
    "environment.yml",
    ".npinit.toml",
    "npinit.lock",
    "tests",
    ".github",
    "binder",
    ".npinit-create-incomplete",
    ".conda",
    "requirements-lock.txt",
    "report.html",
]
# where a planted link points: outside (a folder, a file, nothing), a loop, inside
TARGETS = [
    "{out}",
    "{out}/{name}",  # a copy of the project's own file, outside: a valid file to edit
    "{out}/precious",
    "{out}/missing",
    "../elsewhere/{name}",
    "{self}",
    "envs",
]
FILE_VALUES = st.one_of(
    st.sampled_from(
        [
            "environment.yml",
            "/etc/passwd",
            "{out}/environment.yml",
            "binder/environment.yml",
            "../elsewhere/environment.yml",
            "a/../../x",
            "C:\\x",
            "\\\\host\\share",
            "",
            ".",
            "envs/../environment.yml",
            "tests/environment.yml",
        ]
    ),
    st.text(min_size=1, max_size=30),
)
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One generated conda project (with CI), copied for every example."""
    from npinit import api

    spec = api.resolve_project(
        "p", manager="conda", python="3.12", numpy="2.4.6", platforms=["linux-64"], ci="github"
    )
    return api.new_project(spec, tmp_path_factory.mktemp("template")).project


def _snapshot(folder: Path) -> dict[str, object]:
    """Every entry below ``folder``: a file's bytes, a link's target, a folder's name."""
    found: dict[str, object] = {}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[key] = ("link", os.readlink(path))
        elif path.is_file():
            found[key] = path.read_bytes()
        else:
            found[key] = "folder"
    return found


@pytest.fixture
def world(template: Path) -> Iterator[Path]:
    """A scratch folder per test; each example makes its own copy inside."""
    with tempfile.TemporaryDirectory() as scratch:
        yield Path(scratch)


def _layout(world: Path, template: Path, links: dict[str, str], answers_file: str | None) -> Path:
    """A fresh project beside a fresh ``elsewhere/``, with the planted links."""
    for child in world.iterdir():
        shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
    out = world / "elsewhere"
    (out / "workflows").mkdir(parents=True)
    (out / "precious").write_text("keep me\n")
    project = world / "p"
    shutil.copytree(template, project, symlinks=True)
    for name in ("environment.yml", ".npinit.toml", "README.md"):
        shutil.copy(project / name, out / name)
    (project / "envs").mkdir()
    for name, target in links.items():
        path = project / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif os.path.lexists(path):
            path.unlink()
        path.symlink_to(target.format(out=out, self=path, name=name))
    if answers_file is not None and not (project / ".npinit.toml").is_symlink():
        from npinit.tomlio import toml_value

        try:
            value = toml_value(answers_file.format(out=out))
        except (InvalidInput, IndexError, KeyError, ValueError):
            value = toml_value("environment.yml")
        text = (project / ".npinit.toml").read_text()
        (project / ".npinit.toml").write_text(
            text.replace("[project]\n", f"[project]\nfile = {value}\n")
        )
    return project


def _check(code: int, err: str) -> None:
    assert code in (0, 1, 2), err
    assert "Traceback" not in err, err
    if code:
        assert len(err.strip().splitlines()) == 1, err


LINKS = st.dictionaries(st.sampled_from(NAMES), st.sampled_from(TARGETS), max_size=4)
COMMANDS_LIST = [
    ["set", "--numpy", "2.3"],
    ["set", "--numpy", "2.3", "--python", "3.13"],
    ["init", "--no-solve", "--no-input", "--ci", "github"],
    ["lock", "--from-env"],
    ["lock", "--format", "requirements"],
    ["report", "d.json", "--output", "report.html"],
]
COMMANDS = st.sampled_from(COMMANDS_LIST)


@SETTINGS
@given(links=LINKS, answers_file=st.one_of(st.none(), FILE_VALUES), command=COMMANDS)
@example(links={"environment.yml": "{out}/{name}"}, answers_file=None, command=COMMANDS_LIST[0])
@example(links={"tests": "{out}"}, answers_file=None, command=COMMANDS_LIST[2])
@example(links={"report.html": "{out}/precious"}, answers_file=None, command=COMMANDS_LIST[5])
@example(links={"binder": "{out}"}, answers_file="binder/environment.yml", command=COMMANDS_LIST[0])
@example(
    links={".npinit.toml": "{out}/precious", "report.html": "{out}/missing"},
    answers_file=None,
    command=COMMANDS_LIST[5],
)
def test_no_writer_changes_anything_outside_the_project(
    world: Path,
    template: Path,
    capsys: pytest.CaptureFixture[str],
    links: dict[str, str],
    answers_file: str | None,
    command: list[str],
) -> None:
    from tests.e2e.test_faults import REAL_META

    project = _layout(world, template, links, answers_file)
    if command[0] == "init":  # an existing project npinit did not make
        for name in (".npinit.toml", ".github"):
            if os.path.lexists(project / name) and not (project / name).is_symlink():
                shutil.rmtree(project / name) if name == ".github" else (project / name).unlink()
    if command[0] == "lock" and not os.path.lexists(project / ".conda"):
        shutil.copytree(REAL_META, project / ".conda/conda-meta")
    if command[0] == "report":
        (project / "d.json").write_text('{"schema": 1, "environment": {}, "checks": []}')
    before = _snapshot(world / "elsewhere")
    code, _, err = invoke(command, project, capsys)
    _check(code, err)
    assert _snapshot(world / "elsewhere") == before


@SETTINGS
@given(
    names=st.lists(
        st.one_of(
            st.sampled_from(["a/b", "../x", "/abs", "envs/../../x", "link/x", "loop/x", "ok"]),
            st.text(min_size=1, max_size=20),
        ),
        min_size=1,
        max_size=4,
    ),
    fail_at=st.sampled_from(["", "write-before-rename", "write-renamed#1", "write-renamed#2"]),
)
@example(names=["\r", "a\r\nb"], fail_at="")  # written byte for byte, no newline translation
def test_a_transaction_writes_inside_or_nothing(
    world: Path, names: list[str], fail_at: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """write_files with hostile names: every file lands inside the root, or the call is
    refused (InvalidInput) or fails (OSError) and the root is as it was."""
    from npinit import faults, jail

    monkeypatch.setattr(faults, "_passed", {})
    monkeypatch.setenv("NPINIT_TEST_FAULT", fail_at)
    for child in world.iterdir():
        shutil.rmtree(child)
    out, root = world / "elsewhere", world / "root"
    out.mkdir()
    (out / "precious").write_text("keep me\n")
    root.mkdir()
    (root / "ok").write_text("old\n")
    (root / "link").symlink_to(out)
    (root / "loop").symlink_to(root / "loop")
    before_out, before_root = _snapshot(out), _snapshot(root)
    files: dict[Path, str | None] = {root / name: f"new {name}\n" for name in names}
    try:
        written = jail.write_files(root, files)
    except (InvalidInput, OSError):
        assert _snapshot(root) == before_root
    else:
        assert not fail_at or (fail_at == "write-renamed#2" and len(files) < 2)
        real_root = os.path.realpath(root)
        for path in written:
            assert os.path.realpath(path).startswith(real_root + os.sep)
            assert path.read_bytes() == str(files[path]).encode()
    assert _snapshot(out) == before_out
