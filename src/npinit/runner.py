"""The one place npinit runs other programs. Tests can pass their own runner."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from npinit.errors import Failure

Runner = Callable[..., "subprocess.CompletedProcess[str]"]


def run(
    cmd: Sequence[str | Path],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    what: str = "",
    timeout: float | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``cmd`` quietly; a non-zero exit becomes a Failure quoting its last output line.

    KeyboardInterrupt is not caught: the caller cleans up and the CLI exits 130.
    """
    args = [str(c) for c in cmd]
    try:
        result = subprocess.run(
            args,
            cwd=cwd,
            env=dict(env) if env is not None else None,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except FileNotFoundError:
        raise Failure(f"{args[0]} could not be started", "check that it is installed") from None
    except subprocess.TimeoutExpired:
        raise Failure(f"{what or args[0]} took longer than {timeout} s", "") from None
    if result.returncode != 0:
        lines = (result.stderr.strip() or result.stdout.strip() or "no output").splitlines()
        raise Failure(
            f"{what or ' '.join(args[:3])} failed (exit {result.returncode}): {lines[-1][:300]}",
            "the full command was: " + " ".join(args),
        )
    return result
