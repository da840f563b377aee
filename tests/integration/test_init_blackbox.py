"""What a black-box tester of ``npinit init`` found (issue 26), each proven on the real path:
pixi in pyproject.toml pinned where pixi reads it, included files, outside includes and
pixi features refused by lock's own rule, unparseable requirements files refused with their
line, the decision lines saying what the file had, the ``--hash`` lines of a numpy pin."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from tests.helpers import invoke, lock_section, tree

PIXI_PYPROJECT = """\
[project]
name = "demo"
version = "0.1.0"

[tool.pixi.workspace]
channels = ["conda-forge"]
platforms = ["linux-64"]

[tool.pixi.dependencies]
numpy = ">=2.4"
python = "3.14.*"
"""


def test_pixi_in_pyproject_is_pinned_where_pixi_reads_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str
) -> None:
    """numpy is pinned in [tool.pixi.dependencies], not added to [project] dependencies
    (which pixi installs from PyPI and npinit's lock refuses); then lock solves it."""
    root = tmp_path / "p"
    root.mkdir()
    (root / "pyproject.toml").write_text(PIXI_PYPROJECT)
    code, out, err = invoke(
        ["init", "--no-solve", "--no-input", "--json", "--numpy", "2.4.6"], root, capsys
    )
    assert code == 0, err
    assert json.loads(out)["manager"] == "pixi"
    doc = tomllib.loads((root / "pyproject.toml").read_text())
    assert doc["tool"]["pixi"]["dependencies"]["numpy"] == "==2.4.6"
    assert "dependencies" not in doc["project"]
    code, _, err = invoke(["lock", "--channel-alias", forge_alias], root, capsys)
    assert code == 0, err
    section = lock_section(root / "npinit.lock", "linux-64")
    assert {p["name"]: p["version"] for p in section["packages"]}["numpy"] == "2.4.6"


def _folder(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "p"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_an_included_file_is_no_separate_choice_and_its_numpy_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """requirements/base.txt, included by requirements.txt, is part of it: the search finds
    one file; the decision line names the entry where it is, and base.txt is edited."""
    root = _folder(
        tmp_path,
        {"requirements.txt": "-r requirements/base.txt\npandas\n", "requirements/base.txt": ""},
    )
    (root / "requirements/base.txt").write_text("numpy>=1.26\nscipy\n")
    code, out, err = invoke(["init", "--no-solve", "--no-input", "--json"], root, capsys)
    assert code == 0, err
    report = json.loads(out)
    assert report["file"] == "requirements.txt" and report["changed"] == ["requirements/base.txt"]
    line = next(d for d in report["decisions"] if d.startswith("NumPy"))
    assert line.endswith("(the file has numpy>=1.26 in requirements/base.txt)"), line
    assert "the newest release for Python" in line
    assert (root / "requirements.txt").read_text() == "-r requirements/base.txt\npandas\n"


def test_the_decision_line_says_unpinned_where_it_is_and_an_asked_numpy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _folder(tmp_path, {"requirements.txt": "-r base.txt\n", "base.txt": "numpy\n"})
    code, out, err = invoke(["init", "requirements.txt", "--no-solve", "--yes"], root, capsys)
    assert code == 0, err
    assert "(the file has numpy (unpinned) in base.txt)" in out and "no numpy entry" not in out
    other = _folder(tmp_path / "q", {"requirements.txt": "numpy>=1.26\n"})
    args = ["init", "--no-solve", "--yes", "--numpy", "2.3.5", "--python", "3.12"]
    code, out, err = invoke(args, other, capsys)
    assert code == 0, err
    assert "NumPy 2.3.5: asked for (--numpy), for Python 3.12 (the file has numpy>=1.26)" in out
    assert "newest" not in out.split("NumPy 2.3.5")[1].splitlines()[0]


HASHED = (
    "numpy==2.3.5 \\\n    --hash=sha256:aaaa \\\n    --hash=sha256:bbbb\n"
    "six==1.16.0 --hash=sha256:cc\n"
)


def test_hashed_numpy_lines_are_kept_and_a_new_pin_says_its_hashes_went(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A pin that stays keeps its line and its hashes, byte for byte; a new pin drops only
    that line's hashes (they are the old release's), and says pip needs the file compiled
    again; every other line keeps its own."""
    root = _folder(tmp_path, {"requirements.txt": HASHED})
    args = ["init", "--no-solve", "--no-input", "--json", "--python", "3.12"]
    code, out, err = invoke(args, root, capsys)
    assert code == 0, err
    assert json.loads(out)["numpy"] == "2.3.5" and json.loads(out)["changed"] == []
    assert (root / "requirements.txt").read_text() == HASHED
    other = _folder(tmp_path / "q", {"requirements.txt": HASHED})
    code, out, err = invoke([*args, "--numpy", "2.4.4"], other, capsys)
    assert code == 0, err
    assert (other / "requirements.txt").read_text() == (
        "numpy==2.4.4\nsix==1.16.0 --hash=sha256:cc\n"
    )
    said = " ".join(json.loads(out)["decisions"])
    assert "--hash lines for the old numpy pin: they were dropped" in said
    assert "pip --require-hashes refuses the file until it is compiled again" in said


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("num\\py>=2", "'num\\\\py>=2' is not a requirement pip reads"),
        ("numpy\x1b[31m>=2", "'numpy\\x1b[31m>=2' holds control characters"),
        ("--frobnicate", "is not an option pip knows (--frobnicate)"),
        ("numpy>=2 --color", "has an option pip does not take after a requirement (--color)"),
    ],
)
def test_a_line_pip_refuses_is_refused_with_its_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, reason: str
) -> None:
    root = _folder(tmp_path, {"requirements.txt": "-r req/base.txt\n", "req/base.txt": ""})
    (root / "req/base.txt").write_text(f"scipy\n# a comment\n{line}\n")
    before = tree(root)
    code, _, err = invoke(["init", "--no-solve", "--no-input"], root, capsys)
    assert code == 2 and err.startswith("npinit: error: req/base.txt, line 3: "), err
    assert reason in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and tree(root) == before


@pytest.mark.parametrize(
    ("files", "words"),
    [
        (
            {"p/requirements.txt": "-r ../shared.txt\n", "shared.txt": "numpy\n"},
            "requirements.txt includes ../shared.txt, outside the project: npinit cannot lock",
        ),
        (
            {
                "p/pixi.toml": '[workspace]\nchannels = ["conda-forge"]\nplatforms = ["linux-64"]\n'
                '[dependencies]\nnumpy = "*"\n[feature.test.dependencies]\npytest = "*"\n'
                '[feature.test.pypi-dependencies]\nrich = { git = "https://github.com/x/rich" }\n'
                '[environments]\ntest = ["test"]\n'
            },
            "pixi.toml: the PyPI dependency rich has git, which npinit cannot lock",
        ),
    ],
    ids=["outside-include", "pixi-features"],
)
def test_what_lock_refuses_init_refuses_by_the_same_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str], words: str
) -> None:
    """init refuses what lock would refuse, with lock's own words (one rule: lock's), and
    lock still refuses it when the file is recorded by hand."""
    top = _folder(tmp_path, files)
    root = top / "p"
    before = tree(top)
    code, _, err = invoke(["init", "--no-solve", "--no-input"], root, capsys)
    assert code == 2 and err.startswith(f"npinit: error: {words}"), err
    assert len(err.strip().splitlines()) == 1 and tree(top) == before


PLATFORMS_KEY = {
    "environment.yml": (
        "channels:\n  - conda-forge\nplatforms:\n  - linux-64\ndependencies:\n"
        "  - python 3.14.*\n  - numpy >=2.4,<2.5\n",
        ("  - linux-64\n", "  - linux-64\n  - win-64\n"),
    ),
    "pixi.toml": (
        '[workspace]\nchannels = ["conda-forge"]\nplatforms = ["linux-64"]\n'
        '[dependencies]\npython = "3.14.*"\nnumpy = ">=2.4,<2.5"\n',
        ('["linux-64"]', '["linux-64", "win-64"]'),
    ),
}


@pytest.mark.parametrize("name", sorted(PLATFORMS_KEY))
def test_a_platform_added_to_the_files_platforms_makes_the_lock_stale(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], forge_alias: str, name: str
) -> None:
    """The file's own platforms list (conda-lock's `platforms:` key, pixi's workspace
    platforms) is among the lock's inputs: a platform added there makes lock --check exit 2
    naming it (issue 25's rule: every input is an input)."""
    text, (old, new) = PLATFORMS_KEY[name]
    root = _folder(tmp_path, {name: text})
    args = ["init", "--no-solve", "--no-input", "--numpy", "2.4.6"]
    assert invoke(args, root, capsys)[0] == 0
    code, _, err = invoke(["lock", "--channel-alias", forge_alias], root, capsys)
    assert code == 0, err
    assert invoke(["lock", "--check"], root, capsys)[0] == 0
    (root / name).write_text((root / name).read_text().replace(old, new))
    code, _, err = invoke(["lock", "--check"], root, capsys)
    assert code == 2 and "platforms: linux-64, win-64" in err, err


@pytest.mark.parametrize(
    ("value", "code", "platforms"),
    [
        ("all", 0, ["linux-64", "osx-arm64", "win-64"]),
        ("osx-arm64,win-64", 0, ["osx-arm64", "win-64"]),
        ("bogus", 2, None),
    ],
)
def test_platform_values_are_read_as_new_reads_them(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    value: str,
    code: int,
    platforms: list[str] | None,
) -> None:
    """``--platform all`` (the README's word) and a comma list are the platforms new takes;
    an unknown name is one line, exit 2, nothing written (it was a ValueError traceback)."""
    root = tmp_path / "p"
    root.mkdir()
    (root / "requirements.txt").write_text("numpy>=2\n")
    got, out, err = invoke(
        ["init", "--no-solve", "--no-input", "--json", "--platform", value], root, capsys
    )
    assert got == code, err
    if platforms is None:
        assert len(err.strip().splitlines()) == 1 and "unknown platform 'bogus'" in err, err
        assert tree(root) == {"requirements.txt": b"numpy>=2\n"}
        return
    assert json.loads(out)["platforms"] == platforms
    answers = tomllib.loads((root / ".npinit.toml").read_text())
    assert answers["project"]["platforms"] == platforms


@pytest.mark.parametrize("text", ["six\nnumpy>=2", "numpy>=2\r\nsix\r\n", "six\nnumpy>=2\n"])
def test_the_dry_run_diff_is_a_patch_git_applies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    """The diff init shows is what it writes: ``git apply`` reads it and gives the file
    init writes (a last line without its newline is marked; it was glued to the next)."""
    import shutil
    import subprocess

    root = tmp_path / "p"
    root.mkdir()
    (root / "requirements.txt").write_bytes(text.encode())
    args = ["init", "--no-solve", "--no-input", "--numpy", "2.4.6"]
    code, out, err = invoke([*args, "--dry-run", "--json"], root, capsys)
    assert code == 0, err
    patch = json.loads(out)["diff"]
    assert patch.count("\\ No newline at end of file") == (0 if text.endswith("\n") else 2)
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    (copy / "change.patch").write_text(patch)
    applied = subprocess.run(
        ["git", "apply", "change.patch"], cwd=copy, capture_output=True, text=True, timeout=60
    )
    assert applied.returncode == 0, applied.stderr + patch
    assert invoke(args, root, capsys)[0] == 0
    assert (copy / "requirements.txt").read_bytes() == (root / "requirements.txt").read_bytes()


@pytest.mark.parametrize(
    "files",
    [
        {"requirements.txt": "numpy\n-r loop.txt\n"},
        {
            "environment.yml": "name: x\ndependencies:\n  - python=3.12\n  - pip\n  - pip:\n"
            "    - numpy\n    - -r loop.txt\n"
        },
    ],
    ids=["requirements", "conda-pip-section"],
)
def test_an_include_that_is_a_symlink_loop_is_named_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str]
) -> None:
    """Path.resolve() raises RuntimeError on a loop (Python 3.11, 3.12): init's search for
    included files, set, lock and lock --check each gave a traceback (black-box finding)."""
    root = _folder(tmp_path, files)
    (root / "loop.txt").symlink_to("loop.txt")
    before = tree(root)
    steps = [["init", "--no-input", "--no-solve"]]
    if "requirements.txt" in files:  # set follows a requirements file's includes
        steps.append(["set", "--numpy", "2.3"])
    for args in steps:
        code, _, err = invoke(args, root, capsys)
        assert code == 2, err
        assert err.count("\n") == 1 and "loop.txt is a symlink loop" in err, err
        assert tree(root) == before
    # an adopted, locked project whose include becomes a loop later
    (root / "loop.txt").unlink()
    (root / "loop.txt").write_text("\n")
    code, _, err = invoke(["init", "--no-input", "--no-solve"], root, capsys)
    assert code == 0, err
    (root / "loop.txt").unlink()
    (root / "loop.txt").symlink_to("loop.txt")
    code, _, err = invoke(["lock"], root, capsys)  # lock --check reads them the same way
    assert code == 2, err
    assert err.count("\n") == 1 and "loop.txt is a symlink loop" in err, err
