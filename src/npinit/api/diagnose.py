"""``npinit doctor``: the install guide's checks on one environment."""

from __future__ import annotations

from pathlib import Path

from npinit.api.lock import dangling_interpreter
from npinit.doctor_model import DoctorReport
from npinit.model import INTERPRETERS, LOCK_FILE, Platform
from npinit.record.environment import PROBE_TIMEOUT, interpreter_of, snapshot_environment


def doctor(
    prefix: Path | None,
    python: Path | None,
    *,
    cwd: Path,
    env: dict[str, str] | None,
    gpus: list[str],
    project: Path | None = None,
    timeout: float = PROBE_TIMEOUT,
    current_platform: Platform | None = None,
) -> DoctorReport:
    """Diagnose an environment with the install guide's knowledge (see npinit.doctor).

    The interpreter gets ``timeout`` seconds to answer; past that its check is reported as
    one that could not run."""
    from npinit.doctor import diagnose
    from npinit.errors import InvalidInput
    from npinit.record import lockfile
    from npinit.tomlio import read_answers

    snapshot = snapshot_environment(prefix, python, current_platform=current_platform)
    interpreter = python
    if interpreter is None:
        try:
            interpreter = interpreter_of(prefix)
        except InvalidInput:
            # a venv always has one: a dangling link or none at all is a broken environment
            interpreter = dangling_interpreter(prefix)
            if interpreter is None and snapshot.kind == "venv" and prefix is not None:
                interpreter = prefix / INTERPRETERS[0]
    pin = locked = None
    if project is not None:
        pin = read_answers(project)
        if (project / LOCK_FILE).is_file():
            try:
                whole = lockfile.read_lock(project / LOCK_FILE)
                locked = whole.sections.get(snapshot.platform) or (
                    next(iter(whole.sections.values())) if len(whole.sections) == 1 else None
                )
            except InvalidInput:
                locked = None
    return diagnose(
        interpreter,
        snapshot,
        cwd=cwd,
        env=env,
        pin=pin,
        locked=locked,
        gpus=gpus,
        timeout=timeout,
    )
