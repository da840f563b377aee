"""A pixi environment's PyPI dependencies resolved the way pixi does (prefix-dev/pixi,
pixi_core ``lock_file/resolve/pypi.rs``): after the conda solve, uv resolves the
environment's PyPI requirements for one platform and the conda Python, with every Python
package the conda solve installed taken as fixed. uv cannot be told "installed", so each
such package is a stub wheel (its PyPI name, the conda version with the local label
``+conda``, no dependencies) in a ``--find-links`` folder, and a constraint pins that
version: a PyPI requirement on it (tensorflow's on numpy) must be met by the conda version,
uv never adds a second copy from PyPI, and the stubs are dropped from the result.

The PyPI name of a conda package is its own name but for the few whose PyPI name differs
(``CONDA_TO_PYPI``: the part of pixi's conda-pypi map the solves here hold; conda-forge's
records carry no PyPI name themselves)."""

from __future__ import annotations

import sys
import tomllib
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from npinit.editing.adopt_pixi_pypi import PypiEntry, canonical
from npinit.errors import Failure, InvalidInput
from npinit.model import Platform

LOCAL = "+conda"  # the local version label of the conda packages' stand-in wheels
CONDA_TO_PYPI = {
    "pytorch": "torch",
    "matplotlib-base": "matplotlib",
    "msgpack-python": "msgpack",
    "py-opencv": "opencv-python",
    "pytables": "tables",
    "python-flatbuffers": "flatbuffers",
    "tensorflow-base": "tensorflow",
    "ruamel.yaml": "ruamel-yaml",
    "importlib_metadata": "importlib-metadata",
    "typing_extensions": "typing-extensions",
}
# uv's --python-platform of each conda subdir (glibc 2.28 and macOS 13: pixi's defaults)
TRIPLES = {
    Platform.LINUX_64: "x86_64-manylinux_2_28",
    Platform.LINUX_AARCH64: "aarch64-manylinux_2_28",
    Platform.OSX_64: "x86_64-apple-darwin",
    Platform.OSX_ARM64: "aarch64-apple-darwin",
    Platform.WIN_64: "x86_64-pc-windows-msvc",
}


@dataclass(frozen=True)
class LockedPypi:
    """One PyPI package of a pixi environment on one platform, as pixi.lock records it:
    the file the platform installs (its URL and sha256), or a local project (its path,
    no hash), with every file of the platform for npinit.lock."""

    name: str
    version: str
    location: str  # a URL, or a path relative to the manifest's folder
    sha256: str = ""
    files: tuple[tuple[str, str], ...] = ()  # (url, sha256) of every file that fits
    editable: bool = False
    requires_dist: tuple[str, ...] = ()
    requires_python: str = ""


def python_packages(records: list[Any]) -> dict[str, str]:
    """The Python packages of a conda solve, by PyPI name: their conda versions."""
    from packaging.version import InvalidVersion, Version

    found = {}
    for record in records:
        name = str(record.name.normalized)
        depends = [str(d).split()[0] for d in record.depends]
        noarch = str(getattr(record, "noarch", "") or "")
        if name == "python" or not ("python" in depends or "python" in noarch.lower()):
            continue
        try:
            Version(str(record.version))
        except InvalidVersion:
            continue  # no PyPI version of it: uv may not count it as installed
        found[canonical(CONDA_TO_PYPI.get(name, name))] = str(record.version)
    return found


def conda_python(records: list[Any]) -> str:
    """The Python version the conda solve installed (``3.10.16``)."""
    for record in records:
        if str(record.name.normalized) in ("python", "python-freethreading"):
            return str(record.version)
    raise InvalidInput(
        "the environment has PyPI dependencies but no Python among its conda packages",
        "add python to its [dependencies]",
    )


