"""pixi: pixi.toml on conda-forge for several platforms, the BLAS selected per platform
(``[target.<platform>.dependencies]``), thread variables in ``[activation.env]``, a test task."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from npinit.editing import adopt_pixi
from npinit.editing.adopt_pixi import PixiEnvironment
from npinit.knowledge.blas import pixi_tables
from npinit.managers.common import DEV_PACKAGES, SYNC, package_cache, python_matchspec, source_of
from npinit.managers.pixi_lock import editable_locations, index_url, pypi_records, with_pypi
from npinit.managers.pixi_lock import write as write_pixi_lock
from npinit.model import ENV_PREFIXES, Manager, Platform, interpreter_in
from npinit.model_create import CreateContext, CreatedEnvironment
from npinit.model_spec import ProjectSpec
from npinit.record.relock import FRESH, Keep
from npinit.record.resolve_pixi_pypi import LockedPypi, with_metadata
from npinit.record.snapshot import Package, Snapshot
from npinit.spec import THREAD_VARIABLES

FILE = "pixi.toml"
ENV_DIR = Manager.PIXI.env_dir
NATIVE_LOCK = "pixi.lock"
CHANNELS = ["conda-forge"]


def _with(spec_text: str) -> tuple[str, str]:
    """``scipy``, ``scipy=1.14``, ``scipy>=1.14`` -> (name, pixi version spec), read by
    :mod:`npinit.matchspec`."""
    from npinit.matchspec import parse

    spec = parse(spec_text)
    assert spec is not None  # validated by spec.check_with
    return spec.name, spec.nameless


def dependencies(spec: ProjectSpec) -> dict[str, str]:
    python = spec.python.removesuffix("t")
    key = "python-freethreading" if spec.python.endswith("t") else "python"
    deps = {key: f"{python}.*", "numpy": f"=={spec.numpy}"}
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


def activate(windows: bool) -> str:
    """pixi starts a shell in the environment."""
    return "pixi shell"


def read_specs(path: Path) -> tuple[list[str], list[str]]:
    """The default environment's channels and its common conda specs (for choosing pins);
    what npinit cannot lock is refused here (``adopt_pixi.lockable``)."""
    default = adopt_pixi.manifest_environments(path)[0]
    return list(default.channels), default.common


def lock_inputs(project: Path, spec: ProjectSpec) -> list[str]:
    """The channels, the specs (common and per platform), the workspace's platforms, and
    every feature's and environment's (``adopt_pixi.input_lines``)."""
    return adopt_pixi.input_lines(source_of(project, spec, FILE))


def lock(
    ctx: CreateContext, platforms: list[Platform], workdir: Path, keep: Keep = FRESH
) -> tuple[dict[Platform, Snapshot], dict[str, Path]]:
    """py-rattler solves every environment of the manifest on each of its platforms (the
    default one pinned to the recorded Python, on ``platforms``: npinit.lock's sections);
    all are written as pixi.lock (with ``rattler.LockFile``), so ``pixi install --frozen``
    (``-e NAME``) installs the same packages."""
    from npinit.errors import InvalidInput
    from npinit.record.resolve_conda import require_rattler, section

    require_rattler()  # a missing py-rattler is one line, exit 3
    found = adopt_pixi.manifest_environments(source_of(ctx.project, ctx.spec, FILE))
    names = [p.value for p in platforms]
    ctx.progress(f"Solving {FILE} for {', '.join(names)} with py-rattler")
    pin = [python_matchspec(ctx.spec)]  # the Python .npinit.toml records, on every platform
    missing = [p for p in names if p not in found[0].on(names)]
    if missing:
        raise InvalidInput(
            f"{FILE}'s default environment does not have {', '.join(missing)} (its features' "
            "platforms leave it out)",
            "record only its platforms (npinit set --platform), or widen the features'",
        )
    solved: dict[str, tuple[PixiEnvironment, dict[Platform, list[Any]]]] = {}
    for group in adopt_pixi.solve_groups(found):
        solved.update(_solve_group(ctx, group, names, pin, keep))
    pypi = {
        name: _pypi(ctx, env, result, workdir, _group_keep(ctx, [env], keep))
        for name, (env, result) in solved.items()
    }
    if any(pypi.values()):
        ctx.progress("Reading the PyPI wheels' requirements (their METADATA) for pixi.lock")
        pypi = with_metadata(pypi)
    # pixi writes a channel as a base URL ending in "/" (rattler's ChannelUrl)
    channels = {
        name: ([u.rstrip("/") + "/" for u in _urls(env, None)], result)
        for name, (env, result) in solved.items()
    }
    written = workdir / "pixi.lock"
    write_pixi_lock(written, channels, pypi, index_url(ctx.environ))
    default, on_pypi = solved[adopt_pixi.DEFAULT][1], pypi[adopt_pixi.DEFAULT]
    sections = {p: with_pypi(section(p, default[p]), on_pypi.get(p, [])) for p in platforms}
    return sections, {lock_name(ctx.spec.source): written}


def _pypi(
    ctx: CreateContext,
    env: PixiEnvironment,
    result: dict[Platform, list[Any]],
    workdir: Path,
    keep: Keep,
) -> dict[Platform, list[LockedPypi]]:
    """The environment's PyPI packages on each platform: its PyPI dependencies there
    resolved by uv with the conda solve's Python packages fixed (none: no uv run),
    preferring the versions ``keep`` holds (npinit.lock's for the default environment,
    the previous pixi.lock's for the others)."""
    from npinit.errors import InvalidInput
    from npinit.managers.common import find_uv_or_fail
    from npinit.record.resolve_pixi_pypi import resolve

    manifest_path = source_of(ctx.project, ctx.spec, FILE)
    found = {}
    for platform, records in result.items():
        entries = env.pypi_entries(platform.value, manifest_path.name)
        if not entries:
            continue
        ctx.progress(f"Resolving {env.name}'s PyPI dependencies for {platform.value} with uv")
        try:
            found[platform] = resolve(
                entries,
                records,
                platform,
                folder=manifest_path.parent,
                uv=find_uv_or_fail(ctx),
                environ=ctx.environ,
                workdir=workdir / "pixi-pypi" / env.name / platform.value,
                run=ctx.run,
                prefer=keep.pylock_preferences([platform.value]),
            )
        except InvalidInput as error:
            where = "" if env.name == adopt_pixi.DEFAULT else f"pixi environment {env.name!r}: "
            raise InvalidInput(where + error.message, error.hint) from None
    return found


def lock_name(source: str | None) -> str:
    """Where pixi reads its lock, in the project: next to the manifest (``python/pixi.lock``
    for ``python/pixi.toml``), as pixi keeps its ``.pixi`` folder there too."""
    from pathlib import PurePosixPath

    return (PurePosixPath(source or FILE).parent / NATIVE_LOCK).as_posix()


def _manifest_folder(project: Path) -> Path:
    """The folder of the manifest ``npinit init`` recorded (the project's top by default)."""
    from npinit.tomlio import read_answers

    return (project / str(read_answers(project).get("file") or FILE)).parent


def _solve_group(
    ctx: CreateContext, group: list[PixiEnvironment], names: list[str], pin: list[str], keep: Keep
) -> dict[str, tuple[PixiEnvironment, dict[Platform, list[Any]]]]:
    """pixi's solve-group: every member's specs solved together on each platform one of
    them has (the recorded Python pinned where the default environment is a member); each
    member gets the records its own specs need, followed through their dependencies."""
    on = {env.name: [Platform(p) for p in env.on(names)] for env in group}
    platforms = sorted({p for found in on.values() for p in found}, key=lambda p: p.value)
    extra = {e.name: pin if e.name == adopt_pixi.DEFAULT else [] for e in group}
    wanted: dict[Platform, list[str]] = {}
    for platform in platforms:
        specs = [s for e in group if platform in on[e.name] for s in e.for_platform(platform.value)]
        specs += [s for e in group for s in extra[e.name]]
        wanted[platform] = list(dict.fromkeys(specs))
    if not platforms:
        return {}
    channels = tuple(dict.fromkeys(c for e in group for c in e.channels))
    result = _solve(ctx, group, channels, wanted, _group_keep(ctx, group, keep))
    if len(group) == 1:  # alone, an environment is its whole solution
        return {group[0].name: (group[0], {p: result[p][1] for p in platforms})}
    return {
        e.name: (
            e,
            {p: _needed(result[p][1], e.for_platform(p.value) + extra[e.name]) for p in on[e.name]},
        )
        for e in group
    }


def _group_keep(ctx: CreateContext, group: list[PixiEnvironment], keep: Keep) -> Keep:
    """What a re-lock of another environment than the default one prefers: its records in
    the previous pixi.lock (the default one's are npinit.lock's), unless all may move."""
    from functools import cache

    if keep is FRESH or keep.upgrade_all or any(e.name == adopt_pixi.DEFAULT for e in group):
        return keep
    path = source_of(ctx.project, ctx.spec, FILE).parent / NATIVE_LOCK

    def load() -> dict[str, Snapshot]:
        from npinit.record.resolve_conda import require_rattler, section

        try:
            lock = require_rattler().LockFile.from_path(path)
        except Exception:  # no previous pixi.lock, or one rattler cannot read: keep nothing
            return {}
        found: dict[str, dict[str, Any]] = {}  # each record once, by file
        pypi: dict[str, dict[str, Package]] = {}  # and each PyPI package, by name
        for env in (lock.environment(e.name) for e in group):
            for platform in env.platforms() if env is not None else []:
                records = env.conda_repodata_records_for_platform(platform) or []
                found.setdefault(str(platform.name), {}).update({str(r.url): r for r in records})
                more = {p.name: p for p in pypi_records(env, platform, set())}
                pypi.setdefault(str(platform.name), {}).update(more)
        known = {p.value for p in Platform}
        sections = {p: section(Platform(p), list(rs.values())) for p, rs in found.items()}
        return {
            p: s.with_packages(s.packages + tuple(pypi[p].values()))
            for p, s in sections.items()
            if p in known
        }

    return keep._replace(load=cache(load))  # Keep calls it each time: read pixi.lock once


def _needed(records: list[Any], specs: list[str]) -> list[Any]:
    """The ``records`` ``specs`` need: their packages and, recursively, their dependencies."""
    from npinit.matchspec import parse

    by_name = {str(r.name.normalized): r for r in records}
    todo = [spec.name for spec in map(parse, specs) if spec is not None]
    seen: set[str] = set()
    while todo:
        name = todo.pop().lower()
        if name in seen or name not in by_name:
            continue
        seen.add(name)
        todo += [str(d).split()[0] for d in by_name[name].depends]
    return [r for r in records if str(r.name.normalized) in seen]


def _urls(env: PixiEnvironment, alias: str | None) -> list[str]:
    from npinit.managers.conda_engine import channel_urls

    return channel_urls(list(env.channels), alias)


def _solve(
    ctx: CreateContext,
    group: list[PixiEnvironment],
    channels: tuple[str, ...],
    wanted: dict[Platform, list[str]],
    keep: Keep,
) -> dict[Platform, tuple[Snapshot, list[Any]]]:
    """One environment's (or solve-group's) solution on each platform; an unsolvable one
    names it."""
    from npinit.errors import InvalidInput
    from npinit.managers.conda_engine import channel_urls
    from npinit.record.resolve_conda import solve

    try:
        return solve(
            wanted,
            channel_urls(list(channels), ctx.channel_alias),
            cache=package_cache(ctx.environ),
            environ=ctx.environ,
            keep=keep,  # the default environment keeps npinit.lock's; the others share them
            alias=ctx.channel_alias,
        )
    except InvalidInput as error:
        if [e.name for e in group] == [adopt_pixi.DEFAULT]:
            raise
        which = ", ".join(repr(e.name) for e in group)
        what = f"solve-group {group[0].solve_group!r} ({which})" if len(group) > 1 else which
        raise InvalidInput(f"pixi environment {what}: {error.message}", error.hint) from None


def native_lock(
    project: Path, python: str, platforms: list[Platform]
) -> tuple[str, dict[Platform, Snapshot]]:
    """pixi.lock's conda records of each platform (its default environment), as sections."""
    from npinit.errors import InvalidInput
    from npinit.record.resolve_conda import require_rattler, section

    rattler = require_rattler()
    where = _manifest_folder(project) / NATIVE_LOCK
    name = where.relative_to(project).as_posix()
    try:
        lock = rattler.LockFile.from_path(where)
        env = lock.default_environment()
        if env is None:
            raise ValueError("it has no default environment")
        owned = {str(p.name): p for p in env.platforms()}
        records = {
            p: env.conda_repodata_records_for_platform(owned[p.value]) or []
            for p in platforms
            if p.value in owned
        }
        editable = editable_locations(where.read_text("utf-8"))
        pypi = {p: pypi_records(env, owned[p.value], editable) for p in records}
    except Exception as error:  # rattler's parse errors are its own types
        reason = " ".join(str(error).split())[:200]
        raise InvalidInput(
            f"{name} cannot be read ({reason})", "lock again with npinit lock"
        ) from None
    sections = {p: section(p, list(rs)) for p, rs in records.items()}
    return name, {p: s.with_packages(s.packages + tuple(pypi[p])) for p, s in sections.items()}


def install(ctx: CreateContext, section: Snapshot, workdir: Path) -> CreatedEnvironment:
    """``pixi install --frozen``: exactly pixi.lock."""
    from npinit.errors import ToolMissing

    pixi = ctx.which("pixi")
    if pixi is None:
        raise ToolMissing("pixi is not installed", "install it from https://pixi.sh")
    ctx.progress("Installing pixi.lock with pixi install --frozen")
    manifest_path = source_of(ctx.project, ctx.spec, FILE)
    ctx.run(
        [pixi, *SYNC[Manager.PIXI], "--manifest-path", manifest_path],
        cwd=ctx.project,
        env=ctx.environ,
        what="pixi install --frozen",
    )
    others = _other_environments(manifest_path.parent / NATIVE_LOCK)
    if others:
        ctx.progress(
            f"pixi.lock also holds {', '.join(others)}: pixi install --frozen -e NAME installs "
            "one (npinit creates and verifies the default environment)"
        )
    prefix = manifest_path.parent / ENV_PREFIXES[ENV_DIR]  # pixi's, next to its manifest
    return CreatedEnvironment(
        prefix,
        interpreter_in(prefix, ctx.windows, "conda"),
        "pixi",
        activate(ctx.windows),
        env_vars=dict(manifest(ctx.spec)["activation_env"]),
    )


def _other_environments(path: Path) -> list[str]:
    """The environments of a pixi.lock but the default one."""
    from npinit.record.resolve_conda import require_rattler

    names = [name for name, _ in require_rattler().LockFile.from_path(path).environments()]
    return sorted(n for n in names if n != adopt_pixi.DEFAULT)
