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

from npinit.report_causes import ENVIRONMENT_FIX, Cause, Target, against_target, group_causes

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
    os: str = ""  # the OS and its version, from the doctor file
    made: str = ""  # when the newest file was made (UTC, ISO 8601)

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
            "os": self.os,
            "made": self.made,
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
    missing: tuple[str, ...] = ()  # roster names no file came from
    target: Target | None = None  # the project the class sets up, when known

    def causes(self) -> list[Cause]:
        """The class's problems grouped by root cause, each with one fix (worst first)."""
        return group_causes(self.participants)

    def count(self, status: str) -> int:
        return sum(p.status == status for p in self.participants)

    def to_json(self) -> dict[str, Any]:
        return {
            "participants": [p.to_json() for p in self.participants],
            "unreadable": [u.to_json() for u in self.unreadable],
            "ready": self.count("ready"),
            "warnings": self.count("warnings"),
            "problems": self.count("problems"),
            "missing": list(self.missing),
            "target": self.target.to_json() if self.target else None,
            "causes": [c.to_json() for c in self.causes()],
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
    except RecursionError:
        raise ValueError("nested too deeply for a doctor or verify file") from None
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    return data


def _text(value: Any) -> str:
    """A field as text that any output can encode: a lone surrogate (``"\\ud800"`` in the
    JSON) stays visible as its escape instead of failing the whole report."""
    text = value if isinstance(value, str) else "" if value is None else str(value)
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _label(data: dict[str, Any], path: Path) -> str:
    label = _text(data.get("label")).strip() if isinstance(data.get("label"), str) else ""
    return label or _text(path.stem)


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
    machine = data.get("machine")
    if isinstance(machine, dict):
        participant.os = _text(machine.get("os"))
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
    described = [_change(c) for c in changes[:20] if isinstance(c, dict)]
    participant.problems.append(
        Problem(
            "lock",
            "the environment differs from the lock: " + "; ".join(described),
            "run npinit create again in a fresh copy of the project, then npinit verify",
        )
    )


def _change(change: dict[str, Any]) -> str:
    """One change of a verify file as verify prints it (``BLAS openblas -> mkl``, ``removed
    iniconfig 2.3.1``, ``numpy 2.4.6 -> 2.3.5``)."""
    name, kind = _text(change.get("name")), _text(change.get("kind"))
    locked, installed = _text(change.get("locked")), _text(change.get("installed"))
    if kind == "blas":
        return f"BLAS {locked or 'unknown'} -> {installed or 'unknown'}"
    if kind == "added":
        return f"added {name} {installed}".strip()
    if kind == "removed":
        return f"removed {name} {locked}".strip()
    return f"{name} {locked} -> {installed}"


PLACEHOLDER = "your-name"  # the generated README's --label YOUR-NAME, left as it was


def _kind(data: dict[str, Any]) -> str:
    if "checks" in data or "schema" in data:
        return "doctor"
    if "drift" in data:
        return "verify"
    raise ValueError("neither a doctor nor a verify file")


def _made(data: dict[str, Any], path: Path) -> str:
    """When the file was made: its ``machine.made`` stamp, else the file's modification time."""
    from datetime import UTC, datetime

    machine = data.get("machine")
    stamp = _text(machine.get("made")) if isinstance(machine, dict) else ""
    try:
        return datetime.fromisoformat(stamp).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        pass
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OSError, ValueError, OverflowError):
        return ""


def read(
    paths: Sequence[Path], roster: Sequence[str] = (), target: Target | None = None
) -> ClassReport:
    """Every readable file, merged into one participant per label (doctor and verify files of
    the same participant go together); the rest listed with the reason. Two files of one
    kind under one label, or the README's placeholder label, are never merged: each keeps a
    row of its own, flagged. ``roster`` names who should have sent a file; ``target`` is the
    project every row is compared with."""
    people: dict[str, Participant] = {}
    first: dict[tuple[str, str], Participant] = {}  # (label, kind) -> who has it
    unreadable: list[Unreadable] = []
    for path in inputs(paths):
        try:
            data = _load(path)
            kind = _kind(data)
            label = _label(data, path)
            trial = Participant(label)
            (_read_doctor if kind == "doctor" else _read_verify)(data, trial)
        except ValueError as error:
            unreadable.append(Unreadable(_text(str(path)), str(error)))
            continue
        trial.made = _made(data, path)
        participant = _place(people, first, trial, kind, _text(path.name))
        _merge(participant, trial)
        participant.files.append(_text(str(path)))
    for person in people.values():
        for check, message in against_target(person, target) if target else []:
            fix = (
                ENVIRONMENT_FIX
                if check != "target-platform"
                else f"the instructor locks it too: npinit lock --platform {person.platform}"
            )
            person.problems.append(Problem(check, message, fix))
    sent = {key[0] for key in first}
    missing = tuple(n for n in dict.fromkeys(roster) if n.strip().casefold() not in sent)
    ordered = sorted(people.values(), key=lambda p: (STATUSES.index(p.status), p.label.casefold()))
    return ClassReport(tuple(ordered), tuple(unreadable), missing, target)


def _place(
    people: dict[str, Participant],
    first: dict[tuple[str, str], Participant],
    trial: Participant,
    kind: str,
    name: str,
) -> Participant:
    """The row a file goes to: its label's, or a row of its own when the label is the
    placeholder or another file of the same kind already has it (both flagged)."""
    label = trial.label
    key = (label.casefold(), kind)
    if label.casefold() == PLACEHOLDER:
        row = people.setdefault(f"{label} ({name})", Participant(f"{label} ({name})"))
        row.problems.append(
            Problem(
                "label",
                f"{name} carries the README's placeholder label {label}",
                "ask who sent it to run the command again with --label THEIR-NAME",
                "warning",
            )
        )
        return row
    if key in first:
        other = first[key]
        message = f"two {kind} files carry the label {label}"
        fix = "ask each of them to send their files again with a --label of their own"
        for row in (
            other,
            people.setdefault(f"{label} ({name})", Participant(f"{label} ({name})")),
        ):
            if not any(p.check == "label" and p.message == message for p in row.problems):
                row.problems.append(Problem("label", message, fix, "warning"))
        return people[f"{label} ({name})"]
    row = people.setdefault(label.casefold(), Participant(label))
    first[key] = row
    return row


def _merge(into: Participant, new: Participant) -> None:
    if new.doctor:
        into.doctor = True
        into.platform, into.python = new.platform, new.python
        into.numpy, into.blas, into.os = new.numpy, new.blas, new.os
    if new.lock != "not reported":
        into.lock = new.lock
    into.made = max(into.made, new.made)
    into.problems.extend(new.problems)
