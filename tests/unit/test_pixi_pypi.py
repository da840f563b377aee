"""A pixi manifest's PyPI dependencies: which entries each environment resolves on each
platform (pixi's rules), what npinit refuses of them (one line, nothing dropped), that each
is a lock input, and pixi.lock's PyPI entries written as pixi writes them (compared with a
real pixi-written lock, tests/data/pixi/pypi_editable.pixi.lock). The uv resolution itself
is proven in tests/e2e/test_pixi_pypi.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from npinit.editing import adopt_pixi
from npinit.errors import InvalidInput
from npinit.managers import pixi_lock
from npinit.model import Platform
from npinit.record.resolve_pixi_pypi import LockedPypi
from tests.conftest import FIXTURES

DATA = Path(__file__).parents[1] / "data" / "pixi"
MORE = FIXTURES / "realworld-more"


def _copy(tmp_path: Path, fixture: str, name: str) -> Path:
    shutil.copyfile(MORE / fixture, tmp_path / name)
    return tmp_path / name


def _lines(env: adopt_pixi.PixiEnvironment, platform: str) -> list[str]:
    return [e.line(Path("/p")) for e in env.pypi_entries(platform)]


def test_each_environment_resolves_its_features_and_targets_pypi_entries(tmp_path: Path) -> None:
    """LLMs-from-scratch: a target table applies on its platform only, a feature's table in
    the environments with that feature only, a path entry is the local project, editable."""
    default, tests = adopt_pixi.manifest_environments(
        _copy(tmp_path, "LLMs-from-scratch__pixi.toml", "pixi.toml")
    )
    assert _lines(default, "linux-64") == ["tensorflow>=2.18.0, <3", "-e /p"]
    assert _lines(default, "win-64") == [
        "tensorflow>=2.18.0, <3",
        "-e /p",
        "tensorflow-cpu>=2.18.0, <3",
    ]
    assert _lines(tests, "linux-64") == [
        "pytest-ruff>=0.4.1, <0.5",
        "tensorflow>=2.18.0, <3",
        "-e /p",
    ]
    assert "tensorflow-io-gcs-filesystem==0.31.0" in _lines(tests, "win-64")
    (local,) = [e for e in default.pypi_entries("linux-64") if e.path is not None]
    assert (local.name, local.path, local.editable) == ("llms-from-scratch", ".", True)


def test_a_pyproject_manifest_resolves_its_own_dependencies_in_the_default_feature(
    tmp_path: Path,
) -> None:
    found = adopt_pixi.manifest_environments(
        _copy(tmp_path, "Network-Analysis-Made-Simple__pyproject.toml", "pyproject.toml")
    )
    by_name = {e.name: e for e in found}
    lines = _lines(by_name["docs"], "linux-64")  # docs = ["docs"]: the default feature too
    assert lines[0] == "-e /p" and "numpy>=2.0" in lines and "networkx>=3.4" in lines


def test_glum_benchmark_feature_alone_has_pypi_entries(tmp_path: Path) -> None:
    found = adopt_pixi.manifest_environments(_copy(tmp_path, "glum__pixi.toml", "pixi.toml"))
    with_pypi = {e.name for e in found if e.pypi_entries("linux-64")}
    assert with_pypi == {"benchmark"}
    assert _lines(found[[e.name for e in found].index("benchmark")], "osx-arm64") == [
        "celer",
        "h2o",
    ]


BASE = """\
[workspace]
channels = ["conda-forge"]
platforms = ["linux-64", "win-64"]

[dependencies]
python = "3.13.*"
numpy = "2.3.*"

