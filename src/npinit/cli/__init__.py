"""npinit's command line: options -> an API call -> text or --json; errors -> exit codes.

The commands live in one module per group (``new``, ``edit``, ``record``, ``guide``,
``workshop``), loaded only when run (``COMMANDS``: a new command is one line there); this
module holds the group and :func:`main`, the one place where errors become one-line messages
and exit codes (``EXIT_CODES``). The CLI imports nothing of npinit but the API, the model and
the errors.
"""

from __future__ import annotations

import importlib
import sys

import click

from npinit import __version__
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


# Every command, loaded only when it runs (or completes): its name -> ("module:attribute",
# the first paragraph of its help, which `npinit --help` shortens as click does). Start-up
# pays for click alone; a test holds each text to the command's own help. After changing this
# file, run `python tools/update_fast_help.py`: `npinit --help` prints what it rendered
# without loading click, only while this file is unchanged (else click prints it; a test fails).
COMMANDS: dict[str, tuple[str, str]] = {
    "new": (
        "npinit.cli.new:new",
        "Write a new project NAME with its environment file, package, tests and README.",
    ),
    "create": (
        "npinit.cli.new:create",
        "Install exactly the project's lock for this platform (locking first if there is none), "
        "check it against the lock, run its tests.",
    ),
    "init": (
        "npinit.cli.edit:init",
        "Bring an existing project under npinit: pin NumPy in its environment file (changing only"
        " the numpy and BLAS lines), add .npinit.toml and the environment check.",
    ),
    "set": (
        "npinit.cli.edit:set_",
        "Change NumPy, the BLAS or Python in a project's files (or one file), keeping every "
        "comment and the layout.",
    ),
    "versions": (
        "npinit.cli.edit:versions",
        "Which NumPy releases fit which Python (from the embedded table).",
    ),
    "lock": (
        "npinit.cli.record:lock",
        "Lock a project for every platform, installing nothing, keeping every locked version "
        "its files still allow; or record an installed environment (--prefix, --python, "
        "--from-env).",
    ),
    "diff": (
        "npinit.cli.record:diff",
        "What changed between two locks, per platform (lock files or git revisions).",
    ),
    "verify": (
        "npinit.cli.record:verify",
        "Tell whether an environment drifted from its lock (exit 4 when it did).",
    ),
    "doctor": (
        "npinit.cli.guide:doctor",
        "Diagnose an environment: NumPy import, pins, BLAS, threads, conda/pip mixing, GPU.",
    ),
    "recommend": (
        "npinit.cli.guide:recommend",
        "The install guide's decision: which distribution, manager and channel to use.",
    ),
    "bundle": (
        "npinit.cli.bundle:bundle",
        "Download every locked file of every platform (checked against npinit.lock as it "
        "arrives) into OUTPUT (default: ../<project>-bundle), laid out for offline installs "
        "with npinit create --bundle or the managers' own tools; a second run downloads only "
        "what is missing.",
    ),
    "report": (
        "npinit.cli.workshop:report",
        "Who is ready, who is not and why: FILE|DIR... of `npinit doctor --json` and `npinit "
        "verify --json` files (a folder: every *.json in it).",
    ),
}


class LazyGroup(click.Group):
    """A group whose commands are imported from ``COMMANDS`` when first asked for by name."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, _, attribute = COMMANDS[cmd_name][0].partition(":")
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The commands' lines from the table: ``--help`` imports none of them."""
        with formatter.section("Commands"):
            names = self.list_commands(ctx)
            limit = formatter.width - 6 - max(len(name) for name in names)
            formatter.write_dl([(name, _short_help(name, limit)) for name in names])


def _short_help(name: str, limit: int) -> str:
    """The command's line in ``npinit --help``, shortened by click's own rule."""
    return click.Command(name, help=COMMANDS[name][1]).get_short_help_str(limit)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="npinit")
@click.option("--debug", is_flag=True, help="Show tracebacks of expected errors too.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Start a NumPy project on a reproducible environment: NumPy pinned, BLAS chosen."""
    ctx.obj = {"debug": debug}


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


def _one_line(text: str) -> str:
    from npinit.cli.common import one_line

    return one_line(text)


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
    common = sys.modules.get("npinit.cli.common")  # loaded by an earlier run in this process
    if common is not None:
        common.machine.cache_clear()  # each run reads the machine afresh (tests run many)
    if argv is None:
        _install_signal_handlers()
    try:
        cli.main(args=args, prog_name="npinit", standalone_mode=False)
    except SystemExit:
        raise
    except (NpinitError, click.ClickException, OSError):
        if debug:  # --debug: the traceback of an expected error too
            raise
        sys.exit(_report(sys.exc_info()[1]))
    except (Verdict, click.exceptions.Abort, click.exceptions.Exit, KeyboardInterrupt, Terminated):
        sys.exit(_report(sys.exc_info()[1]))
    sys.exit(0)


def _report(error: BaseException | None) -> int:
    """Say in one line on stderr what stopped the command (a verdict was already reported by
    the command itself); return its exit code."""
    if isinstance(error, NpinitError):
        message = f"npinit: error: {error.message}"
        if error.hint:
            message += f" ({error.hint})"
        click.echo(_one_line(message), err=True)
        return exit_code(error)
    if isinstance(error, Verdict):
        return exit_code(error)
    if isinstance(error, click.exceptions.Abort) and isinstance(error.__context__, EOFError):
        click.echo()  # end the unanswered prompt's line (click keeps what it turned into Abort)
        click.echo(
            "npinit: error: no answer came on standard input (it ended) (give the answers "
            "as options and add --no-input to use the defaults for the rest)",
            err=True,
        )
        return exit_code(InvalidInput(""))
    if isinstance(error, (click.exceptions.Abort, KeyboardInterrupt)):
        click.echo("npinit: interrupted", err=True)
        return exit_code(Interrupted(""))
    if isinstance(error, Terminated):
        import signal

        click.echo(f"npinit: stopped by {signal.Signals(error.signum).name}", err=True)
        return exit_code(error)
    if isinstance(error, click.exceptions.Exit):
        return error.exit_code
    if isinstance(error, click.ClickException):  # a usage error: one line too, exit 2
        command = getattr(getattr(error, "ctx", None), "command_path", "npinit")
        message = f"npinit: error: {error.format_message()} (see {command} --help)"
        click.echo(_one_line(message), err=True)
        return exit_code(InvalidInput(""))
    assert isinstance(error, OSError)  # the file system refused: a full disk, a read-only place
    where = _one_line(f": {error.filename}") if error.filename else ""
    click.echo(
        f"npinit: error: {error.strerror or error}{where} (free some space or "
        "choose a writable place; nothing half-written was left)",
        err=True,
    )
    return exit_code(Failure(""))
