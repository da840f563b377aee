"""``npinit set`` and ``npinit versions``: edit a project's files, list NumPy releases."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from npinit.cli.common import (
    CHANNELS,
    MANAGERS,
    absolute,
    arguments,
    echo,
    emit_json,
    machine,
    warn,
)


@dataclass(frozen=True)
class SetArgs:
    """``npinit set``'s options."""

    path: Path | None
    numpy: str | None
    blas: str | None
    python: str | None
    channel: str | None
    no_solve: bool
    channel_alias: str | None
    dry_run: bool
    as_json: bool


@click.command(name="set")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--numpy", "numpy", metavar="latest|X.Y|X.Y.Z", help="Pin NumPy to this release.")
@click.option("--blas", metavar="VARIANT[,PLATFORM=VARIANT]...", help="Select this BLAS.")
@click.option("--python", "python", metavar="3.X", help="Move the project to this Python.")
@click.option("--channel", type=click.Choice(CHANNELS), help="conda files: their channel.")
@click.option("--no-solve", is_flag=True, help="--python: keep the NumPy pin; no resolver.")
@click.option("--channel-alias", metavar="URL", help="Where conda channel names point (solving).")
@click.option("--dry-run", is_flag=True, help="Print the unified diff; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@arguments(SetArgs)
def set_(args: SetArgs) -> None:
    """Change NumPy, the BLAS or Python in a project's files (or one file), keeping every
    comment and the layout. --python alone also chooses the newest NumPy for which the
    project's whole file resolves with that Python (--no-solve keeps the pin)."""
    from npinit import api

    target = absolute(args.path or Path.cwd())
    numpy = args.numpy
    if args.python is not None and numpy is None and not args.no_solve:
        numpy = _solved_numpy(target, args)
    result = api.plan_set(
        target,
        numpy=numpy,
        python=args.python,
        blas=args.blas,
        channel=args.channel,
        current_platform=machine().platform,
    )
    if args.dry_run:
        diff = "".join(e.diff(result.root) for e in result.edits)
        if args.as_json:
            emit_json({**result.to_json(), "diff": diff})
        else:
            echo(diff, nl=False)
        return
    written = api.apply_set(result)
    warn(result.warnings if written else [])
    if args.as_json:
        emit_json({**result.to_json(), "written": [str(p) for p in written]})
        return
    for edit in result.edits:
        state = "changed" if edit.changed else "unchanged"
        echo(f"{state:<10} {edit.path}")


def _solved_numpy(target: Path, args: SetArgs) -> str | None:
    """``set --python`` alone: the newest NumPy the project's whole file resolves with for
    that Python (None: the pin stays)."""
    from npinit import api

    assert args.python is not None
    here = machine()
    pins = api.solve_set_python(
        target,
        args.python,
        environ=here.environ,
        channel_alias=args.channel_alias,
        current_platform=here.platform,
    )
    if pins is None:
        return None
    if not args.as_json:
        echo(
            f"NumPy {pins.numpy}: the newest the whole file resolves with for Python {pins.python}",
            err=True,
        )
        for note in pins.notes:  # which package held NumPy back
            echo(note, err=True)
    return pins.numpy


@click.command()
@click.option("--python", "python", metavar="3.X", help="Only releases with wheels for it.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def versions(python: str | None, as_json: bool) -> None:
    """Which NumPy releases fit which Python (from the embedded table)."""
    from npinit import api

    rows = api.versions(python)
    if as_json:
        emit_json(
            [
                {
                    "version": r.version,
                    "date": r.date,
                    "requires_python": r.requires_python,
                    "pythons": list(r.pythons),
                    "free_threaded": list(r.free_threaded),
                }
                for r in reversed(rows)
            ]
        )
        return
    for r in reversed(rows):
        echo(f"{r.version:<8} {r.date}  Python {', '.join(r.pythons)}")


@dataclass(frozen=True)
class InitArgs:
    """``npinit init``'s options."""

    path: Path | None
    manager: str | None
    python: str | None
    numpy: str | None
    blas: str | None
    platforms: tuple[str, ...]
    ci: str
    no_solve: bool
    channel_alias: str | None
    dry_run: bool
    no_input: bool
    yes: bool
    as_json: bool


@click.command(name="init")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--manager", type=click.Choice(MANAGERS), help="When several fit the files.")
@click.option("--python", "python", metavar="3.X", help="Narrow the file's Python range.")
@click.option("--numpy", "numpy", metavar="latest|X.Y|X.Y.Z", help="Pin this NumPy instead.")
@click.option("--blas", metavar="VARIANT", help="Select this BLAS (writes the selector lines).")
@click.option("--platform", "platforms", multiple=True, metavar="SUBDIR", help="A platform.")
@click.option(
    "--ci",
    type=click.Choice(("github", "gitlab", "none")),
    default="none",
    show_default=True,
    help="Also add a CI workflow that proves the lock on every platform.",
)
@click.option(
    "--no-solve", is_flag=True, help="Decide from the release table alone (offline); no resolver."
)
@click.option("--channel-alias", metavar="URL", help="Where conda channel names point (solving).")
@click.option("--dry-run", is_flag=True, help="Print the decisions and the diff; write nothing.")
@click.option("--no-input", is_flag=True, help="Ask nothing, confirm nothing.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@arguments(InitArgs)
def init(args: InitArgs) -> None:
    """Bring an existing project under npinit: pin NumPy in its environment file (changing
    only the numpy and BLAS lines), add .npinit.toml and the environment check. PATH is the
    project's folder or its environment file (in any subfolder)."""
    from npinit import api
    from npinit.errors import NotConfirmed

    here = machine()
    root, file = api.init_root(absolute(args.path or Path.cwd()), absolute(Path.cwd()))
    manager, file = _chosen_file(args, root, file)
    plan = api.plan_init(
        root,
        file=file,
        manager=manager,
        python=args.python,
        numpy=args.numpy,
        blas=args.blas,
        platforms=list(args.platforms) or None,
        current_platform=here.platform,
        ci=args.ci,
        solve=not args.no_solve,
        environ=here.environ,
        channel_alias=args.channel_alias,
    )
    diff = "".join(e.diff(root) for e in plan.edits)
    if args.as_json and (args.dry_run or args.no_input or args.yes):
        if not args.dry_run:
            api.apply_init(plan)
        emit_json({**plan.to_json(), "diff": diff, "written": not args.dry_run})
        return
    _show_plan(root, plan, diff, args.no_solve)
    if args.dry_run:
        return
    asked = not (args.no_input or args.yes)
    if asked and not click.confirm("Write these changes?", default=True, err=True):
        raise NotConfirmed("not confirmed: nothing was written", "")
    written = api.apply_init(plan)
    echo(f"Wrote {len(written)} files. Next: npinit lock, then npinit create")


def _chosen_file(args: InitArgs, root: Path, file: Path | None) -> tuple[str | None, Path | None]:
    """The manager and the file to bring under npinit: as given, or, when several files fit
    and questions may be asked, the one chosen."""
    from npinit import api

    if args.no_input or args.as_json:
        return args.manager, file
    fits = api.init_candidates(root, file)
    if args.manager is not None:
        fits = [f for f in fits if f.manager.value == args.manager]
    if len(fits) <= 1:
        return args.manager, file
    chosen = _ask_fit(fits, root)
    return chosen.manager.value, chosen.path


def _show_plan(root: Path, plan: Any, diff: str, no_solve: bool) -> None:
    """What init decided and would change, before the confirmation."""
    echo(f"npinit init {root}:")
    for line in plan.decisions:
        echo(f"  {line}")
    if no_solve:
        echo("  (--no-solve: pins from the release table alone; npinit lock will tell)")
    echo(f"  adds: {', '.join(sorted(plan.new_files))}")
    echo(diff or "  (the environment file keeps its numpy and BLAS lines)\n", nl=False)


def _ask_fit(fits: list[Any], root: Path) -> Any:
    """Several files fit: list them and ask which one."""
    echo("Several environment files fit this project:", err=True)
    for number, fit in enumerate(fits, 1):
        echo(f"  {number}. {fit.describe(root)}", err=True)
    number = click.prompt("Which one", type=click.IntRange(1, len(fits)), default=1, err=True)
    return fits[number - 1]
