"""npinit's command line: options -> api call -> text or --json; errors -> exit codes.

Exit codes: 0 ok, 1 failure, 2 invalid input or unsupported combination, 3 a required
tool is missing, 4 verify found drift, 130 interrupted. Expected errors print one line.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from npinit import __version__
from npinit.errors import EXIT_DRIFT, EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_INVALID, NpinitError

MANAGERS = ("conda", "pip", "poetry", "uv", "pixi")
BLAS_CHOICES = ("default", "openblas", "mkl", "blis", "netlib", "accelerate")
CHANNELS = ("conda-forge", "defaults")


def _cache_dir() -> Path:
    """npinit's cache folder (XDG_CACHE_HOME, else ~/.cache), read here for the core."""
    import os

    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "npinit"


def _absolute(path: Path) -> Path:
    """``path`` made absolute without resolving links (a symlink loop must reach the
    command's own check, not crash ``Path.resolve``)."""
    import os

    return Path(os.path.abspath(path))


def _emit_json(data: Any) -> None:
    import json

    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _create_options(func: Any) -> Any:
    func = click.option(
        "--no-check",
        is_flag=True,
        help="Skip running tests/test_environment.py in the new environment.",
    )(func)
    func = click.option(
        "--no-uv", is_flag=True, help="pip projects: use venv + pip even when uv is installed."
    )(func)
    return click.option(
        "--channel-alias",
        metavar="URL",
        help="conda channel alias for the embedded engine (default https://conda.anaconda.org).",
    )(func)


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
@click.option("--no-input", is_flag=True, help="Ask nothing: defaults for what is not given.")
@click.option("--force", is_flag=True, help="Write into an existing non-empty directory.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@click.option(
    "--template",
    metavar="PATH|URL",
    help="Another cookiecutter template (its hooks run only with --trust).",
)
@click.option("--trust", is_flag=True, help="Run the --template's hooks.")
@click.option(
    "--create",
    "build",
    is_flag=True,
    help="Also build the environment, record its lock and run its tests.",
)
@_create_options
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
    template: str | None,
    trust: bool,
    build: bool,
    channel_alias: str | None,
    no_uv: bool,
    no_check: bool,
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
        from npinit.errors import InvalidInput

        raise InvalidInput("the project name is missing", "give one: npinit new my-project")
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
    result = api.new_project(
        spec,
        output_dir,
        force=force,
        cache_dir=_cache_dir() / "templates",
        template=template,
        trust=trust,
    )
    if not as_json:
        _print_new(result)
    if build:
        created = _create(result.project, as_json, channel_alias, no_uv, no_check)
        if as_json:
            _emit_json({**result.to_json(), "environment": created.to_json()})
        _finish_create(created, as_json)
    elif as_json:
        _emit_json(result.to_json())


def _print_new(result: Any) -> None:
    data = result.to_json()
    click.echo(
        f"Created {result.project} ({data['manager']}): Python {data['python']}, "
        f"NumPy {data['numpy']}, BLAS {data['blas']}"
    )
    if data["spec_file"]:
        click.echo(f"  {data['spec_file']}: " + ", ".join(data["spec_lines"]))
    else:
        click.echo("  the template wrote no environment file of npinit's")
    for platform, variant in data["blas_by_platform"].items():
        click.echo(f"  {platform}: {variant}")
    for warning in result.warnings:
        click.echo(f"  note: {warning}")
    click.echo(f"Next: see {result.project / 'README.md'} for the set-up commands.")


def _create(
    project: Path, quiet: bool, channel_alias: str | None, no_uv: bool, no_check: bool
) -> Any:
    """Build a project's environment, with progress on a terminal."""
    import os

    from npinit import api

    environ = dict(os.environ)
    if quiet or not sys.stderr.isatty():
        return api.create_environment(
            project,
            environ=environ,
            channel_alias=channel_alias,
            use_uv=not no_uv,
            check=not no_check,
        )
    from rich.console import Console

    with Console(stderr=True).status("Creating the environment") as status:
        return api.create_environment(
            project,
            environ=environ,
            channel_alias=channel_alias,
            use_uv=not no_uv,
            check=not no_check,
            progress=lambda message: status.update(message),
        )


