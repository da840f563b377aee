"""Poetry 2: a PEP 621 pyproject.toml with NumPy pinned exactly and requires-python set."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from npinit.managers import DEV_PACKAGES
from npinit.model import CreateContext, CreatedEnvironment, ProjectSpec

FILE = "pyproject.toml"


def requires_python(spec: ProjectSpec) -> str:
    """The one Python minor the project was pinned for."""
    major, minor = spec.python.split(".")
    return f">={spec.python},<{major}.{int(minor) + 1}"


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
    from npinit.interpreters import find_python

    poetry = ctx.which("poetry")
    if poetry is None:
        raise ToolMissing("Poetry is not installed", "install it: pipx install poetry")
    pyenv = ctx.environ.get("PYENV_ROOT") or str(Path(ctx.environ.get("HOME", "~")) / ".pyenv")
    python = find_python(ctx.spec.python, path=ctx.environ.get("PATH"), pyenv_root=Path(pyenv))
    env = {**ctx.environ, "POETRY_VIRTUALENVS_IN_PROJECT": "true"}
    env.pop("VIRTUAL_ENV", None)
    ctx.progress(f"Creating .venv with Poetry (Python {ctx.spec.python})")
    ctx.run([poetry, "env", "use", python], cwd=ctx.project, env=env, what="poetry env use")
    ctx.progress("Resolving and installing with Poetry")
    ctx.run(
        [poetry, "install", "--no-interaction"], cwd=ctx.project, env=env, what="poetry install"
    )
    venv = ctx.project / ".venv"
    venv_python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    return CreatedEnvironment(
        venv,
        venv_python,
        "poetry",
        "poetry env activate",
        "poetry-lock",
        ctx.project / "poetry.lock",
    )
