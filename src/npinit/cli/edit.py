"""``npinit set`` and ``npinit versions``: edit a project's files, list NumPy releases."""

from __future__ import annotations

from pathlib import Path

import click

from npinit.cli.common import CHANNELS, MANAGERS, absolute, echo, emit_json, machine, warn


@click.command(name="set")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--numpy", "numpy", metavar="latest|X.Y|X.Y.Z", help="Pin NumPy to this release.")
@click.option("--blas", metavar="VARIANT[,PLATFORM=VARIANT]...", help="Select this BLAS.")
@click.option("--python", "python", metavar="3.X", help="Move the project to this Python.")
@click.option("--channel", type=click.Choice(CHANNELS), help="conda files: their channel.")
@click.option("--dry-run", is_flag=True, help="Print the unified diff; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def set_(
    path: Path | None,
    numpy: str | None,
    blas: str | None,
    python: str | None,
    channel: str | None,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Change NumPy, the BLAS or Python in a project's files (or one file), keeping every
    comment and the layout."""
    from npinit import api

    target = absolute(path or Path.cwd())
    result = api.plan_set(
        target,
        numpy=numpy,
        python=python,
        blas=blas,
        channel=channel,
        current_platform=machine().platform,
    )
    if dry_run:
        if as_json:
            emit_json(
                {**result.to_json(), "diff": "".join(e.diff(result.root) for e in result.edits)}
            )
        else:
            echo("".join(e.diff(result.root) for e in result.edits), nl=False)
        return
    written = api.apply_set(result)
    warn(result.warnings if written else [])
    if as_json:
        emit_json({**result.to_json(), "written": [str(p) for p in written]})
        return
    for edit in result.edits:
        state = "changed" if edit.changed else "unchanged"
        echo(f"{state:<10} {edit.path}")


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


@click.command(name="init")
@click.argument("path", required=False, type=click.Path(file_okay=False, path_type=Path))
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
@click.option("--dry-run", is_flag=True, help="Print the decisions and the diff; write nothing.")
@click.option("--no-input", is_flag=True, help="Ask nothing, confirm nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def init(
    path: Path | None,
    manager: str | None,
    python: str | None,
    numpy: str | None,
    blas: str | None,
    platforms: tuple[str, ...],
    ci: str,
    dry_run: bool,
    no_input: bool,
    as_json: bool,
) -> None:
    """Bring an existing project under npinit: pin NumPy in its environment file (changing
    only the numpy and BLAS lines), add .npinit.toml and the environment check."""
    from npinit import api
    from npinit.errors import NotConfirmed

    root = absolute(path or Path.cwd())
    here = machine()
    if manager is None and not no_input and not as_json:
        fits = api.init_candidates(root) if root.is_dir() else {}
        if len(fits) > 1:
            names = [m.value for m in fits]
            for name, file in fits.items():
                echo(f"  {name.value}: {file.relative_to(root).as_posix()}", err=True)
            manager = click.prompt(
                "Several managers fit these files; which one",
                type=click.Choice(names),
                err=True,
            )
    plan = api.plan_init(
        root,
        manager=manager,
        python=python,
        numpy=numpy,
        blas=blas,
        platforms=list(platforms) or None,
        current_platform=here.platform,
        ci=ci,
    )
    diff = "".join(e.diff(root) for e in plan.edits)
    if as_json and (dry_run or no_input):
        if not dry_run:
            api.apply_init(plan)
        emit_json({**plan.to_json(), "diff": diff, "written": not dry_run})
        return
    echo(f"npinit init {root}:")
    for line in plan.decisions:
        echo(f"  {line}")
    echo(f"  adds: {', '.join(sorted(plan.new_files))}")
    echo(diff or "  (the environment file keeps its numpy and BLAS lines)\n", nl=False)
    if dry_run:
        return
    if not no_input and not click.confirm("Write these changes?", default=True, err=True):
        raise NotConfirmed("not confirmed: nothing was written", "")
    written = api.apply_init(plan)
    echo(f"Wrote {len(written)} files. Next: npinit lock, then npinit create")
