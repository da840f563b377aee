"""``npinit report``: a class's doctor and verify files, read into one report."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from npinit.report import ClassReport
from npinit.report_causes import Target

__all__ = ["ClassReport", "class_report", "read_roster", "report_target", "write_report_html"]


def class_report(
    paths: Sequence[Path], roster: Sequence[str] = (), target: Target | None = None
) -> ClassReport:
    """Read every doctor/verify file named (folders: their ``*.json``). Unreadable files are
    listed in the report; InvalidInput (exit 2) only when none could be read at all.
    ``roster``: who should have sent files (the report lists who has not); ``target``: the
    project every row is compared with (:func:`report_target`)."""
    from npinit import report
    from npinit.errors import InvalidInput

    if not paths:
        raise InvalidInput("no files given", "give doctor --json files or a folder of them")
    result = report.read(paths, roster, target)
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


def read_roster(path: Path) -> list[str]:
    """The names in a roster file: one a line; blank lines and ``#`` comments ignored."""
    from npinit.errors import InvalidInput
    from npinit.tomlio import read_regular

    try:
        text = read_regular(path, "the roster").decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"the roster {path} is not UTF-8 text", "one name a line") from None
    names = [line.split("#", 1)[0].strip() for line in text.splitlines()]
    return [name for name in names if name]


def report_target(project: Path) -> Target:
    """What the project in ``project`` asks every participant's environment to be."""
    from npinit.spec import read_project_spec

    spec = read_project_spec(project)
    blas = {c.platform.value: tuple(c.acceptable) for c in spec.blas_choices}
    return Target(spec.numpy, spec.python, blas)
