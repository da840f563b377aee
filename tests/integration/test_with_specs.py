"""`--with` takes each value whole: PEP 508 for PyPI managers, conda's MatchSpec grammar for
conda and pixi (py-rattler's parser, and a fallback grammar held to the same table); the
conda specs solve with py-rattler against the fixture channel."""

from __future__ import annotations

from pathlib import Path

import pytest

from npinit.matchspec import parse_without_rattler
from npinit.spec import conda_spec_name
from npinit.template_ext import _split
from tests.conftest import FIXTURES
from tests.helpers import invoke, load_yaml

# real specs from conda files and the conda docs: (spec, its name, or None when invalid)
CONDA_TABLE = [
    ("scipy", "scipy"),
    ("scipy>=1.14,<2", "scipy"),
    ("scipy 1.14.*", "scipy"),
    ("scipy >=1.14", "scipy"),
    ("conda-forge::scipy", "scipy"),
    ("conda-forge::scipy>=1.14", "scipy"),
    ("scipy=1.14", "scipy"),
    ("scipy=1.14=*_0", "scipy"),
    ("scipy==1.14.1", "scipy"),
    ("scipy 1.14.1 py312h_0", "scipy"),
    ("scipy >=1.14 | <1.0", "scipy"),
    ('scipy[version=">=1.14"]', "scipy"),
    ("python-dateutil", "python-dateutil"),
    ("ruamel.yaml>=0.18", "ruamel.yaml"),
    ("scipy; rm -rf", None),
    ("<2", None),
    ("scipy>>1", None),
    ("scipy$", None),
    ("scipy=", None),
    ("", None),
]


@pytest.mark.parametrize(("spec", "name"), CONDA_TABLE)
def test_rattler_and_the_fallback_agree_on_real_specs(spec: str, name: str | None) -> None:
    assert conda_spec_name(spec) == name
    fallback = parse_without_rattler(spec)
    assert (fallback.name if fallback else None) == name


# the usual spellings of a --with value for pixi: (spec, pixi.toml's value for it)
PIXI_TABLE = [
    ("scipy", "*"),
    ("scipy>=1.14,<2", ">=1.14,<2"),
    ("scipy 1.14.*", "1.14.*"),
    ("scipy >=1.14", ">=1.14"),
    ("scipy=1.14", "1.14.*"),
    ("scipy==1.14.1", "==1.14.1"),
    ("ruamel.yaml>=0.18", ">=0.18"),
]


@pytest.mark.parametrize(("spec", "value"), PIXI_TABLE)
def test_pixi_values_are_rattlers_and_the_fallback_agrees(spec: str, value: str) -> None:
    from npinit.managers.pixi import dependencies
    from npinit.spec import build_spec

    project = build_spec(
        name="w", manager="pixi", platforms=["linux-64"], with_packages=[spec], numpy="2.3"
    )
    name = conda_spec_name(spec)
    assert name is not None
    assert dependencies(project)[name] == value
    fallback = parse_without_rattler(spec)
    assert fallback is not None and (fallback.name, fallback.nameless) == (name, value)


@pytest.mark.parametrize(
    "spec", ["pytest>=9,<10", "pytest 9.*", "{channel}::pytest", "pytest=9.0.3=*_1",
             "pytest >=9.0 | <8"],
)  # fmt: skip
def test_conda_specs_solve_with_py_rattler(spec: str, tmp_path: Path) -> None:
    from tests.e2e.test_conda_solve import solve

    channel = FIXTURES / "channels/conda-forge-blas-slice"
    spec = spec.replace("{channel}", channel.resolve().as_uri())  # a channel by its URL
    records = solve(channel, "linux-64", [spec, "python 3.12.*"], tmp_path)
    assert "pytest" in records


@pytest.mark.parametrize(
    ("manager", "spec", "file", "line"),
    [
        ("conda", "scipy>=1.14,<2", "environment.yml", "scipy>=1.14,<2"),
        ("conda", "conda-forge::scipy 1.14.*", "environment.yml", "conda-forge::scipy 1.14.*"),
        ("pip", "scipy>=1.14,<2", "requirements.txt", "scipy>=1.14,<2"),
        ("pip", "pandas[excel,plot]>=2", "requirements.txt", "pandas[excel,plot]>=2"),
        ("pip", 'tomli; python_version < "3.11"', "requirements.txt",
         'tomli; python_version < "3.11"'),
    ],
)  # fmt: skip
def test_new_writes_each_value_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], manager: str, spec: str, file: str,
    line: str,
) -> None:  # fmt: skip
    code, _, err = invoke(
        [
            "new",
            "w",
            "--manager",
            manager,
            "--platform",
            "linux-64",
            "--no-input",
            "--no-solve",
            "--with",
            spec,
        ],
        tmp_path,
        capsys,
    )
    assert code == 0, err
    path = tmp_path / "w" / file
    if file == "environment.yml":
        assert line in load_yaml(path)["dependencies"]
    else:
        assert line in path.read_text().splitlines()


def test_the_template_splits_a_typed_list_only_between_names() -> None:
    assert _split("scipy>=1.14,<2, pandas[excel,plot], tomli") == (
        "scipy>=1.14,<2",
        "pandas[excel,plot]",
        "tomli",
    )
    assert _split("a\nb>=1,<2\n") == ("a", "b>=1,<2")


PEP508_TABLE = [
    "packaging>=24,<27",
    "rich[jupyter]>=13",
    'tomli; python_version < "3.99"',
    "six==1.16.0",
]


@pytest.mark.e2e
def test_pep508_specs_resolve_with_pip(tmp_path: Path) -> None:
    """The PyPI values npinit takes whole are ones pip itself resolves, commas and all."""
    import json
    import subprocess
    import sys

    from npinit.model import Manager
    from npinit.spec import check_with

    assert check_with(PEP508_TABLE, Manager.PIP) == tuple(PEP508_TABLE)
    report = tmp_path / "report.json"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--no-deps", "--ignore-installed",
         "--quiet", "--report", str(report), *PEP508_TABLE],
        check=True, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    names = sorted(
        item["metadata"]["name"].lower() for item in json.loads(report.read_text())["install"]
    )
    assert names == ["packaging", "rich", "six", "tomli"]
