"""The workshop-day issue's smaller items: "Locked 1 platform", set warns about an environment
or a lock only when there is one, recommend says why its channel is not new's default,
Poetry's and the embedded conda engine's Next lines work as printed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import invoke, no_conda_path

pytestmark = pytest.mark.e2e


def _conda(tmp_path: Path, capsys: pytest.CaptureFixture[str], channel: Path, *more: str) -> Path:
    code, _, err = invoke(
        ["new", "cc", "--manager", "conda", "--python", "3.12", "--numpy", "2.4.6",
         "--platform", "linux-64", "--no-input", "--channel-alias", channel.as_uri(), *more],
        tmp_path, capsys,
    )  # fmt: skip
    assert code == 0, err
    return tmp_path / "cc"


def test_locked_one_platform_and_set_warns_only_with_a_lock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], channel: Any
) -> None:
    project = _conda(tmp_path, capsys, channel)
    code, _, err = invoke(["set", "--numpy", "2.4.6", "--python", "3.12"], project, capsys)
    assert code == 0, err
    code, _, err = invoke(["set", "--blas", "mkl"], project, capsys)
    assert code == 0 and "no longer matches" not in err  # neither an environment nor a lock
    code, out, err = invoke(["lock", "--channel-alias", channel.as_uri()], project, capsys)
    assert code == 0, err
    assert "Locked 1 platform to" in out
    code, _, err = invoke(["set", "--blas", "openblas"], project, capsys)
    assert code == 0 and "no longer matches" in err  # now there is a lock to fall behind


def test_the_embedded_engine_next_line_needs_no_conda(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    channel: Any,
) -> None:
    monkeypatch.setenv("PATH", no_conda_path())
    code, out, _ = invoke(
        ["new", "cd", "--manager", "conda", "--python", "3.12", "--numpy", "2.4.6",
         "--platform", "linux-64", "--no-input", "--channel-alias", channel.as_uri(),
         "--create", "--no-check"], tmp_path, capsys,
    )  # fmt: skip
    assert code == 0
    nxt = next(line for line in out.splitlines() if line.startswith("Next:"))
    assert nxt.startswith("Next: cd cd && .conda/bin/python runs it directly (no conda here")


def test_poetry_next_line_activates_the_project_venv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = invoke(
        ["new", "po", "--manager", "poetry", "--python", "3.12", "--platform", "linux-64",
         "--no-input"], tmp_path, capsys,
    )  # fmt: skip
    assert code == 0, err
    assert "poetry env activate" not in out
    assert "then activate it: source .venv/bin/activate" in out
    assert (tmp_path / "po/poetry.toml").read_text().count("in-project = true") == 1


@pytest.mark.parametrize("gpu", [False, True])
def test_recommend_says_why_its_channel_is_not_new_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], gpu: bool
) -> None:
    args = ["recommend", "--os", "linux", "--json"]
    args += ["--experience", "advanced", "--gpu"] if gpu else ["--experience", "beginner"]
    code, out, _ = invoke(args, tmp_path, capsys)
    assert code == 0
    import json

    data = json.loads(out)
    assert data["channel"] == "defaults"
    assert any("npinit new's own default channel is conda-forge" in r for r in data["reasons"])
