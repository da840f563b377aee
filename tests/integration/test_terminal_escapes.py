"""Text from untrusted files never reaches the terminal raw (issue 24, item 12): an OSC title
change in an environment.yml comment, ESC and BEL in a package name, a lone surrogate in a
conda record: shown escaped in the set/init diff, verify's drift lines, warnings and --json."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.helpers import invoke

OSC = "\x1b]0;pwned\x07"  # retitles the terminal
CSI = "\x1b[2J"  # clears it
RAW = ("\x1b", "\x07", "\x9b", "\ud800")


def _raw_free(text: str) -> bool:
    return not any(c in text for c in RAW)


def _environment(folder: Path) -> Path:
    path = folder / "environment.yml"
    path.write_text(
        f"name: demo  # {OSC}\nchannels:\n  - conda-forge\n"
        f"dependencies:\n  - python=3.12\n  - numpy  # {CSI} pinned\n",
        "utf-8",
    )
    return path


@pytest.mark.parametrize("command", ["set", "init"])
def test_the_dry_run_diff_shows_escapes_escaped(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _environment(tmp_path)
    args = (
        ["set", str(path), "--numpy", "2.4.6", "--dry-run"]
        if command == "set"
        else ["init", str(tmp_path), "--no-solve", "--no-input", "--dry-run", "--numpy", "2.4.6"]
    )
    code, out, err = invoke(args, tmp_path, capsys)
    assert code == 0, err
    assert _raw_free(out + err)
    assert "-  - numpy  # \\x1b[2J pinned" in out and "+  - numpy=2.4.6  # \\x1b[2J pinned" in out


def test_json_output_escapes_what_a_terminal_would_act_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _environment(tmp_path)
    text = path.read_text("utf-8").replace("pinned", "pinned \u009b31m")
    path.write_text(text, "utf-8")
    code, out, _ = invoke(
        ["set", str(path), "--numpy", "2.4.6", "--dry-run", "--json"], tmp_path, capsys
    )
    assert code == 0 and _raw_free(out)
    assert "\u009b31m" in json.loads(out)["diff"]  # the data is whole once parsed


def _venv(root: Path, names: list[str]) -> Path:
    (root).mkdir(parents=True)
    (root / "pyvenv.cfg").write_text("home = /usr/bin\nversion = 3.12.1\n")
    site = root / "lib" / "python3.12" / "site-packages"
    for index, name in enumerate(names):
        dist = site / f"d{index}-1.0.dist-info"
        dist.mkdir(parents=True)
        (dist / "METADATA").write_text(f"Name: {name}\nVersion: 1.0\n\n", "utf-8")
        (dist / "INSTALLER").write_text("pip\n")
    return site


def test_verify_drift_lines_show_package_names_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = _venv(tmp_path / "env", ["plain"])
    lock = tmp_path / "env.lock"
    args = ["lock", "--prefix", str(tmp_path / "env"), "--output", str(lock)]
    assert invoke(args, tmp_path, capsys)[0] == 0
    evil = site / "evil-1.0.dist-info"
    evil.mkdir()
    (evil / "METADATA").write_text(f"Name: evil{OSC}\nVersion: 1.0{CSI}\n\n", "utf-8")
    code, out, err = invoke(
        ["verify", "--prefix", str(tmp_path / "env"), "--lock", str(lock)], tmp_path, capsys
    )
    assert code == 4 and _raw_free(out + err)
    assert "evil\\x1b]0;pwned\\x07" in out


def test_a_lone_surrogate_in_a_conda_record_is_escaped_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    meta = tmp_path / "env" / "conda-meta"
    meta.mkdir(parents=True)
    (meta / "ok-1.0-0.json").write_text('{"name": "ok", "version": "1.0", "build": "0"}')
    lock = tmp_path / "env.lock"
    args = ["lock", "--prefix", str(tmp_path / "env"), "--output", str(lock)]
    assert invoke(args, tmp_path, capsys)[0] == 0
    (meta / "bad-1.0-0.json").write_text('{"name": "bad\\ud800\\u001b[2J", "version": "1.0"}')
    code, out, err = invoke(
        ["verify", "--prefix", str(tmp_path / "env"), "--lock", str(lock)], tmp_path, capsys
    )
    assert code == 4 and _raw_free(out + err) and "Traceback" not in err
    assert "bad\\ud800\\x1b[2J" in out


def test_warnings_name_hostile_paths_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = _venv(tmp_path / "env", ["plain"])
    broken = site / f"broken{OSC}-1.0.dist-info"
    broken.mkdir()
    os.mkfifo(broken / "INSTALLER")
    (broken / "METADATA").write_text("Name: broken\nVersion: 1.0\n\n")
    out_file = tmp_path / "env.lock"
    args = ["lock", "--prefix", str(tmp_path / "env"), "--output", str(out_file)]
    code, out, err = invoke(args, tmp_path, capsys)
    assert code == 0 and _raw_free(out + err)
    assert "npinit: warning:" in err and "broken\\x1b]0;pwned\\x07-1.0.dist-info" in err
