"""The entry point (``npinit`` and ``python -m npinit``): Ctrl-C during start-up is exit 130
too, not a traceback."""

from __future__ import annotations

import sys

# a command's cyclic garbage collector runs after this many new objects, not 700: the
# default makes it walk everything a command has just imported a dozen times and more (3 to
# 4% of lock --from-env, create and lock, measured), to find little; a command is short
GC_THRESHOLD = 100_000


def run() -> None:
    import gc

    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])
    if len(sys.argv) == 2 and sys.argv[1] in ("--help", "-h", "--version"):
        text = _prerendered(sys.argv[1])
        if text is not None and _written(text):
            return
    import atexit

    status: list[int] = []
    atexit.register(_leave, status)  # the first registered is the last run
    try:
        from npinit.cli import main
    except KeyboardInterrupt:
        sys.stderr.write("npinit: interrupted\n")
        sys.exit(130)
    try:
        main()
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        status.append(code)
        if "rattler" not in sys.modules:
            raise
        # py-rattler 0.28's runtime threads can crash the interpreter while it tears itself
        # down after a solve (about one exit in fifteen, measured): everything is written
        # and flushed by now, so leave without the teardown
        import os

        if stop.code is not None and not isinstance(stop.code, int):
            sys.stderr.write(f"{stop.code}\n")
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _leave(status: list[int]) -> None:
    """The command's exit status, given without the interpreter's teardown (freeing every
    module and object the command loaded: 14 ms of a 250 ms ``create`` here, measured). It
    runs after every other atexit handler, once Python joined the threads: the command has
    written and closed its files, and standard output and error are flushed here. A command
    that did not end with its status, an error that Python reported after it (its status is
    1), or a flush that fails (a closed pipe): the exit is Python's, as it was."""
    if not status or hasattr(sys, "last_value") or hasattr(sys, "last_exc"):
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    import os

    os._exit(status[-1])


def _prerendered(option: str) -> str | None:
    """``npinit --help``/``-h``/``--version`` as click prints them, without loading click:
    the texts ``tools/update_fast_help.py`` rendered with click into ``npinit.fast_help``,
    used only while they are still click's (the same ``cli/group.py`` bytes, npinit
    version and click version) and, for the help, at the width click would choose (80
    columns or more: click wraps at 78). None: click prints it."""
    import os
    from importlib.machinery import PathFinder
    from zlib import crc32

    from npinit import __version__, fast_help

    here = os.path.dirname(os.path.abspath(fast_help.__file__))
    try:
        with open(os.path.join(here, "cli", "group.py"), "rb") as source:
            same = crc32(source.read()) == fast_help.CLI_CRC32
    except OSError:
        return None
    click = PathFinder.find_spec("click")
    if not same or __version__ != fast_help.NPINIT_VERSION or click is None or not click.origin:
        return None
    site = os.path.dirname(os.path.dirname(click.origin))
    if not os.path.isdir(os.path.join(site, f"click-{fast_help.CLICK_VERSION}.dist-info")):
        return None
    if option == "--version":
        return fast_help.VERSION
    return fast_help.HELP if _columns() >= 80 else None


def _columns() -> int:
    """The terminal's columns as ``shutil.get_terminal_size`` (which click asks) gives them:
    ``COLUMNS`` when a positive number, else the terminal's, else 80."""
    import os

    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns > 0:
        return columns
    try:
        columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        columns = 0
    return columns or 80


def _written(text: str) -> bool:
    """Write ``text`` to standard output; False when it cannot be (click then tries, and
    reports the error as npinit reports every error)."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except (OSError, UnicodeError, AttributeError):
        return False
    return True


if __name__ == "__main__":
    run()
