"""Poetry 2: a PEP 621 pyproject.toml with NumPy pinned exactly and requires-python set."""

from __future__ import annotations

from typing import Any

from npinit.managers import DEV_PACKAGES
from npinit.model import ProjectSpec

FILE = "pyproject.toml"


def requires_python(spec: ProjectSpec) -> str:
    """The one Python minor the project was pinned for."""
    major, minor = spec.python.split(".")
    return f">={spec.python},<{major}.{int(minor) + 1}"


def manifest(spec: ProjectSpec) -> dict[str, Any]:
    dependencies = [f"numpy=={spec.numpy}", *spec.with_packages]
    return {
        "file": FILE,
        "requires_python": requires_python(spec),
        "dependencies": dependencies,
        "dev_dependencies": list(DEV_PACKAGES),
        "spec_lines": dependencies,
    }
