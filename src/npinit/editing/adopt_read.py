"""What an environment file says, for ``npinit init``: its numpy entries (as PEP 440 ranges,
each with its marker), its BLAS selector, the platforms it names (a ``platforms:`` key, pixi's
platforms, a platform in the file's name) and its channel. Every manager's native form:
conda files (any channel prefix; a numpy only in the ``pip:`` section is pinned there),
requirements files,
PEP 621 (dependencies, optional dependencies, PEP 735 groups), Poetry (main, dev, groups),
pixi.toml and ``[tool.pixi]`` (with their features and targets)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from npinit.editing.adopt_pixi import pixi_manifest as pixi_manifest  # read here too
from npinit.editing.pythons import python_version_pin
from npinit.errors import InvalidInput
from npinit.model import Manager, Platform

if TYPE_CHECKING:
    from npinit.editing.adopt_find import Fit


PIP_SECTION = "the pip: section"  # where a conda file's numpy is when it has no conda numpy


@dataclass(frozen=True)
class NumpyEntry:
    """One numpy entry: its PEP 440 range ("" for any) and its marker ("" for always)."""

    spec: str
    marker: str = ""
    spelled: str = ""  # as the file has it, for the decision lines
    where: str = ""  # the included file it is in ("": the file itself)
    url: str = ""  # ``numpy @ URL``: the file it installs
    place: int = 0  # 0: main dependencies, 1: an extra, 2: a group (see pinned_entries)

    def holds_for(self, python: str) -> bool:
        from npinit.editing.pythons import marker_holds

        return marker_holds(self.marker, python)


def conda_version(spec: str) -> str:
    """A conda spec's version part as PEP 440 (``numpy=1.26=py_0`` -> ``==1.26.*``)."""
    from npinit.editing.pythons import conda_to_pep440

    body = re.sub(r"^(?:[\w./-]+::)?[\w.-]+", "", spec.strip()).strip()
    bracket = re.search(r"\[.*version\s*=\s*['\"]?([^'\"\],]+)", body)
    body = bracket.group(1) if bracket else re.sub(r"\[.*\]$", "", body).strip()
    if body.startswith("=") and not body.startswith("=="):
        body = "=" + body[1:].split("=")[0]
    elif " " in body.strip():
        body = body.split()[0]
    return conda_to_pep440(body)


def _requirement(text: str) -> NumpyEntry | None:
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        requirement = Requirement(text)
    except InvalidRequirement:
        return None
    if requirement.name.lower() != "numpy":
        return None
    marker = str(requirement.marker) if requirement.marker else ""
    spec = _url_version(requirement.url, text) if requirement.url else str(requirement.specifier)
    return NumpyEntry(spec, marker, text.strip(), url=requirement.url or "")


def _url_version(url: str, text: str) -> str:
    """``numpy @ URL`` is exact already: the release its wheel's (or sdist's) file name
    names, read by packaging; a URL naming no release (a git repository) is refused."""
    from packaging.utils import (
        InvalidSdistFilename,
        InvalidWheelFilename,
        parse_sdist_filename,
        parse_wheel_filename,
    )

    name = url.split("#")[0].split("?")[0].rsplit("/", 1)[-1]
    try:
        return f"=={parse_wheel_filename(name)[1]}"
    except InvalidWheelFilename:
        pass
    try:
        return f"=={parse_sdist_filename(name)[1]}"
    except InvalidSdistFilename:
        raise InvalidInput(
            f"{' '.join(text.split())[:200]!r} names no NumPy release (its URL is not a wheel's "
            "or an sdist's file)",
            "pin numpy from the index (numpy==X.Y.Z), or to a wheel's URL",
        ) from None


