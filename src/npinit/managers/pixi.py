"""pixi: pixi.toml on conda-forge for several platforms, the BLAS selected per platform
(``[target.<platform>.dependencies]``), thread variables in ``[activation.env]``, a test task."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from npinit.knowledge.blas import pixi_tables
from npinit.managers.common import DEV_PACKAGES, SYNC, package_cache, python_matchspec, source_of
from npinit.model import (
    ENV_PREFIXES,
    CreateContext,
    CreatedEnvironment,
    Manager,
    Platform,
    ProjectSpec,
    Source,
    interpreter_in,
)
from npinit.record.relock import FRESH, Keep
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


def _specs(
    project: Path, path: Path | None = None
) -> tuple[list[str], dict[str, list[str]], list[str]]:
    """A pixi manifest's common specs, per-platform specs and channels, as conda match
    specs: pixi.toml (or ``path``: the file npinit init recorded, a pixi.toml elsewhere or a
    pyproject.toml's ``[tool.pixi]``), with the features of its default environment."""
    import tomllib

    from npinit.editing.adopt_read import pixi_manifest
    from npinit.errors import InvalidInput
    from npinit.reading import parse_bounded, read_regular

    path = path or project / FILE
    try:
        text = read_regular(path, path.name).decode("utf-8")
        whole = parse_bounded(tomllib.loads, text, str(path))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise InvalidInput(f"{path} is not valid TOML ({error})", "fix it") from None

    def specs(table: dict[str, Any]) -> list[str]:
        found = []
        for name, value in table.items():
            if isinstance(value, dict):
                _plain_spec(name, value, path.name)
                version, build = value.get("version", "*"), value.get("build", "")
            else:
                version, build = str(value), ""
            found.append(" ".join(x for x in (name, version, build) if x))
        return found

    lockable(whole, path.name)
    doc = pixi_manifest(whole)
    workspace = doc.get("workspace") or doc.get("project") or {}
    default = (doc.get("environments") or {}).get("default") or []
    names = default.get("features", []) if isinstance(default, dict) else default
    bodies = [doc, *((doc.get("feature") or {}).get(name) or {} for name in names)]
    common: list[str] = []
    targets: dict[str, list[str]] = {}
    for body in bodies:
        common += specs(body.get("dependencies") or {})
        for platform, target in (body.get("target") or {}).items():
            targets.setdefault(platform, []).extend(specs(target.get("dependencies") or {}))
    return common, targets, list(workspace.get("channels", CHANNELS))


def read_specs(path: Path) -> tuple[list[str], list[str]]:
    """The manifest's channels and its common conda specs (for choosing pins)."""
    common, _, channels = _specs(path.parent, path)
    return channels, common


# what npinit's solve reads or what does not change a resolution; any other table is refused
_TABLES = {"workspace", "project", "dependencies", "target", "activation", "tasks"}
_TARGET_TABLES = {"dependencies", "activation", "tasks"}
# what pixi installs from PyPI out of a pyproject.toml's own tables
PYPI_KEYS = ("dependencies", "optional-dependencies")


def lockable(doc: dict[str, Any], name: str = FILE) -> None:
    """InvalidInput (exit 2) naming a table of pixi.toml that npinit cannot lock (pixi's
    ``[pypi-dependencies]``, ``[feature.*]``, ``[environments]``, ...): never dropped. In a
    pyproject.toml (``name``), the tables of ``[tool.pixi]``, and the PyPI dependencies pixi
    takes from the pyproject itself (``[project]``'s, optional ones, dependency groups)."""
    from npinit.errors import InvalidInput

    pixi = doc.get("tool", {}).get("pixi") if name == "pyproject.toml" else None
    body, prefix = (pixi, "tool.pixi.") if isinstance(pixi, dict) else (doc, "")
    unknown = [f"[{prefix}{table}]" for table in body if table not in _TABLES]
    for platform, target in (body.get("target") or {}).items():
        if isinstance(target, dict):
            unknown += [
                f"[{prefix}target.{platform}.{n}]" for n in target if n not in _TARGET_TABLES
            ]
    unknown += _solve_settings(body, prefix)
    if prefix:
        project = doc.get("project") or {}
        unknown += [f"[project.{key}]" for key in PYPI_KEYS if project.get(key)]
        unknown += ["[dependency-groups]"] if doc.get("dependency-groups") else []
    if unknown:
        raise InvalidInput(
            f"{name} has {', '.join(sorted(unknown))}, which npinit cannot lock",
            "lock it with pixi itself (pixi lock), or keep to "
            f"[{prefix}dependencies] and [{prefix}target.<platform>.dependencies]",
        )


# workspace settings that change what a solve picks: npinit's solve does not apply them
_SOLVE_SETTINGS = ["channel-priority", "solve-strategy", "exclude-newer", "build-variants"]
_SOLVE_SETTINGS += ["pypi-options", "conda-pypi-map"]


def _plain_spec(name: str, value: dict[str, Any], file: str) -> None:
    """InvalidInput naming a dependency whose table says more than a version and a build
    (a ``channel``, a ``url``, a ``path``...): npinit's solve would drop it."""
    from npinit.errors import InvalidInput

    extra = sorted(set(value) - {"version", "build"})
    if extra:
        raise InvalidInput(
            f"{file}: the dependency {name} has {', '.join(extra)}, which npinit cannot lock",
            "lock it with pixi itself (pixi lock), or give it as a version and a build only",
        )


def _solve_settings(body: dict[str, Any], prefix: str) -> list[str]:
    """The workspace's settings that change a solve (``solve-strategy``, ...), named."""
    key = "workspace" if "workspace" in body else "project"
    table = body.get(key) or {}
    return [f"{prefix}{key}.{name}" for name in _SOLVE_SETTINGS if name in table]


def lock_inputs(project: Path, spec: ProjectSpec) -> list[str]:
    """The channels, the specs (common and per platform) and the workspace's platforms."""
    path = source_of(project, spec, FILE)
    common, targets, channels = _specs(project, path)
    lines = [f"channel {c}" for c in channels] + common
    for platform, specs in sorted(targets.items()):
        lines += [f"{platform}: {spec}" for spec in specs]
    return lines + _listed_platforms(path)


def _listed_platforms(path: Path) -> list[str]:
    """The workspace's ``platforms`` as one input line (none when it lists none)."""
    import tomllib

    from npinit.editing.adopt_read import pixi_manifest
    from npinit.reading import parse_bounded, read_regular

    text = read_regular(path, path.name).decode("utf-8")
    doc = pixi_manifest(parse_bounded(tomllib.loads, text, str(path)))
    workspace = doc.get("workspace") or doc.get("project") or {}
    listed = workspace.get("platforms") if isinstance(workspace, dict) else None
    return ["platforms: " + ", ".join(str(p) for p in listed)] if isinstance(listed, list) else []


def lock(
    ctx: CreateContext, platforms: list[Platform], workdir: Path, keep: Keep = FRESH
) -> tuple[dict[Platform, Snapshot], dict[str, Path]]:
    """py-rattler solves every platform; the solution is also written as pixi.lock (with
    ``rattler.LockFile``), so ``pixi install --frozen`` installs the same packages."""
    from npinit.managers.conda_engine import channel_urls
    from npinit.record.resolve_conda import require_rattler, solve

    rattler = require_rattler()  # a missing py-rattler is one line, exit 3

    common, targets, channels = _specs(ctx.project, source_of(ctx.project, ctx.spec, FILE))
    urls = channel_urls(channels, ctx.channel_alias)
    ctx.progress(f"Solving {FILE} for {', '.join(p.value for p in platforms)} with py-rattler")
    pin = [python_matchspec(ctx.spec)]  # the Python .npinit.toml records, on every platform
    wanted = {p: common + targets.get(p.value, []) + pin for p in platforms}

    def kept(platform: Platform) -> list[Package]:
        return keep.kept(platform.value, Source.CONDA)

    solved = solve(
        wanted,
        urls,
        cache=package_cache(ctx.environ),
        environ=ctx.environ,
        keep=kept,
        alias=ctx.channel_alias,
    )
    lock_file = rattler.LockFile([rattler.LockPlatform(p.value) for p in platforms])
    canonical = channel_urls(channels, None)  # the alias is where they were read from
    lock_file.set_channels("default", [rattler.LockChannel(url) for url in canonical])
    for platform in platforms:
        for record in solved[platform][1]:
            lock_file.add_conda_package("default", rattler.LockPlatform(platform.value), record)
    written = workdir / "pixi.lock"
    lock_file.to_path(written)
    return {p: solved[p][0] for p in platforms}, {"pixi.lock": written}


def native_lock(
    project: Path, python: str, platforms: list[Platform]
) -> tuple[str, dict[Platform, Snapshot]]:
    """pixi.lock's conda records of each platform (its default environment), as sections."""
    from npinit.errors import InvalidInput
    from npinit.record.resolve_conda import require_rattler, section

    rattler = require_rattler()
    try:
        lock = rattler.LockFile.from_path(project / NATIVE_LOCK)
        env = lock.default_environment()
        if env is None:
            raise ValueError("it has no default environment")
        owned = {str(p.name): p for p in env.platforms()}
        records = {
            p: env.conda_repodata_records_for_platform(owned[p.value]) or []
            for p in platforms
            if p.value in owned
        }
    except Exception as error:  # rattler's parse errors are its own types
        reason = " ".join(str(error).split())[:200]
        raise InvalidInput(
            f"{NATIVE_LOCK} cannot be read ({reason})", "lock again with npinit lock"
        ) from None
    return NATIVE_LOCK, {p: section(p, list(rs)) for p, rs in records.items()}


def install(ctx: CreateContext, section: Snapshot, workdir: Path) -> CreatedEnvironment:
    """``pixi install --frozen``: exactly pixi.lock."""
    from npinit.errors import ToolMissing

    pixi = ctx.which("pixi")
    if pixi is None:
        raise ToolMissing("pixi is not installed", "install it from https://pixi.sh")
    ctx.progress("Installing pixi.lock with pixi install --frozen")
    ctx.run(
        [pixi, *SYNC[Manager.PIXI], "--manifest-path", ctx.project / FILE],
        cwd=ctx.project,
        env=ctx.environ,
        what="pixi install --frozen",
    )
    prefix = ctx.project / ENV_PREFIXES[ENV_DIR]
    return CreatedEnvironment(
        prefix,
        interpreter_in(prefix, ctx.windows, "conda"),
        "pixi",
        activate(ctx.windows),
        env_vars=dict(manifest(ctx.spec)["activation_env"]),
    )
