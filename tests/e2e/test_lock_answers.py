"""What npinit records is what it uses (issue 25 item 3): ``lock --check`` (and ``create``)
compare the answers ``.npinit.toml`` records (Python, NumPy, BLAS, channel, platforms) with
what the lock's sections hold, not only with the answers the lock recorded in ``[inputs]``.
Each case changes one answer in ``.npinit.toml`` and in ``[inputs]`` alike (so the inputs
agree), leaving the sections as they were resolved: the lock no longer holds what the
project records, and ``lock --check`` exits 2 naming that answer."""

from __future__ import annotations

import shutil
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import need_python, run
from tests.helpers import invoke, no_conda_path, tree

pytestmark = pytest.mark.e2e


def _npinit(args: list[str], cwd: Path) -> None:
    run([sys.executable, "-m", "npinit", *args], cwd=cwd)


def _both(project: Path, old: str, new: str) -> None:
    """One answer changed in .npinit.toml and in npinit.lock's [inputs] alike."""
    for name in (".npinit.toml", "npinit.lock"):
        path = project / name
        text = path.read_text()
        assert text.count(old) >= 1, (name, old)
        path.write_text(text.replace(old, new, 1))


@pytest.fixture(scope="module")
def conda_locked(tmp_path_factory: pytest.TempPathFactory, channel: Path) -> Path:
    root = tmp_path_factory.mktemp("answers")
    _npinit(["new", "ca", "--manager", "conda", "--python", "3.12", "--numpy", "2.4.6", "--blas",
             "mkl", "--platform", "linux-64", "--no-input", "--no-solve"], root)  # fmt: skip
    _npinit(["lock", "--channel-alias", channel.as_uri()], root / "ca")
    return root / "ca"


def _check_and_create_refuse(project: Path, says: str, channel: Path, capsys: Any) -> None:
    """lock --check names ``says`` in one line (exit 2), and create refuses it before it
    installs anything."""
    code, _, err = invoke(["lock", "--check"], project, capsys)
    assert code == 2 and says in err and len(err.strip().splitlines()) == 1, err
    args = ["create", "--no-check", "--channel-alias", channel.as_uri()]
    code, _, err = invoke(args, project, capsys)
    assert code == 2 and says in err, err
    assert not (project / ".conda").exists()


CONDA_ANSWERS = {
    "numpy": ('numpy = "2.4.6"', 'numpy = "2.3.5"', "NumPy 2.4.6, the project pins 2.3.5"),
    "blas": ('blas = "mkl"', 'blas = "openblas"', "BLAS mkl, the project openblas"),
    "channel": (
        'channel = "conda-forge"',
        'channel = "defaults"',
        "the project's channel is defaults",
    ),
    "python": ('python = "3.12"', 'python = "3.13"', "Python 3.12.9, the project 3.13"),
}


