"""npinit's click group: every command, imported only when it runs (``COMMANDS``), and the
group's own options. ``npinit --help`` is rendered from this module ahead of time
(``npinit.fast_help``, by ``tools/update_fast_help.py``) and printed without click while this
file is unchanged."""

from __future__ import annotations

import importlib

import click

from npinit import __version__

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
