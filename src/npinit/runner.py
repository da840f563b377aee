"""The one place npinit runs other programs. Tests can pass their own runner.

Every child runs in a process group of its own. When npinit is stopped while a child runs
(Ctrl-C, SIGTERM, SIGHUP, a timeout), the whole group is stopped and waited for before npinit
goes on to clean up: an installer must never keep writing into an environment that npinit is
removing, or after npinit has exited.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from npinit.errors import Failure

Runner = Callable[..., "subprocess.CompletedProcess[str]"]

GRACE = 5.0  # seconds a stopped child's group gets between SIGTERM and SIGKILL


class TimedOut(Failure):
    """A child did not finish within its timeout (it was stopped)."""


def _stop_group(process: subprocess.Popen[str]) -> None:
    """Stop ``process`` and every process of its group, and wait for the leader."""
    if os.name != "posix":  # pragma: no cover - Windows: the child itself
        process.kill()
        process.wait()
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=GRACE)
    # whatever is left of the group, the leader included, must not outlive npinit
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def run(
    cmd: Sequence[str | Path],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    what: str = "",
    timeout: float | None = None,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run ``cmd`` quietly; a non-zero exit becomes a Failure quoting its last output line
    (unless ``check`` is false), a timeout a :class:`TimedOut`.

    KeyboardInterrupt and npinit's termination signals are not caught: the child's group is
    stopped first, then the caller cleans up and the CLI exits 130, 143 or 129.
    """
    args = [str(c) for c in cmd]
    try:
        process = subprocess.Popen(
            args,
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
            start_new_session=os.name == "posix",
        )
    except (FileNotFoundError, PermissionError, NotADirectoryError):
        raise Failure(f"{args[0]} could not be started", "check that it is installed") from None
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop_group(process)
        process.communicate()
        raise TimedOut(
            f"{what or args[0]} did not finish within {timeout:g} s and was stopped", ""
        ) from None
    except BaseException:
        _stop_group(process)
        for pipe in (process.stdout, process.stderr):
            if pipe is not None:
                pipe.close()
        raise
    result = subprocess.CompletedProcess(args, process.returncode, stdout, stderr)
    if check and result.returncode != 0:
        lines = (result.stderr.strip() or result.stdout.strip() or "no output").splitlines()
        raise Failure(
            f"{what or ' '.join(args[:3])} failed (exit {result.returncode}): {lines[-1][:300]}",
            "the full command was: " + " ".join(args),
        )
    return result
