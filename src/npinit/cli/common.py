"""What the CLI's click commands share: option lists taken from the model's enums and the
options several commands take; what needs no click (the machine, the output helpers) is
:mod:`npinit.cli.shared`, named here too."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from npinit.cli.shared import (
    absolute,
    arguments,
    echo,
    emit_json,
    export_destination,
    machine,
    one_line,
    terminal_text,
    warn,
    with_progress,
)
from npinit.model import Manager
from npinit.model_spec import Channel

__all__ = [
    "CHANNELS",
    "LOCK_FORMATS",
    "MANAGERS",
    "PREFIX",
    "PYTHON",
    "absolute",
    "arguments",
    "create_options",
    "echo",
    "emit_json",
    "export_destination",
    "machine",
    "one_line",
    "terminal_text",
    "warn",
    "with_progress",
]

F = TypeVar("F", bound=Callable[..., Any])

MANAGERS = tuple(m.value for m in Manager)
CHANNELS = tuple(c.value for c in Channel if c is not Channel.PYPI)
LOCK_FORMATS = ("npinit", "pylock", "requirements", "conda-explicit", "conda-lock")


def create_options(func: F) -> F:
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


PREFIX = click.option(
    "--prefix", type=click.Path(path_type=Path), help="A conda prefix or a venv directory."
)
PYTHON = click.option(
    "--python", "python", type=click.Path(path_type=Path), help="Any Python interpreter."
)
