"""doctor on real environments: numpy + scipy from PyPI, a broken NumPy, conda/pip mixing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, need_python, run
from tests.helpers import invoke, pypi_venv, python_in

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def scipy_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    python = need_python("3.12")
    venv = tmp_path_factory.mktemp("doctor") / "venv"
    return pypi_venv(venv, python, "numpy==2.4.6", "scipy", "threadpoolctl")


def test_doctor_reports_openblas_and_the_duplicate_copies(
    scipy_venv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = invoke(["doctor", "--prefix", str(scipy_venv), "--json"], tmp_path, capsys)
    assert code == 0, err
    report = json.loads(out)
    assert sorted(report) == ["checks", "environment", "machine", "problems", "schema", "warnings"]
    assert report["machine"]["os"].startswith("Linux") and report["machine"]["made"].endswith("Z")
    assert report["schema"] == 1 and report["problems"] == 0
    assert report["environment"]["blas"] == "openblas"
    checks = {c["id"]: c for c in report["checks"]}
    assert sorted(checks["blas"]) == ["fix", "id", "message", "status"]
    assert checks["numpy-import"]["status"] == "ok"
    assert checks["blas-duplicates"]["status"] == "warning"
    assert "2 BLAS libraries" in checks["blas-duplicates"]["message"]


def test_doctor_on_a_broken_numpy_names_the_import_failure(
    scipy_venv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(scipy_venv, broken, symlinks=True)
    core = next((broken / "lib").glob("python3.12/site-packages/numpy/_core"))
    extensions = list(core.glob("_multiarray_umath*"))
    assert extensions, "numpy's C extension was not found where the test removes it"
    for extension in extensions:
        extension.unlink()
    code, out, err = invoke(["doctor", "--prefix", str(broken)], tmp_path, capsys)
    assert code == 1
    assert "importing NumPy fails" in out and "C extensions are missing" in out
    assert "fix: reinstall NumPy" in out
    assert "Traceback" not in out + err


def test_doctor_flags_pip_numpy_in_a_conda_prefix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prefix = tmp_path / "env"
    shutil.copytree(FIXTURES / "conda-meta/osx-arm64-openblas", prefix / "conda-meta")
    dist = prefix / "lib/python3.11/site-packages/numpy-2.4.6.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Name: numpy\nVersion: 2.4.6\n")
    (dist / "INSTALLER").write_text("pip\n")
    code, out, _ = invoke(["doctor", "--prefix", str(prefix), "--json"], tmp_path, capsys)
    report = json.loads(out)
    checks = {c["id"]: c for c in report["checks"]}
    assert code == 1
    assert checks["conda-pip-numpy"]["status"] == "problem"
    assert checks["numpy-import"]["status"] == "info"  # no interpreter in this prefix


def test_doctor_compares_with_the_project_pin(
    scipy_venv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _ = invoke(
        [
            "new",
            "proj",
            "--no-input",
            "--manager",
            "pip",
            "--python",
            "3.12",
            "--numpy",
            "2.4.5",
            "--platform",
            "linux-64",
        ],
        tmp_path,
        capsys,
    )
    assert code == 0
    (tmp_path / "proj/.venv").symlink_to(scipy_venv)
    code, out, _ = invoke(["doctor"], tmp_path / "proj", capsys)
    assert code == 1
    assert "NumPy 2.4.6 is installed; the project pins 2.4.5" in out


def _fake_numpy(folder: Path) -> None:
    (folder / "numpy").mkdir(parents=True)
    (folder / "numpy/__init__.py").write_text("raise ImportError('fake numpy from a checkout')\n")


def test_doctor_names_a_shadowing_pythonpath(
    scipy_venv: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _fake_numpy(tmp_path / "shadow")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "shadow"))
    code, out, _ = invoke(["doctor", "--prefix", str(scipy_venv)], tmp_path, capsys)
    assert code == 1
    assert "PYTHONPATH" in out and "fix: unset PYTHONPATH" in out
    assert "several NumPy copies" not in out  # only the cause that applies


def test_doctor_names_a_numpy_source_tree(
    scipy_venv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = tmp_path / "numpy-src"
    _fake_numpy(tree)
    (tree / "pyproject.toml").write_text("[project]\nname = 'numpy'\n")
    code, out, _ = invoke(["doctor", "--prefix", str(scipy_venv)], tree, capsys)
    assert code == 1
    assert "inside a NumPy source tree" in out and "PYTHONPATH" not in out


@pytest.fixture(scope="module")
def scipy_venv_without_threadpoolctl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Most real environments: numpy and scipy from PyPI, no threadpoolctl."""
    python = need_python("3.12")
    venv = pypi_venv(tmp_path_factory.mktemp("bare") / "venv", python, "numpy==2.4.6", "scipy")
    listed = run([python_in(venv), "-m", "pip", "list", "--format=freeze"]).stdout
    assert "threadpoolctl" not in listed.lower()
    return venv


