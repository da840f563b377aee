"""What an existing project's files say before ``npinit set`` edits them: the Pythons they
allow (every spelling, see :mod:`npinit.editing.pythons`), its platforms and recorded answers;
and which NumPy release a request means for those Pythons."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from npinit.errors import InvalidInput
from npinit.knowledge import releases
from npinit.model import Platform
from npinit.reading import parse_bounded

CONDA_FILES = ("environment.yml", "environment.yaml")


_CONDA_NAME = re.compile(r"^(environment|env)([-_.][\w.-]*)?\.ya?ml$", re.IGNORECASE)
_REQUIREMENTS_NAME = re.compile(r"^(.*requirements.*\.(txt|in)|constraints.*\.txt)$", re.IGNORECASE)


def kind_of(path: Path) -> str | None:
    """What a file is by its name: conda environment files by their conventional names
    (``environment*.yml``, ``env.yaml``), requirements by theirs (``requirements*.txt|in``,
    ``constraints*.txt``, any ``.txt``/``.in`` in a ``requirements/`` folder)."""
    name = path.name
    if name in CONDA_FILES or _CONDA_NAME.match(name):
        return "conda"
    if name == "pixi.toml":
        return "pixi"
    if name == "pyproject.toml":
        return "pyproject"
    if name == ".npinit.toml":
        return "answers"
    if name == ".python-version":
        return "python-version"
    if _REQUIREMENTS_NAME.match(name) or (
        path.parent.name == "requirements" and name.endswith((".txt", ".in"))
    ):
        return "requirements"
    return None


def kind_of_file(path: Path, text: str | None = None) -> str | None:
    """:func:`kind_of`, else by content: a YAML mapping with a ``dependencies`` list is a
    conda environment file, whatever its name (conda's ``-f`` takes any)."""
    kind = kind_of(path)
    if kind is not None or path.suffix.lower() not in (".yml", ".yaml"):
        return kind
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    from npinit.tomlio import read_regular

    try:
        raw = text if text is not None else read_regular(path).decode("utf-8")
        data = parse_bounded(YAML(typ="safe").load, raw, str(path))
    except (YAMLError, UnicodeDecodeError, InvalidInput):
        return None
    if isinstance(data, dict) and isinstance(data.get("dependencies"), list):
        return "conda"
    return None


@dataclass
class Context:
    # what each file says of Python: (file, its own spelling, the minors it admits)
    pythons: list[tuple[str, str, frozenset[str]]] = field(default_factory=list)
    platforms: tuple[Platform, ...] = ()
    answers: dict[str, Any] = field(default_factory=dict)

    def allowed(self) -> frozenset[str] | None:
        """The Pythons every file admits (None when no file says)."""
        sets = [minors for _, _, minors in self.pythons]
        return frozenset.intersection(*sets) if sets else None

    def sources(self) -> str:
        return "; ".join(f"{name}: {spelled}" for name, spelled, _ in self.pythons)


def _python_entry(spec: str) -> str:
    """The version part of a conda ``python`` entry: ``python >=3.6`` -> ``>=3.6``,
    ``python=3.12=*_cpython`` -> ``=3.12``, ``conda-forge::python 3.12.*`` -> ``3.12.*``."""
    rest = re.sub(r"^(?:[\w.-]+::)?python", "", spec.strip(), count=1).strip()
    bracket = rest.find("[", rest.rfind("\n") + 1)  # a trailing [...] goes (linear)
    if bracket >= 0 and rest.endswith("]"):
        rest = rest[:bracket]
    if rest.startswith("=") and not rest.startswith("=="):
        version, _, _build = rest[1:].partition("=")
        return "=" + version
    return rest.split(" ")[0] if " " in rest and not re.search(r"[<>=,|]", rest) else rest


def read_context(
    texts: dict[Path, str], current: Platform | None, kinds: dict[Path, str | None] | None = None
) -> Context:
    import tomllib

    from npinit.editing import conda_env, toml_files
    from npinit.editing.pythons import allowed

    ctx = Context()

    def says(path: Path, spelled: str, dialect: str) -> None:
        minors = allowed(spelled, dialect)
        if minors is not None:
            ctx.pythons.append((path.name, spelled.strip(), minors))

    for path, text in texts.items():
        kind = (kinds or {}).get(path) or kind_of(path)
        try:
            if kind == "answers":
                from npinit.tomlio import load_answers

                ctx.answers = dict(load_answers(text, str(path)))
                if ctx.answers.get("python"):
                    says(path, str(ctx.answers["python"]), "version")
            elif kind == "conda":
                _, entries = conda_env.parse(text, str(path))
                for entry in entries:
                    if entry.name == "python":
                        says(path, _python_entry(entry.spec), "conda")
            elif kind == "pixi":
                doc = parse_bounded(tomllib.loads, text, str(path))
                deps = toml_files.table_at(doc, ("dependencies",), str(path))
                spec = (deps or {}).get("python", "")
                spec = spec.get("version", "") if isinstance(spec, dict) else spec
                says(path, str(spec), "conda")
            elif kind == "python-version":
                first = next((line for line in text.splitlines() if line.strip()), "")
                says(path, first, "version")
            elif kind == "pyproject":
                doc = toml_files.parse(text, str(path))
                project = toml_files.table_at(doc, ("project",), str(path)) or {}
                says(path, str(project.get("requires-python", "")), "pep440")
                poetry = toml_files.table_at(doc, ("tool", "poetry", "dependencies"), str(path))
                python = (poetry or {}).get("python", "")
                says(path, python if isinstance(python, str) else "", "poetry")
            elif kind == "requirements":
                for line in text.splitlines():  # pip ignores a python line; it says a range
                    match = re.match(r"^\s*python\s*([<>=!~][^#;]*)", line)
                    if match:
                        says(path, match.group(1), "pep440")
        except tomllib.TOMLDecodeError as error:
            raise InvalidInput(f"{path} is not valid TOML ({error})", "fix the file") from None
    names = ctx.answers.get("platforms") or []
    try:
        ctx.platforms = tuple(Platform(p) for p in names) or ((current,) if current else ())
    except ValueError:
        ctx.platforms = (current,) if current else ()
    if not ctx.platforms:
        ctx.platforms = (Platform.LINUX_64,)
    return ctx


def resolve_in(request: str, ctx: Context, notes: list[str]) -> releases.NumpyRelease:
    """The release ``request`` means for the Pythons the files allow: a range is
    intersected with each release's Pythons; only an empty intersection is refused."""
    from npinit.editing.pythons import describe

    allowed = ctx.allowed()
    if allowed is None:
        return resolve_numpy(request, None)
    if not allowed:
        named = sorted({v for _, spelled, _ in ctx.pythons for v in re.findall(r"3\.\d+", spelled)})
        raise InvalidInput(
            f"NumPy has no wheels for Python {', '.join(named) or 'the files allow'} "
            f"({ctx.sources()})",
            f"NumPy has wheels for {describe(releases.known_pythons())}; change the python line "
            "(npinit set --python 3.X)",
        )
    if len(allowed) == 1 and all(len(m) == 1 for _, _, m in ctx.pythons):
        return releases.resolve_numpy(request, next(iter(allowed)))
    pool = [r for r in releases.all_releases() if not r.yanked]
    fits = [r for r in pool if set(r.pythons) & allowed]
    if request == "latest":
        chosen = fits[-1] if fits else None
    elif request.count(".") == 1:
        line = [r for r in fits if r.line == request]
        chosen = line[-1] if line else None
        if chosen is None and not any(r.line == request for r in pool):
            releases.resolve_numpy(request, max(allowed, key=_minor_key))  # its error
    else:
        chosen = resolve_numpy(request, None)
    if chosen is None or not set(chosen.pythons) & allowed:
        what = f"NumPy {chosen.version if chosen else request}"
        raise InvalidInput(
            f"{what} has no wheels for the Pythons the project's files allow "
            f"({describe(allowed)}: {ctx.sources()})",
            f"{what} has wheels for {describe(chosen.pythons)}"
            if chosen
            else "choose another release",
        )
    remaining = set(chosen.pythons) & allowed
    notes.append(
        f"the project's files allow Python {describe(allowed)} ({ctx.sources()}); "
        f"NumPy {chosen.version} has wheels for {describe(remaining)} of them"
    )
    return chosen


def _minor_key(minor: str) -> tuple[int, ...]:
    return tuple(int(x) for x in minor.split("."))


def resolve_numpy(request: str, python: str | None) -> releases.NumpyRelease:
    if python is not None:
        return releases.resolve_numpy(request, python)
    pool = [r for r in releases.all_releases() if not r.yanked]
    if request == "latest":
        return pool[-1]
    exact = [r for r in releases.all_releases() if r.version == request]
    if exact:
        if exact[0].yanked:
            raise InvalidInput(
                f"NumPy {request} was yanked from PyPI ({exact[0].yanked})",
                "choose another release",
            )
        return exact[0]
    line = [r for r in pool if r.line == request]
    if line:
        return line[-1]
    # the same errors and hints as npinit new
    return releases.resolve_numpy(request, releases.known_pythons()[-1])
