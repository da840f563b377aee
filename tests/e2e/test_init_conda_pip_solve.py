"""A conda file's ``pip:`` section is part of init's solve (black-box bug: init pinned the
newest NumPy for the Python and the first lock failed): uv resolves the section, with the
files it includes, for the Python chosen, as the PyPI path does, and npinit lock then holds
the one numpy init pinned."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import invoke, lock_section

pytestmark = pytest.mark.e2e


def test_the_pip_section_and_its_includes_hold_numpy_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    """numba 0.60.0 needs numpy<2.1 (2.0.2 then: the pip section alone), the included
    ../reqs.txt excludes 2.0.2 (2.0.1: the include read too); the file alone allows 2.3.5."""
    (tmp_path / "envs").mkdir()
    (tmp_path / "envs/environment.yml").write_text(
        "name: cp\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.12\n  - pip:\n"
        "    - numpy>=1.26,<2.4\n    - numba==0.60.0\n    - -r ../reqs.txt\n"
    )
    (tmp_path / "reqs.txt").write_text("numpy!=2.0.2\n")
    args = ["init", "--no-input", "--json", "--channel-alias", forge_alias]
    code, out, err = invoke([*args, "envs/environment.yml"], tmp_path, capsys)
    assert code == 0, err
    plan = json.loads(out)
    assert plan["numpy"] == "2.0.1"
    assert any(d.startswith("NumPy 2.0.1: ") and "numba" in d for d in plan["decisions"]), plan
    assert "    - numpy==2.0.1\n" in (tmp_path / "envs/environment.yml").read_text()
    code, _, err = invoke(["lock", "--channel-alias", forge_alias], tmp_path, capsys)
    assert code == 0, err
    numpys = [p for p in lock_section(tmp_path / "npinit.lock")["packages"] if p["name"] == "numpy"]
    assert [(p["version"], p["source"]) for p in numpys] == [("2.0.1", "pypi")]
