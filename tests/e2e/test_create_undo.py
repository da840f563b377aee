"""An interrupted or failed ``npinit create`` leaves nothing half-done: Ctrl-C at its last
step (the project's check, after the environment was built and verified from a bundle)
leaves no environment; ``create --update`` whose install fails puts back the lock it wrote,
and says so. The steps are stopped with NPINIT_TEST_FAULT (src/npinit/faults.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import invoke, no_conda_path, npinit_environ, tree

pytestmark = pytest.mark.e2e


def _npinit(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "npinit", *args],
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=280,
    )


def test_ctrl_c_at_the_check_of_create_bundle_leaves_no_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], channel: Path
) -> None:
    alias = channel.as_uri()
    code, _, err = invoke(
        ["new", "cb", "--manager", "conda", "--python", "3.12", "--numpy", "2.4.6",
         "--platform", "linux-64", "--no-input", "--channel-alias", alias],
        tmp_path, capsys,
    )  # fmt: skip
    assert code == 0, err
    project = tmp_path / "cb"
    code, _, err = invoke(["lock", "--channel-alias", alias], project, capsys)
    assert code == 0, err
    out = tmp_path / "stick"
    code, _, err = invoke(["bundle", str(out), "--channel-alias", alias], project, capsys)
    assert code == 0, err
    here = out / "project"
    before = sorted(p.name for p in here.iterdir())
    stopped = _npinit(["create", "--bundle", ".."], here, PATH=no_conda_path(),
                      NPINIT_TEST_FAULT="create-checking:SIGINT")  # fmt: skip
    assert stopped.returncode == 130, stopped.stderr
    assert "Traceback" not in stopped.stderr
    assert sorted(p.name for p in here.iterdir()) == before  # no .conda, no marker
    done = _npinit(["create", "--bundle", ".."], here, PATH=no_conda_path())
    assert done.returncode == 0, done.stderr  # and nothing is in the way of the next one
    assert (here / ".conda/conda-meta").is_dir()


def test_create_update_whose_install_fails_puts_the_lock_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = invoke(
        ["new", "pu", "--manager", "pip", "--python", "3.12", "--numpy", "2.4.6",
         "--platform", "linux-64", "--no-input", "--no-solve"],
        tmp_path, capsys,
    )  # fmt: skip
    assert code == 0, err
    project = tmp_path / "pu"
    code, _, err = invoke(["lock"], project, capsys)
    assert code == 0, err
    requirements = project / "requirements.txt"
    requirements.write_text(requirements.read_text() + "six\n")
    files = [p for p in project.rglob("*") if p.is_file()]
    before = {p: p.read_bytes() for p in files}
    failed = _npinit(["create", "--update", "--no-check"], project,
                     NPINIT_TEST_FAULT="create-building")  # fmt: skip
    assert failed.returncode == 1, failed.stderr
    [line] = [x for x in failed.stderr.splitlines() if x.startswith("npinit: error")]
    assert "npinit.lock" in line and "put back as before --update (nothing was changed)" in line
    assert sorted(p for p in project.rglob("*") if p.is_file()) == sorted(before)
    assert all(p.read_bytes() == data for p, data in before.items())  # the old lock, exactly
    code, _, err = invoke(["lock", "--check"], project, capsys)
    assert code == 2 and "six" in err  # still the lock of before the requirement was added


def test_create_update_puts_back_the_lock_beside_a_manifest_in_a_subfolder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], channel: Path
) -> None:
    """python/pixi.toml: locking writes python/pixi.lock beside it; a failure after locking
    puts that back too (only the top's files and the CI folders were, and the line said
    'nothing was changed')."""
    project = tmp_path / "p"
    (project / "python").mkdir(parents=True)
    manifest = project / "python/pixi.toml"
    manifest.write_text(
        '[workspace]\nname = "p"\nchannels = ["conda-forge"]\nplatforms = ["linux-64"]\n\n'
        '[dependencies]\npython = "3.12.*"\nnumpy = "*"\n'
    )
    alias = ["--channel-alias", channel.as_uri()]
    code, _, err = invoke(
        ["init", "python/pixi.toml", "--no-input", "--yes", *alias], project, capsys
    )
    assert code == 0, err
    assert invoke(["lock", *alias], project, capsys)[0] == 0
    manifest.write_text(manifest.read_text() + 'threadpoolctl = "*"\n')
    before = tree(project)
    failed = subprocess.run(
        [sys.executable, "-m", "npinit", "create", "--update", "--no-check", *alias],
        cwd=project,
        env=npinit_environ({**os.environ, "NPINIT_TEST_FAULT": "create-building"}),
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert failed.returncode == 1, failed.stderr
    [line] = [x for x in failed.stderr.splitlines() if x.startswith("npinit: error")]
    assert "python/pixi.lock" in line and "put back as before --update" in line, line
    assert tree(project) == before  # pixi.lock beside the manifest, exactly
