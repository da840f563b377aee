"""Hostile npinit.lock and .npinit.toml files through the commands that read them: one line,
exit 2, naming the field's path; never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import invoke
from tests.unit.test_lock_validation import lock_text


@pytest.fixture
def project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    code, _, err = invoke(["new", "p", "--manager", "pip", "--python", "3.14", "--numpy", "2.4.6",
                           "--platform", "linux-64", "--no-input"], tmp_path, capsys)  # fmt: skip
    assert code == 0, err
    return tmp_path / "p"


def _one_line_2(code: int, err: str) -> None:
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err


@pytest.mark.parametrize(
    ("section", "shown"), [('"../../x"', "'../../x'"), ('"linux-64\\n"', "'linux-64\\n'")]
)
@pytest.mark.parametrize(
    "command",
    [["lock", "--check"], ["lock", "--format", "pylock", "--output", "x.toml"],
     ["create", "--no-check"]],
)  # fmt: skip
def test_a_section_named_like_a_path_is_one_line(
    project: Path, capsys: pytest.CaptureFixture[str], section: str, shown: str, command: list[str]
) -> None:
    text = lock_text().replace("platforms.linux-64.", f"platforms.{section}.")
    (project / "npinit.lock").write_text(text)
    code, _, err = invoke(command, project, capsys)
    _one_line_2(code, err)
    assert "platforms has an invalid name" in err and shown in err
    assert not (project / ".venv").exists()


@pytest.mark.parametrize("command", [["lock", "--check"], ["verify"]])
def test_a_deeply_nested_lock_is_one_line(
    project: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    (project / "npinit.lock").write_text(f"lock-version = 2\nx = {deep}\n")
    code, _, err = invoke(command, project, capsys)
    _one_line_2(code, err)


def test_an_injected_line_never_reaches_an_export(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = lock_text().replace('version = "2.4.6"', 'version = "2.4.6\\n--extra-index-url=x"')
    (project / "npinit.lock").write_text(text)
    out = project / "r.txt"
    code, _, err = invoke(["lock", "--format", "requirements", "--output", str(out)], project,
                          capsys)  # fmt: skip
    _one_line_2(code, err)
    assert "(numpy).version" in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("line", "says"),
    [('channel = "conda-forge"', "project.channel"), ("threads = 2", "project.threads"),
     ('ci = "github"', "project.ci")],
)  # fmt: skip
def test_answers_are_checked_against_their_schema(
    project: Path, capsys: pytest.CaptureFixture[str], line: str, says: str
) -> None:
    key = line.split(" = ")[0]
    answers = project / ".npinit.toml"
    lines = [x for x in answers.read_text().splitlines() if not x.startswith(f"{key} = ")]
    bad = {"channel": 'channel = "pypi\\n"', "threads": 'threads = "2"', "ci": 'ci = "jenkins"'}
    lines.insert(lines.index("[project]") + 1, bad[key])
    answers.write_text("\n".join(lines) + "\n")
    code, _, err = invoke(["lock", "--check"], project, capsys)
    _one_line_2(code, err)
    assert says in err
