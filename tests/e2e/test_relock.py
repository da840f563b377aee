"""Re-locking keeps what is locked (issue 27): a pin relaxed and a requirement added move
nothing but the new package; ``--upgrade-package`` moves that package (and what it needs),
``--upgrade`` everything; every lock says what changed, ``npinit diff`` too. Real resolvers:
uv against the PyPI mirror (pip, uv), Poetry, and py-rattler against a synthetic channel
with two versions of pytest and threadpoolctl (conda, pixi)."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import need_python, run
from tests.helpers import invoke, lock_section, markdown_table

pytestmark = pytest.mark.e2e


def _versions(project: Path) -> dict[str, str]:
    return {p["name"]: p["version"] for p in lock_section(project / "npinit.lock")["packages"]}


def _lock(project: Path, capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    """``npinit lock --json`` (and the same run's text, checked to say the same)."""
    code, out, err = invoke(["lock", "--json", *args], project, capsys)
    assert code == 0, err
    report: dict[str, Any] = json.loads(out)
    return report


def _moved(report: dict[str, Any], platform: str = "linux-64") -> dict[str, list[str]]:
    """What the JSON says moved on ``platform``: names added, removed and changed."""
    changes = report["changes"]["platforms"][platform]
    return {kind: [c["name"] for c in changes[kind]] for kind in ("added", "removed", "changed")}


# -- PyPI managers: uv resolves (pip, uv), Poetry resolves ---------------------------------------

# each manager's spelling of: pytest pinned old + packaging pinned old / relaxed + tomli
EDITS = {
    "pip": ("requirements.txt", "pytest\n", "pytest==8.3.3\npackaging==24.0\n", "pytest\ntomli\n"),
    "uv": (
        "pyproject.toml",
        '  "pytest",\n',
        '  "pytest==8.3.3",\n  "packaging==24.0",\n',
        '  "pytest",\n  "tomli",\n',
    ),
    "poetry": (
        "pyproject.toml",
        'pytest = "*"\n',
        'pytest = "8.3.3"\npackaging = "24.0"\n',
        'pytest = "*"\ntomli = "*"\n',
    ),
}


def _pypi_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], manager: str, monkeypatch: Any
) -> Path:
    need_python("3.12")
    code, _, err = invoke(
        ["new", "rl", "--manager", manager, "--python", "3.12", "--numpy", "2.3.5",
         "--platform", "linux-64", "--ci", "none", "--no-input"],
        tmp_path, capsys,
    )  # fmt: skip
    assert code == 0, err
    project = tmp_path / "rl"
    if manager == "poetry":
        poetry = shutil.which("poetry") or str(Path(sys.executable).with_name("poetry"))
        env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
        # this machine's PyPI mirror lacks the JSON API Poetry's default source uses
        run([poetry, "source", "add", "--priority=primary", "simple", "https://pypi.org/simple/"],
            cwd=project, env=env)  # fmt: skip
        monkeypatch.setenv("PATH", str(Path(poetry).parent) + os.pathsep + os.environ["PATH"])
    return project


def _edit(project: Path, name: str, old: str, new: str) -> None:
    path = project / name
    text = path.read_text()
    assert old in text, text
    path.write_text(text.replace(old, new, 1))


# Poetry's four locks each start Poetry (about 800 modules), make its throwaway virtualenv and
# read PyPI's numpy page (1.9 MB): 5 to 7 s each on a quiet 2-core machine, and the whole test
# took 255 s at a load of 8, against the 300 s default. A hang still ends at 600 s.
POETRY_LOCKS = pytest.param("poetry", marks=pytest.mark.timeout(600))


@pytest.mark.parametrize("manager", ["pip", "uv", POETRY_LOCKS])
def test_pypi_relock_keeps_upgrades_on_request_and_says_what_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: Any, manager: str
) -> None:
    project = _pypi_project(tmp_path, capsys, manager, monkeypatch)
    name, plain, pinned, relaxed = EDITS[manager]
    _edit(project, name, plain, pinned)
    _lock(project, capsys)
    first = _versions(project)
    assert first["pytest"] == "8.3.3" and first["packaging"] == "24.0"
    assert "tomli" not in first
    (project / "first.lock").write_bytes((project / "npinit.lock").read_bytes())

    # relax the pins, add tomli: only tomli moves (packaging stays a pytest dependency)
    _edit(project, name, pinned, relaxed)
    report = _lock(project, capsys)
    second = _versions(project)
    assert second == {**first, "tomli": second["tomli"]}
    assert _moved(report) == {"added": ["tomli"], "removed": [], "changed": []}
    code, out, _ = invoke(["diff", "first.lock", "npinit.lock"], project, capsys)
    assert code == 0
    assert out.splitlines()[1:] == [
        "Changes in npinit.lock:",
        "  linux-64:",
        f"    added    tomli {second['tomli']}",
    ]

    # --upgrade-package pytest: pytest (and what it needs) moves, packaging stays
    report = _lock(project, capsys, "--upgrade-package", "pytest")
    third = _versions(project)
    assert _moved(report)["changed"] == ["pytest"] and _moved(report)["removed"] == []
    assert third["pytest"] != "8.3.3" and third["packaging"] == "24.0"
    assert {k: v for k, v in third.items() if k in second and k != "pytest"} == {
        k: v for k, v in second.items() if k != "pytest"
    }
    change = report["changes"]["platforms"]["linux-64"]["changed"][0]
    assert (change["before"], change["after"]) == ("8.3.3", third["pytest"])

    # --upgrade: the rest moves too
    report = _lock(project, capsys, "--upgrade")
    assert "packaging" in _moved(report)["changed"] and _versions(project)["packaging"] != "24.0"
    if manager in ("uv", "poetry"):  # their own lock files are kept, never deleted
        assert (project / f"{manager}.lock").is_file()


