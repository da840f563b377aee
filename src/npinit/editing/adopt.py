"""``npinit init``: bring an existing project under npinit. Find its environment file and
manager, read what the file says (Python, the numpy entry, BLAS selectors, channels,
platforms), decide NumPy, Python and the BLAS, and plan the few writes: the numpy (and,
when asked, BLAS) lines through ``npinit set``'s byte-preserving path, ``.npinit.toml`` and
the environment check. Nothing else is touched, nothing is overwritten."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from npinit.editing.context import kind_of, kind_of_file
from npinit.editing.project import FileEdit
from npinit.errors import InvalidInput
from npinit.model import Manager, Platform
from npinit.reading import parse_bounded, read_text

LOOKED_FOR = (
    "a conda environment file (environment*.yml, any YAML with a dependencies list, also in "
    "binder/), pixi.toml, pyproject.toml with [tool.poetry], poetry.lock, [tool.uv] or "
    "uv.lock, requirements*.txt"
)
_PREFERRED = ("environment.yml", "environment.yaml", "requirements.txt")


@dataclass(frozen=True)
class InitPlan:
    """What ``npinit init`` decided and will write."""

    root: Path
    manager: Manager
    source: Path
    python: str
    python_range: str
    numpy: str
    numpy_was: str
    blas: str
    channel: str | None
    platforms: tuple[Platform, ...]
    decisions: tuple[str, ...]
    edits: tuple[FileEdit, ...]
    new_files: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "project": str(self.root),
            "manager": self.manager.value,
            "file": self.source.relative_to(self.root).as_posix(),
            "python": self.python,
            "python_range": self.python_range,
            "numpy": self.numpy,
            "numpy_was": self.numpy_was,
            "blas": self.blas,
            "channel": self.channel,
            "platforms": [p.value for p in self.platforms],
            "decisions": list(self.decisions),
            "changed": [e.path.relative_to(self.root).as_posix() for e in self.edits if e.changed],
            "added": sorted(self.new_files),
        }


def _pyproject(root: Path) -> dict[str, Any]:
    path = root / "pyproject.toml"
    if not path.is_file():
        return {}
    try:
        return parse_bounded(tomllib.loads, read_text(path), str(path))
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput(f"{path} does not parse ({error})", "fix the file first") from None


def candidates(root: Path) -> dict[Manager, Path]:
    """Each manager the files of ``root`` fit, with the file it would use."""
    found: dict[Manager, list[Path]] = {}
    folders = [root, *(root / d for d in ("binder", ".binder") if (root / d).is_dir())]
    for folder in folders:
        for path in sorted(folder.iterdir()):
            if path.is_dir() or path.name.startswith("."):
                continue
            kind = kind_of(path) or (
                kind_of_file(path) if path.suffix in (".yml", ".yaml") else None
            )
            if kind == "conda":
                found.setdefault(Manager.CONDA, []).append(path)
            elif kind == "requirements" and folder == root:
                found.setdefault(Manager.PIP, []).append(path)
    if (root / "requirements").is_dir() and Manager.PIP not in found:
        found[Manager.PIP] = sorted(
            p for p in (root / "requirements").iterdir() if kind_of(p) == "requirements"
        )
        if not found[Manager.PIP]:
            del found[Manager.PIP]
    if (root / "pixi.toml").is_file():
        found[Manager.PIXI] = [root / "pixi.toml"]
    doc = _pyproject(root)
    tool = doc.get("tool", {}) if isinstance(doc.get("tool"), dict) else {}
    if doc and ("poetry" in tool or (root / "poetry.lock").is_file()):
        found[Manager.POETRY] = [root / "pyproject.toml"]
    if doc and ("uv" in tool or (root / "uv.lock").is_file()):
        found[Manager.UV] = [root / "pyproject.toml"]

    def best(paths: list[Path]) -> Path:
        named = [p for p in paths if p.name in _PREFERRED and p.parent == root]
        return named[0] if named else paths[0]

    return {manager: best(paths) for manager, paths in found.items()}


def choose_manager(root: Path, manager: str | None) -> tuple[Manager, Path]:
    """The manager and its file: the one that fits, or ``manager``; InvalidInput when none
    fits or several do and none was named."""
    fits = candidates(root)
    if not fits:
        raise InvalidInput(f"no environment file in {root}", f"npinit init looked for {LOOKED_FOR}")
    if manager is not None:
        try:
            wanted = Manager(manager)
        except ValueError:
            names = ", ".join(m.value for m in Manager)
            raise InvalidInput(f"unknown manager '{manager}'", f"choose one of {names}") from None
        if wanted not in fits:
            raise InvalidInput(
                f"{root} has no {wanted.value} file (it has: {describe(fits)})",
                "choose one of those with --manager",
            )
        return wanted, fits[wanted]
    if len(fits) > 1:
        raise InvalidInput(
            f"several managers fit {root}: {describe(fits)}", "choose one with --manager"
        )
    return next(iter(fits.items()))


def describe(fits: dict[Manager, Path]) -> str:
    return ", ".join(f"{m.value} ({p.name})" for m, p in fits.items())


# -- what the file says -------------------------------------------------------------------------


def _numpy_range(kind: str, text: str, origin: str) -> str:
    """The file's numpy entry as a PEP 440 specifier set ("" when it has none, or any)."""
    from packaging.requirements import InvalidRequirement, Requirement

    from npinit.editing import conda_env, requirements
    from npinit.editing.pythons import _conda_to_pep440, _poetry_to_pep440

    if kind == "conda":
        _, entries = conda_env.parse(text, origin)
        ranges = []  # every numpy entry counts: two entries are both ranges (set pins both)
        for entry in entries:
            if entry.name == "numpy":
                body = re.sub(r"^(?:[\w.-]+::)?numpy", "", entry.spec.strip()).strip()
                ranges.append(_conda_to_pep440(body.split()[0] if body else ""))
        return ",".join(r for r in ranges if r)
    if kind == "requirements":
        lines = text.splitlines()
        for index in requirements.numpy_lines(text):
            line = lines[index].split("#")[0].split(";")[0].strip().rstrip("\\").strip()
            try:
                return str(Requirement(line).specifier)
            except InvalidRequirement:
                return ""
        return ""
    doc = parse_bounded(tomllib.loads, text, origin)
    if kind == "pixi":
        value = doc.get("dependencies", {}).get("numpy", "")
        value = value.get("version", "") if isinstance(value, dict) else str(value)
        return _conda_to_pep440(value)
    for line in doc.get("project", {}).get("dependencies", []):
        try:
            requirement = Requirement(line)
        except InvalidRequirement:
            continue
        if requirement.name.lower() == "numpy":
            return str(requirement.specifier)
    poetry = doc.get("tool", {}).get("poetry", {}).get("dependencies", {}).get("numpy")
    if isinstance(poetry, dict):
        poetry = poetry.get("version")
    return _poetry_to_pep440(str(poetry)) if poetry else ""


