"""A conda file whose numpy is in its ``pip:`` section, adopted and locked for real: init
solves the conda part with py-rattler against the conda-forge slice and pins the pip numpy
in place; npinit lock (py-rattler, then uv for the pip: section against the index) holds one
numpy per platform, from PyPI, whose BLAS is the one .npinit.toml and the check accept."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from tests.helpers import invoke, load_yaml, lock_section

pytestmark = pytest.mark.e2e

FILE = (
    "channels:\n  - conda-forge\ndependencies:\n  - python=3.14\n  - pip:\n"
    "    - numpy>=2.4,<2.5\n    - threadpoolctl\n"
)


def test_a_pip_numpy_is_the_one_numpy_init_pins_and_lock_holds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    (tmp_path / "environment.yml").write_text(FILE)
    args = ["init", "--no-input", "--json", "--channel-alias", forge_alias]
    code, out, err = invoke([*args, "--platform", "linux-64,osx-arm64,win-64"], tmp_path, capsys)
    assert code == 0, err
    assert json.loads(out)["numpy"] == "2.4.6"
    after = (tmp_path / "environment.yml").read_text()
    assert after == FILE.replace("numpy>=2.4,<2.5", "numpy==2.4.6")
    assert load_yaml(tmp_path / "environment.yml")["dependencies"][1]["pip"][0] == "numpy==2.4.6"
    code, _, err = invoke(["lock", "--channel-alias", forge_alias], tmp_path, capsys)
    assert code == 0, err
    answers = tomllib.loads((tmp_path / ".npinit.toml").read_text())
    check = (tmp_path / "tests/test_environment.py").read_text()
    for platform in ("linux-64", "osx-arm64", "win-64"):
        section = lock_section(tmp_path / "npinit.lock", platform)
        numpys = [p for p in section["packages"] if p["name"] == "numpy"]
        assert [(p["version"], p["source"]) for p in numpys] == [("2.4.6", "pypi")]
        acceptable = answers["blas"][platform]["acceptable"]
        assert section["blas"]["variant"] == answers["blas"][platform]["variant"]
        assert f"{platform!r}: {acceptable!r}" in check
    assert invoke(["lock", "--check"], tmp_path, capsys)[0] == 0


def test_lock_follows_the_includes_of_the_pip_section_inside_the_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    """``-r requirements.txt`` (which has ``-c constraints/c.txt``) inside a conda pip:
    section: init adopts it and npinit lock resolves it on the first try; the included
    files are lock inputs (a change there makes the lock stale)."""
    (tmp_path / "environment.yml").write_text(
        "channels:\n  - conda-forge\ndependencies:\n  - python=3.14\n  - numpy>=2.4,<2.5\n"
        "  - pip:\n    - -r requirements.txt\n"
    )
    (tmp_path / "requirements.txt").write_text("threadpoolctl\n-c constraints/c.txt\n")
    (tmp_path / "constraints").mkdir()
    (tmp_path / "constraints/c.txt").write_text("threadpoolctl<3.6\n")
    args = ["init", "--no-input", "--channel-alias", forge_alias]
    code, _, err = invoke(args, tmp_path, capsys)
    assert code == 0, err
    code, _, err = invoke(["lock", "--channel-alias", forge_alias], tmp_path, capsys)
    assert code == 0, err
    packages = lock_section(tmp_path / "npinit.lock")["packages"]
    pypi = {p["name"]: p["version"] for p in packages if p["source"] == "pypi"}
    assert list(pypi) == ["threadpoolctl"] and pypi["threadpoolctl"].startswith("3.5.")
    assert invoke(["lock", "--check"], tmp_path, capsys)[0] == 0
    (tmp_path / "constraints/c.txt").write_text("threadpoolctl<3.5\n")
    code, _, err = invoke(["lock", "--check"], tmp_path, capsys)
    assert code == 2 and "threadpoolctl<3.5" in err, err


def test_a_pip_package_needing_numpy_gets_the_conda_numpy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    """pandas in the pip: section needs numpy: conda's numpy is installed when pip runs and
    satisfies it, so the lock holds that one numpy (uv resolved the section with the conda
    numpy as a constraint; the PyPI numpy 2.5.5 beside it was a second, newer numpy)."""
    (tmp_path / "environment.yml").write_text(
        "channels:\n  - conda-forge\ndependencies:\n  - python=3.14\n  - numpy>=2.4,<2.5\n"
        "  - pip:\n    - pandas\n"
    )
    args = ["init", "--no-input", "--channel-alias", forge_alias, "--platform", "linux-64,win-64"]
    assert invoke(args, tmp_path, capsys)[0] == 0
    code, _, err = invoke(["lock", "--channel-alias", forge_alias], tmp_path, capsys)
    assert code == 0, err
    for platform in ("linux-64", "win-64"):
        packages = lock_section(tmp_path / "npinit.lock", platform)["packages"]
        numpys = [(p["version"], p["source"]) for p in packages if p["name"] == "numpy"]
        assert numpys == [("2.4.6", "conda")], numpys
        assert any(p["name"] == "pandas" and p["source"] == "pypi" for p in packages)
