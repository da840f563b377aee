"""pixi.lock as pixi writes it: the conda records and the PyPI packages of every environment
and platform, written with ``rattler.LockFile``. py-rattler 0.28's ``add_pypi_package``
takes a name, a version and a location only, so what pixi writes beside them (lock format
6/7, prefix-dev/pixi ``tests/data/satisfiability/dependency_overides/pixi.lock``, copied in
tests/data/pixi/) is added after: a file's ``sha256``, a local project's ``requires_dist``,
``requires_python`` and ``editable: true``, and the environment's PyPI ``indexes``."""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from npinit.model import Platform, Source
from npinit.record.package import Package
from npinit.record.resolve_pixi_pypi import LockedPypi
from npinit.record.snapshot import Snapshot

PYPI_INDEX = "https://pypi.org/simple"


def index_url(environ: Mapping[str, str]) -> str:
    """The index uv resolved against: uv's own setting, else PyPI."""
    return environ.get("UV_DEFAULT_INDEX") or environ.get("UV_INDEX_URL") or PYPI_INDEX


def write(
    path: Path,
    solved: Mapping[str, tuple[list[str], dict[Platform, list[Any]]]],
    pypi: Mapping[str, dict[Platform, list[LockedPypi]]],
    index: str,
) -> None:
    """``solved``: each environment's channel URLs and conda records per platform;
    ``pypi``: its PyPI packages per platform."""
    from npinit.record.resolve_conda import require_rattler

    rattler = require_rattler()
    everywhere = sorted({p for _, s in solved.values() for p in s}, key=lambda p: p.value)
    lock_file = rattler.LockFile([rattler.LockPlatform(p.value) for p in everywhere])
    for name, (urls, result) in solved.items():
        lock_file.set_channels(name, [rattler.LockChannel(u) for u in urls])
        for platform, records in result.items():
            where = rattler.LockPlatform(platform.value)
            for record in records:
                lock_file.add_conda_package(name, where, record)
            for package in pypi.get(name, {}).get(platform, []):
                lock_file.add_pypi_package(
                    name, where, package.name, package.version, package.location
                )
    lock_file.to_path(path)
    every = {p.location: p for found in pypi.values() for ps in found.values() for p in ps}
    with_pypi = [name for name, found in pypi.items() if any(found.values())]
    if every:
        text = path.read_text("utf-8")
        path.write_text(_with_indexes(_with_details(text, every), with_pypi, index), "utf-8")


def _fields(package: LockedPypi) -> dict[str, Any]:
    """What pixi writes after a PyPI package's name and version, in its order."""
    fields: dict[str, Any] = {}
    if package.sha256:
        fields["sha256"] = package.sha256
    if package.requires_dist:
        fields["requires_dist"] = list(package.requires_dist)
    if package.requires_python:
        fields["requires_python"] = package.requires_python
    if package.editable:
        fields["editable"] = True
    return fields


def _yaml(fields: dict[str, Any]) -> str:
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.indent(mapping=2, sequence=2, offset=0)
    yaml.width = 1 << 16  # a URL or a requirement on one line, as pixi writes it
    out = io.StringIO()
    yaml.dump(fields, out)
    return "".join(f"  {line}\n" for line in out.getvalue().splitlines())


def _with_details(text: str, every: Mapping[str, LockedPypi]) -> str:
    """Each ``- pypi: LOCATION`` entry of the top-level ``packages`` list gets its fields
    after its ``version`` line."""
    lines = text.splitlines(keepends=True)
    out, current = [], None
    for line in lines:
        if line.startswith("- pypi: "):
            current = every.get(_scalar(line.removeprefix("- pypi: ").rstrip("\n")))
        elif not line.startswith("  "):
            current = None
        out.append(line)
        if current is not None and line.startswith("  version: "):
            fields = _fields(current)
            out.append(_yaml(fields) if fields else "")
            current = None
    return "".join(out)


def _scalar(text: str) -> str:
    """A YAML scalar as rattler writes a location (plain, or quoted)."""
    from ruamel.yaml import YAML

    return str(YAML(typ="safe").load(text))


def _with_indexes(text: str, names: list[str], index: str) -> str:
    """``indexes:`` after each environment's channels, where it has PyPI packages."""
    lines = text.splitlines(keepends=True)
    out, in_environments, current = [], False, ""
    for line in lines:
        if not line.startswith(" "):
            in_environments = line.startswith("environments:")
        elif in_environments and line.startswith("  ") and not line.startswith("   "):
            current = line.strip().rstrip(":")
        if in_environments and current in names and line == "    packages:\n":
            out.append(f"    indexes:\n    - {index}\n")
        out.append(line)
    return "".join(out)


def with_pypi(snapshot: Snapshot, packages: list[LockedPypi]) -> Snapshot:
    """npinit.lock's section: the conda records and the PyPI packages, each from the one
    file pixi.lock records for the platform, or a local project (``origin`` editable or
    local, no hash: what a uv or Poetry lock's own project is)."""
    added = [
        pypi_file(p.name, p.version, p.location, p.sha256)
        if p.sha256
        else local_project(p.name, p.version, p.editable)
        for p in packages
    ]
    return snapshot.with_packages(snapshot.packages + tuple(added)) if added else snapshot


def local_project(name: str, version: str, editable: bool) -> Package:
    from npinit.record.package import canonical

    origin = "editable" if editable else "local"
    return Package(canonical(name), version, Source.PYPI, origin=origin)


def pypi_file(name: str, version: str, url: str, sha256: str) -> Package:
    """A PyPI package installed from one file (a wheel, or an sdist)."""
    from npinit.record.resolve_pypi import pypi_package

    wheel = url.endswith(".whl")
    return pypi_package(
        name, version, [(url, sha256)] if wheel else [], None if wheel else (url, sha256)
    )


def editable_locations(text: str) -> set[str]:
    """The locations of pixi.lock's ``editable: true`` PyPI entries (py-rattler 0.28 does
    not read the flag)."""
    found, current = set(), ""
    for line in text.splitlines():
        if line.startswith("- pypi: "):
            current = _scalar(line.removeprefix("- pypi: "))
        elif not line.startswith("  "):
            current = ""
        elif line == "  editable: true" and current:
            found.add(current)
    return found


def pypi_records(env: Any, platform: Any, editable: set[str]) -> list[Package]:
    """pixi.lock's PyPI packages of one platform: a file's by URL and sha256, a local
    project's by ``editable`` (the locations of its entries that are)."""
    found = []
    for package in env.pypi_packages_for_platform(platform) or []:
        try:
            sha = package.hashes.sha256
        except AttributeError:  # rattler's empty PackageHashes: a local project's
            sha = None
        if sha:
            found.append(pypi_file(package.name, package.version, package.location, sha.hex()))
        else:
            is_editable = package.location in editable
            found.append(local_project(package.name, package.version, is_editable))
    return found
