"""A conda file's ``pip:`` section that installs local things: a wheel by its path and the
project itself (``-e ..`` from envs/environment.yml). lock resolves the section from a copy
in a scratch folder; those paths were not copied (the wheel failed uv, ``-e`` named the
scratch folder): they resolve as in the project, relative to the file, the wheel locked
with its own hash; one that is not there is said by init and refused by lock in one line
naming it; one outside the project is refused by both."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tests.helpers import invoke, lock_section, tree
from tests.local_index import wheel

pytestmark = pytest.mark.e2e

ENV = (
    "channels:\n  - conda-forge\ndependencies:\n  - python=3.14\n  - numpy\n  - pip:\n"
    "    - ../wheels/tinywheel-1.0-py3-none-any.whl\n    - -e ..\n"
)
PROJECT = '[project]\nname = "tinyproject"\nversion = "0.1"\ndependencies = ["threadpoolctl"]\n'


def test_local_wheels_and_the_project_resolve_as_in_the_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    (tmp_path / "envs").mkdir()
    (tmp_path / "envs/environment.yml").write_text(ENV)
    (tmp_path / "pyproject.toml").write_text(PROJECT)
    built = wheel(tmp_path / "wheels", "tinywheel", "1.0")
    args = ["--channel-alias", forge_alias]
    code, out, err = invoke(
        ["init", "envs/environment.yml", "--manager", "conda", "--no-input", "--json", *args],
        tmp_path,
        capsys,
    )
    assert code == 0, err
    decisions = json.loads(out)["decisions"]
    assert any(d.startswith("-e ..: its dependencies are solved and locked") for d in decisions)
    code, _, err = invoke(["lock", *args], tmp_path, capsys)
    assert code == 0, err
    by_name = {p["name"]: p for p in lock_section(tmp_path / "npinit.lock")["packages"]}
    assert by_name["tinywheel"]["sha256"] == hashlib.sha256(built.read_bytes()).hexdigest()
    assert by_name["threadpoolctl"]["source"] == "pypi"  # the project's own dependency
    assert invoke(["lock", "--check", *args], tmp_path, capsys)[0] == 0


def test_a_missing_wheel_is_said_by_init_and_refused_by_lock_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    """Not there yet (built in CI, say): init adopts the file and says so; lock refuses it
    in one line, nothing written."""
    (tmp_path / "envs").mkdir()
    gone = "../wheels/gone-1.0-py3-none-any.whl"
    (tmp_path / "envs/environment.yml").write_text(ENV.replace("-e ..\n", f"{gone}\n"))
    args = ["--channel-alias", forge_alias]
    code, out, err = invoke(
        ["init", "envs/environment.yml", "--no-input", "--json", *args], tmp_path, capsys
    )
    assert code == 0, err
    said = f"{gone}: not there (pip reads it from envs/); npinit lock refuses the file until it is"
    assert said in json.loads(out)["decisions"]
    wheel(tmp_path / "wheels", "tinywheel", "1.0")
    before = tree(tmp_path)
    code, _, err = invoke(["lock", *args], tmp_path, capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert f"environment.yml's pip: section installs {gone}, which does not exist" in err
    assert tree(tmp_path) == before


def test_a_local_path_outside_the_project_is_refused_by_init_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    (tmp_path / "envs").mkdir()
    text = ENV.replace("../wheels/tinywheel-1.0-py3-none-any.whl", "../../outside.whl")
    (tmp_path / "envs/environment.yml").write_text(text)
    (tmp_path / "pyproject.toml").write_text(PROJECT)
    before = tree(tmp_path)
    args = ["init", "envs/environment.yml", "--manager", "conda", "--no-input"]
    code, _, err = invoke([*args, "--channel-alias", forge_alias], tmp_path, capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert "environment.yml's pip: section installs ../../outside.whl, outside the project" in err
    assert tree(tmp_path) == before
