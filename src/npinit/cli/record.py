"""``npinit lock`` and ``npinit verify``: record an environment, tell when it drifted."""

from __future__ import annotations

from pathlib import Path

import click

from npinit.cli.common import LOCK_FORMATS, PREFIX, PYTHON, emit_json, machine, warn
from npinit.errors import Drifted


@click.command()
@PREFIX
@PYTHON
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write (default: the project's npinit.lock, or the format's name).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(LOCK_FORMATS),
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

    here = machine()
    target = api.resolve_target(prefix, python, None, Path.cwd(), api.conda_envs_dirs(here.environ))
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
        probe_timeout=api.probe_timeout(here.environ, api.PROBE_TIMEOUT),
        current_platform=here.platform,
    )
    warn(result.warnings)
    if as_json:
        emit_json(result.to_json())
        return
    snap = result.snapshot
    click.echo(
        f"Locked {len(snap.packages)} packages ({snap.kind}, Python {snap.python}, "
        f"{snap.platform}) to {result.path}"
    )
    click.echo(f"  BLAS: {snap.blas.variant} ({snap.blas.evidence})")


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
        emit_json({**result.to_json(), **({"label": label} if label else {})})
    elif result.clean:
        click.echo(f"No drift: the environment matches {result.lock}")
    else:
        click.echo(f"Drift from {result.lock}:")
        for change in result.drift.changes:
            click.echo(f"  {change.describe()}")
    if not result.clean:
        raise Drifted(result.lock)
