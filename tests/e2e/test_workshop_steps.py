"""The generated README's participant steps, run as written (read from the README), then
``npinit create`` and ``npinit verify`` in the same folder: the hand-made environment takes
the lock (what the lock lacks removed) and verifies without drift; an environment of another
Python, or a folder that is no environment, is refused with one line naming the difference."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, need_python, run
from tests.helpers import invoke, python_in

pytestmark = pytest.mark.e2e
PROJECT = ["--python", "3.12", "--numpy", "2.4.6", "--platform", "linux-64", "--no-input"]


def readme_steps(readme: str, shell: str = "sh") -> list[str]:
    """The commands of the README's set-up block for ``shell`` (one line each)."""
    section = readme.split("## Set up the environment", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(rf"```{shell}\n(.*?)```", section, re.S)
    assert len(blocks) == 1, f"expected one {shell} block in the set-up section"
    return [line for line in blocks[0].splitlines() if line.strip()]


def _shell_env(python: Path) -> dict[str, str]:
    """PATH with the project's Python (python3.12) and the tools beside npinit (uv, poetry)."""
    path = os.pathsep.join(
        [str(python.parent), str(Path(sys.executable).parent), os.environ["PATH"]]
    )
    return {**os.environ, "PATH": path}


def _run_steps(project: Path, steps: list[str], env: dict[str, str]) -> None:
    script = "set -eu\n" + "\n".join(steps) + "\n"
    run(["bash", "-c", script], cwd=project, env=env)


@pytest.mark.timeout(900)  # real installs from the index, twice; slow on a loaded machine
@pytest.mark.parametrize("manager", ["pip", "uv"])
def test_readme_steps_then_create_and_verify(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], manager: str
) -> None:
    python = need_python("3.12")
    code, _, err = invoke(["new", "kit", "--manager", manager, *PROJECT], tmp_path, capsys)
    assert code == 0, err
    project = tmp_path / "kit"
    steps = readme_steps((project / "README.md").read_text())
    env = _shell_env(python)
    _run_steps(project, steps, env)
    venv = project / ".venv"
    assert (venv / "pyvenv.cfg").is_file()
    # something the lock does not have: create must remove it (sync semantics)
    if manager == "pip":
        run([python_in(venv), "-m", "pip", "install", "-q", "six"], env=env)
    else:
        run(["uv", "pip", "install", "-q", "--python", python_in(venv), "six"], env=env)
    run([python_in(venv), "-c", "import six"])
    code, out, err = invoke(["create", "--json"], project, capsys)
    assert code == 0, err
    created = json.loads(out)
    assert any("existing .venv" in w for w in created["warnings"]), created["warnings"]
    assert created["tests"]["passed"] is True and created["environment"] == str(venv)
    site = run([python_in(venv), "-c", "import sys; print(sys.prefix)"]).stdout.strip()
    assert Path(site) == venv  # the same folder the README's steps made
    gone = run([python_in(venv), "-c", "import six"], check=False)
    assert gone.returncode != 0, "six, which the lock lacks, is still installed"
    code, out, _ = invoke(["verify"], project, capsys)
    assert code == 0 and "No drift" in out


def test_create_refuses_a_venv_of_another_python(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = need_python("3.13")
    code, _, err = invoke(["new", "kit", "--manager", "pip", *PROJECT], tmp_path, capsys)
    assert code == 0, err
    project = tmp_path / "kit"
    run([other, "-m", "venv", "--without-pip", project / ".venv"])
    before = sorted(p.name for p in (project / ".venv").iterdir())
    code, _, err = invoke(["create"], project, capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert "is Python 3.13" in err and "asks for 3.12" in err
    assert sorted(p.name for p in (project / ".venv").iterdir()) == before  # left alone
    assert not (project / "npinit.lock").exists()


@pytest.mark.parametrize("kind", ["file", "conda"])
def test_create_refuses_what_is_not_a_venv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    code, _, err = invoke(["new", "kit", "--manager", "pip", *PROJECT], tmp_path, capsys)
    assert code == 0, err
    project = tmp_path / "kit"
    venv = project / ".venv"
    if kind == "file":
        venv.write_text("not an environment\n")
    else:
        (venv / "conda-meta").mkdir(parents=True)
        (venv / "pyvenv.cfg").write_text("version = 3.12.1\n")
        (venv / "bin").mkdir()
        (venv / "bin/python").symlink_to(sys.executable)
    code, _, err = invoke(["create"], project, capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    expected = "not a virtual environment" if kind == "file" else "is a conda prefix"
    assert expected in err
    assert venv.exists()


def test_windows_steps_use_the_launcher(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = invoke(
        ["new", "kit", "--manager", "pip", "--python", "3.12", "--platform", "all", "--no-input"],
        tmp_path,
        capsys,
    )
    assert code == 0, err
    readme = (tmp_path / "kit/README.md").read_text()
    windows = readme_steps(readme, "powershell")
    assert windows[0] == "py -3.12 -m venv .venv"
    assert not any("python3.12" in line for line in windows)
    workshop = readme.split("## Before the workshop", 1)[1]
    win = next(line for line in workshop.splitlines() if line.startswith("- **win-64**"))
    assert "py -3.12 --version" in win and "python3.12" not in win
    assert "pipx install npinit==" in workshop and "pip install npinit`" not in workshop


def test_shell_steps_parse(tmp_path: Path) -> None:
    """The step reader itself: it finds exactly the one block, and fails on none."""
    text = "## Set up the environment\n\n```sh\na\nb\n```\n\n## BLAS\n```sh\nc\n```\n"
    assert readme_steps(text) == ["a", "b"]
    with pytest.raises(AssertionError):
        readme_steps("## Set up the environment\nnothing\n")


@pytest.mark.timeout(900)  # builds and installs npinit itself into the project's venv
def test_npinit_inside_the_project_env_is_named_once_not_drift(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    python = need_python("3.12")
    code, _, err = invoke(["new", "kit", "--manager", "pip", *PROJECT], tmp_path, capsys)
    assert code == 0, err
    project = tmp_path / "kit"
    code, _, err = invoke(["create", "--no-check"], project, capsys)
    assert code == 0, err
    env = _shell_env(python)
    venv_python = python_in(project / ".venv")
    # what a participant does when following "pip install npinit" inside the activated venv
    run(["uv", "pip", "install", "-q", "--python", venv_python, ROOT], env=env)
    code, out, err = invoke(["verify"], project, capsys)
    assert code == 0, out + err
    assert "No drift" in out
    own = [line for line in out.splitlines() if "npinit's own packages" in line]
    assert len(own) == 1 and len(out.strip().splitlines()) == 2, out
    code, out, _ = invoke(["verify", "--json"], project, capsys)
    data = json.loads(out)
    assert data["drift"] is False and "npinit" in data["npinit_packages"]
    assert {"click", "cookiecutter", "rich"} <= set(data["npinit_packages"])
    run(["uv", "pip", "install", "-q", "--python", venv_python, "six"], env=env)
    code, out, _ = invoke(["verify"], project, capsys)
    assert code == 4
    drift = [line for line in out.splitlines() if line.startswith("  ")]
    assert len(drift) == 1 and "six" in drift[0]  # real drift still shows, npinit's does not
