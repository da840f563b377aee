"""A pixi manifest's environments, by pixi's own rules (prefix-dev/pixi, crates/pixi_manifest:
``features_ext.rs``, ``feature.rs``, ``target.rs``; pixi_core's ``environment.rs``), for
``npinit lock`` (every environment is solved and written to pixi.lock) and for ``npinit init``
(pins chosen by solving):

- an environment is its features in the order ``[environments]`` lists them, then the
  default feature (the manifest's top level) unless ``no-default-feature``; ``default`` is
  the default feature alone when ``[environments]`` does not name it;
- inside one feature, ``[target.<selector>.dependencies]`` overwrite the feature's
  ``[dependencies]`` entry of the same name, on the platforms the selector matches (a
  platform name, ``linux``, ``osx``, ``win`` or ``unix``), in the file's order;
- across features every spec is kept (``DependencyMap::merge_all``): the solver meets all;
- the platforms are the workspace's that every feature supports (a feature's ``platforms``);
- the channels are every feature's (the workspace's when a feature names none), highest
  ``priority`` first, each once.

What ``npinit lock`` cannot lock of a manifest is refused by one rule (``lockable``, which
``init`` uses too), and ``input_lines`` are what a lock of it is stale against."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from npinit.editing.adopt_pixi_pypi import PypiEntry, entry

DEFAULT = "default"
SELECTORS = {"linux": ("linux-",), "osx": ("osx-",), "win": ("win-",), "unix": ("linux-", "osx-")}


def selector_matches(selector: str, platform: str) -> bool:
    """pixi's ``TargetSelector::matches``: a platform name, or a family of platforms."""
    return selector == platform or platform.startswith(SELECTORS.get(selector, ("\0",)))


def spec_text(name: str, value: Any) -> str:
    """``numpy = ">=2"`` or ``libblas = { version = "*", build = "*mkl" }`` as a conda spec."""
    if isinstance(value, dict):
        version, build = str(value.get("version", "*")), str(value.get("build", ""))
    else:
        version, build = str(value), ""
    return " ".join(x for x in (name, version, build) if x)


def pixi_manifest(doc: dict[str, Any]) -> dict[str, Any]:
    """The pixi part of a parsed pixi.toml or pyproject.toml."""
    tool = doc.get("tool") if isinstance(doc.get("tool"), dict) else None
    if tool is not None and isinstance(tool.get("pixi"), dict):
        return dict(tool["pixi"])
    return doc


def _table(body: dict[str, Any], key: str) -> dict[str, Any]:
    value = body.get(key)
    return value if isinstance(value, dict) else {}


def feature_dependencies(body: dict[str, Any], platform: str, key: str) -> dict[str, Any]:
    """One feature's ``key`` table (``dependencies`` or ``pypi-dependencies``) on
    ``platform``: the feature's own, overwritten entry by entry by each target matching it."""
    found = dict(_table(body, key))
    for selector, target in _table(body, "target").items():
        if isinstance(target, dict) and selector_matches(selector, platform):
            found.update(_table(target, key))
    return found


@dataclass(frozen=True)
class PixiEnvironment:
    name: str
    features: tuple[dict[str, Any], ...]  # pixi's order: the listed ones, the default last
    platforms: frozenset[str] | None = None  # None: the workspace's; else its features' own
    channels: tuple[str, ...] = ()
    feature_names: tuple[str, ...] = field(default=())
    solve_group: str | None = None  # solved with the others of its group (pixi's solve-group)
    project_pypi: tuple[str, ...] = ()  # a pyproject.toml's [project.dependencies] (default's)

    @property
    def common(self) -> list[str]:
        """The specs of every platform (the features' own tables, no target)."""
        tables = [_table(body, "dependencies") for body in self.features]
        return [spec_text(n, v) for table in tables for n, v in table.items()]

    def for_platform(self, platform: str) -> list[str]:
        """The conda specs solved for ``platform``, each once."""
        found: list[str] = []
        for body in self.features:
            for name, value in feature_dependencies(body, platform, "dependencies").items():
                text = spec_text(name, value)
                if text not in found:
                    found.append(text)
        return found

    def pypi_for_platform(self, platform: str) -> dict[str, list[Any]]:
        """The ``pypi-dependencies`` on ``platform``: every feature's entries, by name."""
        found: dict[str, list[Any]] = {}
        for body in self.features:
            for name, value in feature_dependencies(body, platform, "pypi-dependencies").items():
                found.setdefault(name, []).append(value)
        return found

    def pypi_entries(self, platform: str, file: str = "pixi.toml") -> list[PypiEntry]:
        """The PyPI requirements uv resolves on ``platform``: every feature's entries
        (a target's overwriting its feature's), and the pyproject's own dependencies."""
        found = [
            entry(n, v, file) for n, vs in self.pypi_for_platform(platform).items() for v in vs
        ]
        return found + [PypiEntry(r.split(";")[0], r) for r in self.project_pypi]

    def on(self, platforms: list[str]) -> list[str]:
        """Which of ``platforms`` this environment has."""
        return [p for p in platforms if self.platforms is None or p in self.platforms]


