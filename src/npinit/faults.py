"""Deterministic fault injection for npinit's own tests.

``NPINIT_TEST_FAULT=STEP`` makes the named step fail with an OSError (as a full disk or a
vanished folder would), ``NPINIT_TEST_FAULT=STEP:SIGNAL`` makes npinit send itself that signal
there (``SIGINT``, ``SIGTERM``, ``SIGKILL``...); ``STEP#N`` fires on the step's N-th passage
only. Nothing else reads it, and it is never set outside tests.

It is active only in a source checkout (``src/npinit`` beside ``pyproject.toml``: an editable
install, the tests, CI). An installed package ignores it unless deliberately enabled with
``NPINIT_TEST_FAULT_INSTALLED=1`` as well (to fault-test a built wheel).

Steps: ``new-rendered`` (the project is complete in its staging folder), ``new-moved`` (it
is in place), ``force-move`` (each file ``new --force`` moves into place),
``write-before-rename`` (every file of a write is staged) and ``write-renamed`` (after each
file's rename), ``create-locked`` (create holds its lock, nothing built yet),
``create-building`` (its marker says it builds, the installer not started yet),
``create-venv-pending`` (a pip project's ``uv venv`` runs in the background, the lock read
and its hashed export made, the venv not waited for yet),
``create-checking`` (the environment is built and verified, the project's check not run yet),
``child-started`` (any program npinit runs has just started, before npinit watches it),
``lock-resolved`` (every platform of a project is resolved, nothing written yet),
``bundle-streaming`` (a block of a bundle's file was written to its temporary name) and
``bundle-checked`` (a downloaded file matched its hashes, not renamed yet) and
``command-done`` (the command finished, its stop signals ignored until the process ends).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

_passed: dict[str, int] = {}


@cache
def _source_checkout() -> bool:
    return (Path(__file__).resolve().parents[2] / "pyproject.toml").is_file()


def checkpoint(step: str) -> None:
    """Fail here if the test-only variable names this step (and faults are enabled)."""
    wanted = os.environ.get("NPINIT_TEST_FAULT")
    if not wanted:
        return
    if not (_source_checkout() or os.environ.get("NPINIT_TEST_FAULT_INSTALLED") == "1"):
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
