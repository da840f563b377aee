"""Which environment a command means: ``--prefix``, ``--python``, or the current project's."""

# no __future__ annotations: typing.NamedTuple compiles an annotation string (test_imports)

from pathlib import Path
from typing import NamedTuple

from npinit.errors import InvalidInput
from npinit.model import ENV_PREFIXES, EnvKind, Manager, Platform
from npinit.record.snapshot import Snapshot, read_prefix, read_sites, unknown_blas, wheel_blas
from npinit.tomlio import find_project

_ASK = (
    "import json, site, sys, platform;"
    "print(json.dumps({'prefix': sys.prefix, 'version': platform.python_version(),"
    "'implementation': sys.implementation.name + ('-freethreading' if 't' in "
    "getattr(sys, 'abiflags', '') else ''), 'site': site.getsitepackages()}))"
)


class Target(NamedTuple):
    """An environment to read, and the lock that belongs to it."""

    prefix: Path | None
    python: Path | None
    lock: Path


def project_environment(project: Path, conda_envs_dirs: list[Path]) -> Path | None:
    """The environment a generated project uses: ``.venv``, ``.conda``, pixi's default
    environment, or the conda env named in its environment.yml under one of
    ``conda_envs_dirs``."""
    for name in ENV_PREFIXES.values():
        if (project / name).is_dir():
            return project / name
    from npinit.tomlio import read_answers

    answers = read_answers(project)
    manifest = project / str(answers.get("file") or "pixi.toml")
    nested = manifest.parent / ENV_PREFIXES[Manager.PIXI.env_dir]  # pixi's, by its manifest
    if answers.get("manager") == Manager.PIXI.value and nested.is_dir():
        return nested
    name = str(answers.get("name", ""))
    for envs in conda_envs_dirs:
        if name and (envs / name / "conda-meta").is_dir():
            return envs / name
    return None


def resolve(
    prefix: Path | None,
    python: Path | None,
    lock: Path | None,
    cwd: Path,
    conda_envs_dirs: list[Path],
) -> Target:
    """Fill in what the user did not say from the project around ``cwd``."""
    if prefix is not None and python is not None:
        raise InvalidInput("--prefix and --python name two environments", "give one of them")
    project = find_project(cwd)
    if prefix is None and python is None:
        if project is None:
            raise InvalidInput(
                "no environment given and no npinit project here",
                "give --prefix PATH (a conda prefix or venv) or --python PATH",
            )
        prefix = project_environment(project, conda_envs_dirs)
        if prefix is None:
            raise InvalidInput(
                f"the project at {project} has no environment yet",
                "create it (see its README), or give --prefix or --python",
            )
    default_lock = (project or cwd) / "npinit.lock"
    return Target(prefix=prefix, python=python, lock=lock or default_lock)


def read_python(python: Path, current_platform: Platform | None) -> Snapshot:
    """Snapshot the environment of any interpreter (one small subprocess asks it where)."""
    if not python.exists():
        raise InvalidInput(f"{python} does not exist", "give the path of a Python interpreter")
    import json

    from npinit.errors import Failure
    from npinit.reading import parse_bounded
    from npinit.runner import run

    try:
        result = run([python, "-I", "-c", _ASK], timeout=60, what=str(python))
        info = parse_bounded(json.loads, result.stdout, str(python))
        if not isinstance(info, dict):
            raise ValueError(info)
    except (Failure, ValueError, InvalidInput):
        raise InvalidInput(f"{python} is not a working Python interpreter", "") from None
    prefix = Path(info["prefix"])
    if (prefix / "conda-meta").is_dir() or (prefix / "pyvenv.cfg").is_file():
        return read_prefix(prefix, current_platform)
    sites = [site for site in map(Path, info["site"]) if site.is_dir()]
    packages, warnings = read_sites(sites, set(), None)
    snapshot = Snapshot(
        kind=EnvKind.PYTHON,
        python=info["version"],
        implementation=info["implementation"],
        platform=current_platform.value if current_platform else "unknown",
        packages=(),
        blas=wheel_blas(sites, packages) or unknown_blas(packages),
        warnings=tuple(warnings),
        prefix=prefix,
    )
    return snapshot.with_packages(tuple(packages))
