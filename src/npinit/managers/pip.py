"""pip + venv: requirements.txt with NumPy pinned exactly, and .python-version."""

from __future__ import annotations

from typing import Any

from npinit.managers import DEV_PACKAGES, find_uv, project_python
from npinit.model import (
    CreateContext,
    CreatedEnvironment,
    HashSource,
    ProjectSpec,
    activate_command,
    interpreter_in,
)

FILE = "requirements.txt"
ENV_DIR = ".venv"
HASH_SOURCE = HashSource.PIP_REPORT


def requirements(spec: ProjectSpec) -> list[str]:
    return [f"numpy=={spec.numpy}", *spec.with_packages, *DEV_PACKAGES]


def manifest(spec: ProjectSpec) -> dict[str, Any]:
    lines = requirements(spec)
    return {"file": FILE, "requirements": lines, "spec_lines": lines}


def create(ctx: CreateContext) -> CreatedEnvironment:
    """A venv at ``.venv`` with the project's Python and its requirements installed.

    uv (much faster) when it is available, else venv + pip with an install report whose
    hashes go into the lock.
    """

    project, venv = ctx.project, ctx.project / ".venv"
    python = project_python(ctx)
    venv_python = interpreter_in(venv, ctx.windows)
    uv = find_uv(ctx) if ctx.use_uv else None
    requirements = project / FILE
    if uv:
        ctx.progress(f"Creating .venv with uv (Python {ctx.spec.python})")
        ctx.run(
            [uv, "venv", "--quiet", "--python", python, venv],
            cwd=project,
            env=ctx.environ,
            what="uv venv",
        )
        ctx.progress("Installing requirements.txt with uv")
        ctx.run(
            [uv, "pip", "install", "--quiet", "--python", venv_python, "-r", requirements],
            cwd=project,
            env=ctx.environ,
            what="uv pip install",
        )
        source, report = (
            HashSource.NONE,
            None,
        )  # uv reports no hashes; `npinit lock --online` adds them
    else:
        ctx.progress(f"Creating .venv (Python {ctx.spec.python})")
        ctx.run([python, "-m", "venv", venv], cwd=project, env=ctx.environ, what="python -m venv")
        report = venv / "npinit-install-report.json"
        ctx.progress("Installing requirements.txt with pip")
        ctx.run(
            [
                venv_python,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--report",
                report,
                "-r",
                requirements,
            ],
            cwd=project,
            env=ctx.environ,
            what="pip install",
        )
        source = HASH_SOURCE
    tool = "uv" if uv else "pip"
    return CreatedEnvironment(venv, venv_python, tool, activate(ctx.windows), source, report)


def activate(windows: bool) -> str:
    return activate_command(ENV_DIR, windows)
