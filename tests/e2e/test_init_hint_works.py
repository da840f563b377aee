"""A refusal's suggestion works (black-box run of 85f60b6, issue 26): ``numpy==1.11`` was
answered "npinit init --numpy 1.17.5", which then failed (the file's own numpy==1.11 still
held). The hint is now the change to make in the file; made, init adopts the file and the
lock resolves with the real index."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.helpers import invoke, lock_section

pytestmark = pytest.mark.e2e


def test_the_legacy_pins_hint_adopts_the_file_when_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("numpy==1.11\n")
    code, _, err = invoke(["init", "--no-input"], tmp_path, capsys)
    assert code == 2, err
    change = re.search(r"pin it in requirements\.txt \((\S+) -> (\S+)\), then run (.+)\)", err)
    assert change is not None, err
    old, new, command = change.groups()
    requirements.write_text(requirements.read_text().replace(old, new))
    assert command == "npinit init again"
    code, out, err = invoke(["init", "--no-input", "--json"], tmp_path, capsys)
    assert code == 0, err
    assert json.loads(out)["numpy"] == "1.17.5"
    code, _, err = invoke(["lock"], tmp_path, capsys)
    assert code == 0, err
    section = lock_section(tmp_path / "npinit.lock")
    assert {p["name"]: p["version"] for p in section["packages"]}["numpy"] == "1.17.5"
