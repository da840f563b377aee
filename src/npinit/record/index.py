"""The online step: ask a PEP 691 simple index for the wheel each installed distribution
came from (matched by its recorded tags), to learn its URL and sha256."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

from npinit.errors import Failure
from npinit.record.snapshot import Package, canonical

DEFAULT_INDEX = "https://pypi.org/simple"
ACCEPT = "application/vnd.pypi.simple.v1+json"


def _fetch(index: str, name: str) -> dict[str, Any]:
    request = urllib.request.Request(f"{index.rstrip('/')}/{name}/", headers={"Accept": ACCEPT})
    with urllib.request.urlopen(request, timeout=60) as response:
        data: dict[str, Any] = json.load(response)
        return data


def match_wheel(package: Package, page: dict[str, Any]) -> dict[str, Any] | None:
    """The index file of ``package``'s version whose wheel tags equal the recorded ones."""
    from packaging.utils import InvalidWheelFilename, parse_wheel_filename

    wanted = set(package.tags)
    for entry in page.get("files", []):
        filename = entry.get("filename", "")
        if not filename.endswith(".whl"):
            continue
        try:
            name, version, _, tags = parse_wheel_filename(filename)
        except InvalidWheelFilename:
            continue
        if canonical(name) != package.name or str(version) != package.version:
            continue
        if {str(t) for t in tags} == wanted:
            return dict(entry)
    return None


def add_hashes(
    packages: tuple[Package, ...], index: str = DEFAULT_INDEX
) -> tuple[tuple[Package, ...], list[str]]:
    """Fill ``url``/``sha256`` of PyPI packages from the index; warnings for misses."""
    wanted = [p for p in packages if p.source == "pypi" and not p.sha256 and p.tags]
    pages: dict[str, dict[str, Any]] = {}

    def load(name: str) -> tuple[str, dict[str, Any]]:
        return name, _fetch(index, name)

    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            pages = dict(pool.map(load, sorted({p.name for p in wanted})))
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise Failure(
            f"could not ask the index {index} for hashes ({error})",
            "check the network, or lock without --online (hashes are then left out)",
        ) from None
    warnings: list[str] = []
    result = []
    for package in packages:
        if package in wanted:
            entry = match_wheel(package, pages.get(package.name, {}))
            sha = (entry or {}).get("hashes", {}).get("sha256", "")
            if entry and sha:
                package = replace(package, url=entry["url"], sha256=sha)
            else:
                warnings.append(
                    f"the index has no wheel of {package.name} {package.version} "
                    "with the installed tags"
                )
        result.append(package)
    return tuple(result), warnings
