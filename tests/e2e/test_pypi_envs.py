"""Generated PyPI projects proven by the tools that consume them: a real venv with pip
from PyPI, and real Poetry (check, lock, install); the generated tests then run inside."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from npinit import api
from npinit.spec import build_spec
from tests.conftest import need_python, run
from tests.helpers import python_in

pytestmark = pytest.mark.e2e


def generate(tmp_path: Path, **answers: Any) -> Path:
    spec = build_spec(name=answers.pop("name", "env-proj"), **answers)
    return api.new_project(spec, tmp_path).project


@pytest.fixture(scope="module")
def pip_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A pip project for Python 3.12 + NumPy 2.4.6 and its venv, installed from PyPI."""
    python = need_python("3.12")
    root = tmp_path_factory.mktemp("pip")
    project = generate(root, manager="pip", python="3.12", numpy="2.4.6", platforms=["linux-64"])
    venv = project / ".venv"
    run([python, "-m", "venv", venv])
    run([python_in(venv), "-m", "pip", "install", "-q", "-r", project / "requirements.txt"])
    return project, venv


def test_pip_requirements_install_and_generated_tests_pass(pip_project: tuple[Path, Path]) -> None:
    project, venv = pip_project
    result = run([python_in(venv), "-m", "pytest", "-v", "-p", "no:cacheprovider"], cwd=project)
    assert "4 passed" in result.stdout
    assert "test_blas_is_the_chosen_one PASSED" in result.stdout
    version = run([python_in(venv), "-c", "import numpy; print(numpy.__version__)"]).stdout
    assert version.strip() == "2.4.6"


def test_generated_tests_fail_in_a_wrong_environment(
    pip_project: tuple[Path, Path], tmp_path: Path
) -> None:
    """The same venv checked by a project pinned to another NumPy and another BLAS."""
    _, venv = pip_project
    other = generate(tmp_path, manager="pip", python="3.12", numpy="2.4.5", platforms=["linux-64"])
    result = run(
        [python_in(venv), "-m", "pytest", "-p", "no:cacheprovider"], cwd=other, check=False
    )
    assert result.returncode == 1
    assert "test_numpy_is_the_pinned_release" in result.stdout
    assert "1 failed, 3 passed" in result.stdout
    # the same file runs without pytest (what npinit create uses) and fails the same way
    plain = run([python_in(venv), "tests/test_environment.py"], cwd=other, check=False)
    assert plain.returncode == 1
    assert "FAILED test_numpy_is_the_pinned_release: NumPy is 2.4.6; the project pins 2.4.5" in (
        plain.stdout
    )
    assert plain.stdout.strip().splitlines()[-1] == "1 failed, 3 passed, 1 skipped"


def test_generated_test_reads_the_conda_libblas_record(
    pip_project: tuple[Path, Path], tmp_path: Path
) -> None:
    """In a conda prefix the libblas record decides: an openblas record fails an mkl project."""
    _, venv = pip_project
    mkl_project = generate(
        tmp_path, manager="conda", blas="mkl", python="3.12", numpy="2.4.6", platforms=["linux-64"]
    )
    meta = venv / "conda-meta"
    meta.mkdir()
    try:
        outcomes = {}
        for build in ("8_h4a7cf45_openblas", "5_h5875eb1_mkl"):
            record = meta / "libblas-3.11.0-x.json"
            record.write_text(json.dumps({"name": "libblas", "version": "3.11.0", "build": build}))
            outcomes[build] = run(
                [python_in(venv), "-m", "pytest", "-p", "no:cacheprovider", "-k", "blas"],
                cwd=mkl_project,
                check=False,
            )
        wrong, right = outcomes.values()
        assert wrong.returncode == 1 and "the BLAS is openblas" in wrong.stdout
        assert right.returncode == 0 and "1 passed" in right.stdout
    finally:
        shutil.rmtree(meta)


def _poetry() -> list[str]:
    exe = shutil.which("poetry")
    return [exe] if exe else [sys.executable, "-m", "poetry"]


def test_poetry_checks_locks_installs_and_generated_tests_pass(tmp_path: Path) -> None:
    python = need_python("3.12")
    project = generate(
        tmp_path,
        manager="poetry",
        python="3.12",
        numpy="2.4.6",
        platforms=["linux-64"],
        with_packages=["packaging>=24"],
    )
    pristine = (project / "pyproject.toml").read_text()
    env = {
        **os.environ,
        "POETRY_VIRTUALENVS_IN_PROJECT": "true",
        "POETRY_CACHE_DIR": str(Path(os.environ["XDG_CACHE_HOME"]) / "poetry"),
    }
    env.pop("VIRTUAL_ENV", None)
    poetry = _poetry()
    check = run([*poetry, "check"], cwd=project, env=env)
    assert "All set!" in check.stdout
    run([*poetry, "env", "use", python], cwd=project, env=env)
    # this machine's PyPI mirror lacks the JSON API Poetry's default source uses: point the
    # test's Poetry at the simple index (the generated file was checked as written above)
    run(
        [*poetry, "source", "add", "--priority=primary", "simple", "https://pypi.org/simple/"],
        cwd=project,
        env=env,
    )
    run([*poetry, "lock"], cwd=project, env=env)
    lock = (project / "poetry.lock").read_text()
    assert 'name = "numpy"\nversion = "2.4.6"' in lock
    run([*poetry, "install"], cwd=project, env=env)
    result = run([*poetry, "run", "pytest", "-v", "-p", "no:cacheprovider"], cwd=project, env=env)
    assert "4 passed" in result.stdout
    assert "[project]" in pristine and "simple" not in pristine
