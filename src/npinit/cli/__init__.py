"""npinit's command line: options -> an API call -> text or --json; errors -> exit codes.

The commands live in one module per group (``new``, ``edit``, ``record``, ``guide``,
``workshop``), loaded only when run (``group.COMMANDS``: a new command is one line there);
this module holds :func:`main`, the one place where errors become one-line messages and exit
codes (``EXIT_CODES``). It loads no click: the hot commands' usual forms run without it
(:mod:`npinit.cli.fast`), everything else through the click group (:mod:`npinit.cli.group`).
The CLI imports nothing of npinit but the API, the model and the errors.
"""

from __future__ import annotations

import errno
import sys
from typing import TYPE_CHECKING, Any

from npinit.errors import (
    CheckFailed,
    Drifted,
    Failure,
    Interrupted,
    InvalidInput,
    NotConfirmed,
    NpinitError,
    ProblemsFound,
    Terminated,
    ToolMissing,
    Verdict,
)

# The one map from what happened to the exit code, most specific first (README: Exit codes).
EXIT_CODES: tuple[tuple[type[BaseException], int], ...] = (
    (InvalidInput, 2),
    (ToolMissing, 3),
    (Interrupted, 130),
    (NotConfirmed, 1),
    (Failure, 1),
    (NpinitError, 1),
    (Drifted, 4),
    (ProblemsFound, 1),
    (CheckFailed, 1),
)


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated(signum)


def _install_signal_handlers() -> None:
    """SIGTERM and SIGHUP stop npinit the way Ctrl-C does: the running child's process group
    is stopped, the half-built environment removed, then exit 143 or 129. A signal the
    caller ignored (``nohup``) stays ignored. By ``_signal``, the C module ``signal`` wraps
    (the same calls, ints for enums): ``signal`` makes an IntEnum of every signal and handler
    at import, 1.5% of a ``lock --from-env`` that may run no child (tests/unit/test_imports)."""
    if TYPE_CHECKING:  # typeshed has no stub of _signal: signal's stubs type it
        import signal as _signal
    else:
        import _signal

    for name in ("SIGTERM", "SIGHUP"):
        sig = getattr(_signal, name, None)
        if sig is not None and _signal.getsignal(sig) != _signal.SIG_IGN:
            _signal.signal(sig, _raise_terminated)


GROUP_NAMES = ("cli", "COMMANDS", "LazyGroup", "_short_help")


