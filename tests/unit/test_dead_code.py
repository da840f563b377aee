"""No dead code (issue 30 found ``_REQUIREMENTS``, ``UV_TRIPLES``, ``OSES``, ``AS_JSON`` and a
second ``find_project`` defined and never used): every name a module of the package defines
at its top level is used by the package, its tools or its benchmarks (the tests do not
count: code kept only for a test is dead to the user)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import npinit
from tests.conftest import ROOT
from tests.helpers import docstring_ids

SRC = Path(npinit.__file__).resolve().parent
GENERATED = "compiled_"  # the schemas' validators (tools/compile_schemas.py)


def _modules() -> list[Path]:
    paths = [p for p in SRC.rglob("*.py") if not p.name.startswith(GENERATED)]
    return (
        paths + sorted((ROOT / "tools").glob("*.py")) + sorted((ROOT / "benchmarks").glob("*.py"))
    )


def _defined(tree: ast.Module) -> Iterator[tuple[str, int]]:
    """The names a module defines at its top level (decorated functions are registered by
    their decorator, a click command say, and dunders are Python's)."""
    for node in tree.body:
        names: list[str] = []
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names = [] if node.decorator_list else [node.name]
        elif isinstance(node, ast.Assign):
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names = [node.target.id]
        yield from ((name, node.lineno) for name in names if not name.startswith("__"))


def _used(tree: ast.Module) -> set[str]:
    """Every name a module reads: names, attributes, imported names, and the words of its
    strings (a lazy table names ``module:function``), docstrings left out."""
    docstrings = docstring_ids(tree)
    used: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in docstrings:
            continue
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Store):
            used.add(node.id)
        elif isinstance(node, ast.Attribute):
            used.add(node.attr)
        elif isinstance(node, ast.alias):
            used.add(node.name.rpartition(".")[2])
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            used.update(re.findall(r"[A-Za-z_]\w*", node.value))
    return used


def _templates_words() -> set[str]:
    words: set[str] = set()
    for path in (ROOT / "templates").rglob("*"):
        if path.is_file():
            words.update(re.findall(r"[A-Za-z_]\w*", path.read_text("utf-8", "replace")))
    return words


def test_every_top_level_name_of_the_package_is_used() -> None:
    trees = {path: ast.parse(path.read_text("utf-8")) for path in _modules()}
    used = set().union(*(_used(tree) for tree in trees.values()), _templates_words())
    defined = [
        f"{path.relative_to(SRC).as_posix()}:{line} {name}"
        for path, tree in trees.items()
        if path.is_relative_to(SRC)
        for name, line in _defined(tree)
    ]
    assert len(defined) > 500  # the walk found the package
    dead = [entry for entry in defined if entry.rsplit(" ", 1)[1] not in used]
    assert dead == []
