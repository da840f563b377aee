"""The progress lines a terminal sees: names are printed as text, never read as markup."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest

from npinit.cli.common import with_progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_lines_keep_brackets_as_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """``[dev]`` would vanish as an unknown style and ``[/x]`` raise rich's MarkupError."""
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)

    def work(step: Callable[[str], None] | None) -> str:
        assert step is not None  # a terminal gets the steps
        step("Installing black[d] and pkg[dev]")
        step("Solving [/x] for [bold]linux-64")
        return "done"

    assert with_progress("Locking [/y]", work, quiet=False) == "done"
    shown = terminal.getvalue()
    assert "Installing black[d] and pkg[dev]" in shown
    assert "Solving [/x] for [bold]linux-64" in shown
