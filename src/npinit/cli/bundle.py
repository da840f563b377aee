"""``npinit bundle``: an offline kit of a project's lock; ``npinit bundle --check``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from npinit.cli.common import absolute, echo, emit_json, machine, warn
from npinit.errors import InvalidInput, ProblemsFound
from npinit.model import LOCK_FILE

if TYPE_CHECKING:
    from npinit.api import BundleCheck, BundleResult


@click.command()
@click.argument("output", required=False, type=click.Path(path_type=Path))
@click.option(
    "--platform",
    "platforms",
    multiple=True,
    metavar="PLATFORM|all",
    help="The lock's platforms to bundle (repeatable; default and all: every one it has).",
)
@click.option(
    "--check",
    is_flag=True,
    help="Re-hash every file of the bundle OUTPUT against its bundle.json and the lock it "
    "carries (in a project, its lock too); name files it does not list.",
)
@click.option(
    "--channel-alias",
    metavar="URL",
    help="Fetch conda archives from this channel alias (a mirror or a local channel).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def bundle(
    output: Path | None,
    platforms: tuple[str, ...],
    check: bool,
    channel_alias: str | None,
    as_json: bool,
) -> None:
    """Download every locked file of every platform (checked against npinit.lock as it
    arrives) into OUTPUT (default: ../<project>-bundle), laid out for offline installs with
    npinit create --bundle or the managers' own tools; a second run downloads only what is
    missing. With --check, re-hash a bundle: exit 1 naming every missing or damaged file."""
    from npinit import api

    project = api.find_project(Path.cwd())
    if check:
        if output is None:
            raise InvalidInput("--check needs the bundle's folder", "npinit bundle --check DIR")
        lock = project / LOCK_FILE if project is not None else None
        _report_check(
            api.check_bundle(absolute(output), lock if lock and lock.is_file() else None), as_json
        )
        return
    if project is None:
        raise InvalidInput("npinit bundle needs an npinit project here", "cd into the project")
    target = absolute(output) if output is not None else project.parent / f"{project.name}-bundle"
    result = _with_bar(
        lambda say, grow: api.make_bundle(
            project,
            target,
            machine=machine(),
            platforms=list(platforms) or None,
            channel_alias=channel_alias,
            progress=say,
            on_bytes=grow,
        ),
        quiet=as_json,
    )
    warn(result.warnings)
    if as_json:
        emit_json(result.to_json())
        return
    _summary(project, result)


def _with_bar(work: Callable[[Any, Any], BundleResult], quiet: bool) -> BundleResult:
    """Run ``work(say, on_bytes)``: on a terminal, rich's progress bar of the files and bytes
    that arrived, with each step printed above it; quiet in a pipe or with --json."""
    import sys

    if quiet or not sys.stderr.isatty():
        return work(None, None)
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

    from npinit.cli.common import one_line

    console = Console(stderr=True)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("Bundling", total=None)
        files = 0

        def say(message: str) -> None:
            console.print(f"[dim]- {escape(one_line(message))}[/dim]", highlight=False)

        def grow(size: int, name: str) -> None:
            nonlocal files
            files += 1 if name else 0
            bar.update(task, advance=size, description=f"{files} files")

        return work(say, grow)


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def _summary(project: Path, result: BundleResult) -> None:
    names = ", ".join(sorted(result.platforms))
    echo(f"Bundled {names} of {project.name} into {result.output}")
    echo(
        f"  {result.downloaded} files downloaded, {result.present} already there (re-hashed), "
        f"{result.copied} copied from another platform's folder; {result.written} other files "
        "written (the project, README.md, requirements, channels, bundle.json)"
    )
    if result.rechecked:
        echo(f"  {', '.join(result.rechecked)}: bundled before from this lock, re-hashed too")
    for name, entry in sorted(result.platforms.items()):
        blas = entry["blas"]
        echo(
            f"  {name}: {len(entry['files'])} files, {_mb(entry['size'])}; BLAS {blas['name']}: "
            f"{_mb(blas['size'])} in the bundle, {_mb(blas['installed_size'])} installed "
            f"({blas['measured_from'] or 'no file carries it'})"
        )
    echo(f"Check a copy anywhere: npinit bundle --check {result.output}")
    echo(f"Install from it: cd {result.output}/project && npinit create --bundle ..")


def _report_check(result: BundleCheck, as_json: bool) -> None:
    if as_json:
        emit_json(result.to_json())
    elif not result.problems:  # says what was compared, nothing more
        echo(f"{result.output}: compared {'; '.join(result.compared)}: all match")
    else:
        for problem in result.problems:
            echo(f"npinit: {problem}", err=True)
        echo(
            f"{result.output}: {len(result.problems)} problems in {result.checked} files", err=True
        )
    if result.problems:
        raise ProblemsFound(len(result.problems))
