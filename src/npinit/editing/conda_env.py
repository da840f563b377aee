"""environment.yml: change the numpy, python and BLAS entries and nothing else.

Each dependency is located by its line and columns; the edit replaces only those characters,
so comments, blank lines, indentation, quoting, ``pip:`` sections, flow-style lists
(``dependencies: [python=3.12, numpy]``) and the trailing newline stay as they were. The result
is parsed again to prove it.

Two readers locate the entries. Files in the plain block style nearly every environment.yml
uses are read by a line scanner that accepts only a strict subset of YAML (anything it is not
sure of sends the file to the other reader): a 300,000-entry file is edited in a second, not a
minute. Everything else goes to ruamel.yaml's round-trip parser.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, NamedTuple

from npinit import matchspec
from npinit.editing.selectors import BLAS_SELECTORS, blas_build
from npinit.errors import InvalidInput
from npinit.reading import parse_bounded

__all__ = ["BLAS_SELECTORS", "Entry", "blas_build", "edit", "parse", "set_channel"]

# the entries an edit looks at; :func:`parse` returns these, and the first and last entry
PYTHONS = ("python", "python-freethreading")  # conda-forge's GIL and free-threaded CPython
EDITED = ("numpy", *PYTHONS, "libblas", "liblapack", "libcblas", "blas", "nomkl", "mkl")


class Entry(NamedTuple):
    line: int  # index in the file's lines
    name: str
    spec: str
    start: int = -1  # the columns of the item in its line, quotes included
    end: int = -1
    flow: bool = False  # an item of a [flow, style] list


_FLOW_UNSAFE = re.compile(r"[,\[\]{}]|: |\s#|^[!&*|>'\"%@`]")


def _fast_parse(text: str) -> tuple[dict[str, Any], list[Entry], list[Entry]] | None:
    """The file's data, entries and pip numpy entries when it is plain block style; None to
    use ruamel."""
    from npinit.editing.conda_scan import scan

    scanned = scan(text)
    if scanned is None:
        return None
    data, found, pip_found = scanned
    last = len(found) - 1
    entries = [
        Entry(line, matchspec.entry_name(spec), spec, start, end)
        for i, (line, spec, start, end) in enumerate(found)
        if i in (0, last) or _may_edit(spec)
    ]
    pip = [Entry(line, "numpy", spec, start, end) for line, spec, start, end in pip_found]
    return data, entries, [e for e in pip if _pip_numpy(e.spec)]


def _ruamel_parse(text: str, origin: str) -> tuple[dict[str, Any], list[Entry], list[Entry]]:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        data = parse_bounded(YAML(typ="rt").load, text, origin)
    except YAMLError as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else "invalid YAML"
        raise InvalidInput(f"{origin} is not valid YAML ({first})", "fix the file") from None
    if not isinstance(data, dict):
        raise InvalidInput(
            f"{origin} is not an environment file (its top level is not a mapping)",
            "an environment.yml has name, channels and dependencies keys",
        )
    deps = data.get("dependencies")
    if not isinstance(deps, list):
        return data, [], []
    lines = text.splitlines()
    entries = [
        Entry(line, matchspec.entry_name(str(item)), str(item), start, end, flow)
        for item, (line, start, end, flow) in _located(deps, lines)
        if isinstance(item, str)
    ]
    pip = [
        Entry(line, "numpy", str(item), start, end, flow)
        for section in deps
        if isinstance(section, dict) and isinstance(section.get("pip"), list)
        for item, (line, start, end, flow) in _located(section["pip"], lines)
        if isinstance(item, str) and _pip_numpy(item)
    ]
    return data, _edited(entries), pip


def _located(items: Any, lines: list[str]) -> list[tuple[Any, tuple[int, int, int, bool]]]:
    """Each item of a ruamel sequence with its line, its columns and whether it is flow."""
    flow = bool(items.fa.flow_style())
    found = []
    for index, item in enumerate(items):
        line, column = items.lc.item(index)
        # an alias (``- *np``) is located at its anchor (``x: &np numpy>=2``): the value
        # after the anchor is the spec, edited there (every use of it changes alike)
        anchor = re.match(r"&[^\s,\]]+\s+", lines[line][column:])
        column += anchor.end() if anchor else 0
        found.append((item, (line, column, _token_end(lines[line], column, flow), flow)))
    return found


def _pip_numpy(requirement: str) -> bool:
    """Whether a ``pip:`` item is a numpy requirement (pip's name rule, see requirements)."""
    from npinit.editing.requirements import numpy_lines

    return bool(numpy_lines(requirement))


def _edited(entries: list[Entry]) -> list[Entry]:
    """The entries an edit can touch, and the first and last (where new ones go)."""
    return [e for i, e in enumerate(entries) if i in (0, len(entries) - 1) or _may_edit(e.spec)]


def _token_end(line: str, start: int, flow: bool) -> int:
    """Where the scalar starting at ``start`` ends (after its closing quote)."""
    if line[start : start + 1] in ("'", '"'):
        quote = line[start]
        index = start + 1
        while index < len(line):
            if line[index] == "\\" and quote == '"':
                index += 2
                continue
            if line[index] == quote:
                if quote == "'" and line[index + 1 : index + 2] == "'":
                    index += 2
                    continue
                return index + 1
            index += 1
        return len(line)
    stop = re.compile(r"\s#|,|\]" if flow else r"\s#")
    match = stop.search(line, start)
    end = match.start() if match else len(line)
    return len(line[:end].rstrip())


@lru_cache(maxsize=8)
def _parse_cached(
    text: str, origin: str
) -> tuple[dict[str, Any], tuple[Entry, ...], tuple[Entry, ...]]:
    found = _fast_parse(text)
    data, entries, pip = found if found is not None else _ruamel_parse(text, origin)
    return data, tuple(entries), tuple(pip)


def pip_numpy(text: str, origin: str) -> list[Entry]:
    """The numpy requirements of the file's ``pip:`` sections, with their positions."""
    parse(text, origin)
    return list(_parse_cached(text, origin)[2])


def parse(text: str, origin: str) -> tuple[dict[str, Any], list[Entry]]:
    """The file's data and its string dependencies with their positions."""
    data, entries, _ = _parse_cached(text, origin)
    deps = data.get("dependencies")
    if deps is None:
        raise InvalidInput(f"{origin} has no dependencies list", "add a dependencies: list")
    if not isinstance(deps, list):
        raise InvalidInput(f"{origin}: dependencies is not a list", "make it a YAML list")
    return data, list(entries)


def _may_edit(spec: str) -> bool:
    return spec.rsplit("::", 1)[-1][:10].lower().startswith(EDITED)


def channel_of(data: dict[str, Any]) -> str:
    """The file's main channel (its first), ``conda-forge`` when none is listed."""
    channels = data.get("channels") or []
    names = (
        [str(c) for c in channels if str(c) != "nodefaults"] if isinstance(channels, list) else []
    )
    return names[0] if names else "conda-forge"


def _requote(old_token: str, spec: str) -> str:
    """``spec`` quoted the way the old item was."""
    if old_token[:1] in ("'", '"') and old_token[-1:] == old_token[:1]:
        quote = old_token[0]
        if quote not in spec and "\\" not in spec:
            return f"{quote}{spec}{quote}"
    return spec


def edit(
    text: str,
    origin: str,
    *,
    numpy: str | None = None,
    python: str | None = None,
    blas_lines: list[str] | None = None,
    drop_nomkl: bool = False,
    drop_mkl: bool = False,
) -> str:
    """Apply the requested changes; ``blas_lines`` replaces every BLAS selector, in every
    spelling (:func:`blas_build`), and ``nomkl``/``mkl`` entries that contradict the choice."""
    _, entries = parse(text, origin)
    if not entries:
        raise InvalidInput(f"{origin} has no conda dependencies to edit", "add some first")
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if text.count("\r\n") > text.count("\n") // 2 else "\n"
    changes = _Changes(entries, pip_numpy(text, origin))
    if numpy is not None:
        changes.numpy(numpy)
    if python is not None:
        changes.python(python)
    if blas_lines is not None:
        changes.blas(blas_lines, drop_nomkl, drop_mkl)
    # apply from the end of the file so that earlier positions stay valid
    for entry in sorted(changes.planned, key=lambda e: (e.line, e.start), reverse=True):
        spec, added = changes.planned[entry]
        lines[entry.line] = _apply(lines, entry, spec, added, newline)
    result = "".join(lines)
    parse(result, origin)  # still a valid environment file
    return result


class _Changes:
    """Each entry's change: a new spec (None removes it), and specs to add after it."""

    def __init__(self, entries: list[Entry], pip: list[Entry]) -> None:
        self.entries, self.pip = entries, pip
        self.by_name = {e.name: e for e in entries}
        self.planned: dict[Entry, tuple[str | None, list[str]]] = {}

    def replace(self, entry: Entry, spec: str | None) -> None:
        self.planned[entry] = (spec, self.planned.get(entry, (entry.spec, []))[1])

    def insert_after(self, entry: Entry, specs: list[str]) -> None:
        old = self.planned.get(entry, (entry.spec, []))
        self.planned[entry] = (old[0], [*old[1], *specs])

    def numpy(self, version: str) -> None:
        """Every numpy entry pinned (a second must not keep its range; a ``channel::``
        prefix is kept), the ``pip:`` section's too, in pip's form (numpy on both sides is
        pinned consistently on both); with none, one added after python (else last)."""
        from npinit.editing.requirements import set_numpy

        for entry in self.pip:
            self.replace(entry, set_numpy(entry.spec, version, "pip:", add=False))
        if "numpy" not in self.by_name and self.pip:
            return
        if "numpy" not in self.by_name:
            self.insert_after(self.by_name.get("python") or self.entries[-1], [f"numpy={version}"])
            return
        for entry in (e for e in self.entries if e.name == "numpy"):
            prefix = "".join(entry.spec.strip().rpartition("::")[:2])
            self.replace(entry, f"{prefix}numpy={version}")

    def python(self, python: str) -> None:
        """conda-forge spells a free-threaded 3.14t as python-freethreading=3.14."""
        spelled = f"{PYTHONS[python.endswith('t')]}={python.removesuffix('t')}"
        current = self.by_name.get("python") or self.by_name.get("python-freethreading")
        if current is not None:
            self.replace(current, spelled)
        else:
            self.insert_after(self.entries[0], [spelled])

    def blas(self, blas_lines: list[str], drop_nomkl: bool, drop_mkl: bool) -> None:
        """The first BLAS selector becomes ``blas_lines``, the others (and a contradicting
        ``nomkl``/``mkl``) go; without any, the lines go after numpy (else last)."""
        selectors = [
            e
            for e in self.entries
            if (e.name in BLAS_SELECTORS and blas_build(e.spec) is not None)
            or (e.name == "nomkl" and drop_nomkl)
            or (e.name == "mkl" and drop_mkl)
        ]
        if not selectors:
            if blas_lines:
                self.insert_after(self.by_name.get("numpy") or self.entries[-1], blas_lines)
            return
        first, rest = selectors[0], selectors[1:]
        self.replace(first, blas_lines[0] if blas_lines else None)
        if blas_lines[1:]:
            self.insert_after(first, blas_lines[1:])
        for entry in rest:
            self.replace(entry, None)


def _apply(lines: list[str], entry: Entry, spec: str | None, added: list[str], nl: str) -> str:
    """The new text of ``entry``'s line (several lines when entries are added after it)."""
    raw = lines[entry.line]
    body = raw.rstrip("\r\n")
    ending = raw[len(body) :]
    token = body[entry.start : entry.end]
    if entry.flow:
        # a new item of a flow list is quoted where flow syntax would cut it
        quoted = [f'"{a}"' if _FLOW_UNSAFE.search(a) else a for a in added]
        items = ([] if spec is None else [_requote(token, spec)]) + quoted
        inserted = ", ".join(items)
        if spec is None and not added:  # remove the item and one comma beside it
            before, after = body[: entry.start], body[entry.end :]
            if re.match(r"\s*,", after):
                after = re.sub(r"^\s*,\s*", "", after)
            else:
                before = re.sub(r",\s*$", "", before)
            return before + after + ending
        return body[: entry.start] + inserted + body[entry.end :] + ending
    lead = body[: entry.start]
    new_lines = []
    if spec is not None:
        new_lines.append(body[: entry.start] + _requote(token, spec) + body[entry.end :])
    new_lines += [lead + s for s in added]
    if not new_lines:
        return ""
    return nl.join(new_lines) + ending


def set_channel(text: str, origin: str, channel: str) -> str:
    """Make ``channel`` the file's channel: its first channel entry is rewritten, and
    ``nodefaults`` goes when the channel becomes ``defaults``."""
    from ruamel.yaml import YAML

    data = parse_bounded(YAML(typ="rt").load, text, origin)
    channels = data.get("channels")
    lines = text.splitlines(keepends=True)
    if not isinstance(channels, list) or not channels:
        raise InvalidInput(f"{origin} has no channels list", "add channels: [conda-forge]")
    if channels.fa.flow_style():  # type: ignore[attr-defined]
        raise InvalidInput(
            f"{origin} lists its channels in flow style ([...])",
            "write them one per line (- conda-forge) and run npinit set again",
        )
    drop = set()
    for index, name in enumerate(channels):
        line, column = channels.lc.item(index)  # type: ignore[attr-defined]
        if index == 0:
            body = lines[line].rstrip("\r\n")
            end = _token_end(body, column, False)
            token = body[column:end]
            lines[line] = (
                body[:column] + _requote(token, channel) + body[end:] + lines[line][len(body) :]
            )
        elif str(name) == "nodefaults" and channel == "defaults":
            drop.add(line)
    result = "".join(line for i, line in enumerate(lines) if i not in drop)
    parse(result, origin)
    return result
