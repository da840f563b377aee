"""One module per manager: what goes into its native file, and how its environment is made.

Managers never import each other; :func:`manifest` picks the one a spec names.
"""

from __future__ import annotations

from typing import Any

from npinit.model import Manager, ProjectSpec

DEV_PACKAGES = ("pytest", "threadpoolctl")


def manifest(spec: ProjectSpec) -> dict[str, Any]:
    """The data the template writes into the manager's file, including ``spec_lines``:
    the exact dependency lines written, in file order."""
    if spec.manager is Manager.CONDA:
        from npinit.managers import conda

        return conda.manifest(spec)
    if spec.manager is Manager.PIP:
        from npinit.managers import pip

        return pip.manifest(spec)
    from npinit.managers import poetry

    return poetry.manifest(spec)


def create(ctx: Any) -> Any:
    """Build the environment of ``ctx.spec.manager`` for the project (CreatedEnvironment)."""
    if ctx.spec.manager is Manager.CONDA:
        from npinit.managers import conda

        return conda.create(ctx)
    if ctx.spec.manager is Manager.PIP:
        from npinit.managers import pip

        return pip.create(ctx)
    from npinit.managers import poetry

    return poetry.create(ctx)
