"""The layering rules of the structure step, read from the source itself: one door (the API),
one runner, one exit-code map, the machine read only at boundaries, small modules."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import npinit

SRC = Path(npinit.__file__).resolve().parent
MODULES = sorted(SRC.rglob("*.py"))


def _relative(path: Path) -> str:
    return path.relative_to(SRC).as_posix()


def _imports(path: Path) -> Iterator[tuple[str, int]]:
    """Every module name a file imports (``from a import b`` gives ``a`` and ``a.b``)."""
    tree = ast.parse(path.read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module, node.lineno
            for alias in node.names:
                yield f"{node.module}.{alias.name}", node.lineno


def _attribute_uses(path: Path) -> Iterator[tuple[str, int]]:
    """Dotted names read in a file (``os.environ``, ``sys.platform``...) and called names."""
    tree = ast.parse(path.read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            yield f"{node.value.id}.{node.attr}", node.lineno
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            yield f"{node.func.id}()", node.lineno


def test_the_source_tree_is_where_the_rules_look() -> None:
    assert len(MODULES) > 40 and (SRC / "runner.py").is_file() and (SRC / "cli").is_dir()


def test_only_the_runner_imports_subprocess() -> None:
    found = [
        f"{_relative(p)}:{line}"
        for p in MODULES
        for name, line in _imports(p)
        if name == "subprocess" or name.startswith("subprocess.")
        if _relative(p) != "runner.py"
    ]
    assert found == []


def test_click_is_imported_only_under_the_cli() -> None:
    found = [
        f"{_relative(p)}:{line}"
        for p in MODULES
        for name, line in _imports(p)
        if name.split(".")[0] == "click" and not _relative(p).startswith("cli/")
    ]
    assert found == []


ALLOWED_FOR_THE_CLI = ("npinit.api", "npinit.model", "npinit.errors", "npinit.cli")


@pytest.mark.parametrize("path", sorted((SRC / "cli").glob("*.py")), ids=_relative)
def test_the_cli_imports_only_the_api_the_model_and_the_errors(path: Path) -> None:
    found = [
        f"{name}:{line}"
        for name, line in _imports(path)
        if name.split(".")[0] == "npinit"
        and name not in ("npinit", "npinit.__version__", "npinit.api")
        and not name.startswith(ALLOWED_FOR_THE_CLI)
    ]
    assert found == []


MACHINE_READS = {
    "os.environ",
    "os.getenv",
    "os.name",
    "sys.platform",
    "platform.system",
    "platform.machine",
    "detect_platform()",
    "this_machine()",
}


@pytest.mark.parametrize(
    "path",
    sorted([*(SRC / "api").glob("*.py"), *(SRC / "managers").glob("*.py")]),
    ids=_relative,
)
def test_the_api_and_the_managers_read_nothing_of_the_machine(path: Path) -> None:
    found = [f"{name}:{line}" for name, line in _attribute_uses(path) if name in MACHINE_READS]
    assert found == []


def test_exit_codes_are_decided_in_one_place() -> None:
    """Only the CLI's map gives exit codes; ``__main__`` gives 130 for a Ctrl-C that comes
    before the CLI (and its map) could even be imported."""
    found = []
    for path in MODULES:
        text = path.read_text("utf-8")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Call) and ast.unparse(node.func) == "sys.exit":
                found.append(_relative(path))
            if isinstance(node, ast.Name) and node.id == "exit_code":
                found.append(_relative(path))
    assert sorted(set(found)) == ["__main__.py", "cli/__init__.py"]


@pytest.mark.parametrize("path", MODULES, ids=_relative)
def test_no_module_is_over_400_lines(path: Path) -> None:
    assert len(path.read_text("utf-8").splitlines()) <= 400


def test_cli_choice_lists_come_from_the_enums() -> None:
    from npinit.cli import common
    from npinit.model import Blas, Manager

    assert tuple(m.value for m in Manager) == common.MANAGERS
    assert tuple(b.value for b in Blas) == common.BLAS_CHOICES
    assert "pypi" not in common.CHANNELS


def test_every_manager_is_registered_and_implements_the_protocol() -> None:
    from npinit.managers import REGISTRY, module_for
    from npinit.model import Manager

    assert set(REGISTRY) == set(Manager)
    for manager in Manager:
        module = module_for(manager)
        assert callable(module.manifest) and callable(module.install)
        assert callable(module.lock) and callable(module.lock_inputs)
        assert module.ENV_DIR in (".venv", ".conda", ".pixi")
        assert module.activate(False) and module.activate(True)


def test_the_api_names_what_its_modules_define() -> None:
    from npinit import api

    for name in api.__all__:
        assert getattr(api, name) is not None, name


def test_the_lazy_command_table_matches_the_commands() -> None:
    """Each row of ``cli.COMMANDS`` loads a command of that name whose help begins with the
    row's text, so ``npinit --help`` (drawn from the table) shows what loading every command
    would, at every terminal width."""
    import click

    from npinit import cli

    assert len(cli.COMMANDS) >= 10
    for name in cli.COMMANDS:
        command = cli.cli.get_command(click.Context(cli.cli), name)
        assert command is not None and command.name == name
        for limit in (20, 45, 74, 200):
            assert cli._short_help(name, limit) == command.get_short_help_str(limit), name
