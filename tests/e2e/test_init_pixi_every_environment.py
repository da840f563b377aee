"""init's NumPy for a pixi manifest resolves in every environment the lock solves (black-box
px7: init pinned numpy 2.5.0, whose only linux-64 build is for Python 3.14, and lock failed
for environment py312): each Python tried is held back by an environment that does not
resolve with the NumPy chosen, and the line names it; npinit lock then solves them all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import invoke

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
    assert (plan["python"], plan["numpy"]) == ("3.13", "2.3.5")
    held = "Python 3.13: Python 3.14 does not resolve: pixi environment 'py312' does not "
    assert f"{held}resolve with numpy 2.5.0" in plan["decisions"], plan["decisions"]
    code, _, err = invoke(["lock", "--channel-alias", forge_alias], tmp_path, capsys)
    assert code == 0, err
