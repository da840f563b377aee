"""One numpy requirement's version, as its file spells it: re-pinned (the one place a
requirement's version is rewritten) and compared with a release."""

from __future__ import annotations

import re

_PARTS = re.compile(
    r"(?P<name>\s*[A-Za-z0-9][A-Za-z0-9._-]*(?:\s*\[[^\]]*\])?)(?P<gap>\s*)"
    r"(?P<version>.*?)(?P<marker>\s*(?:;.*)?)",
    re.DOTALL,
)


def repin(requirement: str, version: str) -> str:
    """One requirement as its file spells it, pinned to ``==version``: only its version part
    (a range, or ``@ URL``) changes; the name, extras, marker, quotes and blanks are kept
    (``numpy>=1.26; python_version < '3.12'`` -> ``numpy==2.1.3; python_version < '3.12'``,
    ``numpy >= 1.26`` -> ``numpy == 2.1.3``).
    The one place a requirement is re-pinned (requirements files, PEP 621 arrays)."""
    parts = _PARTS.fullmatch(requirement)
    assert parts is not None  # the caller read it as a requirement
    was = parts["version"]
    if not was or was.startswith("@"):  # nothing there, or a URL: the pin follows the name
        pin = f"=={version}" + (parts["gap"] if not was else "")
    else:  # a blank after the range's first operator stays (``>= 1.26`` -> ``== 2.1.3``)
        blank = re.match(r"\(?\s*[<>=!~]+(\s*)", was)
        pinned = f"=={blank.group(1) if blank else ''}{version}"
        pin = parts["gap"] + (f"({pinned})" if was.startswith("(") else pinned)
    return parts["name"] + pin + parts["marker"]


def meets(spec: str, numpy: str, url: str | None = None) -> bool:
    """Whether the PEP 440 range ``spec`` allows release ``numpy`` (a URL: never)."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        return not url and SpecifierSet(spec).contains(numpy, prereleases=True)
    except InvalidSpecifier:
        return False
