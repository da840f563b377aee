"""The hot commands' forms that run without click (``npinit.cli.fast``) read their options
exactly as click does, and do exactly what the click command does: the same output, exit code
and files."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from itertools import permutations
from pathlib import Path

import click
import pytest

import npinit
from npinit.cli import fast, fast_options
from npinit.cli.group import cli

TOOLS = Path(__file__).resolve().parents[2] / "tools"
# the npinit under test, in the interpreters the tests start too
ENV = {**os.environ, "PYTHONPATH": str(Path(npinit.__file__).resolve().parents[1])}


def _command(name: str) -> click.Command:
    command = cli.get_command(click.Context(cli), name)
    assert command is not None
    return command


def test_the_fast_options_are_the_click_commands() -> None:
    """One source of truth: the table the fast path reads is what tools/update_fast_help.py
    reads off the click commands now (a changed, added or removed option fails here)."""
    spec = importlib.util.spec_from_file_location("update_fast_help", TOOLS / "update_fast_help.py")
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    table, defaults = tool.options()
    assert (table, defaults) == (fast_options.OPTIONS, fast_options.DEFAULTS), (
        "run python tools/update_fast_help.py"
    )
    assert set(fast.RUNNERS) == set(table) and table["lock"]["--from-env"] == ("from_env", False)


def _forms(command: str) -> list[list[str]]:
    """Every option alone and every ordered pair, text options with awkward values."""
    words = {
        opt: [[opt, "x"], [opt, ""], [opt, "a b"]] if takes else [[opt]]
        for opt, (_, takes) in fast_options.OPTIONS[command].items()
    }
    singles = [form for forms in words.values() for form in forms]
    pairs = [a + b for x, y in permutations(words, 2) for a in words[x][:1] for b in words[y][:1]]
    return [[], *singles, *pairs]


@pytest.mark.parametrize("command", sorted(fast.RUNNERS))
def test_every_form_taken_gets_the_values_click_gives(command: str) -> None:
    forms = _forms(command)
    assert len(forms) > 20
    for words in forms:
        assert fast.parse(command, words) == _command(command).make_context(command, words).params


DECLINED = [
    ["--help"],
    ["-h"],
    ["--json", "--json"],
    ["--json=1"],
    ["--channel-alias"],
    ["--channel-alias", "--json"],
    ["--channel-alias", "-"],
    ["--channel-alias", "a", "--channel-alias", "b"],
    ["somewhere"],
    ["--debug"],
    ["--bundle", "b"],
    ["--prefix", "p"],
    ["--format", "pylock"],
    ["--platform", "linux-64"],
    ["--from-env", "--bogus"],
]


@pytest.mark.parametrize("words", DECLINED, ids=" ".join)
@pytest.mark.parametrize("command", sorted(fast.RUNNERS))
def test_any_other_form_goes_to_click(command: str, words: list[str]) -> None:
    assert fast.parse(command, words) is None
    assert fast.recognised([command, *words]) is None
    assert fast.recognised(["verify"]) is None and fast.recognised([]) is None


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A pip project (no resolver) with a venv of its own and a lock recorded from it."""
    root = tmp_path_factory.mktemp("fast")
    args = ["new", "p", "--manager", "pip", "--python", "3.12", "--numpy", "2.4.6"]
    args += ["--platform", "linux-64", "--ci", "none", "--no-input", "--no-solve"]
    args += ["--output-dir", str(root)]
    subprocess.run(
        [sys.executable, "-m", "npinit", *args], check=True, capture_output=True, env=ENV
    )
    venv = [sys.executable, "-m", "venv", "--without-pip", str(root / "p" / ".venv")]
    subprocess.run(venv, check=True)
    return root / "p"


def _files(root: Path) -> dict[str, bytes | str]:
    return {
        p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else "dir")
        for p in sorted(root.rglob("*"))
        if ".venv" not in p.relative_to(root).parts
    }


def _both(where: Path, args: list[str]) -> list[tuple[int, str, str, dict[str, bytes | str]]]:
    """``npinit ARGS`` run in ``where`` the fast way, then (from the same files) through
    click, each in a fresh interpreter as ``npinit`` runs: each run's exit code, output,
    error output and files. The fast run loads no click, the other does."""
    saved = where.parent / f"{where.name}.saved"
    shutil.rmtree(saved, ignore_errors=True)
    shutil.copytree(where, saved, symlinks=True)
    runs = []
    for way in (True, False):
        shutil.rmtree(where)
        shutil.copytree(saved, where, symlinks=True)
        marker = where.parent / "loaded-click"
        code = (
            "import sys\nfrom npinit.cli import main\ntry:\n"
            f"    main({args!r}, fast={way})\nfinally:\n"
            f"    open({str(marker)!r}, 'w').write(str('click' in sys.modules))"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=where, capture_output=True, text=True, env=ENV
        )
        assert marker.read_text() == str(not way), done.stderr
        runs.append((done.returncode, done.stdout, done.stderr, _files(where)))
    return runs


FORMS = [
    ["lock", "--from-env"],
    ["lock", "--from-env", "--json"],
    ["lock", "--check"],
    ["lock", "--check", "--json"],
    ["lock", "--upgrade", "--from-env"],
    ["lock", "--json", "--dry-run", "--from-env"],
]


@pytest.mark.parametrize("args", FORMS, ids=" ".join)
def test_both_ways_give_the_same_output_exit_code_and_files(args: list[str], project: Path) -> None:
    assert fast.recognised(args) is not None
    fast_run, click_run = _both(project, args)
    assert fast_run == click_run
    assert fast_run[1] or fast_run[2]  # each says something


@pytest.mark.parametrize("args", [["lock", "--from-env"], ["create", "--no-check"]], ids=" ".join)
def test_both_ways_refuse_alike_outside_a_project(args: list[str], tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    fast_run, click_run = _both(tmp_path / "empty", args)
    assert fast_run == click_run
    assert fast_run[0] == 2 and fast_run[2].startswith("npinit: error: ")


# what the hot commands need not load (issue 30's start-up): each was measured costing
# them millions of instructions (callgrind) for nothing they use
UNUSED = ["json", "decimal", "tomllib", "npinit.recommend", "npinit.api.lock", "click"]


def _loaded(code: str, where: Path) -> list[str]:
    probe = f"{code}\nimport sys\nprint([m for m in {UNUSED!r} if m in sys.modules])"
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=where, capture_output=True, text=True, env=ENV
    )
    assert done.returncode == 0, done.stderr
    return eval(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_lock_from_env_loads_only_what_it_uses(project: Path) -> None:
    code = (
        "from npinit.cli import main\ntry:\n    main(['lock', '--from-env'])\n"
        "except SystemExit as stop:\n    assert stop.code == 0, stop.code"
    )
    assert _loaded(code, project) == []


def test_create_reads_its_project_and_lock_without_tomllib(project: Path) -> None:
    """What create reads before it installs (the answers, the spec, the lock) loads neither
    tomllib nor the install guide nor decimal, nor json (the release table is a module)."""
    lock = [sys.executable, "-m", "npinit", "lock", "--from-env"]
    subprocess.run(lock, cwd=project, check=True, capture_output=True, env=ENV)
    code = (
        "from pathlib import Path\nfrom npinit.spec import read_project_spec\n"
        "from npinit.record.lockfile import read_lock\n"
        "read_project_spec(Path.cwd())\nread_lock(Path('npinit.lock'))"
    )
    assert _loaded(code, project) == []
