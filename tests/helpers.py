"""Helpers shared by the integration and e2e tests."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

from npinit.cli import main


def invoke(args: list[str], cwd: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the real CLI entry point in-process: (exit code, stdout, stderr)."""
    import io

    old, old_stdin = Path.cwd(), sys.stdin
    os.chdir(cwd)
    sys.stdin = io.StringIO("")  # a prompt sees the end of input, as with `< /dev/null`
    try:
        main(args)
        code = 0
    except SystemExit as stop:
        code = int(stop.code or 0)
    finally:
        os.chdir(old)
        sys.stdin = old_stdin
    out, err = capsys.readouterr()
    return code, out, err


def tree(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` with its bytes, by relative POSIX path."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def load_yaml(path: Path) -> Any:
    from ruamel.yaml import YAML

    return YAML(typ="safe").load(path.read_text("utf-8"))


def python_in(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
