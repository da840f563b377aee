"""npinit's error tree: each expected failure carries a user message and a hint.

The CLI prints these as one line (no traceback) and turns each kind into its exit code, in
one table (``npinit.cli.EXIT_CODES``); anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

from pathlib import Path


class NpinitError(Exception):
    """Base of every error the user should see as a sentence, not a traceback."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}; {self.hint}" if self.hint else self.message


class Failure(NpinitError):
    """Something npinit tried did not work."""


class InvalidInput(NpinitError):
    """Bad input or an unsupported combination; nothing was written."""


class ToolMissing(NpinitError):
    """A tool or platform the command needs is not there."""


class Interrupted(NpinitError):
    """The user interrupted the command."""


class NotConfirmed(NpinitError):
    """The user answered no to a confirmation; nothing was done."""


class Verdict(Exception):
    """A command ran and its answer is "no": already reported, only an exit code to give."""


class Drifted(Verdict):
    """``verify`` found the environment different from its lock."""

    def __init__(self, lock: Path) -> None:
        super().__init__(str(lock))
        self.lock = lock


class ProblemsFound(Verdict):
    """``doctor`` found problems (or a check that could not run)."""

    def __init__(self, count: int) -> None:
        super().__init__(count)
        self.count = count


class CheckFailed(Verdict):
    """A new environment failed the project's own check."""


class Terminated(BaseException):
    """npinit was asked to stop (SIGTERM, SIGHUP): a BaseException, so that no ``except
    Exception`` swallows it, and cleanup runs as for Ctrl-C."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
