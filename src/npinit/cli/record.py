"""``npinit lock`` and ``npinit verify``: record an environment, tell when it drifted."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from npinit.cli.common import (
    LOCK_FORMATS,
    PREFIX,
    PYTHON,
    arguments,
    echo,
    emit_json,
    export_destination,
    machine,
    one_line,
    warn,
    with_progress,
)
from npinit.errors import Drifted, InvalidInput

if TYPE_CHECKING:
    from npinit import api


@dataclass(frozen=True)
class LockArgs:
    """``npinit lock``'s options."""

    prefix: Path | None
    python: Path | None
    output: Path | None
    fmt: str
    platforms: tuple[str, ...]
    from_env: bool
    check: bool
    upgrade: bool
    upgrade_packages: tuple[str, ...]
    dry_run: bool
    channel_alias: str | None
    probe: bool
    online: bool
    index_url: str | None
    as_json: bool

    def resolving(self) -> api.LockOptions:
        """How the project is resolved: the options its lock and its dry run both take."""
        from npinit import api

        return api.LockOptions(
            platforms=self.platforms,
            channel_alias=self.channel_alias,
            upgrade=self.upgrade,
            upgrade_packages=self.upgrade_packages,
        )

    def relock_flag(self) -> str | None:
        """The option that asks for a re-lock of the project, if one does."""
        if self.dry_run:
            return "--dry-run"
        if self.upgrade or self.upgrade_packages:
            return "--upgrade" if self.upgrade else "--upgrade-package"
        return None


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
    from npinit import api

    project = None if args.prefix or args.python else api.find_project(Path.cwd())
    relock = args.relock_flag()
    if project is None and (args.check or relock):
        flag = "--check" if args.check else relock
        raise InvalidInput(f"{flag} needs an npinit project here", "cd into the project")
    if project is not None and relock and (args.from_env or args.fmt != "npinit"):
        raise InvalidInput(
            f"{relock} is for resolving the project", "drop it, or --from-env / --format"
        )
    if project is None:
        _lock_environment(args)
    elif args.check:
        _check(project, args)
    elif args.dry_run:
        _print_lock(_relock(project, args), args.as_json)
    else:
        _lock_project(project, args)


def _lock_environment(args: LockArgs) -> None:
    """``npinit lock --prefix/--python`` (or outside a project): record an installed
    environment, in npinit's format beside it or exported."""
    from npinit import api

    if args.from_env or args.platforms:
        raise InvalidInput(
            f"{'--from-env' if args.from_env else '--platform'} needs an npinit project here",
            "cd into the project (it has .npinit.toml)",
        )
    here = machine()
    envs = api.conda_envs_dirs(here.environ)
    target = api.resolve_target(args.prefix, args.python, None, Path.cwd(), envs)
    path = export_destination(args.output)
    if args.fmt == "npinit" and args.output is None:  # npinit's own record: beside the environment
        path = target.lock.with_name(api.DEFAULT_LOCK_NAMES[args.fmt])
    if args.fmt == "conda-lock":
        raise InvalidInput(
            "conda-lock.yml is exported from a project's lock", "run it in an npinit project"
        )
    online = args.online or args.fmt == "pylock"
    if args.fmt == "pylock" and not args.online:  # pylock.toml requires every wheel's URL and hash
        echo(
            "npinit: asking the package index for wheel URLs and hashes "
            "(pylock.toml requires them)",
            err=True,
        )
    recorded = api.lock_environment(
        target.prefix,
        target.python,
        path,
        fmt=args.fmt,
        probe=args.probe,
        online=online,
        index=args.index_url,
        probe_timeout=api.probe_timeout(here.environ, api.PROBE_TIMEOUT),
        current_platform=here.platform,
    )
    _print_recorded(recorded, args.as_json)


def _print_recorded(recorded: api.LockResult, as_json: bool) -> None:
    """An installed environment's record: where it went, or the export itself."""
    warn(recorded.warnings)
    if recorded.path is None and not as_json:
        click.echo(recorded.text, nl=False)  # an export without --output: standard output
        return
    if as_json:
        emit_json(recorded.to_json())
        return
    snap = recorded.snapshot
    echo(
        f"Locked {len(snap.packages)} packages ({snap.kind}, Python {snap.python}, "
        f"{snap.platform}) to {recorded.path}"
    )
    echo(f"  BLAS: {snap.blas.variant} ({snap.blas.evidence})")


