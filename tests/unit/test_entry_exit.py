"""npinit's entry point leaves without the interpreter's teardown (npinit.__main__._leave):
after every other atexit handler, with the command's exit status and its output whole; an
error that escapes the CLI still gets Python's own report and status."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import npinit_environ

# a module-level object whose finaliser says so: Python's teardown runs it, os._exit does not
PROBE = """import atexit, sys
class Torn:
    def __del__(self):
        sys.stderr.write("torn down\\n")
torn = Torn()
sys.argv = ["npinit", *{args!r}]
import npinit.cli
command = npinit.cli.main
def main():  # a handler registered while the command runs (as a module it loads would)
    atexit.register(lambda: sys.stderr.write("handler ran\\n"))
    try:
        command()
    finally:
        sys.stdout.write("still in the buffer\\n")  # a pipe: written at the flush
npinit.cli.main = main
from npinit.__main__ import run
{body}
"""


def _probe(args: list[str], body: str = "run()") -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        [sys.executable, "-c", PROBE.format(args=args, body=body)],
        capture_output=True,
        text=True,
        env=npinit_environ({k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}),
        timeout=120,
    )


def test_a_command_leaves_with_its_status_and_output_without_the_teardown() -> None:
    done = _probe(["versions", "--python", "3.12"])
    assert done.returncode == 0, done.stderr
    assert done.stderr == "handler ran\n"  # the other handlers run first; no teardown
    clicks = subprocess.run(
        [
            sys.executable,
            "-c",
            "from npinit.cli import main\nmain(['versions', '--python', '3.12'])",
        ],
        capture_output=True,
        text=True,
        env=npinit_environ(__import__("os").environ.copy()),
        timeout=120,
    )
    assert done.stdout == clicks.stdout + "still in the buffer\n"  # flushed whole
    assert clicks.stdout.count("\n") > 5


def test_an_error_leaves_with_its_exit_code() -> None:
    done = _probe(["lock", "--platform", "no-such-platform"])
    assert done.returncode == 2, done.stderr
    error, handler = done.stderr.splitlines()
    assert error.startswith("npinit: error: --platform needs an npinit project here")
    assert handler == "handler ran"


def test_an_uncaught_error_is_left_to_python() -> None:
    """run() ending in something other than its exit status (here the probe's own error
    after it): Python reports it, exits 1, and tears down as always."""
    done = _probe(["versions", "--python", "3.12"], "try:\n    run()\nfinally:\n    1 / 0")
    assert done.returncode == 1
    assert "ZeroDivisionError" in done.stderr and "torn down" in done.stderr
