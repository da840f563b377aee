"""Render every manager x BLAS x channel x platform combination with real cookiecutter and
parse each output with the parser of the tool that consumes it."""

from __future__ import annotations

import ast
import itertools
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement

from npinit import api
from npinit.errors import InvalidInput
from npinit.model_spec import ProjectSpec
from npinit.spec import build_spec
from tests.helpers import load_yaml, tree

BLASES = ["default", "openblas", "mkl", "blis", "netlib", "accelerate"]
PLATFORM_SETS = [["linux-64"], ["linux-aarch64"], ["osx-64"], ["osx-arm64"], ["win-64"], ["all"]]
# DOMAIN.md section 2, written out independently of npinit's own table
CONDA_FORGE_LINES = {
    "openblas": ["libblas=*=*openblas"],
    "mkl": ["libblas=*=*mkl", "liblapack=*=*mkl"],
    "blis": ["libblas=*=*blis"],
    "netlib": ["libblas=*=*netlib"],
    "accelerate": ["libblas=*=*_accelerate", "liblapack=*=*_accelerate"],
    "default": [],
}
DEFAULTS_LINES = {"openblas": ["blas=*=openblas"], "mkl": ["blas=*=mkl"], "default": []}


def combinations() -> Iterator[tuple[str, str, str | None, list[str]]]:
    for manager, blas, platforms in itertools.product(
        ["conda", "pip", "poetry", "uv", "pixi"], BLASES, PLATFORM_SETS
    ):
        channels = ["conda-forge", "defaults"] if manager == "conda" else [None]
        for channel in channels:
            yield manager, blas, channel, platforms


def _spec(
    manager: str,
    blas: str,
    channel: str | None,
    platforms: Any,
    python: str = "3.12",
    numpy: str = "2.4.6",
) -> ProjectSpec:
    return build_spec(
        name="demo-proj",
        manager=manager,
        blas=blas,
        channel=channel,
        platforms=platforms,
        python=python,
        numpy=numpy,
        threads=3,
        with_packages=["scipy"],
    )


VALID = []
INVALID = []
for combo in combinations():
    try:
        _spec(*combo)
        VALID.append(combo)
    except InvalidInput:
        INVALID.append(combo)


def test_matrix_has_both_outcomes() -> None:
    # guards the parametrisation below: both lists must be substantial
    assert len(VALID) > 40 and len(INVALID) > 40


