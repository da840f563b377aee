"""One module per manager: what goes into its native file, and how its environment is made.

Managers never import each other; :func:`module_for` picks the one a spec names.
"""

from __future__ import annotations

import importlib
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
