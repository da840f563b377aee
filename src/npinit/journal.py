"""The journal of a multi-file write (:func:`npinit.jail.write_files`): what a transaction
staged and backed up, written before its first rename, so that a writer killed between two
renames (SIGKILL, power loss) is rolled back by the next writer in the same project.

The journal is ``.npinit-transaction`` in the project, opened without following links and
held with ``flock`` while the transaction runs: a concurrent writer waits for it (renames take
milliseconds), and only a journal nobody holds, with entries, is a killed run's.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

NAME = ".npinit-transaction"


class Journal:
    """``with Journal(root, active, undo):`` recovers a killed transaction's journal first
    (``undo(root, data)``: the writer's own roll-back, so this module needs no writer's
    code); when ``active``, holds the journal until the block ends (then removes it)."""

    def __init__(self, root: Path, active: bool, undo: Callable[[Path, object], None]) -> None:
        self.root, self.path, self.active, self.undo = root, root / NAME, active, undo
        self._fd = -1

    def __enter__(self) -> Journal:
        if not self.active and not os.path.lexists(self.path):
            return self  # the common case: one file, no journal left by anyone
        for _ in range(5):  # a journal removed between open and flock: open it again
            fd = os.open(
                self.path,
                os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0),
                0o644,
            )
            with contextlib.suppress(ImportError):
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_EX)
            if os.fstat(fd).st_ino == os.lstat(self.path).st_ino:
                break
            os.close(fd)
        else:
            raise OSError(f"{self.path} keeps changing")
        self._fd = fd
        size = os.fstat(fd).st_size
        if size:
            import json  # a journal left by a killed run (rare): json only then

            try:
                data = json.loads(os.pread(fd, size, 0))
            except ValueError:
                data = {}  # not a journal npinit wrote: nothing to undo
            self.undo(self.root, data)
            os.ftruncate(fd, 0)
            os.fsync(fd)
        if not self.active:
            self._close()
        return self

    def record(
        self, entries: list[tuple[Path, Path | None, Path | None]], made: list[Path]
    ) -> None:
        """Before the first rename: every destination, its staged file, its backup."""
        if self._fd < 0:
            return

        def rel(path: Path | None) -> str | None:
            return None if path is None else os.path.relpath(path, self.root)

        data = {
            "files": [[rel(real), rel(temp), rel(backup)] for real, temp, backup in entries],
            "folders": [rel(folder) for folder in made],
        }
        import json  # a journal of several files only (one file is one rename)

        os.pwrite(self._fd, json.dumps(data).encode(), 0)
        os.fsync(self._fd)

    def _close(self) -> None:
        with contextlib.suppress(OSError):
            if os.lstat(self.path).st_ino == os.fstat(self._fd).st_ino:
                self.path.unlink()
        os.close(self._fd)
        self._fd = -1

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._fd >= 0:
            self._close()
