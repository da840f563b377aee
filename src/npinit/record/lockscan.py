"""npinit.lock exactly as this npinit writes it, read line by line without a TOML parser
(parsing a big lock costs about what a conda solve does): plain strings, whole numbers,
lists of plain strings and one file table a line only. Anything else is None, for the
validating reader; :func:`npinit.record.lockfile.loads_lock` keeps what this reads only if
writing it again gives the same text."""

from __future__ import annotations

import re
from typing import Any

_HEADER = re.compile(r"^\[(\[?)(inputs|platforms\.([a-z0-9-]+)\.(environment|blas|packages))\]?\]$")
_VALUE = re.compile(r'^([a-z0-9_-]+) = (?:"([^"\\]*)"|(\d+)|\[((?:"[^"\\]*"(?:, )?)*)\])$')
# a PyPI file's line (compiled by re's cache at the first files block: a lock of no files skips it)
_FILE = r'^    \{ url = "([^"\\]*)", sha256 = "([^"\\]*)"(?:, blas = "([^"\\]*)")? \},$'
_NUMBERS = {"build_number"}
_LISTS = {"tags", "hashes", "requirements", "depends"}

Tables = dict[str, dict[str, Any]]
Rows = dict[str, list[dict[str, Any]]]


def scan(text: str) -> tuple[str, Tables, Rows] | None:
    """The command the lock says regenerates it, its tables (``inputs``,
    ``platforms.P.environment``, ``platforms.P.blas``) and its package rows by platform
    (``files`` as a list of dicts); None for any line this reader does not know."""
    lines = text.splitlines()
    start = 1 if lines and lines[0].startswith("#:schema ") else 0  # the schema pointer
    if len(lines) < 4 + start or not lines[1 + start].startswith("# Regenerate it with: "):
        return None
    tables: Tables = {}
    rows: Rows = {}
    current: dict[str, Any] = {}
    files: list[dict[str, str]] | None = None  # inside a files = [ ... ] block
    inputs = False  # [inputs] holds any names, each text or a list (the schema checks them)
    for line in lines[4 + start :]:
        if files is not None:
            found = re.match(_FILE, line)
            if found:
                url, sha256, blas = found.groups()
                files.append({"url": url, "sha256": sha256, **({"blas": blas} if blas else {})})
                continue
            if line != "]":
                return None
            files = None
        elif not line:
            continue
        elif line == "files = [" and not inputs and "files" not in current:
            files = current["files"] = []
        elif line[0] == "[" and (header := _HEADER.match(line)):
            key = header.group(2)
            inputs = key == "inputs"
            if header.group(1):
                current = {}
                rows.setdefault(key, []).append(current)
            else:
                current = tables.setdefault(key, {})
        elif value := _VALUE.match(line):
            if not _keep(current, value.groups(), inputs):
                return None
        else:
            return None
    regenerate = lines[1 + start].removeprefix("# Regenerate it with: ")
    return (regenerate, tables, rows) if files is None else None


def _keep(current: dict[str, Any], groups: tuple[str | None, ...], inputs: bool) -> bool:
    """One ``name = value`` line into ``current``; False for a type the validating reader
    would refuse."""
    name, plain, number, items = groups
    assert name is not None
    if not inputs and (
        (number is not None) != (name in _NUMBERS) or (items is not None) != (name in _LISTS)
    ):
        return False
    current[name] = (
        plain
        if plain is not None
        else int(number)
        if number is not None
        else tuple(re.findall(r'"([^"\\]*)"', items or ""))
    )
    return True
