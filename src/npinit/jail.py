"""The project folder is the jail: the one containment rule every writer uses, and the one
way files are written (a transaction: every file staged, then renamed; on failure every file
put back).

A path npinit writes is checked against its root (the project, or the folder the user
named): lexically inside it, and no component below the root a symlink whose target leaves
it (a dangling one included: writing through it would create its target). A link that stays
inside is followed. A path read from a project file (``.npinit.toml``'s ``file``) must also
be relative, without ``..``. Every refusal is InvalidInput (exit 2) naming the link.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Mapping
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING

from npinit.errors import InvalidInput

if TYPE_CHECKING:
    from npinit.journal import Journal

_AGAIN = "run it again; npinit never overwrites a file it creates"
_HINT = "remove the link or point it inside the project; npinit never writes through it"


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def check_inside(root: Path, path: Path, what: str = "the project") -> Path:
    """``path`` (below ``root``) if writing it stays inside ``root``; else InvalidInput
    naming the symlink (or the name) that leaves. Every component is checked, outermost
    first; links that stay inside are fine."""
    if "\x00" in str(path):
        raise InvalidInput(f"{str(path)!r} holds a NUL character", "give another name")
    real_root = os.path.realpath(root)
    relative = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    if relative == os.pardir or relative.startswith(os.pardir + os.sep) or os.path.isabs(relative):
        raise InvalidInput(f"{path} is outside {what} ({root})", "write inside it")
    current = Path(root)
    for part in Path(relative).parts if relative != os.curdir else ():
        current = current / part
        if not current.is_symlink():
            continue
        try:
            os.stat(current)
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise InvalidInput(f"{current} is a symlink loop", _HINT) from None
        target = os.path.realpath(current)
        if not _inside(target, real_root):
            dangling = "" if os.path.exists(current) else "dangling "
            raise InvalidInput(
                f"{current} is a {dangling}symlink to {target}, outside {what}", _HINT
            )
    if not _inside(os.path.realpath(path), real_root):
        raise InvalidInput(f"{path} leads outside {what} ({root})", _HINT)
    return path


def project_path(root: Path, name: object, origin: str, key: str = "file", hint: str = "") -> Path:
    """A path a project file names (``.npinit.toml``'s ``file``): a relative name inside
    the project, without ``..``, without control characters and not through a link that
    leaves it. InvalidInput (exit 2) otherwise, the name escaped; create, set, init and
    lock all read it through here."""
    hint = hint or "give a path relative to the project, inside it (npinit init writes it)"
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput(f"{origin}: {key} must be a path inside the project", hint)
    if "\x00" in name or any(ord(c) < 32 or c == "\x7f" for c in name):
        raise InvalidInput(f"{origin}: {key} {name!r} holds control characters", hint)
    posix, windows = PurePosixPath(name), PureWindowsPath(name)
    if posix.is_absolute() or windows.anchor or ".." in posix.parts or ".." in windows.parts:
        raise InvalidInput(f"{origin}: {key} = {name!r} is not a path inside the project", hint)
    return check_inside(root, root / name)


def write_files(
    root: Path,
    files: Mapping[Path, str | None],
    *,
    new: frozenset[Path] = frozenset(),
    what: str = "the project",
) -> list[Path]:
    """Write every file of ``files`` as one transaction: each path is checked
    (:func:`check_inside`), each text staged in a temporary file beside its destination,
    then all are renamed into place; ``None`` removes the file. On any failure or interrupt,
    every file already replaced is put back, every new file and folder removed. Paths in
    ``new`` must not exist (never overwritten). Edited files keep their permissions, and
    their owner and group where this process may set them; a link inside is followed. A
    writer killed between two renames is undone by the next (:mod:`npinit.journal`)."""
    from npinit.journal import Journal

    for path in files:
        check_inside(root, path, what)
    real_root = Path(os.path.realpath(root))
    # a killed run's journal is undone first
    with Journal(real_root, len(files) > 1, _undo_journal) as journal:
        return _transaction(real_root, files, new, journal)


def already_holds(root: Path, path: Path, data: bytes, before: bytes | None) -> bool:
    """True when ``path`` holds ``data`` already (``before``, read a moment ago, says whether
    it may: read again here, opened without following a link), as a regular file of one
    link, and no killed transaction's journal waits in ``root`` to be undone: a writer may
    skip rewriting it (nothing renamed or synced; its times and links stay as they are). A
    re-lock that changes nothing writes nothing so."""
    import stat

    from npinit.journal import NAME

    if before is None or before != data:
        return False
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_NONBLOCK", 0)  # a FIFO put there meanwhile cannot hang it
    try:
        with os.fdopen(os.open(path, flags), "rb") as handle:
            found = os.fstat(handle.fileno())
            if not stat.S_ISREG(found.st_mode) or found.st_nlink != 1:
                return False
            same = found.st_size == len(data) and handle.read() == data
    except OSError:
        return False
    return same and not os.path.lexists(Path(os.path.realpath(root)) / NAME)


def _transaction(
    real_root: Path, files: Mapping[Path, str | None], new: frozenset[Path], journal: Journal
) -> list[Path]:
    from npinit.faults import checkpoint

    plan = [(path, Path(os.path.realpath(path)), text) for path, text in files.items()]
    made: list[Path] = []
    staged: list[tuple[Path, Path | None]] = []  # (destination, temporary file or None)
    backups: list[tuple[Path, Path | None]] = []  # (destination, its old file or None)
    done: list[tuple[Path, Path | None]] = []
    try:
        for path, real, text in plan:
            if path in new and os.path.lexists(path):
                raise InvalidInput(f"{path} appeared after npinit looked", _AGAIN)
            made += _make_folders(real_root, real.parent)
            staged.append((real, None if text is None else _stage(real, text)))
            backups.append((real, _backup(real)))
        journal.record([(r, t, b) for (r, t), (_, b) in zip(staged, backups, strict=True)], made)
        checkpoint("write-before-rename")
        exclusive = {Path(os.path.realpath(p)) for p in new}
        for (real, temporary), (_, backup) in zip(staged, backups, strict=True):
            if real not in exclusive:  # put back even if the rename is interrupted midway
                done.append((real, backup))
            _commit(real, temporary, exclusive=real in exclusive)
            if real in exclusive:  # only once it is ours: never remove what appeared
                done.append((real, backup))
            checkpoint("write-renamed")
    except BaseException:
        _roll_back(done, staged, backups, made)
        raise
    for _, backup in backups:
        if backup is not None:
            backup.unlink(missing_ok=True)
    return [path for path, _, _ in plan]


def _make_folders(root: Path, folder: Path) -> list[Path]:
    """Create ``folder`` (inside ``root``) and its missing parents; the ones made."""
    missing = []
    while not folder.exists() and folder != root and folder.parent != folder:
        missing.append(folder)
        folder = folder.parent
    made = []
    for each in reversed(missing):
        each.mkdir()
        made.append(each)
    return made


def _stage(real: Path, text: str) -> Path:
    """``text`` in a temporary file beside ``real``, with the mode and owner ``real`` has."""
    owner: tuple[int, int] | None = None
    try:
        info = real.stat()
        mode, owner = info.st_mode & 0o7777, (info.st_uid, info.st_gid)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    _remove_stale_temporaries(real)
    fd, name = _new_file(real.parent, f".{real.name}.", ".tmp")
    try:
        if owner is not None and hasattr(os, "chown"):
            # not ours to give away: the file becomes the editor's, as with any editor
            with contextlib.suppress(PermissionError):
                os.chown(name, *owner)
        os.chmod(name, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def _new_file(folder: Path, prefix: str, suffix: str) -> tuple[int, str]:
    """A new file of a name no one else has, opened for writing, as ``tempfile.mkstemp``
    makes it (exclusive, mode 0600, not through a link), without loading tempfile."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL
    for extra in ("O_NOFOLLOW", "O_CLOEXEC", "O_BINARY"):
        flags |= getattr(os, extra, 0)
    for _ in range(100):
        name = os.path.join(folder, f"{prefix}{os.urandom(6).hex()}{suffix}")
        try:
            return os.open(name, flags, 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no unused temporary name", str(folder))


def _backup(real: Path) -> Path | None:
    """A second name for the file at ``real`` (a hard link, else a copy), to put it back."""
    if not os.path.lexists(real) or real.is_dir():
        return None
    backup = real.parent / f".{real.name}.{os.getpid()}{os.urandom(4).hex()}.bak"
    try:
        os.link(real, backup, follow_symlinks=False)
    except OSError:
        import shutil

        shutil.copy2(real, backup, follow_symlinks=False)
    return backup


def _commit(real: Path, temporary: Path | None, exclusive: bool) -> None:
    if temporary is None:
        real.unlink(missing_ok=True)
    elif exclusive:  # a link, not a rename: fails rather than replace what appeared
        try:
            os.link(temporary, real)
        except FileExistsError:
            raise InvalidInput(f"{real} appeared after npinit looked", _AGAIN) from None
        temporary.unlink()
    else:
        os.replace(temporary, real)


def _roll_back(
    done: list[tuple[Path, Path | None]],
    staged: list[tuple[Path, Path | None]],
    backups: list[tuple[Path, Path | None]],
    made: list[Path],
) -> None:
    """Put back every file ``done`` replaced, remove the temporaries and the folders made."""
    for real, backup in reversed(done):
        with contextlib.suppress(OSError):
            if backup is not None:
                restore(backup, real)
            else:
                real.unlink(missing_ok=True)
    for _, temporary in staged:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
    for _, backup in backups:
        if backup is not None:
            backup.unlink(missing_ok=True)
    for folder in reversed(made):
        with contextlib.suppress(OSError):
            folder.rmdir()


def restore(backup: Path, real: Path) -> None:
    """Put ``backup`` back at ``real`` (a hard link to the same file: rename(2) would do
    nothing, so the second name is removed)."""
    if os.path.lexists(real) and os.path.samefile(backup, real):
        backup.unlink()
    else:
        os.replace(backup, real)


def _remove_stale_temporaries(path: Path, older_than: float = 600) -> None:
    """Temporary files a killed writer of ``path`` left (a concurrent one is younger)."""
    import time

    for pattern in (f".{path.name}.*.tmp", f".{path.name}.*.bak"):
        for stale in path.parent.glob(pattern):
            try:
                if time.time() - stale.stat().st_mtime > older_than:
                    stale.unlink()
            except OSError:
                pass


class BuildLock:
    """``npinit create``'s marker and lock in one file (``name`` in ``root``): opened without
    following a link, held with ``flock`` while the environment is built, so a second create
    refuses (Failure, exit 1) instead of taking the first one's marker for a killed run.
    ``stale``: the marker was there, with text, and nobody held it (a killed run's)."""

    def __init__(self, root: Path, name: str) -> None:
        self.path = root / name
        self.root = root
        self.stale = False
        self._fd = -1

    def __enter__(self) -> BuildLock:
        from npinit.faults import checkpoint

        check_inside(self.root, self.path)  # a link out, even dangling, is named
        for _ in range(5):  # the file can be replaced between open and flock: open it again
            fd = self._open()
            if os.fstat(fd).st_ino == os.lstat(self.path).st_ino:
                break
            os.close(fd)
        else:
            raise InvalidInput(f"{self.path} keeps changing", "is another npinit running?")
        self._fd = fd
        self.stale = os.fstat(fd).st_size > 0
        checkpoint("create-locked")
        return self

    def _open(self) -> int:
        from npinit.errors import Failure

        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(self.path, flags, 0o644)
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise InvalidInput(f"{self.path} is a symlink", _HINT) from None
            raise
        try:
            import fcntl
        except ImportError:  # Windows: no flock; the marker alone
            return fd
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise Failure(
                f"another npinit create is building the environment of {self.root}",
                "wait for it to finish; it holds " + self.path.name,
            ) from None
        return fd

    def building(self) -> None:
        """Say in the marker that an environment is being built (what a killed run leaves)."""
        os.ftruncate(self._fd, 0)
        os.write(self._fd, f"npinit create (pid {os.getpid()}) is building here\n".encode())
        os.fsync(self._fd)
        from npinit.faults import checkpoint

        checkpoint("create-building")

    def done(self) -> None:
        """The build finished (or was cleaned up): remove the marker while still holding it."""
        with contextlib.suppress(OSError):
            if os.lstat(self.path).st_ino == os.fstat(self._fd).st_ino:
                self.path.unlink()

    def __exit__(self, *exc: object) -> None:
        self.done()  # a failed build was removed before this; a killed run never gets here
        os.close(self._fd)


def _undo_journal(root: Path, data: object) -> None:
    """Undo a killed transaction: every backup back in place, every new file it renamed in
    removed, every staged file and folder it made removed."""
    from npinit.journal import NAME

    def inside(name: object) -> Path | None:  # a planted journal never moves a file out
        return None if name is None else project_path(root, name, str(root / NAME))

    files = data.get("files", []) if isinstance(data, dict) else []
    for entry in reversed(files if isinstance(files, list) else []):
        try:
            real, temp, backup = (inside(p) for p in entry)
        except (InvalidInput, TypeError, ValueError):
            continue
        if real is None:
            continue
        with contextlib.suppress(OSError):
            if backup is not None and os.path.lexists(backup):
                restore(backup, real)
            elif backup is None and temp is not None and not os.path.lexists(temp):
                real.unlink(missing_ok=True)  # a new file, already renamed in
            if temp is not None:
                temp.unlink(missing_ok=True)
    folders = data.get("folders", []) if isinstance(data, dict) else []
    for folder in reversed(folders if isinstance(folders, list) else []):
        with contextlib.suppress(OSError, InvalidInput):
            path = inside(folder)
            if path is not None:
                path.rmdir()