def _blas_selector(kind: str, text: str, origin: str) -> str | None:
    """The BLAS variant the file's selector asks for, or None."""
    from npinit.editing import conda_env
    from npinit.editing.selectors import BLAS_SELECTORS, blas_build
    from npinit.knowledge.blas import family_of

    specs: list[str] = []
    if kind == "conda":
        _, entries = conda_env.parse(text, origin)
        specs = [e.spec for e in entries if e.name in BLAS_SELECTORS]
    elif kind == "pixi":
        doc = parse_bounded(tomllib.loads, text, origin)
        tables = [doc.get("dependencies", {})]
        tables += [t.get("dependencies", {}) for t in doc.get("target", {}).values()]
        for table in tables:
            for name, value in table.items():
                if name in BLAS_SELECTORS and isinstance(value, dict) and value.get("build"):
                    specs.append(f"{name} * {value['build']}")
    for spec in specs:
        build = blas_build(spec)
        if build and family_of(build) != "unknown":
            return family_of(build)
    return None


def _platforms(kind: str, text: str, origin: str) -> list[str]:
    if kind == "pixi":
        doc = parse_bounded(tomllib.loads, text, origin)
        table = doc.get("workspace") or doc.get("project") or {}
        return [str(p) for p in table.get("platforms", [])]
    if kind == "conda":
        from npinit.editing import conda_env

        data, _ = conda_env.parse(text, origin)
        listed = data.get("platforms")  # the key conda-lock reads
        return [str(p) for p in listed] if isinstance(listed, list) else []
    return []


def _channel(kind: str, text: str, origin: str) -> tuple[str | None, str]:
    if kind != "conda":
        return ("conda-forge", "") if kind == "pixi" else (None, "")
    from npinit.editing import conda_env

    data, _ = conda_env.parse(text, origin)
    channel = conda_env.channel_of(data)
    if channel in ("conda-forge", "defaults"):
        return channel, ""
    return "conda-forge", f"the file's channel {channel!r} is recorded as conda-forge's rules"


# -- the decision -----------------------------------------------------------------------------


