"""``npinit set`` and ``npinit versions``: edit a project's files, list NumPy releases."""

from __future__ import annotations

from pathlib import Path

import click

from npinit.cli.common import CHANNELS, absolute, emit_json, machine, warn


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
            click.echo("".join(e.diff(result.root) for e in result.edits), nl=False)
        return
    written = api.apply_set(result)
    warn(result.warnings if written else [])
    if as_json:
        emit_json({**result.to_json(), "written": [str(p) for p in written]})
        return
    for edit in result.edits:
        state = "changed" if edit.changed else "unchanged"
        click.echo(f"{state:<10} {edit.path}")


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
        click.echo(f"{r.version:<8} {r.date}  Python {', '.join(r.pythons)}")
