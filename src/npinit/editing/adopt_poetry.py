"""A Poetry pyproject's dependencies as PEP 508 requirements, so that uv resolves them as
it resolves the other PyPI managers' files (choosing pins by solving): ``^``/``~``/``*``
and exact versions converted (:func:`npinit.editing.pythons.poetry_to_pep440`), extras and
markers kept, every group included (``poetry lock`` resolves them all). Git, path and URL
dependencies cannot come from the index: they are named and left out."""

from __future__ import annotations

from typing import Any


def _line(name: str, value: Any) -> str | None:
    from npinit.editing.pythons import poetry_to_pep440

    if isinstance(value, str):
        return f"{name}{poetry_to_pep440(value)}"
    if not isinstance(value, dict) or not isinstance(value.get("version", "*"), str):
        return None
    if any(key in value for key in ("git", "path", "url", "file")):
        return None
    extras = value.get("extras") or []
    line = name + (f"[{','.join(extras)}]" if extras else "")
    line += poetry_to_pep440(str(value.get("version", "*")))
    marker = entry_marker(value)
    return line + (f"; {marker}" if marker else "")


def entry_marker(value: Any) -> str:
    """A Poetry dependency table's ``markers`` and ``python`` as one PEP 508 marker ("" when
    it has neither)."""
    if not isinstance(value, dict):
        return ""
    markers = [str(value["markers"])] if value.get("markers") else []
    if value.get("python"):
        markers.append(_python_marker(str(value["python"])))
    return " and ".join(f"({m})" for m in markers)


def _python_marker(spec: str) -> str:
    """Poetry's ``python = "^3.10"`` of one dependency as a marker."""
    from packaging.specifiers import SpecifierSet

    from npinit.editing.pythons import poetry_to_pep440

    clauses = SpecifierSet(poetry_to_pep440(spec))
    return " and ".join(f"python_version {c.operator} '{c.version}'" for c in clauses) or (
        "python_version >= '0'"
    )


def poetry_requirements(doc: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The requirement lines of ``[tool.poetry.dependencies]``, ``dev-dependencies`` and
    every group, and the names left out (not from the index)."""
    poetry = (doc.get("tool") or {}).get("poetry") or {}
    tables = [poetry.get("dependencies") or {}, poetry.get("dev-dependencies") or {}]
    tables += [(g or {}).get("dependencies") or {} for g in (poetry.get("group") or {}).values()]
    project = doc.get("project") if isinstance(doc.get("project"), dict) else {}
    lines: list[str] = [str(d) for d in (project or {}).get("dependencies") or []]
    skipped: list[str] = []
    for table in tables:
        for name, value in table.items():
            if name.lower() == "python":
                continue
            for each in value if isinstance(value, list) else [value]:
                line = _line(name, each)
                (lines.append(line) if line else skipped.append(name))
    return lines, sorted(set(skipped))
