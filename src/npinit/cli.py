"""npinit's command line: options -> api call -> text or --json; errors -> exit codes.

Exit codes: 0 ok, 1 failure, 2 invalid input or unsupported combination, 3 a required
tool is missing, 4 verify found drift, 130 interrupted. Expected errors print one line.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from npinit import __version__
from npinit.errors import EXIT_INTERRUPTED, EXIT_INVALID, NpinitError

MANAGERS = ("conda", "pip", "poetry")
BLAS_CHOICES = ("default", "openblas", "mkl", "blis", "netlib", "accelerate")
CHANNELS = ("conda-forge", "defaults")


def _emit_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="npinit")
@click.option("--debug", is_flag=True, help="Show tracebacks of expected errors too.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Start a NumPy project on a reproducible environment: NumPy pinned, BLAS chosen."""
    ctx.obj = {"debug": debug}


@cli.command()
@click.argument("name", required=False)
@click.option("--manager", type=click.Choice(MANAGERS), help="Package manager (default: conda).")
@click.option("--python", "python", metavar="3.X", help="Python version.")
@click.option("--numpy", "numpy", metavar="latest|X.Y|X.Y.Z", help="NumPy release to pin.")
@click.option("--blas", type=click.Choice(BLAS_CHOICES), help="BLAS implementation.")
@click.option("--channel", type=click.Choice(CHANNELS), help="conda channel (conda only).")
@click.option(
    "--platform",
    "platforms",
    multiple=True,
    metavar="SUBDIR",
    help="Target platform (conda subdir, or 'all'); repeat for several.",
)
@click.option("--with", "with_packages", multiple=True, metavar="PKG", help="Extra package.")
@click.option("--threads", type=int, metavar="N", help="BLAS threads to configure.")
@click.option("--description", default="A NumPy project", show_default=True)
@click.option("--author", default="")
@click.option(
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    help="Where the project directory goes.",
)
@click.option("--no-input", is_flag=True, help="Ask nothing: defaults for what is not given.")
@click.option("--force", is_flag=True, help="Write into an existing non-empty directory.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
def new(
    name: str | None,
    manager: str | None,
    python: str | None,
    numpy: str | None,
    blas: str | None,
    channel: str | None,
    platforms: tuple[str, ...],
    with_packages: tuple[str, ...],
    threads: int | None,
    description: str,
    author: str,
    output_dir: Path,
    no_input: bool,
    force: bool,
    as_json: bool,
) -> None:
    """Write a new project NAME with its environment file, package, tests and README."""
    from npinit import api
    from npinit.recommend import default_manager

    if not no_input:
        name = name or click.prompt("Project name", default="my-project")
        manager = manager or click.prompt(
            "Package manager", type=click.Choice(MANAGERS), default=default_manager().value
        )
        python = python or click.prompt("Python version", default="3.12")
        numpy = numpy or click.prompt("NumPy version (latest, X.Y or X.Y.Z)", default="latest")
        blas = blas or click.prompt("BLAS", type=click.Choice(BLAS_CHOICES), default="default")
        if manager == "conda" and channel is None:
            channel = click.prompt(
                "conda channel", type=click.Choice(CHANNELS), default="conda-forge"
            )
    if not name:
        raise click.UsageError("missing the project NAME")
    spec = api.resolve_project(
        name,
        manager=manager or default_manager().value,
        python=python,
        numpy=numpy or "latest",
        blas=blas or "default",
        channel=channel,
        platforms=platforms,
        with_packages=with_packages,
        threads=threads,
        description=description,
        author=author,
    )
    result = api.new_project(spec, output_dir, force=force)
    if as_json:
        _emit_json(result.to_json())
        return
    data = result.to_json()
    click.echo(
        f"Created {result.project} ({data['manager']}): Python {data['python']}, "
        f"NumPy {data['numpy']}, BLAS {data['blas']}"
    )
    click.echo(f"  {data['spec_file']}: " + ", ".join(data["spec_lines"]))
    for platform, variant in data["blas_by_platform"].items():
        click.echo(f"  {platform}: {variant}")
    for warning in result.warnings:
        click.echo(f"  note: {warning}")
    click.echo(f"Next: see {result.project / 'README.md'} for the set-up commands.")


@cli.command()
@click.option("--python", "python", metavar="3.X", help="Only releases with wheels for it.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def versions(python: str | None, as_json: bool) -> None:
    """Which NumPy releases fit which Python (from the embedded table)."""
    from npinit.knowledge import releases

    if python:
        releases.check_python(python)
        rows = releases.releases_for_python(python)
    else:
        rows = list(releases.all_releases())
    if as_json:
        _emit_json(
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


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; the one place errors become messages and exit codes."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    try:
        cli.main(args=args, prog_name="npinit", standalone_mode=False)
    except NpinitError as error:
        if debug:
            raise
        message = f"npinit: error: {error.message}"
        if error.hint:
            message += f" ({error.hint})"
        click.echo(message, err=True)
        sys.exit(error.exit_code)
    except click.exceptions.Abort:
        click.echo("npinit: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except KeyboardInterrupt:
        click.echo("npinit: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code if error.exit_code else EXIT_INVALID)
    except click.exceptions.Exit as stop:
        sys.exit(stop.exit_code)
    sys.exit(0)
