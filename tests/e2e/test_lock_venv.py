"""lock and verify on real venvs with NumPy from PyPI; the exports install for real."""

from __future__ import annotations

import json
import shutil
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import need_python, run
from tests.helpers import invoke, lock_section, pypi_venv, python_in

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    python = need_python("3.12")
    path = tmp_path_factory.mktemp("lock") / "venv"
    return pypi_venv(path, python, "numpy==2.4.6", "threadpoolctl==3.8.0")


def _uv() -> list[str]:
    exe = shutil.which("uv")
    return [exe] if exe else [sys.executable, "-m", "uv"]


def test_lock_names_numpy_and_openblas_twice_identically(
    venv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "a.lock", tmp_path / "b.lock"
    for out in (first, second):
        code, _, err = invoke(
            ["lock", "--prefix", str(venv), "--output", str(out)], tmp_path, capsys
        )
        assert code == 0, err
    assert first.read_bytes() == second.read_bytes()
    data = lock_section(first)
    numpy = next(p for p in data["packages"] if p["name"] == "numpy")
    assert numpy["version"] == "2.4.6" and numpy["source"] == "pypi"
    assert any("manylinux" in t for t in numpy["tags"])
    assert data["blas"]["variant"] == "openblas"
    # read from the wheel's own numpy/__config__.py, without importing numpy
    assert data["blas"]["evidence"].startswith("numpy/__config__.py names scipy-openblas 0.3.")
    assert data["environment"]["python"].startswith("3.12.")


def test_probe_adds_what_only_run_time_knows(
    venv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "p.lock"
    code, stdout, err = invoke(
        ["lock", "--prefix", str(venv), "--probe", "--output", str(out), "--json"], tmp_path, capsys
    )
    assert code == 0, err
    probe = json.loads(stdout)["blas"]["probe"]
    assert probe["internal_api"] == "openblas"
    assert probe["numpy_blas"] == "scipy-openblas"
    assert probe["num_threads"] >= 1
    assert any("openblas" in name for name in probe["mapped"])
    assert lock_section(out)["blas"]["probe"]["internal_api"] == "openblas"


def test_python_option_reads_the_same_environment(
    venv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = tmp_path / "a.lock", tmp_path / "b.lock"
    invoke(["lock", "--prefix", str(venv), "--output", str(a)], tmp_path, capsys)
    code, _, _ = invoke(
        ["lock", "--python", str(python_in(venv)), "--output", str(b)], tmp_path, capsys
    )
    assert code == 0

    # the same packages and BLAS either way (only the regenerate hint differs)
    def body(lock: Path) -> list[str]:
        return [line for line in lock.read_text().splitlines() if "Regenerate" not in line]

    assert body(a) == body(b) and len(body(a)) > 10


def test_pylock_export_installs_into_a_fresh_venv_that_verifies_clean(
    venv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from packaging.pylock import Pylock

    original = tmp_path / "npinit.lock"
    invoke(["lock", "--prefix", str(venv), "--output", str(original)], tmp_path, capsys)
    pylock = tmp_path / "pylock.toml"
    code, _, err = invoke(
        ["lock", "--prefix", str(venv), "--format", "pylock", "--output", str(pylock)],
        tmp_path,
        capsys,
    )
    assert code == 0, err
    assert "asking the package index" in err
    data = tomllib.loads(pylock.read_text())
    parsed = Pylock.from_dict(data)
    assert parsed.lock_version.major == 1
    assert data["tool"]["npinit"]["blas"]["variant"] == "openblas"
    python = need_python("3.12")
    fresh = tmp_path / "fresh"
    run([*_uv(), "venv", "-q", "-p", python, fresh])
    run([*_uv(), "pip", "install", "-q", "--python", python_in(fresh), "-r", pylock])
    code, out, _ = invoke(
        ["verify", "--prefix", str(fresh), "--lock", str(original)], tmp_path, capsys
    )
    assert code == 0, out


def test_requirements_export_with_hashes_installs_with_require_hashes(
    venv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "req.txt"
    code, _, err = invoke(
        [
            "lock",
            "--prefix",
            str(venv),
            "--format",
            "requirements",
            "--online",
            "--output",
            str(out),
        ],
        tmp_path,
        capsys,
    )
    assert code == 0, err
    text = out.read_text()
    assert "numpy==2.4.6" in text and "--hash=sha256:" in text
    python = need_python("3.12")
    fresh = tmp_path / "fresh"
    run([python, "-m", "venv", "--without-pip", fresh])
    run(
        [
            *_uv(),
            "pip",
            "install",
            "-q",
            "--python",
            python_in(fresh),
            "--require-hashes",
            "-r",
            out,
        ]
    )
    result = run([python_in(fresh), "-c", "import numpy; print(numpy.__version__)"])
    assert result.stdout.strip() == "2.4.6"


def _copy_venv(venv: Path, to: Path) -> Path:
    """A venv copied with its interpreter links, made whole again by venv --upgrade."""
    import shutil

    shutil.copytree(venv, to, symlinks=True)
    run([need_python("3.12"), "-m", "venv", "--upgrade", to])
    return to


def test_verify_reports_a_changed_numpy(
    venv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """On its own copy of the venv: the order of the tests does not matter."""
    venv = _copy_venv(venv, tmp_path / "copy")
    lock = tmp_path / "npinit.lock"
    invoke(["lock", "--prefix", str(venv), "--output", str(lock)], tmp_path, capsys)
    code, out, _ = invoke(["verify", "--prefix", str(venv), "--lock", str(lock)], tmp_path, capsys)
    assert code == 0 and "No drift" in out
    run([python_in(venv), "-m", "pip", "install", "-q", "numpy==2.4.5"])
    code, out, _ = invoke(["verify", "--prefix", str(venv), "--lock", str(lock)], tmp_path, capsys)
    assert code == 4
    assert "changed  numpy (pypi): 2.4.6 -> 2.4.5" in out
    assert "BLAS changed" not in out
