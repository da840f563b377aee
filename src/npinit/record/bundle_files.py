"""Where each locked file lives in an offline bundle, and the checks ``create --bundle`` makes
before installing anything (OWNERS.md "The bundle layout" is the contract):

- ``<platform>/pypi/<file>``: a PyPI package's wheel or sdist (the file name of its URL);
- ``<platform>/channel/<subdir>/<file>``: a conda package's archive.

The bundle is trusted only as far as the current project's ``npinit.lock`` vouches for it:
``bundle.json`` must name that lock's sha256, and every file of the platform's section is
hashed again against the lock (sha256, and md5 for conda)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from npinit.errors import Failure, InvalidInput, ToolMissing
from npinit.model import LOCK_FILE
from npinit.record.snapshot import Package, Snapshot

MANIFEST = "bundle.json"
BUNDLE_VERSION = 1
PYPI = "pypi"
CHANNEL = "channel"


def file_name(package: Package) -> str:
    """The file a locked package is installed from: the last part of its URL, decoded."""
    return unquote(urlsplit(package.url).path.rsplit("/", 1)[-1])


def relative_path(platform: str, package: Package) -> str:
    """Where ``package``'s file lives in a bundle, relative to its root (POSIX)."""
    if package.source == "conda":
        return f"{platform}/{CHANNEL}/{package.subdir}/{file_name(package)}"
    return f"{platform}/{PYPI}/{file_name(package)}"


def bundled(section: Snapshot) -> list[Package]:
    """The packages of a section that have a file in a bundle (not the project itself,
    installed editable from its own folder)."""
    return [p for p in section.packages if not p.origin and p.url]


def sha256_of(path: Path) -> str:
    return _digests(path)[0]


def _digests(path: Path) -> tuple[str, str]:
    sha256, md5 = hashlib.sha256(), hashlib.md5(usedforsecurity=False)
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            sha256.update(block)
            md5.update(block)
    return sha256.hexdigest(), md5.hexdigest()


def check_made_from(bundle: Path, lock_path: Path) -> None:
    """InvalidInput (exit 2) unless ``bundle`` is a bundle made from the lock at
    ``lock_path`` (byte for byte: its sha256 is the one bundle.json names)."""
    from npinit.reading import parse_bounded, read_text

    if not lock_path.is_file():
        raise InvalidInput(
            f"{lock_path} does not exist: a bundle installs the lock it was made from",
            "run npinit create --bundle in the bundle's project/ folder (or a copy of it)",
        )
    manifest = bundle / MANIFEST
    if not manifest.is_file():
        raise InvalidInput(
            f"{bundle} is not an npinit bundle (no {MANIFEST})",
            "give the folder npinit bundle wrote",
        )
    try:
        data = parse_bounded(json.loads, read_text(manifest, MANIFEST), str(manifest))
    except ValueError as error:
        raise InvalidInput(
            f"{manifest} is not valid JSON ({error})", "make the bundle again"
        ) from None
    if not isinstance(data, dict) or data.get("bundle-version") != BUNDLE_VERSION:
        raise InvalidInput(
            f"{manifest} is not a version {BUNDLE_VERSION} bundle",
            "make the bundle again with this npinit (npinit bundle)",
        )
    if data.get("lock-sha256") != sha256_of(lock_path):
        raise InvalidInput(
            f"the bundle was made from another lock than {lock_path}",
            "run npinit bundle again",
        )


@dataclass(frozen=True)
class BundledFile:
    """A locked package and its file in the bundle, checked against the lock."""

    package: Package
    path: Path


def checked_files(bundle: Path, section: Snapshot) -> list[BundledFile]:
    """Every file of ``section`` in ``bundle``, each hashed against the lock (sha256, and md5
    for conda). Failure (exit 1) naming every missing or damaged file, or a package the lock
    holds no hash for; ToolMissing (exit 3) when the bundle has no folder for the platform."""
    found: list[BundledFile] = []
    problems: list[str] = []
    if bundled(section) and not (bundle / section.platform).is_dir():
        has = sorted(p.name for p in bundle.iterdir() if p.is_dir() and p.name != "project")
        raise ToolMissing(
            f"the bundle has no {section.platform} files (it has {', '.join(has) or 'none'})",
            f"make it with npinit bundle --platform {section.platform} (or --platform all)",
        )
    for package in bundled(section):
        for relative, sha256 in _files_of(section.platform, package):
            problem = _problem(bundle, relative, package, sha256)
            if problem:
                problems.append(f"{relative} ({problem})")
            else:
                found.append(BundledFile(package, bundle / relative))
    if problems:
        shown = ", ".join(problems[:5]) + (f" and {len(problems) - 5} more" if problems[5:] else "")
        raise Failure(
            f"the bundle does not hold this lock's files: {shown}; nothing was installed",
            "copy the bundle again, or make it again with npinit bundle",
        )
    return found


def _files_of(platform: str, package: Package) -> list[tuple[str, str]]:
    """Each file of a package in the bundle and its locked sha256: a conda archive; every
    file the lock names for a PyPI package (both macOS numpy wheels)."""
    if package.source == "conda" or not package.every_file():
        return [(relative_path(platform, package), package.sha256)]
    return [
        (f"{platform}/{PYPI}/{unquote(urlsplit(f.url).path.rsplit('/', 1)[-1])}", f.sha256)
        for f in package.every_file()
    ]


def _problem(bundle: Path, relative: str, package: Package, sha256: str) -> str:
    """What is wrong with the bundle's file at ``relative`` as a file of ``package`` (''
    when nothing): bundle --check's rule (:func:`npinit.record.bundle.file_problem`)."""
    from npinit.record.bundle import file_problem

    if not sha256 and not package.md5:
        return f"{LOCK_FILE} holds no hash for it"
    return file_problem(bundle, relative, sha256, package.md5, LOCK_FILE)
