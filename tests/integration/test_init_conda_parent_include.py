"""A conda file in a subfolder whose ``pip:`` section includes a file above it, inside the
project (``envs/environment.yml`` with ``-r ../reqs.txt``): init pins the numpy of that file
where it is, as lock reads it, and adds no conda numpy (it said the include was outside the
project: not edited, and added a conda numpy beside it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import invoke


def test_an_include_above_the_file_is_pinned_where_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "envs").mkdir()
    env = "channels:\n  - conda-forge\ndependencies:\n  - python=3.12\n  - pip:\n"
    env += "    - -r ../reqs.txt\n"
    (tmp_path / "envs/environment.yml").write_text(env)
    (tmp_path / "reqs.txt").write_text("requests\nnumpy<2\n")
    args = ["init", "--no-input", "--no-solve", "envs/environment.yml"]
    code, out, err = invoke(args, tmp_path, capsys)
    assert code == 0, err
    assert "outside the project" not in out + err
    assert (tmp_path / "reqs.txt").read_text() == "requests\nnumpy==1.26.4\n"
    assert (tmp_path / "envs/environment.yml").read_text() == env
