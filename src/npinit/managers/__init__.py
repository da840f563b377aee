"""One module per manager: what goes into its native file, and how its environment is made.

Managers never import each other; :func:`module_for` picks the one a spec names.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType
from typing import Any

from npinit.model import CreateContext, CreatedEnvironment, Manager, ProjectSpec

DEV_PACKAGES = ("pytest", "threadpoolctl")


def module_for(manager: Manager) -> ModuleType:
    """The module of ``manager`` (imported only when used)."""
    return importlib.import_module(f"npinit.managers.{manager.value}")


def manifest(spec: ProjectSpec) -> dict[str, Any]:
    """The data the template writes into the manager's file, including ``spec_lines``:
    the exact dependency lines written, in file order."""
    result: dict[str, Any] = module_for(spec.manager).manifest(spec)
    return result


def create(ctx: CreateContext) -> CreatedEnvironment:
    """Build the environment of ``ctx.spec.manager`` for the project."""
    result: CreatedEnvironment = module_for(ctx.spec.manager).create(ctx)
    return result


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
