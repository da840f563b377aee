"""``npinit report``: a class's doctor and verify files, read into one report."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from npinit.report import ClassReport

__all__ = ["ClassReport", "class_report", "write_report_html"]


def class_report(paths: Sequence[Path]) -> ClassReport:
    """Read every doctor/verify file named (folders: their ``*.json``). Unreadable files are
    listed in the report; InvalidInput (exit 2) only when none could be read at all."""
    from npinit import report
    from npinit.errors import InvalidInput

    if not paths:
        raise InvalidInput("no files given", "give doctor --json files or a folder of them")
    result = report.read(paths)
    if not result.participants:
        reasons = "; ".join(f"{Path(u.file).name}: {u.reason}" for u in result.unreadable[:3])
        raise InvalidInput(
            f"none of the {len(result.unreadable)} files could be read"
            + (f" ({reasons})" if reasons else ""),
            "give the files participants made with npinit doctor --json",
        )
    return result


def write_report_html(result: ClassReport, output: Path) -> Path:
    """Write the report as one self-contained HTML page (atomically)."""
    from npinit.errors import Failure
    from npinit.report_html import render
    from npinit.tomlio import atomic_write

    try:
        atomic_write(output, render(result))
    except OSError as error:
        raise Failure(f"could not write {output}: {error.strerror or error}", "") from error
    return output