def _channel(entry: Any) -> tuple[str, int]:
    if isinstance(entry, dict):
        return str(entry.get("channel", "")), int(entry.get("priority") or 0)
    return str(entry), 0


def _channels(bodies: list[dict[str, Any]], workspace: list[Any]) -> tuple[str, ...]:
    """pixi's ``prioritized_channels``: each feature's (the workspace's when it names none),
    stably sorted by priority, highest first, each channel once."""
    entries = [
        _channel(c)
        for body in bodies
        for c in (body["channels"] if isinstance(body.get("channels"), list) else workspace)
    ]
    ordered = sorted(entries, key=lambda e: -e[1])
    return tuple(dict.fromkeys(name for name, _ in ordered))


def members(value: Any) -> tuple[list[str], bool]:
    """An ``[environments]`` value: its feature names and whether the default is left out."""
    if isinstance(value, dict):
        names, alone = value.get("features") or [], bool(value.get("no-default-feature"))
    else:
        names, alone = value or [], False
    return [n for n in names if isinstance(n, str)] if isinstance(names, list) else [], alone


def environments(doc: dict[str, Any]) -> tuple[list[str], list[PixiEnvironment]]:
    """The workspace's channels and the manifest's environments, the default one first."""
    workspace = doc.get("workspace") or doc.get("project") or {}
    listed = list(workspace.get("channels") or ["conda-forge"])
    declared = dict(_table(doc, "environments"))
    declared.setdefault(DEFAULT, [])
    features = _table(doc, "feature")
    found = []
    for name in [DEFAULT, *(n for n in declared if n != DEFAULT)]:
        names, alone = members(declared[name])
        own = [features.get(n) for n in names]
        bodies = [b for b in own if isinstance(b, dict)]
        platforms: frozenset[str] | None = None
        for body in bodies:
            if isinstance(body.get("platforms"), list):
                mine = frozenset(str(p) for p in body["platforms"])
                platforms = mine if platforms is None else platforms & mine
        channels = _channels(bodies if alone else [*bodies, {}], listed)
        every = bodies if alone else [*bodies, doc]
        value = declared[name]
        group = value.get("solve-group") if isinstance(value, dict) else None
        found.append(
            PixiEnvironment(
                name, tuple(every), platforms, channels, tuple(names), group and str(group)
            )
        )
    return listed, found


def solve_groups(found: list[PixiEnvironment]) -> list[list[PixiEnvironment]]:
    """The environments solved together: each ``solve-group``'s, in the order the first of
    each appears; an environment without one is a group of its own."""
    groups: dict[str, list[PixiEnvironment]] = {}
    for env in found:
        groups.setdefault(env.solve_group or f"\0{env.name}", []).append(env)
    return list(groups.values())


# -- what npinit locks of a manifest ---------------------------------------------------------
FILE = "pixi.toml"
# what npinit's solve reads or what does not change a resolution; any other table is refused
_TABLES = {"workspace", "project", "dependencies", "target", "activation", "tasks"}
_TABLES |= {"feature", "environments", "pypi-dependencies"}
_TARGET_TABLES = {"dependencies", "pypi-dependencies", "activation", "tasks"}
_FEATURE_TABLES = _TARGET_TABLES | {"target", "platforms", "channels"}
_ENVIRONMENT_KEYS = {"features", "no-default-feature", "solve-group"}
# what pixi installs from PyPI out of a pyproject.toml's own tables that npinit does not lock
# (its [project.dependencies] are the default feature's, locked)
PYPI_KEYS = ("optional-dependencies",)
# workspace settings that change what a solve picks: npinit's solve does not apply them
_SOLVE_SETTINGS = ["channel-priority", "solve-strategy", "exclude-newer", "build-variants"]
_SOLVE_SETTINGS += ["pypi-options", "conda-pypi-map"]


