"""npinit's own release workflow: trusted publishing from a job that can do nothing else,
every action pinned to a release commit (the same pins the generated workflows use), valid
for GitHub's schema and clean for zizmor; the generated CI runs exactly the npinit version
that generated it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from npinit import __version__
from npinit.ci import ACTIONS
from tests.conftest import ROOT, run
from tests.helpers import invoke
from tests.integration.test_ci import checkers  # noqa: F401  (the fixture)

RELEASE = ROOT / ".github/workflows/release.yml"


def _load(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text("utf-8"))


def test_release_publishes_with_trusted_publishing_only() -> None:
    workflow = _load(RELEASE)
    assert workflow["on"] == {"release": {"types": ["published"]}}
    assert workflow["permissions"] == {}
    build, publish = workflow["jobs"]["build"], workflow["jobs"]["publish"]
    assert build["permissions"] == {"contents": "read"}
    assert publish["permissions"] == {"id-token": "write"} and publish["needs"] == "build"
    assert publish["environment"]["name"] == "pypi"
    step = publish["steps"][-1]
    assert step["uses"].startswith("pypa/gh-action-pypi-publish@") and "with" not in step
    commands = " ".join(s.get("run", "") for s in build["steps"])
    assert "python -m build" in commands and "twine check --strict" in commands
    code = [line.split("#")[0] for line in RELEASE.read_text().splitlines()]
    assert not [line for line in code if "password" in line or "secrets." in line]


def test_every_action_is_pinned_to_a_commit_and_shares_the_generated_pins() -> None:
    uses = re.findall(r"uses: (\S+)@(\S+)\s+#\s*(v[\d.]+)", RELEASE.read_text())
    assert len(uses) == 5
    for _, ref, tag in uses:
        assert re.fullmatch(r"[0-9a-f]{40}", ref), ref
        assert tag.startswith("v")
    generated = {a.split("@")[0]: a.split("@")[1].split()[0] for a in ACTIONS.values()}
    for action, ref, _ in uses:
        if action in generated:
            assert ref == generated[action], action  # one pin per action


def test_the_schema_and_zizmor_accept_it(checkers: Path) -> None:  # noqa: F811
    run([checkers / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", RELEASE])
    result = run([checkers / "zizmor", "--offline", "--no-progress", RELEASE], check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("manager", ["pip", "conda"])
def test_generated_ci_runs_exactly_this_npinit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], manager: str
) -> None:
    code, _, err = invoke(
        ["new", "p", "--manager", manager, "--platform", "linux-64", "--ci", "github",
         "--no-input"], tmp_path, capsys,
    )  # fmt: skip
    assert code == 0, err
    text = (tmp_path / "p/.github/workflows/environment.yml").read_text()
    runs = [line for line in text.splitlines() if "npinit lock --check" in line]
    assert runs and all(f"--spec npinit=={__version__} npinit" in line for line in runs)
    assert "pipx run npinit" not in text
