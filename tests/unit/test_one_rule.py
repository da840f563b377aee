"""One module per rule (issue 30): each rule below is written once and the other modules
import it. Each test changes the one definition and watches every user of the rule follow,
so a second, private copy of the rule fails here."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import npinit
from npinit.knowledge import platforms, releases
from npinit.managers import module_for
from npinit.model import ENV_DIRS, ENV_PREFIXES, LOCK_FILE, Manager, Source
from npinit.record.package import Package
from npinit.record.resolve_pypi import wheel_blas
from npinit.template_render import LEFT_OUT
from tests.helpers import docstring_ids

SRC = Path(npinit.__file__).resolve().parent

MACOS_14_WHEEL = "numpy-2.4.6-cp312-cp312-macosx_14_0_arm64.whl"


def test_the_macos_accelerate_rule_is_read_from_one_place(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    numpy = Package("numpy", "2.4.6", Source.PYPI, tags=("cp312-cp312-macosx_14_0_arm64",))
    page = {"files": [{"filename": MACOS_14_WHEEL}]}
    assert wheel_blas(numpy).variant == "accelerate"
    assert releases.parse_simple_index(page)[0].accelerate_wheels is True
    assert platforms.numpy_wheel_blas("macosx_15_0_arm64") == "accelerate"  # 14 and later
    assert platforms.numpy_wheel_blas("macosx_10_9_x86_64") == "openblas"
    monkeypatch.setattr(platforms, "ACCELERATE_FROM_MACOS", 15)
    assert wheel_blas(numpy).variant == "openblas"
    assert releases.parse_simple_index(page)[0].accelerate_wheels is False


def _code_strings(path: Path, suffixes: bool = True) -> Iterator[tuple[str, int]]:
    """The string constants of a module's code (docstrings left out), with their lines;
    without ``suffixes``, not those a name is tested for (``x.endswith(".conda")``: the
    conda package format, not the environment folder)."""
    tree = ast.parse(path.read_text("utf-8"))
    docstrings = docstring_ids(tree)
    if not suffixes:
        docstrings |= {
            id(arg)
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("endswith", "removesuffix")
            for arg in ast.walk(node)
            if arg is not node.func
        }
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        ):
            yield node.value, node.lineno


def test_the_code_strings_leave_out_docstrings_and_what_a_name_is_tested_for(
    tmp_path: Path,
) -> None:
    """The rules below look at code, not prose: a module's, class's and function's docstrings
    (tests.helpers.docstring_ids, which test_dead_code reads by too) are left out."""
    module = tmp_path / "m.py"
    module.write_text(
        '"""Module .venv"""\n\n\nclass C:\n    """Class .venv"""\n\n\n'
        'def f(x):\n    """Function .venv"""\n    return x.endswith(".conda") or ".pixi"\n'
    )
    assert sorted(_code_strings(module)) == [(".conda", 10), (".pixi", 10)]
    assert list(_code_strings(module, suffixes=False)) == [(".pixi", 10)]


def test_environment_folders_are_named_in_the_model_only() -> None:
    """``.venv``, ``.conda``, ``.pixi`` are written in ``model.py`` (each manager's
    ``env_dir``, ``ENV_DIRS``); machine.py's ``~/.conda`` is conda's own folder."""
    names = {".venv", ".conda", ".pixi", *ENV_PREFIXES.values()}
    found = sorted(
        f"{path.relative_to(SRC).as_posix()}:{line}"
        for path in SRC.rglob("*.py")
        if path.name not in ("model.py", "machine.py")
        for value, line in _code_strings(path, suffixes=False)
        if value in names
    )
    assert found == []
    assert set(ENV_DIRS) == {m.env_dir for m in Manager} == set(ENV_PREFIXES)
    for manager in Manager:
        assert manager.env_dir == module_for(manager).ENV_DIR
    assert set(ENV_DIRS) <= set(LEFT_OUT)


def test_the_lock_file_is_named_in_the_model_only() -> None:
    """The project's lock file is ``model.LOCK_FILE``: no module spells the name as a path
    of its own (prose and help text may say it; ``schemas.LOCK`` names its schema)."""
    found = sorted(
        f"{path.relative_to(SRC).as_posix()}:{line}"
        for path in SRC.rglob("*.py")
        if path.name != "model.py"
        and path.relative_to(SRC).as_posix() != "schemas/__init__.py"
        and not path.name.startswith("compiled_")
        for value, line in _code_strings(path)
        if value == LOCK_FILE or value.startswith("/npinit.lock")
    )
    assert found == []
    assert LOCK_FILE == "npinit.lock"


def test_the_api_names_are_listed_once() -> None:
    """Each name of ``npinit.api`` is written once (``name as name`` under TYPE_CHECKING);
    ``__all__`` and the lazy loader's table are read from that list."""
    from npinit import api

    path = SRC / "api" / "__init__.py"
    tree = ast.parse(path.read_text("utf-8"))
    imported = sorted(
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("npinit")
        for alias in node.names
    )
    assert len(imported) >= 60 and api.__all__ == imported
    code = ast.unparse(ast.Module(body=tree.body[1:], type_ignores=[]))  # no docstring
    twice = [name for name in imported if len(re.findall(rf"(?<![.\w]){name}\b", code)) != 2]
    assert twice == []


