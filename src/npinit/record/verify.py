"""Compare an installed environment with a lock: what was added, removed or changed, and
whether the BLAS switched (which changes numerical results without changing any pin)."""

# no __future__ annotations: typing.NamedTuple compiles an annotation string (test_imports)

from typing import Any, NamedTuple

from npinit.model import ChangeKind
from npinit.record.snapshot import Package, Snapshot


class Change(NamedTuple):
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


class Drift(NamedTuple):
    changes: tuple[Change, ...]
    own: tuple[str, ...] = ()  # npinit and its dependencies, found in the environment: no drift

    @property
    def clean(self) -> bool:
        return not self.changes

    def to_json(self) -> dict[str, Any]:
        return {
            "drift": not self.clean,
            "npinit_packages": list(self.own),
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


# what ``python -m venv`` seeds a venv with: its installer, not the project's packages
SEED = {("pypi", "pip"), ("pypi", "setuptools"), ("pypi", "wheel")}


def _python_matches(locked: str, installed: str) -> bool:
    """A lock resolved for ``3.12`` holds any 3.12.x; a recorded one names the exact patch."""
    return installed == locked or (installed.startswith(locked + ".") and locked.count(".") == 1)


def _provenance(old: Package, new: Package) -> tuple[str, str] | None:
    """Where two packages of the same version differ in what was installed: the channel, the
    archive's hash, the wheel (tags), or a local build where the lock has an index's."""
    if old.source == "conda":
        if old.channel and new.channel and old.channel != new.channel:
            return f"channel {old.channel}", f"channel {new.channel}"
        for field in ("sha256", "md5"):
            before, after = getattr(old, field), getattr(new, field)
            if before and after and before != after:
                return f"{field} {before[:12]}", f"{field} {after[:12]}"
        return None
    if new.origin and not old.origin:
        return "from the index", f"a {new.origin} build"
    if old.tags and new.tags and not set(old.tags) & set(new.tags):
        return f"wheel {old.tags[0]}", f"wheel {new.tags[0]}"
    return None


def compare(locked: Snapshot, installed: Snapshot, own: frozenset[str] = frozenset()) -> Drift:
    """Every difference that matters for reproducibility, BLAS first: versions and builds,
    and where the environment shows them, channels, archive hashes and wheel tags. PyPI
    packages named in ``own`` (npinit's own, installed beside the project's) that the lock
    lacks are named once in ``Drift.own``, not as drift."""
    changes: list[Change] = []
    extra: list[str] = []
    if locked.blas.variant != installed.blas.variant:
        changes.append(Change(ChangeKind.BLAS, "blas", locked.blas.variant, installed.blas.variant))
    if not _python_matches(locked.python, installed.python):
        changes.append(Change(ChangeKind.INTERPRETER, "python", locked.python, installed.python))
    for field in ("implementation", "platform"):
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
            if key[0] == "pypi" and key[1] in own:
                extra.append(key[1])
            elif key not in SEED or locked.kind != "venv":
                changes.append(Change(ChangeKind.ADDED, name, installed=_label(new[key])))
        elif (old[key].version, old[key].build) != (new[key].version, new[key].build):
            changes.append(Change(ChangeKind.CHANGED, name, _label(old[key]), _label(new[key])))
        else:
            differs = _provenance(old[key], new[key])
            if differs:
                changes.append(Change(ChangeKind.CHANGED, name, *differs))
    return Drift(tuple(changes), tuple(extra))
