"""``npinit lock``'s work, without click: the click command (:mod:`npinit.cli.record`) and
the click-free path (:mod:`npinit.cli.fast`) both run :func:`run_lock`."""

# no __future__ annotations: typing.NamedTuple compiles an annotation string (test_imports)

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from npinit.cli.shared import (
    echo,
    emit_json,
    export_destination,
    machine,
    one_line,
    warn,
    with_progress,
    write,
)
from npinit.errors import InvalidInput
from npinit.model import LOCK_FILE

if TYPE_CHECKING:
    from npinit import api


class LockArgs(NamedTuple):
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

    def resolving(self) -> "api.LockOptions":
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


def run(**values: Any) -> None:
    """``npinit lock`` with its parameters as click names them."""
    run_lock(LockArgs(**values))


def run_lock(args: LockArgs) -> None:
    """Lock a project, or record an installed environment (``npinit lock``)."""
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


def _print_recorded(recorded: "api.LockResult", as_json: bool) -> None:
    """An installed environment's record: where it went, or the export itself."""
    warn(recorded.warnings)
    if recorded.path is None and not as_json:
        write(recorded.text, nl=False)  # an export without --output: standard output
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
            f"{LOCK_FILE} does not fit the project: {'; '.join(problems)}",
            "lock it again: npinit lock, and commit the files it writes",
        )
    if not args.as_json:
        echo(f"{project / LOCK_FILE} fits the project")


def _relock(project: Path, args: LockArgs) -> "api.ProjectLockResult":
    """Resolve the project again (into a copy for a dry run), with progress on a terminal."""
    from npinit import api

    def locking(progress: Callable[[str], None] | None) -> "api.ProjectLockResult":
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
        raise InvalidInput(f"a project's lock is always {LOCK_FILE}", "drop --output")
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
        write(text, nl=False)  # an export without --output: standard output
    else:
        echo(f"Exported {lock_path.name} as {args.fmt} to {written}")


def _print_lock(result: "api.ProjectLockResult", as_json: bool) -> None:
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
