"""What the managers share (installing a section with hashes, finding uv, the project's
Python, what a pyproject's lock is resolved from). Every manager imports it; it imports no
manager, and the registry (:mod:`npinit.managers`) is not needed to use it."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from npinit.model import LOCK_FILE, Manager
from npinit.model_create import CreateContext
from npinit.model_spec import ProjectSpec

if TYPE_CHECKING:  # create starts uv venv (managers.pip.start_venv) before the lock loads
    from npinit.record.snapshot import Snapshot

DEV_PACKAGES = ("pytest", "threadpoolctl")
# what installs exactly the manager's own lock: create runs it, and so does the CI job
SYNC = {
    Manager.UV: ("sync", "--locked"),
    Manager.POETRY: ("sync", "--no-interaction"),
    Manager.PIXI: ("install", "--frozen"),
}


def source_of(project: Path, spec: ProjectSpec, default: str) -> Path:
    """The manager's file: the one ``npinit init`` recorded, else ``default`` (its usual name)."""
    return project / (spec.source or default)


def package_cache(environ: Mapping[str, str]) -> Path:
    """Where py-rattler keeps downloaded packages and repodata: npinit's cache folder."""
    from npinit.machine import cache_dir

    return cache_dir(environ)


def find_uv_or_fail(ctx: CreateContext) -> str:
    """uv, or ToolMissing (exit 3)."""
    from npinit.errors import ToolMissing

    uv = find_uv(ctx)
    if uv is None:
        raise ToolMissing(
            "uv is not installed (or is older than 0.6.15)", "install it: pip install 'uv>=0.6.15'"
        )
    return uv