def __getattr__(name: str) -> Any:
    """The click group's names (:data:`GROUP_NAMES`), from :mod:`npinit.cli.group`, loaded
    when first asked for."""
    if name not in GROUP_NAMES:
        raise AttributeError(f"module 'npinit.cli' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module("npinit.cli.group"), name)


def exit_code(error: BaseException) -> int:
    """The exit code of an error or verdict: the first row of EXIT_CODES it is an instance
    of; a signal is 128 + its number."""
    if isinstance(error, Terminated):
        return 128 + error.signum
    return next(code for kind, code in EXIT_CODES if isinstance(error, kind))


def main(argv: list[str] | None = None, *, fast: bool = True) -> None:
    """Run the CLI; the one place errors become messages and exit codes. ``fast``: a form
    :mod:`npinit.cli.fast` knows runs without click (False: always through click)."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    shared = sys.modules.get("npinit.cli.shared")  # loaded by an earlier run in this process
    if shared is not None:
        shared.machine.cache_clear()  # each run reads the machine afresh (tests run many)
    if argv is None:
        _install_signal_handlers()
    try:
        _run(args, fast)
    except SystemExit:
        raise
    except BaseException as error:
        if isinstance(error, _kinds("NpinitError", "ClickException", "OSError")):
            if debug:  # --debug: the traceback of an expected error too
                raise
        elif not isinstance(
            error, _kinds("Verdict", "Abort", "Exit", "KeyboardInterrupt", "Terminated")
        ):
            raise
        sys.exit(_report(error))
    if argv is None:
        _settled()
    sys.exit(0)


def _settled() -> None:
    """The command is done, every file written: a stop signal now changes nothing, so it is
    ignored through the interpreter's teardown, where Python gives SIGINT its default action
    back (Ctrl-C just after ``set`` had changed every file killed npinit: exit 130, no
    line). By ``_signal``, as :func:`_install_signal_handlers`."""
    if TYPE_CHECKING:  # typeshed has no stub of _signal: signal's stubs type it
        import signal as _signal
    else:
        import _signal

    from npinit.faults import checkpoint

    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        sig = getattr(_signal, name, None)
        if sig is not None:
            _signal.signal(sig, _signal.SIG_IGN)
    checkpoint("command-done")


def _run(args: list[str], fast: bool) -> None:
    """The command: without click when :mod:`npinit.cli.fast` knows its form exactly."""
    from npinit.cli.fast import recognised

    command = recognised(args) if fast else None
    if command is None:
        from npinit.cli.group import cli

        cli.main(args=args, prog_name="npinit", standalone_mode=False)
        return
    try:
        command()
    except (EOFError, KeyboardInterrupt) as error:  # what click's main does with them
        from npinit.cli.shared import write

        write("", err=True)  # the blank line that closes the terminal's ^C
        import click

        raise click.exceptions.Abort() from error
    except OSError as error:
        if error.errno != errno.EPIPE:
            raise
        from click.core import _PacifyFlushWrapper  # type: ignore[attr-defined]

        sys.stdout = _PacifyFlushWrapper(sys.stdout)  # click's own answer to a closed pipe
        sys.stderr = _PacifyFlushWrapper(sys.stderr)
        sys.exit(1)


def _kinds(*names: str) -> tuple[type[BaseException], ...]:
    """The error classes of these names: npinit's and the builtins', and click's once click
    is loaded (before, no click error can have been raised)."""
    click = sys.modules.get("click")
    known = {
        "NpinitError": NpinitError,
        "OSError": OSError,
        "Verdict": Verdict,
        "KeyboardInterrupt": KeyboardInterrupt,
        "Terminated": Terminated,
    }
    if click is not None:
        known |= {
            "ClickException": click.ClickException,
            "Abort": click.exceptions.Abort,
            "Exit": click.exceptions.Exit,
        }
    return tuple(known[name] for name in names if name in known)


def _report(error: BaseException | None) -> int:
    """Say in one line on stderr what stopped the command (a verdict was already reported by
    the command itself); return its exit code."""
    from npinit.cli.shared import one_line, write

    if isinstance(error, NpinitError):
        message = f"npinit: error: {error.message}"
        if error.hint:
            message += f" ({error.hint})"
        write(one_line(message), err=True)
        return exit_code(error)
    if isinstance(error, Verdict):
        return exit_code(error)
    if isinstance(error, KeyboardInterrupt):
        write("npinit: interrupted", err=True)
        return exit_code(Interrupted(""))
    if isinstance(error, Terminated):
        import signal

        write(f"npinit: stopped by {signal.Signals(error.signum).name}", err=True)
        return exit_code(error)
    if isinstance(error, OSError):  # the file system refused: a full disk, a read-only place
        where = one_line(f": {error.filename}") if error.filename else ""
        write(
            f"npinit: error: {error.strerror or error}{where} (free some space or "
            "choose a writable place; nothing half-written was left)",
            err=True,
        )
        return exit_code(Failure(""))
    return _report_click(error)


def _report_click(error: BaseException | None) -> int:
    """:func:`_report` of what click raised: an unanswered prompt, Ctrl-C as click reports it
    (an Abort), an exit, a usage error (one line too, exit 2)."""
    import click

    from npinit.cli.shared import one_line

    if isinstance(error, click.exceptions.Abort) and isinstance(error.__context__, EOFError):
        click.echo()  # end the unanswered prompt's line (click keeps what it turned into Abort)
        click.echo(
            "npinit: error: no answer came on standard input (it ended) (give the answers "
            "as options and add --no-input to use the defaults for the rest)",
            err=True,
        )
        return exit_code(InvalidInput(""))
    if isinstance(error, click.exceptions.Abort):
        click.echo("npinit: interrupted", err=True)
        return exit_code(Interrupted(""))
    if isinstance(error, click.exceptions.Exit):
        return error.exit_code
    assert isinstance(error, click.ClickException)
    command = getattr(getattr(error, "ctx", None), "command_path", "npinit")
    message = f"npinit: error: {error.format_message()} (see {command} --help)"
    click.echo(one_line(message), err=True)
    return exit_code(InvalidInput(""))
