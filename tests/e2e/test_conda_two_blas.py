"""A conda file selecting two BLAS families (black-box finding F10: ``libblas=*=*openblas
# [linux]`` and ``libblas=*=*mkl  # [win]``) is refused in one line naming both lines, by
init and by lock alike: every line applies on every platform (selector comments are
comments to npinit, as to ``conda env create``), and conda installs one BLAS. ``init
--blas`` replaces them and adopts the file. Real py-rattler against the conda-forge slice."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import invoke

pytestmark = pytest.mark.e2e

ONE = "channels:\n  - conda-forge\ndependencies:\n  - python=3.14\n  - numpy\n"
TWO = ONE + "  - libblas=*=*openblas  # [linux]\n  - libblas=*=*mkl  # [win]\n"
WORDS = "environment.yml selects two BLAS, 'libblas=*=*openblas' and 'libblas=*=*mkl'"


def test_two_blas_families_are_refused_by_init_and_lock_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    alias = ["--channel-alias", forge_alias, "--platform", "linux-64"]
    (tmp_path / "environment.yml").write_text(TWO)
    code, _, err = invoke(["init", "--no-input", *alias], tmp_path, capsys)
    assert code == 2 and WORDS in err and "Cannot solve" not in err, err
    assert not (tmp_path / ".npinit.toml").exists()

    code, _, err = invoke(["init", "--no-input", "--blas", "openblas", *alias], tmp_path, capsys)
    assert code == 0, err  # the edit leaves one selector
    assert "*mkl" not in (tmp_path / "environment.yml").read_text()

    pinned = (tmp_path / "environment.yml").read_text()
    (tmp_path / "environment.yml").write_text(pinned + "  - libblas=*=*mkl  # [win]\n")
    code, _, err = invoke(["lock", "--channel-alias", forge_alias], tmp_path, capsys)
    assert code == 2 and WORDS in err, err
    assert not (tmp_path / "npinit.lock").exists()
