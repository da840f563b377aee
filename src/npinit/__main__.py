"""The entry point (``npinit`` and ``python -m npinit``): Ctrl-C during start-up is exit 130
too, not a traceback."""

from __future__ import annotations

import sys


def run() -> None:
    try:
        from npinit.cli import main
    except KeyboardInterrupt:
        sys.stderr.write("npinit: interrupted\n")
        sys.exit(130)
    try:
        main()
    except SystemExit as stop:
        if "rattler" not in sys.modules:
            raise
        # py-rattler 0.28's runtime threads can crash the interpreter while it tears itself
        # down after a solve (about one exit in fifteen, measured): everything is written
        # and flushed by now, so leave without the teardown
        import os

        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        if stop.code is not None and not isinstance(stop.code, int):
            sys.stderr.write(f"{stop.code}\n")
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


if __name__ == "__main__":
    run()
