"""Lock PyPI requirements for platforms npinit is not running on, installing nothing: uv
resolves each platform (``uv pip compile --python-platform ... --python-version ...
--generate-hashes``, written as PEP 751 ``pylock.toml``), all platforms at once, and each
result becomes one lock section: every package's version, the URL and sha256 of every file
that platform may install, and the wheel tags (DOMAIN.md §5).

uv.lock and poetry.lock are read here too: their own resolver wrote them for every platform,
and a platform's section is what their markers select for it (evaluated with ``packaging``).
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from npinit.errors import Failure, InvalidInput
from npinit.knowledge.platforms import (
    marker_environment,
    numpy_wheel_blas,
    tag_installs,
)
from npinit.model import EnvKind, Platform, Source
from npinit.record.package import PackageFile
from npinit.record.relock import FRESH, Keep
from npinit.record.snapshot import BlasFingerprint, Package, Snapshot, canonical


def wheel_blas(numpy: Package | None) -> BlasFingerprint:
    """The BLAS a locked numpy wheel carries, from its platform tag (DOMAIN.md §2: PyPI
    wheels carry OpenBLAS, macOS ``macosx_14_0`` wheels Accelerate)."""
    if numpy is None:
        return BlasFingerprint("unknown", "numpy is not locked")
    if not numpy.tags:
        return BlasFingerprint("unknown", f"numpy {numpy.version} is locked without a wheel")
    variants = {}
    for tag in numpy.tags:
        variants[tag] = numpy_wheel_blas(tag.rsplit("-", 1)[-1])
    if len(set(variants.values())) > 1:  # macOS: the installer picks by the macOS version
        return BlasFingerprint(
            "accelerate",
            f"numpy {numpy.version} wheels for macOS 14+ carry Accelerate; older macOS "
            "installs the OpenBLAS wheel of the same lock (PyPI cannot pin it)",
        )
    tag = min(variants)
    return BlasFingerprint(variants[tag], f"numpy {numpy.version} wheel {tag} (PyPI)")


def _wheel_tags(filename: str) -> list[str]:
    from packaging.utils import parse_wheel_filename

    return sorted(str(tag) for tag in parse_wheel_filename(filename)[3])


def pypi_package(
    name: str, version: str, wheels: list[tuple[str, str]], sdist: tuple[str, str] | None
) -> Package:
    """A locked PyPI package from its files (``(url, sha256)`` each)."""
    files = wheels or ([sdist] if sdist else [])
    tags = sorted({t for url, _ in wheels for t in _wheel_tags(url.rsplit("/", 1)[-1])})
    first = files[0] if files else ("", "")
    name = canonical(name)
    return Package(
        name=name,
        version=version,
        source=Source.PYPI,
        url=first[0],
        sha256=first[1],
        tags=tuple(tags),
        hashes=tuple(sorted({f"sha256:{sha}" for _, sha in files if sha})),
        files=tuple(
            PackageFile(url, sha, _file_blas(url) if name == "numpy" else "")
            for url, sha in sorted(set(files), key=lambda f: (f[0].rsplit("/", 1)[-1], f))
            if url and sha
        ),
    )


def _file_blas(url: str) -> str:
    """The BLAS inside a numpy wheel (its platform tag says it); "" for an sdist."""
    name = url.rsplit("/", 1)[-1]
    if not name.endswith(".whl"):
        return ""
    variants = {numpy_wheel_blas(tag.split("-")[-1]) for tag in _wheel_tags(name)}
    return variants.pop() if len(variants) == 1 else "unknown"


def _section(platform: Platform, python: str, packages: list[Package]) -> Snapshot:
    """One platform's lock section; a free-threaded ``3.14t`` is Python ``3.14`` of the
    ``cpython-freethreading`` implementation (what an installed environment shows)."""
    from npinit.record.snapshot import FREE_THREADED

    numpy = next((p for p in packages if p.name == "numpy"), None)
    return Snapshot(
        kind=EnvKind.VENV,
        python=python.removesuffix("t"),
        implementation=FREE_THREADED if python.endswith("t") else "cpython",
        platform=platform.value,
        packages=(),
        blas=wheel_blas(numpy),
    ).with_packages(tuple(packages))


def read_pylock(
    text: str, origin: str
) -> list[tuple[str, str, str, list[tuple[str, str]], tuple[str, str] | None]]:
    """The packages of a PEP 751 file, validated with ``packaging.pylock``: name, version,
    marker, wheels and sdist (``(url, sha256)`` each). A local folder (``-e .``: the
    project itself) is not among them: no index has it, no hash pins it; its dependencies
    are."""
    from packaging.pylock import Pylock, PylockValidationError

    try:
        lock = Pylock.from_dict(tomllib.loads(text))
    except (tomllib.TOMLDecodeError, PylockValidationError) as error:
        raise Failure(f"{origin} is not a valid pylock.toml ({error})", "") from None
    entries = []
    for entry in lock.packages:
        if entry.directory is not None:
            continue
        wheels = [(w.url or w.name or "", w.hashes.get("sha256", "")) for w in entry.wheels or ()]
        sdist = (
            (entry.sdist.url or entry.sdist.name or "", entry.sdist.hashes.get("sha256", ""))
            if entry.sdist
            else None
        )
        if entry.archive is not None:  # ``name @ URL``: the file the URL names
            archive = (entry.archive.url or "", entry.archive.hashes.get("sha256", ""))
            if archive[0].endswith(".whl"):
                wheels.append(archive)
            else:
                sdist = archive
        marker = str(entry.marker) if entry.marker is not None else ""
        entries.append((str(entry.name), str(entry.version or ""), marker, wheels, sdist))
    return entries


def resolve(
    requirements: Path,
    python: str,
    platforms: list[Platform],
    *,
    uv: str,
    environ: Mapping[str, str],
    workdir: Path,
    run: Any = None,
    keep: Keep = FRESH,
    every_platform: bool = False,
    only_binary: tuple[str, ...] = (),
) -> dict[Platform, Snapshot]:
    """Resolve ``requirements`` once for every platform (uv's universal mode, hashes of
    every file), then keep per platform the packages whose markers hold there and the files
    that platform can install. One resolution: every platform gets the same versions; the
    versions ``keep`` holds are preferred (uv reads them from the existing output file).
    A requirements file's lines whose markers hold on none of ``platforms`` are left out
    (:mod:`npinit.record.platform_lines`); ``every_platform``: kept, as the lockers that
    lock every platform (uv lock, poetry lock) count them."""
    from npinit.record.platform_lines import numpy_tables
    from npinit.runner import run as default_run

    run = run or default_run
    environments = [] if every_platform else [marker_environment(p, python) for p in platforms]
    tables = numpy_tables(requirements) if requirements.suffix == ".toml" else []  # kept whole
    folder = requirements.parent
    requirements = _resolvable(requirements, workdir, [] if tables else environments)
    out = workdir / "pylock.npinit.toml"
    out.unlink(missing_ok=True)
    preferences = keep.pylock_preferences([p.value for p in platforms])
    if preferences:
        out.write_text(preferences, "utf-8")
    # --python: the resolution needs no interpreter of the target version (--python-version
    # says it), so npinit's own serves where the machine has none of that version
    cmd = [uv, "pip", "compile", requirements, "--quiet", "--no-header", "--universal"]
    cmd += ["--python-version", python.removesuffix("t"), "--python", sys.executable]
    cmd += ["--generate-hashes", "-o", out]
    cmd += [*tables, *(arg for name in only_binary for arg in ("--only-binary", name))]
    env = {k: v for k, v in environ.items() if k != "VIRTUAL_ENV"}
    result = run(cmd, cwd=folder, env=env, what="uv pip compile", check=False)
    if result.returncode != 0:
        _failed(platforms, result.stderr or result.stdout)
    entries = read_pylock(out.read_text("utf-8"), "uv's lock")
    sections = {}
    for platform in platforms:
        env = marker_environment(platform, python)
        packages = [
            pypi_package(name, version, fits(wheels, platform, python), sdist)
            for name, version, marker, wheels, sdist in entries
            if _marker_ok(marker, env)
        ]
        missing = [p.name for p in packages if not p.hashes]
        if missing:
            raise InvalidInput(
                f"{', '.join(missing[:3])} has no file for {platform.value} in the index",
                f"lock without {platform.value} (--platform), or pin a version that has one",
            )
        sections[platform] = _section(platform, python, packages)
    return sections


def _resolvable(requirements: Path, workdir: Path, environments: list[Any]) -> Path:
    """The requirements file, or a copy without its lines that install a local folder
    holding no Python project (``-e .`` where the repository's pyproject.toml is not):
    the rest of the file is resolved and locked (``npinit init`` says so); nor those whose
    markers hold in none of ``environments`` (the platforms recorded)."""
    from npinit.editing.requirements import missing_projects, without_lines
    from npinit.reading import read_regular
    from npinit.record.platform_lines import elsewhere_only, pyproject_lines

    text = read_regular(requirements, requirements.name).decode("utf-8")
    if requirements.suffix == ".toml":  # a pyproject.toml: uv reads its own tables
        target = workdir / "requirements.npinit.txt"
        return pyproject_lines(requirements, text, environments, target)
    skipped = missing_projects(requirements, text)
    elsewhere = set(elsewhere_only(text, environments)) if environments else set()
    if not skipped and not elsewhere:
        return requirements
    lines = text.splitlines()
    text = "\n".join(f"# {t}" if i in elsewhere else t for i, t in enumerate(lines)) + "\n"
    return without_lines(requirements, text, skipped, workdir / "requirements.npinit.txt")


def _failed(platforms: list[Platform], output: str) -> None:
    """uv's failure as one line: unsolvable is the project's (exit 2), the rest exit 1."""
    lines = [line.strip() for line in output.strip().splitlines() if line.strip()]
    text = " ".join(lines)
    if "No solution found" in text or "unsatisfiable" in text:
        raise InvalidInput(
            f"the requirements cannot be resolved for "
            f"{', '.join(p.value for p in platforms)}: {unsolvable_reason(lines)}",
            "change the pins, or lock fewer platforms (--platform)",
        )
    clean = [line.removeprefix("error:").removeprefix("Caused by:").strip() for line in lines]
    fetch = [line for line in clean if "fetch" in line.lower() or "://" in line]
    said = list(dict.fromkeys([*clean[:1], *fetch[:1], *clean[-1:]]))  # what, where, why
    raise Failure(
        f"locking failed: {': '.join(said)[:400] or 'uv said nothing'}",
        "check the package index (is it reachable?) and the requirements",
    )


def unsolvable_reason(lines: list[str]) -> str:
    """uv's explanation after "No solution found", whole (the package that holds a pin back
    is in its first sentence, the conclusion in its last), cut between words past 400."""
    start = next((i + 1 for i, line in enumerate(lines) if "No solution found" in line), 0)
    words = " ".join(line.removeprefix("cause:").lstrip("╰─▶ ") for line in lines[start:])
    reason = " ".join(words.split()) or " ".join(lines)
    return reason if len(reason) <= 400 else reason[:400].rsplit(" ", 1)[0] + " ..."


# -- uv.lock and poetry.lock -----------------------------------------------------------------


def fits(
    files: list[tuple[str, str]], platform: Platform, python: str, musl: bool = False
) -> list[tuple[str, str]]:
    """The wheels among ``files`` that CPython ``python`` on ``platform`` can install;
    ``musl``: a musl Linux's too, after the others (a manager lock's files: what ``uv sync``
    or Poetry installs from it on Alpine, so npinit.lock keeps and compares them)."""
    from packaging.utils import InvalidWheelFilename, parse_wheel_filename

    fitting = []
    for url, sha in files:
        name = url.rsplit("/", 1)[-1]
        if not name.endswith(".whl"):
            continue
        try:
            tags = parse_wheel_filename(name)[3]
        except InvalidWheelFilename:
            continue
        if any(tag_installs(tag, platform, python, musl) for tag in tags):
            fitting.append((url, sha))
    return sorted(fitting, key=lambda item: "musllinux_" in item[0])  # glibc's first


def _marker_ok(marker: str, env: dict[str, str]) -> bool:
    from packaging.markers import Marker

    return not marker or Marker(marker).evaluate(env)


def _read_toml(path: Path) -> dict[str, Any]:
    """A lock a manager wrote into the project (uv.lock, poetry.lock), read as any file."""
    from npinit.reading import parse_bounded, read_text

    try:
        return parse_bounded(tomllib.loads, read_text(path, path.name), str(path))
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput(f"{path} is not valid TOML ({error})", "lock again") from None


def from_uv_lock(
    path: Path, python: str, platforms: list[Platform], groups: tuple[str, ...] | None = ("dev",)
) -> dict[Platform, Snapshot]:
    """Each platform's packages in uv.lock: the project's dependencies and the groups
    ``uv sync`` installs (``None``: every group), followed through the markers that hold on
    that platform."""
    data = _read_toml(path)
    packages: dict[str, list[dict[str, Any]]] = {}
    for each in data.get("package", []):
        packages.setdefault(canonical(each["name"]), []).append(each)
    root = _uv_root(data)
    in_lock = root.get("dev-dependencies", {})
    sections = {}
    for platform in platforms:
        env = marker_environment(platform, python)
        edges = list(root.get("dependencies", []))
        for group in in_lock if groups is None else groups:
            edges += in_lock.get(group, [])
        chosen = _walk(edges, packages, env)
        locked = []
        if root.get("source", {}).get("editable") == ".":  # uv installs the project itself
            locked.append(
                Package(  # a dynamic version (setuptools-scm) is not in uv.lock
                    canonical(root["name"]), root.get("version", ""), Source.PYPI, origin="editable"
                )
            )
        for (name, _), entry in sorted(chosen.items()):
            if entry.get("source") == root.get("source"):  # the project, by its own extras
                continue
            files = [(w["url"], w["hash"].removeprefix("sha256:")) for w in entry.get("wheels", [])]
            sdist = entry.get("sdist")
            sdist_file = (sdist["url"], sdist["hash"].removeprefix("sha256:")) if sdist else None
            locked.append(
                pypi_package(
                    name, entry["version"], fits(files, platform, python, True), sdist_file
                )
            )
        sections[platform] = _section(platform, python, locked)
    return sections


def _uv_root(data: dict[str, Any]) -> dict[str, Any]:
    for entry in data.get("package", []):
        source = entry.get("source", {})
        if source.get("editable") == "." or source.get("virtual") == ".":
            return dict(entry)
    raise InvalidInput("uv.lock has no entry for the project itself", "run uv lock again")


def _walk(
    edges: list[dict[str, Any]], packages: dict[str, list[dict[str, Any]]], env: dict[str, str]
) -> dict[tuple[str, str], dict[str, Any]]:
    """The entries the edges whose markers hold lead to. A package uv locks at several
    versions (a numpy split by Python markers) has one entry per version; an edge names its
    version then."""
    chosen: dict[tuple[str, str], dict[str, Any]] = {}
    todo = list(edges)
    while todo:
        edge = todo.pop()
        name = canonical(edge["name"])
        versions = packages.get(name, [])
        entry = next((e for e in versions if e.get("version") == edge.get("version")), None)
        entry = entry or (versions[0] if len(versions) == 1 else None)
        if not _marker_ok(edge.get("marker", ""), env) or entry is None:
            continue
        key, extras = (name, str(entry.get("version", ""))), edge.get("extra", [])
        if key in chosen and not extras:
            continue
        chosen[key] = entry
        todo += entry.get("dependencies", [])
        for extra in extras:
            todo += entry.get("optional-dependencies", {}).get(extra, [])
    return chosen


def from_poetry_lock(
    path: Path, python: str, platforms: list[Platform], groups: tuple[str, ...] = ("main",)
) -> dict[Platform, Snapshot]:
    """Each platform's packages in poetry.lock (lock format 2.1: each package carries the
    groups that need it and, per group, the markers under which it is installed)."""
    data = _read_toml(path)
    sections = {}
    for platform in platforms:
        env = marker_environment(platform, python)
        locked = []
        for entry in data.get("package", []):
            wanted = [g for g in entry.get("groups", ["main"]) if g in groups]
            markers = entry.get("markers", "")
            if isinstance(markers, dict):
                ok = any(_marker_ok(markers.get(g, ""), env) for g in wanted)
            else:
                ok = bool(wanted) and _marker_ok(markers, env)
            if not ok:
                continue
            files = [(f["file"], f["hash"].removeprefix("sha256:")) for f in entry.get("files", [])]
            sdists = [f for f in files if not f[0].endswith(".whl")]
            locked.append(
                pypi_package(
                    entry["name"],
                    entry["version"],
                    fits(files, platform, python, musl=True),
                    sdists[0] if sdists else None,
                )
            )
        sections[platform] = _section(platform, python, locked)
    return sections