def pixi_tables(doc: dict[str, Any], kind: str = "dependencies") -> list[dict[str, Any]]:
    """The conda dependency tables (``kind``: or the PyPI ones) of a pixi manifest's default
    environment (pixi.toml's top level, or a pyproject's ``[tool.pixi]``): the main one, its
    targets', and those of the features the default environment includes."""
    default = (doc.get("environments") or {}).get("default") or []
    names = default.get("features", []) if isinstance(default, dict) else default
    features = doc.get("feature") or {}
    bodies = [doc, *(features.get(n) or {} for n in names if isinstance(n, str))]
    tables = []
    for body in bodies:
        if not isinstance(body, dict):
            continue
        tables.append(body.get(kind) or {})
        targets = body.get("target") or {}
        tables += [(t or {}).get(kind) or {} for t in targets.values()]
    return [t for t in tables if isinstance(t, dict)]


def _pixi_numpy(doc: dict[str, Any]) -> list[NumpyEntry]:
    found = []
    manifest = pixi_manifest(doc)  # numpy from conda, or from PyPI (pinned where it is)
    for table in pixi_tables(manifest) + pixi_tables(manifest, "pypi-dependencies"):
        value = table.get("numpy")
        if value is None:
            continue
        value = value.get("version", "") if isinstance(value, dict) else str(value)
        found.append(NumpyEntry(conda_version(f"numpy {value}"), "", f"numpy {value}"))
    return found


def _pyproject_numpy(doc: dict[str, Any]) -> list[NumpyEntry]:
    from dataclasses import replace

    from npinit.editing.adopt_poetry import entry_marker
    from npinit.editing.pythons import poetry_to_pep440

    found = []
    project: dict[str, Any] = doc["project"] if isinstance(doc.get("project"), dict) else {}
    lists = [(0, project.get("dependencies") or [])]
    lists += [(1, e) for e in (project.get("optional-dependencies") or {}).values()]
    lists += [(2, g) for g in (doc.get("dependency-groups") or {}).values()]
    for place, items in lists:
        entries = (_requirement(i) for i in items if isinstance(i, str))
        found += [replace(e, place=place) for e in entries if e]
    poetry = (doc.get("tool") or {}).get("poetry") or {}
    tables = [poetry.get("dependencies") or {}, poetry.get("dev-dependencies") or {}]
    tables += [(g or {}).get("dependencies") or {} for g in (poetry.get("group") or {}).values()]
    for index, table in enumerate(tables):
        value = table.get("numpy")
        for each in value if isinstance(value, list) else [value]:
            version = each.get("version") if isinstance(each, dict) else each
            if isinstance(version, str):
                marker, spelled = entry_marker(each), f"numpy = {version!r}"
                python = each.get("python") if isinstance(each, dict) else None
                spelled += f" for python {python!r}" if python else ""
                entry = NumpyEntry(
                    poetry_to_pep440(version), marker, spelled, place=2 * (index > 0)
                )
                found.append(entry)
    return found + _pixi_numpy(doc) if "tool" in doc and "pixi" in doc["tool"] else found


def numpy_entries(kind: str, text: str, origin: str) -> list[NumpyEntry]:
    """The file's numpy entries (a conda file's own and its ``pip:`` section's, named
    :data:`PIP_SECTION`: a numpy only there is pinned there)."""
    from npinit.editing import conda_env, requirements

    if kind == "conda":  # numpy on both sides: one range, pinned on both (conda_env.edit)
        _, entries = conda_env.parse(text, origin)
        own = [NumpyEntry(conda_version(e.spec), "", e.spec) for e in entries if e.name == "numpy"]
        pip = (_requirement(e.spec) for e in conda_env.pip_numpy(text, origin))
        return own + [NumpyEntry(e.spec, e.marker, e.spelled, PIP_SECTION) for e in pip if e]
    if kind == "requirements":
        lines = text.splitlines()
        found = []
        for index in requirements.numpy_lines(text):
            line = re.sub(r"(^|\s)#.*$", "", lines[index]).strip().rstrip("\\").strip()
            entry = _requirement(line.split(" --hash")[0])
            if entry is not None:
                found.append(entry)
        return found
    doc = _toml(text)
    return _pixi_numpy(doc) if kind == "pixi" else _pyproject_numpy(doc)


