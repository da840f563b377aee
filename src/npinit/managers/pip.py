"""pip + venv: requirements.txt with NumPy pinned exactly, and .python-version."""

from __future__ import annotations

from typing import Any

from npinit.managers import DEV_PACKAGES
from npinit.model import ProjectSpec

FILE = "requirements.txt"


def requirements(spec: ProjectSpec) -> list[str]:
    return [f"numpy=={spec.numpy}", *spec.with_packages, *DEV_PACKAGES]


def manifest(spec: ProjectSpec) -> dict[str, Any]:
    lines = requirements(spec)
    return {"file": FILE, "requirements": lines, "spec_lines": lines}