def test_doctor_checks_the_blas_runtime_without_threadpoolctl_in_the_environment(
    scipy_venv_without_threadpoolctl: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    venv = scipy_venv_without_threadpoolctl
    code, out, err = invoke(["doctor", "--prefix", str(venv), "--json"], tmp_path, capsys)
    assert code == 0, err
    checks = {c["id"]: c for c in json.loads(out)["checks"]}
    assert checks["blas-duplicates"]["status"] == "warning"  # numpy.libs and scipy.libs
    assert "2 BLAS libraries" in checks["blas-duplicates"]["message"]
    assert "running openblas" in checks["blas"]["message"]
    assert "blas-runtime" not in checks
    listed = run([python_in(venv), "-m", "pip", "list", "--format=freeze"]).stdout
    assert "threadpoolctl" not in listed.lower()  # npinit's copy was only lent to the probe


def test_a_runtime_check_that_cannot_run_is_reported(
    scipy_venv_without_threadpoolctl: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """threadpoolctl that cannot load: an info check says so, nothing is silently left out."""
    broken = tmp_path / "venv"
    shutil.copytree(scipy_venv_without_threadpoolctl, broken, symlinks=True)
    site = next((broken / "lib").glob("python3.12/site-packages"))
    (site / "threadpoolctl.py").write_text("raise ImportError('broken on purpose')\n")
    code, out, err = invoke(["doctor", "--prefix", str(broken), "--json"], tmp_path, capsys)
    assert code == 0, err  # information, not a problem
    checks = {c["id"]: c for c in json.loads(out)["checks"]}
    assert checks["blas-runtime"]["status"] == "info"
    assert "could not run" in checks["blas-runtime"]["message"]
    assert "broken on purpose" in checks["blas-runtime"]["message"]


def test_doctor_compares_the_python_with_the_project_pin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = need_python("3.13")
    code, _, err = invoke(
        ["new", "proj", "--no-input", "--manager", "pip", "--python", "3.12", "--numpy",
         "2.4.6", "--platform", "linux-64"], tmp_path, capsys,
    )  # fmt: skip
    assert code == 0, err
    venv = tmp_path / "proj/.venv"
    pypi_venv(venv, other, "numpy==2.4.6")  # the right NumPy
    code, out, _ = invoke(["doctor", "--json"], tmp_path / "proj", capsys)
    checks = {c["id"]: c for c in json.loads(out)["checks"]}
    assert code == 1
    assert checks["python"]["status"] == "problem"
    assert (
        "Python 3.13" in checks["python"]["message"] and "pins 3.12" in checks["python"]["message"]
    )
    assert checks["numpy-pin"]["status"] == "ok"


def test_doctor_outside_a_project_names_the_interpreter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    _, out, _ = invoke(["doctor"], tmp_path, capsys)
    line = next(line for line in out.splitlines() if "no npinit project here" in line)
    assert f"examined {sys.executable}" in line
    assert "--prefix ENV or --python PATH" in out
