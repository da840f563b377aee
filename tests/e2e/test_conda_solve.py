"""The generated environment.yml really solves, with py-rattler, against real conda-forge
(and Anaconda defaults) metadata in ../shared/fixtures/channels, to the chosen BLAS."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
import rattler

from npinit import api
from npinit.spec import build_spec
from tests.conftest import FIXTURES
from tests.helpers import load_yaml

pytestmark = pytest.mark.e2e

CHANNELS = {
    "conda-forge": FIXTURES / "channels/conda-forge-blas-slice",
    "defaults": FIXTURES / "channels/defaults-2018-blas-slice",
}
VIRTUAL = {
    "linux-64": [("__glibc", "2.28"), ("__unix", "0"), ("__linux", "5.10"), ("__archspec", "1")],
    "linux-aarch64": [
        ("__glibc", "2.28"),
        ("__unix", "0"),
        ("__linux", "5.10"),
        ("__archspec", "1"),
    ],
    "osx-arm64": [("__osx", "15.5"), ("__unix", "0"), ("__archspec", "1")],
    "win-64": [("__win", "0"), ("__archspec", "1")],
}


def solve(channel_dir: Path, platform: str, specs: list[str], cache: Path) -> dict[str, Any]:
    """Solve ``specs`` for ``platform`` offline; returns {name: record}."""
    virtual = [
        rattler.GenericVirtualPackage(
            rattler.PackageName(n), rattler.Version(v), rattler.BuildString("0")
        )
        for n, v in VIRTUAL[platform]
    ]
    records = asyncio.run(
        rattler.solve(
            sources=[rattler.Channel(channel_dir.resolve().as_uri())],
            specs=[rattler.MatchSpec(s) for s in specs],
            gateway=rattler.Gateway(cache_dir=cache),
            platforms=[rattler.Subdir(platform), rattler.Subdir("noarch")],
            virtual_packages=virtual,
        )
    )
    return {r.name.normalized: r for r in records}


def generated_specs(tmp_path: Path, **answers: Any) -> tuple[Any, list[str]]:
    spec = build_spec(name="solve-me", manager="conda", **answers)
    project = api.new_project(spec, tmp_path).project
    env = load_yaml(project / "environment.yml")
    return env, [d for d in env["dependencies"] if isinstance(d, str) and d != "pip"]


# every platform x BLAS the fixture channel has; python/numpy pairs it can solve
CASES = [
    ("linux-64", "mkl", "3.14", "2.4.6", "mkl"),
    ("linux-64", "openblas", "3.14", "2.4.6", "openblas"),
    ("linux-64", "default", "3.14", "2.4.6", "openblas"),
    ("linux-64", "mkl", "3.13", "2.3.5", "mkl"),
    ("linux-64", "openblas", "3.12", "2.3.5", "openblas"),
    ("osx-arm64", "accelerate", "3.14", "2.4.6", "accelerate"),
    ("osx-arm64", "openblas", "3.14", "2.4.6", "openblas"),
    ("osx-arm64", "default", "3.14", "2.4.6", "openblas"),
    ("win-64", "mkl", "3.14", "2.4.6", "mkl"),
    ("win-64", "openblas", "3.14", "2.4.6", "openblas"),
    ("win-64", "default", "3.14", "2.4.6", "mkl"),
    ("linux-aarch64", "openblas", "3.14", "2.5.0", "openblas"),
]


@pytest.mark.parametrize(("platform", "blas", "python", "numpy", "solved_blas"), CASES)
def test_conda_forge_environment_solves_to_the_chosen_blas(
    tmp_path: Path, platform: Any, blas: str, python: str, numpy: Any, solved_blas: str
) -> None:
    env, specs = generated_specs(
        tmp_path, blas=blas, python=python, numpy=numpy, platforms=[platform], channel="conda-forge"
    )
    assert env["channels"] == ["conda-forge", "nodefaults"]
    solved = solve(CHANNELS["conda-forge"], platform, specs, tmp_path / "cache")
    assert str(solved["numpy"].version) == numpy
    assert str(solved["python"].version).startswith(python + ".")
    assert str(solved["libblas"].build).endswith(solved_blas)
    assert str(solved["liblapack"].build).endswith(solved_blas) or solved_blas == "openblas"
    from npinit.knowledge.blas import variant_from_build

    assert variant_from_build(str(solved["libblas"].build)) == solved_blas


def test_without_a_blas_line_the_fixture_would_not_give_mkl(tmp_path: Path) -> None:
    """The BLAS lines matter: dropping them changes what linux-64 solves to."""
    _, specs = generated_specs(
        tmp_path,
        blas="mkl",
        python="3.14",
        numpy="2.4.6",
        platforms=["linux-64"],
        channel="conda-forge",
    )
    bare = [s for s in specs if "blas" not in s and "lapack" not in s]
    solved = solve(CHANNELS["conda-forge"], "linux-64", bare, tmp_path / "cache")
    assert str(solved["libblas"].build).endswith("openblas")


@pytest.mark.parametrize(
    ("blas", "expected", "mkl"),
    [("mkl", "mkl", True), ("openblas", "openblas", False), ("default", "mkl", True)],
)
def test_defaults_blas_lines_solve_against_anaconda_defaults(
    tmp_path: Path, blas: str, expected: Any, mkl: Any
) -> None:
    _, specs = generated_specs(
        tmp_path,
        blas=blas,
        python="3.12",
        numpy="2.4.6",
        platforms=["linux-64"],
        channel="defaults",
    )
    blas_lines = [s for s in specs if s.startswith("blas")]
    # the 2018 slice predates NumPy 2: solve the BLAS lines with an unpinned numpy
    solved = solve(CHANNELS["defaults"], "linux-64", ["numpy", *blas_lines], tmp_path / "cache")
    assert ("mkl" in solved) is mkl
    if blas_lines:
        assert str(solved["blas"].build) == expected
