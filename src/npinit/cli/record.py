"""``npinit lock`` and ``npinit verify``: record an environment, tell when it drifted."""

from __future__ import annotations

from pathlib import Path

import click

from npinit.cli.common import (
    LOCK_FORMATS,
    PREFIX,
    PYTHON,
    arguments,
    echo,
    emit_json,
    machine,
    one_line,
)
from npinit.cli.lock_run import LockArgs, run_lock
from npinit.errors import Drifted


@click.command()
@PREFIX
@PYTHON
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write; - is standard output. Default: npinit.lock for npinit's own "
    "format; an export (--format pylock, ...) goes to standard output.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(LOCK_FORMATS),
    default="npinit",
    show_default=True,
    help="In a project, other formats are exported from its npinit.lock.",
)
@click.option(
    "--platform",
    "platforms",
    multiple=True,
    metavar="PLATFORM|all",
    help="In a project: the platforms to lock (default: the project's); with an export "
    "format, the one to export.",
)
@click.option(
    "--from-env",
    is_flag=True,
    help="In a project: record its installed environment as this platform's section.",
)
@click.option(
    "--check",
    is_flag=True,
    help="In a project: exit 2 when its lock no longer fits it (for CI); resolve nothing.",
)
@click.option(
    "--upgrade",
    is_flag=True,
    help="In a project: let every package move (default: keep locked versions).",
)
@click.option(
    "--upgrade-package",
    "upgrade_packages",
    multiple=True,
    metavar="NAME",
    help="In a project: let this package move (repeatable); the others keep their versions.",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="In a project: say what a re-lock would change, and write nothing.",
)
@click.option(
    "--channel-alias",
    metavar="URL",
    help="conda channel alias to solve against (a mirror or a local channel).",
)
@click.option("--probe", is_flag=True, help="Also ask the environment's interpreter at run time.")
@click.option("--online", is_flag=True, help="Ask the package index for wheel URLs and hashes.")
@click.option("--index-url", default=None, help="Simple index for --online (default PyPI).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@arguments(LockArgs)
def lock(args: LockArgs) -> None:
    """Lock a project for every platform, installing nothing, keeping every locked version
    its files still allow; or record an installed environment (--prefix, --python,
    --from-env)."""
    run_lock(args)


@click.command()
@PREFIX
@PYTHON
@click.option(
    "--lock",
    "lock_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The lock to compare with (default: the project's npinit.lock).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option(
    "--label",
    metavar="NAME",
    help="With --json: a label for this report (npinit report shows it; default: file name).",
)
def verify(
    prefix: Path | None,
    python: Path | None,
    lock_path: Path | None,
    as_json: bool,
    label: str | None,
) -> None:
    """Tell whether an environment drifted from its lock (exit 4 when it did)."""
    from npinit import api

    here = machine()
    envs = api.conda_envs_dirs(here.environ)
    target = api.resolve_target(prefix, python, lock_path, Path.cwd(), envs)
    result = api.verify_environment(target.prefix, target.python, target.lock, here.platform)
    if as_json:
        emit_json(
            {**result.to_json(), "machine": api.stamp(), **({"label": label} if label else {})}
        )
    elif result.clean:
        echo(f"No drift: the environment matches {result.lock}")
    else:
        echo(f"Drift from {result.lock}:")
        for change in result.drift.changes:
            echo(f"  {change.describe()}")
    if result.drift.own and not as_json:
        echo(
            f"npinit's own packages ({len(result.drift.own)}: npinit and what it needs) are "
            "in this environment and were left out of the comparison; npinit belongs in its "
            "own tool environment (pipx install npinit, or uv tool install npinit)"
        )
    if not result.clean:
        raise Drifted(result.lock)


@click.command()
@click.argument("old", required=False)
@click.argument("new", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("text", "markdown")),
    default="text",
    show_default=True,
    help="markdown: a table for a pull-request comment.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def diff(old: str | None, new: str | None, fmt: str, as_json: bool) -> None:
    """What changed between two locks, per platform (lock files or git revisions).

    OLD and NEW are lock files or git revisions (the project's npinit.lock committed there);
    NEW defaults to the working lock, OLD to HEAD: `npinit diff HEAD~1`."""
    from npinit import api

    here = machine()
    result = api.diff_locks(old, new, cwd=Path.cwd(), environ=here.environ)
    if as_json:
        emit_json(result.to_json())
    elif fmt == "markdown":
        echo(result.changes.markdown(f"{result.old} -> {result.new}"), nl=False)
    else:
        echo(one_line(f"{result.old} -> {result.new}"))
        for line in result.changes.lines(Path(result.new).name):
            echo(one_line(line))
