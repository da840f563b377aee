"""The typed values npinit passes around once input has been validated: the enums every
command reads, where an environment keeps its interpreter, the machine. A project's spec (its
BLAS and channel too) is :mod:`npinit.model_spec`'s, what building its environment takes and
gives :mod:`npinit.model_create`'s: ``lock --from-env`` loads neither."""

# no __future__ annotations: typing.NamedTuple compiles an annotation string (test_imports)

import enum
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple


class Manager(enum.Enum):
    """The package manager whose native files a project gets."""

    CONDA = "conda"
    PIP = "pip"
    POETRY = "poetry"
    UV = "uv"
    PIXI = "pixi"

    @property
    def uses_pypi(self) -> bool:
        """True when NumPy comes from PyPI wheels (the BLAS is whatever the wheel carries)."""
        return self in (Manager.PIP, Manager.POETRY, Manager.UV)

    @property
    def per_platform_blas(self) -> bool:
        """True when the manager's file can select a different BLAS per platform (pixi)."""
        return self is Manager.PIXI

    @property
    def env_dir(self) -> str:
        """Where the manager's environment lives, relative to the project (in ENV_DIRS)."""
        return {Manager.CONDA: ".conda", Manager.PIXI: ".pixi"}.get(self, ".venv")


# the environment folders a project may have, each with the prefix inside it that holds the
# environment (pixi's default environment is a folder below .pixi): the one list of them
ENV_PREFIXES = {".venv": ".venv", ".conda": ".conda", ".pixi": ".pixi/envs/default"}
ENV_DIRS = tuple(ENV_PREFIXES)
# the project's lock file, named once (here: create looks for it before it loads the lock's
# modules)
LOCK_FILE = "npinit.lock"


class Platform(enum.Enum):
    """A conda subdir; also names the matching wheel platform for PyPI managers."""

    LINUX_64 = "linux-64"
    LINUX_AARCH64 = "linux-aarch64"
    OSX_64 = "osx-64"
    OSX_ARM64 = "osx-arm64"
    WIN_64 = "win-64"

    @property
    def is_macos(self) -> bool:
        return self.value.startswith("osx")

    @property
    def is_x86_64(self) -> bool:
        return self.value.endswith("-64") and self is not Platform.LINUX_AARCH64

    @property
    def os_name(self) -> str:
        return {"linux": "Linux", "osx": "macOS", "win": "Windows"}[self.value.split("-")[0]]


class EnvKind(enum.StrEnum):
    """What an environment on disk is."""

    CONDA = "conda"  # a prefix with conda-meta/
    VENV = "venv"  # a folder with pyvenv.cfg
    PYTHON = "python"  # any interpreter's own site-packages


class Source(enum.StrEnum):
    """Where an installed package came from."""

    CONDA = "conda"
    PYPI = "pypi"


class ChangeKind(enum.StrEnum):
    """How an environment differs from its lock."""

    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    INTERPRETER = "interpreter"
    BLAS = "blas"


class Machine(NamedTuple):
    """What npinit knows of the machine it runs on: read once, at a boundary (the CLI, or
    the template extension run by cookiecutter), and passed down; nothing below reads it."""

    platform: Platform | None
    windows: bool
    environ: Mapping[str, str]

    @property
    def home(self) -> Path:
        return Path(self.environ.get("HOME") or self.environ.get("USERPROFILE") or "~")


def interpreter_in(prefix: Path, windows: bool, kind: str = "venv") -> Path:
    """The Python inside an environment: ``bin/python``, or ``Scripts/python.exe`` in a
    Windows venv and ``python.exe`` in a Windows conda prefix."""
    if not windows:
        return prefix / "bin" / "python"
    return prefix / ("python.exe" if kind == "conda" else "Scripts/python.exe")


def activate_command(folder: str, windows: bool) -> str:
    """How a user activates the venv ``folder`` of a project."""
    return f"{folder}\\Scripts\\activate" if windows else f"source {folder}/bin/activate"


# the CI workflows a project may carry (npinit.ci writes them; spec checks the answer)
CI_SYSTEMS = ("github", "gitlab", "none")

# where an environment of unknown kind and OS may hold its interpreter, in the order to try
INTERPRETERS = ("bin/python", "python.exe", "Scripts/python.exe", "bin/python3")


def find_interpreter(prefix: Path) -> Path | None:
    """The interpreter of an existing environment, whatever its kind and OS."""
    for candidate in INTERPRETERS:
        if (prefix / candidate).exists():
            return prefix / candidate
    return None
