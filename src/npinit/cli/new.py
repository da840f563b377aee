"""``npinit new`` and ``npinit create``: write a project, build its environment."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from npinit.cli.ask import Answers
from npinit.cli.common import (
    CHANNELS,
    MANAGERS,
    arguments,
    create_options,
    echo,
    emit_json,
    machine,
    warn,
)
from npinit.cli.create_run import build, finish, run
from npinit.errors import InvalidInput, NotConfirmed

if TYPE_CHECKING:
    from npinit.api import NewResult
    from npinit.model_spec import ProjectSpec


@dataclass(frozen=True, kw_only=True)
class NewArgs(Answers):
    """``npinit new``'s options: the answers (asked for when not given), and how to write."""

    description: str
    author: str
    output_dir: Path
    no_input: bool
    force: bool
    as_json: bool
    yes: bool
    template: str | None
    trust: bool
    no_solve: bool
    build: bool
    channel_alias: str | None
    no_uv: bool
    no_check: bool


@click.command(
    epilog="""\b
Examples:
  npinit new demo --manager conda --blas mkl
  npinit new demo --manager pip --python 3.12
  npinit new workshop --manager pixi --platform all --yes"""
)
@click.argument("name", required=False)
@click.option("--manager", type=click.Choice(MANAGERS), help="Package manager (default: conda).")
@click.option("--python", "python", metavar="3.X", help="Python version.")
@click.option("--numpy", "numpy", metavar="latest|X.Y|X.Y.Z", help="NumPy release to pin.")
@click.option(
    "--blas",
    metavar="VARIANT[,PLATFORM=VARIANT]...",
    help="BLAS: default, openblas, mkl, blis, netlib or accelerate; "
    "PLATFORM=VARIANT for one platform (e.g. mkl,osx-arm64=accelerate).",
)
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
@click.option(
    "--ci",
    type=click.Choice(("github", "gitlab", "none")),
    help="CI workflow that proves the lock on every platform (default: github).",
)
@click.option("--no-input", is_flag=True, help="Ask nothing: defaults for what is not given.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for a confirmation before writing.")
@click.option("--force", is_flag=True, help="Write into an existing non-empty directory.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@click.option(
    "--template",
    metavar="PATH|URL",
    help="Another cookiecutter template (its hooks run only with --trust).",
)
@click.option("--trust", is_flag=True, help="Run the --template's hooks.")
@click.option(
    "--no-solve",
    is_flag=True,
    help="With --with: keep the table's Python and NumPy (offline); no resolver.",
)
@click.option(
    "--create",
    "build",
    is_flag=True,
    help="Also build the environment, record its lock and run its tests.",
)
@create_options
@arguments(NewArgs)
def new(args: NewArgs) -> None:
    """Write a new project NAME with its environment file, package, tests and README."""
    from npinit import api

    api.check_template_create(args.template, args.trust, args.build)
    if not args.no_input:
        args = _asked(args)
    spec = _resolved(args)
    if args.with_packages and args.python is None and not args.no_solve:
        spec = _solved(spec, args)
    if not args.no_input and not args.yes and not args.as_json:
        _summary(spec, args.output_dir)
        from npinit.cli.ask import confirm

        if not confirm("Write it?"):
            raise NotConfirmed("not confirmed: nothing was written", "")
    result = api.new_project(
        spec,
        args.output_dir,
        force=args.force,
        cache_dir=api.cache_dir(machine().environ) / "templates",
        template=args.template,
        trust=args.trust,
    )
    if not args.as_json:
        _print_new(result, show_next=not args.build)
    if args.build:
        created = build(result.project, args.as_json, args.channel_alias, args.no_uv, args.no_check)
        if args.as_json:
            emit_json({**result.to_json(), "environment": created.to_json()})
        finish(created, args.as_json)
        if not args.as_json:
            _next_lines(result, built=True, activate=created.activate)
    elif args.as_json:
        emit_json(result.to_json())


def _asked(args: NewArgs) -> NewArgs:
    """The answers not given as options, asked for (new's questions)."""
    from npinit.cli.ask import questions

    answers = questions(args, args.output_dir, args.force)
    return replace(args, **{f.name: getattr(answers, f.name) for f in fields(Answers)})


