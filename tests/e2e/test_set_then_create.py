"""One source of truth for the pins (issue 25): after every kind of ``npinit set`` (numpy,
python, blas, channel), ``npinit create --update`` builds the environment and the project's
own generated check passes in it, for every manager. Where a kind does not apply to a
manager, ``set`` refuses it in one line (exit 2) and changes nothing.

pip, uv and Poetry really lock (uv, poetry lock) and install from PyPI; the check runs in
the environment with its own interpreter. conda installs with the embedded engine, pixi with
a stand-in that installs pixi.lock's records with py-rattler (what ``pixi install --frozen``
does), both from the synthetic channel; its python package has no interpreter, so the check's
Python, NumPy and BLAS tests run with a real interpreter of the installed Python version
placed as the prefix's python (a venv's pyvenv.cfg), importing the installed numpy and
reading the installed conda records.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests.channels import build_channel
from tests.conftest import need_python, run
from tests.helpers import invoke, lock_section, no_conda_path, python_in

pytestmark = pytest.mark.e2e

BASE = ["--python", "3.12", "--numpy", "2.4.6", "--platform", "linux-64", "--no-input",
        "--no-solve", "--ci", "github"]  # fmt: skip
NEW = {
    "pip": ["--manager", "pip"],
    "uv": ["--manager", "uv"],
    "poetry": ["--manager", "poetry"],
    "conda": ["--manager", "conda", "--blas", "mkl"],
    "pixi": ["--manager", "pixi", "--blas", "mkl"],
}
ON_PYPI = ("pip", "uv", "poetry")
SET = {
    "numpy": ["--numpy", "2.3.5"],
    "python": ["--python", "3.13", "--no-solve"],
    "blas": ["--blas", "openblas"],
    "channel": ["--channel", "defaults"],
}
# what .npinit.toml records after each kind of set
RECORDED = {
    "numpy": ("numpy", "2.3.5"),
    "python": ("python", "3.13"),
    "blas": ("blas", "openblas"),
    "channel": ("channel", "defaults"),
}
REFUSED = {
    ("pip", "channel"): "--channel defaults applies to conda; pip installs from PyPI",
    ("uv", "channel"): "--channel defaults applies to conda; uv installs from PyPI",
    ("poetry", "channel"): "--channel defaults applies to conda; poetry installs from PyPI",
    ("pixi", "channel"): "npinit's pixi projects use conda-forge, not defaults",
}
CHECK_TESTS = ("test_python_is_the_chosen_one", "test_numpy_is_the_pinned_release",
               "test_blas_is_the_chosen_one")  # fmt: skip

PIXI = """#!{python}
import asyncio, os, sys
import rattler
if sys.argv[1:2] != ["install"]:
    sys.exit("this stand-in only installs")
env = rattler.LockFile.from_path("pixi.lock").default_environment()
here = next(p for p in env.platforms() if str(p.name) == "linux-64")
records = env.conda_repodata_records_for_platform(here)
for record in records:  # the lock names the channel's canonical URL: take the local file
    name = "conda-forge" if "conda-forge" in str(record.channel) else "defaults"
    local = os.path.join({channels!r}, name, str(record.subdir), str(record.file_name))
    record.url = "file://" + local
asyncio.run(rattler.install(records, ".pixi/envs/default", show_progress=False))
"""


@pytest.fixture(scope="module")
def channels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A channel alias with ``conda-forge`` and ``defaults``: python 3.12 and 3.13, numpy
    2.3.5 and 2.4.6 for each, mkl and openblas BLAS builds (linux-64)."""
    root = tmp_path_factory.mktemp("channels")
    for name in ("conda-forge", "defaults"):
        build_channel(root, pythons=("3.12.9", "3.13.1"), numpys=("2.3.5", "2.4.6"), name=name)
    return root


def _answers(project: Path) -> dict[str, Any]:
    return dict(tomllib.loads((project / ".npinit.toml").read_text())["project"])


def _make(manager: str, tmp_path: Path, channels: Path, capsys: Any) -> Path:
    """A new project of ``manager``, locked, so create --update locks again (Poetry's not:
    a poetry lock against the index costs minutes, and create --update locks anyway)."""
    code, _, err = invoke(["new", "p", *NEW[manager], *BASE], tmp_path, capsys)
    assert code == 0, err
    project = tmp_path / "p"
    if manager == "poetry":
        return project
    code, _, err = invoke(["lock", "--channel-alias", channels.as_uri()], project, capsys)
    assert code == 0, err
    return project


