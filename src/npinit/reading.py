"""Every file npinit reads goes through here: it must be a regular file (a FIFO would hang,
``/dev/zero`` never ends), no larger than a bound, and what is parsed from it (JSON, YAML,
TOML) no deeper than a bound, so that no project file, lock, record or environment makes
npinit hang, grow without limit or end in a RecursionError traceback."""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from npinit.errors import InvalidInput

T = TypeVar("T")

MAX_BYTES = 64 * 1024 * 1024  # far above any real project file, lock or record
MAX_DEPTH = 100  # nesting of lists and tables; real files stay under ten
# what may nest, and the strings and comments whose brackets do not count
_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
# (compiled on first use, by re's cache: only a text of many brackets is walked)
_NESTING = r"\"(?:[^\"\\\n]|\\.)*\"|'[^'\n]*'|#[^\n]*|[\[\]{}]"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a socket" if stat.S_ISSOCK(mode) else "not a regular file"


def _refuse(name: str, mode: int) -> InvalidInput:
    return InvalidInput(
        f"{name} is not a regular file ({_kind(mode)})", "give the path of a regular file"
    )


def _named(path: Path | str, what: str) -> str:
    """How a message names the file (made only when one is written)."""
    return f"{what} {path}" if what else str(path)


def check_regular(path: Path | str, what: str = "") -> None:
    """Refuse (exit 2) what is not a regular file; see :func:`read_regular`."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InvalidInput(f"{_named(path, what)} does not exist", "check the path") from None
    except OSError as error:
        name = _named(path, what)
        if error.errno == errno.ELOOP:
            raise InvalidInput(f"{name} is a symlink loop", "fix or remove the link") from None
        raise InvalidInput(f"cannot read {name}: {error.strerror}", "") from None
    if not stat.S_ISREG(info.st_mode):
        raise _refuse(_named(path, what), info.st_mode)


def read_regular(path: Path | str, what: str = "", limit: int = MAX_BYTES) -> bytes:
    """The bytes of ``path``, which must be a regular file (symlinks to one are fine) of at
    most ``limit`` bytes.

    InvalidInput (exit 2) for a missing file, a folder, a FIFO, a device, a symlink loop or
    a file too large. The type is checked before the open, and again on the open file
    (opened without blocking, so a FIFO swapped in between cannot hang the open).
    """
    check_regular(path, what)
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError as error:
        raise InvalidInput(f"cannot read {_named(path, what)}: {error.strerror}", "") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _refuse(_named(path, what), info.st_mode)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            # what the file says it holds, and one byte more to see its end: a read of a
            # whole chunk allocates the chunk, for a four-byte INSTALLER too
            wanted = min(limit + 1 - size, max(info.st_size + 1 - size, 1 << 16), 1 << 20)
            chunk = os.read(fd, wanted)
            chunks.append(chunk)
            size += len(chunk)
            if not chunk or (info.st_size and len(chunk) < wanted):
                break  # its end: a file that tells its size ends at the first short read
    except OSError as error:
        raise InvalidInput(f"cannot read {_named(path, what)}: {error.strerror}", "") from None
    finally:
        os.close(fd)
    if size > limit:
        raise InvalidInput(
            f"{_named(path, what)} is larger than {limit // (1024 * 1024)} MB",
            "give a file of a sane size",
        )
    return b"".join(chunks)


def read_text(path: Path, what: str = "", limit: int = MAX_BYTES) -> str:
    """:func:`read_regular` as UTF-8 text; text that is not UTF-8 is refused (exit 2)."""
    data = read_regular(path, what, limit)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        name = f"{what} {path}" if what else str(path)
        raise InvalidInput(f"{name} is not UTF-8 text", "save it as UTF-8") from None


def read_editable(path: Path) -> str:
    """A file ``set`` or ``init`` edits: regular, UTF-8, no NUL byte (else exit 2)."""
    data = read_regular(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"{path} is not UTF-8 text", "npinit edits text files only") from None
    if "\x00" in text:
        raise InvalidInput(f"{path} is not a text file", "npinit edits text files only")
    return text


def check_depth(text: str, origin: str, limit: int = MAX_DEPTH) -> None:
    """Refuse (exit 2) text whose ``[`` and ``{`` nest deeper than ``limit`` outside strings
    and comments, before a parser recurses into it."""
    if text.count("[") + text.count("{") <= limit:  # the common case, in C
        return
    depth = 0
    for match in re.finditer(_NESTING, text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > limit:
                raise too_deep(origin, limit)
        elif token in ("]", "}"):
            depth = max(depth - 1, 0)


def too_deep(origin: str, limit: int = MAX_DEPTH) -> InvalidInput:
    return InvalidInput(
        f"{origin} nests lists or tables more than {limit} levels deep",
        "no real file does: check where it came from",
    )


def parse_bounded(parse: Callable[[str], T], text: str, origin: str) -> T:
    """``parse(text)`` after :func:`check_depth`; nesting the count cannot see (YAML's
    indentation) that still exhausts the parser's recursion is refused the same way. The
    parser's own errors pass through to the caller, which names them."""
    check_depth(text, origin)
    try:
        return parse(text)
    except RecursionError:
        raise too_deep(origin) from None
