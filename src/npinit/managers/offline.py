"""``npinit create --bundle DIR``: install this machine's section of npinit.lock from the files
of an offline bundle, already checked against the lock (:mod:`npinit.record.bundle_files`),
with no index, no channel and no configuration that could add one.

- pip, uv and Poetry: a venv, then the section's hashed requirements with ``uv pip sync`` (or
  pip) ``--no-index --find-links`` (uv: ``--offline --no-config``; pip: ``--isolated``). uv
  and Poetry install from their own lock through an index; from a bundle, npinit.lock's
  section (which agrees with uv.lock and poetry.lock, checked before) is installed instead,
  and the project itself, when it is a package, as an editable install.
- conda: ``conda``/``mamba``/``micromamba create --offline`` with an ``@EXPLICIT`` file of
  ``file://`` URLs; without one, the embedded engine (py-rattler) installs the archives.
- pixi: the embedded engine installs the archives into ``.pixi/envs/default``.

Every installer sees only a folder of links to the checked files (named after each package's
channel, so that the environment records the channel the lock names)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from npinit.model import ENV_PREFIXES, Manager, activate_command, interpreter_in
from npinit.model_create import CreateContext, CreatedEnvironment
from npinit.record.bundle_files import BundledFile, file_name
from npinit.record.snapshot import Package, Snapshot, channel_name

PYPI_VIEW = "pypi"


def install(
    ctx: CreateContext, section: Snapshot, workdir: Path, files: list[BundledFile]
) -> tuple[CreatedEnvironment, list[str]]:
    """Install ``section`` from the checked ``files``; the environment and what to tell."""
    view = _view(files, workdir / "bundle")
    if ctx.spec.manager in (Manager.CONDA, Manager.PIXI):
        return _conda(ctx, section, workdir, view)
    return _venv(ctx, section, workdir, view)


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:  # another file system (a USB stick), or one without hard links
        shutil.copyfile(source, target)


def _view(files: list[BundledFile], root: Path) -> dict[tuple[str, str], Path]:
    """Link each checked file under ``root``: ``pypi/<file>``, ``<channel>/<subdir>/<file>``;
    each package's key -> its link."""
    (root / PYPI_VIEW).mkdir(parents=True, exist_ok=True)
    links = {}
    for item in files:
        package = item.package
        if package.source == "conda":
            channel = channel_name(_channel_url(package))
            channel = channel.rstrip("/").rsplit("/", 1)[-1].replace(":", "_") or "channel"
            target = root / channel / package.subdir / file_name(package)
        else:  # each file of a package under its own name (a package may have several)
            target = root / PYPI_VIEW / item.path.name
        _link(item.path, target)
        links[package.key] = target
    return links


def _channel_url(package: Package) -> str:
    """The channel a locked conda package comes from, as its URL says."""
    return package.url.rsplit("/", 2)[0]


def _venv(
    ctx: CreateContext, section: Snapshot, workdir: Path, view: dict[tuple[str, str], Path]
) -> tuple[CreatedEnvironment, list[str]]:
    """pip, uv, Poetry: a venv (or the project's existing one) and the locked PyPI files."""
    from npinit.managers.common import find_uv, install_hashed, offline_environ, project_python

    venv = ctx.project / ctx.spec.manager.env_dir
    python = interpreter_in(venv, ctx.windows)
    uv = find_uv(ctx) if ctx.use_uv else None
    if not ctx.existing:
        base = project_python(ctx)
        ctx.progress(f"Creating .venv (Python {ctx.spec.python})")
        if uv:
            cmd = [uv, "venv", "--quiet", "--offline", "--no-config", "--python", base, venv]
            ctx.run(cmd, cwd=ctx.project, env=offline_environ(ctx.environ), what="uv venv")
        else:
            cmd = [base, "-m", "venv", venv]
            ctx.run(cmd, cwd=ctx.project, env=ctx.environ, what="python -m venv")
    folder = workdir / "bundle" / PYPI_VIEW
    tool = install_hashed(ctx, python, section, workdir, uv, find_links=folder)
    notes = []
    root = next((p for p in section.packages if p.origin == "editable"), None)
    if root is not None:
        from npinit.managers.editable import install_editable

        install_editable(ctx.project, venv, root)
    if ctx.spec.manager is not Manager.PIP:
        lock = "poetry.lock" if ctx.spec.manager is Manager.POETRY else "uv.lock"
        cannot = "Poetry cannot install" if lock == "poetry.lock" else "uv sync cannot install"
        notes.append(
            f"{cannot} {lock} from local files: npinit.lock's section (the same packages) "
            f"was installed with {tool} from the bundle"
            + (", the project itself as an editable install" if root else "")
        )
    return CreatedEnvironment(venv, python, tool, activate_command(venv.name, ctx.windows)), notes


