"""What npinit knows without touching a project: NumPy releases, the install guide's
decision, and which project and environment a command means."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from npinit.tomlio import find_project

if TYPE_CHECKING:
    from npinit.knowledge.releases import NumpyRelease
    from npinit.model import Manager
    from npinit.recommend import Recommendation
    from npinit.record.target import Target

__all__ = [
    "default_manager",
    "find_project",
    "project_environment",
    "recommend",
    "resolve_target",
    "versions",
]


def versions(python: str | None = None) -> list[NumpyRelease]:
    """NumPy releases, oldest first: all, or those with wheels for ``python`` (3.X)."""
    from npinit.knowledge import releases

    if python:
        releases.check_python(python)
        return list(releases.releases_for_python(python))
    return list(releases.all_releases())


def default_manager() -> Manager:
    """The manager ``npinit new`` uses when none is given (the guide's beginner answer)."""
    from npinit import recommend as guide

    return guide.default_manager()


def recommend(
    experience: str, os_name: str, *, gpu: bool, prefer_pip: bool = False
) -> Recommendation:
    """The install guide's decision: distribution, manager, channel, reasons, next command."""
    from npinit import recommend as guide

    return guide.recommend(experience, os_name, gpu=gpu, prefer_pip=prefer_pip)


def project_environment(project: Path, conda_envs_dirs: list[Path]) -> Path | None:
    """The environment a project uses: ``.venv``, ``.conda``, or its named conda env."""
    from npinit.record import environment

    return environment.project_environment(project, conda_envs_dirs)


def resolve_target(
    prefix: Path | None,
    python: Path | None,
    lock: Path | None,
    cwd: Path,
    conda_envs_dirs: list[Path],
) -> Target:
    """The environment and lock a ``lock``/``verify`` means: the options given, else the
    project around ``cwd``."""
    from npinit.record import target

    return target.resolve(prefix, python, lock, cwd, conda_envs_dirs)
