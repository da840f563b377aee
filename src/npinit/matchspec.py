"""conda's MatchSpec, read in one place: py-rattler's own parser where it is installed
(imported only when a spec is read), else one fallback grammar, which tests hold to the same
tables of real specs (tests/integration/test_with_specs.py for names,
test_set_real_world.py for BLAS selectors' builds)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_OP = r"(?:==|>=|<=|!=|~=|=|>|<)"
_VERSION = r"[A-Za-z0-9_.*+!]+"
_CONSTRAINT = rf"(?:{_OP}\s*)?{_VERSION}"
_GRAMMAR = re.compile(
    r"^(?:(?P<channel>[A-Za-z0-9_./-]+)::)?"
    r"(?P<name>[A-Za-z0-9_][A-Za-z0-9_.-]*)"
    r"(?P<brackets>\[[^\[\]]*\])?"
    rf"(?:(?:\s+|(?=[=<>!~*+]))(?P<version>{_CONSTRAINT}(?:\s*[,|]\s*{_CONSTRAINT})*)"
    rf"(?:(?:=|\s+)(?P<build>[A-Za-z0-9_.*+]+))?)?"
    r"(?P<after>\[[^\[\]]*\])?$"
)
_BRACKET_BUILD = re.compile(r"\bbuild\s*=\s*['\"]?(?P<build>[^'\",\]]+)")  # [build=*mkl]


@dataclass(frozen=True)
class MatchSpec:
    """What npinit reads of a spec: the package name (normalized) and the build asked for."""

    name: str
    build: str | None = None


def parse(text: str) -> MatchSpec | None:
    """``text`` read as a MatchSpec (``scipy>=1.14,<2``, ``conda-forge::libblas=*=*mkl``,
    ``libblas[build=*mkl]``, ``scipy 1.14.*``), or None when it is not one."""
    try:
        import rattler
    except ImportError:
        return parse_without_rattler(text)
    try:
        spec = rattler.MatchSpec(text.strip())
    except Exception:  # py-rattler raises its own parse errors
        return None
    return MatchSpec(str(spec.name.normalized), str(spec.build) if spec.build else None)


def parse_without_rattler(text: str) -> MatchSpec | None:
    """:func:`parse` by the fallback grammar (linear in the text's length)."""
    match = _GRAMMAR.match(text.strip())
    if match is None:
        return None
    build = match["build"]
    for brackets in (match["brackets"], match["after"]):
        found = _BRACKET_BUILD.search(brackets or "")
        if found:
            build = found["build"]
    return MatchSpec(match["name"].lower(), build)
