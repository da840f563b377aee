"""``npinit bundle``: every locked file of every platform of a project, downloaded and
checked against the lock, laid out so a class installs offline (OWNERS.md's layout: the
managers' own tools or ``npinit create --bundle``); ``bundle --check`` re-hashes a bundle."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from npinit.model import LOCK_FILE, Machine
from npinit.record.bundle import BundleFile
from npinit.record.download import Progress, Wanted
from npinit.record.lockfile import Lock


@dataclass(frozen=True)
class BundleResult:
    """A bundle made: where, per platform its size and BLAS, what was downloaded."""

    output: Path
    platforms: dict[str, dict[str, Any]]
    downloaded: int  # package files downloaded
    present: int  # package files already there, re-hashed
    warnings: tuple[str, ...] = ()
    copied: int = 0  # package files copied from another platform's folder
    written: int = 0  # the other files written: project/, README, requirements, channels...
    rechecked: tuple[str, ...] = ()  # platforms bundled before, made again with the asked ones

    def to_json(self) -> dict[str, Any]:
        return {
            "output": str(self.output),
            "downloaded": self.downloaded,
            "already_there": self.present,
            "copied": self.copied,
            "written": self.written,
            "rechecked": list(self.rechecked),
            "platforms": {
                name: {"files": len(entry["files"]), "size": entry["size"], "blas": entry["blas"]}
                for name, entry in sorted(self.platforms.items())
            },
            "warnings": list(self.warnings),
        }


def make_bundle(
    project: Path,
    output: Path,
    *,
    machine: Machine,
    platforms: list[str] | None = None,
    channel_alias: str | None = None,
    progress: Callable[[str], None] | None = None,
    on_bytes: Progress | None = None,
) -> BundleResult:
    """Download every file of the chosen platforms of ``project``'s lock into ``output``,
    checked as it arrives, and lay the bundle out; files already there are re-hashed and
    kept. bundle.json is written last: a bundle without it is incomplete."""
    from npinit import __version__
    from npinit.record import bundle as layout
    from npinit.record.bundle_readme import readme_of

    say = progress or (lambda message: None)
    lock = _fresh_lock(project, machine)
    chosen = _platforms(lock, platforms)
    old = _old_info(output)
    _refuse_foreign_files(output, old)
    root = _prepare(project, output)
    again = _bundled_before(project, lock, old, chosen)
    made = sorted({*chosen, *again})
    indexes = layout.indexes_of(lock.inputs, machine.environ)
    plans, warnings = _plan(lock, made, channel_alias, indexes, say, _known(output, old))
    if again:
        say(f"Re-hashing {', '.join(again)}, bundled before from the same lock")
    say(f"Downloading {sum(len(p) for p in plans.values())} files for {', '.join(made)}")
    fetched = _fetch(output, plans, indexes, on_bytes)
    plans = {name: [_sized(output, f) for f in files] for name, files in plans.items()}
    _remove_stale(output, plans, old)
    say("Writing the channels, the requirements, the project and bundle.json")
    texts, entries = _platform_texts(output, lock, plans)
    checksums, lock_bytes = _copy_project(project, output, root, warnings)
    manager = str((lock.inputs or {}).get("manager", ""))
    texts["README.md"] = readme_of(project, lock, entries)
    _write(root, output, texts)
    written = len(checksums) + len(texts) + 1  # the project's files, the texts, bundle.json
    checksums.update({p: hashlib.sha256(t.encode("utf-8")).hexdigest() for p, t in texts.items()})
    lock_sha = hashlib.sha256(lock_bytes).hexdigest()
    info = layout.info_json(f"npinit {__version__}", lock_sha, manager, entries, checksums)
    _write(root, output, {layout.INFO: info})
    _remove_other_platforms(output, old, set(made))
    (output / layout.INCOMPLETE).unlink(missing_ok=True)
    return BundleResult(
        output,
        entries,
        downloaded=sum(1 for f in fetched if f.downloaded),
        present=sum(1 for f in fetched if not (f.downloaded or f.copied)),
        warnings=tuple(warnings),
        copied=sum(1 for f in fetched if f.copied),
        written=written,
        rechecked=tuple(again),
    )


def _bundled_before(project: Path, lock: Lock, old: dict[str, Any], chosen: list[str]) -> list[str]:
    """The platforms an earlier run bundled from this same lock and this one was not asked
    for: made again with the others (every file re-hashed, a damaged one downloaded again),
    so that bundle.json never lists a platform nobody checked."""
    from npinit.record.bundle import redact

    text = redact((project / LOCK_FILE).read_bytes().decode("utf-8"))
    if old.get("lock-sha256") != hashlib.sha256(text.encode("utf-8")).hexdigest():
        return []
    return sorted(
        name
        for name in dict(old.get("platforms") or {})
        if name not in chosen and name in lock.sections
    )


def _fresh_lock(project: Path, machine: Machine) -> Lock:
    """The project's lock, refused (exit 2) when missing or stale: a bundle of a lock the
    project no longer fits would be refused by every participant's create."""
    from npinit.api.reproduce import check_lock
    from npinit.errors import InvalidInput
    from npinit.record import lockfile

    path = project / LOCK_FILE
    if not path.exists():
        raise InvalidInput(f"{project} has no {LOCK_FILE}", "lock it first: npinit lock")
    problems = check_lock(project, machine)
    if problems:
        raise InvalidInput(
            f"{path.name} no longer fits the project: {'; '.join(problems[:3])}",
            "lock again first: npinit lock",
        )
    return lockfile.read_lock(path)


