"""``npinit bundle --check``: re-hash every file of a bundle (a stick passed around) against
its bundle.json and, in the project, against npinit.lock."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class BundleCheck:
    """A bundle re-hashed: how many files, and each missing or damaged one."""

    output: Path
    checked: int
    problems: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "output": str(self.output),
            "checked": self.checked,
            "ok": not self.problems,
            "problems": list(self.problems),
        }


def check_bundle(output: Path, lock_path: Path | None = None) -> BundleCheck:
    """Re-hash every file a bundle lists (packages against bundle.json, the other files
    against its checksums) and, given the project's lock, every package file against the
    lock too: each missing or damaged file is a problem."""
    from npinit.record.bundle import INCOMPLETE, inside, read_info
    from npinit.record.download import digests, mismatch

    info = read_info(output)
    problems: list[str] = []
    if (output / INCOMPLETE).exists():
        problems.append("the bundle is incomplete (a run was stopped): run npinit bundle again")
    checked = 0
    for entry in dict(info.get("platforms") or {}).values():
        for item in entry.get("files", []):
            checked += 1
            why = mismatch(inside(output, item["path"]), item["sha256"], item.get("md5", ""))
            if why:
                problems.append(f"{item['path']}: {why}")
    for relative, sha in dict(info.get("checksums") or {}).items():
        checked += 1
        path = inside(output, relative)
        if not path.is_file():
            problems.append(f"{relative}: missing")
        elif digests(path)[0] != sha:
            problems.append(f"{relative}: changed since the bundle was made")
    if lock_path is not None:
        problems += _against_lock(info, lock_path)
    return BundleCheck(output, checked, tuple(problems))


def _against_lock(info: dict[str, Any], lock_path: Path) -> list[str]:
    """What differs between a bundle and the project's lock: another lock altogether, a
    file the lock does not name, a locked file the bundle lacks."""
    from npinit.record import lockfile
    from npinit.record.bundle import redact

    text = redact(lock_path.read_bytes().decode("utf-8", "replace"))
    problems = []
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != info.get("lock-sha256"):
        problems.append(f"the bundle was made from another lock than {lock_path}")
    lock = lockfile.read_lock(lock_path)
    for name, entry in sorted(dict(info.get("platforms") or {}).items()):
        section = lock.sections.get(name)
        if section is None:
            problems.append(f"{name}: {lock_path.name} has no such platform")
            continue
        allowed = {p.sha256 for p in section.packages} | {
            h.removeprefix("sha256:") for p in section.packages for h in p.hashes
        }
        have = {item["sha256"] for item in entry.get("files", [])}
        problems += [
            f"{item['path']}: not in {lock_path.name}"
            for item in entry.get("files", [])
            if item["sha256"] not in allowed
        ]
        problems += [
            f"{name}: {p.name} {p.version} is locked but not in the bundle"
            for p in section.packages
            if p.sha256 and not p.origin and p.sha256 not in have
        ]
    return problems
