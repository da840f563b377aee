"""Reading a class's files: labels, merging, and every way a file can be unreadable."""

from __future__ import annotations

import json
import os
from pathlib import Path

from npinit.report import read

DOCTOR = {
    "schema": 1,
    "environment": {"kind": "venv", "python": "3.12.1", "platform": "win-64", "numpy": "2.4.6",
                    "blas": "openblas"},
    "checks": [{"id": "blas-threads", "status": "warning", "message": "many threads", "fix": "x"}],
    "problems": 0,
    "warnings": 1,
}  # fmt: skip


def test_labels_merging_and_unreadable_files(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub/zoe.json").write_text(json.dumps(DOCTOR))
    (tmp_path / "x.json").write_text(json.dumps({**DOCTOR, "label": "yan", "checks": []}))
    (tmp_path / "yan-lock.json").write_text(
        json.dumps({"lock": "npinit.lock", "drift": False, "changes": [], "label": "yan"})
    )
    (tmp_path / "only-lock.json").write_text(json.dumps({"drift": False, "changes": []}))
    os.mkfifo(tmp_path / "pipe.json")
    (tmp_path / "old.json").write_text(json.dumps({**DOCTOR, "schema": 0}))
    (tmp_path / "other.json").write_text(json.dumps({"name": "not ours"}))
    (tmp_path / "notes.txt").write_text("ignored: not *.json")
    report = read([tmp_path])
    rows = {p.label: p for p in report.participants}
    assert sorted(rows) == ["only-lock", "yan", "zoe"]
    assert rows["zoe"].status == "warnings" and rows["zoe"].platform == "win-64"
    assert rows["yan"].status == "ready" and rows["yan"].lock == "matches"
    assert len(rows["yan"].files) == 2
    assert rows["only-lock"].lock == "matches" and not rows["only-lock"].doctor
    reasons = {Path(u.file).name: u.reason for u in report.unreadable}
    assert reasons == {
        "pipe.json": "not a regular file",
        "old.json": "another schema (0); this npinit reads doctor schema 1",
        "other.json": "neither a doctor nor a verify file",
    }
    assert report.by("platform") == [("win-64", 2), ("unknown", 1)]