def _finish_create(created: Any, as_json: bool) -> None:
    _warn(created.warnings)
    if not as_json:
        click.echo(f"Environment: {created.prefix} (built with {created.tool})")
        click.echo(f"  activate: {created.activate}")
        click.echo(f"  NumPy {created.numpy or '-'}, BLAS {created.blas}")
        click.echo(f"  lock: {created.lock}")
        state = {True: "passed", False: "FAILED", None: "not run"}[created.tests_passed]
        click.echo(f"  tests/test_environment.py {state}: {created.tests_summary}")
    if created.tests_passed is False:
        click.echo(
            f"npinit: error: the new environment failed its own check ({created.tests_summary})",
            err=True,
        )
        sys.exit(1)


@cli.command()
@click.argument("project", required=False, type=click.Path(file_okay=False, path_type=Path))
@_create_options
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def create(
    project: Path | None, channel_alias: str | None, no_uv: bool, no_check: bool, as_json: bool
) -> None:
    """Build an existing project's environment, record its lock, run its tests."""
    from npinit.record.target import find_project

    found = find_project(_absolute(project or Path.cwd()))
    if found is None:
        from npinit.errors import InvalidInput

        raise InvalidInput(
            "no npinit project here (no .npinit.toml)",
            "cd into a project made with npinit new, or give its path",
        )
    created = _create(found, as_json, channel_alias, no_uv, no_check)
    if as_json:
        _emit_json(created.to_json())
    _finish_create(created, as_json)


@cli.command(name="set")
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
    from npinit.editing.project import apply, plan_set
    from npinit.spec import detect_platform

    target = _absolute(path or Path.cwd())
    result = plan_set(
        target,
        numpy=numpy,
        python=python,
        blas=blas,
        channel=channel,
        current_platform=detect_platform(),
    )
    if dry_run:
        if as_json:
            _emit_json(
                {**result.to_json(), "diff": "".join(e.diff(result.root) for e in result.edits)}
            )
        else:
            click.echo("".join(e.diff(result.root) for e in result.edits), nl=False)
        return
    written = apply(result)
    _warn(result.warnings if written else [])
    if as_json:
        _emit_json({**result.to_json(), "written": [str(p) for p in written]})
        return
    for edit in result.edits:
        state = "changed" if edit.changed else "unchanged"
        click.echo(f"{state:<10} {edit.path}")


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


def _envs_dirs() -> list[Path]:
    """Where conda environments live on this machine (read here, passed to the core)."""
    import os

    dirs = [Path(p) for p in os.environ.get("CONDA_ENVS_PATH", "").split(os.pathsep) if p]
    if os.environ.get("CONDA_PREFIX"):
        dirs.append(Path(os.environ["CONDA_PREFIX"]) / "envs")
    home = Path.home()
    for base in ("miniforge3", "miniconda3", "anaconda3", "mambaforge", ".conda"):
        dirs.append(home / base / "envs")
    return dirs


def _probe_timeout() -> float:
    """Seconds an environment's interpreter gets to answer doctor and ``lock --probe``:
    NPINIT_PROBE_TIMEOUT, else 30 (read here, passed to the core)."""
    import os

    from npinit.api import PROBE_TIMEOUT
    from npinit.errors import InvalidInput

    raw = os.environ.get("NPINIT_PROBE_TIMEOUT", "").strip()
    if not raw:
        return PROBE_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value > 0 or value == float("inf"):
        raise InvalidInput(
            f"NPINIT_PROBE_TIMEOUT={raw!r} is not a number of seconds", "set it to e.g. 30"
        )
    return value


def _warn(warnings: Any) -> None:
    for warning in warnings:
        click.echo(f"npinit: warning: {warning}", err=True)


_PREFIX = click.option(
    "--prefix", type=click.Path(path_type=Path), help="A conda prefix or a venv directory."
)
_PYTHON = click.option(
    "--python", "python", type=click.Path(path_type=Path), help="Any Python interpreter."
)


