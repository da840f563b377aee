"""File I/O in one place: small, fast TOML writing (tomllib reads), reads that refuse what
is not a regular file (a FIFO would hang, /dev/zero never ends), the one reader of a
project's ``.npinit.toml``, and atomic writes that follow symlinks and keep mode and owner."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path
from typing import Any

from npinit.errors import InvalidInput

ANSWERS_FILE = ".npinit.toml"


def read_regular(path: Path, what: str = "") -> bytes:
    """The bytes of ``path``, which must be a regular file (symlinks to one are fine).

    InvalidInput (exit 2) for a missing file, a folder, a FIFO, a device or a symlink loop:
    the check comes before the open, since opening a FIFO blocks.
    """
    check_regular(path, what)
    name = f"{what} {path}" if what else str(path)
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as error:
        raise InvalidInput(f"cannot read {name}: {error.strerror}", "") from None


def check_regular(path: Path, what: str = "") -> None:
    """Refuse (exit 2) what is not a regular file; see :func:`read_regular`."""
    name = f"{what} {path}" if what else str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InvalidInput(f"{name} does not exist", "check the path") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise InvalidInput(f"{name} is a symlink loop", "fix or remove the link") from None
        raise InvalidInput(f"cannot read {name}: {error.strerror}", "") from None
    if not stat.S_ISREG(info.st_mode):
        kind = (
            "a folder"
            if stat.S_ISDIR(info.st_mode)
            else "a FIFO"
            if stat.S_ISFIFO(info.st_mode)
            else "a device"
            if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode)
            else "a socket"
            if stat.S_ISSOCK(info.st_mode)
            else "not a regular file"
        )
        raise InvalidInput(
            f"{name} is not a regular file ({kind})", "give the path of a regular file"
        )


def read_answers(project: Path) -> dict[str, Any]:
    """The ``[project]`` table of a project's ``.npinit.toml``: InvalidInput (exit 2) when the
    file is missing, binary, not TOML, or its ``project`` is not a table."""
    path = project / ANSWERS_FILE
    if not path.exists() and not path.is_symlink():
        raise InvalidInput(
            f"{project} is not an npinit project (no {ANSWERS_FILE})",
            "run npinit new first, or cd into the project",
        )
    return load_answers(read_regular(path), str(path))


def load_answers(data: bytes | str, origin: str) -> dict[str, Any]:
    """Parse the text of a ``.npinit.toml`` (see :func:`read_answers`)."""
    import tomllib

    hint = "fix it, or regenerate it with npinit new --force"
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        if "\x00" in text:
            raise ValueError("it holds NUL bytes")
        table = tomllib.loads(text).get("project")
    except (UnicodeDecodeError, ValueError) as error:
        reason = "not UTF-8 text" if isinstance(error, UnicodeDecodeError) else str(error)
        raise InvalidInput(f"{origin} is not valid TOML ({reason})", hint) from None
    if not isinstance(table, dict):
        raise InvalidInput(f"{origin} has no [project] table", hint)
    return table


def toml_value(value: Any) -> str:
    """The TOML literal of a value, written by tomlkit (a well-kept writer): strings, whole
    and floating numbers, booleans, and lists and inline tables of those. What TOML cannot
    hold (None, a lone surrogate in text) is refused with InvalidInput, never a traceback."""
    # the common cases need no escaping and no import: measured, tomlkit for every value
    # costs a lock of 85 packages 13 ms of its 88; everything else goes to tomlkit
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    plain = isinstance(value, str) and value.isascii() and value.isprintable()
    if plain and '"' not in value and "\\" not in value:
        return f'"{value}"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(f"{toml_key(str(k))} = {toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    import tomlkit
    from tomlkit.exceptions import ConvertError

    try:
        if isinstance(value, str):
            value.encode("utf-8")  # a lone surrogate has no UTF-8 form: refuse it here
        return str(tomlkit.item(value).as_string())
    except (ConvertError, UnicodeEncodeError, ValueError, TypeError) as error:
        shown = repr(value)
        shown = shown if len(shown) < 60 else shown[:57] + "..."
        raise InvalidInput(
            f"{shown} cannot be written to TOML ({type(error).__name__})",
            "TOML has no null and holds only valid Unicode text",
        ) from None


def toml_key(key: str) -> str:
    """A bare key where TOML allows one, else a quoted key."""
    if key and all(c.isascii() and (c.isalnum() or c in "-_") for c in key):
        return key
    return toml_value(key)


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename: readers see the old
    file or the new one, never a truncated one, even after a crash or a concurrent writer.

    A symlink is followed: its target is written and the link stays. An edited file keeps
    its permissions, and its owner and group where this process may set them.
    """
    from npinit.faults import checkpoint

    if path.is_symlink():
        path = Path(os.path.realpath(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    owner: tuple[int, int] | None = None
    try:
        info = path.stat()
        mode = info.st_mode & 0o7777
        owner = (info.st_uid, info.st_gid)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    _remove_stale_temporaries(path)
    import tempfile  # 5 ms of start-up: only where a file is written

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if owner is not None and hasattr(os, "chown"):
            # not ours to give away: the file becomes the editor's, as with any editor
            with contextlib.suppress(PermissionError):
                os.chown(tmp, *owner)
        os.chmod(tmp, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        checkpoint("write-before-rename")
        os.replace(tmp, path)
        checkpoint("write-renamed")
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _remove_stale_temporaries(path: Path, older_than: float = 600) -> None:
    """Temporary files a killed writer of ``path`` left (a concurrent one is younger)."""
    import time

    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            if time.time() - stale.stat().st_mtime > older_than:
                stale.unlink()
        except OSError:
            pass


def find_project(start: Path) -> Path | None:
    """The npinit project containing ``start`` (it has ``.npinit.toml``), if any."""
    for folder in (start, *start.parents):
        if (folder / ANSWERS_FILE).is_file():
            return folder
    return None
