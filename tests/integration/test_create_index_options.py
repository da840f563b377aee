"""A pip project whose requirements name another index (``--index-url``, ``--extra-index-url``,
in the file or a file it includes) is created from that index, as it was locked: the hashed
export create installs carries the lock's index options (tests.local_index serves a package
PyPI lacks; no index in the environment)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from npinit.model import Manager
from npinit.record.export import index_options
from tests.helpers import npinit_environ

# no index from the environment: only the lock's own may be asked
UNSET = ("UV_INDEX", "UV_DEFAULT_INDEX", "UV_EXTRA_INDEX_URL", "PIP_INDEX_URL", "PIP_EXTRA_INDEX")
ENV = npinit_environ({k: v for k, v in os.environ.items() if not k.startswith(UNSET)})


@pytest.fixture(scope="module", params=["--index-url {}", "-r base.txt"])
def locked(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, list[str]]]:
    """A pip project locked against the served index (named in requirements.txt, or as
    ``--extra-index-url=URL`` in the base.txt it includes), served while its tests run; and
    what the server sent."""
    from tests.conftest import need_python
    from tests.local_index import pip_project_and_wheels, serve

    need_python("3.12")
    root = tmp_path_factory.mktemp("indexed")
    project, wheels = pip_project_and_wheels(root, ENV, "github", "onlyhere")  # only it has it
    npinit = [sys.executable, "-m", "npinit"]
    with serve(wheels, "u", "pw") as server:
        index = server.url.replace("http://", "http://u:pw@") + "/simple/"
        first = request.param.format(index)
        (project / "requirements.txt").write_text(f"{first}\nonlyhere==1.0\n")
        (project / "base.txt").write_text(f"--extra-index-url={index}\n")
        done = subprocess.run(
            [*npinit, "lock"], capture_output=True, text=True, cwd=project, env=ENV
        )
        assert done.returncode == 0, done.stderr
        yield project, server.files


@pytest.mark.parametrize("installer", ["uv", "pip"])
def test_create_installs_from_the_index_the_lock_was_resolved_with(
    locked: tuple[Path, list[str]], installer: str
) -> None:
    project, served = locked
    shutil.rmtree(project / ".venv", ignore_errors=True)
    before = served.count("onlyhere-1.0-py3-none-any.whl")
    more = ["--no-uv"] if installer == "pip" else []
    done = subprocess.run(
        [sys.executable, "-m", "npinit", "create", "--no-check", *more],
        capture_output=True, text=True, cwd=project, env=ENV, timeout=240,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"built with {installer}" in done.stdout, done.stdout
    assert (project / ".venv/lib/python3.12/site-packages/onlyhere/__init__.py").is_file()
    assert served.count("onlyhere-1.0-py3-none-any.whl") == before + 1  # from that index


def test_the_ci_export_installs_from_that_index_too(
    locked: tuple[Path, list[str]], tmp_path: Path
) -> None:
    """The CI job's own command (pip, hashes required, no dependencies) installs the export
    locking wrote beside the lock, in a new venv: it names the index too; so does
    ``lock --format requirements``."""
    from npinit.ci import install_command
    from tests.conftest import need_python

    project, served = locked
    before = served.count("onlyhere-1.0-py3-none-any.whl")
    subprocess.run([need_python("3.12"), "-m", "venv", tmp_path / "ci"], check=True)
    command = install_command(Manager.PIP, "linux-64")
    done = subprocess.run(
        [tmp_path / "ci/bin/python", *command[1:]],
        capture_output=True, text=True, cwd=project, env=ENV, timeout=240,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "ci/lib/python3.12/site-packages/onlyhere/__init__.py").is_file()
    assert served.count("onlyhere-1.0-py3-none-any.whl") == before + 1
    done = subprocess.run(
        [sys.executable, "-m", "npinit", "lock", "--format", "requirements"],
        capture_output=True, text=True, cwd=project, env=ENV, check=True,
    )  # fmt: skip
    assert done.stdout.splitlines()[2].startswith(("--index-url http", "--extra-index-url http"))
    assert done.stdout == (project / "npinit-linux-64.lock.txt").read_text()


def test_index_options_are_the_lock_inputs_own(tmp_path: Path) -> None:
    """Each index option of the lock's requirement lines, an included file's too, in the
    long spelling; a relative --find-links folder from the file that names it."""
    inputs = {
        "requirements": [
            "-i https://a.example/simple",
            "numpy==2.4.6",
            "--extra-index-url=https://b.example/simple",
            "--no-index",
            "--pre",
            "sub/base.txt: -f ./wheels",
            "sub/base.txt: --trusted-host b.example",
            "sub/base.txt: onlyhere==1.0",
        ]
    }
    assert index_options(inputs, tmp_path) == [
        "--index-url https://a.example/simple",
        "--extra-index-url https://b.example/simple",
        "--no-index",
        f"--find-links {tmp_path / 'sub' / 'wheels'}",
        "--trusted-host b.example",
    ]
    assert index_options({"requirements": ["numpy"]}) == []
    assert index_options(None) == []
