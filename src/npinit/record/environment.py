"""An installed environment read into a :class:`~npinit.record.snapshot.Snapshot` (its files;
with ``--online`` the index's hashes, with ``--probe`` what its interpreter says): what
``lock``, ``verify``, ``create``'s check and ``doctor`` read an environment by, without the
API's result types (``lock --from-env`` and ``create`` load only this)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from npinit.model import ENV_PREFIXES, find_interpreter

if TYPE_CHECKING:
    from npinit.model import Platform
    from npinit.record.snapshot import Snapshot

_ASK = (
    "import json, site, sys, platform;"
    "print(json.dumps({'prefix': sys.prefix, 'version': platform.python_version(),"
    "'implementation': sys.implementation.name + ('-freethreading' if 't' in "
    "getattr(sys, 'abiflags', '') else ''), 'site': site.getsitepackages()}))"
)
PROBE_TIMEOUT = 30.0  # seconds an environment's interpreter gets to answer (NPINIT_PROBE_TIMEOUT)


def snapshot_environment(
    prefix: Path | None,
    python: Path | None,
    *,
    probe: bool = False,
    online: bool = False,
    index: str | None = None,
    probe_timeout: float = PROBE_TIMEOUT,
    current_platform: Platform | None = None,
) -> Snapshot:
    """Read an environment (a conda prefix or venv, or any interpreter) into a Snapshot.

    ``current_platform`` names the platform of a venv (whose files do not say it)."""
    from npinit.record import snapshot as snap

    here = current_platform
    if prefix is not None:
        result = snap.read_prefix(prefix, here)
    elif python is not None:
        result = read_python(python, here)
    else:
        raise ValueError("snapshot_environment needs a prefix or a python")
    if online:
        from npinit.record.index import DEFAULT_INDEX, add_hashes

        packages, warnings = add_hashes(result.packages, index or DEFAULT_INDEX)
        result = result._replace(packages=packages, warnings=(*result.warnings, *warnings))
    if probe:
        from npinit.record.probe import run_probe, variant_from_probe

        interpreter = python or interpreter_of(result.prefix)
        seen = run_probe(interpreter, timeout=probe_timeout)
        variant = variant_from_probe(seen)
        blas = result.blas
        if variant != "unknown" and variant != blas.variant:
            blas = snap.BlasFingerprint(
                variant, f"run-time probe ({blas.evidence or 'no static evidence'})", seen
            )
        else:
            blas = snap.BlasFingerprint(blas.variant, blas.evidence, seen)
        result = result._replace(blas=blas)
    return result


def interpreter_of(prefix: Path | None) -> Path:
    """The interpreter of an environment (InvalidInput, exit 2, when it has none)."""
    from npinit.errors import InvalidInput

    assert prefix is not None
    found = find_interpreter(prefix)
    if found is not None:
        return found
    raise InvalidInput(f"no Python interpreter in {prefix}", "the probe needs one; drop --probe")


def project_environment(project: Path, conda_envs_dirs: list[Path]) -> Path | None:
    """The environment a generated project uses: ``.venv``, ``.conda``, pixi's default
    environment, or the conda env named in its environment.yml under one of
    ``conda_envs_dirs``."""
    for name in ENV_PREFIXES.values():
        if (project / name).is_dir():
            return project / name
    from npinit.model import Manager
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


def read_python(python: Path, current_platform: Platform | None) -> Snapshot:
    """Snapshot the environment of any interpreter (one small subprocess asks it where)."""
    from npinit.errors import InvalidInput

    if not python.exists():
        raise InvalidInput(f"{python} does not exist", "give the path of a Python interpreter")
    import json

    from npinit.errors import Failure
    from npinit.model import EnvKind
    from npinit.reading import parse_bounded
    from npinit.record.snapshot import Snapshot, read_prefix, read_sites, unknown_blas, wheel_blas
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
