"""The offline bundle's layout (OWNERS.md, "The bundle layout": the contract with
``create --bundle``) and its files: per platform of a lock, every PyPI file in
``<platform>/pypi/`` and every conda archive in ``<platform>/channel/<subdir>/``, each with
the hashes the lock gives; ``bundle.json`` lists them (and a checksum of every other file the
bundle holds), so ``bundle --check`` can re-hash a stick that has been passed around."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from npinit.errors import InvalidInput
from npinit.model import Platform
from npinit.record.snapshot import Package, Snapshot

BUNDLE_VERSION = 1
INFO = "bundle.json"
PROJECT = "project"
INCOMPLETE = ".npinit-bundle-incomplete"
NOARCH = "noarch"
_SUBDIRS = frozenset({p.value for p in Platform} | {NOARCH})
_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+!~-]*")
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)([^/@\s]+)@")


@dataclass(frozen=True)
class BundleFile:
    """One package file of a platform: where it goes (relative to the bundle, ``/``
    separated), what it is, its hashes, and the URL it comes from (never written)."""

    path: str
    name: str
    version: str
    sha256: str
    md5: str = ""
    url: str = ""
    size: int = 0

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "path": self.path,
            "name": self.name,
            "version": self.version,
            "sha256": self.sha256,
        }
        if self.md5:
            data["md5"] = self.md5
        data["size"] = self.size
        return data


def pypi_dir(platform: str) -> str:
    return f"{platform}/pypi"


def channel_dir(platform: str) -> str:
    return f"{platform}/channel"


def redact(text: str) -> str:
    """``https://user:secret@host/...`` -> ``https://host/...`` and a conda channel token
    (``/t/<token>/``) removed (:func:`npinit.knowledge.channels.strip_token`): credentials are
    never written into a bundle (an http(s) user part is a token too; ``ssh://git@host``
    stays)."""
    from npinit.knowledge.channels import strip_token

    def strip(match: re.Match[str]) -> str:
        scheme, userinfo = match.group(1), match.group(2)
        if ":" in userinfo or "http" in scheme.lower():
            return scheme
        return match.group(0)

    return strip_token(_USERINFO.sub(strip, text))


def file_name(url: str, package: Package) -> str:
    """The file name a URL ends in, refused (exit 2) unless it is a plain file name."""
    name = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    if not _FILE_NAME.fullmatch(name) or name.endswith(".npinit-part"):
        raise InvalidInput(
            f"the lock's URL of {package.name} {package.version} does not end in a file name "
            f"({redact(url)[:120]})",
            "lock again; npinit bundles only files an index or channel serves",
        )
    return name


def plan_section(
    platform: str, section: Snapshot, alias: str | None, others: Mapping[str, str]
) -> tuple[list[BundleFile], list[str]]:
    """Every file of one platform's section, and warnings for what no index serves (an
    editable install, a direct URL without a hash). ``others``: the URL of each further
    file (by sha256) a PyPI package may install there (both macOS numpy wheels)."""
    files: list[BundleFile] = []
    warnings: list[str] = []
    for package in section.packages:
        if package.source == "conda":
            files.append(_conda_file(platform, package, alias))
            continue
        if package.origin or not package.url or not package.sha256:
            warnings.append(
                f"{platform}: {package.name} {package.version} has no file an index serves "
                "(an editable or local install); it is not in the bundle"
            )
            continue
        wanted = {f.sha256: f.url for f in package.every_file()}  # both macOS numpy wheels
        for entry in package.hashes:  # a lock without its files: the index was asked
            sha = entry.removeprefix("sha256:")
            if sha not in wanted and sha in others:
                wanted[sha] = others[sha]
        for sha, url in list(wanted.items()):  # poetry.lock names a file, not its URL
            if not _fetchable(url):
                wanted[sha] = _from_index(platform, package, url, others.get(sha))
        for sha, url in sorted(wanted.items(), key=lambda item: item[1]):
            path = f"{pypi_dir(platform)}/{file_name(url, package)}"
            files.append(BundleFile(path, package.name, package.version, sha, url=url))
    return files, warnings


def _fetchable(url: str) -> bool:
    return "://" in url


def _from_index(platform: str, package: Package, name: str, found: str | None) -> str:
    """The URL the index gives a file the lock names without one; InvalidInput if none."""
    if found is None:
        raise InvalidInput(
            f"{platform}: {package.name} {package.version}'s file {name} has no URL in the "
            "lock and no index the lock was made with lists it",
            "lock again with npinit lock, or bundle where the index is reachable",
        )
    return found


def _conda_file(platform: str, package: Package, alias: str | None) -> BundleFile:
    from npinit.knowledge.channels import fetch_url

    if package.subdir not in _SUBDIRS or not package.url or not package.sha256:
        raise InvalidInput(
            f"{platform}: the conda package {package.name} has no subdir, URL or sha256 "
            "npinit can bundle",
            "lock again with npinit lock",
        )
    name = file_name(package.url, package)
    path = f"{channel_dir(platform)}/{package.subdir}/{name}"
    url = fetch_url(package.url, alias)  # the one alias rule (knowledge.channels)
    return BundleFile(path, package.name, package.version, package.sha256, package.md5, url)


def missing_hashes(section: Snapshot) -> dict[str, set[str]]:
    """PyPI packages whose locked hashes name files the lock gives no URL of (a lock made
    before it kept every file): name -> those sha256 (the index is asked for their URLs)."""
    out: dict[str, set[str]] = {}
    for package in section.packages:
        if package.source != "pypi" or package.origin or not package.url:
            continue
        files = package.every_file()
        every = {package.sha256, *(f.sha256 for f in files)}
        every |= {h.removeprefix("sha256:") for h in package.hashes}
        extra = every - {f.sha256 for f in files if _fetchable(f.url)}
        if extra:
            out.setdefault(package.name, set()).update(extra)
    return out


def other_files(wanted: Mapping[str, set[str]], indexes: list[str]) -> dict[str, str]:
    """The URL (by sha256) of each wanted file, from the first index whose project page
    lists it; a page that cannot be read is passed over (the file is then left out, with
    a warning from :func:`plan_section`'s caller)."""
    from concurrent.futures import ThreadPoolExecutor

    from npinit.record.index import project_page

    def look(name: str) -> dict[str, str]:
        found: dict[str, str] = {}
        for index in indexes:
            try:
                page = project_page(index, name)
            except (OSError, ValueError, InvalidInput):
                continue
            for entry in page.get("files", []):
                sha = (entry.get("hashes") or {}).get("sha256", "")
                if sha in wanted[name] and isinstance(entry.get("url"), str):
                    found.setdefault(sha, entry["url"])
            if set(found) >= wanted[name]:
                break
        return found

    out: dict[str, str] = {}
    with ThreadPoolExecutor(max_workers=8) as pool:
        for found in pool.map(look, sorted(wanted)):
            out.update(found)
    return out


def indexes_of(inputs: Mapping[str, Any] | None, environ: Mapping[str, str]) -> list[str]:
    """The package indexes a pip lock was made with, credentials included (they are used
    to fetch, never written): ``--index-url``/``--extra-index-url`` lines of the lock's
    inputs, uv's and pip's index variables, then PyPI."""
    urls: list[str] = []
    for line in (inputs or {}).get("requirements", []):
        words = str(line).split(":", 1)[-1].split() if ": -" in str(line) else str(line).split()
        for index, word in enumerate(words):
            option, _, value = word.partition("=")
            if option in ("--index-url", "-i", "--extra-index-url"):
                value = value or (words[index + 1] if index + 1 < len(words) else "")
                if value:
                    urls.append(value)
    for name in (
        "UV_DEFAULT_INDEX",
        "UV_INDEX_URL",
        "UV_INDEX",
        "UV_EXTRA_INDEX_URL",
        "PIP_INDEX_URL",
        "PIP_EXTRA_INDEX_URL",
    ):
        urls += [u.split("=", 1)[-1] for u in environ.get(name, "").split()]
    urls.append("https://pypi.org/simple")
    return list(dict.fromkeys(u for u in urls if "://" in u))


def auth_headers(url: str, indexes: list[str]) -> tuple[tuple[str, str], ...]:
    """The Basic header of the first index with credentials on ``url``'s host (a file an
    authenticated index serves needs them too), else none."""
    from npinit.record.index import split_credentials

    host = urlsplit(url).netloc.rsplit("@", 1)[-1]
    for index in indexes:
        parts = urlsplit(index)
        if parts.username is not None and parts.netloc.rsplit("@", 1)[-1] == host:
            return tuple(split_credentials(index)[1].items())
    return ()


def info_json(
    created_by: str,
    lock_sha256: str,
    manager: str,
    platforms: Mapping[str, dict[str, Any]],
    checksums: Mapping[str, str],
) -> str:
    """``bundle.json``'s text (OWNERS.md's layout), ``checksums``: the sha256 of every other
    file the bundle holds (requirements, channels' repodata, README, the project's files)."""
    data = {
        "bundle-version": BUNDLE_VERSION,
        "created-by": created_by,
        "lock-sha256": lock_sha256,
        "manager": manager,
        "platforms": dict(sorted(platforms.items())),
        "checksums": dict(sorted(checksums.items())),
    }
    return json.dumps(data, indent=2, sort_keys=False) + "\n"


def read_info(output: Path) -> dict[str, Any]:
    """A bundle's ``bundle.json`` as data; InvalidInput (exit 2) when it is not a bundle."""
    from npinit.reading import parse_bounded, read_text

    path = output / INFO
    if not path.is_file():
        raise InvalidInput(f"{output} is not a bundle (no {INFO})", "make one: npinit bundle")
    try:
        data = parse_bounded(json.loads, read_text(path, INFO), str(path))
    except ValueError as error:
        raise InvalidInput(f"{path} is not valid JSON ({error})", "make it again") from None
    if not isinstance(data, dict) or data.get("bundle-version") != BUNDLE_VERSION:
        raise InvalidInput(
            f"{path} is not a bundle npinit reads (bundle-version {BUNDLE_VERSION})",
            "make it again with this npinit",
        )
    return data


def inside(output: Path, relative: str) -> Path:
    """``output / relative`` for a path bundle.json names; refused unless it is a plain
    relative path below the bundle (a damaged bundle.json must not point elsewhere)."""
    posix = PurePosixPath(relative)
    if posix.is_absolute() or ".." in posix.parts or "\\" in relative or not posix.parts:
        raise InvalidInput(f"bundle.json names {relative!r}, not a path in the bundle", "")
    return output.joinpath(*posix.parts)


def file_problem(output: Path, relative: str, sha256: str, md5: str = "", source: str = "") -> str:
    """Why the bundle's file at ``relative`` is not the one wanted ("" when it is). The one
    rule for reading a file of a bundle, ``bundle --check``'s and ``create --bundle``'s: a
    link (the file's own, or a folder's on its way) is followed only while it stays inside
    the bundle, as no npinit writer or reader follows a link out of its folder."""
    import os

    from npinit.jail import check_inside
    from npinit.record.download import hash_mismatch

    path = inside(output, relative)
    try:
        check_inside(output, path, "the bundle")
    except InvalidInput as error:
        return f"refused: {error.message}"
    if not path.is_file():
        return "missing" if not os.path.lexists(path) else "not a regular file"
    why = hash_mismatch(path, sha256, md5, f"{source or INFO} says")
    return f"damaged: {why}" if why else ""


def unlisted(folder: Path, listed: set[str]) -> list[str]:
    """What ``folder`` holds that ``listed`` (paths relative to it, ``/``-separated) does not
    name, sorted: each file, or a folder (``name/``) as a whole when nothing listed is below
    it. A link to a folder is not followed (it is reported unless listed)."""
    import os

    parents = {p for path in listed for p in _parents(path)}
    found: list[str] = []
    for here, dirs, names in os.walk(folder):
        base = Path(here).relative_to(folder)
        found += [(base / n).as_posix() for n in names if (base / n).as_posix() not in listed]
        for name in list(dirs):
            relative = (base / name).as_posix()
            if relative not in parents or (Path(here) / name).is_symlink():
                dirs.remove(name)
                if relative not in listed:
                    found.append(relative + "/")
    return sorted(found)


def _parents(relative: str) -> list[str]:
    parts = relative.split("/")[:-1]
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]