@pytest.mark.parametrize(("manager", "blas", "channel", "platforms"), VALID)
def test_valid_combination_renders_and_parses(
    tmp_path: Path, manager: str, blas: str, channel: Any, platforms: Any
) -> None:
    spec = _spec(manager, blas, channel, platforms)
    result = api.new_project(spec, tmp_path)
    project = result.project
    settings = tomllib.loads((project / ".npinit.toml").read_text("utf-8"))
    assert settings["project"]["numpy"] == "2.4.6"
    assert set(settings["blas"]) == {p.value for p in spec.platforms}
    test_source = (project / "tests/test_environment.py").read_text("utf-8")
    module = ast.parse(test_source)
    constants = {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in module.body
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Name)
        and node.targets[0].id.startswith("EXPECTED")
    }
    assert constants["EXPECTED_NUMPY"] == "2.4.6" and constants["EXPECTED_PYTHON"] == "3.12"
    assert set(constants["EXPECTED_BLAS"]) == {p.value for p in spec.platforms}
    if blas not in ("default",) and manager == "conda":
        assert all(v == [blas] for v in constants["EXPECTED_BLAS"].values())
    assert constants["EXPECTED_THREADS"] == 3
    compile(test_source, "test_environment.py", "exec")
    for path in project.rglob("*.py"):
        compile(path.read_text("utf-8"), str(path), "exec")

    if manager == "conda":
        env = load_yaml(project / "environment.yml")
        deps = env["dependencies"]
        assert env["name"] == "demo-proj"
        assert deps[:2] == ["python=3.12", "numpy=2.4.6"]
        table = CONDA_FORGE_LINES if channel == "conda-forge" else DEFAULTS_LINES
        assert [d for d in deps if "blas" in d or "lapack" in d] == table[blas]
        expected_channels = (
            ["conda-forge", "nodefaults"] if channel == "conda-forge" else ["defaults"]
        )
        assert env["channels"] == expected_channels
        assert env["variables"]["OPENBLAS_NUM_THREADS"] == "3"
        assert "scipy" in deps
    elif manager == "pip":
        lines = [
            line
            for line in (project / "requirements.txt").read_text("utf-8").splitlines()
            if line and not line.startswith("#")
        ]
        reqs = {Requirement(line).name: str(Requirement(line).specifier) for line in lines}
        assert reqs["numpy"] == "==2.4.6" and "scipy" in reqs
        assert (project / ".python-version").read_text().strip() == "3.12"
        assert not (project / "environment.yml").exists()
    elif manager == "pixi":
        from tests.pixi_rules import check_pixi_manifest

        data = tomllib.loads((project / "pixi.toml").read_text("utf-8"))
        check_pixi_manifest(data)
        assert data["dependencies"]["numpy"] == "==2.4.6"
        assert data["dependencies"]["python"] == "3.12.*"
        assert data["activation"]["env"]["MKL_NUM_THREADS"] == "3"
        assert data["workspace"]["platforms"] == [p.value for p in spec.platforms]
        for choice in spec.blas_choices:
            target = data.get("target", {}).get(choice.platform.value, {})
            libblas = target.get("dependencies", {}).get("libblas") or data["dependencies"].get(
                "libblas"
            )
            if choice.spec_lines:
                assert libblas["build"] == CONDA_FORGE_LINES[choice.variant][0].split("=")[2]
            else:
                assert libblas is None
    else:
        data = tomllib.loads((project / "pyproject.toml").read_text("utf-8"))
        assert data["project"]["requires-python"] == ">=3.12,<3.13"
        assert [
            str(Requirement(d).specifier)
            for d in data["project"]["dependencies"]
            if Requirement(d).name == "numpy"
        ] == ["==2.4.6"]
        if manager == "poetry":
            assert data["tool"]["poetry"]["packages"] == [{"include": "demo_proj", "from": "src"}]
        else:
            from packaging.markers import Marker

            environments = data["tool"]["uv"]["environments"]
            assert environments == data["tool"]["uv"]["required-environments"]
            assert len(environments) == len(spec.platforms)
            for marker in environments:
                Marker(marker)  # PEP 508, as uv requires
            assert data["dependency-groups"]["dev"] == ["pytest", "threadpoolctl"]
            assert (project / ".python-version").read_text().strip() == "3.12"
    if manager in ("pip", "poetry", "uv"):
        conftest = (project / "tests/conftest.py").read_text("utf-8")
        assert "os.environ.setdefault('MKL_NUM_THREADS', '3')" in conftest


@pytest.mark.parametrize(("manager", "blas", "channel", "platforms"), INVALID)
def test_invalid_combination_is_refused(
    manager: str, blas: str, channel: Any, platforms: Any
) -> None:
    with pytest.raises(InvalidInput) as caught:
        _spec(manager, blas, channel, platforms)
    assert caught.value.message and caught.value.hint  # says what is wrong and what to do


def test_rendering_is_deterministic(tmp_path: Path) -> None:
    spec = _spec("conda", "mkl", "conda-forge", ["linux-64", "win-64"])
    first = tree(api.new_project(spec, tmp_path / "a").project)
    second = tree(api.new_project(spec, tmp_path / "b").project)
    assert first == second


def test_free_text_cannot_become_structure(tmp_path: Path) -> None:
    text = "a: b # \"c\" 'd' [e] {f}\\ \x7f"
    spec = build_spec(
        name="esc",
        manager="poetry",
        description=text,
        author=text,
        python="3.12",
        numpy="2.4.6",
        platforms=["linux-64"],
    )
    project = api.new_project(spec, tmp_path).project
    data = tomllib.loads((project / "pyproject.toml").read_text("utf-8"))
    assert data["project"]["description"] == text
    assert data["project"]["authors"] == [{"name": text}]
    assert tomllib.loads((project / ".npinit.toml").read_text("utf-8"))["project"]["name"] == "esc"
    init = project / "src/esc/__init__.py"
    assert ast.get_docstring(ast.parse(init.read_text("utf-8"))) == text