def blas_selector(kind: str, text: str, origin: str) -> str | None:
    """The BLAS variant the file's selector asks for, or None."""
    from npinit.editing import conda_env
    from npinit.editing.selectors import BLAS_SELECTORS

    specs: list[str] = []
    if kind == "conda":
        _, entries = conda_env.parse(text, origin)
        specs = [e.spec for e in entries if e.name in BLAS_SELECTORS]
    elif kind in ("pixi", "pyproject"):
        return pixi_blas_request(pixi_manifest(_toml(text)))
    return _family(specs)


def _family(specs: list[str]) -> str | None:
    """The BLAS family the first selector with a known build names."""
    from npinit.editing.selectors import blas_build
    from npinit.knowledge.blas import family_of

    for spec in specs:
        build = blas_build(spec)
        if build and family_of(build) != "unknown":
            return family_of(build)
    return None


def pixi_blas_request(doc: dict[str, Any]) -> str | None:
    """The BLAS a pixi manifest's default environment selects, per platform by pixi's rule
    (a target's entry replaces the common one there): ``openblas``, or
    ``openblas,linux-64=mkl`` when a target selects another; None when none selects one."""
    from npinit.editing.adopt_pixi import environments
    from npinit.editing.selectors import BLAS_SELECTORS

    workspace = doc.get("workspace") or doc.get("project") or {}
    listed = workspace.get("platforms") if isinstance(workspace, dict) else None
    default = environments(doc)[1][0]

    def blas(specs: list[str]) -> str | None:
        return _family([s for s in specs if s.split(" ", 1)[0] in BLAS_SELECTORS])

    common = blas(default.common)
    known = {p.value for p in Platform}
    per = {str(p): blas(default.for_platform(str(p))) for p in listed or [] if p in known}
    overrides = [f"{p}={v}" for p, v in per.items() if v is not None and v != common]
    if common is None and not overrides:
        return None
    return ",".join([common or "default", *overrides])


def blas_on(request: str, platforms: list[str]) -> str:
    """A file's BLAS request without the platforms init does not record."""
    parts = request.split(",")
    kept = [p for p in parts[1:] if p.split("=", 1)[0] in platforms]
    return ",".join([parts[0], *kept])


_PLATFORM_WORDS = {
    "linux-64": "linux-64",
    "linux64": "linux-64",
    "linux-aarch64": "linux-aarch64",
    "osx-64": "osx-64",
    "osx-arm64": "osx-arm64",
    "win-64": "win-64",
    "win64": "win-64",
    "windows": "win-64",
    "macos-arm64": "osx-arm64",
}


def named_platform(path: Path) -> str | None:
    """A platform the file's name names (``environment-osx-arm64.yml``, ``env.Windows.yml``)."""
    stem = path.name.lower()
    for word in sorted(_PLATFORM_WORDS, key=len, reverse=True):
        if re.search(rf"(^|[-_.]){re.escape(word)}($|[-_.])", stem):
            return _PLATFORM_WORDS[word]
    return None


def listed_platforms(kind: str, text: str, origin: str) -> list[str]:
    """The platforms the file lists: pixi's ``platforms``, conda-lock's ``platforms:`` key."""
    if kind in ("pixi", "pyproject"):
        doc = pixi_manifest(_toml(text))
        table = doc.get("workspace") or doc.get("project") or {}
        return [str(p) for p in table.get("platforms", [])] if isinstance(table, dict) else []
    if kind == "conda":
        from npinit.editing import conda_env

        data, _ = conda_env.parse(text, origin)
        listed = data.get("platforms")
        return [str(p) for p in listed] if isinstance(listed, list) else []
    return []


