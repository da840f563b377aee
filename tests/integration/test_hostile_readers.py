"""Every file npinit reads is read through one reader (npinit.reading): a FIFO where a file
belongs is refused or left out, never waited on; nesting past the bound is one line, exit 2,
never a RecursionError traceback (issue 24, items 7 and 11)."""

from __future__ import annotations

import errno
import json
import os
import threading
from pathlib import Path

import pytest

from tests.helpers import invoke

DEEP = 5000  # nesting levels: far past Python's recursion limit


def _invoke_beside_fifos(
    args: list[str], cwd: Path, capsys: pytest.CaptureFixture[str], fifos: list[Path]
) -> tuple[int, str, str]:
    """``invoke`` in a thread; a run still reading a FIFO after 60 s fails the test (its
    FIFOs are opened for writing and closed, so the blocked read ends, and the thread)."""
    result: dict[str, tuple[int, str, str]] = {}
    worker = threading.Thread(target=lambda: result.update(r=invoke(args, cwd, capsys)))
    worker.daemon = True
    worker.start()
    worker.join(timeout=60)
    while worker.is_alive():
        for fifo in fifos:
            try:
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            except OSError as error:  # no reader on this one
                assert error.errno == errno.ENXIO
        worker.join(timeout=1)
        result["r"] = (-1, "", f"npinit waited on a FIFO: {args}")
    return result["r"]


def _venv(root: Path) -> Path:
    """A venv prefix (pyvenv.cfg and site-packages) with one distribution, ``demo 1.0``."""
    (root / "pyvenv.cfg").parent.mkdir(parents=True)
    (root / "pyvenv.cfg").write_text("home = /usr/bin\nversion = 3.12.1\n")
    site = root / "lib" / "python3.12" / "site-packages"
    dist = site / "demo-1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n\n")
    (dist / "INSTALLER").write_text("pip\n")
    return site


