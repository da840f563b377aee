"""What changed between two locks, per platform: packages added, removed and changed, the
Python, and the BLAS on its own line (a BLAS switch changes numerical results without
changing any pin). The one place ``npinit lock``, ``create --update`` and ``npinit diff`` get
their summaries from, as text lines, JSON data or a Markdown table for a pull request."""

# no __future__ annotations: typing.NamedTuple compiles an annotation string (test_imports)

from typing import Any, NamedTuple

from npinit.model import LOCK_FILE, ChangeKind
from npinit.record.lockfile import Lock
from npinit.record.snapshot import Package, Snapshot


class Change(NamedTuple):
    """One difference in a platform: a package (added, removed, changed), the interpreter
    or the BLAS; ``before``/``after`` are empty where there is none."""

    kind: ChangeKind
    name: str
    before: str = ""
    after: str = ""

    def describe(self) -> str:
        if self.kind == ChangeKind.ADDED:
            return f"added    {self.name} {self.after}"
        if self.kind == ChangeKind.REMOVED:
            return f"removed  {self.name} {self.before}"
        if self.kind == ChangeKind.BLAS:
            return f"BLAS changed: {self.before} -> {self.after} (numerical results can differ)"
        return f"changed  {self.name} {self.before} -> {self.after}"

    def to_json(self) -> dict[str, str]:
        return {
            "kind": self.kind.value,
            "name": self.name,
            "before": self.before,
            "after": self.after,
        }


class PlatformChanges(NamedTuple):
    """One platform: ``status`` is ``added`` (a new section), ``removed``, ``changed`` or
    ``same``; ``packages`` counts the new section's packages."""

    platform: str
    status: str
    changes: tuple[Change, ...]
    packages: int = 0


class LockChanges(NamedTuple):
    """Every platform of two locks compared; ``identical`` when their bytes are the same."""

    platforms: tuple[PlatformChanges, ...]
    identical: bool = False
    inputs: tuple[str, ...] = ()  # what differs in the inputs (:func:`stale_reasons`)

    @property
    def changed(self) -> bool:
        return any(p.status != "same" for p in self.platforms)

    def lines(self, name: str = LOCK_FILE) -> list[str]:
        """The summary as terminal lines (the caller escapes them for the terminal)."""
        if self.identical:
            return [f"{name}: no change"]
        inputs = [f"  inputs: {reason}" for reason in self.inputs]
        if not self.changed:
            return [f"{name}: no package changed (only what it records about its inputs)", *inputs]
        out = [f"Changes in {name}:", *inputs]
        for platform in self.platforms:
            if platform.status == "same":
                out.append(f"  {platform.platform}: no change")
            elif platform.status == "added":
                out.append(f"  {platform.platform}: new platform ({platform.packages} packages)")
            elif platform.status == "removed":
                out.append(f"  {platform.platform}: removed")
            else:
                out.append(f"  {platform.platform}:")
                out += [f"    {change.describe()}" for change in platform.changes]
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "identical": self.identical,
            "changed": self.changed,
            "inputs": list(self.inputs),
            "platforms": {
                p.platform: {
                    "status": p.status,
                    **{
                        kind.value: [c.to_json() for c in p.changes if c.kind == kind]
                        for kind in (ChangeKind.ADDED, ChangeKind.REMOVED, ChangeKind.CHANGED)
                    },
                    "python": next(
                        (c.to_json() for c in p.changes if c.kind == ChangeKind.INTERPRETER), None
                    ),
                    "blas": next(
                        (c.to_json() for c in p.changes if c.kind == ChangeKind.BLAS), None
                    ),
                }
                for p in self.platforms
            },
        }

    def markdown(self, title: str = LOCK_FILE) -> str:
        """A pull-request comment: a heading and one table row per change."""
        head = f"### Changes in {_cell(title)}\n\n"
        if not self.changed:
            return head + "No package changed.\n"
        rows = ["| platform | change | package | before | after |", "|---|---|---|---|---|"]
        for p in self.platforms:
            if p.status in ("added", "removed"):
                count = f"{p.packages} packages" if p.status == "added" else ""
                rows.append(f"| {_cell(p.platform)} | platform {p.status} | | | {count} |")
                continue
            for c in p.changes:
                name = "BLAS" if c.kind == ChangeKind.BLAS else _cell(c.name)
                rows.append(
                    f"| {_cell(p.platform)} | {c.kind.value} | {name} "
                    f"| {_cell(c.before)} | {_cell(c.after)} |"
                )
        same = [_cell(p.platform) for p in self.platforms if p.status == "same"]
        tail = f"\nNo change: {', '.join(same)}.\n" if same else ""
        return head + "\n".join(rows) + "\n" + tail


def _cell(text: str) -> str:
    """Text from a lock made safe for one Markdown table cell: no line breaks or control
    characters, and Markdown's own characters escaped."""
    flat = "".join(c if c.isprintable() else " " for c in text)
    return "".join(f"\\{c}" if c in "\\|`*_[]<>#!~&" else c for c in flat)


