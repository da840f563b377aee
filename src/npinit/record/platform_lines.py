"""The lines of a requirements file that hold on none of the platforms a project records
(``numba==0.60.0; sys_platform == "win32"`` in a project for linux-64): uv's universal
resolution counts them for every platform, so a package only for a platform the project
does not record could cap NumPy for all. npinit resolves a pip project for its platforms:
those lines are left out of the copy uv resolves (:func:`npinit.record.resolve_pypi.resolve`)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path


def requirement_marker(line: str) -> str:
    """The PEP 508 marker of one requirement line ("" for none, or for a line that is no
    requirement: an option, an include, a comment)."""
    from packaging.requirements import InvalidRequirement, Requirement

    body = re.sub(r"(^|\s)#.*$", "", line).strip().rstrip("\\").strip()
    body = re.split(r"\s--hash[=\s]", body)[0].strip()
    if not body or body.startswith("-"):
        return ""
    try:
        requirement = Requirement(body)
    except InvalidRequirement:
        return ""
    return str(requirement.marker) if requirement.marker else ""


def elsewhere_only(text: str, environments: Sequence[Mapping[str, str]]) -> list[int]:
    """The indexes of the lines (a requirement and the ``\\``-continued lines after it) whose
    marker holds in none of ``environments`` (each a platform's PEP 508 environment)."""
    from packaging.markers import InvalidMarker, Marker, UndefinedEnvironmentName

    lines = text.splitlines()
    dropped: list[int] = []
    index = 0
    while index < len(lines):
        end = index
        while lines[end].rstrip().endswith("\\") and end + 1 < len(lines):
            end += 1
        marker = requirement_marker(lines[index])
        try:
            holds = not marker or any(Marker(marker).evaluate(dict(e)) for e in environments)
        except (InvalidMarker, UndefinedEnvironmentName, ValueError):
            holds = True  # a marker packaging cannot evaluate is uv's to judge
        if not holds:
            dropped += range(index, end + 1)
        index = end + 1
    return dropped


def pyproject_lines(
    path: Path, text: str, environments: Sequence[Mapping[str, str]], target: Path
) -> Path:
    """What uv resolves of a PEP 621 pyproject.toml (its ``[project]`` dependencies): the
    file itself, or, when some of them hold on none of ``environments``, the others as a
    requirements file at ``target``. The file itself where uv must read it (dependencies
    that are dynamic, or come from ``[tool.uv.sources]``)."""
    import tomllib

    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return path  # uv says what is wrong with it
    project = doc.get("project")
    uv = (doc.get("tool") or {}).get("uv") or {}
    if not environments or not isinstance(project, dict) or not isinstance(uv, dict):
        return path
    if "dependencies" in (project.get("dynamic") or []) or uv.get("sources"):
        return path
    listed = project.get("dependencies") or []
    if not isinstance(listed, list) or not all(isinstance(d, str) for d in listed):
        return path
    kept = [d for d in listed if not elsewhere_only(d, environments)]
    if len(kept) == len(listed):
        return path
    target.write_text("".join(f"{d}\n" for d in kept), "utf-8")
    return target


def numpy_tables(pyproject: Path) -> list[str]:
    """uv's arguments for a pyproject's extras and dependency groups that name numpy
    (``--extra fast``, ``--group test``): a PEP 621 file whose numpy is in one of them has it
    pinned there by ``npinit init``, and what init records is what the lock holds, so they
    are resolved (and locked) with the dependencies, for init's solve and ``npinit lock``
    alike; the other extras and groups are not."""
    import tomllib

    from packaging.requirements import InvalidRequirement, Requirement

    try:
        doc = tomllib.loads(pyproject.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return []  # uv says what is wrong with it

    def names_numpy(items: object) -> bool:
        for item in items if isinstance(items, list) else []:
            try:
                if isinstance(item, str) and Requirement(item).name.lower() == "numpy":
                    return True
            except InvalidRequirement:
                continue
        return False

    project: dict[str, object] = doc["project"] if isinstance(doc.get("project"), dict) else {}
    args = []
    for option, table in (
        ("--extra", project.get("optional-dependencies")),
        ("--group", doc.get("dependency-groups")),
    ):
        for name, items in (table if isinstance(table, dict) else {}).items():
            args += [option, name] if names_numpy(items) else []
    return args
