"""npinit's error tree: each expected failure carries a user message, a hint and an exit code.

The CLI prints these as one line (no traceback); anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


class NpinitError(Exception):
    """Base of every error the user should see as a sentence, not a traceback."""

    exit_code = 1

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}; {self.hint}" if self.hint else self.message


class Failure(NpinitError):
    """Something npinit tried did not work (exit 1)."""

    exit_code = 1


class InvalidInput(NpinitError):
    """Bad input or an unsupported combination (exit 2); nothing was written."""

    exit_code = 2


class ToolMissing(NpinitError):
    """A tool or platform the command needs is not there (exit 3)."""

    exit_code = 3


class Interrupted(NpinitError):
    """The user interrupted the command (exit 130)."""

    exit_code = 130


class Terminated(BaseException):
    """npinit was asked to stop (SIGTERM, SIGHUP): a BaseException, so that no ``except
    Exception`` swallows it, and cleanup runs as for Ctrl-C. Exit 128 + the signal number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_INVALID = 2
EXIT_TOOL_MISSING = 3
EXIT_DRIFT = 4
EXIT_INTERRUPTED = 130
EXIT_HANGUP = 129  # SIGHUP
EXIT_TERMINATED = 143  # SIGTERM
