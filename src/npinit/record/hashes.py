"""Wheel hashes an installer already gave us: a ``pip install --report`` file, or the
``files`` of poetry.lock. Applied to a snapshot's PyPI packages by name, version and tags."""

from __future__ import annotations

import json
import tomllib
from dataclasses import replace
from pathlib import Path

from npinit.record.snapshot import Package, canonical

# name -> version -> [(filename or url, sha256)]
Known = dict[str, dict[str, list[tuple[str, str]]]]


def from_pip_report(path: Path) -> Known:
    """Hashes from pip's installation report (``download_info.archive_info.hashes``)."""
    report = json.loads(path.read_text("utf-8"))
    known: Known = {}
    for item in report.get("install", []):
        meta = item.get("metadata", {})
        info = item.get("download_info", {})
        sha = info.get("archive_info", {}).get("hashes", {}).get("sha256", "")
        if meta.get("name") and sha and info.get("url"):
            known.setdefault(canonical(meta["name"]), {}).setdefault(
                str(meta.get("version")), []
            ).append((info["url"], sha))
    return known


def from_poetry_lock(path: Path) -> Known:
    """Hashes from poetry.lock (``files = [{file, hash = "sha256:..."}]``)."""
    data = tomllib.loads(path.read_text("utf-8"))
    known: Known = {}
    for package in data.get("package", []):
        files = [
            (f["file"], f["hash"].split(":", 1)[1])
            for f in package.get("files", [])
            if str(f.get("hash", "")).startswith("sha256:")
        ]
        if files:
            known.setdefault(canonical(package["name"]), {})[str(package["version"])] = files
    return known


def _matches(package: Package, location: str) -> bool:
    from packaging.utils import InvalidWheelFilename, parse_wheel_filename

    filename = location.rsplit("/", 1)[-1]
    try:
        _, _, _, tags = parse_wheel_filename(filename)
    except InvalidWheelFilename:
        return False
    return {str(t) for t in tags} == set(package.tags)


def apply(packages: tuple[Package, ...], known: Known) -> tuple[Package, ...]:
    """Fill ``sha256`` (and ``url`` where the source gave one) of matching PyPI packages."""
    result = []
    for package in packages:
        if package.source == "pypi" and not package.sha256:
            for location, sha in known.get(package.name, {}).get(package.version, []):
                if _matches(package, location):
                    url = location if "://" in location else package.url
                    package = replace(package, sha256=sha, url=url)
                    break
        result.append(package)
    return tuple(result)


def from_uv_lock(path: Path) -> Known:
    """Hashes from uv.lock (``wheels = [{ url, hash = "sha256:..." }]``)."""
    data = tomllib.loads(path.read_text("utf-8"))
    known: Known = {}
    for package in data.get("package", []):
        wheels = [
            (w["url"], w["hash"].split(":", 1)[1])
            for w in package.get("wheels", [])
            if "url" in w and str(w.get("hash", "")).startswith("sha256:")
        ]
        if wheels:
            known.setdefault(canonical(package["name"]), {})[str(package["version"])] = wheels
    return known