def read(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The parsed file and its pixi part; invalid TOML is InvalidInput (exit 2)."""
    import tomllib

    from npinit.errors import InvalidInput
    from npinit.reading import parse_bounded, read_regular

    try:
        text = read_regular(path, path.name).decode("utf-8")
        whole = parse_bounded(tomllib.loads, text, str(path))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise InvalidInput(f"{path} is not valid TOML ({error})", "fix it") from None
    return whole, pixi_manifest(whole)


def _known_selector(selector: str) -> bool:
    from npinit.model import Platform

    return selector in SELECTORS or selector in {p.value for p in Platform}


def _targets(body: dict[str, Any], where: str) -> list[str]:
    """The target tables npinit cannot lock: an unknown selector, or a table of one."""
    unknown = []
    for selector, target in (body.get("target") or {}).items():
        if not _known_selector(str(selector)):
            unknown.append(f"[{where}target.{selector}] (a selector npinit does not read)")
        elif isinstance(target, dict):
            tables = [n for n in target if n not in _TARGET_TABLES]
            unknown += [f"[{where}target.{selector}.{n}]" for n in tables]
    return unknown


def _features(body: dict[str, Any], prefix: str) -> list[str]:
    unknown = []
    for name, feature in (body.get("feature") or {}).items():
        if not isinstance(feature, dict):
            continue
        where = f"{prefix}feature.{name}."
        unknown += [f"[{where}{n}]" for n in feature if n not in _FEATURE_TABLES]
        unknown += _targets(feature, where)
    return unknown


def _environments(body: dict[str, Any], prefix: str) -> list[str]:
    """Environment settings npinit cannot lock (none but features, ``no-default-feature``
    and ``solve-group``), and features an
    environment names that the manifest does not define."""
    unknown, defined = [], set(body.get("feature") or {})
    for name, value in (body.get("environments") or {}).items():
        if isinstance(value, dict):
            keys = [k for k in value if k not in _ENVIRONMENT_KEYS]
            unknown += [f"{prefix}environments.{name}.{k}" for k in keys]
        shape = value.get("features", []) if isinstance(value, dict) else value
        if not isinstance(shape, list) or not all(isinstance(n, str) for n in shape):
            unknown.append(f"{prefix}environments.{name} (not a list of feature names)")
        names, _ = members(value)
        unknown += [
            f"{prefix}environments.{name} (its feature {n!r} is not defined)"
            for n in names
            if n not in defined
        ]
    return unknown


def lockable(doc: dict[str, Any], name: str = FILE) -> None:
    """InvalidInput (exit 2) naming what npinit cannot lock in a pixi manifest (pixi's
    ``[system-requirements]``, a dependency from a ``url``, a PyPI one from ``git``...): never
    dropped. Features, environments and PyPI dependencies of a version or a local path are
    locked. In a pyproject.toml (``name``), the tables of ``[tool.pixi]``, and the PyPI
    dependencies pixi takes from the pyproject itself (optional ones, dependency groups;
    ``[project.dependencies]`` are locked)."""
    from npinit.editing.adopt_pixi_pypi import check
    from npinit.errors import InvalidInput

    pixi = doc.get("tool", {}).get("pixi") if name == "pyproject.toml" else None
    body, prefix = (pixi, "tool.pixi.") if isinstance(pixi, dict) else (doc, "")
    unknown = [f"[{prefix}{table}]" for table in body if table not in _TABLES]
    unknown += _targets(body, prefix) + _features(body, prefix) + _environments(body, prefix)
    unknown += _solve_settings(body, prefix)
    if prefix:
        project = doc.get("project") or {}
        unknown += [f"[project.{key}]" for key in PYPI_KEYS if project.get(key)]
        unknown += ["[dependency-groups]"] if doc.get("dependency-groups") else []
    if unknown:
        raise InvalidInput(
            f"{name} has {', '.join(sorted(unknown))}, which npinit cannot lock",
            "lock it with pixi itself (pixi lock), or keep to conda and PyPI dependencies, "
            "targets, features and environments",
        )
    check(body, _dependency_tables(body), name)
    for table in _dependency_tables(body):
        for package, value in table.items():
            if isinstance(value, dict):
                _plain_spec(package, value, name)


def _dependency_tables(body: dict[str, Any]) -> list[dict[str, Any]]:
    bodies = [body, *((body.get("feature") or {}).values())]
    tables = []
    for one in (b for b in bodies if isinstance(b, dict)):
        tables.append(one.get("dependencies") or {})
        targets = one.get("target") or {}
        tables += [(t or {}).get("dependencies") or {} for t in targets.values()]
    return [t for t in tables if isinstance(t, dict)]


def _plain_spec(name: str, value: dict[str, Any], file: str) -> None:
    """InvalidInput naming a dependency whose table says more than a version and a build
    (a ``channel``, a ``url``, a ``path``...): npinit's solve would drop it."""
    from npinit.errors import InvalidInput

    extra = sorted(set(value) - {"version", "build"})
    if extra:
        raise InvalidInput(
            f"{file}: the dependency {name} has {', '.join(extra)}, which npinit cannot lock",
            "lock it with pixi itself (pixi lock), or give it as a version and a build only",
        )


def _solve_settings(body: dict[str, Any], prefix: str) -> list[str]:
    """The workspace's settings that change a solve (``solve-strategy``, ...), named."""
    key = "workspace" if "workspace" in body else "project"
    table = body.get(key) or {}
    return [f"{prefix}{key}.{name}" for name in _SOLVE_SETTINGS if name in table]


def manifest_environments(path: Path) -> list[PixiEnvironment]:
    """The manifest's environments, the default first, once it is known lockable."""
    from dataclasses import replace

    from npinit.editing.adopt_pixi_pypi import project_requirements

    whole, doc = read(path)
    lockable(whole, path.name)
    own = tuple(project_requirements(whole))
    found = environments(doc)[1]
    return [replace(e, project_pypi=own) if any(b is doc for b in e.features) else e for e in found]


def input_lines(path: Path) -> list[str]:
    """What a lock of the manifest is resolved from, one fact a line: the default feature's
    channels and specs (common and per target), the workspace's platforms, then each
    feature's tables and each environment's features (none for a manifest without them)."""
    from npinit.editing.adopt_pixi_pypi import project_requirements

    whole, doc = read(path)
    lockable(whole, path.name)
    workspace = doc.get("workspace") or doc.get("project") or {}
    lines = [f"channel {c}" for c in workspace.get("channels") or ["conda-forge"]]
    lines += _body_lines(doc, "")
    lines += [f"project dependency {r}" for r in project_requirements(whole)]
    listed = workspace.get("platforms") if isinstance(workspace, dict) else None
    if isinstance(listed, list):
        lines.append("platforms: " + ", ".join(str(p) for p in listed))
    for name, feature in sorted((doc.get("feature") or {}).items()):
        if isinstance(feature, dict):
            lines += _body_lines(feature, f"feature {name}: ")
            for key in ("platforms", "channels"):
                if feature.get(key) is not None:
                    lines.append(f"feature {name}: {key} {feature[key]!r}")
    for name, value in sorted((doc.get("environments") or {}).items()):
        names, alone = members(value)
        group = value.get("solve-group") if isinstance(value, dict) else None
        line = f"environment {name}: {', '.join(names)}" + (" (alone)" if alone else "")
        lines.append(line + (f" (solve-group {group})" if group else ""))
    return lines


def _body_lines(body: dict[str, Any], prefix: str) -> list[str]:
    """A body's conda specs, then its PyPI entries (``pypi NAME VALUE``), common and per
    target: each a lock input."""
    lines = [prefix + spec_text(n, v) for n, v in (body.get("dependencies") or {}).items()]
    lines += [f"{prefix}pypi {n} {v!r}" for n, v in (body.get("pypi-dependencies") or {}).items()]
    for selector, target in sorted((body.get("target") or {}).items()):
        deps = (target or {}).get("dependencies") or {}
        lines += [f"{prefix}{selector}: {spec_text(n, v)}" for n, v in deps.items()]
        pypi = (target or {}).get("pypi-dependencies") or {}
        lines += [f"{prefix}{selector}: pypi {n} {v!r}" for n, v in pypi.items()]
    return lines