def _platforms(lock: Lock, requested: list[str] | None) -> list[str]:
    from npinit.errors import InvalidInput

    has = lock.platforms()
    if not requested or "all" in requested:
        return has
    unknown = [p for p in requested if p not in has]
    if unknown:
        raise InvalidInput(
            f"the lock has no section for {', '.join(unknown)} (it has {', '.join(has)})",
            f"lock it first: npinit lock --platform {unknown[0]} (with the others you need)",
        )
    return sorted(set(requested))


def _prepare(project: Path, output: Path) -> Path:
    """Check where the bundle goes; the root its writes are jailed to (the project when
    the bundle is inside it, else the bundle itself). A folder that is neither empty nor a
    bundle is refused (exit 2), and so is the project itself or a folder above it."""
    import os

    from npinit.errors import InvalidInput
    from npinit.jail import check_inside
    from npinit.record.bundle import INCOMPLETE, INFO

    real_project, real_output = os.path.realpath(project), os.path.realpath(output)
    if real_project == real_output or real_project.startswith(real_output.rstrip(os.sep) + os.sep):
        raise InvalidInput(f"{output} holds the project itself", "bundle into another folder")
    inside = real_output.startswith(real_project + os.sep)
    root = project if inside else output
    if inside:
        check_inside(project, output)
    if output.exists() or output.is_symlink():
        if not output.is_dir():
            raise InvalidInput(f"{output} exists and is not a folder", "choose another place")
        known = (output / INFO).is_file() or (output / INCOMPLETE).is_file()
        if not known and any(output.iterdir()):
            raise InvalidInput(
                f"{output} is a folder that is neither empty nor a bundle",
                "give a new or empty folder (npinit writes only there)",
            )
    output.mkdir(parents=True, exist_ok=True)
    (output / INCOMPLETE).touch()
    return root


def _plan(
    lock: Lock,
    chosen: list[str],
    alias: str | None,
    indexes: list[str],
    say: Callable[[str], None],
    known: dict[str, str],
) -> tuple[dict[str, list[BundleFile]], list[str]]:
    """Every platform's files; the further files a package may install (both macOS numpy
    wheels) are looked up on the index, unless an earlier run's bundle has them already."""
    from npinit.record import bundle as layout

    wanted: dict[str, set[str]] = {}
    for name in chosen:
        for package, hashes in layout.missing_hashes(lock.sections[name]).items():
            if hashes - set(known):
                wanted.setdefault(package, set()).update(hashes)
    others: dict[str, str] = dict(known)
    if wanted:
        say(f"Asking the index for the other files of {', '.join(sorted(wanted))}")
        others.update(layout.other_files(wanted, indexes))
    plans, warnings = {}, []
    for name in chosen:
        plans[name], notes = layout.plan_section(name, lock.sections[name], alias, others)
        warnings += notes
    lost = sorted({sha for hashes in wanted.values() for sha in hashes} - set(others))
    if lost:
        warnings.append(
            f"the index did not list {len(lost)} further locked file(s) (sha256 "
            f"{', '.join(s[:12] for s in lost[:3])}...); the bundle has the lock's own URL's"
        )
    return plans, warnings


def _fetch(
    output: Path,
    plans: dict[str, list[BundleFile]],
    indexes: list[str],
    on_bytes: Progress | None,
) -> list[Any]:
    """Download each distinct file once (by sha256), copy it where other platforms need it."""
    from npinit.record import bundle as layout
    from npinit.record.download import fetch_all, remove_parts

    by_hash: dict[str, list[BundleFile]] = {}
    for files in plans.values():
        for item in files:
            by_hash.setdefault(item.sha256, []).append(item)
    folders = {(output / f.path).parent for items in by_hash.values() for f in items}
    remove_parts(folders)
    wanted = [
        Wanted(
            output / items[0].path,
            items[0].url,
            items[0].sha256,
            items[0].md5,
            layout.auth_headers(items[0].url, indexes),
            tuple(output / f.path for f in items[1:] if f.path != items[0].path),
        )
        for items in by_hash.values()
    ]
    return fetch_all(wanted, progress=on_bytes)


def _known(output: Path, old: dict[str, Any]) -> dict[str, str]:
    """The files an earlier run put in the bundle that are still whole: sha256 -> their own
    file URL (what the index would be asked for is there already)."""
    from npinit.record.bundle import inside
    from npinit.record.download import mismatch

    known: dict[str, str] = {}
    for entry in dict(old.get("platforms") or {}).values():
        for item in entry.get("files", []) if isinstance(entry, dict) else []:
            path = inside(output, str(item.get("path", "")))
            if "/pypi/" in item["path"] and not mismatch(path, item["sha256"]):
                known.setdefault(item["sha256"], path.as_uri())
    return known


