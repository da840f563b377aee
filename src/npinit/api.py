"""npinit's Python API: what the CLI, an IDE or a test calls. Returns results, never prints."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from npinit.model import ProjectSpec


@dataclass(frozen=True)
class NewResult:
    """A generated project: where it is, what was written, and what it pins."""

    project: Path
    files: tuple[str, ...]
    spec: ProjectSpec
    plan: dict[str, Any] = field(compare=False)

    @property
    def warnings(self) -> list[str]:
        return list(self.plan["notes"])

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` object IDEs read (schema pinned by a test)."""
        plan = self.plan
        return {
            "project": str(self.project),
            "files": list(self.files),
            "manager": plan["manager"],
            "python": plan["python"],
            "numpy": plan["numpy"],
            "blas": plan["blas"],
            "channel": plan["channel"],
            "platforms": plan["platforms"],
            "blas_by_platform": {
                platform: choice["variant"] for platform, choice in plan["blas_by_platform"].items()
            },
            "spec_file": plan["manifest"]["file"],
            "spec_lines": plan["manifest"]["spec_lines"],
            "warnings": self.warnings,
        }


def answers_for(spec: ProjectSpec) -> dict[str, str]:
    """The cookiecutter answers that render ``spec`` (every value explicit)."""
    return {
        "project_name": spec.name,
        "manager": spec.manager.value,
        "python_version": spec.python,
        "numpy_version": spec.numpy,
        "blas": spec.blas.value,
        "channel": spec.channel.value if spec.manager.value == "conda" else "conda-forge",
        "platforms": ",".join(p.value for p in spec.platforms),
        "with_packages": ",".join(spec.with_packages),
        "threads": str(spec.threads or ""),
        "description": spec.description,
        "author": spec.author,
    }


def resolve_project(
    name: str,
    *,
    manager: str = "conda",
    python: str | None = None,
    numpy: str = "latest",
    blas: str = "default",
    channel: str | None = None,
    platforms: Sequence[str] = (),
    with_packages: Sequence[str] = (),
    threads: int | None = None,
    description: str = "A NumPy project",
    author: str = "",
) -> ProjectSpec:
    """Validate answers into a spec (raises InvalidInput, exit 2, on anything wrong)."""
    from npinit.spec import build_spec, detect_platform

    return build_spec(
        name=name,
        manager=manager,
        python=python,
        numpy=numpy,
        blas=blas,
        channel=channel,
        platforms=platforms,
        with_packages=with_packages,
        threads=threads,
        description=description,
        author=author,
        current_platform=detect_platform(),
    )


def new_project(spec: ProjectSpec, output_dir: Path, *, force: bool = False) -> NewResult:
    """Write the project for ``spec`` into ``output_dir/spec.name``, atomically."""
    from npinit import scaffold
    from npinit.template_ext import plan_for

    target = output_dir / spec.name
    files = scaffold.generate(scaffold.template_dir(), answers_for(spec), target, force)
    return NewResult(project=target.resolve(), files=tuple(files), spec=spec, plan=plan_for(spec))


