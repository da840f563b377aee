"""conda: environment.yml with channels, exact pins, the BLAS lines and thread variables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from npinit.managers import DEV_PACKAGES
from npinit.model import (
    Channel,
    CreateContext,
    CreatedEnvironment,
    HashSource,
    ProjectSpec,
    interpreter_in,
)
from npinit.spec import THREAD_VARIABLES

FILE = "environment.yml"
ENV_DIR = ".conda"
HASH_SOURCE = HashSource.NONE


def channels(spec: ProjectSpec) -> list[str]:
    """conda-forge alone (``nodefaults`` keeps defaults out), or Anaconda's defaults."""
    if spec.channel is Channel.CONDA_FORGE:
        return ["conda-forge", "nodefaults"]
    return ["defaults"]


def blas_lines(spec: ProjectSpec) -> list[str]:
    """The BLAS spec lines; environment.yml cannot vary per platform, and the spec was
    checked valid on every platform, so they are the same for all of them."""
    lines: list[str] = []
    for choice in spec.blas_choices:
        lines.extend(line for line in choice.spec_lines if line not in lines)
    return lines


def dependencies(spec: ProjectSpec) -> list[str]:
    return [
        f"python={spec.python}",
        f"numpy={spec.numpy}",
        *blas_lines(spec),
        *DEV_PACKAGES,
        *spec.with_packages,
    ]


def variables_of(spec: ProjectSpec) -> dict[str, str]:
    """conda sets these on activation (environment.yml ``variables:``)."""
    if spec.threads is None:
        return {}
    return {name: str(spec.threads) for name in THREAD_VARIABLES}


def manifest(spec: ProjectSpec) -> dict[str, Any]:
    deps = dependencies(spec)
    return {
        "file": FILE,
        "channels": channels(spec),
        "dependencies": deps,
        "variables": variables_of(spec),
        "spec_lines": deps,
    }


# preferred order when several are on PATH: the fast solvers first
TOOLS = ("mamba", "micromamba", "conda")


def create_command(tool: str, exe: str, prefix: Path, env_file: Path) -> list[str]:
    """The exact command line each conda front-end takes to build ``prefix``."""
    if tool == "micromamba":
        return [exe, "create", "--yes", "--prefix", str(prefix), "--file", str(env_file)]
    if tool == "mamba":
        return [exe, "env", "create", "--yes", "--prefix", str(prefix), "--file", str(env_file)]
    return [exe, "env", "create", "--prefix", str(prefix), "--file", str(env_file)]


def create(ctx: CreateContext) -> CreatedEnvironment:
    """Build ``./.conda`` with conda, mamba or micromamba when one is on PATH, else with the
    embedded engine (py-rattler)."""
    prefix = ctx.project / ".conda"
    env_file = ctx.project / FILE
    python = interpreter_in(prefix, ctx.windows, "conda")
    variables = variables_of(ctx.spec)
    for tool in TOOLS:
        exe = ctx.which(tool)
        if exe:
            ctx.progress(f"Creating .conda with {tool}")
            ctx.run(
                create_command(tool, exe, prefix, env_file),
                cwd=ctx.project,
                env=ctx.environ,
                what=f"{tool} env create",
            )
            return CreatedEnvironment(
                prefix, python, tool, activate(ctx.windows), HASH_SOURCE, None, variables
            )
    from npinit.managers import conda_engine

    ctx.progress("Solving and installing .conda with the embedded engine (py-rattler)")
    cache = Path(ctx.environ.get("XDG_CACHE_HOME") or Path(ctx.environ.get("HOME", "~")) / ".cache")
    conda_engine.install(env_file, prefix, alias=ctx.channel_alias, cache=cache / "npinit")
    return CreatedEnvironment(
        prefix, python, "py-rattler", activate(ctx.windows), HASH_SOURCE, None, variables
    )


def activate(windows: bool) -> str:
    """conda activates a prefix by its path, on every OS."""
    return "conda activate ./.conda"
