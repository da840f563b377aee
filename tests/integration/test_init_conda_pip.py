"""``npinit init`` on a conda file whose numpy is in its ``pip:`` section (issue 26's
black-box run): the pip numpy is the one pinned, in place (only that line changes), no conda
numpy is added; the recorded BLAS is what PyPI's wheels carry, and one they cannot carry is
refused. Proven by re-parsing the YAML, and (e2e) by npinit lock against the conda-forge
slice with uv resolving the pip: section: one numpy in the lock."""

from __future__ import annotations

import difflib
import json
import tomllib
from pathlib import Path

import pytest

from tests.helpers import invoke, load_yaml, tree

BLOCK = (
    "channels:\n  - conda-forge\ndependencies:\n  - python=3.12\n  - pip\n  - pip:\n"
    "    - numpy==1.26.4  # the pip one\n    - pandas\n"
)
FLOW = "dependencies: [python=3.12, pip, {pip: [numpy, pandas]}]\n"


def _changed(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="")
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


@pytest.mark.parametrize(
    ("text", "args", "old", "new"),
    [
        (BLOCK, [], None, None),  # the pin fits Python 3.12: kept, nothing edited
        (
            BLOCK,
            ["--numpy", "2.3.5"],
            "numpy==1.26.4  # the pip one",
            "numpy==2.3.5  # the pip one",
        ),
        (FLOW, ["--numpy", "2.3.5"], "{pip: [numpy, pandas]}", "{pip: [numpy==2.3.5, pandas]}"),
    ],
    ids=["kept", "block", "flow"],
)
def test_a_pip_numpy_is_pinned_in_place_and_no_conda_numpy_is_added(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    text: str,
    args: list[str],
    old: str | None,
    new: str | None,
) -> None:
    (tmp_path / "environment.yml").write_text(text)
    code, out, err = invoke(["init", "--no-solve", "--no-input", "--json", *args], tmp_path, capsys)
    assert code == 0, err
    report = json.loads(out)
    after = (tmp_path / "environment.yml").read_text()
    if old is None:
        assert after == text and report["numpy"] == "1.26.4"
        assert "the file's pin, kept" in " ".join(report["decisions"])
    else:
        changed = _changed(text, after)
        assert len(changed) == 2 and old in changed[0] and str(new) in changed[1], changed
    deps = load_yaml(tmp_path / "environment.yml")["dependencies"]
    assert not any(isinstance(d, str) and d.startswith("numpy") for d in deps)  # no conda numpy
    answers = tomllib.loads((tmp_path / ".npinit.toml").read_text())
    assert answers["project"]["numpy"] == report["numpy"]
    assert answers["project"]["numpy-from"] == "pip"
    # PyPI's wheels: OpenBLAS on linux-64 (conda-forge's default would be the same here,
    # but win-64's would be mkl): the check expects what the wheel carries
    check = (tmp_path / "tests/test_environment.py").read_text()
    assert f"EXPECTED_NUMPY = {report['numpy']!r}" in check
    assert "'linux-64': ['openblas']" in check


def test_a_pip_numpy_records_the_wheels_blas_on_every_platform(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """win-64's conda-forge default is mkl, but a pip numpy there carries OpenBLAS; NumPy
    2's macOS 14 arm64 wheels carry Accelerate (conda-forge's default there is OpenBLAS)."""
    (tmp_path / "environment.yml").write_text(BLOCK)
    args = ["init", "--no-solve", "--no-input", "--platform", "linux-64,win-64,osx-arm64"]
    args += ["--numpy", "2.3.5"]
    assert invoke(args, tmp_path, capsys)[0] == 0
    answers = tomllib.loads((tmp_path / ".npinit.toml").read_text())
    assert answers["blas"]["win-64"]["variant"] == "openblas"
    assert answers["blas"]["osx-arm64"]["acceptable"] == ["accelerate", "openblas"]


@pytest.mark.parametrize("how", ["selector", "asked"])
def test_a_blas_the_pip_wheel_cannot_give_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], how: str
) -> None:
    text = (
        BLOCK.replace("  - pip\n", "  - pip\n  - libblas=*=*mkl\n") if how == "selector" else BLOCK
    )
    (tmp_path / "environment.yml").write_text(text)
    before = tree(tmp_path)
    args = ["init", "--no-solve", "--no-input"] + (["--blas", "mkl"] if how == "asked" else [])
    code, _, err = invoke(args, tmp_path, capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert "pip: section" in err and "PyPI's numpy wheels carry OpenBLAS" in err, err
    assert tree(tmp_path) == before