@cli.command()
@_PREFIX
@_PYTHON
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write (default: the project's npinit.lock, or the format's name).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["npinit", "pylock", "requirements", "conda-explicit"]),
    default="npinit",
    show_default=True,
)
@click.option("--probe", is_flag=True, help="Also ask the environment's interpreter at run time.")
@click.option("--online", is_flag=True, help="Ask the package index for wheel URLs and hashes.")
@click.option("--index-url", default=None, help="Simple index for --online (default PyPI).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def lock(
    prefix: Path | None,
    python: Path | None,
    output: Path | None,
    fmt: str,
    probe: bool,
    online: bool,
    index_url: str | None,
    as_json: bool,
) -> None:
    """Record an installed environment: packages, interpreter, platform and BLAS."""
    from npinit import api
    from npinit.record.target import resolve

    target = resolve(prefix, python, None, Path.cwd(), _envs_dirs())
    path = output or target.lock.with_name(api.DEFAULT_LOCK_NAMES[fmt])
    if fmt == "pylock" and not online:
        online = True  # pylock.toml requires every wheel's URL and hash: say it goes online
        click.echo(
            "npinit: asking the package index for wheel URLs and hashes "
            "(pylock.toml requires them)",
            err=True,
        )
    result = api.lock_environment(
        target.prefix,
        target.python,
        path,
        fmt=fmt,
        probe=probe,
        online=online,
        index=index_url,
        probe_timeout=_probe_timeout(),
    )
    _warn(result.warnings)
    if as_json:
        _emit_json(result.to_json())
        return
    snap = result.snapshot
    click.echo(
        f"Locked {len(snap.packages)} packages ({snap.kind}, Python {snap.python}, "
        f"{snap.platform}) to {result.path}"
    )
    click.echo(f"  BLAS: {snap.blas.variant} ({snap.blas.evidence})")


@cli.command()
@_PREFIX
@_PYTHON
@click.option(
    "--lock",
    "lock_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The lock to compare with (default: the project's npinit.lock).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def verify(prefix: Path | None, python: Path | None, lock_path: Path | None, as_json: bool) -> None:
    """Tell whether an environment drifted from its lock (exit 4 when it did)."""
    from npinit import api
    from npinit.record.target import resolve

    target = resolve(prefix, python, lock_path, Path.cwd(), _envs_dirs())
    result = api.verify_environment(target.prefix, target.python, target.lock)
    if as_json:
        _emit_json(result.to_json())
    elif result.clean:
        click.echo(f"No drift: the environment matches {result.lock}")
    else:
        click.echo(f"Drift from {result.lock}:")
        for change in result.drift.changes:
            click.echo(f"  {change.describe()}")
    if not result.clean:
        sys.exit(EXIT_DRIFT)


@cli.command()
@_PREFIX
@_PYTHON
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON (schema 1).")
def doctor(prefix: Path | None, python: Path | None, as_json: bool) -> None:
    """Diagnose an environment: NumPy import, pins, BLAS, threads, conda/pip mixing, GPU.

    Default: the current project's environment, else the Python running npinit."""
    import os

    from npinit import api
    from npinit.recommend import detect_gpu
    from npinit.record.target import find_project, project_environment

    project = find_project(Path.cwd())
    if prefix is None and python is None:
        prefix = project_environment(project, _envs_dirs()) if project else None
        if prefix is None:
            python = Path(sys.executable)
    report = api.doctor(
        prefix,
        python,
        cwd=Path.cwd(),
        env=dict(os.environ),
        gpus=detect_gpu(),
        project=project,
        timeout=_probe_timeout(),
    )
    if as_json:
        _emit_json(report.to_json())
    else:
        env = report.environment
        click.echo(
            f"Environment: {env['kind']}, Python {env['python']}, NumPy "
            f"{env['numpy'] or '-'}, BLAS {env['blas']}"
        )
        for check in report.checks:
            click.echo(f"  {check.status:<8} {check.message}")
            if check.fix and check.status != "ok":
                click.echo(f"  {'':<8} fix: {check.fix}")
    if report.problems:
        sys.exit(1)


@cli.command()
@click.option("--experience", type=click.Choice(["beginner", "advanced"]))
@click.option(
    "--os",
    "os_name",
    type=click.Choice(["windows", "macos", "linux"]),
    help="Default: this machine's.",
)
@click.option("--gpu/--no-gpu", default=None, help="Default: detected (nvidia-smi).")
@click.option("--prefer-pip", is_flag=True, help="You prefer pip and PyPI over conda.")
@click.option("--json", "as_json", is_flag=True, help="Print the recommendation as JSON.")
def recommend(
    experience: str | None, os_name: str | None, gpu: bool | None, prefer_pip: bool, as_json: bool
) -> None:
    """The install guide's decision: which distribution, manager and channel to use."""
    import platform

    from npinit import recommend as guide

    if experience is None:
        if sys.stdin.isatty() and not as_json:
            experience = click.prompt(
                "Your experience", type=click.Choice(guide.EXPERIENCES), default="beginner"
            )
        else:
            experience = "beginner"
    os_name = os_name or guide.detect_os(platform.system())
    if gpu is None:
        gpu = bool(guide.detect_gpu())
    result = guide.recommend(experience, os_name, gpu=gpu, prefer_pip=prefer_pip)
    if as_json:
        _emit_json(result.to_json())
        return
    click.echo(f"Install: {result.distribution}")
    click.echo(f"Manager: {result.manager.value} (channel: {result.channel})")
    for reason in result.reasons:
        click.echo(f"  - {reason}")
    for other in result.also:
        click.echo(f"  also: {other}")
    click.echo(f"Next: {result.next_command}")


def _one_line(text: str) -> str:
    """Echoed user input must not break the one-line error: escape what is not printable."""
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text
    )


