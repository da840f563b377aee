"""Which Pythons a project file allows, from however it spells them: a conda spec
(``python >=3.6``, ``python=3.12``, ``python 3.12.*``), PEP 440 (``requires-python``), Poetry
(``^3.10``, ``~3.10``), or one version (``.python-version``). Read as the set of CPython minors
npinit's release table knows that the spec admits; a range is not a pin."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from npinit.errors import InvalidInput


def _candidates() -> tuple[str, ...]:
    from npinit.knowledge import releases

    return releases.known_pythons()


def _admits(specifier: str, minor: str) -> bool:
    """Whether a PEP 440 specifier set admits some release of ``minor`` (3.X.0 or 3.X.99:
    a range cuts a minor at most once at each end)."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        spec = SpecifierSet(specifier)
    except InvalidSpecifier:
        raise InvalidInput(f"'{specifier}' is not a Python version range", "fix the file") from None
    return any(spec.contains(f"{minor}.{patch}", prereleases=True) for patch in (0, 99))


def conda_to_pep440(spec: str) -> str:
    """One conda version spec (no ``|``) as PEP 440: ``=3.12`` and a bare ``3.12`` match
    every 3.12.x, as conda does; ``3.12.*`` stays; operators pass through."""
    parts = []
    for part in spec.split(","):
        part = part.strip()
        if not part or part == "*":
            continue
        match = re.fullmatch(r"(==|=)?\s*(\d+(?:\.\d+)*)(\.?\*)?", part)  # 3.9* too
        if match:
            op, version, star = match.groups()
            exact = op == "==" and not star
            parts.append(f"=={version}" if exact else f"=={version}.*")
            continue
        parts.append(part.replace(" ", ""))
    return ",".join(parts)


def _caret_upper(version: str) -> str:
    """Poetry's caret bound: the first non-zero part goes up (``^1.2`` <2, ``^0.19.1``
    <0.20, ``^0.0.3`` <0.0.4); all zero: the last part given (``^0.0`` <0.1)."""
    bits = [int(re.match(r"\d*", b).group() or 0) for b in version.split(".")]  # type: ignore[union-attr]
    at = next((i for i, b in enumerate(bits) if b), len(bits) - 1)
    return ".".join(str(b) for b in [*bits[:at], bits[at] + 1])


def minor_range(python: str) -> str:
    """The one Python minor ``python`` names as a PEP 440 range: ``3.12`` -> ``>=3.12,<3.13``
    (a free-threaded ``3.14t`` too: PEP 440 has no ABI)."""
    version = python.removesuffix("t")
    major, minor = version.split(".")
    return f">={version},<{major}.{int(minor) + 1}"


def poetry_to_pep440(spec: str) -> str:
    """Poetry's ``^3.10`` (>=3.10,<4), ``~3.10`` (>=3.10,<3.11) and PEP 440 forms."""
    parts = []
    # a run of blanks is split where it starts, never tried again from inside (linear)
    pieces = (re.split(r"(?<!\s)\s+(?=[<>=!~^])", p.strip()) for p in spec.split(","))
    for part in (piece for split in pieces for piece in split):
        if part.startswith("^"):
            version = part[1:]
            parts += [f">={version}", f"<{_caret_upper(version)}"]
        elif part.startswith("~") and not part.startswith("~="):
            version = part[1:]
            bits = version.split(".")
            upper = f"{bits[0]}.{int(bits[1]) + 1}" if len(bits) > 1 else str(int(bits[0]) + 1)
            parts += [f">={version}", f"<{upper}"]
        elif re.fullmatch(r"\d+(\.\d+)*(\.\*)?", part):
            parts.append(f"=={part}")
        elif part and part != "*":
            parts.append(part)
    return ",".join(parts)


