"""Which environment a command means: ``--prefix``, ``--python``, or the current project's."""

# no __future__ annotations: typing.NamedTuple compiles an annotation string (test_imports)

from pathlib import Path
from typing import NamedTuple

from npinit.errors import InvalidInput
from npinit.model import LOCK_FILE
from npinit.record.environment import project_environment
from npinit.tomlio import find_project


class Target(NamedTuple):
    """An environment to read, and the lock that belongs to it."""

    prefix: Path | None
    python: Path | None
    lock: Path


def resolve(
    prefix: Path | None,
    python: Path | None,
    lock: Path | None,
    cwd: Path,
    conda_envs_dirs: list[Path],
) -> Target:
    """Fill in what the user did not say from the project around ``cwd``."""
    if prefix is not None and python is not None:
        raise InvalidInput("--prefix and --python name two environments", "give one of them")
    project = find_project(cwd)
    if prefix is None and python is None:
        if project is None:
            raise InvalidInput(
                "no environment given and no npinit project here",
                "give --prefix PATH (a conda prefix or venv) or --python PATH",
            )
        prefix = project_environment(project, conda_envs_dirs)
        if prefix is None:
            raise InvalidInput(
                f"the project at {project} has no environment yet",
                "create it (see its README), or give --prefix or --python",
            )
    default_lock = (project or cwd) / LOCK_FILE
    return Target(prefix=prefix, python=python, lock=lock or default_lock)