def _raise_terminated(signum: int, frame: object) -> None:
    from npinit.errors import Terminated

    raise Terminated(signum)


def _install_signal_handlers() -> None:
    """SIGTERM and SIGHUP stop npinit the way Ctrl-C does: the running child's process group
    is stopped, the half-built environment removed, then exit 143 or 129. A signal the
    caller ignored (``nohup``) stays ignored."""
    import signal

    for name in ("SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is not None and signal.getsignal(sig) is not signal.SIG_IGN:
            signal.signal(sig, _raise_terminated)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; the one place errors become messages and exit codes."""
    from npinit.errors import Terminated

    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    if argv is None:
        _install_signal_handlers()
    try:
        cli.main(args=args, prog_name="npinit", standalone_mode=False)
    except NpinitError as error:
        if debug:
            raise
        message = f"npinit: error: {error.message}"
        if error.hint:
            message += f" ({error.hint})"
        click.echo(_one_line(message), err=True)
        sys.exit(error.exit_code)
    except click.exceptions.Abort as abort:
        if isinstance(abort.__context__, EOFError):  # click keeps what it turned into Abort
            click.echo()  # end the unanswered prompt's line
            click.echo(
                "npinit: error: no answer came on standard input (it ended) (give the answers "
                "as options and add --no-input to use the defaults for the rest)",
                err=True,
            )
            sys.exit(EXIT_INVALID)
        click.echo("npinit: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except KeyboardInterrupt:
        click.echo("npinit: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Terminated as stop:
        import signal

        click.echo(f"npinit: stopped by {signal.Signals(stop.signum).name}", err=True)
        sys.exit(stop.exit_code)
    except click.ClickException as error:  # a usage error: one line too, exit 2
        if debug:
            raise
        command = getattr(getattr(error, "ctx", None), "command_path", "npinit")
        click.echo(
            _one_line(f"npinit: error: {error.format_message()} (see {command} --help)"), err=True
        )
        sys.exit(error.exit_code if error.exit_code else EXIT_INVALID)
    except click.exceptions.Exit as stop:
        sys.exit(stop.exit_code)
    except SystemExit:
        raise
    except OSError as error:  # the file system refused: a full disk, a read-only place
        if debug:
            raise
        where = f": {error.filename}" if error.filename else ""
        click.echo(
            f"npinit: error: {error.strerror or error}{where} (free some space or "
            "choose a writable place; nothing half-written was left)",
            err=True,
        )
        sys.exit(EXIT_FAILURE)
    sys.exit(0)
