"""What ``npinit create`` returns (:class:`CreateResult`) and the lock it installs
(:class:`LockedSection`): apart from :mod:`npinit.api.create`, which loads the lock's
classes only once ``uv venv`` runs in the background (their annotations are real: a
NamedTuple compiles an annotation string)."""

# no __future__ annotations: typing.NamedTuple compiles an annotation string (test_imports)

from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from npinit.record.changes import LockChanges
from npinit.record.snapshot import Snapshot

if TYPE_CHECKING:
    from npinit.record.bundle_files import BundledFile


class CreateResult(NamedTuple):
    """A built, recorded and checked environment."""

    project: Path
    prefix: Path
    tool: str
    activate: str
    lock: Path
    numpy: str
    blas: str
    tests_passed: bool | None
    tests_summary: str
    warnings: tuple[str, ...] = ()
    platform: str = ""
    changes: LockChanges | None = None  # what locking first changed (--update)
    verified: bool = False  # the environment was just compared with the lock, and matched

    def to_json(self) -> dict[str, Any]:
        return {
            "changes": self.changes.to_json() if self.changes else None,
            "project": str(self.project),
            "environment": str(self.prefix),
            "tool": self.tool,
            "activate": self.activate,
            "lock": str(self.lock),
            "platform": self.platform,
            "verified": self.verified,
            "numpy": self.numpy,
            "blas": self.blas,
            "tests": {"passed": self.tests_passed, "summary": self.tests_summary},
            "warnings": list(self.warnings),
        }


class LockedSection(NamedTuple):
    """The lock create installs: its path, this machine's section, what locking first
    changed (None when nothing was locked), and a bundle's files of the section (None: the
    manager downloads)."""

    path: Path
    section: Snapshot
    changes: LockChanges | None
    files: list["BundledFile"] | None
