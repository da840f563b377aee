"""``npinit doctor`` and ``npinit recommend``: the install guide, applied."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from npinit import api
from npinit.cli.common import PREFIX, PYTHON, echo, emit_json, machine
from npinit.errors import ProblemsFound


@click.command()
@PREFIX
@PYTHON
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON (schema 1).")
@click.option(
    "--label",
    metavar="NAME",
    help="With --json: a label for this report (npinit report shows it; default: file name).",
)
def doctor(prefix: Path | None, python: Path | None, as_json: bool, label: str | None) -> None:
    """Diagnose an environment: NumPy import, pins, BLAS, threads, conda/pip mixing, GPU.

    Default: the current project's environment, else the Python running npinit."""

    here = machine()
    project = api.find_project(Path.cwd())
    if prefix is None and python is None:
        envs = api.conda_envs_dirs(here.environ)
        prefix = api.project_environment(project, envs) if project else None
        if prefix is None:
            python = Path(sys.executable)
    report = api.doctor(
        prefix,
        python,
        cwd=Path.cwd(),
        env=dict(here.environ),
        gpus=api.gpus(),
        project=project,
        timeout=api.probe_timeout(here.environ, api.PROBE_TIMEOUT),
        current_platform=here.platform,
    )
    if as_json:
        emit_json(
            {**report.to_json(), "machine": api.stamp(), **({"label": label} if label else {})}
        )
    else:
        env = report.environment
        echo(
            f"Environment: {env['kind']}, Python {env['python']}, NumPy "
            f"{env['numpy'] or '-'}, BLAS {env['blas']}"
        )
        for check in report.checks:
            echo(f"  {check.status:<8} {check.message}")
            if check.fix and check.status != "ok":
                echo(f"  {'':<8} fix: {check.fix}")
    if report.problems:
        raise ProblemsFound(report.problems)


@click.command()
@click.option("--experience", type=click.Choice(api.EXPERIENCES))
@click.option("--os", "os_name", type=click.Choice(api.OSES), help="Default: this machine's.")
@click.option("--gpu/--no-gpu", default=None, help="Default: detected (nvidia-smi).")
@click.option("--prefer-pip", is_flag=True, help="You prefer pip and PyPI over conda.")
@click.option("--json", "as_json", is_flag=True, help="Print the recommendation as JSON.")
def recommend(
    experience: str | None, os_name: str | None, gpu: bool | None, prefer_pip: bool, as_json: bool
) -> None:
    """The install guide's decision: which distribution, manager and channel to use."""

    if experience is None:
        if sys.stdin.isatty() and not as_json:
            experience = click.prompt(
                "Your experience", type=click.Choice(api.EXPERIENCES), default="beginner"
            )
        else:
            experience = "beginner"
    os_name = os_name or api.os_name()
    if gpu is None:
        gpu = bool(api.gpus())
    result = api.recommend(experience, os_name, gpu=gpu, prefer_pip=prefer_pip)
    if as_json:
        emit_json(result.to_json())
        return
    echo(f"Install: {result.distribution}")
    echo(f"Manager: {result.manager.value} (channel: {result.channel})")
    for reason in result.reasons:
        echo(f"  - {reason}")
    for other in result.also:
        echo(f"  also: {other}")
    echo(f"Next: {result.next_command}")
