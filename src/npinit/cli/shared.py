"""What the CLI's commands share that needs no click: the machine as read once at this
boundary, and output helpers. The commands npinit runs without click (``npinit.cli.fast``)
print through these too, so both ways write the same bytes: :func:`write` is ``click.echo``
itself once click is loaded, and its plain equivalent before."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from functools import lru_cache, wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from npinit.model import Machine

T = TypeVar("T")
A = TypeVar("A")


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
    write(text)


def echo(text: str = "", *, err: bool = False, nl: bool = True) -> None:
    """``click.echo`` for every line that may carry what a file says (a diff, a package name,
    a path): control characters are shown escaped, line by line (:func:`terminal_text`)."""
    write(terminal_text(text), err=err, nl=nl)


def write(text: str = "", *, err: bool = False, nl: bool = True) -> None:
    """``click.echo(text, err=err, nl=nl)``, without loading click where it would write the
    same: a UTF-8 text stream takes the text as it is (click rewraps only an ASCII or
    encoding-less one) and nothing is an ANSI sequence click would strip from a pipe."""
    stream = sys.stderr if err else sys.stdout
    if stream is None:  # click writes nothing either
        return
    if "click" in sys.modules or "\x1b" in text or not plain_stream(stream):
        import click

        click.echo(text, err=err, nl=nl)
        return
    stream.write(text + "\n" if nl else text)
    stream.flush()


def plain_stream(stream: Any) -> bool:
    """Whether click writes to ``stream`` unchanged: a text stream (no binary one, no pager)
    whose encoding is UTF-8 (click rewraps an ASCII one, and a stream of no encoding)."""
    import codecs

    encoding = getattr(stream, "encoding", None)
    if not isinstance(encoding, str) or hasattr(stream, "color"):
        return False
    try:
        return codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


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
