"""``npinit create``'s work, without click: the click command (:mod:`npinit.cli.new`) and
the click-free path (:mod:`npinit.cli.fast`) both run :func:`run`; ``npinit new --create``
builds through :func:`build` and :func:`finish` too."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from npinit.cli.shared import absolute, echo, emit_json, machine, one_line, warn, with_progress
from npinit.errors import CheckFailed, InvalidInput

if TYPE_CHECKING:
    from npinit.api import CreateResult


def run(
    project: Path | None,
    channel_alias: str | None,
    no_uv: bool,
    no_check: bool,
    update: bool,
    bundle: Path | None,
    as_json: bool,
) -> None:
    """``npinit create`` with its parameters as click names them."""
    from npinit import api

    if bundle is not None and (update or channel_alias):
        option = "--update" if update else "--channel-alias"
        raise InvalidInput(f"--bundle installs the lock from the bundle only; not {option}", "")

    found = api.find_project(absolute(project or Path.cwd()))
    if found is None:
        raise InvalidInput(
            "no npinit project here (no .npinit.toml)",
            "cd into a project made with npinit new, or give its path",
        )
    where = absolute(bundle) if bundle is not None else None
    created = build(found, as_json, channel_alias, no_uv, no_check, update, where)
    if as_json:
        emit_json(created.to_json())
    finish(created, as_json)


def build(
    project: Path,
    quiet: bool,
    channel_alias: str | None,
    no_uv: bool,
    no_check: bool,
    update: bool = False,
    bundle: Path | None = None,
) -> CreateResult:
    """Build a project's environment, with progress on a terminal."""
    from collections.abc import Callable

    from npinit import api

    def building(progress: Callable[[str], None] | None = None) -> CreateResult:
        return api.create_environment(
            project,
            machine=machine(),
            channel_alias=channel_alias,
            use_uv=not no_uv,
            check=not no_check,
            progress=progress,
            update=update,
            bundle=bundle,
        )

    return with_progress("Creating the environment", building, quiet)


def finish(created: CreateResult, as_json: bool) -> None:
    warn(created.warnings)
    if not as_json and created.changes is not None:
        for line in created.changes.lines():
            echo(one_line(line))
    if not as_json:
        echo(f"Environment: {created.prefix} (built with {created.tool})")
        echo(f"  activate: {created.activate}")
        echo(f"  NumPy {created.numpy or '-'}, BLAS {created.blas}")
        said = "installed exactly, verified" if created.verified else "installed, not verified"
        echo(f"  lock: {created.lock} ({created.platform}: {said})")
        state = {True: "passed", False: "FAILED", None: "not run"}[created.tests_passed]
        echo(f"  tests/test_environment.py {state}: {created.tests_summary}")
    if created.tests_passed is False:
        echo(
            f"npinit: error: the new environment failed its own check ({created.tests_summary})",
            err=True,
        )
        raise CheckFailed(created.tests_summary)
