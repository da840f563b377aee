"""The typed values npinit passes around once input has been validated."""

# no __future__ annotations: typing.NamedTuple compiles an annotation string (test_imports)

import enum
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple


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


class Blas(enum.Enum):
    """A BLAS implementation, or DEFAULT for what the channel or wheel picks by itself."""

    DEFAULT = "default"
    OPENBLAS = "openblas"
    MKL = "mkl"
    BLIS = "blis"
    NETLIB = "netlib"
    ACCELERATE = "accelerate"

    @property
    def label(self) -> str:
        return _BLAS_LABELS[self]


_BLAS_LABELS = {
    Blas.DEFAULT: "the default BLAS",
    Blas.OPENBLAS: "OpenBLAS",
    Blas.MKL: "MKL",
    Blas.BLIS: "BLIS",
    Blas.NETLIB: "netlib (reference)",
    Blas.ACCELERATE: "Accelerate",
}


class Channel(enum.Enum):
    """Where the packages come from."""

    CONDA_FORGE = "conda-forge"
    DEFAULTS = "defaults"
    PYPI = "pypi"


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


class BlasChoice(NamedTuple):
    """What one platform gets: the concrete BLAS, the spec lines that select it, notes.

    ``also`` lists other variants a correct environment may honestly show (a PyPI
    install on macOS gets Accelerate or OpenBLAS depending on the macOS version).
    """

    platform: Platform
    requested: Blas
    variant: str
    spec_lines: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    also: tuple[str, ...] = ()

    @property
    def acceptable(self) -> tuple[str, ...]:
        return (self.variant, *self.also)


class ProjectSpec(NamedTuple):
    """Every answer a project is generated from, validated and resolved to exact values. Two
    specs are equal when all but ``blas_choices`` (resolved from the others) are, and hash
    alike."""

    name: str
    package_name: str
    manager: Manager
    python: str
    numpy: str
    blas: Blas
    channel: Channel
    platforms: tuple[Platform, ...]
    with_packages: tuple[str, ...] = ()
    threads: int | None = None
    blas_overrides: tuple[tuple[Platform, Blas], ...] = ()
    description: str = "A NumPy project"
    author: str = ""
    blas_choices: tuple[BlasChoice, ...] = ()  # not compared: see __eq__
    source: str = ""  # the manager's file, relative to the project ("": its usual name)
    ci: str = "none"  # the CI workflow it carries: github, gitlab or none
    numpy_from: str = ""  # "pip": a conda file's numpy is in its pip: section (PyPI's wheels)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ProjectSpec):
            return NotImplemented
        return self._compared() == other._compared()

    def __ne__(self, other: object) -> bool:
        return not self == other if isinstance(other, ProjectSpec) else NotImplemented

    def __hash__(self) -> int:
        return hash(self._compared())

    def _compared(self) -> tuple[Any, ...]:
        return self[:_CHOICES] + self[_CHOICES + 1 :]  # all but blas_choices

    @property
    def blas_request(self) -> str:
        """The BLAS request as written: ``mkl`` or ``mkl,osx-arm64=accelerate``."""
        parts = [self.blas.value, *(f"{p.value}={b.value}" for p, b in self.blas_overrides)]
        return ",".join(parts)


_CHOICES = ProjectSpec._fields.index("blas_choices")


class EnvKind(enum.StrEnum):
    """What an environment on disk is."""

    CONDA = "conda"  # a prefix with conda-meta/
    VENV = "venv"  # a folder with pyvenv.cfg
    PYTHON = "python"  # any interpreter's own site-packages


class Source(enum.StrEnum):
    """Where an installed package came from."""

    CONDA = "conda"
    PYPI = "pypi"


class Status(enum.StrEnum):
    """The verdict of one doctor check (schema 1 of ``doctor --json``)."""

    OK = "ok"
    WARNING = "warning"
    PROBLEM = "problem"
    INFO = "info"


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


# where an environment of unknown kind and OS may hold its interpreter, in the order to try
INTERPRETERS = ("bin/python", "python.exe", "Scripts/python.exe", "bin/python3")


def find_interpreter(prefix: Path) -> Path | None:
    """The interpreter of an existing environment, whatever its kind and OS."""
    for candidate in INTERPRETERS:
        if (prefix / candidate).exists():
            return prefix / candidate
    return None


class CreateContext(NamedTuple):
    """What building an environment needs, all passed in (no hidden environment reads)."""

    project: Path
    spec: ProjectSpec
    environ: Mapping[str, str]
    run: Callable[..., Any]
    progress: Callable[[str], None]
    channel_alias: str | None = None
    use_uv: bool = True
    windows: bool = False
    existing: bool = False  # install into the environment already there (sync: extras removed)

    def which(self, name: str) -> str | None:
        import shutil

        return shutil.which(name, path=self.environ.get("PATH"))


class CreatedEnvironment(NamedTuple):
    """An environment a manager installed from the lock."""

    prefix: Path
    python: Path | None
    tool: str
    activate: str
    env_vars: Mapping[str, str] = MappingProxyType({})  # the default: shared, so read-only
