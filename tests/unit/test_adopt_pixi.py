"""A pixi manifest's environments as the conda specs init solves (pins chosen by solving)."""

from __future__ import annotations

import tomllib

from npinit.editing.adopt_pixi import environments
from npinit.editing.adopt_read import pixi_manifest
from tests.conftest import FIXTURES


def test_pyxis_environments_keep_their_features_and_platforms() -> None:
    text = (FIXTURES / "realworld-more/pyxis__python__pixi.toml").read_text()
    channels, found = environments(pixi_manifest(tomllib.loads(text)))
    assert channels == ["conda-forge"]
    assert [e.name for e in found] == ["default", "bench"]
    default, bench = found
    assert "numpy 2.3.*" in default.common and "python 3.13.*" in default.common
    assert "numba ==0.67.0" not in default.common and default.platforms is None
    assert "numba ==0.67.0" in bench.common and bench.platforms == frozenset({"linux-64"})


def test_no_default_feature_targets_and_tables() -> None:
    doc = {
        "project": {"channels": ["conda-forge", "bioconda"]},
        "dependencies": {"python": "3.12.*"},
        "target": {"win-64": {"dependencies": {"pywin32": "*"}}},
        "feature": {"lint": {"dependencies": {"ruff": {"version": ">=0.5", "build": "py_0"}}}},
        "environments": {"lint": {"features": ["lint"], "no-default-feature": True}},
    }
    channels, (default, lint) = environments(doc)
    assert channels == ["conda-forge", "bioconda"]
    assert default.for_platform("win-64") == ["python 3.12.*", "pywin32 *"]
    assert default.for_platform("linux-64") == ["python 3.12.*"]
    assert lint.common == ["ruff >=0.5 py_0"]  # no default feature: no python