def _conda(
    ctx: CreateContext, section: Snapshot, workdir: Path, view: dict[tuple[str, str], Path]
) -> tuple[CreatedEnvironment, list[str]]:
    """conda and pixi: the locked archives by a conda front-end or the embedded engine, then
    a ``pip:`` section's files."""
    from npinit.managers import conda
    from npinit.managers.common import find_uv, install_hashed

    pixi = ctx.spec.manager is Manager.PIXI
    prefix = ctx.project / ENV_PREFIXES[ctx.spec.manager.env_dir]
    python = interpreter_in(prefix, ctx.windows, "conda")
    records = [p for p in section.packages if p.source == "conda"]
    front_end = None if pixi else next((t for t in conda.TOOLS if ctx.which(t)), None)
    ctx.progress(
        f"Installing {len(records)} locked packages from the bundle ({front_end or 'py-rattler'})"
    )
    if front_end:
        _explicit(ctx, section, workdir, view, front_end, prefix)
    else:
        _embedded(records, view, prefix, workdir)
    notes = []
    if pixi:
        from npinit.managers import pixi as pixi_manager

        variables = dict(pixi_manager.manifest(ctx.spec)["activation_env"])
        notes.append(
            "pixi cannot install pixi.lock from local files: the embedded engine installed "
            "npinit.lock's section (the same records) into .pixi/envs/default"
        )
    else:
        from npinit.managers.conda_engine import write_variables

        variables = conda.variables_of(ctx.spec)
        write_variables(prefix, variables)
    if any(p.source == "pypi" for p in section.packages):
        folder = workdir / "bundle" / PYPI_VIEW
        install_hashed(ctx, python, section, workdir, find_uv(ctx), find_links=folder)
    how = (
        conda.activate(ctx.windows)
        if front_end
        else (f"{python.relative_to(ctx.project)} runs it directly")
    )
    return CreatedEnvironment(prefix, python, front_end or "py-rattler", how, variables), notes


def explicit_offline_command(exe: str, prefix: Path, explicit: Path) -> list[str]:
    """The front-end's ``create`` of an ``@EXPLICIT`` file, told to use no network."""
    from npinit.managers.conda import explicit_command

    return [*explicit_command(exe, prefix, explicit), "--offline"]


def _explicit(
    ctx: CreateContext,
    section: Snapshot,
    workdir: Path,
    view: dict[tuple[str, str], Path],
    tool: str,
    prefix: Path,
) -> None:
    """conda, mamba or micromamba: an ``@EXPLICIT`` file whose URLs are the checked files'
    links (absolute ``file://`` URLs, made here), each with its locked hash."""
    from npinit.record.export import conda_explicit

    local = tuple(
        p._replace(url=view[p.key].as_uri()) for p in section.packages if p.source == "conda"
    )
    explicit = workdir / f"explicit-{section.platform}.txt"
    explicit.write_text(conda_explicit(section.with_packages(local))[0], "utf-8")
    exe = ctx.which(tool)
    assert exe is not None
    ctx.run(
        explicit_offline_command(exe, prefix, explicit),
        cwd=ctx.project,
        env=ctx.environ,
        what=f"{tool} create --offline",
    )


def _embedded(
    packages: list[Package], view: dict[tuple[str, str], Path], prefix: Path, workdir: Path
) -> None:
    """py-rattler installs each archive as it is (its record read from the archive itself,
    its channel the lock's); nothing is fetched and no repodata is read."""
    import asyncio

    from npinit.errors import Failure
    from npinit.record.resolve_conda import install as rattler_install
    from npinit.record.resolve_conda import require_rattler

    rattler = require_rattler()

    async def read() -> list[Any]:
        return list(
            await asyncio.gather(
                *(rattler.RepoDataRecord.from_package_archive(str(view[p.key])) for p in packages)
            )
        )

    records = asyncio.run(read())
    for package, record in zip(packages, records, strict=True):
        sha256 = record.sha256.hex() if record.sha256 else ""
        if package.sha256 and sha256 != package.sha256:
            raise Failure(f"{file_name(package)} changed while installing", "check the bundle")
        record.channel = _channel_url(package)  # what conda-meta records: the lock's channel
    rattler_install(records, prefix, cache=workdir)
