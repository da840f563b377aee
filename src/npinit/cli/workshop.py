"""``npinit report``: the whole class at a glance, from its doctor and verify files."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from npinit.cli.common import emit_json, one_line
from npinit.errors import InvalidInput

if TYPE_CHECKING:
    from npinit.api import ClassReport

COLOURS = {
    "ready": "green",
    "warnings": "yellow",
    "problems": "red",
    "warning": "yellow",
    "problem": "red",
}


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write one self-contained HTML page (e.g. report.html).",
)
@click.option(
    "--roster",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Who should send files (one name a line): the report lists who has not.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def report(
    paths: tuple[Path, ...], output: Path | None, roster: Path | None, as_json: bool
) -> None:
    """Who is ready, who is not and why: FILE|DIR... of `npinit doctor --json` and
    `npinit verify --json` files (a folder: every *.json in it). Run in the project folder,
    each row is compared with the project's NumPy, Python and BLAS.

    Exit 0 when the report is made, whatever it says; 2 when no file could be read."""
    from npinit import api

    names = api.read_roster(roster) if roster is not None else []
    project = api.find_project(Path.cwd())
    target, no_target = None, None
    if project is not None:
        try:
            target = api.report_target(project)
        except InvalidInput as error:  # a broken .npinit.toml never costs the class report
            no_target = f"npinit: the report has no target: {one_line(error.message)}"
    result = api.class_report(list(paths), names, target)
    if output is not None:
        api.write_report_html(result, output)
    if no_target is not None:  # said once the report is made: a failure stays one line
        click.echo(no_target, err=True)
    if as_json:
        emit_json(result.to_json())
        return
    if output is not None:
        click.echo(
            f"Wrote {one_line(str(output))}: {result.count('ready')} ready, "
            f"{result.count('warnings')} with warnings, {result.count('problems')} with "
            f"problems, {len(result.unreadable)} unreadable, {len(result.missing)} missing"
        )
        return
    _table(result)


def _text(value: str) -> str:
    """Text from a participant's file, safe for the terminal: control characters escaped
    (one_line), rich markup inert."""
    from rich.markup import escape

    return escape(one_line(value))


def _table(result: ClassReport) -> None:
    """The table (at most 80 columns: long cells wrap), then each root cause once with its
    one fix, who is missing and what could not be read."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    console = Console(width=min(Console().width, 80), highlight=False)
    if result.target is not None:
        console.print(f"Project: {_text(result.target.describe())}")
    table = Table(title="Workshop readiness", box=box.SIMPLE, pad_edge=False)
    for name in ("Participant", "Status", "Platform", "NumPy", "BLAS", "Lock", "OS, sent"):
        table.add_column(name, overflow="fold")
    for person in result.participants:
        sent = person.made.replace("T", " ")[5:16] if person.made else "-"
        table.add_row(
            _text(person.label),
            f"[{COLOURS[person.status]}]{person.status}[/]",
            _text(person.platform or "-"),
            _text(person.numpy or "-"),
            _text(person.blas or "-"),
            _text(person.lock),
            _text(f"{person.os or '-'}, {sent}"),
        )
    console.print(table)
    console.print(
        f"{result.count('ready')} ready, {result.count('warnings')} with warnings, "
        f"{result.count('problems')} with problems"
    )
    for cause in result.causes():
        who = ", ".join(cause.who)
        console.print(
            f"[{COLOURS[cause.severity]}]{cause.severity}[/] {_text(cause.title)} "
            f"({len(cause.who)}: {_text(who)})\n  fix: {_text(cause.fix or '-')}"
        )
    if result.missing:
        console.print(f"not sent yet: {_text(', '.join(result.missing))}")
    for item in result.unreadable:
        console.print(f"could not read {_text(item.file)}: {_text(item.reason)}")
