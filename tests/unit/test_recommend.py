import json
import os
import stat
from pathlib import Path

import pytest

from npinit import recommend as guide
from npinit.model import Manager

# every branch of the install guide (DOMAIN.md section 6)
TABLE = [
    # experience, os, gpu, prefer_pip -> distribution, manager, channel
    ("beginner", "windows", False, False, "Anaconda distribution", Manager.CONDA, "defaults"),
    ("beginner", "macos", True, False, "Anaconda distribution", Manager.CONDA, "defaults"),
    ("beginner", "linux", True, False, "Anaconda distribution", Manager.CONDA, "defaults"),
    ("advanced", "windows", False, False, "Miniconda", Manager.CONDA, "conda-forge"),
    ("advanced", "macos", True, False, "Miniconda", Manager.CONDA, "conda-forge"),
    ("advanced", "linux", True, False, "Miniconda", Manager.CONDA, "defaults"),
    ("advanced", "linux", False, False, "Miniforge", Manager.CONDA, "conda-forge"),
    (
        "advanced",
        "macos",
        False,
        True,
        "Python from python.org or Homebrew, with Poetry",
        Manager.POETRY,
        "pypi",
    ),
    ("beginner", "linux", False, True, "Python from your OS, with Poetry", Manager.POETRY, "pypi"),
    (
        "advanced",
        "windows",
        False,
        True,
        "Python from python.org, with Poetry",
        Manager.POETRY,
        "pypi",
    ),
]


@pytest.mark.parametrize(
    ("experience", "os_name", "gpu", "pip", "dist", "manager", "channel"), TABLE
)
def test_every_branch(
    experience: str, os_name: str, gpu: bool, pip: bool, dist: str, manager: Manager, channel: str
) -> None:
    result = guide.recommend(experience, os_name, gpu=gpu, prefer_pip=pip)
    assert (result.distribution, result.manager, result.channel) == (dist, manager, channel)
    assert result.reasons
    assert result.next_command.startswith(f"npinit new my-project --manager {manager.value}")


def test_beginner_gets_the_ides_and_linux_gets_the_os_route() -> None:
    beginner = " ".join(guide.recommend("beginner", "macos", gpu=False, prefer_pip=False).reasons)
    assert "JupyterLab, Spyder or VS Code" in beginner and "Navigator" in beginner
    linux = guide.recommend("advanced", "linux", gpu=False, prefer_pip=False)
    assert "pip install --user" in linux.also[0]


def test_default_manager_is_conda() -> None:
    assert guide.default_manager() is Manager.CONDA


def test_json_schema_is_pinned() -> None:
    data = guide.recommend("advanced", "linux", gpu=True, prefer_pip=False).to_json()
    assert json.loads(json.dumps(data)) == data
    assert sorted(data) == [
        "also",
        "answers",
        "channel",
        "distribution",
        "manager",
        "next_command",
        "reasons",
    ]
    assert data["answers"] == {
        "experience": "advanced",
        "os": "linux",
        "gpu": True,
        "prefer_pip": False,
    }


def test_detect_os() -> None:
    assert [guide.detect_os(s) for s in ("Windows", "Darwin", "Linux")] == [
        "windows",
        "macos",
        "linux",
    ]


def test_detect_gpu_none_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert guide.detect_gpu(tmp_path / "no-driver") == []


def test_detect_gpu_from_proc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    (tmp_path / "nvidia/gpus/0000:1b:00.0").mkdir(parents=True)
    assert guide.detect_gpu(tmp_path / "nvidia") == ["GPU 0000:1b:00.0"]


def test_detect_gpu_from_nvidia_smi(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A stand-in for nvidia-smi printing what a real H200 machine printed (DOMAIN.md 4)."""
    exe = tmp_path / "nvidia-smi"
    exe.write_text("#!/bin/sh\n[ \"$1\" = -L ] && echo 'GPU 0: NVIDIA H200 (UUID: GPU-1234)'\n")
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", str(tmp_path) + os.pathsep + os.environ["PATH"])
    assert guide.detect_gpu(tmp_path / "none") == ["GPU 0: NVIDIA H200 (UUID: GPU-1234)"]
