"""Every pattern that reads a file's text runs in time linear in the line's length: 1 MB
adversarial lines (runs of blanks before a character that fails the match, runs of ``[``,
runs of blank lines) are each read within a generous bound. A guard, not a benchmark: the
quadratic patterns these replace took minutes on the same lines (issue 24, item 6)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from npinit.editing import conda_env, context, pythons, requirements
from npinit.matchspec import parse_without_rattler
from npinit.record import snapshot

MB = 1_000_000
BLANKS = " " * MB
BOUND = 2.0  # seconds of CPU for one 1 MB case; the linear code needs about a tenth


def _config(tmp_path: Path, text: str) -> None:
    (tmp_path / "numpy").mkdir(exist_ok=True)
    (tmp_path / "numpy" / "__config__.py").write_text(text, "utf-8")
    snapshot.blas_from_config(tmp_path / "numpy")


CASES: dict[str, Callable[[Path], object]] = {
    # environment.yml's line scanner (issue 24: `name: x`, 50,000 blanks and a quote: 54 s)
    "yml key value": lambda _: conda_env._fast_parse(f"name: x{BLANKS}'\ndependencies:\n- a\n"),
    "yml item": lambda _: conda_env._fast_parse(f"dependencies:\n  - numpy{BLANKS}'\n"),
    "yml item then text": lambda _: conda_env._fast_parse(f"dependencies:\n  - numpy{BLANKS}x\n"),
    "yml item comments": lambda _: conda_env._fast_parse("dependencies:\n  - a" + " #" * MB),
    "yml variable": lambda _: conda_env._fast_parse(f"variables:\n  A: b{BLANKS}'\n"),
    "yml pip item": lambda _: conda_env._fast_parse(
        f"dependencies:\n  - pip:\n    - numpy{BLANKS}'\n"
    ),
    "requirements line": lambda _: requirements.numpy_lines(f"numpy{BLANKS}x\n"),
    "requirements hash": lambda _: requirements.numpy_lines(f"numpy{BLANKS}x#\n"),
    "python range, conda": lambda _: pythons.allowed(f">=3.9{BLANKS}x", "conda"),
    "python range, poetry": lambda _: pythons.allowed(f"^3.9{BLANKS}x", "poetry"),
    "python alternatives": lambda _: pythons.allowed(f"3.9{BLANKS}x|3.10", "pep440"),
    "python entry brackets": lambda _: context._python_entry("python" + "[" * MB),
    "blas selector brackets": lambda _: parse_without_rattler("libblas" + "[" * MB),
    "blas selector build": lambda _: parse_without_rattler(f"libblas[build{BLANKS}x"),
    "conda spec blanks": lambda _: parse_without_rattler(f"numpy{BLANKS}?"),
    "conda spec name": lambda _: parse_without_rattler("a" * MB + "?"),
    "numpy config blank lines": lambda tmp: _config(tmp, '"blas": {' + "\n" * MB),
    "numpy config openings": lambda tmp: _config(tmp, '"blas": {x' * (MB // 10)),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_megabyte_of_hostile_line_is_read_in_linear_time(case: str, tmp_path: Path) -> None:
    started = time.process_time()
    try:
        CASES[case](tmp_path)
    except Exception as error:  # refusing is fine; only the time is measured here
        assert type(error).__name__ == "InvalidInput", error
    spent = time.process_time() - started
    assert spent < BOUND, f"{case}: {spent:.1f} s of CPU for 1 MB"


def test_the_scanner_still_reads_what_it_read() -> None:
    """The linear line grammar gives the same entries and columns as before."""
    text = (
        "name: demo  # the name\n"
        "variables:\n  OMP_NUM_THREADS: 4 # threads\n"
        "dependencies:\n  - python=3.12   # the interpreter\n  - numpy  \n"
        "  - 'libblas=*=*mkl'\n  - pip:\n    - requests # http\n    - 'numpy<2' # pip's\n"
    )
    found = conda_env._fast_parse(text)
    assert found is not None
    data, entries, pip = found
    assert [(e.line, e.spec, e.start, e.end) for e in pip] == [(9, "numpy<2", 6, 15)]
    assert data["name"] == "demo" and data["variables"] == {"OMP_NUM_THREADS": "4"}
    deps = ["python=3.12", "numpy", "libblas=*=*mkl", {"pip": ["requests", "numpy<2"]}]
    assert data["dependencies"] == deps
    assert [(e.line, e.spec, e.start, e.end) for e in entries] == [
        (4, "python=3.12", 4, 15),
        (5, "numpy", 4, 9),
        (6, "libblas=*=*mkl", 4, 20),
    ]
