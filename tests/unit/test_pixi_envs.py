"""What npinit locks of a pixi manifest with features and environments, and what it refuses
(one rule for init and lock: ``adopt_pixi.lockable``), and the lock inputs they add."""

from __future__ import annotations

from pathlib import Path

import pytest

from npinit.editing import adopt_pixi
from npinit.errors import InvalidInput

BASE = """\
[workspace]
channels = ["conda-forge"]
platforms = ["linux-64", "osx-arm64"]

[dependencies]
python = "3.13.*"

[feature.test.dependencies]
pytest = "*"

[feature.bench]
platforms = ["linux-64"]

[feature.bench.target.unix.dependencies]
numexpr = "*"

[environments]
test = ["test"]
bench = { features = ["test", "bench"], no-default-feature = true }
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pixi.toml"
    path.write_text(text)
    return path


def test_features_and_environments_are_locked(tmp_path: Path) -> None:
    found = adopt_pixi.manifest_environments(write(tmp_path, BASE))
    assert [e.name for e in found] == ["default", "test", "bench"]
    default, test, bench = found
    assert default.for_platform("linux-64") == ["python 3.13.*"]
    assert test.for_platform("osx-arm64") == ["pytest *", "python 3.13.*"]
    assert bench.on(["linux-64", "osx-arm64"]) == ["linux-64"]
    assert bench.for_platform("linux-64") == ["pytest *", "numexpr *"]


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        ('[feature.test.system-requirements]\ncuda = "12"\n', "[feature.test.system-requirements]"),
        (
            '[feature.test.target.linux-64.pypi-dependencies]\nrich = { git = "https://x" }\n',
            "pixi.toml: the PyPI dependency rich has git",
        ),
        (
            '[feature.test.target."linux-*".dependencies]\nrich = "*"\n',
            "[feature.test.target.linux-*] (a selector npinit does not read)",
        ),
        (
            '[environments.lint]\nfeatures = ["lint"]\n',
            "environments.lint (its feature 'lint' is not defined)",
        ),
        (
            '[environments.ci]\nfeatures = "test"\n',
            "environments.ci (not a list of feature names)",
        ),
        (
            '[environments.ci]\nfeatures = ["test"]\nsystem-requirements = "x"\n',
            "environments.ci.system-requirements",
        ),
    ],
)
def test_what_a_feature_uses_that_npinit_cannot_lock_is_named(
    tmp_path: Path, extra: str, named: str
) -> None:
    text = BASE + extra
    with pytest.raises(InvalidInput) as caught:
        adopt_pixi.manifest_environments(write(tmp_path, text))
    assert named in caught.value.message and "npinit cannot lock" in caught.value.message
    assert "\n" not in caught.value.message


def test_a_feature_dependency_from_a_url_is_refused(tmp_path: Path) -> None:
    text = BASE + '[feature.test.dependencies.mine]\nurl = "https://example.org/mine.conda"\n'
    with pytest.raises(InvalidInput, match="the dependency mine has url"):
        adopt_pixi.manifest_environments(write(tmp_path, text))


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t.replace('pytest = "*"', 'pytest = ">=8"'),  # a feature's dependency
        lambda t: t.replace('platforms = ["linux-64"]\n', 'platforms = ["osx-arm64"]\n'),
        lambda t: t.replace("target.unix", "target.linux"),  # a feature's target
        lambda t: t.replace('test = ["test"]', 'test = ["test", "bench"]'),  # an environment
        lambda t: t.replace("no-default-feature = true", "no-default-feature = false"),
        lambda t: t + '[feature.test]\nchannels = ["bioconda"]\n',
    ],
)
def test_every_feature_and_environment_input_changes_the_lock_inputs(
    tmp_path: Path, change: object
) -> None:
    before = adopt_pixi.input_lines(write(tmp_path, BASE))
    assert callable(change)
    after = adopt_pixi.input_lines(write(tmp_path, change(BASE)))
    assert before != after


def test_a_manifest_without_features_keeps_its_lock_inputs(tmp_path: Path) -> None:
    """Locks written before features were read stay fresh: the same lines, in order."""
    text = BASE.split("[feature.test")[0] + (
        '[target.linux-64.dependencies]\nlibblas = { version = "*", build = "*mkl" }\n'
    )
    assert adopt_pixi.input_lines(write(tmp_path, text)) == [
        "channel conda-forge",
        "python 3.13.*",
        "linux-64: libblas * *mkl",
        "platforms: linux-64, osx-arm64",
    ]
