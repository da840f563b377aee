"""A lock's PyPI versions are checked as PEP 440 by packaging, except those in the plain form
(``lockfile.PLAIN_VERSION``: a release, then a pre, post and dev part, each optional), which
are taken without loading packaging. The two paths agree: on every version of the benchmark's
178 distributions and on tricky ones, ``is_pep440`` says what packaging says, and what the
plain form takes packaging takes too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from packaging.version import InvalidVersion, Version

from npinit.record.lockfile import PLAIN_VERSION, is_pep440
from npinit.record.package import plain_release

BENCHMARK = [
    line.split()[1]
    for line in (Path(__file__).parents[1] / "data/benchmark-versions.txt").read_text().splitlines()
    if not line.startswith("#")
]
TRICKY = [
    "1", "1.0", "01.02", "1.0.0.0.0", "0", "1.0rc1", "1.0a1", "1.0b2", "1.0.post1", "1.0.dev0",
    "1.0rc1.post2.dev3", "2026.10.19.post1", "1.0-post1", "1.0post1", "1.0.POST1", "1.0RC1",
    "v1.0", "V1.0", " 1.0", "1.0 ", "1.0\n", "\n1.0", "1!1.0", "0!1.0", "1.0+local", "1.0+cpu",
    "1.0+Local.1", "1.0.", ".1", "1..0", "1.0a", "1.0c1", "1.0pre1", "1.0preview1", "1.0alpha1",
    "1.0-1", "1.0_1", "1.0-rc1", "1.0.rc1", "1.0rc.1", "1.0.dev", "1.0.post", "1.0rc",
    "1.0.dev1.post1", "1.0a1b2", "1.0+", "1.0+a..b", "latest", "", " ", "1.2.3-alpha",
    "\u00b2", "\u0661.\u0660", "1.0\u00a0", "\uff11.0", "1.0a\u0661", "1e3", "-1", "+1", "1.0.*",
    "1.0 .post1", "1.0\t", "1.0.post1.dev1", "1.0a0", "1.0.post01", "1.0rc01", "1.0.dev-1",
]  # fmt: skip


def packaging_says(version: str) -> bool:
    try:
        Version(version)
    except InvalidVersion:
        return False
    return True


@pytest.mark.parametrize("version", BENCHMARK + TRICKY)
def test_the_plain_form_and_packaging_agree(version: str) -> None:
    assert is_pep440(version) == packaging_says(version)
    if re.fullmatch(PLAIN_VERSION, version):  # the plain path: packaging takes it too
        assert packaging_says(version)


def test_the_benchmarks_versions_are_all_plain_and_the_tricky_ones_are_asked() -> None:
    """The plain form covers what a real venv holds (so the benchmark loads no packaging),
    and the tricky list reaches packaging on both sides of its verdict."""
    assert len(BENCHMARK) == 178
    assert all(re.fullmatch(PLAIN_VERSION, v) for v in BENCHMARK)
    asked = [v for v in TRICKY if not re.fullmatch(PLAIN_VERSION, v)]
    assert {packaging_says(v) for v in asked} == {True, False}


def test_a_plain_release_is_one_the_pattern_takes() -> None:
    """plain_release (str methods, before the pattern is compiled) says yes only to what
    PLAIN_VERSION takes: some 20,000 strings of digits, dots, post, letters, Arabic digits,
    spaces; and it takes every version of the benchmark's 178."""
    import random

    rng = random.Random(440)
    parts = ["1", "0", "12", ".", ".", ".post", "post", "rc", "a", ".dev", " ", "\n", "\u0661", "+"]
    found = BENCHMARK + TRICKY
    found += ["".join(rng.choice(parts) for _ in range(rng.randint(0, 6))) for _ in range(20000)]
    taken = [v for v in found if plain_release(v)]
    assert [v for v in taken if not re.fullmatch(PLAIN_VERSION, v)] == []
    assert all(plain_release(v) for v in BENCHMARK)


def test_the_benchmarks_versions_compile_no_pattern() -> None:
    """In a fresh interpreter, is_pep440 of the benchmark's 178 versions compiles nothing."""
    import os
    import subprocess
    import sys

    from tests.helpers import npinit_environ

    code = (
        "import re._compiler as c\nseen = []\nreal = c.compile\n"
        "c.compile = lambda p, f=0: seen.append(p) or real(p, f)\n"
        "from npinit.record.lockfile import PLAIN_VERSION, is_pep440\n"
        f"assert all(is_pep440(v) for v in {BENCHMARK!r})\nprint(PLAIN_VERSION in seen)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True,
        env=npinit_environ(dict(os.environ)), check=True,
    )  # fmt: skip
    assert done.stdout.strip() == "False"
