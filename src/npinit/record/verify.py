"""Compare an installed environment with a lock: what was added, removed or changed, and
whether the BLAS switched (which changes numerical results without changing any pin)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from npinit.model import ChangeKind
from npinit.record.snapshot import Package, Snapshot


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    name: str
    locked: str = ""
    installed: str = ""

    def describe(self) -> str:
        if self.kind == "added":
            return f"added    {self.name} {self.installed}"
        if self.kind == "removed":
            return f"removed  {self.name} {self.locked}"
        if self.kind == "blas":
            return f"BLAS changed: {self.locked} -> {self.installed} (numerical results can differ)"
        return f"{self.kind:<8} {self.name}: {self.locked} -> {self.installed}"


@dataclass(frozen=True)
class Drift:
    changes: tuple[Change, ...]

    @property
    def clean(self) -> bool:
        return not self.changes

    def to_json(self) -> dict[str, Any]:
        return {
            "drift": not self.clean,
            "changes": [
                {"kind": c.kind, "name": c.name, "locked": c.locked, "installed": c.installed}
                for c in self.changes
            ],
        }


def _label(package: Package) -> str:
    text = package.version
    if package.build:
        text += f" ({package.build})"
    return text


def compare(locked: Snapshot, installed: Snapshot) -> Drift:
    """Every difference that matters for reproducibility, BLAS first."""
    changes: list[Change] = []
    if locked.blas.variant != installed.blas.variant:
        changes.append(Change(ChangeKind.BLAS, "blas", locked.blas.variant, installed.blas.variant))
    for field in ("python", "implementation", "platform"):
        before, after = getattr(locked, field), getattr(installed, field)
        if before != after:
            changes.append(Change(ChangeKind.INTERPRETER, field, before, after))
    old = {p.key: p for p in locked.packages}
    new = {p.key: p for p in installed.packages}
    for key in sorted(old.keys() | new.keys(), key=lambda k: (k[1], k[0])):
        name = key[1] if key[0] == "conda" else f"{key[1]} (pypi)"
        if key not in new:
            changes.append(Change(ChangeKind.REMOVED, name, locked=_label(old[key])))
        elif key not in old:
            changes.append(Change(ChangeKind.ADDED, name, installed=_label(new[key])))
        elif (old[key].version, old[key].build) != (new[key].version, new[key].build):
            changes.append(Change(ChangeKind.CHANGED, name, _label(old[key]), _label(new[key])))
    return Drift(tuple(changes))
