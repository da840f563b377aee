"""uv, Poetry and pixi install from their own lock (uv.lock, poetry.lock, pixi.lock), not from
npinit.lock: before ``create`` installs, in ``verify`` and in ``lock --check``, the two are
compared platform by platform, package by package and hash by hash, and any difference is
refused (exit 2) naming the package and both values. pip and conda install from npinit.lock
itself (every file checked against its hash by the installer); for pip, each section is
checked against the requirement lines themselves instead (every requirement that applies on
the platform locked, at a version it allows), so a lock whose recorded inputs were edited to
match a changed file is still caught."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from npinit.model import LOCK_FILE, Manager, Platform
from npinit.model_spec import ProjectSpec
from npinit.record.lockfile import Lock
from npinit.record.snapshot import Package, Snapshot

if TYPE_CHECKING:
    from packaging.requirements import Requirement

FIELDS = ("version", "build", "url", "sha256", "md5", "hashes", "origin")


def disagreements(ours: Lock, theirs: dict[str, Snapshot], name: str) -> list[str]:
    """Every difference between npinit.lock's sections and the manager lock ``name``'s
    (``theirs``: its sections, read the way ``npinit lock`` reads it)."""
    out = []
    for platform in ours.platforms():
        if platform not in theirs:
            out.append(f"{name} has no {platform} section, {LOCK_FILE} has")
            continue
        out += _packages(
            platform, ours.sections[platform].packages, theirs[platform].packages, name
        )
    return out


def _packages(
    platform: str, ours: tuple[Package, ...], theirs: tuple[Package, ...], name: str
) -> list[str]:
    mine = {p.key: p for p in ours}
    other = {p.key: p for p in theirs}
    out = []
    for key in sorted(mine.keys() | other.keys()):
        a, b = mine.get(key), other.get(key)
        if a is None or b is None:
            has, lacks = (name, LOCK_FILE) if a is None else (LOCK_FILE, name)
            found = b if a is None else a
            assert found is not None
            out.append(f"{platform}: {key[1]} {found.version} is in {has}, not in {lacks}")
            continue
        for field in FIELDS:
            x, y = _value(a, field), _value(b, field)
            if x != y:
                out.append(
                    f"{platform}: {key[1]} {field} is {x or 'empty'} in {LOCK_FILE}, "
                    f"{y or 'empty'} in {name}"
                )
    return out


def _value(package: Package, field: str) -> str:
    value = getattr(package, field)
    if isinstance(value, tuple):
        return " ".join(sorted(value))
    return str(value)


def native_sections(
    project: Path, spec: ProjectSpec, lock: Lock
) -> tuple[str, dict[str, Snapshot]] | None:
    """The manager's own lock of ``project`` and its sections for the lock's platforms (read
    for the Python the lock was resolved for); None for a manager that installs npinit.lock."""
    from npinit import managers

    reader = managers.module_for(spec.manager).native_lock
    platforms = [Platform(p) for p in lock.platforms() if p in {q.value for q in Platform}]
    python = str((lock.inputs or {}).get("python") or spec.python)
    found = reader(project, python, platforms)
    if found is None:
        return None
    name, sections = found
    return name, {p.value: s for p, s in sections.items()}


def check(project: Path, spec: ProjectSpec, lock: Lock) -> list[str]:
    """The differences between npinit.lock and the lock the manager installs from (none for
    pip and conda); a missing manager lock is one."""
    from npinit import managers

    module = managers.module_for(spec.manager)
    where = getattr(module, "lock_name", None)  # pixi's: next to its manifest
    native = where(spec.source) if where else getattr(module, "NATIVE_LOCK", "")
    if native and not (project / native).is_file():
        return [f"{native} is missing: the manager installs from it"]
    found = native_sections(project, spec, lock)
    if found is None:
        # a lock recorded from an environment was resolved from no requirements (lock --check
        # already says so): only a resolved pip lock is checked against them
        resolved = spec.manager is Manager.PIP and lock.inputs is not None
        return unmet_requirements(project, spec, lock) if resolved else []
    name, sections = found
    return disagreements(lock, sections, name)


def refuse(project: Path, spec: ProjectSpec, lock: Lock) -> None:
    """InvalidInput (exit 2) when npinit.lock and the manager's own lock disagree."""
    from npinit.errors import InvalidInput

    problems = check(project, spec, lock)
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise InvalidInput(
            f"{LOCK_FILE} and the manager's lock disagree: {'; '.join(problems[:3])}{more}",
            "one of them was edited: restore it, or lock again with npinit lock (it writes both)",
        )


def unmet_requirements(project: Path, spec: ProjectSpec, lock: Lock) -> list[str]:
    """Each requirement line of a pip project (its file's and its includes') that a section
    does not meet: a package missing where its marker holds (an included file may be a
    ``-c`` constraint: only its versions are checked), or a version its specifier excludes."""
    from npinit import managers

    out = []
    for line in managers.module_for(spec.manager).lock_inputs(project, spec):
        if plainly_met(line, lock):
            continue
        included, requirement = _requirement(line)
        if requirement is None:
            continue  # an option line (-r, --index-url, -e ...): compared as text
        for platform, section in sorted(lock.sections.items()):
            out += _unmet(requirement, included, platform, section, spec.python)
    return out


def plainly_met(line: str, lock: Lock) -> bool:
    """Whether a plain line (``name`` or ``name==1.2.3``, no marker) is met by every section
    without parsing it (packaging's requirement grammar costs more to load than ``create``
    spends elsewhere): its package is there, at exactly that version. False: the line is
    checked by :func:`_unmet`, which also words what is wrong."""
    import re

    from npinit.record.package import canonical

    plain = re.fullmatch(
        r"([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)(?:==(\d+(?:\.\d+)*))?", line
    )
    if plain is None:
        return False
    name, version = canonical(plain.group(1)), plain.group(2)
    known = {p.value for p in Platform}
    for platform, section in lock.sections.items():
        found = next((p for p in section.packages if canonical(p.name) == name), None)
        if platform in known and (found is None or version not in (None, found.version)):
            return False
    return True


def _requirement(line: str) -> tuple[bool, Requirement | None]:
    import re

    included = re.match(r"[^\s;@]+\.(?:txt|in): ", line)
    text = line[included.end() :] if included else line
    if text.startswith("-"):  # an option line (--index-url, -r, -c): packaging not needed
        return bool(included), None
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        return bool(included), Requirement(text)
    except InvalidRequirement:
        return bool(included), None


def _unmet(
    requirement: Requirement, included: bool, platform: str, section: Snapshot, python: str
) -> list[str]:
    from packaging.utils import canonicalize_name

    from npinit.knowledge.platforms import marker_environment

    if platform not in {p.value for p in Platform}:
        return []
    marker = requirement.marker
    if marker is not None and not marker.evaluate(marker_environment(Platform(platform), python)):
        return []
    name = canonicalize_name(requirement.name)
    found = next((p for p in section.packages if canonicalize_name(p.name) == name), None)
    if found is None:
        return [] if included else [f"{platform}: {requirement} is not in {LOCK_FILE}"]
    if found.version and not requirement.specifier.contains(found.version, prereleases=True):
        return [f"{platform}: {LOCK_FILE} has {found.name} {found.version}, not {requirement}"]
    return []
