"""Validate a project's answers (plain strings from the CLI, an IDE or cookiecutter) into a
:class:`ProjectSpec`. This is the input boundary: past it, values are typed and exact."""

from __future__ import annotations

import keyword
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from npinit.errors import InvalidInput
from npinit.knowledge import blas as blas_facts
from npinit.knowledge import releases
from npinit.machine import detect_platform as detect_platform
from npinit.model import CI_SYSTEMS, Manager, Platform
from npinit.model_spec import Blas, BlasChoice, Channel, ProjectSpec

# the common three-OS set a workshop needs
ALL_PLATFORMS = (Platform.LINUX_64, Platform.OSX_ARM64, Platform.WIN_64)
THREAD_VARIABLES = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "BLIS_NUM_THREADS",
)
_PROJECT_NAME = r"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$"  # compiled when a name needs it
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {
    f"{d}{i}" for d in ("com", "lpt") for i in range(10)
}
_SHADOWING = {"numpy", "pytest", "threadpoolctl", "pip", "setuptools", "src", "test", "tests"}
_OWNED = {"numpy", "python", "libblas", "liblapack", "libcblas", "blas", "mkl", "nomkl"}
MAX_NAME = 100


def _choice(kind: str, value: str, enum: type[Manager] | type[Blas] | type[Channel]) -> object:
    try:
        return enum(value.strip().lower())
    except ValueError:
        names = ", ".join(m.value for m in enum if m.value != "pypi")
        raise InvalidInput(f"unknown {kind} '{value}'", f"choose one of {names}") from None


def check_name(name: str) -> tuple[str, str]:
    """Validate a project name; return it with the Python package name derived from it."""
    if not name or not name.strip():
        raise InvalidInput("the project name is empty", "give a name like my-project")
    if "/" in name or "\\" in name or ".." in name:
        raise InvalidInput(
            f"the project name '{name}' contains a path separator or '..'",
            "give a plain name like my-project, and --output-dir for where it goes",
        )
    if len(name) > MAX_NAME:
        raise InvalidInput(
            f"the project name is {len(name)} characters long", f"use at most {MAX_NAME}"
        )
    if not plain_name(name) and not re.match(_PROJECT_NAME, name):
        raise InvalidInput(
            f"'{name}' is not a valid project name",
            "use letters, digits, '-', '_' and '.', starting and ending with a letter or digit",
        )
    package = re.sub(r"[-_.]+", "_", name).lower()
    if not package.isidentifier() or keyword.iskeyword(package):
        raise InvalidInput(
            f"'{name}' cannot become a Python package name ('{package}')",
            "start the name with a letter, for example my-project",
        )
    if package in _WINDOWS_RESERVED or name.lower().split(".")[0] in _WINDOWS_RESERVED:
        raise InvalidInput(f"'{name}' is a reserved file name on Windows", "choose another name")
    if package in _SHADOWING or package in sys.stdlib_module_names:
        raise InvalidInput(
            f"a package named '{package}' would shadow the module of the same name",
            "choose another name, for example my-analysis",
        )
    return name, package


def plain_name(name: str) -> bool:
    """A name plainly of the form :data:`_PROJECT_NAME` takes (ASCII letters and digits, with
    ``.``, ``_``, ``-`` between them), told without compiling it; any other goes to the
    pattern (tests/unit/test_spec: the two agree)."""
    inner = name.replace("-", "a").replace("_", "a").replace(".", "a")
    return name.isascii() and name[:1].isalnum() and name[-1:].isalnum() and inner.isalnum()


def parse_platforms(values: Iterable[str], current: Platform | None) -> tuple[Platform, ...]:
    """``--platform`` values (conda subdirs, or ``all``), in order, without repeats."""
    found: list[Platform] = []
    for value in values:
        for part in (p.strip() for p in value.split(",")):
            if not part:
                continue
            if part == "all":
                found.extend(ALL_PLATFORMS)
                continue
            try:
                found.append(Platform(part))
            except ValueError:
                names = ", ".join(p.value for p in Platform)
                raise InvalidInput(
                    f"unknown platform '{part}'", f"use a conda subdir: {names}, or all"
                ) from None
    if not found:
        if current is None:
            raise InvalidInput(
                "this machine is not one of the platforms npinit knows",
                "name the target with --platform (linux-64, osx-arm64, win-64, ...)",
            )
        found.append(current)
    return tuple(dict.fromkeys(found))


def conda_spec_name(text: str) -> str | None:
    """The package name of a conda MatchSpec (``scipy>=1.14,<2``, ``scipy 1.14.*``,
    ``conda-forge::scipy``, ``scipy=1.14=*_0``, ``scipy[version='>=1.14']``), or None when
    ``text`` is not one (read by :mod:`npinit.matchspec`)."""
    from npinit.matchspec import parse

    parsed = parse(text)
    return parsed.name if parsed else None


