"""``npinit report``: the whole class at a glance, from its doctor and verify files."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from npinit.cli.common import emit_json

if TYPE_CHECKING:
    from npinit.api import ClassReport


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write one self-contained HTML page (e.g. report.html).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def report(paths: tuple[Path, ...], output: Path | None, as_json: bool) -> None:
    """Who is ready, who is not and why: FILE|DIR... of `npinit doctor --json` and
    `npinit verify --json` files (a folder: every *.json in it).

    Exit 0 when the report is made, whatever it says; 2 when no file could be read."""
    from npinit import api

    result = api.class_report(list(paths))
    if output is not None:
        api.write_report_html(result, output)
    if as_json:
        emit_json(result.to_json())
        return
    if output is not None:
        click.echo(
            f"Wrote {output}: {result.count('ready')} ready, {result.count('warnings')} with "
            f"warnings, {result.count('problems')} with problems, "
            f"{len(result.unreadable)} unreadable"
        )
        return
    _table(result)


def _table(result: ClassReport) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    colours = {"ready": "green", "warnings": "yellow", "problems": "red"}
    table = Table(title="Workshop readiness")
    for name in ("Participant", "Status", "Platform", "Python", "NumPy", "BLAS", "Lock"):
        table.add_column(name)
    table.add_column("Problems and fixes", overflow="fold")
    for person in result.participants:
        problems = "\n".join(
            escape(f"{p.check}: {p.message}" + (f" (fix: {p.fix})" if p.fix else ""))
            for p in person.problems
        )
        table.add_row(
            escape(person.label),
            f"[{colours[person.status]}]{person.status}[/]",
            escape(person.platform or "-"),
            escape(person.python or "-"),
            escape(person.numpy or "-"),
            escape(person.blas or "-"),
            escape(person.lock),
            problems or "-",
        )
    console = Console()
    console.print(table)
    console.print(
        f"{result.count('ready')} ready, {result.count('warnings')} with warnings, "
        f"{result.count('problems')} with problems"
    )
    for item in result.unreadable:
        console.print(f"could not read {escape(item.file)}: {escape(item.reason)}")