# -- conda and pixi: py-rattler against a channel with two versions ---------------------------


@pytest.fixture(scope="module")  # read only: the tests lock against it, none changes it
def two_versions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synthetic channel plus pytest 8.3.3 (needs pluggy <2), pluggy 1.5.0 and 2.0.0,
    threadpoolctl 3.7.0 and tomli 2.0.0: pytest 9.0.0 and threadpoolctl 3.8.0 are newer."""
    from rattler.index import index_fs

    from tests.channels import build_channel, package

    root = build_channel(tmp_path_factory.mktemp("two-versions"))
    channel = root / "conda-forge"
    package(channel, "noarch", "pytest", "8.3.3", "pyh0_0", depends=("pluggy <2",))
    for name, version in (("pluggy", "1.5.0"), ("pluggy", "2.0.0"), ("threadpoolctl", "3.7.0"),
                          ("tomli", "2.0.0")):  # fmt: skip
        package(channel, "noarch", name, version, "pyh0_0")
    asyncio.run(index_fs(channel, force=True))
    return root


CONDA_EDITS = {
    "conda": (
        "environment.yml",
        "  - pytest\n  - threadpoolctl\n",
        "  - pytest=8.3.3\n  - threadpoolctl=3.7.0\n",
        "  - pytest\n  - threadpoolctl\n  - tomli\n",
    ),
    "pixi": (
        "pixi.toml",
        'pytest = "*"\nthreadpoolctl = "*"\n',
        'pytest = "==8.3.3"\nthreadpoolctl = "==3.7.0"\n',
        'pytest = "*"\nthreadpoolctl = "*"\ntomli = "*"\n',
    ),
}


def _conda_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], manager: str, alias: str
) -> Path:
    code, _, err = invoke(
        ["new", "cl", "--manager", manager, "--python", "3.12", "--numpy", "2.4.6",
         "--platform", "linux-64", "--ci", "none", "--no-input"],
        tmp_path, capsys,
    )  # fmt: skip
    assert code == 0, err
    project = tmp_path / "cl"
    name, plain, pinned, _ = CONDA_EDITS[manager]
    _edit(project, name, plain, pinned)
    _lock(project, capsys, "--channel-alias", alias)
    return project


@pytest.mark.parametrize("manager", ["conda", "pixi"])
def test_conda_relock_keeps_upgrades_on_request_and_says_what_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], two_versions: Path, manager: str
) -> None:
    alias = two_versions.as_uri()
    project = _conda_project(tmp_path, capsys, manager, alias)
    first = _versions(project)
    assert (first["pytest"], first["pluggy"], first["threadpoolctl"]) == ("8.3.3", "1.5.0", "3.7.0")
    name, _, pinned, relaxed = CONDA_EDITS[manager]
    _edit(project, name, pinned, relaxed)

    # lock --check names the inputs; --dry-run adds what would move, and writes nothing
    before = (project / "npinit.lock").read_bytes()
    code, out, err = invoke(
        ["lock", "--check", "--dry-run", "--channel-alias", alias], project, capsys
    )
    assert code == 2 and "does not fit the project: added" in err and "tomli" in err, err
    assert "    added    tomli 2.0.0" in out.splitlines() and "changed" not in out
    assert (project / "npinit.lock").read_bytes() == before

    report = _lock(project, capsys, "--channel-alias", alias)
    assert _versions(project) == {**first, "tomli": "2.0.0"}
    assert _moved(report) == {"added": ["tomli"], "removed": [], "changed": []}

    report = _lock(project, capsys, "--channel-alias", alias, "--upgrade-package", "pytest")
    assert _moved(report) == {"added": [], "removed": ["pluggy"], "changed": ["pytest"]}
    third = _versions(project)
    assert (third["pytest"], third["threadpoolctl"]) == ("9.0.0", "3.7.0")

    report = _lock(project, capsys, "--channel-alias", alias, "--upgrade")
    assert _moved(report) == {"added": [], "removed": [], "changed": ["threadpoolctl"]}
    assert _versions(project)["threadpoolctl"] == "3.8.0"
    report = _lock(project, capsys, "--channel-alias", alias)
    assert report["changes"]["identical"] is True
    code, out, _ = invoke(["lock", "--channel-alias", alias], project, capsys)
    assert code == 0 and out.splitlines()[-1] == "npinit.lock: no change"


def test_diff_between_locks_as_text_markdown_json_and_git_revisions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], two_versions: Path
) -> None:
    alias = two_versions.as_uri()
    project = _conda_project(tmp_path, capsys, "conda", alias)
    git = [
        "git",
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.org",
        "-c",
        "commit.gpgsign=false",
    ]
    run([*git, "init", "-q"], cwd=project)
    run([*git, "add", "npinit.lock"], cwd=project)
    run([*git, "commit", "-q", "-m", "pinned"], cwd=project)
    shutil.copy(project / "npinit.lock", tmp_path / "old.lock")
    name, _, pinned, relaxed = CONDA_EDITS["conda"]
    _edit(project, name, pinned, relaxed)
    report = _lock(project, capsys, "--channel-alias", alias, "--upgrade")
    run([*git, "commit", "-q", "-am", "upgraded"], cwd=project)

    code, out, err = invoke(["diff", str(tmp_path / "old.lock"), "npinit.lock"], project, capsys)
    assert code == 0, err
    expected = [
        "Changes in npinit.lock:",
        "  linux-64:",
        "    removed  pluggy 1.5.0",
        "    changed  pytest 8.3.3 -> 9.0.0",
        "    changed  threadpoolctl 3.7.0 -> 3.8.0",
        "    added    tomli 2.0.0",
    ]
    assert out.splitlines()[1:] == expected
    code, text, _ = invoke(["lock", "--channel-alias", alias], project, capsys)
    assert text.splitlines()[-1] == "npinit.lock: no change"
    # the lock's own summary said the same when it was written
    assert _moved(report) == {"added": ["tomli"], "removed": ["pluggy"],
                              "changed": ["pytest", "threadpoolctl"]}  # fmt: skip

    # a git revision: the lock committed there against the working one
    code, out, err = invoke(["diff", "HEAD~1"], project, capsys)
    assert code == 0, err
    assert out.splitlines()[0] == "HEAD~1:npinit.lock -> " + str(project / "npinit.lock")
    assert out.splitlines()[1:] == expected
    code, out, _ = invoke(["diff", "HEAD~1", "--json"], project, capsys)
    data = json.loads(out)
    assert data["changed"] is True and data["old"] == "HEAD~1:npinit.lock"
    assert [c["name"] for c in data["platforms"]["linux-64"]["changed"]] == [
        "pytest", "threadpoolctl"
    ]  # fmt: skip
    code, out, _ = invoke(["diff", "HEAD"], project, capsys)
    assert code == 0 and out.splitlines()[-1] == "npinit.lock: no change"

    # markdown for a pull request: one table, a row per change
    code, out, _ = invoke(["diff", "HEAD~1", "--format", "markdown"], project, capsys)
    assert code == 0
    assert markdown_table(out) == [
        ["platform", "change", "package", "before", "after"],
        ["linux-64", "removed", "pluggy", "1.5.0", ""],
        ["linux-64", "changed", "pytest", "8.3.3", "9.0.0"],
        ["linux-64", "changed", "threadpoolctl", "3.7.0", "3.8.0"],
        ["linux-64", "added", "tomli", "", "2.0.0"],
    ]

    # not a file and not a revision: one line, exit 2
    code, out, err = invoke(["diff", "no-such-rev"], project, capsys)
    assert code == 2 and out == ""
    assert err.startswith("npinit: error: no-such-rev is neither a lock file nor a git revision")
    assert len(err.splitlines()) == 1


def test_create_update_locks_again_minimally_and_says_what_changed(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    two_versions: Path,
) -> None:
    from tests.helpers import no_conda_path

    monkeypatch.setenv("PATH", no_conda_path())  # the embedded engine installs the records
    alias = two_versions.as_uri()
    project = _conda_project(tmp_path, capsys, "conda", alias)
    name, _, pinned, relaxed = CONDA_EDITS["conda"]
    _edit(project, name, pinned, relaxed)
    code, out, err = invoke(
        ["create", "--update", "--no-check", "--json", "--channel-alias", alias], project, capsys
    )
    assert code == 0, err
    report = json.loads(out)
    assert _moved(report) == {"added": ["tomli"], "removed": [], "changed": []}
    versions = _versions(project)
    assert (versions["pytest"], versions["threadpoolctl"]) == ("8.3.3", "3.7.0")
    installed = {p.name.split("-")[0] for p in (project / ".conda" / "conda-meta").glob("*.json")}
    assert {"pytest", "tomli", "threadpoolctl"} <= installed