def test_the_ci_installs_each_lock_with_the_command_create_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``SYNC`` (managers/common.py) is what create runs for uv, Poetry and pixi, and what
    the generated CI runs: its words are written nowhere else."""
    from npinit import ci
    from npinit.managers import common

    found = sorted(
        f"{path.relative_to(SRC).as_posix()}:{line}"
        for path in SRC.rglob("*.py")
        if path.name != "common.py"
        for value, line in _code_strings(path)
        if value in ("sync", "--frozen", "--locked")
    )
    assert found == []
    assert ci.install_command(Manager.POETRY, "linux-64") == ["poetry", "sync", "--no-interaction"]
    monkeypatch.setitem(common.SYNC, Manager.POETRY, ("sync", "--other"))
    workflow = ci.github_workflow(Manager.POETRY, "3.12", ["linux-64"], "1.0")
    assert "run: poetry sync --other\n" in workflow


def test_the_requirements_comment_rule_is_read_from_one_place(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """pip's comment rule (``editing/requirements.comment_start``) is what the lock's inputs
    (managers/pip.py) and set's editor read."""
    from npinit.editing import requirements
    from npinit.managers.pip import requirement_lines

    text = "numpy==2.0  # pinned\nscipy#egg\n# numpy==1.0\n-r base.txt\t# more\n"
    assert requirement_lines(text) == ["numpy==2.0", "scipy#egg", "-r base.txt"]
    assert requirements.includes(text) == ["base.txt"]
    assert requirements.numpy_lines(text) == [0]
    monkeypatch.setattr(requirements, "comment_start", lambda line: None)  # no comments
    assert requirement_lines(text)[0] == "numpy==2.0 # pinned"
    assert requirements.numpy_lines(text) == []  # every '#' now inside a word: left alone


def test_matchspecs_are_read_in_one_module() -> None:
    """Only matchspec.py reads a MatchSpec's parts (py-rattler's parser, or its one fallback
    grammar); the solver (record/resolve_conda.py) hands specs to py-rattler whole."""
    found = sorted(
        f"{path.relative_to(SRC).as_posix()}:{node.lineno}"
        for path in SRC.rglob("*.py")
        if path.name not in ("matchspec.py", "resolve_conda.py")
        for node in ast.walk(ast.parse(path.read_text("utf-8")))
        if isinstance(node, ast.Attribute) and node.attr == "MatchSpec"
    )
    assert found == []
    patterns = [
        f"{path.relative_to(SRC).as_posix()}:{line}"
        for path in SRC.rglob("*.py")
        if path.name != "matchspec.py"
        for value, line in _code_strings(path)
        if "::" in value and "[A-Za-z0-9" in value  # a channel::name grammar
    ]
    assert patterns == []


