"""Poetry 2: a PEP 621 pyproject.toml with NumPy pinned exactly and requires-python set."""

from __future__ import annotations

from typing import Any

from npinit.managers import DEV_PACKAGES, project_python, requires_python
from npinit.model import CreateContext, CreatedEnvironment, HashSource, ProjectSpec, interpreter_in

FILE = "pyproject.toml"
ENV_DIR = ".venv"
HASH_SOURCE = HashSource.POETRY_LOCK


def manifest(spec: ProjectSpec) -> dict[str, Any]:
    dependencies = [f"numpy=={spec.numpy}", *spec.with_packages]
    return {
        "file": FILE,
        "requires_python": requires_python(spec),
        "dependencies": dependencies,
        "dev_dependencies": list(DEV_PACKAGES),
        "spec_lines": dependencies,
    }


def create(ctx: CreateContext) -> CreatedEnvironment:
    """``poetry install`` into the project's in-project virtualenv (``.venv``)."""
    from npinit.errors import ToolMissing

    poetry = ctx.which("poetry")
    if poetry is None:
        raise ToolMissing("Poetry is not installed", "install it: pipx install poetry")
    python = project_python(ctx)
    env = {**ctx.environ, "POETRY_VIRTUALENVS_IN_PROJECT": "true"}
    env.pop("VIRTUAL_ENV", None)
    ctx.progress(f"Creating .venv with Poetry (Python {ctx.spec.python})")
    ctx.run([poetry, "env", "use", python], cwd=ctx.project, env=env, what="poetry env use")
    ctx.progress("Resolving and installing with Poetry")
    ctx.run(
        [poetry, "install", "--no-interaction"], cwd=ctx.project, env=env, what="poetry install"
    )
    venv = ctx.project / ".venv"
    venv_python = interpreter_in(venv, ctx.windows)
    return CreatedEnvironment(
        venv,
        venv_python,
        "poetry",
        activate(ctx.windows),
        HASH_SOURCE,
        ctx.project / "poetry.lock",
    )


def activate(windows: bool) -> str:
    """Poetry prints the activation command for the shell it runs in."""
    return "poetry env activate"
