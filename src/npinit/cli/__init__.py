"""npinit's command line: options -> an API call -> text or --json; errors -> exit codes.

The commands live in one module per group (``new``, ``edit``, ``record``, ``guide``,
``workshop``); this
module holds the group and :func:`main`, the one place where errors become one-line messages
and exit codes (``EXIT_CODES``). The CLI imports nothing of npinit but the API, the model and
the errors.
"""

from __future__ import annotations

import sys

import click

from npinit import __version__
from npinit.cli.common import machine, one_line
from npinit.cli.edit import init, set_, versions
from npinit.cli.guide import doctor, recommend
from npinit.cli.new import create, new
from npinit.cli.record import lock, verify
from npinit.cli.workshop import report
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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="npinit")
@click.option("--debug", is_flag=True, help="Show tracebacks of expected errors too.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Start a NumPy project on a reproducible environment: NumPy pinned, BLAS chosen."""
    ctx.obj = {"debug": debug}


for command in (new, create, init, set_, versions, lock, verify, doctor, recommend, report):
    cli.add_command(command)


def _raise_terminated(signum: int, frame: object) -> None:
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


def exit_code(error: BaseException) -> int:
    """The exit code of an error or verdict: the first row of EXIT_CODES it is an instance
    of; a signal is 128 + its number."""
    if isinstance(error, Terminated):
        return 128 + error.signum
    return next(code for kind, code in EXIT_CODES if isinstance(error, kind))


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; the one place errors become messages and exit codes."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    machine.cache_clear()  # each run reads the machine afresh (tests run many in one process)
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
        click.echo(one_line(message), err=True)
        sys.exit(exit_code(error))
    except Verdict as verdict:  # already reported by the command
        sys.exit(exit_code(verdict))
    except click.exceptions.Abort as abort:
        if isinstance(abort.__context__, EOFError):  # click keeps what it turned into Abort
            click.echo()  # end the unanswered prompt's line
            click.echo(
                "npinit: error: no answer came on standard input (it ended) (give the answers "
                "as options and add --no-input to use the defaults for the rest)",
                err=True,
            )
            sys.exit(exit_code(InvalidInput("")))
        click.echo("npinit: interrupted", err=True)
        sys.exit(exit_code(Interrupted("")))
    except KeyboardInterrupt:
        click.echo("npinit: interrupted", err=True)
        sys.exit(exit_code(Interrupted("")))
    except Terminated as stop:
        import signal

        click.echo(f"npinit: stopped by {signal.Signals(stop.signum).name}", err=True)
        sys.exit(exit_code(stop))
    except click.ClickException as error:  # a usage error: one line too, exit 2
        if debug:
            raise
        command = getattr(getattr(error, "ctx", None), "command_path", "npinit")
        click.echo(
            one_line(f"npinit: error: {error.format_message()} (see {command} --help)"), err=True
        )
        sys.exit(exit_code(InvalidInput("")))
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
        sys.exit(exit_code(Failure("")))
    sys.exit(0)
