"""``npinit report``: a class's ``doctor --json`` and ``verify --json`` files, read into one
row per participant. Files come from other people's machines: every one is read defensively
(a bad file is listed as unreadable with its reason, never a crash), and nothing in them is
trusted as markup (see :mod:`npinit.report_html`)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DOCTOR_SCHEMA = 1
MAX_BYTES = 5_000_000  # a doctor file is a few KB; anything this big is not one
STATUSES = ("problems", "warnings", "ready")  # worst first


@dataclass(frozen=True)
class Problem:
    check: str
    message: str
    fix: str = ""
    severity: str = "problem"  # problem | warning

    def to_json(self) -> dict[str, str]:
        return {
            "check": self.check,
            "severity": self.severity,
            "message": self.message,
            "fix": self.fix,
        }


@dataclass
class Participant:
    label: str
    files: list[str] = field(default_factory=list)
    platform: str = ""
    python: str = ""
    numpy: str = ""
    blas: str = ""
    doctor: bool = False
    lock: str = "not reported"  # matches | drifted | not reported
    problems: list[Problem] = field(default_factory=list)

    @property
    def status(self) -> str:
        if any(p.severity == "problem" for p in self.problems):
            return "problems"
        if self.problems:
            return "warnings"
        return "ready"

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "file": self.files[0] if self.files else "",
            "files": list(self.files),
            "status": self.status,
            "platform": self.platform,
            "python": self.python,
            "numpy": self.numpy,
            "blas": self.blas,
            "lock": self.lock,
            "problems": [p.to_json() for p in self.problems],
        }


@dataclass(frozen=True)
class Unreadable:
    file: str
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"file": self.file, "reason": self.reason}


@dataclass(frozen=True)
class ClassReport:
    participants: tuple[Participant, ...]
    unreadable: tuple[Unreadable, ...]

    def count(self, status: str) -> int:
        return sum(p.status == status for p in self.participants)

    def to_json(self) -> dict[str, Any]:
        return {
            "participants": [p.to_json() for p in self.participants],
            "unreadable": [u.to_json() for u in self.unreadable],
            "ready": self.count("ready"),
            "warnings": self.count("warnings"),
            "problems": self.count("problems"),
        }

    def by(self, attribute: str) -> list[tuple[str, int]]:
        """How many participants have each value of ``attribute`` (most first)."""
        counts: dict[str, int] = {}
        for participant in self.participants:
            value = str(getattr(participant, attribute) or "unknown")
            counts[value] = counts.get(value, 0) + 1
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def inputs(paths: Iterable[Path]) -> list[Path]:
    """The files named, and the ``*.json`` files inside the folders named (sorted)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.json") if not p.is_dir()))
        else:
            found.append(path)
    return found


def _load(path: Path) -> dict[str, Any]:
    """The JSON object in ``path``; ValueError with the reason when there is none."""
    import stat

    try:
        info = path.stat()
    except OSError as error:
        raise ValueError(f"cannot be read ({error.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise ValueError("not a regular file")
    if info.st_size > MAX_BYTES:
        raise ValueError(f"too large for a doctor or verify file ({info.st_size} bytes)")
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except OSError as error:
        raise ValueError(f"cannot be read ({error.strerror})") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValueError("not JSON") from None
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    return data


def _text(value: Any) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def _label(data: dict[str, Any], path: Path) -> str:
    label = data.get("label")
    return label.strip() if isinstance(label, str) and label.strip() else path.stem


def _read_doctor(data: dict[str, Any], participant: Participant) -> None:
    schema = data.get("schema")
    if not isinstance(schema, int) or isinstance(schema, bool):
        raise ValueError("a doctor file without a schema number")
    if schema > DOCTOR_SCHEMA:
        raise ValueError(f"written by a newer npinit (doctor schema {schema}); upgrade npinit")
    if schema != DOCTOR_SCHEMA:
        raise ValueError(f"another schema ({schema}); this npinit reads doctor schema 1")
    environment, checks = data.get("environment"), data.get("checks")
    if not isinstance(environment, dict) or not isinstance(checks, list):
        raise ValueError("a doctor file without its environment or checks")
    participant.doctor = True
    participant.platform = _text(environment.get("platform"))
    participant.python = _text(environment.get("python"))
    participant.numpy = _text(environment.get("numpy"))
    participant.blas = _text(environment.get("blas"))
    for check in checks:
        if not isinstance(check, dict):
            continue
        status = _text(check.get("status"))
        if status in ("problem", "warning"):
            participant.problems.append(
                Problem(
                    _text(check.get("id")) or "check",
                    _text(check.get("message")),
                    _text(check.get("fix")),
                    status,
                )
            )


def _read_verify(data: dict[str, Any], participant: Participant) -> None:
    changes = data.get("changes")
    if not isinstance(data.get("drift"), bool) or not isinstance(changes, list):
        raise ValueError("a verify file without drift and changes")
    if not data["drift"]:
        participant.lock = "matches"
        return
    participant.lock = "drifted"
    described = []
    for change in changes[:20]:
        if isinstance(change, dict):
            name, kind = _text(change.get("name")), _text(change.get("kind"))
            locked, installed = _text(change.get("locked")), _text(change.get("installed"))
            described.append(f"{name} {kind}" + (f" {locked} -> {installed}" if locked else ""))
    participant.problems.append(
        Problem(
            "lock",
            "the environment differs from the lock: " + "; ".join(described),
            "run npinit create again in a fresh copy of the project, then npinit verify",
        )
    )


def read(paths: Sequence[Path]) -> ClassReport:
    """Every readable file, merged into one participant per label (doctor and verify files of
    the same participant go together); the rest listed with the reason."""
    people: dict[str, Participant] = {}
    unreadable: list[Unreadable] = []
    for path in inputs(paths):
        try:
            data = _load(path)
            kind = (
                "doctor"
                if "checks" in data or "schema" in data
                else "verify"
                if "drift" in data
                else None
            )
            if kind is None:
                raise ValueError("neither a doctor nor a verify file")
            label = _label(data, path)
            participant = people.get(label) or Participant(label)
            trial = Participant(label)
            (_read_doctor if kind == "doctor" else _read_verify)(data, trial)
        except ValueError as error:
            unreadable.append(Unreadable(str(path), str(error)))
            continue
        _merge(participant, trial)
        participant.files.append(str(path))
        people[label] = participant
    ordered = sorted(people.values(), key=lambda p: (STATUSES.index(p.status), p.label.casefold()))
    return ClassReport(tuple(ordered), tuple(unreadable))


def _merge(into: Participant, new: Participant) -> None:
    if new.doctor:
        into.doctor = True
        into.platform, into.python = new.platform, new.python
        into.numpy, into.blas = new.numpy, new.blas
    if new.lock != "not reported":
        into.lock = new.lock
    into.problems.extend(new.problems)
