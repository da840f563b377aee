"""One source of truth for the pins (issue 25): after ``npinit set``, the files npinit
generated from ``.npinit.toml`` (the environment check, the README, the CI workflow, the
header comment of the manager's file) say what ``npinit new`` would write for the new answers;
a line changed by hand is left and named; ``--dry-run`` shows every one of them; ``init``'s
check agrees with its ``.npinit.toml``."""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.helpers import invoke, tree

EXAMPLES = json.loads((ROOT / "examples/examples.json").read_text())["examples"]
MANAGER_FILES = ("environment.yml", "requirements.txt", "pyproject.toml", "pixi.toml")


def _other(args: list[str], option: str, value: str) -> list[str]:
    """``args`` with ``option``'s value replaced (or added)."""
    if option not in args:
        return [*args, option, value]
    at = args.index(option) + 1
    return [*args[:at], value, *args[at + 1 :]]


def _kinds(args: list[str]) -> dict[str, tuple[list[str], list[str]]]:
    """Each kind of set that applies: (set's options, new's options for the same answers)."""
    numpy = "2.3.5" if args[args.index("--numpy") + 1] != "2.3.5" else "2.4.6"
    blas = "mkl" if "openblas" in args else "openblas"
    kinds = {
        "numpy": (["--numpy", numpy], _other(args, "--numpy", numpy)),
        "python": (["--python", "3.13", "--no-solve"], _other(args, "--python", "3.13")),
    }
    if "conda" in args or "pixi" in args:  # PyPI files take only the default BLAS
        kinds["blas"] = (["--blas", blas], _other(args, "--blas", blas))
    if "conda" in args:
        channel = "conda-forge" if "defaults" in args else "defaults"
        kinds["channel"] = (["--channel", channel], _other(args, "--channel", channel))
    return kinds


CASES = [(name, kind) for name, args in EXAMPLES.items() for kind in _kinds(args)]


@pytest.mark.parametrize(("name", "kind"), CASES)
def test_after_set_the_generated_files_are_what_new_writes(
    name: str, kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "set" / name
    shutil.copytree(ROOT / "examples" / name, project)
    options, args = _kinds(EXAMPLES[name])[kind]
    code, _, err = invoke(["set", *options], project, capsys)
    assert code == 0, err
    code, _, err = invoke(
        ["new", name, *args, "--no-input", "--no-solve", "--output-dir", str(tmp_path / "new")],
        tmp_path,
        capsys,
    )
    assert code == 0, err
    made, fresh = tree(project), tree(tmp_path / "new" / name)
    assert sorted(made) == sorted(fresh)
    changed = [n for n in made if made[n] != (ROOT / "examples" / name / n).read_bytes()]
    assert "tests/test_environment.py" in changed or kind == "channel"
    assert "README.md" in changed
    for file, data in made.items():
        if file in MANAGER_FILES:  # set's own editor: its header comment is the generated part
            assert data.splitlines()[0] == fresh[file].splitlines()[0], file
        else:
            assert data == fresh[file], file


def test_a_line_changed_by_hand_is_left_and_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "pip-openblas"
    shutil.copytree(ROOT / "examples/pip-openblas", project)
    readme = project / "README.md"
    readme.write_text(
        readme.read_text().replace("Python 3.12, NumPy 2.4.6 (pinned)", "NumPy 2.4.6, our pin")
    )
    code, out, _ = invoke(["set", "--numpy", "2.3.5", "--dry-run"], project, capsys)
    assert code == 0
    assert "+Python 3.12, NumPy 2.3.5, and the BLAS below." in out  # the rest is carried
    assert "-EXPECTED_NUMPY = '2.4.6'\n+EXPECTED_NUMPY = '2.3.5'" in out
    assert "our pin" not in out
    code, _, err = invoke(["set", "--numpy", "2.3.5"], project, capsys)
    assert code == 0
    assert "README.md: 1 line(s) npinit would change were changed by hand" in err
    assert "NumPy 2.4.6, our pin" in readme.read_text()
    assert "Python 3.12, NumPy 2.3.5, and the BLAS below." in readme.read_text()


def _expected(check: str) -> dict[str, object]:
    """The EXPECTED_* values a generated check holds, by executing its assignments."""
    lines = check.split("\nEXPECTED_PYTHON", 1)[1].split("\nFAMILIES", 1)[0]
    values: dict[str, object] = {}
    exec("EXPECTED_PYTHON" + lines, {}, values)
    return values


def test_init_then_set_the_check_agrees_with_the_answers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """init's check (under init's own name, beside the project's tests/test_environment.py)
    holds the answers init records, and after set the ones set records."""
    (tmp_path / "requirements.txt").write_text("numpy>=2.0\nrequests\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests/test_environment.py").write_text("def test_mine():\n    pass\n")
    (tmp_path / "README.md").write_text("# mine\n\nNumPy 2.4.6\n")
    args = ["init", "--no-input", "--no-solve", "--python", "3.12", "--platform", "linux-64"]
    code, _, err = invoke(args, tmp_path, capsys)
    assert code == 0, err
    check = tmp_path / "tests/test_npinit_environment.py"
    for options in ([], ["set", "--numpy", "2.3.5"], ["set", "--python", "3.13", "--no-solve"]):
        if options:
            code, _, err = invoke(options, tmp_path, capsys)
            assert code == 0, err
        answers = tomllib.loads((tmp_path / ".npinit.toml").read_text())
        expected = _expected(check.read_text())
        assert expected["EXPECTED_PYTHON"] == answers["project"]["python"]
        assert expected["EXPECTED_NUMPY"] == answers["project"]["numpy"]
        assert expected["EXPECTED_BLAS"] == {
            platform: table["acceptable"] for platform, table in answers["blas"].items()
        }
    assert (tmp_path / "tests/test_environment.py").read_text() == "def test_mine():\n    pass\n"
    assert (tmp_path / "README.md").read_text() == "# mine\n\nNumPy 2.4.6\n"
