"""Every module imports on its own, and the CLI's start-up stays light."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import npinit

MODULES = sorted(m.name for m in pkgutil.walk_packages(npinit.__path__, "npinit."))


@pytest.mark.parametrize("module", MODULES)
def test_module_imports_alone(module: str) -> None:
    subprocess.run([sys.executable, "-c", f"import {module}"], check=True)


# what start-up (``import npinit.cli``, ``npinit --help``) must not load: each command's
# module, the API, the release table, and the libraries only some commands use
HEAVY = [
    "cookiecutter",
    "rattler",
    "tomlkit",
    "ruamel",
    "jinja2",
    "rich",
    "packaging",
    "json",
    "npinit.api",
    "npinit.model",
    "npinit.knowledge",
    "npinit.knowledge.releases",
    "npinit.scaffold",
    "npinit.record",
    "npinit.doctor",
    "npinit.cli.common",
    "npinit.cli.new",
    "npinit.cli.edit",
    "npinit.cli.record",
    "npinit.cli.guide",
    "npinit.cli.workshop",
]


def _loaded_after(code: str) -> list[str]:
    """The heavy modules loaded once ``code`` ran in a fresh interpreter."""
    probe = (
        f"{code}\nimport sys\n"
        f"print([m for m in sys.modules if m.split('.')[0] in {HEAVY!r} or m in {HEAVY!r}])"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return eval(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_cli_start_up_does_not_import_heavy_modules() -> None:
    assert _loaded_after("import npinit.cli") == []


def test_help_loads_no_command_nor_the_release_table() -> None:
    code = (
        "from npinit.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit as stop:\n    assert stop.code == 0\n"
    )
    assert _loaded_after(code) == []


def test_a_command_loads_its_own_module_only() -> None:
    """``npinit versions`` loads the release table (it shows it) but not another command's
    module, nor rich: the lazy table really is lazy per command."""
    code = (
        "from npinit.cli import main\n"
        "try:\n    main(['versions', '--python', '3.12'])\n"
        "except SystemExit as stop:\n    assert stop.code == 0\n"
    )
    loaded = _loaded_after(code)
    assert "npinit.cli.edit" in loaded and "npinit.knowledge.releases" in loaded
    assert not {"npinit.cli.new", "npinit.cli.record", "rich", "npinit.doctor"} & set(loaded)