def decide(
    root: Path,
    *,
    manager: str | None = None,
    python: str | None = None,
    numpy: str | None = None,
    blas: str | None = None,
    platforms: list[str] | None = None,
    current_platform: Platform | None = None,
) -> InitPlan:
    """Read the project and decide; InvalidInput (exit 2) and nothing planned when the files
    do not parse or no NumPy fits them."""
    from npinit.editing.context import read_context
    from npinit.editing.project import _read, plan_set
    from npinit.editing.pythons import describe as minors
    from npinit.knowledge import releases

    if not root.is_dir():
        raise InvalidInput(f"{root} is not a directory", "give the project's folder")
    if (root / ".npinit.toml").exists():
        raise InvalidInput(
            f"{root} is already an npinit project (it has .npinit.toml)",
            "change it with npinit set",
        )
    chosen, source = choose_manager(root, manager)
    text = _read(source)
    kind = kind_of_file(source, text) or ""
    origin = str(source)
    decisions: list[str] = [f"{chosen.value}, from {source.relative_to(root).as_posix()}"]
    try:
        ctx = read_context({source: text}, current_platform, {source: kind})
        numpy_range = _numpy_range(kind, text, origin)
        selector = _blas_selector(kind, text, origin)
        listed = _platforms(kind, text, origin)
        channel, channel_note = _channel(kind, text, origin)
    except (tomllib.TOMLDecodeError, ValueError) as error:
        raise InvalidInput(f"{source} does not parse ({error})", "fix the file first") from None
    allowed = ctx.allowed()
    python_range = ctx.pythons[0][1] if ctx.pythons else ""
    if python is not None:
        python = releases.check_python(python.strip())
        if allowed is not None and releases.minor(python) not in allowed:
            raise InvalidInput(
                f"Python {python} is outside the file's range {python_range!r}",
                f"choose one of {minors(allowed)}",
            )
        allowed = frozenset({python})
    pool = [r for r in releases.all_releases() if not r.yanked]
    fits = [r for r in pool if allowed is None or any(r.supports(p) for p in allowed)]
    if numpy is not None:
        from npinit.editing.context import resolve_numpy

        wanted = resolve_numpy(numpy.strip(), None)
        fits = [r for r in fits if r.version == wanted.version]
    elif numpy_range:
        from packaging.specifiers import InvalidSpecifier, SpecifierSet

        try:
            spec = SpecifierSet(numpy_range)
        except InvalidSpecifier:
            raise InvalidInput(
                f"{source}: numpy {numpy_range!r} is not a version range", ""
            ) from None
        fits = [r for r in fits if spec.contains(r.version, prereleases=True)]
    if not fits:
        raise InvalidInput(
            f"no NumPy release npinit knows fits both Python {python_range or python or 'any'}"
            f" and numpy {numpy or numpy_range or 'any'} ({source.name})",
            "widen one of the two ranges, or give --python or --numpy",
        )
    release = fits[-1]
    usable = sorted({p for p in allowed if release.supports(p)} if allowed else release.pythons,
                    key=releases.version_key)  # fmt: skip
    # no Python in the file: the one npinit new would choose for that release
    minor = usable[-1] if allowed else releases.default_python(release)
    exact = re.fullmatch(r"==\s*(\d+(?:\.\d+)*)", numpy_range or "")
    if exact and exact.group(1) == release.version:
        decisions.append(f"NumPy {release.version}: the file's pin, kept (it fits Python {minor})")
    else:
        was = f"numpy {numpy_range}" if numpy_range else "no numpy entry"
        decisions.append(
            f"NumPy {release.version}: the newest release for Python "
            f"{python_range or minor} and {was}"
        )
    if python_range and len(ctx.pythons[0][2]) > 1:
        decisions.append(
            f"Python {minor}: the newest of {python_range!r} NumPy {release.version} has "
            "wheels for; the range is recorded too"
        )
    else:
        decisions.append(f"Python {minor}" + (": the file's pin" if python_range else ""))
    if blas is not None:
        blas_request = blas
        decisions.append(f"BLAS {blas}: asked for; the selector lines are written")
    elif selector is not None:
        blas_request = selector
        decisions.append(f"BLAS {selector}: the file's selector, kept")
    else:
        blas_request = "default"
        decisions.append(
            "BLAS: the file selects none, so the channel's default"
            if chosen in (Manager.CONDA, Manager.PIXI)
            else "BLAS: what PyPI's numpy wheels carry (no file line selects it)"
        )
    known = {p.value for p in Platform}
    platform_names = platforms or [p for p in listed if p in known]
    if not platform_names:
        platform_names = [current_platform.value] if current_platform else ["linux-64"]
        decisions.append(f"platforms: {', '.join(platform_names)} (this machine)")
    else:
        where = "--platform" if platforms else "the file"
        decisions.append(f"platforms: {', '.join(platform_names)} ({where})")
    if channel_note:
        decisions.append(channel_note)
    edit_numpy = None if exact and exact.group(1) == release.version else release.version
    # a free-threaded Python is spelled in the file (python-freethreading): its line changes
    edit_python = minor if releases.free_threaded(minor) else None
    edits: tuple[FileEdit, ...] = ()
    if edit_numpy is not None or blas is not None or edit_python is not None:
        result = plan_set(
            source, numpy=edit_numpy, blas=blas, python=edit_python,
            current_platform=current_platform,
        )  # fmt: skip
        edits = result.edits
    return InitPlan(
        root=root,
        manager=chosen,
        source=source,
        python=minor,
        python_range=python_range if python_range and len(ctx.pythons[0][2]) > 1 else "",
        numpy=release.version,
        numpy_was=numpy_range,
        blas=blas_request,
        channel=channel,
        platforms=tuple(Platform(p) for p in platform_names if p in known),
        decisions=tuple(decisions),
        edits=edits,
    )
