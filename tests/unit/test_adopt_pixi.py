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


def test_a_target_replaces_the_common_entry_of_the_same_name_as_pixi_does() -> None:
    """pixi's ``Feature::dependencies``: a matching target overwrites the feature's entry
    (``DependencyMap::overwrite``); the solver never sees both BLAS builds."""
    doc = {
        "workspace": {"platforms": ["linux-64", "osx-arm64"]},
        "dependencies": {"libblas": {"version": "*", "build": "*openblas"}, "numpy": "2.4.6"},
        "target": {"linux-64": {"dependencies": {"libblas": {"version": "*", "build": "*mkl"}}}},
    }
    (default,) = environments(doc)[1]
    assert default.for_platform("linux-64") == ["libblas * *mkl", "numpy 2.4.6"]
    assert default.for_platform("osx-arm64") == ["libblas * *openblas", "numpy 2.4.6"]


def test_glum_environments_by_pixis_rules() -> None:
    text = (FIXTURES / "realworld-more/glum__pixi.toml").read_text()
    channels, found = environments(pixi_manifest(tomllib.loads(text)))
    by_name = {e.name: e for e in found}
    assert found[0].name == "default" and len(found) == 11
    default = by_name["default"]
    assert default.feature_names == ("dev", "test")
    assert "ipdb *" in default.common and "tabmat >=4.2.0" in default.common  # the default feature
    alone = by_name["glum-tabmat"]
    assert "tabmat >=4.2.0" not in alone.common  # no-default-feature
    # [feature.build-tabmat.target.unix.dependencies]: linux and macOS, not Windows
    assert "jemalloc-local *" in alone.for_platform("linux-64")
    assert "jemalloc-local *" in alone.for_platform("osx-arm64")
    assert "jemalloc-local *" not in alone.for_platform("win-64")
    # across features every spec is kept (pixi's merge_all): the solver meets both
    oldies = by_name["oldies"].for_platform("linux-64")
    assert "numpy 1.24.*" in oldies and "numpy >=1.24" in oldies
    assert by_name["benchmark"].pypi_for_platform("linux-64") == {"celer": ["*"], "h2o": ["*"]}
    assert channels == ["conda-forge"] and default.channels == ("conda-forge",)


def test_channels_of_features_by_priority() -> None:
    doc = {
        "workspace": {"channels": ["conda-forge"]},
        "feature": {
            "cuda": {"channels": [{"channel": "nvidia", "priority": 1}, "conda-forge"]},
            "bio": {"channels": ["conda-forge", "bioconda"]},
        },
        "environments": {"gpu": ["cuda", "bio"]},
    }
    _, (default, gpu) = environments(doc)
    assert default.channels == ("conda-forge",)
    assert gpu.channels == ("nvidia", "conda-forge", "bioconda")


def test_a_pinned_numpy_keeps_its_quotes_in_a_string_and_in_an_inline_table() -> None:
    """Only the version changes (black-box finding: an inline table's single-quoted version
    came back double-quoted); a string and a target's inline table alike."""
    from npinit.editing.toml_files import edit_pixi

    text = (
        "[workspace]\nchannels = ['conda-forge']\nplatforms = ['linux-64']\n\n"
        "[dependencies]\nnumpy = { version = '>=2.3,<2.5', build = \"*\" }\n\n"
        "[target.linux-64.dependencies]\nnumpy = '>=2.3'\n"
    )
    edited = edit_pixi(text, "pixi.toml", numpy="2.4.6")
    assert edited == text.replace("'>=2.3,<2.5'", "'==2.4.6'").replace(
        "numpy = '>=2.3'", "numpy = '==2.4.6'"
    )
