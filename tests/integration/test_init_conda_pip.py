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


INCLUDING = (
    "channels:\n  - conda-forge\ndependencies:\n  - python=3.14\n  - numpy>=2.4,<2.5\n"
    "  - pip:\n    - -r {include}\n"
)


@pytest.mark.parametrize(
    ("include", "words"),
    [
        (
            "../outside.txt",
            "environment.yml's pip: section includes ../outside.txt, outside the project",
        ),
        (
            "missing.txt",
            "environment.yml's pip: section includes missing.txt, which does not exist",
        ),
        ("link.txt", "environment.yml's pip: section includes link.txt, outside the project"),
        ("nested.txt", "nested.txt includes ../outside.txt, outside the project"),
    ],
    ids=["outside", "missing", "link-out", "nested-outside"],
)
def test_an_include_lock_cannot_follow_is_refused_by_init_and_lock_alike(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], include: str, words: str, forge_alias: str
) -> None:
    """The jail rule (requirements.lockable_includes): never read outside the project,
    never follow a link out; init refuses first, with lock's own words."""
    root = tmp_path / "p"
    root.mkdir()
    (tmp_path / "outside.txt").write_text("threadpoolctl\n")
    (root / "link.txt").symlink_to(tmp_path / "outside.txt")
    (root / "nested.txt").write_text("-r ../outside.txt\n")
    (root / "environment.yml").write_text(INCLUDING.format(include=include))
    before = tree(tmp_path)
    code, _, err = invoke(["init", "--no-solve", "--no-input"], root, capsys)
    assert code == 2 and err.startswith(f"npinit: error: {words}"), err
    assert len(err.strip().splitlines()) == 1 and tree(tmp_path) == before
    # recorded by hand, lock refuses it in the same words
    (root / ".npinit.toml").write_text(
        '[project]\nname = "p"\nmanager = "conda"\npython = "3.14"\nnumpy = "2.4.6"\n'
        'platforms = ["linux-64"]\nfile = "environment.yml"\n'
    )
    code, _, err = invoke(["lock", "--channel-alias", forge_alias], root, capsys)
    assert code == 2 and err.startswith(f"npinit: error: {words}"), err
    assert not (root / "npinit.lock").exists()


def test_a_file_the_pip_section_includes_is_no_choice_of_its_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "environment.yml").write_text(INCLUDING.format(include="requirements.txt"))
    (tmp_path / "requirements.txt").write_text("threadpoolctl\n")
    code, out, err = invoke(["init", "--no-solve", "--no-input", "--json"], tmp_path, capsys)
    assert code == 0, err
    assert json.loads(out)["file"] == "environment.yml"
