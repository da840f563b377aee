"""numpy only in the files a conda ``pip:`` section includes (black-box cp3: init added a
conda numpy 2.3.5 beside them and the lock held two numpys) is THE numpy: init solves it
with uv, pins it where it is (each include's numpy line), adds no conda numpy, and npinit
lock holds that one numpy from PyPI; lock --check agrees."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import invoke, lock_section

pytestmark = pytest.mark.e2e


def test_a_numpy_only_in_the_includes_is_pinned_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    env = (
        "name: s4\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.12\n  - pip:\n"
        "    - -r reqs.txt\n    - -c cons.txt\n"
    )
    (tmp_path / "environment.yml").write_text(env)
    (tmp_path / "reqs.txt").write_text("numpy>=1.26\nthreadpoolctl\n")
    (tmp_path / "cons.txt").write_text("numpy<2.3\n")
    code, _, err = invoke(["init", "--no-input", "--channel-alias", forge_alias], tmp_path, capsys)
    assert code == 0, err
    assert (tmp_path / "environment.yml").read_text() == env
    assert (tmp_path / "reqs.txt").read_text() == "numpy==2.2.6\nthreadpoolctl\n"
    assert (tmp_path / "cons.txt").read_text() == "numpy==2.2.6\n"
    assert 'numpy-from = "pip"' in (tmp_path / ".npinit.toml").read_text()
    code, _, err = invoke(["lock", "--channel-alias", forge_alias], tmp_path, capsys)
    assert code == 0, err
    numpys = [p for p in lock_section(tmp_path / "npinit.lock")["packages"] if p["name"] == "numpy"]
    assert [(p["version"], p["source"]) for p in numpys] == [("2.2.6", "pypi")]
    assert invoke(["lock", "--check"], tmp_path, capsys)[0] == 0