def _sized(output: Path, item: BundleFile) -> BundleFile:
    from dataclasses import replace

    return replace(item, size=(output / item.path).stat().st_size)


def _refuse_foreign_files(output: Path, old: dict[str, Any]) -> None:
    """InvalidInput (exit 2) when the bundle's ``project/`` holds what no run of npinit
    bundle put there (an environment built in it, a participant's notebook): replacing the
    folder would delete them."""
    from npinit.errors import InvalidInput
    from npinit.record.bundle import PROJECT, unlisted

    folder = output / PROJECT
    if not old or not folder.is_dir() or folder.is_symlink():
        return
    prefix = f"{PROJECT}/"
    listed = dict(old.get("checksums") or {})
    ours = {p.removeprefix(prefix) for p in listed if p.startswith(prefix)}
    foreign = unlisted(folder, ours)
    if foreign:
        shown = ", ".join(sorted(foreign)[:3]) + (" ..." if len(foreign) > 3 else "")
        raise InvalidInput(
            f"{folder} holds files npinit bundle did not put there ({shown}); making the "
            "bundle again would replace that folder",
            "move them out of the bundle, or bundle into a new folder",
        )


def _old_info(output: Path) -> dict[str, Any]:
    from npinit.errors import InvalidInput
    from npinit.record.bundle import INFO, read_info

    if not (output / INFO).is_file():
        return {}
    try:
        return read_info(output)
    except InvalidInput:
        return {}


def _remove_stale(output: Path, plans: dict[str, list[BundleFile]], old: dict[str, Any]) -> None:
    """Files of the platforms just made that the plan no longer has (an older lock's)."""
    from npinit.record import bundle as layout

    keep = {f.path for files in plans.values() for f in files}
    for name in plans:
        for folder in (output / layout.pypi_dir(name), output / layout.channel_dir(name)):
            for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
                relative = path.relative_to(output).as_posix()
                if path.is_file() and relative not in keep and path.name != "repodata.json":
                    path.unlink()


def _platform_texts(
    output: Path, lock: Lock, plans: dict[str, list[BundleFile]]
) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """Each platform's requirements.txt, explicit.txt and channel repodata, and its entry
    in bundle.json (files, size, BLAS measured from the files)."""
    from npinit.record import bundle_channel as channel
    from npinit.record import export
    from npinit.record.bundle import redact

    texts: dict[str, str] = {}
    entries: dict[str, dict[str, Any]] = {}
    for name, files in sorted(plans.items()):
        section = lock.sections[name]
        if any("/pypi/" in f.path for f in files):
            texts[f"{name}/requirements.txt"] = redact(export.requirements(section)[0])
        if any("/channel/" in f.path for f in files):
            texts.update(channel.channel_texts(output, name, files))
            texts[f"{name}/explicit.txt"] = channel.explicit(name, section.blas.variant, files)
        entries[name] = {
            "python": section.python,
            "size": sum(f.size for f in files),
            "blas": channel.blas_size(output, section.blas.variant, files),
            "files": [f.to_json() for f in sorted(files, key=lambda f: f.path)],
        }
    return texts, entries


def _copy_project(
    project: Path, output: Path, root: Path, warnings: list[str]
) -> tuple[dict[str, str], bytes]:
    """``project/``: the project's files (credentials removed), staged then put in place;
    their checksums, and the bytes of the lock it carries."""
    import os
    import shutil

    from npinit.jail import check_inside
    from npinit.record.bundle import PROJECT
    from npinit.record.bundle_project import copy_project, project_files, replace_folder
    from npinit.record.download import PART, digests

    inside = os.path.realpath(output).startswith(os.path.realpath(project) + os.sep)
    files = project_files(project, output if inside else None)
    staged = output / f".{PROJECT}{PART}"
    check_inside(root, staged)
    check_inside(root, output / PROJECT)
    if staged.exists():
        shutil.rmtree(staged)
    try:
        changed = copy_project(project, staged, files)
        replace_folder(staged, output / PROJECT)
    finally:
        if staged.exists():
            shutil.rmtree(staged)
    warnings += [f"credentials were removed from {PROJECT}/{name}" for name in changed]
    sums = {f"{PROJECT}/{f}": digests(output / PROJECT / f)[0] for f in files}
    return sums, (output / PROJECT / LOCK_FILE).read_bytes()


def _remove_other_platforms(output: Path, old: dict[str, Any], made: set[str]) -> None:
    """The folders of the platforms an earlier run bundled (from another lock) that this one
    did not make: bundle.json no longer lists them."""
    import shutil

    from npinit.record.bundle import inside

    for name in dict(old.get("platforms") or {}):
        if name not in made and (folder := inside(output, name)).is_dir():
            shutil.rmtree(folder)


def _write(root: Path, output: Path, texts: dict[str, str]) -> None:
    from npinit.jail import write_files

    write_files(root, {output / name: text for name, text in texts.items()}, what="the bundle")
