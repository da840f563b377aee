"""What npinit doctor gives: a check (ok / info / warning / problem, a one-line explanation
and the fix) and the report of one environment, with the schema an instructor collects."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

SCHEMA = 1


class Status(enum.StrEnum):
    """The verdict of one doctor check (schema 1 of ``doctor --json``)."""

    OK = "ok"
    WARNING = "warning"
    PROBLEM = "problem"
    INFO = "info"


@dataclass(frozen=True)
class Check:
    id: str
    status: Status
    message: str
    fix: str = ""


@dataclass(frozen=True)
class DoctorReport:
    environment: dict[str, Any]
    checks: tuple[Check, ...]
    gpus: tuple[str, ...] = field(default=())

    @property
    def problems(self) -> int:
        return sum(c.status == Status.PROBLEM for c in self.checks)

    def to_json(self) -> dict[str, Any]:
        """The documented, stable schema an instructor collects from a class."""
        return {
            "schema": SCHEMA,
            "environment": self.environment,
            "checks": [
                {"id": c.id, "status": c.status, "message": c.message, "fix": c.fix}
                for c in self.checks
            ],
            "problems": self.problems,
            "warnings": sum(c.status == Status.WARNING for c in self.checks),
        }