@pytest.mark.parametrize("name", ["METADATA", "INSTALLER", "direct_url.json", "WHEEL"])
def test_a_fifo_in_a_dist_info_is_left_out_with_a_warning(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = _venv(tmp_path / "env")
    fifo = site / "demo-1.0.dist-info" / name
    fifo.unlink(missing_ok=True)
    os.mkfifo(fifo)
    out = tmp_path / "env.lock"
    args = ["lock", "--prefix", str(tmp_path / "env"), "--output", str(out)]
    code, _, err = _invoke_beside_fifos(args, tmp_path, capsys, [fifo])
    assert code == 0, err
    assert f"{fifo} is not a regular file (a FIFO)" in err
    assert ('name = "demo"' in out.read_text()) == (name != "METADATA")


def test_a_fifo_numpy_config_is_no_evidence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = _venv(tmp_path / "env")
    (site / "demo-1.0.dist-info").rename(site / "numpy-2.4.6.dist-info")
    (site / "numpy-2.4.6.dist-info" / "METADATA").write_text("Name: numpy\nVersion: 2.4.6\n\n")
    (site / "numpy").mkdir()
    os.mkfifo(site / "numpy" / "__config__.py")
    out = tmp_path / "env.lock"
    args = ["lock", "--prefix", str(tmp_path / "env"), "--output", str(out)]
    code, _, err = _invoke_beside_fifos(args, tmp_path, capsys, [site / "numpy" / "__config__.py"])
    assert code == 0, err
    assert 'name = "numpy"' in out.read_text()


def _conda_prefix(root: Path, record: bytes | None) -> Path:
    """A conda prefix with one good record and ``bad-1.0-0.json``: ``record``, or a FIFO."""
    meta = root / "conda-meta"
    meta.mkdir(parents=True)
    (meta / "ok-1.0-0.json").write_text('{"name": "ok", "version": "1.0", "build": "0"}')
    if record is None:
        os.mkfifo(meta / "bad-1.0-0.json")
    else:
        (meta / "bad-1.0-0.json").write_bytes(record)
    return meta / "bad-1.0-0.json"


@pytest.mark.parametrize("command", ["lock", "verify", "doctor"])
def test_a_fifo_conda_record_is_named_not_waited_on(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = _conda_prefix(tmp_path / "env", b'{"name": "bad", "version": "1.0"}')
    lock = tmp_path / "npinit.lock"
    assert (
        invoke(
            ["lock", "--prefix", str(tmp_path / "env"), "--output", str(lock)], tmp_path, capsys
        )[0]
        == 0
    )
    record.unlink()
    os.mkfifo(record)
    extra = {"lock": ["--output", str(lock)], "verify": ["--lock", str(lock)], "doctor": []}
    args = [command, "--prefix", str(tmp_path / "env"), *extra[command]]
    code, out, err = _invoke_beside_fifos(args, tmp_path, capsys, [record])
    shown = err if command != "doctor" else out + err
    assert code in (1, 2) and f"conda record {record}" in shown, shown
    assert "a FIFO" in shown and "Traceback" not in shown


def test_a_deep_conda_record_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    record = _conda_prefix(
        tmp_path / "env", b'{"name": "bad", "x": ' + b"[" * DEEP + b"]" * DEEP + b"}"
    )
    out = tmp_path / "env.lock"
    code, _, err = invoke(
        ["lock", "--prefix", str(tmp_path / "env"), "--output", str(out)], tmp_path, capsys
    )
    assert code == 2 and f"conda record {record} is corrupt" in err and "100 levels" in err
    assert len(err.strip().splitlines()) == 1 and not out.exists()


def test_a_deep_direct_url_is_left_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = _venv(tmp_path / "env")
    (site / "demo-1.0.dist-info" / "direct_url.json").write_text("[" * DEEP + "]" * DEEP)
    out = tmp_path / "env.lock"
    args = ["lock", "--prefix", str(tmp_path / "env"), "--output", str(out)]
    code, _, err = invoke(args, tmp_path, capsys)
    assert code == 0 and "direct_url.json nests lists or tables more than 100" in err


DEEP_FILES = {
    "environment.yml, flow": ("environment.yml", "dependencies: " + "[" * DEEP + "]" * DEEP),
    "environment.yml, block": (
        "environment.yml",
        "dependencies:\n  - numpy\n  - " + "- " * DEEP + "x\n",
    ),
    "pyproject.toml": (
        "pyproject.toml",
        '[project]\nname = "p"\ndependencies = ' + "[" * DEEP + "]" * DEEP + "\n",
    ),
    "pixi.toml": (
        "pixi.toml",
        '[workspace]\nname = "p"\n[dependencies]\nnumpy = ' + "{a = " * DEEP + "1" + "}" * DEEP,
    ),
    "requirements.txt": ("requirements.txt", "numpy\n" + "[" * DEEP + "\n"),
}


@pytest.mark.parametrize("case", sorted(DEEP_FILES))
@pytest.mark.parametrize("command", ["set", "init"])
def test_deep_nesting_in_a_project_file_is_one_line(
    case: str, command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name, text = DEEP_FILES[case]
    (tmp_path / name).write_text(text)
    before = sorted(p.name for p in tmp_path.iterdir())
    args = (
        ["set", str(tmp_path / name), "--numpy", "2.4.6", "--dry-run"]
        if command == "set"
        else ["init", str(tmp_path), "--no-solve", "--no-input", "--dry-run", "--python", "3.12"]
    )
    code, _, err = invoke(args, tmp_path, capsys)
    assert "Traceback" not in err and "RecursionError" not in err
    if name == "requirements.txt":  # brackets in a requirements file are no nesting
        return
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert "nests lists or tables more than 100 levels deep" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_deep_answers_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert invoke(["new", "p", "--manager", "pip", "--no-input"], tmp_path, capsys)[0] == 0
    answers = tmp_path / "p" / ".npinit.toml"
    answers.write_text(answers.read_text() + "deep = " + "[" * DEEP + "]" * DEEP + "\n")
    code, _, err = invoke(["set", "--numpy", "2.4.6", "--dry-run"], tmp_path / "p", capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert ".npinit.toml nests lists or tables more than 100 levels deep" in err


TWO_NUMPYS = (
    "name: demo\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.12\n"
    "  - numpy>=1.26  # the floor\n  - scipy\n  - numpy<2.3  # the ceiling\n"
)


def test_set_pins_every_numpy_entry(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "environment.yml"
    path.write_text(TWO_NUMPYS)
    code, _, err = invoke(["set", str(path), "--numpy", "2.2.6"], tmp_path, capsys)
    assert code == 0, err
    assert path.read_text() == TWO_NUMPYS.replace("numpy>=1.26", "numpy=2.2.6").replace(
        "numpy<2.3", "numpy=2.2.6"
    )


def test_init_reads_both_numpy_entries_as_one_range(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "environment.yml").write_text(TWO_NUMPYS)
    code, out, err = invoke(
        ["init", str(tmp_path), "--no-solve", "--no-input", "--json"], tmp_path, capsys
    )
    assert code == 0, err
    numpy = json.loads(out)["numpy"]
    assert numpy.startswith("2.2."), numpy  # the newest below the second entry's ceiling
    text = (tmp_path / "environment.yml").read_text()
    assert text.count(f"numpy={numpy}") == 2 and "numpy<2.3" not in text


def test_a_distribution_without_a_readable_name_and_version_is_named_and_left_out(
    tmp_path: Path,
) -> None:
    """Each way a .dist-info's METADATA or an .egg-info's PKG-INFO fails (absent, no Version,
    a FIFO, for the folder kinds and the single-file egg-info) is one warning naming the
    distribution, and the readable one beside them is still read."""
    from npinit.record.distinfo import read_dist_info

    site = _venv(tmp_path / "env")
    for name in ("gone-1.0.dist-info", "half-1.0.dist-info", "pipe-1.0.dist-info"):
        (site / name).mkdir()
    for name in ("old-1.0.egg-info", "nover-1.0.egg-info"):
        (site / name).mkdir()
    (site / "half-1.0.dist-info" / "METADATA").write_text("Name: half\n\n")
    (site / "nover-1.0.egg-info" / "PKG-INFO").write_text("Name: nover\n")
    os.mkfifo(site / "pipe-1.0.dist-info" / "METADATA")
    os.mkfifo(site / "fifo-1.0.egg-info")
    packages, warnings = read_dist_info(site, set(), "site")
    assert [p.name for p in packages] == ["demo"]
    left = "left out of the snapshot"
    assert warnings == [
        f"{site}/fifo-1.0.egg-info is not a regular file (a FIFO); fifo-1.0.egg-info {left}",
        f"{site}/gone-1.0.dist-info/METADATA does not exist; gone-1.0.dist-info {left}",
        f"{site}/half-1.0.dist-info has no readable METADATA; {left}",
        f"{site}/nover-1.0.egg-info has no readable PKG-INFO; {left}",
        f"{site}/old-1.0.egg-info/PKG-INFO does not exist; old-1.0.egg-info {left}",
        f"{site}/pipe-1.0.dist-info/METADATA is not a regular file (a FIFO); "
        f"pipe-1.0.dist-info {left}",
    ]
