"""environment.yml's fast reader: a line scanner for the plain block style nearly every file
uses, accepting only a strict subset of YAML. Anything it is not sure of makes it give up
(None), and the file goes to ruamel.yaml's round-trip parser. Its patterns are linear in a
line's length (see :mod:`npinit.editing.yaml_lines`)."""

from __future__ import annotations

import re
from typing import Any

from npinit.editing import yaml_lines

_KEY = re.compile(r"^(?P<key>[A-Za-z_][A-Za-z0-9_-]*):(?P<rest>(?:[ \t].*)?)$")
# compiled on first use (re's cache): a plain file's items take _SIMPLE_ITEM alone
_PLAIN = r"^[A-Za-z0-9_][^'\"#]*$"
_QUOTED = r"^(?:\"[^\"\\]*\"|'[^']*')$"
_SIMPLE_ITEM = re.compile(r"([ ]*)- ([A-Za-z0-9_][^'\"#:\s]*)\Z")

Found = tuple[int, str, int, int]  # (line, spec, start, end) of a dependency


def scan(text: str) -> tuple[dict[str, Any], list[Found], list[Found]] | None:
    """The file's data (a key with nothing under it is null, as in YAML), where each
    dependency stands and where each item of its ``pip:`` sections stands, when it is plain
    block style; None when it is not (or the scanner is not sure)."""
    if "\t" in text or "\r" in text.replace("\r\n", "\n"):
        return None
    scanner = _Scanner(text.split("\n"))
    try:
        for index, line in enumerate(scanner.lines):
            scanner.read(index, line)
    except _NotPlain:
        return None
    for name, value in scanner.data.items():
        if value == [] or value == {}:
            scanner.data[name] = None
    return scanner.data, scanner.found, scanner.pip_found


def _scalar(value: str) -> str:
    """The string a plain or simply quoted block item means (_NotPlain if unsure)."""
    if re.match(_QUOTED, value):
        return value[1:-1]
    if re.match(_PLAIN, value) and ": " not in value and not value.endswith(":"):
        return value.rstrip()
    raise _NotPlain


class _NotPlain(Exception):
    """Not the plain block style the scanner reads: ruamel.yaml reads the file."""


class _Scanner:
    """The scanner's state (a plain class: a dataclass costs a conda lock's start-up more than
    the scan itself)."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.data: dict[str, Any] = {}
        self.found: list[Found] = []
        self.pip_found: list[Found] = []
        self.key: str | None = None  # the top-level key the lines below belong to
        self.indent: int | None = None  # of the current top-level list's items
        self.pip_indent: int | None = None  # of the items under ``- pip:``

    def read(self, index: int, line: str) -> None:
        simple = _SIMPLE_ITEM.match(line)
        indent = len(simple[1]) if simple is not None else 0
        # the common case, one regex (a list's first item too; a column-0 item is not plain)
        if simple is not None and indent and self.key is not None and self.indent in (None, indent):
            self._simple_item(index, indent, simple[2])
            return
        line = line.removesuffix("\r")
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            return
        if index == 0 and line.startswith("\ufeff"):
            raise _NotPlain
        if not line.startswith(" "):
            self._key(line)
        elif self.key is None:
            raise _NotPlain
        elif self.key == "variables":
            self._variable(line, stripped)
        else:
            self._item(index, line)

    def _simple_item(self, index: int, indent: int, spec: str) -> None:
        """``  - name=1.2`` under a list key (its first item sets the list's indent, as
        :meth:`_item` does)."""
        assert self.key is not None
        target = self.data[self.key]
        if not isinstance(target, list):
            raise _NotPlain
        self.indent = indent
        target.append(spec)
        self.pip_indent = None
        if self.key == "dependencies":
            self.found.append((index, spec, self.indent + 2, self.indent + 2 + len(spec)))

    def _key(self, line: str) -> None:
        """A top-level ``key: value`` or ``key:`` (a list or, for variables, a mapping)."""
        match = _KEY.match(line)
        if match is None or match["key"] in self.data:
            raise _NotPlain
        key = self.key = match["key"]
        self.indent = self.pip_indent = None
        rest = match["rest"].strip()
        if rest and not rest.startswith("#"):
            if key in ("channels", "dependencies", "variables"):
                raise _NotPlain
            if not yaml_lines.plain_key_value(rest):
                raise _NotPlain
            self.data[key] = rest.split(" #")[0].strip()
        else:
            self.data[key] = {} if key == "variables" else []

    def _variable(self, line: str, stripped: str) -> None:
        if not yaml_lines.variable_line(line):
            raise _NotPlain
        name, _, value = stripped.partition(":")
        self.data["variables"][name] = value.split(" #")[0].strip()

    def _item(self, index: int, line: str) -> None:
        """A list item: of the top-level list, of its ``- pip:`` list, or ``- pip:`` itself."""
        assert self.key is not None
        item = yaml_lines.item(line)
        if item is None or not isinstance(self.data[self.key], list):
            raise _NotPlain
        if self.indent is None:
            self.indent = item.indent
        if self.pip_indent is not None and item.indent > self.indent:
            if item.indent != self.pip_indent:
                raise _NotPlain
            spec = _scalar(item.value)
            self.data[self.key][-1]["pip"].append(spec)
            self.pip_found.append((index, spec, item.start, item.start + len(item.value.rstrip())))
            return
        if item.indent != self.indent:
            raise _NotPlain
        self.pip_indent = None
        if self.key == "dependencies" and item.value.rstrip() == "pip:" and not item.commented:
            self.data[self.key].append({"pip": []})
            self.pip_indent = self._pip_indent(index)
            return
        spec = _scalar(item.value)
        self.data[self.key].append(spec)
        if self.key == "dependencies":
            self.found.append((index, spec, item.start, item.start + len(item.value.rstrip())))

    def _pip_indent(self, index: int) -> int:
        """The indent of the items under the ``- pip:`` on line ``index`` (deeper than it)."""
        following = next(
            (
                self.lines[n]
                for n in range(index + 1, len(self.lines))
                if self.lines[n].strip() and not self.lines[n].strip().startswith("#")
            ),
            "",
        )
        first_pip = yaml_lines.item(following)
        assert self.indent is not None
        if first_pip is None or first_pip.indent <= self.indent:
            raise _NotPlain
        return first_pip.indent
