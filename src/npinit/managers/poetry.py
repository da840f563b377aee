"""Poetry 2: a PEP 621 pyproject.toml with NumPy pinned exactly and requires-python set."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from npinit.managers.common import (
    SYNC,
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
ENV_DIR = Manager.POETRY.env_dir
NATIVE_LOCK = "poetry.lock"


def manifest(spec: ProjectSpec) -> dict[str, Any]:
    return pyproject_manifest(spec, FILE)


def activate(windows: bool) -> str:
    """The in-project ``.venv`` (poetry.toml keeps it there) activates like any venv;
    ``poetry env activate`` names another venv when one is already active."""
    return activate_command(ENV_DIR, windows)


def lock_inputs(project: Path, spec: ProjectSpec) -> list[str]:
    return pyproject_inputs(project)


def _poetry(ctx: CreateContext) -> tuple[str, dict[str, str]]:
    from npinit.errors import ToolMissing

    poetry = ctx.which("poetry")
    if poetry is None:
        raise ToolMissing("Poetry is not installed", "install it: pipx install poetry")
    env = {**ctx.environ, "POETRY_VIRTUALENVS_IN_PROJECT": "true"}
    env.pop("VIRTUAL_ENV", None)
    return poetry, env


def lock(
    ctx: CreateContext, platforms: list[Platform], workdir: Path, keep: Keep = FRESH
) -> tuple[dict[Platform, Snapshot], dict[str, Path]]:
    """``poetry lock`` writes poetry.lock for every platform; the sections are read from it."""
    keep.read_ahead()  # the previous lock is read while the resolver runs

    poetry, env = _poetry(ctx)
    # locking installs nothing: whatever virtualenv Poetry makes goes to npinit's work folder
    env.update(POETRY_VIRTUALENVS_IN_PROJECT="false", POETRY_VIRTUALENVS_PATH=str(workdir))
    ctx.progress("Locking with Poetry (poetry.lock)")
    # Poetry 2 keeps what poetry.lock holds: --regenerate re-resolves all, update --lock some
    if keep.upgrade and not keep.upgrade_all:
        cmd = [poetry, "update", "--lock", "--no-interaction", *sorted(keep.upgrade)]
    else:
        cmd = [poetry, "lock", "--no-interaction", *(["--regenerate"] if keep.upgrade_all else [])]
    ctx.run(cmd, cwd=ctx.project, env=env, what="poetry lock")
    return native_lock(ctx.project, ctx.spec.python, platforms)[1], {}


def native_lock(
    project: Path, python: str, platforms: list[Platform]
) -> tuple[str, dict[Platform, Snapshot]]:
    from npinit.record.resolve_pypi import from_poetry_lock

    doc = read_pyproject(project)
    sections = from_poetry_lock(project / NATIVE_LOCK, python, platforms, installed_groups(doc))
    return NATIVE_LOCK, {p: _with_root(doc, s) for p, s in sections.items()}


def installed_groups(doc: dict[str, Any]) -> tuple[str, ...]:
    """What ``poetry sync`` installs: the main group and every group not marked optional
    (``[tool.poetry.group.<name>]``, PEP 735 ``[dependency-groups]``, the old
    ``[tool.poetry.dev-dependencies]`` as ``dev``)."""
    poetry = doc.get("tool", {}).get("poetry", {})
    tables = poetry.get("group", {})
    names = {*tables, *doc.get("dependency-groups", {})}
    if "dev-dependencies" in poetry:
        names.add("dev")
    optional = {n for n, t in tables.items() if isinstance(t, dict) and t.get("optional")}
    return ("main", *sorted(names - optional - {"main"}))


def _with_root(doc: dict[str, Any], section: Snapshot) -> Snapshot:
    """Poetry installs the project itself (editable) unless ``package-mode = false``."""
    from npinit.model import Source
    from npinit.record.snapshot import Package, canonical

    poetry = doc.get("tool", {}).get("poetry", {})
    if poetry.get("package-mode", True) is False:
        return section
    table = {**poetry, **doc.get("project", {})}
    if not table.get("name") or not table.get("version"):
        return section
    root = Package(
        canonical(str(table["name"])), str(table["version"]), Source.PYPI, origin="editable"
    )
    return section.with_packages((*section.packages, root))


def install(ctx: CreateContext, section: Snapshot, workdir: Path) -> CreatedEnvironment:
    """``poetry sync``: exactly poetry.lock (Poetry refuses a stale one)."""
    poetry, env = _poetry(ctx)
    python = project_python(ctx)
    ctx.progress(f"Creating .venv with Poetry (Python {ctx.spec.python})")
    ctx.run([poetry, "env", "use", python], cwd=ctx.project, env=env, what="poetry env use")
    ctx.progress("Installing poetry.lock with poetry sync")
    ctx.run([poetry, *SYNC[Manager.POETRY]], cwd=ctx.project, env=env, what="poetry sync")
    venv = ctx.project / ENV_DIR
    return CreatedEnvironment(
        venv, interpreter_in(venv, ctx.windows), "poetry", activate(ctx.windows)
    )
