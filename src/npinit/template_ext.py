"""The Jinja extension the cookiecutter template names (``_extensions`` in cookiecutter.json).

It hands the template npinit's facts, so plain ``cookiecutter templates/numpy-project``
writes exactly what ``npinit new`` writes: the template lays files out, npinit supplies
every spec string. Imports stay light: this runs inside cookiecutter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from jinja2 import Environment
from jinja2.ext import Extension

from npinit import __version__
from npinit.managers import manifest
from npinit.model_spec import ProjectSpec
from npinit.spec import THREAD_VARIABLES, build_spec, check_name, detect_platform
from npinit.tomlio import toml_value

ANSWER_KEYS = (
    "project_name",
    "manager",
    "python_version",
    "numpy_version",
    "blas",
    "channel",
    "platforms",
    "with_packages",
    "threads",
    "description",
    "author",
    "ci",
    "_numpy_from",  # private (never prompted): "pip" for a conda file's pip: numpy (init)
)


def _split(value: Any) -> tuple[str, ...]:
    """A list answer: one value per line (what npinit passes), else comma-separated (what a
    person types for the template). A comma splits only where a new name starts: never
    inside brackets, and not before a version constraint (``scipy>=1.14,<2`` stays whole)."""
    if isinstance(value, (list, tuple)):
        return tuple(str(v) for v in value)
    text = str(value or "")
    if "\n" in text:
        return tuple(line.strip() for line in text.splitlines() if line.strip())
    parts: list[str] = []
    depth = 0
    current = ""
    for char in text:
        depth += {"[": 1, "(": 1, "]": -1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    merged: list[str] = []
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if merged and not re.match(r"[A-Za-z0-9_]", part):  # <2, >=1.0, ==3.*: a constraint
            merged[-1] += "," + part
        else:
            merged.append(part)
    return tuple(merged)


def spec_from_answers(answers: Mapping[str, Any]) -> ProjectSpec:
    """The validated spec for a cookiecutter context's answers."""
    manager = str(answers.get("manager", "conda"))
    return build_spec(
        name=str(answers["project_name"]),
        manager=manager,
        python=str(answers.get("python_version") or "") or None,
        numpy=str(answers.get("numpy_version") or "latest"),
        blas=str(answers.get("blas") or "default"),
        channel=str(answers.get("channel") or "") if manager in ("conda", "pixi") else None,
        platforms=_split(answers.get("platforms")),
        with_packages=_split(answers.get("with_packages")),
        threads=str(answers.get("threads") or "") or None,
        description=str(answers.get("description") or ""),
        author=str(answers.get("author") or ""),
        current_platform=detect_platform(),
        ci=str(answers.get("ci") or "none"),
        numpy_from=str(answers.get("_numpy_from") or ""),
    )


def plan_for(spec: ProjectSpec) -> dict[str, Any]:
    """Everything the template writes, as plain data (also what ``--json`` reports)."""
    blas = {
        choice.platform.value: {
            "variant": choice.variant,
            "acceptable": list(choice.acceptable),
            "spec_lines": list(choice.spec_lines),
            "notes": list(choice.notes),
        }
        for choice in spec.blas_choices
    }
    notes = list(dict.fromkeys(n for c in spec.blas_choices for n in c.notes))
    from npinit import schemas

    return {
        "npinit_version": __version__,
        "answers_schema": schemas.pointer(schemas.ANSWERS),
        "name": spec.name,
        "package": spec.package_name,
        "manager": spec.manager.value,
        "python": spec.python,
        "free_threaded": spec.python.endswith("t"),
        "imports": [_module_name(w) for w in spec.with_packages],
        "numpy": spec.numpy,
        "blas": spec.blas_request,
        "channel": spec.channel.value,
        "platforms": [p.value for p in spec.platforms],
        "with": list(spec.with_packages),
        "threads": spec.threads,
        "thread_variables": (
            {name: str(spec.threads) for name in THREAD_VARIABLES} if spec.threads else {}
        ),
        "description": spec.description,
        "author": spec.author,
        "blas_by_platform": blas,
        "notes": notes,
        "manifest": manifest(spec),
        "ci": spec.ci,
        "ci_files": ci_files(spec),
        "setup": setup_steps(spec),
    }


def setup_steps(spec: ProjectSpec) -> dict[str, list[str]]:
    """The README's manual set-up, per shell (``sh`` for Linux and macOS, ``powershell`` for
    Windows; one ``sh`` when they agree). Each leads to the folder ``npinit create`` uses
    (``.venv``, ``.conda``, ``.pixi``), so create afterwards installs the lock into it."""
    python = spec.python
    manager = spec.manager.value
    if manager == "pip":
        tail = ["python -m pip install -r requirements.txt", "python -m pytest"]
        return {
            "sh": [f"python{python} -m venv .venv", "source .venv/bin/activate", *tail],
            "powershell": [f"py -{python} -m venv .venv", r".venv\Scripts\Activate.ps1", *tail],
        }
    if manager == "conda":
        return {
            "sh": [
                "conda env create --prefix ./.conda --file environment.yml",
                "conda activate ./.conda",
                "python -m pytest",
            ]
        }
    if manager == "poetry":  # poetry.toml keeps the venv in the project (.venv)
        return {"sh": [f"poetry env use {python}", "poetry install", "poetry run pytest"]}
    if manager == "uv":
        return {"sh": ["uv sync", "uv run pytest"]}
    return {"sh": ["pixi install", "pixi run test"]}


def _module_name(requirement: str) -> str:
    """The import name a ``--with`` requirement most likely has (``scikit-image>=0.24`` ->
    ``scikit_image``); the generated check imports it only if it can."""
    match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement.strip().split("::")[-1])
    return (match.group(0) if match else requirement).replace("-", "_").replace(".", "_").lower()


def ci_files(spec: ProjectSpec, platforms: list[str] | None = None) -> dict[str, str]:
    """The project's CI files (path -> text), for ``platforms`` (default: the project's)."""
    from npinit import ci

    names = platforms if platforms is not None else [p.value for p in spec.platforms]
    return ci.files(spec.ci, spec.manager, spec.python, names, __version__)


@lru_cache(maxsize=32)
def _plan_cached(key: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    return plan_for(spec_from_answers(dict(key)))


def npinit_plan(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Jinja filter: ``{% set plan = cookiecutter | npinit_plan %}``."""
    key = tuple((k, str(answers.get(k, ""))) for k in ANSWER_KEYS)
    return _plan_cached(key)


def npinit_package(project_name: str) -> str:
    """Jinja filter: the package name for a project name (``my-project`` -> ``my_project``)."""
    return check_name(str(project_name))[1]


def py_value(value: Any) -> str:
    """Jinja filter: a Python literal for strings, numbers and lists or dicts of them."""
    return repr(value)


def md_text(value: Any) -> str:
    """Jinja filter: free text on one Markdown line (no line breaks, no HTML)."""
    text = " ".join(str(value).split())
    return text.replace("<", "&lt;").replace(">", "&gt;")


class NpinitExtension(Extension):
    """Adds npinit's filters to cookiecutter's Jinja environment."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters["npinit_plan"] = npinit_plan
        environment.filters["npinit_package"] = npinit_package
        environment.filters["toml"] = toml_value
        environment.filters["py"] = py_value
        environment.filters["md"] = md_text