def _check_in_prefix(project: Path, prefix: Path) -> None:
    """The generated check's Python, NumPy and BLAS tests, run by a real interpreter of the
    installed python record's version, made the prefix's python by a pyvenv.cfg."""
    (record,) = (prefix / "conda-meta").glob("python-3*.json")
    minor = ".".join(json.loads(record.read_text())["version"].split(".")[:2])
    real = need_python(minor)
    (prefix / "pyvenv.cfg").write_text(
        f"home = {real.parent}\ninclude-system-site-packages = false\n"
    )
    (prefix / "bin").mkdir(exist_ok=True)
    (prefix / "bin" / "python").symlink_to(real)
    code = (
        "import runpy\n"
        "m = runpy.run_path('tests/test_environment.py')\n"
        f"for name in {CHECK_TESTS!r}:\n"
        "    m[name]()\n"
        "print(m['numpy'].__file__)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = run([prefix / "bin" / "python", "-c", code], cwd=project, env=env)
    assert done.stdout.strip().startswith(str(prefix)), done.stdout  # the installed numpy


@pytest.mark.timeout(600)
@pytest.mark.parametrize("kind", list(SET))
@pytest.mark.parametrize("manager", list(NEW))
def test_set_then_create_update_then_the_generated_check(
    manager: str,
    kind: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    channels: Path,
) -> None:
    need_python("3.12"), need_python("3.13")
    monkeypatch.setenv("PATH", no_conda_path())
    if manager == "pixi":
        (tmp_path / "bin").mkdir()
        (tmp_path / "bin" / "pixi").write_text(
            PIXI.format(python=sys.executable, channels=str(channels))
        )
        (tmp_path / "bin" / "pixi").chmod(0o755)
        monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{no_conda_path()}")
    project = _make(manager, tmp_path, channels, capsys)
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    code, out, err = invoke(["set", *SET[kind]], project, capsys)
    if (manager, kind) in REFUSED:
        assert code == 2 and out == ""
        assert err.count("\n") == 1 and REFUSED[manager, kind] in err, err
        assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == before
        return
    assert code == 0, err
    key, value = RECORDED[kind]
    assert _answers(project)[key] == value
    args = ["create", "--update", "--json", "--channel-alias", channels.as_uri()]
    code, out, err = invoke(
        [*args, *(["--no-check"] if manager == "pixi" else [])], project, capsys
    )
    assert code == 0, err + out
    report = json.loads(out)
    assert report["verified"] is True
    if manager in ON_PYPI:
        assert report["tests"]["passed"] is True, report["tests"]
        python = python_in(project / ".venv")
        done = subprocess.run([python, "tests/test_environment.py"], cwd=project,
                              capture_output=True, text=True)  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        assert "0 failed" not in done.stdout and "passed" in done.stdout
        versions = run(
            [python, "-c", "import numpy, sys; print(numpy.__version__, *sys.version_info[:2])"]
        )
        found = versions.stdout.split()
    else:
        prefix = project / (".conda" if manager == "conda" else ".pixi/envs/default")
        _check_in_prefix(project, prefix)
        records = {p.name.rsplit("-", 2)[0]: json.loads(p.read_text())
                   for p in (prefix / "conda-meta").glob("*.json")}  # fmt: skip
        found = [records["numpy"]["version"], *records["python"]["version"].split(".")[:2]]
        assert records["libblas"]["build"].endswith("openblas" if kind == "blas" else "mkl")
        if kind == "channel":
            numpy = next(p for p in lock_section(project / "npinit.lock")["packages"]
                         if p["name"] == "numpy")  # fmt: skip
            # the lock records the channel's canonical URL (pkgs/main), not the alias's
            from npinit.knowledge.channels import DEFAULTS

            assert numpy["channel"] == "defaults", numpy
            assert numpy["url"].startswith(DEFAULTS[0] + "/"), numpy
    answers = _answers(project)
    assert found == [answers["numpy"], *answers["python"].split(".")]
