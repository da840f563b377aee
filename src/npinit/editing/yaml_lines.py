"""The line grammar of environment.yml's fast scanner, in time linear in the line's length.

Each function reads one physical line (no line break, no tab: the scanner sends files with
tabs to ruamel.yaml) with plain string methods and regular expressions whose neighbouring
quantifiers never range over the same characters, so a line of a million spaces is read in
one pass, never once per starting column (issue 24: a 50 kB line took 54 s).
"""

# no __future__ annotations: typing.NamedTuple compiles an annotation string (test_imports)

import re
from typing import NamedTuple

# a block value after ``key:`` or ``name:`` may not hold these (YAML syntax or unsure)
_KEY_VALUE_STOP = frozenset("'\"#:{}[]&*!|>%@`")
_VARIABLE_STOP = frozenset("'\"#{}[]&*!|>%@`")
_KEY_VALUE_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./")
_VARIABLE_NAME = r"[ ]+[A-Za-z_][A-Za-z0-9_]*:"  # compiled on first use (re's cache)


class Item(NamedTuple):
    """A block list item ``<indent>- <value>[  # comment]``."""

    indent: int  # spaces before the dash
    start: int  # column where the value starts
    value: str  # up to the comment (trailing spaces kept when there is none)
    commented: bool  # a ``  # comment`` follows the value


def item(line: str) -> Item | None:
    """The list item on ``line``, or None when the line is not one (``-`` then at least one
    space then a non-blank value; a comment starts at the first ``#`` after a space)."""
    body = line.lstrip(" ")
    indent = len(line) - len(body)
    if not body.startswith("-"):
        return None
    after_dash = body[1:]
    value = after_dash.lstrip(" ")
    if len(value) == len(after_dash) or not value or value[0].isspace():
        return None
    start = len(line) - len(value)
    comment = line.find(" #", start + 1)
    if comment < 0:
        return Item(indent, start, line[start:], False)
    return Item(indent, start, line[start:comment].rstrip(" "), True)


def plain_key_value(rest: str) -> bool:
    """Whether ``rest`` (what follows ``key:``) is empty, a comment, or a plain scalar the
    scanner is sure of (no quotes, flow, anchors, tags, block scalars or colons)."""
    head = rest.partition("#")[0].strip(" ")
    return not head or (head[0] in _KEY_VALUE_START and not _KEY_VALUE_STOP.intersection(head))


def variable_line(line: str) -> bool:
    """Whether ``line`` is ``  NAME: value`` under ``variables:`` with a plain value."""
    match = re.match(_VARIABLE_NAME, line)
    if match is None:
        return False
    head = line[match.end() :].partition("#")[0]
    return not _VARIABLE_STOP.intersection(head)