def _check(project: Path, args: LockArgs) -> None:
    """``lock --check``: exit 2 naming what differs; with --dry-run, also what moves."""
    from npinit import api

    problems = api.check_lock(project, machine())
    if args.dry_run:  # what a re-lock would move, before the verdict
        result = _relock(project, args)
        if args.as_json:
            emit_json({"fits": not problems, "problems": problems, **result.to_json()})
        else:
            _print_lock(result, args.as_json)
    if problems:
        raise InvalidInput(
            f"npinit.lock does not fit the project: {'; '.join(problems)}",
            "lock it again: npinit lock, and commit the files it writes",
        )
    if not args.as_json:
        echo(f"{project / 'npinit.lock'} fits the project")


def _relock(project: Path, args: LockArgs) -> api.ProjectLockResult:
    """Resolve the project again (into a copy for a dry run), with progress on a terminal."""
    from npinit import api

    def locking(progress: Callable[[str], None] | None) -> api.ProjectLockResult:
        call = api.preview_lock if args.dry_run else api.lock_project
        return call(project, machine=machine(), options=args.resolving(), progress=progress)

    return with_progress("Locking", locking, args.as_json)


def _lock_project(project: Path, args: LockArgs) -> None:
    """``npinit lock`` inside a project: resolve, record (--from-env) or export."""
    from npinit import api

    if args.fmt != "npinit":
        _export(project, args)
        return
    if args.output is not None:
        raise InvalidInput("a project's lock is always npinit.lock", "drop --output")
    if args.from_env:
        here = machine()
        env = api.project_environment(project, api.conda_envs_dirs(here.environ))
        if env is None:
            raise InvalidInput(
                f"the project at {project} has no environment yet", "build it: npinit create"
            )
        result = api.lock_from_env(project, env, machine=here, probe=args.probe)
    else:
        result = _relock(project, args)
    _print_lock(result, args.as_json)


def _export(project: Path, args: LockArgs) -> None:
    """``npinit lock --format F`` in a project: an export of its npinit.lock."""
    from npinit import api

    lock_path = project / api.DEFAULT_LOCK_NAMES["npinit"]
    if not lock_path.exists():
        raise InvalidInput(f"no lock at {lock_path}", "lock the project first: npinit lock")
    if len(args.platforms) > 1:
        raise InvalidInput(f"{args.fmt} holds one platform", "give --platform once")
    platform = args.platforms[0] if args.platforms else None
    destination = export_destination(args.output)
    written, warnings, text = api.export_lock(project, args.fmt, destination, platform)
    warn(warnings)
    if args.as_json:
        where = str(written) if written is not None else "-"
        text_part = {"text": text} if written is None else {}
        emit_json({"lock": where, "format": args.fmt, "warnings": warnings, **text_part})
    elif written is None:
        click.echo(text, nl=False)  # an export without --output: standard output
    else:
        echo(f"Exported {lock_path.name} as {args.fmt} to {written}")


def _print_lock(result: api.ProjectLockResult, as_json: bool) -> None:
    """A project's lock: each platform, what changed, and the files written beside it."""
    warn(result.warnings)
    if as_json:
        emit_json(result.to_json())
        return
    if not result.written:
        echo(f"Dry run: {result.path} is not written")
        for line in result.changes.lines() if result.changes else []:
            echo(one_line(line))
        return
    count = len(result.lock.sections)
    echo(f"Locked {count} platform{'' if count == 1 else 's'} to {result.path}")
    for name, section in sorted(result.lock.sections.items()):
        numpy = next((p.version for p in section.packages if p.name == "numpy"), "-")
        echo(
            f"  {name}: {len(section.packages)} packages, Python {section.python}, "
            f"NumPy {numpy}, BLAS {section.blas.variant}"
        )
    for path in result.also_written:
        echo(f"  also wrote {path.relative_to(result.path.parent).as_posix()}")
    for line in result.changes.lines() if result.changes else []:
        echo(one_line(line))


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
