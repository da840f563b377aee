"""The bytes of a 3-platform conda lock (the benchmark's project: Python 3.14, NumPy 2.4.6,
OpenBLAS, linux-64, osx-arm64, win-64), solved by py-rattler out of the real conda-forge
metadata in ../shared/fixtures/channels: the first lock and a re-lock (the previous lock read
while py-rattler reads the repodata) both leave the golden file, byte for byte, and the
re-lock, changing nothing, writes nothing. A change made for speed must leave them alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.helpers import invoke

GOLDEN = Path(__file__).parents[1] / "data/golden/conda-3-platforms.npinit.lock"
SLICE = FIXTURES / "channels/conda-forge-blas-slice"


def test_conda_lock_of_three_platforms_is_the_golden_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("rattler")
    alias = tmp_path / "alias"
    alias.mkdir()
    (alias / "conda-forge").symlink_to(SLICE, target_is_directory=True)
    platforms = ["--platform", "linux-64", "--platform", "osx-arm64", "--platform", "win-64"]
    answers = ["--manager", "conda", "--python", "3.14", "--numpy", "2.4.6"]
    answers += ["--blas", "openblas", *platforms, "--ci", "none", "--no-input"]
    code, _, err = invoke(["new", "cp", *answers, "--output-dir", str(tmp_path)], tmp_path, capsys)
    assert code == 0, err
    project = tmp_path / "cp"
    lock = ["lock", "--channel-alias", alias.as_uri()]
    code, out, err = invoke(lock, project, capsys)
    assert code == 0, err
    assert (project / "npinit.lock").read_bytes() == GOLDEN.read_bytes()
    first = (project / "npinit.lock").stat()
    code, out, err = invoke(lock, project, capsys)  # a re-lock, keeping what the lock holds
    assert code == 0 and out.splitlines()[-1] == "npinit.lock: no change", err
    assert (project / "npinit.lock").read_bytes() == GOLDEN.read_bytes()
    again = (project / "npinit.lock").stat()  # nothing changed: nothing was written
    assert (again.st_ino, again.st_mtime_ns) == (first.st_ino, first.st_mtime_ns)
    (project / "npinit.lock").write_text("# not a lock\n")  # what differs is written again
    code, out, err = invoke(lock, project, capsys)
    assert code == 0 and (project / "npinit.lock").read_bytes() == GOLDEN.read_bytes(), err
