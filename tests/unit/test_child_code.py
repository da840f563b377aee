"""A child process a test starts runs the code under test: this checkout's ``src``, not the
checkout the shared venv's editable install points at (a git worktree's subprocess tests ran
/work/main's code while their in-process tests ran the worktree's)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import npinit
from tests.conftest import cache_lock, checkout_src, run

PROBE = "import npinit, sys; print(npinit.__file__); print(sys.path[1])"


def test_every_test_hands_its_children_this_checkouts_src() -> None:
    """The mechanism: PYTHONPATH is this checkout's ``src`` (tests/conftest.py), whatever the
    caller's PYTHONPATH was."""
    here = Path(npinit.__file__).resolve()
    assert checkout_src() == here.parents[1] and (checkout_src() / "npinit").is_dir()
    assert os.environ["PYTHONPATH"] == str(checkout_src())


def test_a_child_python_imports_the_npinit_this_test_imports() -> None:
    """What it gives: ``python -m npinit`` in a child (by subprocess or tests.conftest.run,
    environment inherited) loads the same files as the test; from a worktree without the
    PYTHONPATH above, it loaded the venv's editable install (another checkout)."""
    expected = str(Path(npinit.__file__).resolve())
    direct = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    )
    through_run = run([sys.executable, "-c", PROBE])
    for result in (direct, through_run):
        loaded, first_path = result.stdout.splitlines()
        assert str(Path(loaded).resolve()) == expected
        assert first_path == str(checkout_src())


def test_a_shared_cache_entry_is_built_by_one_run_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every test run on the machine (each worktree's, each xdist worker's) shares
    shared_cache(): while one holds an entry's cache_lock, another cannot take it."""
    import fcntl

    monkeypatch.setenv("NPINIT_TEST_CACHE", str(tmp_path))
    with cache_lock("some-venv") as entry:
        assert entry == tmp_path / "some-venv"
        with open(tmp_path / ".some-venv.lock", "w") as other, pytest.raises(BlockingIOError):
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # another run's try
    with open(tmp_path / ".some-venv.lock", "w") as other:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free again
