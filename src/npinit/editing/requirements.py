"""requirements*.txt: rewrite the numpy line to an exact pin, byte for byte elsewhere.

Each line is parsed with packaging's PEP 508 parser; ``-r``/``-c``/options, comments,
markers, extras, inline comments and the name's own spelling are kept.
"""

from __future__ import annotations

import re

from npinit.errors import InvalidInput

_SPLIT = re.compile(r"^(?P<body>[^#]*?)(?P<tail>\s+#.*|\s*)$")


def _requirement_name(body: str) -> str | None:
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    text = body.strip()
    if not text or text.startswith("-") or "://" in text or text.startswith((".", "/")):
        return None
    try:
        return str(canonicalize_name(Requirement(text).name))
    except InvalidRequirement:
        return None


def numpy_lines(text: str) -> list[int]:
    """Indexes of the lines that require numpy."""
    found = []
    for index, line in enumerate(text.splitlines()):
        match = _SPLIT.match(line)
        if match and _requirement_name(match["body"].rstrip("\\").strip()) == "numpy":
            found.append(index)
    return found


def set_numpy(text: str, version: str, origin: str) -> str:
    """Pin numpy to ``version`` in the file's own form, or add a pin after the last
    requirement when the file has none."""
    from packaging.requirements import Requirement

    lines = text.splitlines(keepends=True)
    indexes = numpy_lines(text)
    for index in indexes:
        raw = lines[index]
        ending = raw[len(raw.rstrip("\r\n")) :]
        match = _SPLIT.match(raw.rstrip("\r\n"))
        assert match is not None
        body, tail = match["body"], match["tail"]
        continuation = body.rstrip().endswith("\\")
        requirement = Requirement(body.rstrip().rstrip("\\").strip())
        name = re.match(r"\s*([A-Za-z0-9._-]+)", body)
        assert name is not None
        spelled = name.group(1)
        extras = f"[{','.join(sorted(requirement.extras))}]" if requirement.extras else ""
        marker = f"; {requirement.marker}" if requirement.marker else ""
        pin = f"{spelled}{extras}=={version}{marker}"
        indent = body[: len(body) - len(body.lstrip())]
        cont = " \\" if continuation else ""
        lines[index] = f"{indent}{pin}{cont}{tail}{ending}"
    if not indexes:
        last = max(
            (
                i
                for i, line in enumerate(lines)
                if _requirement_name(line.split("#")[0]) is not None
            ),
            default=len(lines) - 1,
        )
        newline = "\r\n" if text.endswith("\r\n") else "\n"
        if lines and not lines[-1].endswith(("\n", "\r")) and last == len(lines) - 1:
            lines[-1] += newline
        lines.insert(last + 1, f"numpy=={version}{newline}")
    return "".join(lines)


def check(text: str, origin: str) -> None:
    """Refuse a file that is not text of requirement lines (binary, NUL bytes)."""
    if "\x00" in text:
        raise InvalidInput(f"{origin} is not a requirements file", "give a text file")
