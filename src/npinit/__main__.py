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
    main()


if __name__ == "__main__":
    run()
