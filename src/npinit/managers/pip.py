"""pip + venv: requirements.txt with NumPy pinned exactly, and .python-version."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from npinit.managers.common import (
    DEV_PACKAGES,
    find_uv,
    find_uv_or_fail,
    install_hashed,
    project_python,
    source_of,
)
from npinit.model import Manager, Platform, activate_command, interpreter_in
from npinit.model_create import CreateContext, CreatedEnvironment
from npinit.model_spec import ProjectSpec

if TYPE_CHECKING:  # create starts uv venv (start_venv) before the lock's modules load
    from npinit.record.relock import Keep
    from npinit.record.snapshot import Snapshot
    from npinit.runner import Started

FILE = "requirements.txt"
ENV_DIR = Manager.PIP.env_dir


def requirements(spec: ProjectSpec) -> list[str]:
    return [f"numpy=={spec.numpy}", *spec.with_packages, *DEV_PACKAGES]


def manifest(spec: ProjectSpec) -> dict[str, Any]:
    lines = requirements(spec)
    return {"file": FILE, "requirements": lines, "spec_lines": lines}


def activate(windows: bool) -> str:
    return activate_command(ENV_DIR, windows)


def requirement_lines(text: str) -> list[str]:
    """The requirement and option lines of a requirements file, comments and blanks out."""
    from npinit.editing.requirements import strip_comment

    lines = []
    for raw in text.replace("\\\n", " ").splitlines():
        line = strip_comment(raw).strip()
        if line:
            lines.append(" ".join(line.split()))
    return lines


def lock_inputs(project: Path, spec: ProjectSpec) -> list[str]:
    """The requirement lines of the file and of every file it includes (``-r``/``-c``,
    followed as ``set`` follows them), each included line prefixed by its file's name. An
    include npinit cannot follow (outside the project, missing) is refused, never dropped."""
    from npinit.editing.requirements import lockable_includes
    from npinit.tomlio import read_regular

    def read(path: Path) -> str:
        return read_regular(path, path.name).decode("utf-8", "replace")

    path = source_of(project, spec, FILE)
    texts = lockable_includes(path, project, read)
    lines = requirement_lines(texts[path])
    for other in sorted(p for p in texts if p != path):
        name = Path(os.path.relpath(os.path.normpath(other), os.path.normpath(project))).as_posix()
        lines += [f"{name}: {line}" for line in requirement_lines(texts[other])]
    return lines


def lock(
    ctx: CreateContext, platforms: list[Platform], workdir: Path, keep: Keep
) -> tuple[dict[Platform, Snapshot], dict[str, Path]]:
    """uv resolves requirements.txt once for every platform (universal, with hashes),
    preferring what ``keep`` keeps (:func:`npinit.managers.resolve` passes it)."""
    keep.read_ahead()  # the previous lock is read while the resolver runs
    from npinit.record.source_builds import resolve_with_wheels

    uv = find_uv_or_fail(ctx)

    ctx.progress(
        f"Resolving {ctx.spec.source or FILE} for {', '.join(p.value for p in platforms)} with uv"
    )
    sections = resolve_with_wheels(
        source_of(ctx.project, ctx.spec, FILE),
        ctx.spec.python,
        platforms,
        uv=uv,
        environ=ctx.environ,
        workdir=workdir,
        run=ctx.run,
        keep=keep,
    )
    return sections, {}


def start_venv(ctx: CreateContext) -> Started | None:
    """``uv venv`` of the project's Python at ``.venv``, started now and left running while
    create reads the lock and writes its export (:func:`install` waits for it). None when
    :func:`install` makes the venv in its turn instead: no uv (``--no-uv``, none found), a
    runner of a test's own, an environment there already, no interpreter of the project's
    Python or a uv that does not start (install says so, after the lock was checked)."""
    from npinit import runner
    from npinit.errors import NpinitError

    if ctx.existing or not ctx.use_uv or ctx.run is not runner.run:
        return None
    uv = find_uv(ctx)
    if uv is None:
        return None
    try:
        python = project_python(ctx)
        ctx.progress(f"Creating .venv (Python {ctx.spec.python})")
        return runner.start(
            _uv_venv(ctx, uv, python), cwd=ctx.project, env=ctx.environ, what="uv venv"
        )
    except NpinitError:
        return None


def _uv_venv(ctx: CreateContext, uv: str, python: Path) -> list[str | Path]:
    return [uv, "venv", "--quiet", "--python", python, ctx.project / ENV_DIR]


def install(
    ctx: CreateContext, section: Snapshot, workdir: Path | None, started: Started | None = None
) -> CreatedEnvironment:
    """A venv at ``.venv`` with exactly the locked packages, every file hash-checked (an
    existing venv of the project's Python gets them too, and loses what the lock lacks).
    ``started``: the ``uv venv`` :func:`start_venv` began, waited for once the hashed
    requirements are made. ``workdir``: where pip's requirements file is written (uv reads
    them on its stdin: with ``started``, None will do)."""
    project, venv = ctx.project, ctx.project / ENV_DIR
    venv_python = interpreter_in(venv, ctx.windows)
    if started is not None:
        uv: str | None = started.args[0]  # the uv that makes the venv installs into it
    else:
        uv = find_uv(ctx) if ctx.use_uv else None
    if ctx.existing:
        ctx.progress(f"Installing the lock into the existing .venv (Python {ctx.spec.python})")
    elif started is None:
        python = project_python(ctx)
        ctx.progress(f"Creating .venv (Python {ctx.spec.python})")
        if uv:
            ctx.run(_uv_venv(ctx, uv, python), cwd=project, env=ctx.environ, what="uv venv")
        else:
            ctx.run(
                [python, "-m", "venv", venv], cwd=project, env=ctx.environ, what="python -m venv"
            )
    tool = install_hashed(ctx, venv_python, section, workdir, uv, ready=_waited(started))
    return CreatedEnvironment(venv, venv_python, tool, activate(ctx.windows))


def _waited(started: Started | None) -> Callable[[], None] | None:
    """What :func:`install_hashed` calls between making the requirements and installing:
    wait for the venv uv makes in the background (a fault step first: the export made, the
    child maybe still running)."""
    if started is None:
        return None

    def wait() -> None:
        from npinit.faults import checkpoint

        checkpoint("create-venv-pending")
        started.wait()

    return wait


def native_lock(
    project: Path, python: str, platforms: list[Platform]
) -> tuple[str, dict[Platform, Snapshot]] | None:
    """None: create installs npinit.lock itself, every file checked against its hash."""
    return None
