"""pixi: pixi.toml on conda-forge for several platforms, the BLAS selected per platform
(``[target.<platform>.dependencies]``), thread variables in ``[activation.env]``, a test task."""

from __future__ import annotations

import re
from typing import Any

from npinit.managers import DEV_PACKAGES
from npinit.model import BlasChoice, CreateContext, CreatedEnvironment, ProjectSpec, interpreter_in
from npinit.spec import THREAD_VARIABLES

FILE = "pixi.toml"
CHANNELS = ["conda-forge"]


def _table(line: str) -> tuple[str, dict[str, str]]:
    """A conda spec line ``libblas=*=*mkl`` as pixi's ``libblas = { version, build }``."""
    name, version, build = ([*line.split("=", 2), "", ""])[:3]
    table = {"version": version or "*"}
    if build:
        table["build"] = build
    return name, table


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
    return tables_for(spec.blas_choices)


def tables_for(
    choices: tuple[BlasChoice, ...],
) -> tuple[dict[str, dict[str, str]], dict[str, Any]]:
    """:func:`blas_tables` for the BLAS choices of a set of platforms."""
    lines = {c.platform.value: c.spec_lines for c in choices}
    if len(set(lines.values())) == 1:
        common = next(iter(lines.values()), ())
        return dict(_table(line) for line in common), {}
    targets = {
        platform: {"dependencies": dict(_table(line) for line in platform_lines)}
        for platform, platform_lines in lines.items()
        if platform_lines
    }
    return {}, targets


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
        prefix, python, "pixi", "pixi shell", "", None, dict(manifest(ctx.spec)["activation_env"])
    )
