"""``.npinit.toml`` read without tomllib (:func:`npinit.tomlio.scan_answers`, what ``create``
and ``lock`` read a project by): whatever it keeps is exactly what tomllib reads from the same
text, and it keeps every file npinit writes; anything else is left to tomllib (None)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from npinit.tomlio import load_answers, scan_answers

ROOT = Path(__file__).resolve().parents[2]
WRITTEN = sorted((ROOT / "examples").glob("*/.npinit.toml"))
LINES = [
    "# Written by npinit 0.1.0: the answers this project was generated from.",
    "#:schema https://example.org/npinit.toml.schema.json",
    "[project]",
    'name = "demo"',
    'manager = "pip"',
    'platforms = ["linux-64", "win-64"]',
    "with = []",
    "threads = 2",
    '[blas."linux-64"]',
    "[blas.win-64]",
    'variant = "openblas"',
    'acceptable = ["openblas"]',
]
# lines where a reader that took the text as it looks would read another value than TOML
TRICKY = [
    "threads = 012",
    "threads = -0",
    "threads = 1_000",
    'name = "a" # note',
    'name = "a"\r',
    'name = "a\\u0041"',
    "name = 'a'",
    'name = "a\x01"',
    "# a\x7f comment",
    "#\ta comment",
    'with = ["a""b"]',
    'with = ["a", ]',
    'with = [ "a" ]',
    "flag = True",
    'name="a"',
    '  name = "a"',
    'a.b = "c"',
    "[[project]]",
    '["project"]',
    "[project] # t",
    'name = { a = "b" }',
    'name = "\u00e9"',
    "\ufeff[project]",
]


@pytest.mark.parametrize("path", WRITTEN, ids=lambda p: p.parent.name)
def test_every_file_npinit_writes_is_read_without_tomllib(path: Path) -> None:
    text = path.read_text("utf-8")
    assert scan_answers(text) == tomllib.loads(text) != {}


@pytest.mark.parametrize("line", TRICKY)
def test_a_line_not_in_npinit_form_is_left_to_tomllib(line: str) -> None:
    text = f'[project]\nname = "x"\n{line}\n' if "name" not in line else f"[project]\n{line}\n"
    assert scan_answers(text) is None


@pytest.mark.parametrize(
    "text",
    [
        '[project]\nname = "a"\nname = "b"\n',  # a key twice
        '[project]\nname = "a"\n[project]\n',  # a table twice
        '[blas."x"]\n[blas.x]\n',  # the same table, quoted and bare
        'blas = "x"\n[blas.y]\n',  # a table under a value
        "[project]\n[blas.linux-64]\n[blas]\n",  # a table made implicitly, then defined
    ],
)
def test_a_key_or_table_given_twice_is_left_to_tomllib(text: str) -> None:
    assert scan_answers(text) is None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(LINES + TRICKY + ["", " ", "=", '"', "[", "]"]), max_size=12))
def test_what_is_kept_is_what_tomllib_reads(lines: list[str]) -> None:
    text = "\n".join(lines)
    kept = scan_answers(text)
    if kept is None:
        return
    assert kept == tomllib.loads(text)


def test_load_answers_reads_both_ways_alike() -> None:
    """The same table whether the file is in npinit's form or only valid TOML."""
    plain = '[project]\nname = "demo"\nplatforms = ["linux-64"]\n'
    other = "[project]\nname = 'demo'  # hand-edited\nplatforms = [ 'linux-64' ]\n"
    assert scan_answers(plain) is not None and scan_answers(other) is None
    assert load_answers(plain, "a") == load_answers(other, "b") == tomllib.loads(plain)["project"]
