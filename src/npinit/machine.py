"""What npinit reads of the machine it runs on, in one place: its platform and OS, its
environment variables, where caches and conda environments live, its GPUs.

Only boundaries call this (the CLI; the template extension when cookiecutter runs it
directly); they pass what it found down, so the API, the managers and the editors never read
the machine themselves and run the same on recorded inputs in tests.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from npinit.model import Machine, Platform


def this_machine() -> Machine:
    """This machine: its conda platform (None where npinit has none), whether it runs
    Windows, and a copy of its environment variables."""
    return Machine(platform=detect_platform(), windows=os.name == "nt", environ=dict(os.environ))


def detect_platform(system: str | None = None, machine: str | None = None) -> Platform | None:
    """This machine's conda subdir, or None when npinit has no platform for it."""
    if system is None or machine is None:
        seen_system, seen_machine = _system_and_machine()
        system, machine = system or seen_system, machine or seen_machine
    machine = machine.lower()
    arm = machine in ("arm64", "aarch64")
    if system == "Linux":
        return Platform.LINUX_AARCH64 if arm else Platform.LINUX_64 if machine == "x86_64" else None
    if system == "Darwin":
        return Platform.OSX_ARM64 if arm else Platform.OSX_64
    if system == "Windows":
        return Platform.WIN_64 if machine in ("amd64", "x86_64") else None
    return None


def _system_and_machine() -> tuple[str, str]:
    """``platform.system()`` and ``platform.machine()``; on Linux straight from ``os.uname``,
    which they return there unchanged (importing ``platform`` costs more than some commands'
    own work)."""
    uname = os.uname() if hasattr(os, "uname") else None
    if uname is not None and uname.sysname == "Linux":
        return uname.sysname, uname.machine
    import platform

    return platform.system(), platform.machine()


def cache_dir(environ: Mapping[str, str]) -> Path:
    """npinit's cache folder: ``$XDG_CACHE_HOME/npinit``, else ``~/.cache/npinit``."""
    home = Path(environ["HOME"]) if environ.get("HOME") else Path.home()
    base = environ.get("XDG_CACHE_HOME") or str(home / ".cache")
    return Path(base) / "npinit"


def conda_envs_dirs(environ: Mapping[str, str]) -> list[Path]:
    """Where conda environments live: CONDA_ENVS_PATH, the active conda's ``envs``, and the
    usual installations under the home folder."""
    dirs = [Path(p) for p in environ.get("CONDA_ENVS_PATH", "").split(os.pathsep) if p]
    if environ.get("CONDA_PREFIX"):
        dirs.append(Path(environ["CONDA_PREFIX"]) / "envs")
    home = Path.home()
    for base in ("miniforge3", "miniconda3", "anaconda3", "mambaforge", ".conda"):
        dirs.append(home / base / "envs")
    return dirs


def os_name() -> str:
    """The install guide's name for this OS: windows, macos or linux."""
    import platform

    from npinit.recommend import detect_os

    return detect_os(platform.system())


def os_version() -> str:
    """This OS and its version, as an instructor asks for it (it decides, on macOS, whether
    PyPI's NumPy brings Accelerate or OpenBLAS): ``macOS 14.5``, ``Windows 11 (10.0.22631)``,
    ``Linux 6.1.0 (Debian GNU/Linux 12)``."""
    import platform

    system = platform.system()
    if system == "Darwin":
        return f"macOS {platform.mac_ver()[0]}".strip()
    if system == "Windows":
        return f"Windows {platform.release()} ({platform.version()})"
    if system == "Linux":
        try:
            name = platform.freedesktop_os_release().get("PRETTY_NAME", "")
        except OSError:
            name = ""
        kernel = platform.release().split("-")[0]
        return f"Linux {kernel}" + (f" ({name})" if name else "")
    return f"{system} {platform.release()}".strip()


def stamp() -> dict[str, str]:
    """What a report file carries about where and when it was made (doctor and verify
    ``--json``): the OS version and the UTC time."""
    from datetime import UTC, datetime

    return {"os": os_version(), "made": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}


def gpus() -> list[str]:
    """NVIDIA GPUs on this machine (``nvidia-smi -L``, else ``/proc/driver/nvidia``)."""
    from npinit.recommend import detect_gpu

    return detect_gpu()


def probe_timeout(environ: Mapping[str, str], default: float) -> float:
    """NPINIT_PROBE_TIMEOUT in seconds, else ``default``; InvalidInput when it is not a
    positive number."""
    from npinit.errors import InvalidInput

    raw = environ.get("NPINIT_PROBE_TIMEOUT", "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value > 0 or value == float("inf"):
        raise InvalidInput(
            f"NPINIT_PROBE_TIMEOUT={raw!r} is not a number of seconds", "set it to e.g. 30"
        )
    return value