def allowed(spec: str, dialect: str) -> frozenset[str] | None:
    """The minors ``spec`` admits (None when it says nothing: ``python`` or ``*``).

    ``dialect``: ``conda`` (also pixi and ``python`` lines in requirements), ``pep440``,
    ``poetry`` or ``version`` (one version, as in ``.python-version``)."""
    text = spec.strip()
    if not text or text == "*":
        return None
    if dialect == "version":
        return frozenset({uv_request(text).removesuffix("t")})
    alternatives = [a.strip() for a in text.replace("||", "|").split("|")]
    found: set[str] = set()
    for alternative in alternatives:
        if dialect == "conda":
            pep440 = conda_to_pep440(alternative)
        elif dialect == "poetry":
            try:
                pep440 = poetry_to_pep440(alternative)
            except (ValueError, IndexError):  # ^x, ~ : no version after the operator
                raise InvalidInput(f"'{text}' is not a Python version range", "fix it") from None
        else:
            pep440 = alternative
        if not pep440:
            return None
        found |= {minor for minor in _candidates() if _admits(pep440, minor)}
    return frozenset(found)


# uv's Python request (its "Python versions" page): an implementation (``cpython-``,
# ``cpython@``, ``cpython``, ``python``, ``cp``) or none, a version (``3.14``, ``3.14.0``,
# ``cp314``), a variant (``t``, ``+freethreaded``: free-threaded; ``d``, ``+debug``,
# ``+gil``: not), and for a download key ``-os-arch-libc``.
_UV_REQUEST = re.compile(
    r"(?:cpython[-@]?|python|cp)?(?P<minor>3\.?\d{1,2})(?:\.\d+(?:(?:a|b|rc)\d+)?)?"
    r"(?:(?P<t>t)?d?|\+(?P<variant>freethreaded|debug|gil))(?:-[a-z0-9_]+){0,3}",
    re.IGNORECASE,
)


def uv_request(text: str) -> str:
    """The Python a uv request names (a ``.python-version`` line, ``uv --python``), as npinit
    records it: ``3.14`` or, free-threaded (``3.14t``, ``3.14+freethreaded``,
    ``cpython-3.14.0t``), ``3.14t``."""
    match = _UV_REQUEST.fullmatch(text.strip())
    if match is None:
        raise InvalidInput(
            f"'{text.strip()}' is not a Python version",
            "write 3.X, e.g. 3.12 (3.14t for the free-threaded build)",
        )
    digits = match["minor"]
    version = digits if "." in digits else f"{digits[0]}.{digits[1:]}"
    free = match["t"] is not None or (match["variant"] or "").lower() == "freethreaded"
    return f"{version}t" if free else version


def describe(minors: Iterable[str]) -> str:
    """``3.11, 3.12, 3.13`` in version order."""
    ordered = sorted(set(minors), key=lambda m: tuple(int(x) for x in m.split(".")))
    return ", ".join(ordered) if ordered else "none"


def marker_holds(marker: str, python: str) -> bool:
    """Whether a PEP 508 marker (``python_version >= "3.12"``, "" for always) holds for the
    Python minor ``python`` (``3.14t`` as 3.14); a marker packaging cannot evaluate holds."""
    if not marker:
        return True
    from packaging.markers import InvalidMarker, Marker

    try:
        return Marker(marker).evaluate(
            {"python_version": python.removesuffix("t"), "python_full_version": f"{python}.0"}
        )
    except (InvalidMarker, KeyError, ValueError):
        return True


def python_version_pin(folder: Path) -> str:
    """The Python ``folder``'s ``.python-version`` names (uv's pin: what ``uv sync`` builds;
    its first line that is not a comment, read as uv reads it): ``3.12``, free-threaded
    ``3.14t``, or "" without one."""
    from npinit.reading import read_editable

    path = folder / ".python-version"
    if not path.is_file():
        return ""
    lines = [line.strip() for line in read_editable(path).splitlines()]
    first = next((line for line in lines if line and not line.startswith("#")), "")
    return uv_request(first) if first else ""
