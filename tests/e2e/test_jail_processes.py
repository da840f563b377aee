"""The project folder is the jail, with real processes (issue 24, items 4, 8 and 9): two
creates at once, lock's several files as one transaction, lock never writing through a link.
Every moment is a named step (NPINIT_TEST_FAULT), never a sleep."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import fake_conda, no_conda_path, tree

pytestmark = pytest.mark.e2e
NPINIT = [sys.executable, "-m", "npinit"]


def _project(tmp_path: Path, channel: Path, *extra: str) -> Path:
    subprocess.run(
        [*NPINIT, "new", "p", "--manager", "conda", "--python", "3.12", "--numpy", "2.4.6",
         "--platform", "linux-64", "--no-input", "--channel-alias", channel.as_uri(), *extra],
        cwd=tmp_path, check=True, capture_output=True,
    )  # fmt: skip
    return tmp_path / "p"


def _npinit(
    args: list[str], cwd: Path, fault: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, **env}
    if fault:
        environ["NPINIT_TEST_FAULT"] = fault
    return subprocess.run(
        [*NPINIT, *args], cwd=cwd, env=environ, capture_output=True, text=True, timeout=240
    )


def _one_line(result: subprocess.CompletedProcess[str], code: int, *words: str) -> None:
    assert result.returncode == code, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def test_a_second_create_refuses_while_the_first_builds(tmp_path: Path, channel: Path) -> None:
    """The first create stops itself (SIGSTOP) once its marker says it builds; the second
    must neither take that marker for a killed run nor touch the environment; the first then
    finishes with a whole environment."""
    bin_dir = tmp_path / "bin"
    fake_conda(bin_dir, ["conda"])
    project = _project(tmp_path, channel)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{no_conda_path()}"}
    args = [*NPINIT, "create", "--channel-alias", channel.as_uri()]
    first = subprocess.Popen(
        args,
        cwd=project,
        env={**env, "NPINIT_TEST_FAULT": "create-building:SIGSTOP"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _, status = os.waitpid(first.pid, os.WUNTRACED)  # returns when it stops (or ends)
        assert os.WIFSTOPPED(status), f"the first create ended ({status}) instead of holding"
        marker = (project / ".npinit-create-incomplete").read_text()
        lock = (project / "npinit.lock").read_bytes()
        second = _npinit(["create", "--channel-alias", channel.as_uri()], project, PATH=env["PATH"])
        _one_line(second, 1, "another npinit create is building the environment of")
        assert (project / ".npinit-create-incomplete").read_text() == marker
        assert (project / "npinit.lock").read_bytes() == lock
        assert not (project / ".conda").exists()  # the second built nothing either
    finally:
        os.kill(first.pid, signal.SIGCONT)
    _, err = first.communicate(timeout=240)
    assert first.returncode == 0, err
    assert (project / ".conda/conda-meta").is_dir()
    assert not (project / ".npinit-create-incomplete").exists()
    third = _npinit(["create", "--channel-alias", channel.as_uri()], project, PATH=env["PATH"])
    # a whole environment of the project's Python is taken as it is and synced to the lock
    assert third.returncode == 0, third.stderr
    assert "installed the lock into the existing .conda" in third.stderr


@pytest.mark.parametrize("fault", ["write-renamed#1", "write-renamed#2:SIGINT", "write-renamed#2"])
def test_lock_writes_its_files_as_one_transaction(
    tmp_path: Path, channel: Path, fault: str
) -> None:
    """npinit.lock, conda-lock.yml and the workflow: a fault between two renames puts every
    file back (the workflow as new wrote it, no lock, no export, no temporary)."""
    project = _project(tmp_path, channel, "--ci", "github")
    before = tree(project)
    result = _npinit(["lock", "--channel-alias", channel.as_uri()], project, fault)
    code = 130 if fault.endswith("SIGINT") else 1
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    assert tree(project) == before
    assert sorted(p.name for p in project.iterdir()) == sorted(
        {name.split("/")[0] for name in before}
    )
    again = _npinit(["lock", "--channel-alias", channel.as_uri()], project)
    assert again.returncode == 0, again.stderr
    written = tree(project)
    assert {"npinit.lock", "conda-lock.yml"} <= set(written)
    assert written[".github/workflows/environment.yml"] != b""


@pytest.mark.parametrize("link", ["npinit.lock", "conda-lock.yml", ".github"])
def test_lock_never_writes_through_a_link_leaving_the_project(
    tmp_path: Path, channel: Path, link: str
) -> None:
    outside = tmp_path / "elsewhere"
    (outside / "workflows").mkdir(parents=True)
    (outside / "precious").write_text("keep me\n")
    project = _project(tmp_path, channel, "--ci", "github")
    target = outside if link == ".github" else outside / "precious"
    if link == ".github":
        (outside / "workflows/environment.yml").write_text("keep me\n")
        os.replace(project / ".github", tmp_path / "github-was")
    (project / link).symlink_to(target)
    before = tree(outside)
    result = _npinit(["lock", "--channel-alias", channel.as_uri()], project)
    _one_line(result, 2, f"{project / link} is a symlink to {target}", "outside the project")
    assert tree(outside) == before
    assert not (project / "npinit.lock").is_file() or link == "npinit.lock"


def test_a_set_killed_between_two_renames_is_undone_by_the_next_writer(
    tmp_path: Path, channel: Path
) -> None:
    """SIGKILL (which nothing catches) after set renamed one of its two files: the files
    disagree until the next writer in the project, which rolls the killed one back first."""
    project = _project(tmp_path, channel)
    before = tree(project)
    killed = _npinit(["set", "--numpy", "2.3"], project, "write-renamed#1:SIGKILL")
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert (project / ".npinit-transaction").is_file()
    assert tree(project) != before  # one file renamed, the other not (and the journal)
    again = _npinit(["set", "--no-solve", "--python", "3.12", "--dry-run"], project)  # reads only
    assert again.returncode == 0, again.stderr
    writer = _npinit(["set", "--numpy", "2.4.6"], project)  # the pin it had: nothing to edit
    assert writer.returncode == 0, writer.stderr
    assert tree(project) == before  # the killed set undone: no trace, no journal, no backup
    assert sorted(p.name for p in project.iterdir()) == sorted({n.split("/")[0] for n in before})