@dataclass(frozen=True)
class LockResult:
    """A recorded lock: where it went, its text, what it holds, what it could not hold."""

    path: Path
    format: str
    snapshot: Any
    warnings: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        snap = self.snapshot
        return {
            "lock": str(self.path),
            "format": self.format,
            "environment": {
                "kind": snap.kind,
                "python": snap.python,
                "implementation": snap.implementation,
                "platform": snap.platform,
            },
            "blas": {
                "variant": snap.blas.variant,
                "evidence": snap.blas.evidence,
                "probe": snap.blas.probe,
            },
            "packages": len(snap.packages),
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class VerifyResult:
    """The drift between an installed environment and its lock (``clean`` when none)."""

    lock: Path
    drift: Any

    @property
    def clean(self) -> bool:
        return bool(self.drift.clean)

    def to_json(self) -> dict[str, Any]:
        return {"lock": str(self.lock), **self.drift.to_json()}


DEFAULT_LOCK_NAMES = {
    "npinit": "npinit.lock",
    "pylock": "pylock.toml",
    "requirements": "requirements-lock.txt",
    "conda-explicit": "conda-explicit.txt",
}


def snapshot_environment(
    prefix: Path | None,
    python: Path | None,
    *,
    probe: bool = False,
    online: bool = False,
    index: str | None = None,
) -> Any:
    """Read an environment (a conda prefix or venv, or any interpreter) into a Snapshot."""
    from dataclasses import replace

    from npinit.record import snapshot as snap
    from npinit.record.target import read_python
    from npinit.spec import detect_platform

    here = detect_platform()
    if prefix is not None:
        result = snap.read_prefix(prefix, here)
    elif python is not None:
        result = read_python(python, here)
    else:
        raise ValueError("snapshot_environment needs a prefix or a python")
    if online:
        from npinit.record.index import DEFAULT_INDEX, add_hashes

        packages, warnings = add_hashes(result.packages, index or DEFAULT_INDEX)
        result = replace(result, packages=packages, warnings=(*result.warnings, *warnings))
    if probe:
        from npinit.record.probe import run_probe, variant_from_probe

        interpreter = python or _interpreter_of(result.prefix)
        seen = run_probe(interpreter)
        variant = variant_from_probe(seen)
        blas = result.blas
        if variant != "unknown" and variant != blas.variant:
            blas = snap.BlasFingerprint(
                variant, f"run-time probe ({blas.evidence or 'no static evidence'})", seen
            )
        else:
            blas = snap.BlasFingerprint(blas.variant, blas.evidence, seen)
        result = replace(result, blas=blas)
    return result


def _interpreter_of(prefix: Path | None) -> Path:
    from npinit.errors import InvalidInput

    assert prefix is not None
    for candidate in ("bin/python", "python.exe", "Scripts/python.exe", "bin/python3"):
        if (prefix / candidate).exists():
            return prefix / candidate
    raise InvalidInput(f"no Python interpreter in {prefix}", "the probe needs one; drop --probe")


def lock_environment(
    prefix: Path | None,
    python: Path | None,
    output: Path,
    *,
    fmt: str = "npinit",
    probe: bool = False,
    online: bool = False,
    index: str | None = None,
) -> LockResult:
    """Snapshot an environment and write its lock (atomically) in ``fmt``."""
    from npinit.record import export, lockfile
    from npinit.tomlio import atomic_write

    snapshot = snapshot_environment(prefix, python, probe=probe, online=online, index=index)
    warnings = list(snapshot.warnings)
    if fmt == "npinit":
        where = f"--prefix {prefix}" if prefix else f"--python {python}"
        text = lockfile.dumps(snapshot, regenerate=f"npinit lock {_portable(where)}")
    elif fmt == "pylock":
        text, more = export.pylock(snapshot)
        warnings += more
    elif fmt == "requirements":
        text, more = export.requirements(snapshot)
        warnings += more
    elif fmt == "conda-explicit":
        text, more = export.conda_explicit(snapshot)
        warnings += more
    else:
        from npinit.errors import InvalidInput

        raise InvalidInput(
            f"unknown lock format {fmt!r}", f"use one of {', '.join(export.FORMATS)}"
        )
    try:
        atomic_write(output, text)
    except OSError as error:
        from npinit.errors import Failure

        raise Failure(f"could not write {output}: {error.strerror or error}", "") from error
    return LockResult(output, fmt, snapshot, tuple(warnings))


def _portable(where: str) -> str:
    """Keep the regenerate hint free of absolute paths (the lock must not depend on them)."""
    flag, _, path = where.partition(" ")
    return f"{flag} {Path(path).name}" if Path(path).is_absolute() else where


def verify_environment(prefix: Path | None, python: Path | None, lock: Path) -> VerifyResult:
    """Compare the environment with ``lock``; the result says what drifted."""
    from npinit.record import lockfile
    from npinit.record.verify import compare

    locked = lockfile.read(lock)
    installed = snapshot_environment(prefix, python)
    return VerifyResult(lock, compare(locked, installed))


def doctor(
    prefix: Path | None,
    python: Path | None,
    *,
    cwd: Path,
    env: dict[str, str] | None,
    gpus: list[str],
    project: Path | None = None,
) -> Any:
    """Diagnose an environment with the install guide's knowledge (see npinit.doctor)."""
    import tomllib

    from npinit.doctor import diagnose
    from npinit.errors import InvalidInput
    from npinit.record import lockfile

    snapshot = snapshot_environment(prefix, python)
    interpreter = python
    if interpreter is None:
        try:
            interpreter = _interpreter_of(prefix)
        except InvalidInput:
            interpreter = None
    pin = locked = None
    if project is not None:
        try:
            pin = tomllib.loads((project / ".npinit.toml").read_text("utf-8")).get("project")
        except (OSError, tomllib.TOMLDecodeError):
            pin = None
        if (project / lockfile.FILE_NAME).is_file():
            try:
                locked = lockfile.read(project / lockfile.FILE_NAME)
            except InvalidInput:
                locked = None
    return diagnose(interpreter, snapshot, cwd=cwd, env=env, pin=pin, locked=locked, gpus=gpus)
