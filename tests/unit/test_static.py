"""The code is typed and linted: mypy --strict on src and tests, ruff check and format."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600
    )


def test_mypy_strict_passes_on_src_and_tests() -> None:
    result = _run("mypy", "--cache-dir", "/dev/null")  # files and strictness: pyproject.toml
    assert result.returncode == 0, result.stdout[-4000:]
    assert "Success: no issues found" in result.stdout


def test_ruff_check_and_format_are_clean() -> None:
    check = _run("ruff", "check", "src", "tests", "benchmarks", "tools")
    assert check.returncode == 0, check.stdout[-4000:]
    formatted = _run("ruff", "format", "--check", "src", "tests", "benchmarks", "tools")
    assert formatted.returncode == 0, formatted.stdout[-4000:]
