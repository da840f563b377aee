"""``npinit lock --from-env``: the project's installed environment recorded as this
platform's section of its lock, and what a project lock returns (:class:`ProjectLockResult`,
``lock_project``'s too); apart from api/reproduce, whose resolving lock --from-env never
needs (test_imports)."""

# no __future__ annotations: typing.NamedTuple compiles an annotation string (test_imports)

from pathlib import Path
from typing import Any, NamedTuple

from npinit.model import LOCK_FILE, Machine
from npinit.record.changes import LockChanges
from npinit.record.lockfile import Lock
from npinit.record.snapshot import Snapshot


class ProjectLockResult(NamedTuple):
    """A project lock written: where, for which platforms, each one's BLAS and size."""

    path: Path
    lock: Lock
    also_written: tuple[Path, ...] = ()
    warnings: tuple[str, ...] = ()
    changes: LockChanges | None = None  # from the lock it replaced
    written: bool = True  # False for a dry run

    def to_json(self) -> dict[str, Any]:
        return {
            "written": self.written,
            "changes": self.changes.to_json() if self.changes else None,
            "lock": str(self.path),
            "format": "npinit",
            "platforms": {
                name: {
                    "python": section.python,
                    "blas": section.blas.variant,
                    "packages": len(section.packages),
                    "numpy": next((p.version for p in section.packages if p.name == "numpy"), ""),
                }
                for name, section in sorted(self.lock.sections.items())
            },
            "also_written": [str(p) for p in self.also_written],
            "warnings": list(self.warnings),
        }


def replace_section(
    path: Path, section: Snapshot, inputs: dict[str, Any] | None, old: Lock | None = None
) -> Lock:
    """``lock --from-env``: the lock at ``path`` (``old``, when already read) with this
    platform's section replaced (the other sections and the inputs kept); a new lock if
    there is none."""
    from npinit.record import lockfile

    if old is None:
        old = lockfile.read_lock(path) if path.exists() else Lock({}, inputs)
    return Lock({**old.sections, section.platform: section}, old.inputs)


def lock_from_env(
    project: Path, prefix: Path, *, machine: Machine, probe: bool = False
) -> ProjectLockResult:
    """``lock --from-env``: record the project's installed environment as this platform's
    section; the other sections and the inputs stay. A lock that already holds the text is
    not written again (nothing renamed or synced, its times kept: :func:`already_holds`)."""
    from npinit.jail import already_holds
    from npinit.record import lockfile
    from npinit.record.changes import compare_locks
    from npinit.record.environment import snapshot_environment
    from npinit.record.previous import read_previous
    from npinit.tomlio import atomic_write

    section = snapshot_environment(prefix, None, probe=probe, current_platform=machine.platform)
    path = project / LOCK_FILE
    alone = Lock({section.platform: section})  # the lock to write over one of this section only
    before, previous = read_previous(path, alone, "npinit lock")
    lock = replace_section(path, section, None, previous)
    text = lockfile.dumps_lock(lock, "npinit lock")
    data = text.encode("utf-8")
    changes = compare_locks(previous, lock, identical=before == data)
    if not already_holds(project, path, data, before):
        atomic_write(path, text, root=project)  # through the jail: never through a link out
    return ProjectLockResult(path, lock, (), section.warnings, changes)
