"""``npinit lock`` and ``npinit verify``: read an environment, write and compare locks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from npinit.model import INTERPRETERS, LOCK_FILE, Platform
from npinit.record.environment import PROBE_TIMEOUT, snapshot_environment

if TYPE_CHECKING:
    from npinit.record.snapshot import Snapshot
    from npinit.record.verify import Drift


@dataclass(frozen=True)
class LockResult:
    """A recorded lock: where it went, its text, what it holds, what it could not hold."""

    path: Path | None  # None: not written (the caller prints ``text``)
    format: str
    snapshot: Snapshot
    warnings: tuple[str, ...]
    text: str = ""

    def to_json(self) -> dict[str, Any]:
        snap = self.snapshot
        return {
            "lock": str(self.path) if self.path is not None else "-",
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
                "probe": dict(snap.blas.probe),
            },
            "packages": len(snap.packages),
            "warnings": list(self.warnings),
            **({"text": self.text} if self.path is None else {}),
        }


@dataclass(frozen=True)
class VerifyResult:
    """The drift between an installed environment and its lock (``clean`` when none)."""

    lock: Path
    drift: Drift

    @property
    def clean(self) -> bool:
        return bool(self.drift.clean)

    def to_json(self) -> dict[str, Any]:
        return {"lock": str(self.lock), **self.drift.to_json()}


DEFAULT_LOCK_NAMES = {
    "npinit": LOCK_FILE,
    "pylock": "pylock.toml",
    "requirements": "requirements-lock.txt",
    "conda-explicit": "conda-explicit.txt",
    "conda-lock": "conda-lock.yml",
}


def dangling_interpreter(prefix: Path | None) -> Path | None:
    """The interpreter link of a venv whose target is gone (its base Python was removed)."""
    if prefix is None:
        return None
    for candidate in INTERPRETERS:
        path = prefix / candidate
        if path.is_symlink() and not path.exists():
            return path
    return None


def lock_environment(
    prefix: Path | None,
    python: Path | None,
    output: Path | None,
    *,
    fmt: str = "npinit",
    probe: bool = False,
    online: bool = False,
    index: str | None = None,
    probe_timeout: float = PROBE_TIMEOUT,
    current_platform: Platform | None = None,
) -> LockResult:
    """Snapshot an environment and write its lock (atomically) in ``fmt``; ``output`` None
    writes nothing (the result's ``text`` is the lock)."""
    from npinit.record import export, lockfile
    from npinit.tomlio import atomic_write

    snapshot = snapshot_environment(
        prefix,
        python,
        probe=probe,
        online=online,
        index=index,
        probe_timeout=probe_timeout,
        current_platform=current_platform,
    )
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
    if output is None:
        return LockResult(None, fmt, snapshot, tuple(warnings), text)
    try:
        atomic_write(output, text)
    except OSError as error:
        from npinit.errors import Failure

        raise Failure(f"could not write {output}: {error.strerror or error}", "") from error
    return LockResult(output, fmt, snapshot, tuple(warnings), text)


def _portable(where: str) -> str:
    """Keep the regenerate hint free of absolute paths (the lock must not depend on them)."""
    flag, _, path = where.partition(" ")
    return f"{flag} {Path(path).name}" if Path(path).is_absolute() else where


def verify_environment(
    prefix: Path | None,
    python: Path | None,
    lock: Path,
    current_platform: Platform | None = None,
) -> VerifyResult:
    """Compare the environment with ``lock``; the result says what drifted."""
    from npinit.record import lockfile
    from npinit.record.verify import compare

    whole = lockfile.read_lock(lock)
    if whole.inputs is not None and (lock.parent / ".npinit.toml").is_file():
        # a project's lock: the lock its manager installed from must say the same
        from npinit.record import crosscheck
        from npinit.spec import read_project_spec

        crosscheck.refuse(lock.parent, read_project_spec(lock.parent, current_platform), whole)
    installed = snapshot_environment(prefix, python, current_platform=current_platform)
    if len(whole.sections) == 1:
        locked = next(iter(whole.sections.values()))
    else:
        from npinit.model import Platform
        from npinit.record.lockfile import section_for

        try:
            platform: Platform | None = Platform(installed.platform)
        except ValueError:
            platform = current_platform
        locked = section_for(whole, platform, lock)
    return VerifyResult(lock, compare(locked, installed, _npinit_packages(locked, installed)))


def _npinit_packages(locked: Snapshot, installed: Snapshot) -> frozenset[str]:
    """npinit and what it needs, when npinit was installed into the environment itself and
    the lock does not have it (npinit belongs in its own tool environment)."""
    from npinit.record.distinfo import site_packages_dirs, tool_closure

    has = {p.key for p in installed.packages}
    if ("pypi", "npinit") not in has or ("pypi", "npinit") in {p.key for p in locked.packages}:
        return frozenset()
    if installed.prefix is None:
        return frozenset()
    return frozenset(tool_closure(site_packages_dirs(installed.prefix)))