def check_with(packages: Iterable[str], manager: Manager) -> tuple[str, ...]:
    """Extra packages (``--with``), each taken whole: PEP 508 for PyPI managers (extras,
    markers and URLs too), conda's MatchSpec grammar for conda and pixi."""
    result: list[str] = []
    for raw in packages:
        text = raw.strip()
        if not text:
            continue
        if manager.uses_pypi:
            from packaging.requirements import InvalidRequirement, Requirement
            from packaging.utils import canonicalize_name

            try:
                name = str(canonicalize_name(Requirement(text).name))
            except InvalidRequirement:
                raise InvalidInput(
                    f"--with '{text}' is not a valid requirement",
                    "give a PEP 508 requirement, like scipy>=1.14,<2 or pandas[excel]",
                ) from None
        else:
            found = conda_spec_name(text)
            if found is None or "\n" in text:
                raise InvalidInput(
                    f"--with '{text}' is not a conda package spec",
                    "give a conda MatchSpec, like scipy>=1.14,<2, 'scipy 1.14.*' or "
                    "conda-forge::scipy",
                )
            name = found
        if name in _OWNED:
            raise InvalidInput(
                f"--with {name} conflicts with what npinit pins itself",
                "use --numpy, --python or --blas for those",
            )
        result.append(text)
    return tuple(dict.fromkeys(result))


def check_threads(threads: int | str | None) -> int | None:
    if threads is None or threads == "":
        return None
    try:
        value = int(threads)
    except (TypeError, ValueError):
        raise InvalidInput(
            f"--threads '{threads}' is not a number", "give a count like 4"
        ) from None
    if not 1 <= value <= 1024:
        raise InvalidInput(f"--threads {value} is out of range", "give a count from 1 to 1024")
    return value


def build_spec(
    *,
    name: str,
    manager: str,
    python: str | None = None,
    numpy: str = "latest",
    blas: str = "default",
    channel: str | None = None,
    platforms: Sequence[str] = (),
    with_packages: Sequence[str] = (),
    threads: int | str | None = None,
    description: str = "A NumPy project",
    author: str = "",
    current_platform: Platform | None = None,
    ci: str = "none",
    numpy_from: str = "",
) -> ProjectSpec:
    """Validate every answer and resolve NumPy, Python and the BLAS per platform
    (``numpy_from="pip"``: a conda file's numpy comes from its pip: section, so the BLAS is
    what PyPI's wheels carry).

    Raises InvalidInput (exit 2) with the reason and what would work instead.
    """
    name, package = check_name(name)
    the_manager = _choice("manager", manager, Manager)
    assert isinstance(the_manager, Manager)
    the_blas, overrides = blas_facts.parse_request(blas or "default")
    the_channel = _channel_of(the_manager, channel)
    numpy = (numpy or "latest").strip()
    python = _python_of(python, numpy)
    if releases.free_threaded(python):
        _check_free_threaded(python, the_manager, the_channel)
    release = releases.resolve_numpy(numpy, python)
    the_platforms = parse_platforms(platforms, current_platform)
    numpy_channel = _numpy_channel(the_manager, the_channel, numpy_from)
    choices = _blas_choices(the_manager, numpy_channel, the_platforms, the_blas, overrides, release)
    return ProjectSpec(
        name=name,
        package_name=package,
        manager=the_manager,
        python=python,
        numpy=release.version,
        blas=the_blas,
        blas_overrides=tuple(overrides.items()),
        channel=the_channel,
        platforms=the_platforms,
        with_packages=check_with(with_packages, the_manager),
        threads=check_threads(threads),
        description=description.strip() or "A NumPy project",
        author=author.strip(),
        blas_choices=choices,
        ci=check_ci(ci),
        numpy_from=numpy_from,
    )


def _numpy_channel(manager: Manager, channel: Channel, numpy_from: str) -> Channel:
    """Where NumPy itself comes from: PyPI for a conda file's ``pip:`` numpy."""
    if numpy_from in ("", "conda"):
        return channel
    if numpy_from != "pip" or manager is not Manager.CONDA:
        raise InvalidInput(
            f"numpy-from = {numpy_from!r} is not one npinit knows for {manager.value}",
            'numpy-from = "pip" is for a conda file whose numpy is in its pip: section',
        )
    return Channel.PYPI


def _channel_of(manager: Manager, channel: str | None) -> Channel:
    """Where the manager installs NumPy from: PyPI, or the conda channel asked for."""
    if manager.uses_pypi:
        if channel not in (None, "", "pypi"):
            raise InvalidInput(
                f"--channel {channel} applies to conda; {manager.value} installs from PyPI",
                "drop --channel, or use --manager conda",
            )
        return Channel.PYPI
    chosen = _choice("channel", channel or "conda-forge", Channel)
    assert isinstance(chosen, Channel)
    if manager is Manager.PIXI and chosen is not Channel.CONDA_FORGE:
        raise InvalidInput(
            f"npinit's pixi projects use conda-forge, not {chosen.value}",
            "drop --channel, or use --manager conda for the defaults channel",
        )
    if chosen is Channel.PYPI:
        raise InvalidInput(
            "conda installs from conda channels, not PyPI", "use --channel conda-forge or defaults"
        )
    return chosen


