"""uv: a PEP 621 pyproject.toml with NumPy pinned exactly, requires-python, a dev group, and
``[tool.uv]`` environments so ``uv lock`` is valid (and has wheels) for every platform."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from npinit.knowledge.platforms import MARKERS
from npinit.managers.common import (
    SYNC,
    find_uv_or_fail,
    project_python,
    pyproject_inputs,
    pyproject_manifest,
    read_pyproject,
)
from npinit.model import Manager, Platform, activate_command, interpreter_in
from npinit.model_create import CreateContext, CreatedEnvironment
from npinit.model_spec import ProjectSpec
from npinit.record.relock import FRESH, Keep
from npinit.record.snapshot import Snapshot

FILE = "pyproject.toml"
ENV_DIR = Manager.UV.env_dir
NATIVE_LOCK = "uv.lock"


def manifest(spec: ProjectSpec) -> dict[str, Any]:
    return pyproject_manifest(spec, FILE, environments=[MARKERS[p] for p in spec.platforms])


def activate(windows: bool) -> str:
    return activate_command(ENV_DIR, windows)


def lock_inputs(project: Path, spec: ProjectSpec) -> list[str]:
    """pyproject.toml's inputs. ``.python-version`` (the Python ``uv sync`` builds) must name
    the recorded Python, an input already, free-threaded (``3.14t``) or not: another one is
    refused (exit 2) wherever the inputs are read (lock, lock --check, create)."""
    from npinit.editing.pythons import python_version_pin
    from npinit.errors import InvalidInput

    pinned = python_version_pin(project)
    if pinned and pinned != spec.python:
        raise InvalidInput(
            f".python-version says {pinned}, .npinit.toml records Python {spec.python}: "
            "uv sync would build another Python than the lock's",
            f"run npinit set --python {pinned}, which changes both, or edit .python-version back",
        )
    return pyproject_inputs(project)


def _env(ctx: CreateContext, python: Path | None = None) -> dict[str, str]:
    env = {**ctx.environ, "UV_PYTHON": str(python or project_python(ctx))}
    env.pop("VIRTUAL_ENV", None)
    return env


def _lock_python(ctx: CreateContext) -> Path:
    """The interpreter ``uv lock`` runs with: the project's Python, else (uv.lock is one
    universal resolution, the same whichever Python of the range runs it, as ``uv lock``
    itself takes any) the newest installed Python that pyproject.toml's requires-python
    admits; none: ToolMissing for the project's Python (exit 3)."""
    from npinit.editing.pythons import allowed
    from npinit.errors import ToolMissing
    from npinit.knowledge.releases import known_pythons

    try:
        return project_python(ctx)
    except ToolMissing:
        table = read_pyproject(ctx.project).get("project", {})
        admitted = allowed(str(table.get("requires-python", "")), "pep440")
        for minor in reversed(known_pythons()):
            if admitted is not None and minor in admitted and minor != ctx.spec.python:
                try:
                    found = project_python(ctx._replace(spec=ctx.spec._replace(python=minor)))
                except ToolMissing:
                    continue
                ctx.progress(
                    f"Python {ctx.spec.python} is not installed: uv lock runs with {minor}"
                )
                return found
        raise


def lock(
    ctx: CreateContext, platforms: list[Platform], workdir: Path, keep: Keep = FRESH
) -> tuple[dict[Platform, Snapshot], dict[str, Path]]:
    """``uv lock`` writes uv.lock for every platform; the sections are read from it."""
    keep.read_ahead()  # the previous lock is read while the resolver runs

    uv = find_uv_or_fail(ctx)
    ctx.progress("Locking with uv (uv.lock)")
    # uv lock keeps what uv.lock holds unless asked to upgrade it
    upgrade = ["--upgrade"] if keep.upgrade_all else []
    for name in sorted(keep.upgrade):
        upgrade += ["--upgrade-package", name]
    env = _env(ctx, _lock_python(ctx))
    ctx.run([uv, "lock", "--quiet", *upgrade], cwd=ctx.project, env=env, what="uv lock")
    return native_lock(ctx.project, ctx.spec.python, platforms)[1], {}


def native_lock(
    project: Path, python: str, platforms: list[Platform]
) -> tuple[str, dict[Platform, Snapshot]]:
    from npinit.record.resolve_pypi import from_uv_lock

    groups = default_groups(project)
    return NATIVE_LOCK, from_uv_lock(project / NATIVE_LOCK, python, platforms, groups)


def default_groups(project: Path) -> tuple[str, ...] | None:
    """The groups ``uv sync`` installs: ``[tool.uv] default-groups`` (``"all"``: every
    group, ``None`` here), else ``dev``."""
    from npinit.errors import InvalidInput

    path = project / FILE
    groups = read_pyproject(project).get("tool", {}).get("uv", {}).get("default-groups", ["dev"])
    if groups == "all":
        return None
    if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
        raise InvalidInput(
            f'{path}: [tool.uv] default-groups is neither "all" nor a list of names', "fix it"
        )
    return tuple(groups)


def install(ctx: CreateContext, section: Snapshot, workdir: Path) -> CreatedEnvironment:
    """``uv sync --locked``: exactly uv.lock, refused by uv if it is stale."""
    uv = find_uv_or_fail(ctx)
    ctx.progress("Installing uv.lock with uv sync --locked")
    ctx.run(
        [uv, *SYNC[Manager.UV], "--quiet"], cwd=ctx.project, env=_env(ctx), what="uv sync --locked"
    )
    venv = ctx.project / ENV_DIR
    return CreatedEnvironment(venv, interpreter_in(venv, ctx.windows), "uv", activate(ctx.windows))
