"""``npinit lock --from-env`` of a small venv (a hand-made site-packages: no installer runs):
the lock it writes, a second run that changes nothing writes nothing (same inode and mtime),
and a lock that differs is written again."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import add_distributions, invoke

# (name, version): plain releases and the forms a PEP 440 reader must be asked about
DISTRIBUTIONS = [("tiny", "1.0"), ("Odd_Name", "2.0.post1"), ("local", "1.0+cpu")]


def fake_venv(prefix: Path, distributions: list[tuple[str, str]]) -> Path:
    """A venv as ``lock --from-env`` reads it: pyvenv.cfg and one ``.dist-info`` (METADATA,
    WHEEL, INSTALLER) for each distribution."""
    site = prefix / "lib" / "python3.12" / "site-packages"
    site.mkdir(parents=True)
    (prefix / "pyvenv.cfg").write_text("home = /usr/bin\nversion_info = 3.12.1\n")
    add_distributions(site, distributions)
    return prefix


@pytest.fixture
def project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    args = ["new", "p", "--manager", "pip", "--python", "3.12", "--numpy", "2.4.6"]
    args += ["--platform", "linux-64", "--ci", "none", "--no-input", "--no-solve"]
    code, _, err = invoke(args, tmp_path, capsys)
    assert code == 0, err
    fake_venv(tmp_path / "p" / ".venv", DISTRIBUTIONS)
    return tmp_path / "p"


def test_a_lock_from_env_that_changes_nothing_writes_nothing(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lock = project / "npinit.lock"
    code, _, err = invoke(["lock", "--from-env"], project, capsys)
    assert code == 0, err
    text = lock.read_text()
    assert 'name = "odd-name"\nversion = "2.0.post1"' in text and 'version = "1.0+cpu"' in text
    first = lock.stat()
    code, out, err = invoke(["lock", "--from-env"], project, capsys)
    assert code == 0 and out.splitlines()[-1] == "npinit.lock: no change", err
    again = lock.stat()  # nothing changed: nothing was written
    assert (again.st_ino, again.st_mtime_ns) == (first.st_ino, first.st_mtime_ns)
    assert lock.read_text() == text
    lock.write_text(text.replace('version = "1.0"', 'version = "0.9"'))  # what differs
    code, _, err = invoke(["lock", "--from-env"], project, capsys)
    assert code == 0 and lock.read_text() == text, err
    assert lock.stat().st_ino != first.st_ino


def test_a_dangling_direct_url_is_said_and_an_absent_one_is_not(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Most distributions have no direct_url.json (one look says so); a link to nothing in
    its place is still read, and said to be left out."""
    site = project / ".venv" / "lib" / "python3.12" / "site-packages"
    (site / "tiny-1.0.dist-info" / "direct_url.json").symlink_to(project / "nowhere.json")
    code, _, err = invoke(["lock", "--from-env"], project, capsys)
    assert code == 0, err
    assert err.count("direct_url.json does not exist; its content was left out") == 1, err
    assert "tiny-1.0.dist-info/direct_url.json" in err
