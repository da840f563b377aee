"""A pixi manifest's environments as conda specs, for choosing pins by solving (``npinit
init`` on a pixi.toml or a pyproject's ``[tool.pixi]`` with ``[feature.*]`` and
``[environments]``): each environment is its features' dependencies (the default feature,
the top level, unless ``no-default-feature``), common and per platform. Its
``pypi-dependencies`` are left to pixi (uv resolves them when pixi locks)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class PixiEnvironment:
    name: str
    common: list[str]
    targets: dict[str, list[str]] = field(default_factory=dict)
    platforms: frozenset[str] | None = None  # None: the workspace's; else its features' own

    def for_platform(self, platform: str) -> list[str]:
        return [*self.common, *self.targets.get(platform, [])]


def _specs(table: dict[str, Any]) -> list[str]:
    found = []
    for name, value in table.items():
        if isinstance(value, dict):
            version, build = str(value.get("version", "*")), str(value.get("build", ""))
        else:
            version, build = str(value), ""
        found.append(" ".join(x for x in (name, version, build) if x))
    return found


def _features(doc: dict[str, Any], value: Any) -> list[dict[str, Any]]:
    """The bodies an environment is made of (its value in ``[environments]``)."""
    if isinstance(value, dict):
        names, alone = value.get("features") or [], bool(value.get("no-default-feature"))
    else:
        names, alone = value or [], False
    features = doc.get("feature") or {}
    bodies = [] if alone else [doc]
    bodies += [features.get(n) or {} for n in names if isinstance(n, str)]
    return [b for b in bodies if isinstance(b, dict)]


def environments(doc: dict[str, Any]) -> tuple[list[str], list[PixiEnvironment]]:
    """The manifest's channels and its environments, the default one first."""
    workspace = doc.get("workspace") or doc.get("project") or {}
    declared = dict(doc.get("environments") or {})
    declared.setdefault("default", [])
    found = []
    for name in ["default", *(n for n in declared if n != "default")]:
        common: list[str] = []
        targets: dict[str, list[str]] = {}
        platforms: frozenset[str] | None = None
        for body in _features(doc, declared[name]):
            if body is not doc and isinstance(body.get("platforms"), list):
                own = frozenset(str(p) for p in body["platforms"])
                platforms = own if platforms is None else platforms & own
            common += _specs(body.get("dependencies") or {})
            for platform, target in (body.get("target") or {}).items():
                if isinstance(target, dict):
                    specs = _specs(target.get("dependencies") or {})
                    targets.setdefault(platform, []).extend(specs)
        found.append(PixiEnvironment(name, common, targets, platforms))
    return list(workspace.get("channels") or ["conda-forge"]), found
