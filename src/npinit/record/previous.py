"""The lock a re-lock or ``lock --from-env`` replaces, read as its bytes (to tell "no change")
and the lock: apart from :mod:`npinit.record.relock` (what a resolver keeps of it), which
``lock --from-env`` does not need."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from npinit.record.lockfile import Lock


def read_previous(path: Path) -> tuple[bytes | None, Lock | None]:
    """The lock a re-lock replaces: its bytes (to tell "no change") and the lock, or None
    where there is none or it cannot be read (a broken lock is replaced, not kept)."""
    from npinit.errors import InvalidInput
    from npinit.record.lockfile import loads_lock
    from npinit.tomlio import read_regular

    if not path.is_file():
        return None, None
    try:
        raw = read_regular(path, "the lock")
        text = raw.decode("utf-8")
        return raw, loads_lock(text, str(path))
    except (InvalidInput, OSError, UnicodeDecodeError):
        return None, None
