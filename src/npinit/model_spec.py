"""A project's spec: every answer it is generated from, validated (:mod:`npinit.spec`), and
the BLAS each platform gets; the BLAS and channel a project asks for (lock --from-env, which
reads an environment, needs neither)."""

# no __future__ annotations: typing.NamedTuple compiles an annotation string (test_imports)

import enum
from typing import Any, NamedTuple

from npinit.model import Manager, Platform


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