@pytest.mark.parametrize("answer", sorted(CONDA_ANSWERS))
def test_conda_lock_check_compares_each_recorded_answer_with_the_sections(
    answer: str,
    conda_locked: Path,
    channel: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATH", no_conda_path())
    project = tmp_path / "ca"
    shutil.copytree(conda_locked, project)
    code, _, err = invoke(["lock", "--check"], project, capsys)
    assert code == 0, err
    old, new, says = CONDA_ANSWERS[answer]
    if answer == "blas":  # the answer's per-platform table says it too
        answers = project / ".npinit.toml"
        table = answers.read_text().replace('variant = "mkl"', 'variant = "openblas"')
        answers.write_text(table.replace('acceptable = ["mkl"]', 'acceptable = ["openblas"]'))
    _both(project, old, new)
    inputs = tomllib.loads((project / "npinit.lock").read_text())["inputs"]
    assert new.split(" = ")[1].strip('"') in str(inputs[new.split(" = ")[0]])  # inputs agree
    _check_and_create_refuse(project, says, channel, capsys)


def test_pip_lock_check_compares_the_numpy_answer_with_the_section(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    need_python("3.12")
    _npinit(["new", "pa", "--manager", "pip", "--python", "3.12", "--numpy", "2.4.6",
             "--platform", "linux-64", "--no-input", "--no-solve"], tmp_path)  # fmt: skip
    project = tmp_path / "pa"
    _npinit(["lock"], project)
    _both(project, 'numpy = "2.4.6"', 'numpy = "2.3.5"')
    code, _, err = invoke(["lock", "--check"], project, capsys)
    assert code == 2 and "NumPy 2.4.6, the project pins 2.3.5" in err, err


@pytest.mark.parametrize("manager", ["pip", "uv"])
def test_the_python_set_records_is_the_one_every_pypi_section_is_resolved_for(
    manager: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """set --python 3.13 on a 3.12 project, then lock: every platform's numpy files are
    CPython 3.13 wheels (what uv resolved for), and the section says 3.13."""
    need_python("3.12")
    _npinit(["new", "py", "--manager", manager, "--python", "3.12", "--numpy", "2.4.6",
             "--platform", "all", "--no-input", "--no-solve"], tmp_path)  # fmt: skip
    project = tmp_path / "py"
    code, _, err = invoke(["set", "--python", "3.13", "--no-solve"], project, capsys)
    assert code == 0, err
    _npinit(["lock"], project)
    sections = tomllib.loads((project / "npinit.lock").read_text())["platforms"]
    assert sorted(sections) == ["linux-64", "osx-arm64", "win-64"]
    for name, section in sections.items():
        assert section["environment"]["python"] == "3.13", name
        numpy = next(p for p in section["packages"] if p["name"] == "numpy")
        wheel = numpy["url"].rsplit("/", 1)[1]
        assert wheel.startswith("numpy-2.4.6-cp313-cp313-"), (name, wheel)
    code, _, err = invoke(["lock", "--check"], project, capsys)
    assert code == 0, err


def _numpy_tables(project: Path, change: str) -> None:
    """npinit.lock's linux-64 section with its numpy table removed or doubled (tomlkit)."""
    import tomlkit

    path = project / "npinit.lock"
    doc = tomlkit.parse(path.read_text())
    packages = doc["platforms"]["linux-64"]["packages"]
    index = next(i for i, p in enumerate(packages) if p["name"] == "numpy")
    if change == "removed":
        del packages[index]
    else:
        twin = {**packages[index].unwrap(), "version": "2.2.6", "source": "pypi"}
        packages.append(twin)
    path.write_text(tomlkit.dumps(doc))


@pytest.mark.parametrize(
    ("change", "says"),
    [("removed", "its linux-64 section has no numpy, the project pins 2.4.6"),
     ("doubled", "its linux-64 section holds numpy twice (2.4.6 from conda, 2.2.6 from pypi)")],
)  # fmt: skip
def test_a_section_without_numpy_or_with_two_does_not_fit(
    change: str,
    says: str,
    conda_locked: Path,
    channel: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A section with no numpy passed lock --check and verify (black-box finding: a Poetry
    numpy in an extra, a pixi numpy on one platform only); two numpys passed too."""
    monkeypatch.setenv("PATH", no_conda_path())
    project = tmp_path / "ca"
    shutil.copytree(conda_locked, project)
    _numpy_tables(project, change)
    _check_and_create_refuse(project, says, channel, capsys)


def test_lock_writes_no_resolution_that_lacks_numpy_on_a_recorded_platform(
    tmp_path: Path, forge_alias: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """pixi: numpy only in [target.linux-64.dependencies] of a linux-64 + win-64 project. The
    solve succeeds, win-64 without numpy: lock says so and writes nothing (it wrote a lock
    that lock --check then called fitting)."""
    _npinit(["new", "pw", "--manager", "pixi", "--python", "3.14", "--numpy", "2.5.0",
             "--platform", "linux-64", "--platform", "win-64", "--ci", "none", "--no-input",
             "--no-solve"], tmp_path)  # fmt: skip
    project = tmp_path / "pw"
    manifest = project / "pixi.toml"
    text = manifest.read_text()
    line = next(x for x in text.splitlines() if x.startswith("numpy ="))
    manifest.write_text(
        text.replace(line + "\n", "") + f"\n[target.linux-64.dependencies]\n{line}\n"
    )
    before = tree(project)
    code, _, err = invoke(["lock", "--channel-alias", forge_alias], project, capsys)
    assert code == 2, err
    assert "its win-64 section has no numpy, the project pins 2.5.0" in err, err
    assert len(err.strip().splitlines()) == 1, err
    assert tree(project) == before
