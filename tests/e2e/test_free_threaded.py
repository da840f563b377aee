"""Free-threaded CPython projects (``--python 3.14t``): each manager's spelling, solved or
resolved for real (py-rattler against the conda-forge slice, uv against PyPI) to cp314t
builds and never the other way round; the generated check's GIL logic under a normal
interpreter with ``sys._is_gil_enabled`` stubbed (no free-threaded interpreter exists on
these machines, and none can be downloaded); doctor's GIL checks; verify's drift."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import need_python, run
from tests.helpers import invoke, lock_section

pytestmark = pytest.mark.e2e
THREE = ["--platform", "linux-64", "--platform", "osx-arm64", "--platform", "win-64"]


def _new(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, *args: str) -> Path:
    code, _, err = invoke(["new", name, "--no-input", "--ci", "none", *args], tmp_path, capsys)
    assert code == 0, err
    return tmp_path / name


@pytest.mark.parametrize("manager", ["conda", "pixi"])
@pytest.mark.parametrize("python", ["3.14t", "3.14"])
def test_conda_and_pixi_solve_to_the_abi_asked_for(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    forge_alias: str,
    manager: str,
    python: str,
) -> None:
    project = _new(tmp_path, capsys, "ft", "--manager", manager, "--python", python,
                   "--numpy", "2.4.6", *THREE)  # fmt: skip
    text = (project / ("environment.yml" if manager == "conda" else "pixi.toml")).read_text()
    free = python.endswith("t")
    assert ("python-freethreading" in text) == free
    code, _, err = invoke(["lock", "--channel-alias", forge_alias], project, capsys)
    assert code == 0, err
    for platform in ("linux-64", "osx-arm64", "win-64"):
        section = lock_section(project / "npinit.lock", platform)
        by_name = {p["name"]: p for p in section["packages"]}
        assert by_name["python"]["build"].endswith("_cp314t") == free, platform
        assert by_name["python_abi"]["build"].endswith("_cp314t") == free, platform
        assert by_name["python_abi"]["build"].endswith("_cp314") != free, platform
        assert by_name["numpy"]["version"] == "2.4.6"
        implementation = section["environment"]["implementation"]
        assert implementation == ("cpython-freethreading" if free else "cpython")


@pytest.mark.parametrize("python", ["3.14t", "3.14"])
def test_pip_locks_the_wheels_of_the_abi_asked_for(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], python: str
) -> None:
    """uv does not take ``3.14t`` as a target version, so npinit resolves the versions
    universally (they do not depend on the ABI) and keeps each platform's cp314t wheels."""
    project = _new(tmp_path, capsys, "pp", "--manager", "pip", "--python", python,
                   "--numpy", "2.4.6", *THREE)  # fmt: skip
    assert f"python{python} -m venv .venv" in (project / "README.md").read_text()
    code, _, err = invoke(["lock"], project, capsys)
    assert code == 0, err
    free = python.endswith("t")
    for platform in ("linux-64", "osx-arm64", "win-64"):
        section = lock_section(project / "npinit.lock", platform)
        numpy = next(p for p in section["packages"] if p["name"] == "numpy")
        abis = {tag.split("-")[1] for tag in numpy["tags"]}
        assert abis == ({"cp314t"} if free else {"cp314"}), (platform, numpy["tags"])
        assert section["environment"]["python"] == "3.14"