def _stub(name: str, version: str, folder: Path) -> None:
    dist = f"{name.replace('-', '_')}-{version}"
    files = {
        f"{dist}.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        f"{dist}.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: npinit\n"
        "Root-Is-Purelib: true\nTag: py3-none-any\n",
    }
    files[f"{dist}.dist-info/RECORD"] = "".join(
        f"{k},,\n" for k in [*files, f"{dist}.dist-info/RECORD"]
    )
    with zipfile.ZipFile(folder / f"{dist}-py3-none-any.whl", "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)


def _inputs(entries: list[PypiEntry], fixed: dict[str, str], folder: Path, work: Path) -> list[str]:
    """The requirements, constraints and stub wheels uv reads; its options naming them."""
    stubs = work / "conda-stubs"
    stubs.mkdir(parents=True, exist_ok=True)
    for name, version in fixed.items():
        _stub(name, version + LOCAL, stubs)
    (work / "requirements.in").write_text("".join(e.line(folder) + "\n" for e in entries), "utf-8")
    pins = "".join(f"{name}=={version}{LOCAL}\n" for name, version in fixed.items())
    (work / "constraints.txt").write_text(pins, "utf-8")
    return [
        str(work / "requirements.in"),
        "-c",
        str(work / "constraints.txt"),
        "--find-links",
        str(stubs),
    ]


def resolve(
    entries: list[PypiEntry],
    records: list[Any],
    platform: Platform,
    *,
    folder: Path,
    uv: str,
    environ: Mapping[str, str],
    workdir: Path,
    run: Any,
    prefer: str = "",
) -> list[LockedPypi]:
    """``entries`` resolved by uv for ``platform`` and the conda solve's Python, the conda
    solve's Python packages fixed; the PyPI packages it adds, and the local projects.
    ``prefer``: a pylock.toml of the versions to keep (uv reads its output file's)."""
    fixed = python_packages(records)
    python = conda_python(records)
    workdir.mkdir(parents=True, exist_ok=True)
    out = workdir / "pylock.pixi.toml"
    out.unlink(missing_ok=True)
    if prefer:
        out.write_text(prefer, "utf-8")
    cmd = [uv, "pip", "compile", *_inputs(entries, fixed, folder, workdir), "--quiet"]
    cmd += ["--no-header", "--python-platform", TRIPLES[platform], "--python-version", python]
    cmd += ["--python", sys.executable, "--generate-hashes", "-o", str(out)]
    env = dict(environ)
    env.pop("VIRTUAL_ENV", None)
    result = run(cmd, cwd=folder, env=env, what="uv pip compile", check=False)
    if result.returncode != 0:
        _failed(platform, result.stderr or result.stdout)
    data = tomllib.loads(out.read_text("utf-8"))
    local = {canonical(e.name): e for e in entries if e.path is not None}
    return [
        found
        for package in data.get("packages", [])
        for found in [_locked(package, platform, python, local, folder)]
        if found is not None and not found.version.endswith(LOCAL)
    ]


def _failed(platform: Platform, output: str) -> None:
    from npinit.record.resolve_pypi import unsolvable_reason

    lines = [line.strip() for line in output.strip().splitlines() if line.strip()]
    said = " ".join(" ".join(lines).split()).replace(LOCAL, "")
    if "No solution found" in said or "unsatisfiable" in said:
        reason = unsolvable_reason(lines).replace(LOCAL, " (the conda package)")
        raise InvalidInput(
            f"the PyPI dependencies cannot be resolved for {platform.value} with the conda "
            f"packages fixed: {reason}",
            "change the PyPI pins, or the conda ones they must agree with",
        )
    raise Failure(f"locking the PyPI dependencies failed: {said[:400]}", "is the index reachable?")


def _locked(
    package: dict[str, Any],
    platform: Platform,
    python: str,
    local: dict[str, PypiEntry],
    folder: Path,
) -> LockedPypi | None:
    """One pylock.toml package as pixi.lock records it; None for what fits no file."""
    from npinit.record.resolve_pypi import fits

    name = canonical(str(package["name"]))
    if "directory" in package:
        return _project(name, local, folder)
    wheels = [(w["url"], w["hashes"]["sha256"]) for w in package.get("wheels", [])]
    fitting = fits(wheels, platform, python.rsplit(".", 1)[0])
    sdist = package.get("sdist")
    files = fitting or ([(sdist["url"], sdist["hashes"]["sha256"])] if sdist else [])
    if not files:
        raise InvalidInput(
            f"{name} {package.get('version')} has no file for {platform.value} in the index",
            "pin a version that has one",
        )
    best = min(files, key=lambda f: (f[0].endswith("none-any.whl"), f[0].rsplit("/", 1)[-1]))
    return LockedPypi(name, str(package.get("version", "")), best[0], best[1], tuple(files))


def _project(name: str, local: dict[str, PypiEntry], folder: Path) -> LockedPypi:
    """A local project (``{ path = "." }``): its static metadata, its path as written."""
    entry = local.get(name)
    if entry is None or entry.path is None:
        raise Failure(f"uv resolved a local project {name} the manifest does not name", "")
    meta = tomllib.loads((folder / entry.path / "pyproject.toml").read_text("utf-8"))
    project = meta.get("project") or {}
    return LockedPypi(
        name,
        str(project.get("version", "")),
        entry.path,
        editable=entry.editable,
        requires_dist=tuple(str(r) for r in project.get("dependencies") or []),
        requires_python=str(project.get("requires-python", "")),
    )


def with_metadata(
    found: dict[str, dict[Platform, list[LockedPypi]]],
) -> dict[str, dict[Platform, list[LockedPypi]]]:
    """Every wheel's ``requires_dist`` and ``requires_python`` from its METADATA (each URL
    read once, by range requests): what pixi.lock records of it. An sdist's would need a
    build: left unsaid."""
    from dataclasses import replace

    from npinit.record.wheel_metadata import metadata_of

    every = [p.location for env in found.values() for ps in env.values() for p in ps]
    known = metadata_of(every)

    def filled(package: LockedPypi) -> LockedPypi:
        if package.location not in known:
            return package
        requires_dist, requires_python = known[package.location]
        return replace(package, requires_dist=requires_dist, requires_python=requires_python)

    return {
        env: {platform: [filled(p) for p in ps] for platform, ps in by_platform.items()}
        for env, by_platform in found.items()
    }
