"""`npinit report` as an instructor uses it on workshop day: duplicate and placeholder labels
never merged silently, a roster, the project's target, OS version and time per row, one fix
per root cause, a table that fits 80 columns, and hostile files (a lone surrogate, deep
nesting, terminal escapes) that never lose the report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from npinit.report import read
from tests.helpers import invoke


def doctor(
    label: str | None,
    *,
    numpy: str = "2.4.6",
    blas: str = "openblas",
    platform: str = "linux-64",
    python: str = "3.12.1",
    checks: list[dict[str, str]] | None = None,
    made: str = "2026-12-01T09:15:00Z",
    os_version: str = "Linux 6.1.0 (Debian GNU/Linux 12)",
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "schema": 1,
        "environment": {"kind": "venv", "python": python, "platform": platform,
                        "numpy": numpy, "blas": blas},
        "checks": checks or [],
        "problems": 0,
        "warnings": 0,
        "machine": {"os": os_version, "made": made},
    }  # fmt: skip
    if label is not None:
        data["label"] = label
    return data


def write(folder: Path, name: str, data: Any) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return path


def test_duplicate_and_placeholder_labels_are_never_merged(tmp_path: Path) -> None:
    files = tmp_path / "in"
    write(files, "a.json", doctor("alice"))
    write(files, "b.json", doctor("alice", numpy="2.3.5"))
    for index in range(3):
        write(files, f"p{index}.json", doctor("YOUR-NAME"))
    write(files, "bob.json", doctor("bob"))
    write(files, "bob-lock.json", {"drift": False, "changes": [], "label": "bob"})
    result = read([files])
    labels = sorted(p.label for p in result.participants)
    assert labels == sorted(
        ["alice", "alice (b.json)", "bob"] + [f"YOUR-NAME (p{i}.json)" for i in range(3)]
    )
    rows = {p.label: p for p in result.participants}
    assert rows["alice"].numpy == "2.4.6" and rows["alice (b.json)"].numpy == "2.3.5"
    for label in ("alice", "alice (b.json)", "YOUR-NAME (p0.json)"):
        assert rows[label].status == "warnings"
        assert [p.check for p in rows[label].problems] == ["label"]
    assert rows["bob"].status == "ready" and len(rows["bob"].files) == 2  # a pair still merges


def test_roster_target_causes_and_change_lines(tmp_path: Path) -> None:
    from npinit.report_causes import ENVIRONMENT_FIX, Target

    files = tmp_path / "in"
    pin = [{"id": "numpy-pin", "status": "problem", "message": "NumPy 2.3.5, not the pin",
            "fix": "pip install numpy==2.4.6"}]  # fmt: skip
    write(files, "cara.json", doctor("cara", numpy="2.3.5", checks=pin))
    changes = [
        {"kind": "blas", "name": "blas", "locked": "openblas", "installed": "unknown"},
        {"kind": "removed", "name": "iniconfig (pypi)", "locked": "2.3.1", "installed": ""},
        {"kind": "changed", "name": "numpy (pypi)", "locked": "2.4.6", "installed": "2.3.5"},
    ]
    write(files, "cara-lock.json", {"drift": True, "changes": changes, "label": "cara"})
    write(files, "dev.json", doctor("dev", numpy="2.3.5", platform="win-64", blas="mkl"))
    write(files, "eli.json", doctor("eli"))
    target = Target("2.4.6", "3.12", {"linux-64": ("openblas",), "win-64": ("openblas",)})
    result = read([files], roster=["cara", "Dev", "fay", "gus"], target=target)
    assert result.missing == ("fay", "gus")
    rows = {p.label: p for p in result.participants}
    assert rows["eli"].status == "ready"
    assert {p.check for p in rows["dev"].problems} == {"target-numpy", "target-blas"}
    lock = next(p for p in rows["cara"].problems if p.check == "lock")
    assert "BLAS openblas -> unknown" in lock.message
    assert "removed iniconfig (pypi) 2.3.1" in lock.message and "-> ;" not in lock.message
    causes = result.causes()
    assert [c.id for c in causes] == ["not-the-lock"]  # pin, lock and target: one cause
    assert causes[0].fix == ENVIRONMENT_FIX and sorted(causes[0].who) == ["cara", "dev"]
    data = result.to_json()
    assert data["missing"] == ["fay", "gus"] and data["target"]["numpy"] == "2.4.6"
    assert rows["cara"].os.startswith("Linux 6.1.0") and rows["cara"].made.startswith("2026-12")


def long_label() -> str:
    return "a-participant-with-a-very-long-label-that-cannot-fit-in-one-column-at-all"


def _hostile_class(folder: Path) -> None:
    write(folder, "surrogate.json", '{"schema": 1, "label": "\\ud800", "environment": {'
          '"platform": "\\udfff"}, "checks": [{"id": "x\\ud800", "status": "problem", '
          '"message": "m\\ud800", "fix": "f\\ud800"}]}')  # fmt: skip
    write(folder, "deep.json", "[" * 100_000 + "]" * 100_000)
    write(folder, "deep-object.json", '{"schema": 1, "checks": ' + "[" * 50_000 + "]" * 50_000
          + "}")  # fmt: skip
    escape = "\x1b]0;owned\x07\x1b[31m"
    long = long_label()
    write(folder, "esc.json", doctor(escape + "eve", checks=[
        {"id": "numpy-import", "status": "problem", "message": "bad " + escape + " " + "x" * 200,
         "fix": "reinstall " + escape}]))  # fmt: skip
    write(folder, "long.json", doctor(long, os_version="macOS 14.5"))


@pytest.mark.parametrize("output", ["table", "json", "html"])
def test_hostile_files_never_lose_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], output: str
) -> None:
    files = tmp_path / "in"
    _hostile_class(files)
    args = ["report", str(files)]
    args += {"table": [], "json": ["--json"], "html": ["--output", str(tmp_path / "r.html")]}[
        output
    ]
    code, out, err = invoke(args, tmp_path, capsys)
    assert code == 0, err
    text = out if output != "html" else (tmp_path / "r.html").read_text("utf-8")
    if output != "html":  # the page escapes markup; control characters there are inert text
        assert "\x1b" not in text and "\x07" not in text
    else:
        assert "<script" not in text and "&lt;" not in text  # no markup came from the files
    if output == "json":
        data = json.loads(out)
        assert len(data["participants"]) == 3
        reasons = {Path(u["file"]).name: u["reason"] for u in data["unreadable"]}
        assert reasons["deep.json"].startswith("nested too deeply")
        assert "\\ud800" in {p["label"] for p in data["participants"]}
    if output == "table":
        lines = out.splitlines()
        assert max(len(line) for line in lines) <= 80, max(lines, key=len)
        assert "\\x1b]0;owned\\x07" in out.replace("\n", "")  # shown escaped, not run
        assert "\\ud800" in out
        assert "…" not in out  # long cells wrap, nothing cut off
        header = next(line for line in lines if "Participant" in line)
        first = "".join(line[: header.index("Status")].strip() for line in lines)
        assert long_label() in first  # the first column, read down, holds the whole label
        assert "macOS" in out and "14.5" in out


def test_report_in_the_project_shows_its_target_and_the_roster(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = invoke(
        ["new", "kit", "--manager", "pip", "--python", "3.12", "--numpy", "2.4.6",
         "--platform", "all", "--no-input"], tmp_path, capsys,
    )  # fmt: skip
    assert code == 0, err
    project = tmp_path / "kit"
    files = tmp_path / "in"
    write(files, "ann.json", doctor("ann"))
    write(files, "ben.json", doctor("ben", numpy="2.3.5"))
    roster = tmp_path / "roster.txt"
    roster.write_text("# the class\nann\nben\ncid\n\n")
    code, out, err = invoke(["report", str(files), "--roster", str(roster)], project, capsys)
    assert code == 0, err
    assert "Project: NumPy 2.4.6, Python 3.12" in out and "not sent yet: cid" in out
    assert out.count("fix: in the project folder: npinit create") == 1
    code, out, _ = invoke(["report", str(files), "--json"], project, capsys)
    data = json.loads(out)
    assert data["target"]["blas"]["osx-arm64"] == ["accelerate", "openblas"]
    code, _, err = invoke(["report", str(files), "--roster", str(tmp_path)], project, capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_the_table_shows_brackets_from_files_as_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The terminal table is drawn with rich: a ``[dev]`` from a file would vanish as an
    unknown style and a ``[/x]`` raise rich's MarkupError, losing the report."""
    files = tmp_path / "in"
    check = {"id": "numpy-import", "status": "problem", "message": "m [/x]", "fix": "f [red]"}
    write(files, "a.json", doctor("ann[dev]", numpy="[b]2", blas="[i]mkl", checks=[check],
                                  os_version="[/]os"))  # fmt: skip
    write(files, "[bad].json", "{not json")
    roster = tmp_path / "roster.txt"
    roster.write_text("ann[dev]\ncid[/u]\n")
    code, out, err = invoke(["report", str(files), "--roster", str(roster)], tmp_path, capsys)
    assert code == 0, err
    for text in (
        "ann[dev]",
        "[b]2",
        "[i]mkl",
        "[/]os",
        "m [/x]",
        "f [red]",
        "cid[/u]",
        "[bad].json",
    ):
        assert text in out, text
