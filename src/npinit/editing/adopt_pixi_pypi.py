"""A pixi manifest's PyPI dependencies, the way pixi reads them (prefix-dev/pixi,
crates/pixi_manifest ``pypi/pypi_requirement.rs``; pixi_core's ``lock_file/resolve/pypi.rs``):

- ``[pypi-dependencies]`` of every feature, a ``[target.<selector>.pypi-dependencies]``
  overwriting the feature's entry of the same name on the platforms it matches (the same
  rule as conda dependencies); across features every entry is kept;
- in a pyproject.toml, ``[project.dependencies]`` belong to the default feature;
- an entry is a version (``"*"``, ``">=2.18, <3"``), a table of ``version`` and ``extras``,
  or a local project (``{ path = ".", editable = true }``): those npinit locks. A ``git``,
  ``url`` or ``index`` entry, and a PyPI numpy beside a conda one, are refused by name.

Each environment's entries on a platform become the requirement lines uv resolves
(:mod:`npinit.record.resolve_pixi_pypi`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

TABLE = "pypi-dependencies"
_VERSION_KEYS = {"version", "extras"}
_PATH_KEYS = {"path", "editable", "extras"}


@dataclass(frozen=True)
class PypiEntry:
    """One PyPI dependency as uv reads it: a PEP 508 requirement, or a local project."""

    name: str
    requirement: str  # "tensorflow>=2.18.0,<3", "rich[jupyter]"; a path entry's own name
    path: str | None = None  # a local project, relative to the manifest's folder
    editable: bool = False

    def line(self, folder: Path) -> str:
        """The requirements-file line: a local project by its absolute folder."""
        if self.path is None:
            return self.requirement
        where = (folder / self.path).resolve().as_posix()
        extras = self.requirement[len(self.name) :]
        return f"-e {where}{extras}" if self.editable else f"{self.name}{extras} @ file://{where}"


def canonical(name: str) -> str:
    import re

    return re.sub(r"[-_.]+", "-", name).lower()


def _extras(value: dict[str, Any]) -> str:
    extras = value.get("extras") or []
    return f"[{','.join(str(e) for e in extras)}]" if extras else ""


def _version(version: Any) -> str:
    text = str(version).strip()
    return "" if text in ("", "*") else text


def entry(name: str, value: Any, file: str) -> PypiEntry:
    """A ``[pypi-dependencies]`` entry; InvalidInput (exit 2) naming one npinit cannot lock."""
    from npinit.errors import InvalidInput

    if isinstance(value, str):
        return PypiEntry(name, name + _version(value))
    keys = set(value) if isinstance(value, dict) else {"?"}
    allowed = _PATH_KEYS if isinstance(value, dict) and "path" in value else _VERSION_KEYS
    extra = sorted(keys - allowed)
    if extra:
        raise InvalidInput(
            f"{file}: the PyPI dependency {name} has {', '.join(extra)}, which npinit cannot lock",
            "lock it with pixi itself (pixi lock), or give it as a version, extras or a path",
        )
    assert isinstance(value, dict)
    if "path" in value:
        return PypiEntry(
            name, name + _extras(value), str(value["path"]), bool(value.get("editable"))
        )
    return PypiEntry(name, name + _extras(value) + _version(value.get("version", "*")))


def tables(body: dict[str, Any]) -> list[dict[str, Any]]:
    """Every ``[pypi-dependencies]`` table of a manifest: its own, its targets', its
    features' and their targets'."""
    bodies = [body, *((body.get("feature") or {}).values())]
    found = []
    for one in (b for b in bodies if isinstance(b, dict)):
        found.append(one.get(TABLE) or {})
        targets = one.get("target") or {}
        found += [(t or {}).get(TABLE) or {} for t in targets.values() if isinstance(t, dict)]
    return [t for t in found if isinstance(t, dict)]


def check(body: dict[str, Any], conda_tables: list[dict[str, Any]], file: str) -> None:
    """Every PyPI entry is one npinit locks, and numpy is not both a conda and a PyPI
    dependency (pixi installs the conda one, the PyPI entry only constrains it: npinit
    refuses the doubt). A numpy only PyPI's (here, or a pyproject's ``[project]``
    dependencies) is pinned there: init adds no conda numpy (toml_files.edit_pixi)."""
    from npinit.errors import InvalidInput

    pypi_names = set()
    for table in tables(body):
        for name, value in table.items():
            entry(str(name), value, file)
            pypi_names.add(canonical(str(name)))
    conda_names = {canonical(str(n)) for table in conda_tables for n in table}
    if "numpy" in pypi_names and "numpy" in conda_names:
        raise InvalidInput(
            f"{file} has numpy in [{TABLE}] and in [dependencies]: pixi installs the conda "
            "numpy, which npinit pins; the PyPI entry would only constrain it",
            f"remove numpy from [{TABLE}] (the conda numpy counts)",
        )


def project_requirements(whole: dict[str, Any]) -> list[str]:
    """A pyproject.toml's ``[project.dependencies]`` (pixi's default feature's PyPI
    requirements); none in a pixi.toml."""
    if not isinstance(whole.get("tool"), dict) or "pixi" not in whole["tool"]:
        return []
    project = whole.get("project") or {}
    listed = project.get("dependencies") if isinstance(project, dict) else None
    return [str(r) for r in listed] if isinstance(listed, list) else []
