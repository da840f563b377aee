"""npinit's requirements (pyproject.toml) say what it imports, with bounds that mean something
(issue 30): every third-party module the package imports is a requirement of its own (jinja2
and binaryornot once arrived only through cookiecutter), every requirement is used, uv's
lower bound is the first uv that writes pylock files, py-rattler's 0.x API is bounded above,
and what is installed here meets every bound. CI's lowest-versions job (.ci/run) then runs
the fast tests on the lower bounds themselves."""

from __future__ import annotations

import ast
import sys
import tomllib
from collections.abc import Iterator
from functools import cache
from importlib.metadata import packages_distributions as installed_modules
from importlib.metadata import version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

import npinit
from npinit.managers.common import UV_MINIMUM
from tests.conftest import ROOT

packages_distributions = cache(installed_modules)
SRC = Path(npinit.__file__).resolve().parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
# imported by the package for one purpose outside a run of npinit, and required there:
# fastjsonschema compiles the schemas' validators ahead of time (schemas.compiled_source,
# run by tools/compile_schemas.py and the test holding the compiled modules to it)
NOT_AT_RUN_TIME = {"fastjsonschema": "test"}


def _requirements(extra: str | None = None) -> dict[str, Requirement]:
    rows = PROJECT["dependencies"] if extra is None else PROJECT["optional-dependencies"][extra]
    found = [Requirement(row) for row in rows]
    return {canonicalize_name(r.name): r for r in found if not r.name.startswith("npinit")}


def _imports() -> Iterator[tuple[str, str]]:
    """Every top-level module the package imports (at the top or inside a function), with
    where: absolute imports only, the standard library and npinit left out."""
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.partition(".")[0]
                if top != "npinit" and top not in sys.stdlib_module_names:
                    yield top, f"{path.relative_to(SRC).as_posix()}:{node.lineno}"


def _distributions(module: str) -> set[str]:
    return {canonicalize_name(d) for d in packages_distributions().get(module, [])}


def test_every_imported_package_is_a_requirement_of_its_own() -> None:
    runtime, conda = _requirements(), _requirements("conda")
    undeclared = []
    for module, where in _imports():
        wanted = _distributions(module)
        allowed = set(runtime) | set(conda)
        if module in NOT_AT_RUN_TIME:
            allowed = set(_requirements(NOT_AT_RUN_TIME[module]))
        if not wanted or not wanted & allowed:
            undeclared.append(f"{where} imports {module} ({', '.join(wanted) or 'not installed'})")
    assert undeclared == []
    assert {"jinja2", "binaryornot", "py-rattler"} <= set(runtime) | set(conda)


def test_every_requirement_is_used_by_the_package() -> None:
    """A requirement nothing imports (or, like threadpoolctl, copies into an environment by
    its module name) is a stale one."""
    used = {module for module, _ in _imports()} | {
        node.value
        for path in SRC.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text("utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    by_distribution: dict[str, set[str]] = {}
    for module, distributions in packages_distributions().items():
        for name in distributions:
            by_distribution.setdefault(canonicalize_name(name), set()).add(module)
    requirements = {**_requirements(), **_requirements("conda")}
    unused = [name for name in requirements if not by_distribution.get(name, set()) & used]
    assert unused == []


def test_uv_lower_bound_is_the_first_uv_that_writes_pylock_files() -> None:
    """``uv pip compile -o pylock.*.toml`` writes PEP 751 from uv 0.6.15 on (0.6.14 refuses
    the name, 0.5 writes requirements text into it): the requirement says so, in the runtime
    and in the test requirements, and npinit takes no older uv from PATH (UV_MINIMUM)."""
    minimum = ".".join(map(str, UV_MINIMUM))
    for extra in (None, "test"):
        (spec,) = _requirements(extra)["uv"].specifier
        assert (spec.operator, spec.version) == (">=", minimum), extra


def test_py_rattler_is_bounded_above_and_the_bound_holds_here() -> None:
    """py-rattler's 0.x API changes between minor releases: the extra admits only the minor
    npinit is tested with, and it is the one installed."""
    conda, test = _requirements("conda")["py-rattler"], _requirements("test")["py-rattler"]
    assert conda.specifier == test.specifier
    assert {s.operator for s in conda.specifier} == {">=", "<"}
    assert conda.specifier.contains(version("py-rattler"))


def test_every_requirement_has_a_lower_bound_that_the_installed_version_meets() -> None:
    """Each runtime requirement names the lowest version it allows (what CI's lowest-direct
    job installs), and what the tests run on here is allowed."""
    for name, requirement in {**_requirements(), **_requirements("conda")}.items():
        assert any(s.operator in (">=", "==", "~=") for s in requirement.specifier), name
        assert requirement.specifier.contains(version(name), prereleases=True), name