def install_hashed(
    ctx: CreateContext,
    venv_python: Path,
    section: Snapshot,
    workdir: Path | None,
    uv: str | None,
    find_links: Path | None = None,
    ready: Callable[[], None] | None = None,
) -> str:
    """Install the section's PyPI packages into an existing environment, exactly: every file
    checked against its locked hash, no dependency resolved (uv pip sync, or pip with
    ``--require-hashes --no-deps``), from the indexes the project's lock was resolved with
    (its requirement lines' ``--index-url``, ``--extra-index-url``, ``--find-links``,
    ``--no-index``, ``--trusted-host``). uv reads those requirements on its stdin; pip from
    a file in ``workdir`` (None will do with uv: nothing is written). ``find_links``:
    offline, from that folder only (no index, no configuration). ``ready``: called once the
    requirements are made, before the installer runs (create waits there for the venv uv
    makes meanwhile). Returns the installer's name."""
    text = _hashed(ctx, section, find_links)
    if ready is not None:
        ready()
    env = {k: v for k, v in ctx.environ.items() if k != "VIRTUAL_ENV"}
    offline: list[str | Path] = []
    if find_links is not None:
        env, offline = offline_environ(env), ["--no-index", "--find-links", find_links]
        offline += ["--offline", "--no-config"] if uv else ["--isolated"]
    given: str | None = None
    if uv:
        tool, given = "uv", text
        cmd: list[str | Path] = [uv, "pip", "sync", "--quiet", "--require-hashes", *offline]
        cmd += ["--python", venv_python, "-"]  # `-`: the requirements, on its stdin
    else:
        tool = "pip"
        if ctx.existing:
            _remove_unlocked(ctx, venv_python, section, env)
        if workdir is None:
            raise ValueError("pip installs from a requirements file: give a work folder")
        requirements = workdir / "locked-requirements.txt"
        requirements.write_text(text, "utf-8")
        cmd = [venv_python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        cmd += [*offline, "--require-hashes", "--no-deps", "-r", requirements]
    ctx.progress(f"Installing {len(section.packages)} locked packages with {tool}")
    result = ctx.run(
        cmd, cwd=ctx.project, env=env, what=f"{tool} install", check=False, given=given
    )
    if result.returncode != 0:
        from npinit.errors import Failure

        output = f"{result.stderr}\n{result.stdout}"
        if "hash mismatch" in output.lower() or "do not match the hashes" in output.lower():
            raise Failure(
                f"hash mismatch: a downloaded file does not match the lock ({tool} refused it)",
                "the lock was altered or the index serves another file; lock again if you "
                "trust the index",
            )
        last = (output.strip().splitlines() or ["no output"])[-1]
        raise Failure(f"{tool} could not install the lock: {last.strip()[:300]}", "")
    return tool


def _hashed(ctx: CreateContext, section: Snapshot, find_links: Path | None) -> str:
    """The requirements :func:`install_hashed` installs: every locked hash of each package,
    after the index options of the project's lock; offline (``find_links``), none, and
    every package a file (never a URL: the folder holds it)."""
    from npinit.record.export import lock_index_options, requirements

    if find_links is not None:
        offline = tuple(p._replace(requested_url="") for p in section.packages)
        return requirements(section.with_packages(offline))[0]
    lock = ctx.project / LOCK_FILE
    options = lock_index_options(lock, ctx.project) if lock.is_file() else []
    return requirements(section, options)[0]


def offline_environ(environ: Mapping[str, str]) -> dict[str, str]:
    """``environ`` for an installer that must read nothing but the files it is given: no
    ``PIP_*``/``UV_*`` setting (an index, find-links, a constraint), no pip or uv
    configuration file."""
    env = {k: v for k, v in environ.items() if not k.startswith(("PIP_", "UV_"))}
    return {**env, "PIP_CONFIG_FILE": os.devnull, "UV_NO_CONFIG": "1", "UV_OFFLINE": "1"}


def _remove_unlocked(
    ctx: CreateContext, venv_python: Path, section: Snapshot, env: dict[str, str]
) -> None:
    """pip has no sync: uninstall what an existing environment has and the lock does not
    (pip's own seed packages stay, as verify ignores them)."""
    from npinit.record.snapshot import read_prefix
    from npinit.record.verify import SEED

    locked = {p.key for p in section.packages}
    folder = Path(venv_python).parent
    prefix = folder.parent if folder.name in ("bin", "Scripts") else folder
    installed = read_prefix(prefix, None)
    extra = sorted(
        p.name
        for p in installed.packages
        if p.key not in locked and p.key not in SEED and p.source == "pypi"
    )
    if extra:
        ctx.progress(f"Removing {len(extra)} packages the lock does not have")
        ctx.run(
            [venv_python, "-m", "pip", "uninstall", "--yes", "--quiet", *extra],
            cwd=ctx.project,
            env=env,
            what="pip uninstall",
        )


def read_pyproject(project: Path) -> dict[str, Any]:
    """The project's pyproject.toml, parsed (exit 2 naming it when it is not TOML)."""
    import tomllib

    from npinit.errors import InvalidInput
    from npinit.reading import parse_bounded, read_text

    path = project / "pyproject.toml"
    try:
        return parse_bounded(tomllib.loads, read_text(path, path.name), str(path))
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput(f"{path} is not valid TOML ({error})", "fix it") from None


def pyproject_inputs(project: Path) -> list[str]:
    """What a pyproject.toml's lock is resolved from: requires-python, the dependencies,
    the dependency groups and Poetry's dependency tables."""
    import tomllib

    from npinit.errors import InvalidInput
    from npinit.reading import parse_bounded, read_regular

    try:
        path = project / "pyproject.toml"
        doc = parse_bounded(tomllib.loads, read_regular(path, path.name).decode(), str(path))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise InvalidInput(
            f"{project / 'pyproject.toml'} is not valid TOML ({error})", ""
        ) from None
    table = doc.get("project", {})
    lines = [f"requires-python {table.get('requires-python', '')}"]
    lines += [str(d) for d in table.get("dependencies", [])]
    for group, deps in sorted(doc.get("dependency-groups", {}).items()):
        lines += [f"{group}: {d}" for d in deps if isinstance(d, str)]
    poetry = doc.get("tool", {}).get("poetry", {})
    for name, spec in sorted(poetry.get("dependencies", {}).items()):
        lines.append(f"poetry: {name} {spec}")
    for group, body in sorted(poetry.get("group", {}).items()):
        for name, spec in sorted(body.get("dependencies", {}).items()):
            lines.append(f"poetry {group}: {name} {spec}")
    return lines + _more_pyproject_inputs(doc)


def _more_pyproject_inputs(doc: dict[str, Any]) -> list[str]:
    """The rest of a pyproject that changes a resolution: optional dependencies, dependency
    groups that include others, ``[tool.uv]`` (sources, indexes, environments, ...), and
    Poetry's sources and extras; each as one line of sorted JSON."""
    import json

    tool = doc.get("tool", {})
    tables = {
        "optional-dependencies": doc.get("project", {}).get("optional-dependencies"),
        "dependency-groups": {
            k: [d for d in v if not isinstance(d, str)]
            for k, v in doc.get("dependency-groups", {}).items()
            if any(not isinstance(d, str) for d in v)
        },
        "tool.uv": tool.get("uv"),
        "tool.poetry.source": tool.get("poetry", {}).get("source"),
        "tool.poetry.extras": tool.get("poetry", {}).get("extras"),
    }
    return [
        f"{name}: {json.dumps(value, sort_keys=True, default=str)}"
        for name, value in tables.items()
        if value
    ]


def requires_python(spec: ProjectSpec) -> str:
    """The one Python minor the project was pinned for, as a PEP 440 range (a free-threaded
    ``3.14t`` is ``>=3.14,<3.15`` too: PEP 440 has no ABI; uv's .python-version says ``t``)."""
    from npinit.editing.pythons import minor_range

    return minor_range(spec.python)


def pyproject_manifest(spec: ProjectSpec, file: str, **more: Any) -> dict[str, Any]:
    """A PEP 621 pyproject.toml's manifest (Poetry 2 and uv alike): NumPy pinned exactly and
    the --with packages, requires-python, the dev group, and ``more`` (uv's environments)."""
    dependencies = [f"numpy=={spec.numpy}", *spec.with_packages]
    return {
        "file": file,
        "requires_python": requires_python(spec),
        "dependencies": dependencies,
        "dev_dependencies": list(DEV_PACKAGES),
        **more,
        "spec_lines": dependencies,
    }


def python_matchspec(spec: ProjectSpec) -> str:
    """The conda spec of the Python the project records: every platform is solved for it,
    whatever range the manager's file allows (``3.14t``: the free-threaded build)."""
    minor = spec.python.removesuffix("t")
    name = "python-freethreading" if spec.python.endswith("t") else "python"
    return f"{name} {minor}.*"


def project_python(ctx: CreateContext) -> Path:
    """An interpreter of the project's Python on this machine (ToolMissing, exit 3, if none)."""
    from npinit.interpreters import find_python

    home = ctx.environ.get("HOME", "~")
    pyenv = ctx.environ.get("PYENV_ROOT") or str(Path(home) / ".pyenv")
    return find_python(
        ctx.spec.python,
        path=ctx.environ.get("PATH"),
        pyenv_root=Path(pyenv),
        windows=ctx.windows,
        run=ctx.run,
    )


# the first uv whose `uv pip compile -o pylock.*.toml` writes PEP 751 (0.6.14 refuses the
# name, 0.5 writes requirements text into it): npinit's requirement says `uv>=0.6.15` too
UV_MINIMUM = (0, 6, 15)


def find_uv(ctx: CreateContext) -> str | None:
    """:func:`locate_uv` for an environment being built."""

    def version(uv: str) -> str:
        cmd = [uv, "--version"]
        return str(ctx.run(cmd, cwd=ctx.project, env=ctx.environ, what="uv", check=False).stdout)

    return locate_uv(ctx.environ, ctx.windows, ctx.which, version)


def locate_uv(
    environ: Mapping[str, str],
    windows: bool,
    which: Callable[[str], str | None],
    version: Callable[[str], str],
) -> str | None:
    """``NPINIT_UV`` when given (a test's stand-in, a custom build), else the uv installed
    with npinit (the PyPI package ``uv``, held to ``UV_MINIMUM`` by npinit's requirements),
    else a uv on PATH (``which``) whose ``uv --version`` (``version``) is at least
    ``UV_MINIMUM``."""
    if environ.get("NPINIT_UV"):
        return environ["NPINIT_UV"]
    packaged = packaged_uv(windows)
    if packaged is not None:
        return packaged
    found = which("uv")
    return found if found and _uv_version(version(found)) >= UV_MINIMUM else None


def packaged_uv(windows: bool) -> str | None:
    """The binary of the PyPI package ``uv`` (``uv.find_uv_bin()``), None when the package is
    not installed. Plainly in a venv whose own site-packages hold the package, that is the
    venv's ``bin/uv``, the first place find_uv_bin looks (the venv scheme's scripts folder):
    taken from there without loading the package and sysconfig (test_find_uv holds both ways
    to the same answer). Otherwise (on Windows too: ``windows``), and once the package is
    loaded, find_uv_bin answers."""
    import sys

    if "uv" not in sys.modules and not windows and sys.prefix != sys.base_prefix:
        from importlib.machinery import PathFinder

        spec = PathFinder.find_spec("uv")
        binary = os.path.join(sys.prefix, "bin", "uv")
        origin = spec.origin if spec is not None else None
        if origin and origin.startswith(sys.prefix + os.sep) and os.path.isfile(binary):
            return binary
    try:
        from uv import find_uv_bin

        return str(find_uv_bin())
    except (ImportError, FileNotFoundError):
        return None


def _uv_version(output: str) -> tuple[int, ...]:
    """``uv --version``'s output as numbers ((0,) when it does not answer as uv does)."""
    words = output.split()
    try:
        return tuple(int(part) for part in words[1].split("."))
    except (IndexError, ValueError):
        return (0,)
