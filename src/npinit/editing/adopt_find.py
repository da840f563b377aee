"""Which environment files a project has and which managers each fits (``npinit init``):
the usual places searched (the top, ``binder/``, ``.binder/``, ``ci/``, ``envs/``,
``conda-envs/``, ``requirements/``, ``environment/``), or one file given by path."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from npinit.errors import InvalidInput
from npinit.model import Manager

SEARCHED = ("", "binder", ".binder", "ci", "envs", "conda-envs", "requirements", "environment")
LOOKED_FOR = (
    "a conda environment file (any YAML with a dependencies list), pixi.toml, pyproject.toml "
    "(PEP 621 dependencies, Poetry, uv or [tool.pixi]), requirements*.txt; at the top and in "
    + ", ".join(f"{d}/" for d in SEARCHED if d)
)
# at the top, these names win over the other files of the same manager
_PREFERRED = ("environment.yml", "environment.yaml", "requirements.txt", "pyproject.toml")


@dataclass(frozen=True)
class Fit:
    """One way to adopt the project: a manager and the file it would use."""

    manager: Manager
    path: Path

    def describe(self, root: Path) -> str:
        return f"{self.manager.value} ({_relative(self.path, root)})"


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def read_pyproject(path: Path) -> dict[str, Any]:
    from npinit.reading import parse_bounded, read_text

    try:
        return parse_bounded(tomllib.loads, read_text(path, path.name), str(path))
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput(f"{path} does not parse ({error})", "fix the file first") from None


def pyproject_managers(path: Path) -> list[Manager]:
    """The managers a pyproject.toml is written for: [tool.pixi] is pixi's, [tool.poetry] (or
    a poetry.lock beside it) Poetry's, [tool.uv] (or a uv.lock) uv's; plain PEP 621
    dependencies (or PEP 735 groups) are installed by uv and pip alike."""
    doc = read_pyproject(path)
    tool = doc.get("tool") if isinstance(doc.get("tool"), dict) else {}
    assert isinstance(tool, dict)
    if "pixi" in tool:
        return [Manager.PIXI]
    found = []
    if "poetry" in tool or (path.parent / "poetry.lock").is_file():
        found.append(Manager.POETRY)
    if "uv" in tool or (path.parent / "uv.lock").is_file():
        found.append(Manager.UV)
    project = doc.get("project") if isinstance(doc.get("project"), dict) else {}
    assert isinstance(project, dict)
    plain = "dependencies" in project or "dependency-groups" in doc
    if not found and plain:
        found = [Manager.UV, Manager.PIP]
    return found


def managers_of(path: Path) -> list[Manager]:
    """The managers one file fits (none: not an environment file npinit knows)."""
    from npinit.editing.context import kind_of, kind_of_file

    if path.is_dir() or not path.is_file():
        return []
    kind = kind_of(path) or (
        kind_of_file(path) if path.suffix.lower() in (".yml", ".yaml") else None
    )
    if kind == "conda":
        return [Manager.CONDA]
    if kind == "requirements":
        return [Manager.PIP]
    if kind == "pixi":
        return [Manager.PIXI]
    if kind == "pyproject":
        return pyproject_managers(path)
    return []


def search(root: Path) -> list[Fit]:
    """Every fit in the usual places; at the top, a preferred name (environment.yml,
    requirements.txt) stands for the other files of its manager there."""
    fits: list[Fit] = []
    for folder in (root / d if d else root for d in SEARCHED):
        if not folder.is_dir():  # a folder linked out is found, then refused by the jail
            continue
        here: list[Fit] = []
        for path in sorted(folder.iterdir()):
            if path.name.startswith(".") or not path.is_file():
                continue
            here += [Fit(m, path) for m in managers_of(path)]
        if folder == root:
            preferred = {f.manager for f in here if f.path.name in _PREFERRED}
            here = [f for f in here if f.manager not in preferred or f.path.name in _PREFERRED]
        fits += here
    included = _included(fits)
    return [f for f in fits if os.path.realpath(f.path) not in included] or fits  # a cycle: all


def _included(fits: list[Fit]) -> set[str]:
    """The files another candidate requirements file (or a conda file's ``pip:`` section)
    includes (``-r``/``-c``): part of that one, not a choice of their own."""
    from npinit.editing.context import kind_of
    from npinit.editing.requirements import includes
    from npinit.reading import read_editable

    found: set[str] = set()
    for fit in fits:
        if fit.manager is Manager.PIP and kind_of(fit.path) == "requirements":
            text = read_editable(fit.path).removeprefix("\ufeff")
        elif fit.manager is Manager.CONDA:  # its pip: section's includes
            from npinit.managers.conda import pip_lines

            text = "\n".join(pip_lines(fit.path))
        else:
            continue
        # realpath, not Path.resolve: a symlink loop is read (and named) later, not a traceback
        found |= {os.path.realpath(fit.path.parent / name) for name in includes(text)}
    return found


def choose(
    root: Path, file: Path | None, manager: str | None, fits: list[Fit] | None = None
) -> Fit:
    """The one fit: ``file``'s (or the search's), narrowed by ``manager``; InvalidInput
    naming the fits when none or several remain."""
    if file is not None:
        fits = [Fit(m, file) for m in managers_of(file)]
        if not fits:
            _refuse_numpy_itself(file, root)
            raise InvalidInput(
                f"{_relative(file, root)} is not an environment file npinit knows",
                f"npinit init takes {LOOKED_FOR}",
            )
    elif fits is None:
        fits = search(root)
    if not fits:
        raise InvalidInput(f"no environment file in {root}", f"npinit init looked for {LOOKED_FOR}")
    if manager is not None:
        try:
            wanted = Manager(manager)
        except ValueError:
            names = ", ".join(m.value for m in Manager)
            raise InvalidInput(f"unknown manager '{manager}'", f"choose one of {names}") from None
        narrowed = [f for f in fits if f.manager == wanted]
        if not narrowed:
            raise InvalidInput(
                f"{root} has no {wanted.value} file (it has: {describe(fits, root)})",
                "choose one of those with --manager, or give the file: npinit init PATH",
            )
        fits = narrowed
    if len(fits) > 1:
        managers = " or ".join(f"--manager {f.manager.value}" for f in fits)
        raise InvalidInput(
            f"several files fit {root}: {describe(fits, root)}",
            f"give {managers}"  # the file is given: it fits several managers
            if file is not None
            else "give the file (npinit init PATH) or the manager (--manager)",
        )
    return _recordable(fits[0], root)


def _recordable(fit: Fit, root: Path) -> Fit:
    """``.npinit.toml`` records the file by its name (the one rule, jail.project_path): a
    name it cannot record is refused before any work, naming the file."""
    from npinit.jail import project_path

    hint = "rename the file: .npinit.toml records it by its name"
    project_path(root, _relative(fit.path, root), "the environment file", "name", hint)
    return fit


def _refuse_numpy_itself(path: Path, root: Path) -> None:
    """NumPy's own pyproject.toml (its ``[project]`` is numpy): npinit pins NumPy in the
    projects that use it; the one that builds it has no NumPy to pin."""
    if path.name != "pyproject.toml":
        return
    project = read_pyproject(path).get("project")
    if isinstance(project, dict) and str(project.get("name", "")).lower() == "numpy":
        raise InvalidInput(
            f'{_relative(path, root)} is NumPy\'s own project ([project] name = "numpy"): '
            "npinit pins NumPy in projects that use it, not in the one that builds it",
            "run npinit init in a project that depends on NumPy",
        )


def describe(fits: list[Fit], root: Path) -> str:
    return ", ".join(f.describe(root) for f in fits)