def test_uv_and_poetry_spellings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _new(tmp_path, capsys, "uvp", "--manager", "uv", "--python", "3.14t",
                   "--numpy", "2.4.6", "--platform", "linux-64")  # fmt: skip
    assert (project / ".python-version").read_text().strip() == "3.14t"
    data = tomllib.loads((project / "pyproject.toml").read_text())
    assert data["project"]["requires-python"] == ">=3.14,<3.15"
    code, _, err = invoke(
        ["new", "po", "--no-input", "--manager", "poetry", "--python", "3.14t"], tmp_path, capsys
    )
    assert code == 2 and "Poetry cannot be made to select a free-threaded Python 3.14t" in err
    assert "--manager uv" in err and not (tmp_path / "po").exists()
    code, _, err = invoke(
        ["new", "x", "--no-input", "--manager", "pip", "--python", "3.12t"], tmp_path, capsys
    )
    assert code == 2 and "no NumPy release has free-threaded wheels for Python 3.12t" in err
    code, _, err = invoke(
        ["new", "y", "--no-input", "--manager", "pip", "--python", "3.14t", "--numpy", "2.0"],
        tmp_path,
        capsys,
    )
    assert code == 2 and "NumPy 2.0 has no wheels for Python 3.14t" in err


def test_set_and_init_spell_it_in_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _new(tmp_path, capsys, "c", "--manager", "conda", "--python", "3.13",
                   "--numpy", "2.4.6", "--platform", "linux-64")  # fmt: skip
    code, _, err = invoke(["set", "--no-solve", "--python", "3.14t"], project, capsys)
    assert code == 0, err
    text = (project / "environment.yml").read_text()
    assert "  - python-freethreading=3.14\n" in text and "python=3.13" not in text
    assert 'python = "3.14t"' in (project / ".npinit.toml").read_text()
    code, _, err = invoke(["set", "--no-solve", "--python", "3.13"], project, capsys)  # and back
    assert code == 0, err
    assert "  - python=3.13\n" in (project / "environment.yml").read_text()
    old = tmp_path / "old"
    old.mkdir()
    (old / "environment.yml").write_text("dependencies:\n  - python>=3.13\n  - numpy\n")
    code, out, err = invoke(
        ["init", "--no-input", "--no-solve", "--json", "--python", "3.14t"], old, capsys
    )
    assert code == 0, err
    assert json.loads(out)["python"] == "3.14t"
    assert "  - python-freethreading=3.14\n" in (old / "environment.yml").read_text()


def _check_venv(tmp_path: Path) -> Path:
    """A Python 3.13 venv with NumPy 2.4.6 (a GIL build: the check's logic is what runs)."""
    from uv import find_uv_bin

    venv = tmp_path / "runner"
    run([find_uv_bin(), "venv", "-q", "--python", need_python("3.13"), venv])
    run([find_uv_bin(), "pip", "install", "-q", "--python", venv / "bin/python",
         "numpy==2.4.6", "threadpoolctl"])  # fmt: skip
    return venv / "bin/python"


STUB = """
import runpy, sys, warnings
sys.abiflags = "t"
sys._is_gil_enabled = lambda: {enabled}
sys.argv = ["tests/test_environment.py"]
runpy.run_path("tests/test_environment.py", run_name="__main__")
"""