def _label(old: Package, new: Package) -> tuple[str, str]:
    """``8.3.3``/``9.2.0``; the build too when only the build moved (conda)."""
    if old.version != new.version:
        return old.version, new.version
    if old.build != new.build:
        return f"{old.version} ({old.build})", f"{new.version} ({new.build})"
    return f"sha256 {old.sha256[:12]}", f"sha256 {new.sha256[:12]}"


def _moved(old: Package, new: Package) -> bool:
    """A package moved: its version or build, or (conda) the archive behind the same file."""
    if (old.version, old.build) != (new.version, new.build):
        return True
    return old.source == "conda" and bool(old.sha256 and new.sha256) and old.sha256 != new.sha256


def _display(package: Package, section: Snapshot) -> str:
    return (
        f"{package.name} (pypi)"
        if section.kind == "conda" and package.source == "pypi"
        else package.name
    )


def compare_sections(old: Snapshot, new: Snapshot) -> tuple[Change, ...]:
    """Every change from ``old`` to ``new`` of one platform: BLAS first, then the Python,
    then the packages by name."""
    if old == new:  # no BLAS, Python or package differs: what the comparison below finds
        return ()  # (an unchanged re-lock's 178 packages, once more, for nothing)
    changes: list[Change] = []
    if old.blas.variant != new.blas.variant:
        changes.append(Change(ChangeKind.BLAS, "blas", old.blas.variant, new.blas.variant))
    if (old.python, old.implementation) != (new.python, new.implementation):
        was = f"{old.python} {old.implementation}".strip()
        now = f"{new.python} {new.implementation}".strip()
        changes.append(Change(ChangeKind.INTERPRETER, "python", was, now))
    before = {p.key: p for p in old.packages}
    after = {p.key: p for p in new.packages}
    for key in sorted(before.keys() | after.keys(), key=lambda k: (k[1], k[0])):
        if key not in after:
            package = before[key]
            changes.append(
                Change(ChangeKind.REMOVED, _display(package, old), before=package.version)
            )
        elif key not in before:
            package = after[key]
            changes.append(Change(ChangeKind.ADDED, _display(package, new), after=package.version))
        elif _moved(before[key], after[key]):
            changes.append(
                Change(
                    ChangeKind.CHANGED, _display(after[key], new), *_label(before[key], after[key])
                )
            )
    return tuple(changes)


def compare_locks(old: Lock | None, new: Lock, identical: bool = False) -> LockChanges:
    """Every platform of ``old`` and ``new`` (no ``old``: every platform is new)."""
    previous = old.sections if old is not None else {}
    platforms = []
    for name in sorted(previous.keys() | new.sections.keys()):
        if name not in new.sections:
            gone = previous[name]
            every = tuple(
                Change(ChangeKind.REMOVED, _display(p, gone), before=p.version)
                for p in gone.packages
            )
            platforms.append(PlatformChanges(name, "removed", every))
        elif name not in previous:
            section = new.sections[name]
            every = tuple(
                Change(ChangeKind.ADDED, _display(p, section), after=p.version)
                for p in section.packages
            )
            platforms.append(PlatformChanges(name, "added", every, len(section.packages)))
        else:
            changes = compare_sections(previous[name], new.sections[name])
            status = "changed" if changes else "same"
            platforms.append(
                PlatformChanges(name, status, changes, len(new.sections[name].packages))
            )
    return LockChanges(tuple(platforms), identical)


def stale_reasons(locked: dict[str, Any] | None, now: dict[str, Any]) -> list[str]:
    """What differs between the inputs a lock was resolved from and the project now: the
    answers, the lines added or removed, and the order of the channels (their priority
    decides where a conda package comes from)."""
    if locked is None:
        return ["the lock was recorded from an environment, not resolved from the project"]
    reasons = []
    for key in ("manager", "python", "numpy", "blas", "channel", "platforms"):
        if key not in locked:
            reasons.append(f"the lock does not record its {key} (an older npinit made it)")
        elif locked.get(key) != now.get(key):
            reasons.append(f"{key} is {now.get(key)!r}, the lock has {locked.get(key)!r}")
    before, after = list(locked.get("requirements", [])), list(now["requirements"])
    added = [line for line in after if line not in before]
    removed = [line for line in before if line not in after]
    if added:
        reasons.append("added " + ", ".join(repr(x) for x in added[:3]))
    if removed:
        reasons.append("removed " + ", ".join(repr(x) for x in removed[:3]))
    was, now_order = channel_order(before), channel_order(after)
    if set(was) == set(now_order) and was != now_order:
        reasons.append(
            f"the channels are in the order {', '.join(now_order)}, the lock has "
            f"{', '.join(was)} (their order is their priority)"
        )
    return reasons


def channel_order(requirements: list[str]) -> list[str]:
    """The channels a conda or pixi file lists (its ``channel X`` input lines), in order."""
    return [line.removeprefix("channel ") for line in requirements if line.startswith("channel ")]
