"""pixi: pixi.toml on conda-forge for several platforms, the BLAS selected per platform
(``[target.<platform>.dependencies]``), thread variables in ``[activation.env]``, a test task."""

from __future__ import annotations

import re
from typing import Any

from npinit.knowledge.blas import pixi_tables
from npinit.managers import DEV_PACKAGES
from npinit.model import CreateContext, CreatedEnvironment, HashSource, ProjectSpec, interpreter_in
from npinit.spec import THREAD_VARIABLES

FILE = "pixi.toml"
ENV_DIR = ".pixi"
HASH_SOURCE = HashSource.NONE
CHANNELS = ["conda-forge"]


def _with(spec_text: str) -> tuple[str, str]:
    """``scipy``, ``scipy=1.14``, ``scipy>=1.14`` -> (name, pixi version spec)."""
    match = re.match(r"^([A-Za-z0-9][A-Za-z0-9_.-]*)\s*(.*)$", spec_text.strip())
    assert match is not None  # validated by spec.check_with
    name, rest = match.group(1), match.group(2).strip()
    if rest.startswith("=") and not rest.startswith("=="):
        rest = rest[1:] + ".*"
    return name.lower(), rest or "*"


def dependencies(spec: ProjectSpec) -> dict[str, str]:
    deps = {"python": f"{spec.python}.*", "numpy": f"=={spec.numpy}"}
    deps.update({name: "*" for name in DEV_PACKAGES})
    deps.update(dict(_with(w) for w in spec.with_packages))
    return deps


def blas_tables(spec: ProjectSpec) -> tuple[dict[str, dict[str, str]], dict[str, Any]]:
    """BLAS entries common to every platform, and the per-platform ones (``target``)."""
    return pixi_tables(spec.blas_choices)


def manifest(spec: ProjectSpec) -> dict[str, Any]:
    deps = dependencies(spec)
    common, targets = blas_tables(spec)
    env = {name: str(spec.threads) for name in THREAD_VARIABLES} if spec.threads else {}
    spec_lines = [f"{name} {value}" for name, value in deps.items()]
    spec_lines += [f"{n} {t['version']} {t.get('build', '')}".strip() for n, t in common.items()]
    for platform, target in targets.items():
        spec_lines += [
            f"{platform}: {n} {t['version']} {t.get('build', '')}".strip()
            for n, t in target["dependencies"].items()
        ]
    return {
        "file": FILE,
        "channels": CHANNELS,
        "platforms": [p.value for p in spec.platforms],
        "dependencies": deps,
        "blas": common,
        "targets": targets,
        "activation_env": env,
        "tasks": {"test": "python -m pytest"},
        "spec_lines": spec_lines,
    }


def create(ctx: CreateContext) -> CreatedEnvironment:
    """``pixi install`` (pixi is not on PyPI: it must be on PATH)."""
    from npinit.errors import ToolMissing

    pixi = ctx.which("pixi")
    if pixi is None:
        raise ToolMissing("pixi is not installed", "install it from https://pixi.sh")
    ctx.progress("Solving and installing with pixi")
    ctx.run(
        [pixi, "install", "--manifest-path", ctx.project / FILE],
        cwd=ctx.project,
        env=ctx.environ,
        what="pixi install",
    )
    prefix = ctx.project / ".pixi" / "envs" / "default"
    python = interpreter_in(prefix, ctx.windows, "conda")
    return CreatedEnvironment(
        prefix,
        python,
        "pixi",
        activate(ctx.windows),
        HASH_SOURCE,
        None,
        dict(manifest(ctx.spec)["activation_env"]),
    )


def activate(windows: bool) -> str:
    """pixi starts a shell in the environment."""
    return "pixi shell"
