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


def test_cli_start_up_does_not_import_heavy_modules() -> None:
    heavy = [
        "cookiecutter",
        "rattler",
        "tomlkit",
        "ruamel",
        "jinja2",
        "rich",
        "packaging",
        "npinit.scaffold",
        "npinit.record",
        "npinit.doctor",
    ]
    code = (
        "import sys, npinit.cli;"
        f"print([m for m in sys.modules if m.split('.')[0] in {heavy!r} or m in {heavy!r}])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
