from typing import Any

import pytest

from npinit.errors import InvalidInput
from npinit.knowledge import blas, releases
from npinit.model import Platform
from npinit.model_spec import Blas, Channel

NEW = next(r for r in releases.all_releases() if r.version == "2.4.6")
OLD = next(r for r in releases.all_releases() if r.version == "1.26.4")


@pytest.mark.parametrize(
    ("channel", "platform", "expected"),
    [
        (Channel.CONDA_FORGE, Platform.LINUX_64, "openblas"),
        (Channel.CONDA_FORGE, Platform.WIN_64, "mkl"),
        (Channel.CONDA_FORGE, Platform.OSX_ARM64, "openblas"),
        (Channel.DEFAULTS, Platform.LINUX_64, "mkl"),
        (Channel.DEFAULTS, Platform.OSX_ARM64, "openblas"),
        (Channel.PYPI, Platform.LINUX_64, "openblas"),
        (Channel.PYPI, Platform.OSX_ARM64, "accelerate"),
    ],
)
def test_defaults(channel: Any, platform: Any, expected: Any) -> None:
    assert blas.choose_blas(channel, platform, Blas.DEFAULT, NEW).variant == expected


def test_pypi_macos_with_numpy_1_26_is_openblas_only() -> None:
    choice = blas.choose_blas(Channel.PYPI, Platform.OSX_ARM64, Blas.DEFAULT, OLD)
    assert choice.acceptable == ("openblas",)


def test_pypi_macos_cannot_pin() -> None:
    choice = blas.choose_blas(Channel.PYPI, Platform.OSX_ARM64, Blas.OPENBLAS, NEW)
    assert set(choice.acceptable) == {"accelerate", "openblas"}
    assert "cannot pin" in choice.notes[0]


@pytest.mark.parametrize(
    ("variant", "lines"),
    [
        (Blas.MKL, ("libblas=*=*mkl", "liblapack=*=*mkl")),
        (Blas.OPENBLAS, ("libblas=*=*openblas",)),
        (Blas.BLIS, ("libblas=*=*blis",)),
        (Blas.NETLIB, ("libblas=*=*netlib",)),
    ],
)
def test_conda_forge_lines_linux(variant: Blas, lines: Any) -> None:
    assert (
        blas.choose_blas(Channel.CONDA_FORGE, Platform.LINUX_64, variant, NEW).spec_lines == lines
    )


def test_conda_forge_accelerate_pins_lapack_too() -> None:
    lines = blas.choose_blas(
        Channel.CONDA_FORGE, Platform.OSX_ARM64, Blas.ACCELERATE, NEW
    ).spec_lines
    assert lines == ("libblas=*=*_accelerate", "liblapack=*=*_accelerate")


@pytest.mark.parametrize(
    ("channel", "platform", "variant", "says"),
    [
        (Channel.CONDA_FORGE, Platform.OSX_ARM64, Blas.MKL, "linux-64, win-64"),
        (Channel.CONDA_FORGE, Platform.LINUX_AARCH64, Blas.BLIS, "linux-64, osx-64, win-64"),
        (Channel.CONDA_FORGE, Platform.LINUX_64, Blas.ACCELERATE, "osx-64, osx-arm64"),
        (Channel.DEFAULTS, Platform.LINUX_64, Blas.BLIS, "conda-forge"),
        (Channel.DEFAULTS, Platform.OSX_ARM64, Blas.MKL, "linux-64, win-64"),
        (Channel.PYPI, Platform.LINUX_64, Blas.MKL, "--manager conda --blas mkl"),
        (Channel.PYPI, Platform.LINUX_64, Blas.ACCELERATE, "osx-arm64"),
    ],
)
def test_refusals_say_what_works(
    channel: Channel, platform: Platform, variant: Blas, says: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        blas.choose_blas(channel, platform, variant, NEW)
    assert says in str(caught.value)


def test_pypi_accelerate_needs_numpy_2() -> None:
    with pytest.raises(InvalidInput, match=r"NumPy 2\.0"):
        blas.choose_blas(Channel.PYPI, Platform.OSX_ARM64, Blas.ACCELERATE, OLD)


def test_several_platforms_name_every_refusal() -> None:
    with pytest.raises(InvalidInput) as caught:
        blas.choose_for_platforms(
            Channel.CONDA_FORGE,
            [Platform.LINUX_64, Platform.OSX_ARM64, Platform.LINUX_AARCH64],
            Blas.MKL,
            NEW,
        )
    assert "osx-arm64" in caught.value.message and "linux-aarch64" in caught.value.message


@pytest.mark.parametrize(
    ("build", "variant"),
    [
        ("20_linux64_openblas", "openblas"),
        ("5_h5875eb1_mkl", "mkl"),
        ("4_h8d724d3_accelerate", "accelerate"),
        ("7_hxyz_newaccelerate", "accelerate"),
        ("5_h92ddd45_netlib", "netlib"),
        ("20_linux64_blis", "blis"),
        ("mkl", "mkl"),
        ("h123_0", "unknown"),
    ],
)
def test_variant_from_build(build: str, variant: str) -> None:
    assert blas.variant_from_build(build) == variant


def test_variant_from_real_index_json() -> None:
    import json

    from tests.conftest import FIXTURES

    paths = sorted((FIXTURES / "blas-index-json").glob("libblas-*.index.json"))
    assert len(paths) >= 3, "the fixture records are missing (../shared/fixtures)"
    for path in paths:
        record = json.loads(path.read_text())
        expected = path.name.split("_")[-1].split(".")[0]
        assert blas.variant_from_build(record["build"]) == expected