def test_the_generated_check_fails_when_the_gil_comes_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    python = _check_venv(tmp_path)
    project = _new(tmp_path, capsys, "gil", "--manager", "pip", "--python", "3.13t",
                   "--numpy", "2.4.6", "--platform", "linux-64", "--with", "fakeext")  # fmt: skip
    # an extension that has not declared it runs without the GIL: CPython's own warning
    (project / "fakeext.py").write_text(
        "import warnings\nif __import__('os').environ.get('FAKEEXT_WARNS'):\n"
        '    warnings.warn("The global interpreter lock (GIL) has been enabled to load module '
        "'fakeext', which has not declared that it can run safely without the GIL.\", "
        "RuntimeWarning)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(project)}

    def check(enabled: bool, warns: bool = False) -> subprocess.CompletedProcess[str]:
        extra = {"FAKEEXT_WARNS": "1"} if warns else {}
        return subprocess.run(
            [python, "-c", STUB.format(enabled=enabled)], cwd=project, env={**env, **extra},
            capture_output=True, text=True,
        )  # fmt: skip

    clean = check(False)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "FAILED" not in clean.stdout
    on = check(True)
    assert (
        on.returncode == 1 and "FAILED test_the_gil_stays_disabled: the GIL is enabled" in on.stdout
    )
    loaded = check(False, warns=True)
    assert loaded.returncode == 1
    assert "FAILED test_the_gil_stays_disabled" in loaded.stdout and "'fakeext'" in loaded.stdout
    plain = subprocess.run(  # no stub: a GIL build is not the 3.13t this project asks for
        [python, "tests/test_environment.py"], cwd=project, env=env, capture_output=True,
        text=True,
    )  # fmt: skip
    assert plain.returncode == 1 and "Python is 3.13; the project uses 3.13t" in plain.stdout


def test_doctor_reports_the_gil(tmp_path: Path) -> None:
    from npinit.doctor import run_script
    from npinit.doctor_python import gil_checks

    seen = run_script(Path(sys.executable), tmp_path, dict(os.environ), 30)
    assert seen["free_threaded"] is False and gil_checks(seen) == []  # a GIL build
    off = gil_checks({"free_threaded": True, "gil_enabled": False, "cpu_count": 8})
    assert [c.id for c in off] == ["gil", "gil-threads"] and off[0].status == "ok"
    assert "N x M on 8 cores" in off[1].message
    back: dict[str, Any] = {
        "free_threaded": True,
        "gil_enabled": True,
        "gil_enabled_by": ["The global interpreter lock (GIL) has been enabled to load 'x'"],
    }
    checks = gil_checks(back)
    assert checks[0].status == "problem" and "'x'" in checks[0].message


def test_a_gil_build_in_place_of_a_free_threaded_one_is_drift(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    locks = {}
    for python in ("3.14t", "3.14"):
        where = tmp_path / python
        where.mkdir()
        project = _new(where, capsys, "d", "--manager", "conda", "--python", python,
                       "--numpy", "2.4.6", "--platform", "linux-64")  # fmt: skip
        assert invoke(["lock", "--channel-alias", forge_alias], project, capsys)[0] == 0
        locks[python] = project / "npinit.lock"
    prefix = tmp_path / "env"  # the GIL solution, as installed records
    (prefix / "conda-meta").mkdir(parents=True)
    for p in lock_section(locks["3.14"], "linux-64")["packages"]:
        record = {k: p.get(k, "") for k in ("name", "version", "build", "channel", "subdir",
                                             "url", "md5", "sha256")}  # fmt: skip
        stem = f"{p['name']}-{p['version']}-{p['build']}"
        (prefix / "conda-meta" / f"{stem}.json").write_text(json.dumps({**record, "files": []}))
    code, out, _ = invoke(
        ["verify", "--prefix", str(prefix), "--lock", str(locks["3.14"])], tmp_path, capsys
    )
    assert code == 0, out
    code, out, _ = invoke(
        ["verify", "--json", "--prefix", str(prefix), "--lock", str(locks["3.14t"])],
        tmp_path,
        capsys,
    )
    assert code == 4
    changes = {c["name"]: c for c in json.loads(out)["changes"]}
    assert changes["implementation"]["locked"] == "cpython-freethreading"
    assert changes["implementation"]["installed"] == "cpython"


def test_every_blas_variant_solves_free_threaded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    """libblas builds do not depend on the Python ABI: the BLAS matrix is the same for
    3.14t (MKL on linux-64 and win-64, Accelerate on osx-arm64, solved)."""
    project = _new(tmp_path, capsys, "bl", "--manager", "pixi", "--python", "3.14t",
                   "--numpy", "2.4.6", "--blas", "mkl,osx-arm64=accelerate", *THREE)  # fmt: skip
    assert invoke(["lock", "--channel-alias", forge_alias], project, capsys)[0] == 0
    for platform, variant in (("linux-64", "mkl"), ("osx-arm64", "accelerate"), ("win-64", "mkl")):
        section = lock_section(project / "npinit.lock", platform)
        by_name = {p["name"]: p for p in section["packages"]}
        assert by_name["python"]["build"].endswith("_cp314t")
        assert (
            by_name["libblas"]["build"].endswith(variant) and section["blas"]["variant"] == variant
        )