def _python_of(python: str | None, numpy: str) -> str:
    """The Python asked for, checked; else the default one for the NumPy asked for."""
    if python:
        return releases.check_python(python.strip())
    return releases.default_python(None if numpy == "latest" else _any_release(numpy))


def _blas_choices(
    manager: Manager,
    channel: Channel,
    platforms: tuple[Platform, ...],
    blas: Blas,
    overrides: dict[Platform, Blas],
    release: releases.NumpyRelease,
) -> tuple[BlasChoice, ...]:
    """The BLAS of each platform, checked against what the channel has for this release and
    what the manager's file can say."""
    unknown = [p.value for p in overrides if p not in platforms]
    if unknown:
        raise InvalidInput(
            f"--blas names {', '.join(unknown)}, which is not one of the project's platforms",
            "add it with --platform, or drop it from --blas",
        )
    try:
        choices = blas_facts.choose_for_platforms(
            channel, platforms, blas, release, overrides, per_platform=manager.per_platform_blas
        )
    except InvalidInput as error:
        if manager.uses_pypi or channel is not Channel.PYPI:
            raise
        raise InvalidInput(
            f"numpy is in the environment file's pip: section, and {error.message}",
            "pin numpy as a conda package (out of pip:) to choose that BLAS, or drop the selector",
        ) from None
    if manager is Manager.CONDA and len({c.spec_lines for c in choices}) > 1:
        raise InvalidInput(
            "environment.yml cannot select a different BLAS per platform "
            f"({', '.join(f'{c.platform.value}: {c.variant}' for c in choices)})",
            "use --manager pixi, which can, or one BLAS for every platform",
        )
    return choices


def _check_free_threaded(python: str, manager: Manager, channel: Channel) -> None:
    """Where a free-threaded Python (``3.14t``) can be asked for."""
    if manager is Manager.POETRY:
        raise InvalidInput(
            f"Poetry cannot be made to select a free-threaded Python {python}: requires-python "
            f"cannot ask for the cp{python.replace('.', '')} ABI, and poetry env use takes any "
            f"{releases.minor(python)}",
            f"use --manager uv (.python-version {python}), pip (python{python} -m venv), conda "
            "or pixi (python-freethreading)",
        )
    if channel is Channel.DEFAULTS:
        raise InvalidInput(
            f"npinit knows the free-threaded Python {python} from conda-forge "
            "(python-freethreading), not from Anaconda's defaults",
            "use --channel conda-forge",
        )


def check_ci(ci: str | None) -> str:
    value = (ci or "none").strip().lower()
    if value not in CI_SYSTEMS:
        raise InvalidInput(f"unknown CI '{ci}'", f"choose one of {', '.join(CI_SYSTEMS)}")
    return value


def _any_release(request: str) -> releases.NumpyRelease | None:
    """The release a NumPy request names, ignoring Python (used to pick a default Python)."""
    matching = [r for r in releases.all_releases() if r.version == request or r.line == request]
    return matching[-1] if matching else None


def read_project_spec(project: Path, current_platform: Platform | None = None) -> ProjectSpec:
    """The spec a generated project recorded in ``.npinit.toml`` (``current_platform``: what
    "this machine" means for a project recorded without platforms)."""
    from npinit.tomlio import read_answers

    return spec_of_answers(read_answers(project), project, current_platform)


def spec_of_answers(
    answers: dict[str, Any],
    project: Path,
    current_platform: Platform | None = None,
    channel: str | None = None,
) -> ProjectSpec:
    """The spec of a ``.npinit.toml``'s ``[project]`` table (``channel``: one asked for in
    place of the recorded one, refused where the manager takes none)."""
    origin = project / ".npinit.toml"
    for key, kind in (("platforms", list), ("with", list), ("threads", int)):
        value = answers.get(key)
        if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
            raise InvalidInput(
                f"{origin}: {key} has the wrong type ({type(value).__name__})",
                "fix it, or regenerate it with npinit new --force",
            )
    source = answers.get("file", "")
    if source != "":
        from npinit.jail import project_path

        project_path(project, source, str(origin))
    source = str(source)
    spec = build_spec(
        name=str(answers.get("name", project.name)),
        manager=str(answers.get("manager", "")),
        python=str(answers.get("python", "")) or None,
        numpy=str(answers.get("numpy", "latest")),
        blas=str(answers.get("blas", "default")),
        channel=channel
        or (
            str(answers.get("channel", "conda-forge"))
            if answers.get("manager") in ("conda", "pixi")
            else None
        ),
        platforms=[str(p) for p in answers.get("platforms", [])],
        with_packages=[str(p) for p in answers.get("with", [])],
        threads=answers.get("threads"),
        current_platform=current_platform,
        ci=str(answers.get("ci", "none")),
        numpy_from=str(answers.get("numpy-from", "")),
    )
    return spec._replace(source=source) if source else spec
