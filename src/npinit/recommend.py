"""The install guide's decision (DOMAIN.md section 6): who should use which manager.

Pure: the caller passes what it knows (OS, GPU) after detecting or asking.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from npinit.model import Manager

if TYPE_CHECKING:
    from npinit.runner import Runner

OSES = ("windows", "macos", "linux")
EXPERIENCES = ("beginner", "advanced")


@dataclass(frozen=True)
class Recommendation:
    """The guide's answer: what to install, which npinit manager, which channel, and why."""

    distribution: str
    manager: Manager
    channel: str
    reasons: tuple[str, ...]
    also: tuple[str, ...]
    next_command: str
    answers: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            "distribution": self.distribution,
            "manager": self.manager.value,
            "channel": self.channel,
            "reasons": list(self.reasons),
            "also": list(self.also),
            "next_command": self.next_command,
            "answers": self.answers,
        }


def default_manager() -> Manager:
    """The manager ``npinit new`` uses when none is given: the guide's default answer (a
    beginner, on any OS) is the Anaconda distribution, i.e. conda."""
    return recommend("beginner", "linux", gpu=False, prefer_pip=False).manager


@dataclass(frozen=True)
class _Advice:
    """One row of the guide: what it advises in one situation (``{source}``: where the
    Python comes from on the asker's OS; ``{one_env}``: the one-environment advice)."""

    distribution: str
    manager: Manager
    channel: str
    reasons: tuple[str, ...]
    also: tuple[str, ...] = ()


_ONE_ENV = "one environment per project, recorded in its environment file"
_SOURCE = {"windows": "python.org", "macos": "python.org or Homebrew", "linux": "your OS"}
_ADVICE = {
    "prefer pip": _Advice(
        "Python from {source}, with Poetry",
        Manager.POETRY,
        "pypi",
        (
            "you prefer pip and PyPI: the guide points to a Python from "
            "{source} and Poetry to resolve and manage environments",
            "{one_env} (pyproject.toml)",
        ),
        ("pip + venv with a requirements.txt (--manager pip)",),
    ),
    "beginner": _Advice(
        "Anaconda distribution",
        Manager.CONDA,
        "defaults",
        (
            "the guide's advice for beginners on any OS: Anaconda installs Python, NumPy "
            "and the common scientific packages at once",
            "npinit new's own default channel is conda-forge; this one passes --channel "
            "defaults on purpose: it is the channel the Anaconda distribution uses",
            "work in JupyterLab, Spyder or VS Code; manage environments with Navigator",
        ),
    ),
    "advanced, windows or macos": _Advice(
        "Miniconda",
        Manager.CONDA,
        "conda-forge",
        (
            "advanced users on Windows and macOS: Miniconda, with the base environment "
            "kept minimal and {one_env}",
            "conda-forge as the default channel, unless defaults has all you need",
        ),
    ),
    "advanced, linux, gpu": _Advice(
        "Miniconda",
        Manager.CONDA,
        "defaults",
        (
            "advanced users on Linux with an NVIDIA GPU: Miniconda and the defaults "
            "channel, whose GPU packages are built together",
            "npinit new's own default channel is conda-forge; this one passes --channel "
            "defaults on purpose",
            "keep base minimal; {one_env}",
        ),
    ),
    "advanced, linux": _Advice(
        "Miniforge",
        Manager.CONDA,
        "conda-forge",
        (
            "advanced users on Linux: Miniforge (conda-forge by default), base kept minimal, "
            "{one_env}",
        ),
        (
            "if stability matters more than fresh versions: your OS package manager plus "
            "pip install --user",
        ),
    ),
}


def _situation(experience: str, os_name: str, *, gpu: bool, prefer_pip: bool) -> str:
    """Which row of the guide the answers fall in, asked in the guide's order."""
    if prefer_pip:
        return "prefer pip"
    if experience == "beginner":
        return "beginner"
    if os_name in ("windows", "macos"):
        return "advanced, windows or macos"
    return "advanced, linux, gpu" if gpu else "advanced, linux"


def recommend(experience: str, os_name: str, *, gpu: bool, prefer_pip: bool) -> Recommendation:
    """Apply the install guide to one set of answers."""
    advice = _ADVICE[_situation(experience, os_name, gpu=gpu, prefer_pip=prefer_pip)]
    words = {"source": _SOURCE.get(os_name, _SOURCE["linux"]), "one_env": _ONE_ENV}
    command = f"npinit new my-project --manager {advice.manager.value}"
    if advice.manager is Manager.CONDA:
        command += f" --channel {advice.channel}"
    return Recommendation(
        distribution=advice.distribution.format(**words),
        manager=advice.manager,
        channel=advice.channel,
        reasons=tuple(reason.format(**words) for reason in advice.reasons),
        also=advice.also,
        next_command=command,
        answers={"experience": experience, "os": os_name, "gpu": gpu, "prefer_pip": prefer_pip},
    )


def detect_os(system: str) -> str:
    """``platform.system()`` -> the guide's OS name."""
    return {"Windows": "windows", "Darwin": "macos"}.get(system, "linux")


def detect_gpu(proc: Path = Path("/proc/driver/nvidia"), run: Runner | None = None) -> list[str]:
    """NVIDIA GPUs on this machine: ``nvidia-smi -L`` lines, else ``/proc/driver/nvidia/gpus``.

    Never fails or hangs where neither exists (the usual case)."""
    import os
    import shutil

    from npinit.errors import Failure
    from npinit.runner import run as default_run

    exe = shutil.which("nvidia-smi")
    if exe:
        try:
            result = (run or default_run)([exe, "-L"], timeout=10, what="nvidia-smi")
            gpus = [line.strip() for line in result.stdout.splitlines() if line.startswith("GPU ")]
            if gpus:
                return gpus
        except Failure:
            pass
    try:
        return [f"GPU {entry}" for entry in sorted(os.listdir(proc / "gpus"))]
    except OSError:
        return []
