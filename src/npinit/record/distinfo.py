"""PyPI distributions installed in a site-packages folder: ``.dist-info`` folders (name,
version, installer, wheel tags, a remote ``direct_url``) and old ``.egg-info`` installs.
Metadata that is not UTF-8 becomes a warning naming the file, never a traceback."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from npinit.errors import InvalidInput
from npinit.model import Source
from npinit.reading import parse_bounded, read_regular
from npinit.record.package import Package, canonical

METADATA_BYTES = 16 * 1024 * 1024  # a long description is large; a METADATA this size is not
SMALL_BYTES = 1024 * 1024  # INSTALLER, WHEEL, direct_url.json: a few lines each
HEAD_BYTES = 256  # where Name and Version are found (the whole text is split only if not)


def site_packages_dirs(prefix: Path) -> list[Path]:
    """``lib/pythonX.Y/site-packages`` (POSIX) and ``Lib/site-packages`` (Windows)."""
    lib = prefix / "lib"
    try:  # lib/python3*/site-packages, as glob matches it (case-folded where the OS does)
        names = [n for n in os.listdir(lib) if os.path.normcase(n).startswith("python3")]
    except OSError:
        names = []
    found = sorted(lib / name / "site-packages" for name in names)
    windows = prefix / "Lib" / "site-packages"
    if windows.is_dir():
        found.append(windows)
    return [p for p in found if p.is_dir()]


def _metadata_headers(path: Path | str) -> dict[str, str]:
    """Name and Version from a METADATA file's header block. InvalidInput when it is not a
    regular file (a FIFO would hang the read) or too large, OSError when it cannot be read."""
    raw = read_regular(path, "", METADATA_BYTES)
    head = raw[:HEAD_BYTES].decode("utf-8", "replace").splitlines()
    if len(raw) > HEAD_BYTES:
        head.pop()  # perhaps cut short: only the whole lines of the first bytes
    headers, done = _headers(head)
    if done or len(raw) <= HEAD_BYTES:
        return headers
    return _headers(raw.decode("utf-8", "replace").splitlines())[0]  # a header block that long


def _headers(lines: list[str]) -> tuple[dict[str, str], bool]:
    """Name and Version from the header lines; whether the block (or both) was seen."""
    headers: dict[str, str] = {}
    for line in lines:
        if not line.strip():
            return headers, True
        key, _, value = line.partition(":")
        if key in ("Name", "Version") and key not in headers:
            headers[key] = value.strip()
            if len(headers) == 2:
                return headers, True
    return headers, False


def read_dist_info(site: Path, owned: set[str], rel_site: str) -> tuple[list[Package], list[str]]:
    """PyPI distributions installed in ``site`` that no conda record owns."""
    packages: list[Package] = []
    warnings: list[str] = []
    try:
        entries = sorted(os.scandir(site), key=lambda e: e.name)
    except OSError as error:
        return [], [f"cannot read {site}: {error.strerror}"]
    for entry in entries:
        if entry.name.endswith(".egg-info"):
            package = _egg_info(Path(entry.path), owned, rel_site, warnings)
        elif entry.name.endswith(".dist-info"):
            owned_by_conda = f"{rel_site}/{entry.name}/METADATA" in owned
            package = None if owned_by_conda else _dist_info(entry.path, warnings)
        else:
            continue
        if package is not None:
            packages.append(package)
    return packages, warnings


def _dist_info(dist: str, warnings: list[str]) -> Package | None:
    """One ``.dist-info`` folder (its path as text: a few hundred are read per environment,
    and a Path per file costs more than the read); None for one conda installed or one
    without a readable METADATA (a warning says which)."""
    installer = _small_text(f"{dist}{os.sep}INSTALLER", warnings).strip()
    if installer == "conda":
        return None
    found = _name_version(f"{dist}{os.sep}METADATA", dist, "METADATA", warnings)
    if found is None:
        return None
    name, version = found
    requested, origin = _direct_url(dist, warnings)
    return Package(
        name=canonical(name),
        version=version,
        source=Source.PYPI,
        installer=installer,
        tags=_wheel_tags(dist, warnings),
        requested_url=requested,
        origin=origin,
    )


def _name_version(
    info: Path | str, owner: str, label: str, warnings: list[str]
) -> tuple[str, str] | None:
    """Name and Version from ``info``, the metadata file (``label``: METADATA or PKG-INFO) of
    the distribution installed as ``owner``; None, with a warning naming it, when they cannot
    be read (it is then left out of the snapshot)."""
    try:
        headers = _metadata_headers(info)
        return headers["Name"], headers["Version"]
    except (OSError, KeyError):
        warnings.append(f"{owner} has no readable {label}; left out of the snapshot")
    except InvalidInput as error:
        warnings.append(f"{error.message}; {os.path.basename(owner)} left out of the snapshot")
    return None


def _small_text(path: str, warnings: list[str]) -> str:
    """A small metadata file's text; '' when absent, and a warning when it is not UTF-8 or
    not a regular file."""
    try:
        return read_regular(path, "", SMALL_BYTES).decode("utf-8")
    except InvalidInput as error:
        try:  # absent is nothing to say; a dangling link, a folder, a FIFO are
            os.lstat(path)
        except OSError as absent:
            if absent.errno in (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP):
                return ""
            raise
        warnings.append(f"{error.message}; its content was left out of the snapshot")
        return ""
    except UnicodeDecodeError:
        warnings.append(f"{path} is not UTF-8 text; its content was left out of the snapshot")
        return ""


def _egg_info(path: Path, owned: set[str], rel_site: str, warnings: list[str]) -> Package | None:
    """A distribution installed the old way (``setup.py install``/``develop``): an
    ``.egg-info`` folder with PKG-INFO, or a single ``.egg-info`` file. Locked by name and
    version, with a warning: it has no installer record and no wheel tags."""
    info = path / "PKG-INFO" if path.is_dir() else path
    if f"{rel_site}/{path.name}/PKG-INFO" in owned or f"{rel_site}/{path.name}" in owned:
        return None
    found = _name_version(info, str(path), "PKG-INFO", warnings)
    if found is None:
        return None
    name, version = found
    warnings.append(
        f"{canonical(name)} {version} is installed as egg-info (no installer record, no wheel "
        "tags); reinstall it with pip to lock it fully"
    )
    return Package(name=canonical(name), version=version, source=Source.PYPI)


def _wheel_tags(dist: str, warnings: list[str]) -> tuple[str, ...]:
    text = _small_text(f"{dist}{os.sep}WHEEL", warnings)
    return tuple(
        line.partition(":")[2].strip() for line in text.splitlines() if line.startswith("Tag:")
    )


def _direct_url(dist: str, warnings: list[str]) -> tuple[str, str]:
    """The remote URL a distribution was installed from (PEP 610), and its origin:
    ``editable`` or ``local`` for a folder or file of this machine (whose path is not kept:
    the lock must not depend on it)."""
    path = f"{dist}{os.sep}direct_url.json"
    try:  # most distributions have none: one look says so (a link, a FIFO... are read)
        os.lstat(path)
    except FileNotFoundError:
        return "", ""
    text = _small_text(path, warnings)
    if not text:  # json is loaded only for a distribution that has one
        return "", ""
    import json

    try:
        data = parse_bounded(json.loads, text, path)
    except InvalidInput as error:
        warnings.append(f"{error.message}; its content was left out of the snapshot")
        return "", ""
    except ValueError:
        return "", ""
    if not isinstance(data, dict):
        return "", ""
    url = data.get("url", "")
    url = url if isinstance(url, str) else ""
    dir_info = data.get("dir_info")
    if isinstance(dir_info, dict) and dir_info.get("editable"):
        return "", "editable"
    if url.startswith("file:"):
        return "", "local"
    return url, ""


def tool_closure(sites: list[Path], root: str = "npinit") -> set[str]:
    """``root`` and every distribution it needs, as installed in ``sites`` (each METADATA's
    ``Requires-Dist`` without an extra, followed where installed): npinit's own packages when
    npinit was installed into a project's environment. Empty when ``root`` is not there."""
    import re

    from npinit.errors import InvalidInput
    from npinit.tomlio import check_regular

    found: dict[str, Path] = {}
    for site in sites:
        for dist in sorted(site.glob("*.dist-info")):
            found.setdefault(canonical(dist.name[: -len(".dist-info")].rpartition("-")[0]), dist)
    wanted, seen = [canonical(root)], set()
    while wanted:
        name = wanted.pop()
        if name in seen or name not in found:
            continue
        seen.add(name)
        metadata = found[name] / "METADATA"
        try:
            check_regular(metadata)
            with metadata.open(encoding="utf-8", errors="replace") as handle:
                text = handle.read(1 << 20)
        except (OSError, InvalidInput):
            continue
        for line in text.split("\n\n", 1)[0].splitlines():
            key, _, value = line.partition(":")
            if key == "Requires-Dist" and "extra" not in value.partition(";")[2]:
                match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", value)
                if match:
                    wanted.append(canonical(match.group(1)))
    return seen
