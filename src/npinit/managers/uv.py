"""uv: a PEP 621 pyproject.toml with NumPy pinned exactly, requires-python, a dev group, and
``[tool.uv]`` environments so ``uv lock`` is valid (and has wheels) for every platform."""

from __future__ import annotations

from typing import Any

from npinit.managers import DEV_PACKAGES, find_uv, project_python, requires_python
from npinit.model import (
    CreateContext,
    CreatedEnvironment,
    HashSource,
    Platform,
    ProjectSpec,
    activate_command,
    interpreter_in,
)

FILE = "pyproject.toml"
ENV_DIR = ".venv"
HASH_SOURCE = HashSource.UV_LOCK

# PEP 508 markers of the conda subdirs (what uv's resolver and wheel tags understand)
MARKERS = {
    Platform.LINUX_64: "sys_platform == 'linux' and platform_machine == 'x86_64'",
    Platform.LINUX_AARCH64: "sys_platform == 'linux' and platform_machine == 'aarch64'",
    Platform.OSX_64: "sys_platform == 'darwin' and platform_machine == 'x86_64'",
    Platform.OSX_ARM64: "sys_platform == 'darwin' and platform_machine == 'arm64'",
    Platform.WIN_64: "sys_platform == 'win32' and platform_machine == 'AMD64'",
}


def manifest(spec: ProjectSpec) -> dict[str, Any]:
    dependencies = [f"numpy=={spec.numpy}", *spec.with_packages]
    return {
        "file": FILE,
        "requires_python": requires_python(spec),
        "dependencies": dependencies,
        "dev_dependencies": list(DEV_PACKAGES),
        "environments": [MARKERS[p] for p in spec.platforms],
        "spec_lines": dependencies,
    }


def create(ctx: CreateContext) -> CreatedEnvironment:
    """``uv sync`` into ``.venv`` with the project's Python (uv.lock is written too)."""
    from npinit.errors import ToolMissing

    uv = find_uv(ctx)
    if uv is None:
        raise ToolMissing("uv is not installed", "install it: pip install uv")
    python = project_python(ctx)
    env = {**ctx.environ, "UV_PYTHON": str(python)}
    env.pop("VIRTUAL_ENV", None)
    ctx.progress("Locking and syncing with uv")
    ctx.run([uv, "sync", "--quiet"], cwd=ctx.project, env=env, what="uv sync")
    venv = ctx.project / ".venv"
    venv_python = interpreter_in(venv, ctx.windows)
    lock = ctx.project / "uv.lock"
    return CreatedEnvironment(venv, venv_python, "uv", activate(ctx.windows), HASH_SOURCE, lock)


def activate(windows: bool) -> str:
    return activate_command(ENV_DIR, windows)
