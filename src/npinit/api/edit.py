"""``npinit set``: change NumPy, the BLAS or Python in an existing project's files."""

from __future__ import annotations

from pathlib import Path

from npinit.editing.project import SetResult
from npinit.model import Platform


def plan_set(
    target: Path,
    *,
    numpy: str | None = None,
    python: str | None = None,
    blas: str | None = None,
    channel: str | None = None,
    current_platform: Platform | None = None,
) -> SetResult:
    """Every edit ``npinit set`` would make, computed in memory: InvalidInput (exit 2) and
    nothing changed when a request does not fit or a file does not parse."""
    from npinit.editing import project

    return project.plan_set(
        target,
        numpy=numpy,
        python=python,
        blas=blas,
        channel=channel,
        current_platform=current_platform,
    )


def apply_set(result: SetResult) -> list[Path]:
    """Write every changed file of a plan atomically; returns the paths written."""
    from npinit.editing import project

    return project.apply(result)