[pypi-dependencies]
rich = ">=13"
"""


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ('rich = { git = "https://github.com/x/rich" }', "the PyPI dependency rich has git"),
        ('rich = { version = ">=13", index = "https://x" }', "the PyPI dependency rich has index"),
        ('rich = { url = "https://x/rich-13.whl" }', "the PyPI dependency rich has url"),
        ('numpy = ">=2"', "numpy in [pypi-dependencies] and in [dependencies]"),
    ],
    ids=["git", "index", "url", "numpy-twice"],
)
def test_a_pypi_entry_npinit_cannot_lock_is_refused_in_one_line(
    tmp_path: Path, change: str, named: str
) -> None:
    text = BASE.replace('rich = ">=13"', change)
    path = tmp_path / "pixi.toml"
    path.write_text(text)
    with pytest.raises(InvalidInput) as caught:
        adopt_pixi.manifest_environments(path)
    assert named in caught.value.message and "\n" not in caught.value.message
    assert "numpy" in named or "npinit cannot lock" in caught.value.message


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t.replace('rich = ">=13"', 'rich = ">=14"'),
        lambda t: t + '[target.win-64.pypi-dependencies]\ncolorama = "*"\n',
        lambda t: t + '[feature.x.pypi-dependencies]\nrich = "*"\n[environments]\nx = ["x"]\n',
        lambda t: (
            t + '[feature.x.target.linux-64.pypi-dependencies]\nrich = "*"\n'
            '[environments]\nx = ["x"]\n'
        ),
        lambda t: t.replace('rich = ">=13"', 'mine = { path = ".", editable = true }'),
        lambda t: t.replace('rich = ">=13"', 'mine = { path = ".", editable = false }'),
    ],
    ids=["version", "target", "feature", "feature-target", "path", "editable"],
)
def test_every_pypi_table_is_a_lock_input(tmp_path: Path, change: object) -> None:
    path = tmp_path / "pixi.toml"
    path.write_text(BASE)
    before = adopt_pixi.input_lines(path)
    assert callable(change)
    path.write_text(change(BASE))
    assert adopt_pixi.input_lines(path) != before


def test_a_pyprojects_own_dependencies_are_a_lock_input(tmp_path: Path) -> None:
    path = _copy(tmp_path, "Network-Analysis-Made-Simple__pyproject.toml", "pyproject.toml")
    before = adopt_pixi.input_lines(path)
    path.write_text(path.read_text().replace('"numpy>=2.0",', '"numpy>=2.1",'))
    assert adopt_pixi.input_lines(path) != before


def _pypi_entries(path: Path) -> list[dict[str, object]]:
    """The PyPI packages, by name (rattler orders the list by location, pixi 0.4x by name)."""
    found = [dict(p) for p in YAML(typ="safe").load(path.read_text())["packages"] if "pypi" in p]
    return sorted(found, key=lambda p: str(p["name"]))


def test_pixi_lock_pypi_entries_are_written_as_pixi_writes_them(tmp_path: Path) -> None:
    """The real lock's two PyPI packages (an sdist from the index, a local editable project)
    written by npinit: the same entries, key for key and in pixi's key order, and the same
    ``indexes``; py-rattler reads them back."""
    import rattler

    real = DATA / "pypi_editable.pixi.lock"
    sdist = (
        "https://files.pythonhosted.org/packages/86/9d/60f92bff1bbc8f3912e001b4116bb4810c74d3c9a8"
        "a4e5226eec094035a1/dummy_test-0.1.2.tar.gz"
    )
    sha = "8903d884f5be70521e4da650ced8b5f5d4d542e41e92310e822b4a810a786a98"
    packages = [
        LockedPypi("dummy-test", "0.1.2", sdist, sha, ((sdist, sha),)),
        LockedPypi(
            "foo", "0.1.0", "./projects/foo", editable=True,
            requires_dist=("dummy-test==0.1.3",), requires_python=">=3.11",
        ),
    ]  # fmt: skip
    written = tmp_path / "pixi.lock"
    channels = ["https://conda.anaconda.org/conda-forge/"]
    pixi_lock.write(
        written,
        {"default": (channels, {Platform.OSX_ARM64: []})},
        {"default": {Platform.OSX_ARM64: packages}},
        pixi_lock.index_url({}),
    )
    ours, theirs = _pypi_entries(written), _pypi_entries(real)
    assert ours == theirs and [list(p) for p in ours] == [list(p) for p in theirs]
    env = YAML(typ="safe").load(written.read_text())["environments"]["default"]
    assert (
        env["indexes"]
        == YAML(typ="safe").load(real.read_text())["environments"]["default"]["indexes"]
    )
    assert list(env) == ["channels", "indexes", "packages"]
    back = rattler.LockFile.from_path(written).default_environment()
    assert back is not None
    (platform,) = back.platforms()
    found = {p.name: p for p in back.pypi_packages_for_platform(platform) or []}
    hashes = found["dummy-test"].hashes
    assert hashes is not None and hashes.sha256 is not None and hashes.sha256.hex() == sha
    assert found["foo"].requires_python == ">=3.11"
