"""One module per manager, each a :class:`PackageManager`: what goes into its native file,
where its environment lives and how it is activated, how it installs, and where the lock's
hashes come from.

Managers never import each other; :data:`REGISTRY` names the module of each, and
:func:`module_for` loads the one a spec names (only when used).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from npinit.model import CreateContext, CreatedEnvironment, HashSource, Manager, ProjectSpec

DEV_PACKAGES = ("pytest", "threadpoolctl")


class PackageManager(Protocol):
    """What npinit needs of a manager. Module-level names implement it."""

    FILE: str  # the manager's own file: environment.yml, requirements.txt, pyproject.toml...
    ENV_DIR: str  # where the project's environment lives, relative to the project
    HASH_SOURCE: HashSource  # where the lock's hashes come from (npinit.record.hashes)

    def manifest(self, spec: ProjectSpec) -> dict[str, Any]:
        """What goes into the file, including ``spec_lines``: the exact dependency lines."""
        ...

    def create(self, ctx: CreateContext) -> CreatedEnvironment:
        """Install the project's environment with the manager; the lock is recorded from it."""
        ...

    def activate(self, windows: bool) -> str:
        """The command that activates the environment in a shell."""
        ...


def _conda() -> PackageManager:
    from npinit.managers import conda

    return conda


def _pip() -> PackageManager:
    from npinit.managers import pip

    return pip


def _poetry() -> PackageManager:
    from npinit.managers import poetry

    return poetry


def _uv() -> PackageManager:
    from npinit.managers import uv

    return uv


def _pixi() -> PackageManager:
    from npinit.managers import pixi

    return pixi


REGISTRY: dict[Manager, Callable[[], PackageManager]] = {
    Manager.CONDA: _conda,
    Manager.PIP: _pip,
    Manager.POETRY: _poetry,
    Manager.UV: _uv,
    Manager.PIXI: _pixi,
}


def module_for(manager: Manager) -> PackageManager:
    """The implementation of ``manager`` (imported only when used)."""
    return REGISTRY[manager]()


def manifest(spec: ProjectSpec) -> dict[str, Any]:
    """The data the template writes into the manager's file, including ``spec_lines``:
    the exact dependency lines written, in file order."""
    return module_for(spec.manager).manifest(spec)


def create(ctx: CreateContext) -> CreatedEnvironment:
    """Build the environment of ``ctx.spec.manager`` for the project."""
    return module_for(ctx.spec.manager).create(ctx)


def requires_python(spec: ProjectSpec) -> str:
    """The one Python minor the project was pinned for, as a PEP 440 range."""
    major, minor = spec.python.split(".")
    return f">={spec.python},<{major}.{int(minor) + 1}"


def project_python(ctx: CreateContext) -> Path:
    """An interpreter of the project's Python on this machine (ToolMissing, exit 3, if none)."""
    from npinit.interpreters import find_python

    home = ctx.environ.get("HOME", "~")
    pyenv = ctx.environ.get("PYENV_ROOT") or str(Path(home) / ".pyenv")
    return find_python(
        ctx.spec.python,
        path=ctx.environ.get("PATH"),
        pyenv_root=Path(pyenv),
        windows=ctx.windows,
        run=ctx.run,
    )


def find_uv(ctx: CreateContext) -> str | None:
    """uv on PATH, else the one the PyPI package ``uv`` installed beside npinit."""
    found = ctx.which("uv")
    if found:
        return found
    try:
        from uv import find_uv_bin
    except ImportError:
        return None
    try:
        return str(find_uv_bin())
    except FileNotFoundError:
        return None