def test_conda_entry_names_and_pixi_values_follow_matchspec(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An environment.yml entry's name (editing/conda_env.py) and a --with value in
    pixi.toml (managers/pixi.py) are read by npinit.matchspec: changing it there changes
    both (no private name grammar beside it)."""
    from npinit import matchspec
    from npinit.editing import conda_env
    from npinit.managers import pixi

    text = "name: t\ndependencies:\n  - python=3.12\n  - Numpy-Renamed>=2\n"
    assert [e.name for e in conda_env.parse(text, "a.yml")[1]] == ["python", "numpy-renamed"]
    assert pixi._with("scipy>=1.14") == ("scipy", ">=1.14")
    monkeypatch.setattr(matchspec, "entry_name", lambda spec: spec.upper())
    monkeypatch.setattr(matchspec, "parse", lambda spec: matchspec.MatchSpec("other", None, "9"))
    other = text.replace("t\n", "u\n")  # the reader caches by text
    assert [e.name for e in conda_env.parse(other, "a.yml")[1]] == [
        "PYTHON=3.12",
        "NUMPY-RENAMED>=2",
    ]
    assert pixi._with("scipy>=1.14") == ("other", "9")


def test_a_python_minor_as_a_pep440_range_is_one_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    """The range a generated pyproject.toml requires (managers) and the one ``npinit set
    --python`` writes into an existing one (editing/toml_files.py) are editing.pythons'."""
    from npinit.editing import pythons, toml_files
    from npinit.managers.common import requires_python
    from npinit.spec import build_spec

    spec = build_spec(name="w", manager="uv", python="3.12", numpy="2.3", platforms=["linux-64"])
    text = '[project]\nname = "w"\nrequires-python = ">=3.9"\n'
    assert requires_python(spec) == ">=3.12,<3.13"
    assert 'requires-python = ">=3.12,<3.13"' in toml_files.edit_pyproject(text, "p", python="3.12")
    monkeypatch.setattr(pythons, "minor_range", lambda python: f"=={python}.*")
    assert requires_python(spec) == "==3.12.*"
    assert 'requires-python = "==3.12.*"' in toml_files.edit_pyproject(text, "p", python="3.12")


def test_the_project_is_found_by_one_function() -> None:
    """``tomlio.find_project`` (up from a folder to the one holding ``.npinit.toml``) is the
    one definition: every module that has a ``find_project`` holds that same function."""
    import importlib
    import pkgutil

    from npinit import tomlio

    defined = sorted(
        f"{path.relative_to(SRC).as_posix()}:{node.lineno}"
        for path in SRC.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text("utf-8")))
        if isinstance(node, ast.FunctionDef) and node.name.lstrip("_") == "find_project"
    )
    assert defined == [f"tomlio.py:{tomlio.find_project.__code__.co_firstlineno}"]
    holders = [
        info.name
        for info in pkgutil.walk_packages(npinit.__path__, "npinit.")
        if not info.name.endswith("__main__")
        and hasattr(importlib.import_module(info.name), "find_project")
    ]
    assert len(holders) >= 3  # tomlio, the API, record.target
    other = [
        name
        for name in holders
        if importlib.import_module(name).find_project is not tomlio.find_project
    ]
    assert other == []


def test_wheel_file_names_are_read_by_packaging_only() -> None:
    """A wheel's name, version and tags come from ``packaging.utils.parse_wheel_filename``;
    no module keeps a pattern of its own (``.whl`` is written only as a suffix test)."""
    # a module that writes a wheel names it from its parts; it reads no name by pattern
    writes = {"record/resolve_pixi_pypi.py"}  # the conda packages' stand-in wheels
    patterns = [
        f"{path.relative_to(SRC).as_posix()}:{line}"
        for path in SRC.rglob("*.py")
        if path.relative_to(SRC).as_posix() not in writes
        for value, line in _code_strings(path, suffixes=False)
        if "whl" in value
    ]
    assert patterns == []
    readers = {
        path.relative_to(SRC).as_posix()
        for path in SRC.rglob("*.py")
        if "parse_wheel_filename(" in path.read_text("utf-8")
    }
    assert {"knowledge/releases.py", "record/resolve_pypi.py"} <= readers
