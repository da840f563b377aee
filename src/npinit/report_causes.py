"""What the class report compares against and how it groups: the project's target (its NumPy
pin, Python and the BLAS each platform may have), and the root causes behind the problems,
each with one fix, so one cause is never listed three times with three fixes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from npinit.report import Participant, Problem

NOT_THE_LOCK = "not-the-lock"
# checks that all say "this environment is not the project's": one cause, one fix
ENVIRONMENT_CHECKS = frozenset(
    {
        "lock",
        "numpy-pin",
        "numpy-lock",
        "numpy-python",
        "blas",
        "target-numpy",
        "target-python",
        "target-blas",
    }
)
ENVIRONMENT_FIX = (
    "in the project folder: npinit create (it installs the lock into the environment), "
    "then npinit verify"
)


@dataclass(frozen=True)
class Target:
    """The project a class sets up (its ``.npinit.toml``): what every row should show."""

    numpy: str
    python: str
    blas: dict[str, tuple[str, ...]]  # platform -> the BLAS it may have

    def to_json(self) -> dict[str, Any]:
        return {
            "numpy": self.numpy,
            "python": self.python,
            "blas": {platform: list(names) for platform, names in self.blas.items()},
        }

    def describe(self) -> str:
        blas = ", ".join(f"{p} {' or '.join(n)}" for p, n in self.blas.items())
        return f"NumPy {self.numpy}, Python {self.python}; BLAS: {blas}"


@dataclass
class Cause:
    """One root cause: who has it, what it is, and the one fix."""

    id: str
    title: str
    fix: str
    severity: str
    who: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "cause": self.id,
            "title": self.title,
            "fix": self.fix,
            "severity": self.severity,
            "participants": list(self.who),
        }


def cause_of(problem: Problem) -> str:
    return NOT_THE_LOCK if problem.check in ENVIRONMENT_CHECKS else problem.check


def participant_causes(problems: Iterable[Problem]) -> list[Cause]:
    """A participant's problems, one entry per root cause (messages joined, one fix)."""
    found: dict[str, Cause] = {}
    messages: dict[str, list[str]] = {}
    for problem in problems:
        key = cause_of(problem)
        if key not in found:
            fix = ENVIRONMENT_FIX if key == NOT_THE_LOCK else problem.fix
            found[key] = Cause(key, "", fix, problem.severity)
            messages[key] = []
        cause = found[key]
        if problem.severity == "problem":
            cause.severity = "problem"
        if not cause.fix and problem.fix:
            cause.fix = problem.fix
        messages[key].append(problem.message)
    for key, cause in found.items():
        cause.title = "; ".join(dict.fromkeys(messages[key]))
    return sorted(found.values(), key=lambda c: (c.severity != "problem", c.id))


def group_causes(participants: Iterable[Participant]) -> list[Cause]:
    """The class's causes: each root cause once, with everyone who has it."""
    found: dict[str, Cause] = {}
    for person in participants:
        for cause in participant_causes(person.problems):
            if cause.id not in found:
                title = (
                    "the environment is not the project's lock"
                    if cause.id == NOT_THE_LOCK
                    else cause.title
                )
                found[cause.id] = Cause(cause.id, title, cause.fix, cause.severity)
            entry = found[cause.id]
            entry.who.append(person.label)
            if cause.severity == "problem":
                entry.severity = "problem"
    return sorted(found.values(), key=lambda c: (c.severity != "problem", -len(c.who), c.id))


def against_target(person: Participant, target: Target) -> list[tuple[str, str]]:
    """Where a participant's environment is not the project's: (check, message) each."""
    found: list[tuple[str, str]] = []
    if person.numpy and person.numpy != target.numpy:
        found.append(("target-numpy", f"NumPy {person.numpy}; the project pins {target.numpy}"))
    minor = ".".join(person.python.split(".")[:2])
    if person.python and minor != target.python.removesuffix("t"):
        found.append(("target-python", f"Python {person.python}; the project's is {target.python}"))
    if person.platform and person.platform not in target.blas:
        theirs = ", ".join(target.blas)
        found.append(
            (
                "target-platform",
                f"platform {person.platform} is not one of the project's ({theirs})",
            )
        )
    elif person.platform and person.blas and person.blas not in target.blas[person.platform]:
        wanted = " or ".join(target.blas[person.platform])
        found.append(("target-blas", f"BLAS {person.blas}; the project's is {wanted} here"))
    return found
