"""``npinit bundle --check``: re-hash every file of a bundle (a stick passed around) against
its bundle.json, compare it with the lock it carries (``project/npinit.lock``) and, in a
project, with the project's npinit.lock; name every file the bundle holds that bundle.json
does not list."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from npinit.model import LOCK_FILE


@dataclass(frozen=True)
class BundleCheck:
    """A bundle re-hashed: how many files, what it was compared with, and each problem."""

    output: Path
    checked: int
    problems: tuple[str, ...] = field(default=())
    compared: tuple[str, ...] = field(default=())  # each comparison made, in words

    def to_json(self) -> dict[str, Any]:
        return {
            "output": str(self.output),
            "checked": self.checked,
            "compared": list(self.compared),
            "ok": not self.problems,
            "problems": list(self.problems),
        }


def check_bundle(output: Path, lock_path: Path | None = None) -> BundleCheck:
    """Re-hash every file a bundle lists (packages against bundle.json, the other files
    against its checksums), name each file it holds that bundle.json does not list, compare
    it with the lock it carries and, given the project's lock, with that one too: each
    missing, damaged, unlisted or other-lock file is a problem."""
    from npinit.record.bundle import INCOMPLETE, INFO, PROJECT, file_problem, read_info, unlisted

    info = read_info(output)
    problems: list[str] = []
    if (output / INCOMPLETE).exists():
        problems.append("the bundle is incomplete (a run was stopped): run npinit bundle again")
    listed: dict[str, tuple[str, str]] = {}
    for entry in dict(info.get("platforms") or {}).values():
        for item in entry.get("files", []):
            listed[item["path"]] = (item["sha256"], item.get("md5", ""))
    for relative, sha in dict(info.get("checksums") or {}).items():
        listed[relative] = (sha, "")
    for relative, (sha, md5) in listed.items():
        why = file_problem(output, relative, sha, md5)
        if why:
            problems.append(f"{relative}: {why}")
    problems += [
        f"{extra}: not listed in {INFO}" for extra in unlisted(output, {*listed, INFO, INCOMPLETE})
    ]
    compared = [f"{len(listed)} files with {INFO}", f"no file unlisted in {INFO}"]
    own = output / PROJECT / LOCK_FILE
    problems += _against_lock(info, own, f"{PROJECT}/{LOCK_FILE}")
    compared.append(f"{INFO} with the lock it carries ({PROJECT}/{LOCK_FILE})")
    if lock_path is not None and not _same_file(lock_path, own):
        problems += _against_lock(info, lock_path, str(lock_path))
        compared.append(f"{INFO} with {lock_path}")
    return BundleCheck(output, len(listed), tuple(problems), tuple(compared))


def _same_file(one: Path, other: Path) -> bool:
    import os

    return other.exists() and os.path.samefile(one, other)


def _against_lock(info: dict[str, Any], lock_path: Path, shown: str) -> list[str]:
    """What differs between a bundle and a lock: another lock altogether, a file the lock
    does not name, a locked file the bundle lacks; a lock that is missing or unreadable."""
    from npinit.errors import InvalidInput
    from npinit.record import lockfile
    from npinit.record.bundle import redact

    if not lock_path.is_file():
        return [f"{shown}: missing (the bundle installs the lock it carries)"]
    data = lock_path.read_bytes()
    text = redact(data.decode("utf-8", "replace"))  # a project's lock: the bundle's copy
    made_from = {hashlib.sha256(data).hexdigest(), hashlib.sha256(text.encode()).hexdigest()}
    problems = []
    if info.get("lock-sha256") not in made_from:
        problems.append(f"the bundle was made from another lock than {shown}")
    try:
        lock = lockfile.read_lock(lock_path)
    except InvalidInput as error:
        return [*problems, f"{shown} cannot be read ({error.message})"]
    for name, entry in sorted(dict(info.get("platforms") or {}).items()):
        section = lock.sections.get(name)
        if section is None:
            problems.append(f"{name}: {shown} has no such platform")
            continue
        allowed = {p.sha256 for p in section.packages} | {
            h.removeprefix("sha256:") for p in section.packages for h in p.hashes
        }
        have = {item["sha256"] for item in entry.get("files", [])}
        problems += [
            f"{item['path']}: not in {shown}"
            for item in entry.get("files", [])
            if item["sha256"] not in allowed
        ]
        problems += [
            f"{name}: {p.name} {p.version} is locked in {shown} but not in the bundle"
            for p in section.packages
            if p.sha256 and not p.origin and p.sha256 not in have
        ]
    return problems
