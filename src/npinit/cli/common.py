"""What the CLI's commands share: option lists taken from the model's enums, the machine as
read once at this boundary, and output helpers."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from functools import lru_cache, wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from npinit.model import Channel, Machine, Manager

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")
A = TypeVar("A")

MANAGERS = tuple(m.value for m in Manager)
CHANNELS = tuple(c.value for c in Channel if c is not Channel.PYPI)
LOCK_FORMATS = ("npinit", "pylock", "requirements", "conda-explicit", "conda-lock")


@lru_cache(maxsize=1)
def machine() -> Machine:
    """This machine, read once per run: the one place the CLI asks (see npinit.machine)."""
    from npinit import api

    return api.this_machine()


def absolute(path: Path) -> Path:
    """``path`` made absolute without resolving links (a symlink loop must reach the
    command's own check, not crash ``Path.resolve``)."""
    return Path(os.path.abspath(path))


def emit_json(data: Any) -> None:
    """``data`` as JSON, readable text kept as it is; what a terminal would act on (C1
    controls, a lone surrogate, bidi overrides) written as JSON escapes (``\\u009b``)."""
    import json

    text = json.dumps(data, indent=2, ensure_ascii=False)
    if not text.replace("\n", "").isprintable():  # only in strings: escaping them is valid
        text = "".join(c if c.isprintable() or c == "\n" else json.dumps(c)[1:-1] for c in text)
    click.echo(text)


def echo(text: str = "", *, err: bool = False, nl: bool = True) -> None:
    """``click.echo`` for every line that may carry what a file says (a diff, a package name,
    a path): control characters are shown escaped, line by line (:func:`terminal_text`)."""
    click.echo(terminal_text(text), err=err, nl=nl)


def warn(warnings: Iterable[str]) -> None:
    for warning in warnings:
        echo(f"npinit: warning: {warning}", err=True)


def arguments(kind: type[A]) -> Callable[[Callable[[A], None]], Callable[..., None]]:
    """A command's options and arguments given to it as one frozen dataclass ``kind`` (whose
    fields are the parameters' names), built here once, as pip and uv do: the command and
    its helpers pass one typed value instead of a dozen parameters."""

    def decorate(command: Callable[[A], None]) -> Callable[..., None]:
        @wraps(command)
        def call(**values: Any) -> None:
            command(kind(**values))

        return call

    return decorate


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


def export_destination(output: Path | None) -> Path | None:
    """Where an export goes: the file named, or None for standard output (no --output, or
    ``--output -``, as shells expect: ``npinit lock --format pylock > pylock.toml``)."""
    return None if output is None or str(output) == "-" else output


def one_line(text: str, keep: str = "") -> str:
    """Echoed user input must not break the one-line error, nor text from a file reach the
    terminal raw (an escape sequence retitles it, clears it, or worse): every character that
    is not printable (ESC, BEL, CR, C1 controls, bidi overrides, a lone surrogate) is written
    as its Python escape (``\\x1b``, ``\\ud800``), except those in ``keep``."""
    if text.isprintable():
        return text
    return "".join(
        c if c.isprintable() or c in keep else c.encode("unicode_escape").decode("ascii")
        for c in text
    )


def terminal_text(text: str) -> str:
    """:func:`one_line` for text of several lines (a diff): each line escaped on its own,
    tabs kept, and the line breaks (a CRLF file's too) left as they are."""
    if text.isprintable():
        return text
    lines = text.split("\n")
    return "\n".join(
        one_line(line[:-1], "\t") + "\r" if line.endswith("\r") else one_line(line, "\t")
        for line in lines
    )


def with_progress(title: str, work: Callable[[Callable[[str], None] | None], T], quiet: bool) -> T:
    """Run ``work(progress)``: on a terminal, a rich spinner titled ``title`` with each step
    also printed above it (a fast step is seen too); quiet (``--json``, a pipe) otherwise."""
    import sys

    if quiet or not sys.stderr.isatty():
        return work(None)
    from rich.console import Console
    from rich.markup import escape

    console = Console(stderr=True)
    with console.status(escape(title)) as status:

        def step(message: str) -> None:
            shown = escape(one_line(message))
            status.update(shown)
            console.print(f"[dim]- {shown}[/dim]", highlight=False)

        return work(step)
