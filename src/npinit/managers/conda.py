"""conda: environment.yml with channels, exact pins, the BLAS lines and thread variables."""

from __future__ import annotations

from typing import Any

from npinit.managers import DEV_PACKAGES
from npinit.model import Channel, ProjectSpec
from npinit.spec import THREAD_VARIABLES

FILE = "environment.yml"


def channels(spec: ProjectSpec) -> list[str]:
    """conda-forge alone (``nodefaults`` keeps defaults out), or Anaconda's defaults."""
    if spec.channel is Channel.CONDA_FORGE:
        return ["conda-forge", "nodefaults"]
    return ["defaults"]


def blas_lines(spec: ProjectSpec) -> list[str]:
    """The BLAS spec lines; environment.yml cannot vary per platform, and the spec was
    checked valid on every platform, so they are the same for all of them."""
    lines: list[str] = []
    for choice in spec.blas_choices:
        lines.extend(line for line in choice.spec_lines if line not in lines)
    return lines


def dependencies(spec: ProjectSpec) -> list[str]:
    return [
        f"python={spec.python}",
        f"numpy={spec.numpy}",
        *blas_lines(spec),
        *DEV_PACKAGES,
        *spec.with_packages,
    ]


def variables(spec: ProjectSpec) -> dict[str, str]:
    """conda sets these on activation (environment.yml ``variables:``)."""
    if spec.threads is None:
        return {}
    return {name: str(spec.threads) for name in THREAD_VARIABLES}


def manifest(spec: ProjectSpec) -> dict[str, Any]:
    deps = dependencies(spec)
    return {
        "file": FILE,
        "channels": channels(spec),
        "dependencies": deps,
        "variables": variables(spec),
        "spec_lines": deps,
    }
