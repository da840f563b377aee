"""uv: a PEP 621 pyproject.toml with NumPy pinned exactly, requires-python, a dev group, and
``[tool.uv]`` environments so ``uv lock`` is valid (and has wheels) for every platform."""

from __future__ import annotations

import os
from typing import Any

from npinit.managers import DEV_PACKAGES
from npinit.model import CreateContext, CreatedEnvironment, Platform, ProjectSpec

FILE = "pyproject.toml"

# PEP 508 markers of the conda subdirs (what uv's resolver and wheel tags understand)
MARKERS = {
    Platform.LINUX_64: "sys_platform == 'linux' and platform_machine == 'x86_64'",
    Platform.LINUX_AARCH64: "sys_platform == 'linux' and platform_machine == 'aarch64'",
    Platform.OSX_64: "sys_platform == 'darwin' and platform_machine == 'x86_64'",
    Platform.OSX_ARM64: "sys_platform == 'darwin' and platform_machine == 'arm64'",
    Platform.WIN_64: "sys_platform == 'win32' and platform_machine == 'AMD64'",
}


def requires_python(spec: ProjectSpec) -> str:
    major, minor = spec.python.split(".")
    return f">={spec.python},<{major}.{int(minor) + 1}"


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
    from pathlib import Path

    from npinit.errors import ToolMissing
    from npinit.interpreters import find_python

    uv = ctx.which("uv")
    if uv is None:
        try:
            from uv import find_uv_bin

            uv = str(find_uv_bin())
        except (ImportError, FileNotFoundError):
            raise ToolMissing("uv is not installed", "install it: pip install uv") from None
    pyenv = ctx.environ.get("PYENV_ROOT") or str(Path(ctx.environ.get("HOME", "~")) / ".pyenv")
    python = find_python(ctx.spec.python, path=ctx.environ.get("PATH"), pyenv_root=Path(pyenv))
    env = {**ctx.environ, "UV_PYTHON": str(python)}
    env.pop("VIRTUAL_ENV", None)
    ctx.progress("Locking and syncing with uv")
    ctx.run([uv, "sync", "--quiet"], cwd=ctx.project, env=env, what="uv sync")
    venv = ctx.project / ".venv"
    venv_python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    activate = ".venv\\Scripts\\activate" if os.name == "nt" else "source .venv/bin/activate"
    return CreatedEnvironment(venv, venv_python, "uv", activate, "uv-lock", ctx.project / "uv.lock")
