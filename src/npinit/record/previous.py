"""The lock a re-lock or ``lock --from-env`` replaces, read as its bytes (to tell "no change")
and the lock: apart from :mod:`npinit.record.relock` (what a resolver keeps of it), which
``lock --from-env`` does not need."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from npinit.record.lockfile import Lock


def read_previous(
    path: Path, alone: Lock | None = None, regenerate: str = "npinit lock"
) -> tuple[bytes | None, Lock | None]:
    """The lock a re-lock replaces: its bytes (to tell "no change") and the lock, or None
    where there is none or it cannot be read (a broken lock is replaced, not kept).

    ``alone``: the lock to write if the old one holds its platforms only and no inputs
    (``lock --from-env``'s one section). An old text that is ``alone``'s text, as
    :func:`~npinit.record.lockfile.dumps_lock` writes it after every check, is ``alone``:
    neither parsed nor checked a second time (what the parser would give back)."""
    from npinit.errors import InvalidInput
    from npinit.record.lockfile import loads_lock
    from npinit.tomlio import read_regular

    if not path.is_file():
        return None, None
    try:
        raw = read_regular(path, "the lock")
        text = raw.decode("utf-8")
    except (InvalidInput, OSError, UnicodeDecodeError):
        return None, None
    if alone is not None and _is_text_of(text, alone, regenerate):
        return raw, alone
    try:
        return raw, loads_lock(text, str(path))
    except InvalidInput:
        return None, None


def _is_text_of(text: str, lock: Lock, regenerate: str) -> bool:
    """Whether ``text`` is ``lock``'s text: asked only of a text of as many platforms and the
    same want of inputs (a guess: any other is parsed at once, no text built in vain); False
    for a lock that cannot be written (the parser and the writer then say why, as before)."""
    from npinit.errors import InvalidInput
    from npinit.record.lockfile import dumps_lock

    platforms = text.count(".environment]\n")
    if platforms != len(lock.sections) or ("\n[inputs]\n" in text) != (lock.inputs is not None):
        return False
    try:
        return dumps_lock(lock, regenerate) == text
    except InvalidInput:
        return False
