"""init's NumPy resolves in every environment the lock solves, on every platform (black-box
px7: init pinned numpy 2.5.0, whose only linux-64 build is for Python 3.14, and lock failed
for environment py312): for the newest Python, NumPy steps down until every environment
resolves with it, and the line names the one that held it; npinit lock then solves them
all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import invoke, tree

pytestmark = pytest.mark.e2e

PX7 = """[workspace]
name = "px7"
channels = ["conda-forge"]
platforms = ["linux-64"]

[dependencies]
python = ">=3.12"
numpy = ">=2.3"

[feature.py312.dependencies]
python = "3.12.*"

[feature.py314.dependencies]
python = "3.14.*"

[environments]
py312 = ["py312"]
py314 = ["py314"]
"""


def test_the_numpy_chosen_resolves_in_every_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    (tmp_path / "pixi.toml").write_text(PX7)
    args = ["init", "--no-input", "--json", "--channel-alias", forge_alias]
    code, out, err = invoke(args, tmp_path, capsys)
    assert code == 0, err
    plan = json.loads(out)
    # the newest Python, then the newest NumPy for it that every environment resolves with
    # (2.5.0 and 2.4.6 have no Python 3.12 build): NumPy steps down, not Python
    assert (plan["python"], plan["numpy"]) == ("3.14", "2.3.5")
    held = "NumPy 2.3.5: the newest every solve holds (pixi environment 'py312' does not "
    assert f"{held}resolve with numpy 2.5.0)" in plan["decisions"], plan["decisions"]
    code, _, err = invoke(["lock", "--channel-alias", forge_alias], tmp_path, capsys)
    assert code == 0, err


GROUPED = """[workspace]
name = "grouped"
channels = ["conda-forge"]
platforms = ["linux-64"]

[dependencies]
python = ">=3.12"
numpy = "*"

[feature.py312.dependencies]
python = "3.12.*"

[environments]
default = { solve-group = "main" }
py312 = { features = ["py312"], solve-group = "main" }
"""


def test_a_solve_group_is_solved_together(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    """pixi solves the members of a solve-group together: default and py312 share one
    Python, 3.12 (each alone resolves with 3.14; init said 3.13 and lock then failed)."""
    (tmp_path / "pixi.toml").write_text(GROUPED)
    args = ["init", "--no-input", "--json", "--channel-alias", forge_alias]
    code, out, err = invoke(args, tmp_path, capsys)
    assert code == 0, err
    plan = json.loads(out)
    assert (plan["python"], plan["numpy"]) == ("3.12", "2.3.5")
    code, _, err = invoke(["lock", "--channel-alias", forge_alias], tmp_path, capsys)
    assert code == 0, err


def test_a_solve_group_whose_members_conflict_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    """Each member resolves alone, the group does not (pytest >=9.1 and <9.1): exit 2
    naming the group, nothing written (init wrote it, and lock then failed)."""
    text = GROUPED.replace('default = { solve-group = "main" }\n', "").replace(
        '[feature.py312.dependencies]\npython = "3.12.*"\n',
        '[feature.py312.dependencies]\npytest = "<9.1"\n\n'
        '[feature.new.dependencies]\npytest = ">=9.1"\n',
    )
    text += 'new = { features = ["new"], solve-group = "main" }\n'
    (tmp_path / "pixi.toml").write_text(text)
    before = tree(tmp_path)
    args = ["init", "--no-input", "--channel-alias", forge_alias]
    code, _, err = invoke(args, tmp_path, capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert "pixi environment solve-group 'main' ('py312', 'new') does not resolve" in err, err
    assert tree(tmp_path) == before


def test_the_numpy_chosen_resolves_on_every_recorded_platform(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    """Python 3.12: the slice's newest NumPy is 2.3.5 on linux-64, 2.4.4 on linux-aarch64,
    and neither platform has the other's. init took the oldest (2.3.5) unchecked, and lock
    then failed for linux-aarch64; now each platform is solved with it: exit 2 naming the
    platform, nothing written."""
    (tmp_path / "environment.yml").write_text(
        "channels:\n  - conda-forge\ndependencies:\n  - python>=3.12,<3.13\n  - numpy\n"
    )
    before = tree(tmp_path)
    args = ["init", "--no-input", "--platform", "linux-64", "--platform", "linux-aarch64"]
    code, _, err = invoke([*args, "--channel-alias", forge_alias], tmp_path, capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert "numpy 2.3.5 does not resolve on every platform (linux-aarch64 cannot be" in err
    assert tree(tmp_path) == before
