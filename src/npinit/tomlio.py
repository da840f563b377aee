"""File I/O in one place: small, fast TOML writing (tomllib reads), reads that refuse what
is not a regular file (a FIFO would hang, /dev/zero never ends), the one reader of a
project's ``.npinit.toml``, and atomic writes (see :mod:`npinit.jail`) that keep mode and owner."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from npinit.errors import InvalidInput
from npinit.reading import check_regular as check_regular  # one reader: npinit.reading
from npinit.reading import parse_bounded
from npinit.reading import read_regular as read_regular

ANSWERS_FILE = ".npinit.toml"


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
    hint = "fix it, or regenerate it with npinit new --force"
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        if "\x00" in text:
            raise ValueError("it holds NUL bytes")
        doc = scan_answers(text)
        if doc is None:  # not in the form npinit writes: tomllib reads it, and names the error
            import tomllib

            doc = parse_bounded(tomllib.loads, text, origin)
    except (UnicodeDecodeError, ValueError) as error:
        reason = "not UTF-8 text" if isinstance(error, UnicodeDecodeError) else str(error)
        raise InvalidInput(f"{origin} is not valid TOML ({reason})", hint) from None
    table = doc.get("project")
    if not isinstance(table, dict):
        raise InvalidInput(f"{origin} has no [project] table", hint)
    from npinit import schemas

    schemas.validate(schemas.ANSWERS, doc, origin, hint)
    return table


# the lines of a .npinit.toml as npinit writes them: a table header, or a key and a plain
# value (a string without escapes, a whole number, true/false, a list of plain strings)
# (compiled on first use, by re's cache: the commands that only find the project skip it)
_ANSWERS_HEADER = r'^\[([A-Za-z0-9_-]+)(?:\.(?:"([^"\\]*)"|([A-Za-z0-9_-]+)))?\]$'
_ANSWERS_VALUE = (
    r'^([A-Za-z0-9_-]+) = (?:"([^"\\]*)"|(-?[0-9]+)|(true|false)|\[((?:"[^"\\]*"(?:, )?)*)\])$'
)


def scan_answers(text: str) -> dict[str, Any] | None:
    """A ``.npinit.toml`` in the form npinit writes it, read without a TOML parser (tomllib
    costs ``create`` more than the rest of reading its project): comments, tables one or two
    keys deep (bare or quoted), and ``key = value`` lines of plain values, kept only when
    :func:`toml_key` and :func:`toml_value` write the line back as it is (so it means to TOML
    what it means here). Any other line (a carriage return, a control character, an escape,
    an inline table...), a key or table given twice: None, and tomllib reads the file."""
    doc: dict[str, Any] = {}
    current = doc
    for line in text.split("\n"):
        if not line or (line.startswith("#") and line.isprintable()):
            continue
        if not (line.isascii() and line.isprintable()):
            return None
        header = re.match(_ANSWERS_HEADER, line)
        if header:
            outer, quoted, bare = header.groups()
            inner = quoted if quoted is not None else bare
            parent = doc.setdefault(outer, {}) if inner is not None else doc
            name = outer if inner is None else inner
            if not isinstance(parent, dict) or name in parent:
                return None
            current = parent[name] = {}
            continue
        found = re.match(_ANSWERS_VALUE, line)
        if found is None or found.group(1) in current:
            return None
        key, plain, number, flag, items = found.groups()
        value: Any = (
            plain
            if plain is not None
            else int(number)
            if number is not None
            else flag == "true"
            if flag is not None
            else re.findall(r'"([^"\\]*)"', items or "")
        )
        if line != f"{toml_key(key)} = {toml_value(value)}":
            return None
        current[key] = value
    return doc


def toml_value(value: Any) -> str:
    """The TOML literal of a value, written by tomlkit (a well-kept writer): strings, whole
    and floating numbers, booleans, and lists and inline tables of those. What TOML cannot
    hold (None, a lone surrogate in text) is refused with InvalidInput, never a traceback."""
    # the common cases need no escaping and no import: measured, tomlkit for every value
    # costs a lock of 85 packages 13 ms of its 88; everything else goes to tomlkit
    if isinstance(value, str):  # the most common first (no text is a bool or an int)
        if value.isascii() and value.isprintable() and '"' not in value and "\\" not in value:
            return f'"{value}"'
    elif isinstance(value, bool):
        return "true" if value else "false"
    elif isinstance(value, int):
        return str(value)
    elif isinstance(value, (list, tuple)):
        return "[" + ", ".join([toml_value(v) for v in value]) + "]"
    elif isinstance(value, dict):
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


def atomic_write(path: Path, text: str, root: Path | None = None) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename: readers see the old
    file or the new one, never a truncated one, even after a crash or a concurrent writer.

    ``root`` is the folder the write must stay in (the project; default: the folder the path
    names): a symlink leaving it is refused (:func:`npinit.jail.check_inside`), one inside
    it is followed. An edited file keeps its permissions, and its owner and group where this
    process may set them.
    """
    from npinit import jail

    what = "the project"
    if root is None:
        root, what = path.parent, str(path.parent)
        jail.check_inside(root, path, what)
        root.mkdir(parents=True, exist_ok=True)
    jail.write_files(root, {path: text}, what=what)


def find_project(start: Path) -> Path | None:
    """The npinit project containing ``start`` (it has ``.npinit.toml``), if any."""
    for folder in (start, *start.parents):
        if (folder / ANSWERS_FILE).is_file():
            return folder
    return None