def channel(kind: str, text: str, origin: str) -> tuple[str | None, str]:
    """The channel npinit records, and a note when it is not the file's own."""
    if kind != "conda":
        return ("conda-forge", "") if kind in ("pixi", "pixi-pyproject") else (None, "")
    from npinit.editing import conda_env

    data, _ = conda_env.parse(text, origin)
    name = conda_env.channel_of(data)
    if name in ("conda-forge", "defaults"):
        return name, ""
    if name in ("anaconda", "pkgs/main", "main"):
        return "defaults", f"the file's channel {name!r} is Anaconda's defaults"
    return "conda-forge", f"the file's channel {name!r} is recorded as conda-forge's rules"


def not_numpy_itself(kind: str, text: str, origin: str) -> None:
    """NumPy's own pyproject.toml is its source tree, not a project that uses NumPy."""
    if kind == "pyproject":
        project = _toml(text).get("project") or {}
        if isinstance(project, dict) and str(project.get("name", "")).lower() == "numpy":
            raise InvalidInput(
                f"{origin} is NumPy's own pyproject.toml (name = numpy): NumPy is built there, "
                "not installed",
                "npinit init adopts projects that use NumPy",
            )


def read_error(origin: str, error: Exception) -> InvalidInput:
    return InvalidInput(f"{origin} does not parse ({error})", "fix the file first")


@dataclass(frozen=True)
class FileSays:
    """What the chosen file says."""

    kind: str
    text: str
    pythons: frozenset[str] | None  # the minors its Python entry admits (None: no entry)
    python_spelled: str
    numpy: tuple[NumpyEntry, ...]
    selector: str | None
    listed: tuple[str, ...]
    channel: str | None
    channel_note: str
    python_file: str = ""  # a uv project's .python-version: the Python ``uv sync`` builds

    @property
    def numpy_from(self) -> str:
        """ "pip" when a conda file's numpy entries are all in its ``pip:`` section or the
        files it includes."""
        pip = self.numpy and all(e.where for e in self.numpy)
        return "pip" if self.kind == "conda" and pip else ""


def _pixi_python(kind: str, text: str) -> str:
    doc = pixi_manifest(_toml(text))
    for table in pixi_tables(doc):
        value = table.get("python")
        if value is not None:
            return str(value.get("version", "") if isinstance(value, dict) else value)
    return ""


def read_file(
    fit: Fit, current_platform: Platform | None, included: dict[str, str] | None = None
) -> FileSays:
    """What the file says; ``included``: the files a requirements file includes (by their
    names in the project), whose numpy entries count as the file's, named with their file."""
    from npinit.editing.context import kind_of_file, read_context
    from npinit.editing.pythons import allowed
    from npinit.reading import read_editable

    source = fit.path
    text = read_editable(source).removeprefix("\ufeff")
    kind = kind_of_file(source, text) or ""
    origin = str(source)
    try:
        not_numpy_itself(kind, text, origin)
        if fit.manager is Manager.PIXI:
            spelled = _pixi_python(kind, text)
            pythons = allowed(spelled, "conda") if spelled else None
        else:
            ctx = read_context({source: text}, current_platform, {source: kind})
            pythons = ctx.allowed()
            spelled = ctx.pythons[0][1] if ctx.pythons else ""
        entries = tuple(numpy_entries(kind, text, origin))
        for name, other in (included or {}).items():
            found = numpy_entries("requirements", other.removeprefix("\ufeff"), name)
            entries += tuple(NumpyEntry(e.spec, e.marker, e.spelled, name, e.url) for e in found)
        selector = blas_selector(kind, text, origin)
        listed = tuple(listed_platforms(kind, text, origin))
        main, note = channel("pixi" if fit.manager is Manager.PIXI else kind, text, origin)
    except (tomllib.TOMLDecodeError, ValueError) as error:
        raise read_error(origin, error) from None
    pinned = python_version_pin(source.parent) if fit.manager is Manager.UV else ""
    return FileSays(kind, text, pythons, spelled, entries, selector, listed, main, note, pinned)


def _toml(text: str) -> dict[str, Any]:
    """TOML through the one bounded parse (deep nesting refused, exit 2)."""
    from npinit.reading import parse_bounded

    return parse_bounded(tomllib.loads, text, "the file")
