"""What a lock changed: ``npinit diff`` between two locks (files, or the lock committed at a
git revision), and ``npinit lock --dry-run``, which resolves a copy of the project and says
what a re-lock would move without writing anything. The comparison itself is
:mod:`npinit.record.changes`, shared with ``npinit lock`` and ``create --update``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from npinit.api.from_env import ProjectLockResult
from npinit.api.reproduce import LockOptions
from npinit.model import ENV_DIRS, LOCK_FILE, Machine
from npinit.record.changes import LockChanges

if TYPE_CHECKING:
    from npinit.runner import Runner

NOT_COPIED = (".git", *ENV_DIRS)  # not copied for a dry run


@dataclass(frozen=True)
class LockDiff:
    """Two locks compared: what each one is (a file, or ``REV:npinit.lock``) and the changes."""

    old: str
    new: str
    changes: LockChanges

    def to_json(self) -> dict[str, Any]:
        return {"old": self.old, "new": self.new, **self.changes.to_json()}


def diff_locks(
    old: str | None,
    new: str | None,
    *,
    cwd: Path,
    environ: Mapping[str, str],
    run: Runner | None = None,
) -> LockDiff:
    """Compare two locks. Each of ``old`` and ``new`` is a lock file, or a git revision
    meaning the project's npinit.lock committed there; ``new`` defaults to the working lock
    (the project's, found from ``cwd``), ``old`` to ``HEAD``."""
    from npinit.api.info import find_project
    from npinit.record.changes import compare_locks
    from npinit.record.lockfile import loads_lock

    project = find_project(cwd) or cwd
    working = project / LOCK_FILE
    texts = []
    for given, default in ((old, "HEAD"), (new, None)):
        if given is None and default is None:
            texts.append((str(working), _file(working)))
        elif given is not None and (cwd / given).is_file():
            texts.append((given, _file(cwd / given)))
        else:
            rev = given or "HEAD"
            texts.append((f"{rev}:{LOCK_FILE}", _committed(rev, project, environ, run)))
    (old_name, old_bytes), (new_name, new_bytes) = texts
    before = loads_lock(old_bytes.decode("utf-8", "replace"), old_name)
    after = loads_lock(new_bytes.decode("utf-8", "replace"), new_name)
    changes = compare_locks(before, after, identical=old_bytes == new_bytes)
    return LockDiff(old_name, new_name, changes)


def _file(path: Path) -> bytes:
    from npinit.errors import InvalidInput
    from npinit.tomlio import read_regular

    if not path.is_file():
        raise InvalidInput(f"no lock at {path}", "give two lock files, or run it in a project")
    return read_regular(path, "the lock")


def _committed(rev: str, project: Path, environ: Mapping[str, str], run: Runner | None) -> bytes:
    """The project's npinit.lock as committed at ``rev`` (``git show REV:./npinit.lock``)."""
    import shutil

    from npinit.errors import InvalidInput, ToolMissing
    from npinit.runner import run as default_run

    git = shutil.which("git", path=environ.get("PATH"))
    if git is None:
        raise ToolMissing("git is not installed (a revision needs it)", "give two lock files")
    if rev.startswith("-"):
        raise InvalidInput(f"{rev!r} is neither a lock file nor a git revision", "")
    result = (run or default_run)(
        [git, "show", f"{rev}:./{LOCK_FILE}"],
        cwd=project,
        env=dict(environ),
        what="git show",
        check=False,
    )
    if result.returncode != 0:
        said = (result.stderr.strip().splitlines() or ["git said nothing"])[-1]
        raise InvalidInput(
            f"{rev} is neither a lock file nor a git revision with {LOCK_FILE} ({said[:200]})",
            "give a lock file or a revision where the lock was committed",
        )
    return str(result.stdout).encode("utf-8")


def preview_lock(
    project: Path,
    *,
    machine: Machine,
    options: LockOptions | None = None,
    run: Runner | None = None,
    progress: Callable[[str], None] | None = None,
) -> ProjectLockResult:
    """What ``npinit lock`` would change, without writing: the project is copied (without
    its environments and .git) and locked there with the same ``options``, and the result
    compared with its lock."""
    import shutil
    import tempfile

    from npinit.api.reproduce import lock_project

    with tempfile.TemporaryDirectory(prefix="npinit-dry-run-") as work:
        copy = Path(work) / project.name
        shutil.copytree(project, copy, symlinks=True, ignore=shutil.ignore_patterns(*NOT_COPIED))
        options = options or LockOptions()
        result = lock_project(copy, machine=machine, options=options, run=run, progress=progress)
    return result._replace(path=project / LOCK_FILE, also_written=(), written=False)
