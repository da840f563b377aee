"""Deterministic fault injection for npinit's own tests.

``NPINIT_TEST_FAULT=STEP`` makes the named step fail with an OSError (as a full disk or a
vanished folder would), ``NPINIT_TEST_FAULT=STEP:SIGNAL`` makes npinit send itself that signal
there (``SIGINT``, ``SIGTERM``, ``SIGKILL``...); ``STEP#N`` fires on the step's N-th passage
only. Nothing else reads it, and it is never set outside tests.

Steps: ``new-rendered`` (the project is complete in its staging folder), ``new-moved`` (it
is in place), ``force-move`` (each file ``new --force`` moves into place),
``write-before-rename`` (every file of a write is staged) and ``write-renamed`` (after each
file's rename), ``create-locked`` (create holds its lock, nothing built yet),
``create-building`` (its marker says it builds, the installer not started yet),
``lock-resolved`` (every platform of a project is resolved, nothing written yet).
"""

from __future__ import annotations

import os

_passed: dict[str, int] = {}


def checkpoint(step: str) -> None:
    """Fail here if the test-only variable names this step."""
    wanted = os.environ.get("NPINIT_TEST_FAULT")
    if not wanted:
        return
    name, _, how = wanted.partition(":")
    name, _, nth = name.partition("#")
    if name != step:
        return
    _passed[step] = _passed.get(step, 0) + 1
    if nth and _passed[step] != int(nth):
        return
    if how:
        import signal

        os.kill(os.getpid(), getattr(signal, how))
        return
    raise OSError(5, f"injected fault at {step}")