def _resolved(args: NewArgs) -> ProjectSpec:
    """The answers validated into a project's spec (npinit's defaults for what is missing)."""
    from npinit import api

    if not args.name:
        raise InvalidInput("the project name is missing", "give one: npinit new my-project")
    return api.resolve_project(
        args.name,
        manager=args.manager or api.default_manager().value,
        python=args.python,
        numpy=args.numpy or "latest",
        blas=args.blas or "default",
        channel=args.channel,
        platforms=args.platforms,
        with_packages=args.with_packages,
        threads=args.threads,
        description=args.description,
        author=args.author,
        current_platform=machine().platform,
        ci=args.ci or "github",
    )


def _solved(spec: ProjectSpec, args: NewArgs) -> ProjectSpec:
    """``--with`` packages may hold the Python back: the newest Python some NumPy release
    supports (every one is tried, newest first), and the newest NumPy for it, for which the
    whole file resolves on every platform (uv, py-rattler); one line says which package
    held it back."""
    import tempfile

    from npinit import api

    with tempfile.TemporaryDirectory(prefix="npinit-new-") as work:
        made = api.new_project(spec, Path(work))
        manifest = made.project / (made.plan["manifest"]["file"] or "")
        pins = api.solve_for_project(
            manifest,
            spec.manager,
            pythons=api.pythons_to_try(),
            numpy=args.numpy or "latest",
            platforms=list(spec.platforms),
            with_packages=list(spec.with_packages),
            environ=machine().environ,
            channel_alias=args.channel_alias,
        )
    if not args.as_json:
        warn(list(pins.notes))
    if (pins.python, pins.numpy) == (spec.python, spec.numpy):
        return spec
    return _resolved(replace(args, python=pins.python, numpy=pins.numpy))


def _print_new(result: NewResult, show_next: bool = True) -> None:
    data = result.to_json()
    echo(
        f"Created {result.project} ({data['manager']}): Python {data['python']}, "
        f"NumPy {data['numpy']}, BLAS {data['blas']}"
    )
    if data["spec_file"]:
        echo(f"  {data['spec_file']}: " + ", ".join(data["spec_lines"]))
    else:
        echo("  the template wrote no environment file of npinit's")
    for platform, variant in data["blas_by_platform"].items():
        echo(f"  {platform}: {variant}")
    for warning in result.warnings:
        echo(f"  note: {warning}")
    if show_next:
        _next_lines(result)


def _next_lines(result: NewResult, built: bool = False, activate: str = "") -> None:
    """The real next commands for this manager."""
    import os

    from npinit import api

    env_dir, usual = api.activation(result.spec.manager, machine().windows)
    activate = activate or usual  # what the tool that built it really allows
    where = os.path.relpath(result.project)
    where = where if not where.startswith("..") else str(result.project)
    if built:
        echo(f"Next: cd {where} && {activate}")
        echo("  later, `npinit verify` tells whether the environment drifted from its lock")
        return
    echo(f"Next: cd {where} && npinit create")
    echo(f"  then activate it: {activate} (the environment is {env_dir})")
    echo(f"  {result.project / 'README.md'} has the commands without npinit too")


def _summary(spec: ProjectSpec, output_dir: Path) -> None:
    """What will be written, and where, before the confirmation."""
    from npinit import api

    plan = api.describe(spec)
    echo(f"npinit will write {output_dir / spec.name}/ ({plan['manager']}):")
    echo(f"  {plan['manifest']['file']}: " + ", ".join(plan["manifest"]["spec_lines"]))
    echo(f"  src/{spec.package_name}/, tests/test_environment.py, README.md, .npinit.toml")
    for platform, choice in plan["blas_by_platform"].items():
        echo(f"  BLAS on {platform}: {choice['variant']}")


@click.command()
@click.argument("project", required=False, type=click.Path(file_okay=False, path_type=Path))
@create_options
@click.option(
    "--update",
    is_flag=True,
    help="Lock every platform again first (keeping every locked version the files allow).",
)
@click.option(
    "--bundle",
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help="Install offline from the folder npinit bundle made (no index, no channel).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def create(
    project: Path | None,
    channel_alias: str | None,
    no_uv: bool,
    no_check: bool,
    update: bool,
    bundle: Path | None,
    as_json: bool,
) -> None:
    """Install exactly the project's lock for this platform (locking first if there is
    none), check it against the lock, run its tests.

    With --bundle DIR: from that offline bundle only (no index, no channel)."""
    run(project, channel_alias, no_uv, no_check, update, bundle, as_json)
