"""The compiled validators' plain checks (schemas/errors.PLAIN_CHECKS): a value a plain
check says yes to is one its pattern takes, so the pattern need not be compiled for it; any
other value goes to the pattern (PlainFirst.search)."""

from __future__ import annotations

import random
import re

import pytest

from npinit.schemas import compiled_lock
from npinit.schemas.errors import PLAIN_CHECKS, LazyPatterns, PlainFirst

# characters around each pattern's edges: case, digits (ASCII and not), separators, controls
ALPHABET = "aAzZ09_.-+!:/ \n\t\x00\x1f\x7f\x80\u0663\u00e9\u00df\u2028bf"
USUAL = [
    "numpy", "2.4.6", "3.12.1", "linux-64", "unknown", "cp312-cp312-manylinux_2_17_x86_64",
    "py3-none-any", "openblas", "cpython", "a" * 64, "sha256:" + "0f" * 32, "", "A_b.c-d",
]  # fmt: skip


def _candidates(seed: int) -> list[str]:
    rng = random.Random(seed)
    found = list(USUAL)
    for _ in range(6000):
        found.append("".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 8))))
        base = rng.choice(USUAL)
        cut = rng.randint(0, len(base))
        found.append(base[:cut] + rng.choice(ALPHABET) + base[cut + rng.randint(0, 1) :])
    found += ["unknown-", "-64", "linux-", "a-b-c-d", "a--b", "_", ".a", "a.", "3..1", "\u06633"]
    return found


@pytest.mark.parametrize("source", sorted(PLAIN_CHECKS))
def test_a_plain_check_says_yes_only_to_what_its_pattern_takes(source: str) -> None:
    """Some 12,000 strings (random and the usual values changed by a character): each one a
    plain check takes, its pattern takes; and it takes some (it is a shortcut, not nothing)."""
    pattern = re.compile(source)
    check = PLAIN_CHECKS[source]
    taken = [value for value in _candidates(len(source)) if check(value)]
    assert [value for value in taken if not pattern.search(value)] == []
    assert len(set(taken)) >= 2


def test_the_usual_lock_values_take_the_plain_path() -> None:
    """The values of a usual PyPI lock are each plainly in its pattern's form."""
    sources = compiled_lock.REGEX_PATTERNS.sources
    usual = {
        "^[A-Za-z0-9_]([A-Za-z0-9._-]*[A-Za-z0-9])?$": "numpy",
        "^[A-Za-z0-9_.+!-]+$": "2.4.6",
        "^[a-z0-9_-]*$": "cpython",
        "^[A-Za-z0-9_.]+-[A-Za-z0-9_.]+-[A-Za-z0-9_.]+$": "cp312-cp312-manylinux_2_17_x86_64",
        "^([0-9]+(\\.[0-9]+)*[a-z0-9.+]*)?$": "3.12.1",
        "^([a-z]+-[a-z0-9_]+|unknown)$": "linux-64",
        "^[^\\u0000-\\u001f\\u007f]*$": "npinit lock",
        "^sha256:[0-9a-f]{64}$": "sha256:" + "0f" * 32,
    }
    for key, value in usual.items():
        assert PLAIN_CHECKS[sources[key]](value), key


def test_a_value_the_plain_check_refuses_goes_to_the_pattern() -> None:
    """PlainFirst answers as its pattern does for what the plain check refuses (compiling it
    then), and the patterns without a plain check are compiled as before."""
    patterns = LazyPatterns({"n": "^[A-Za-z0-9_.+!-]+\\Z", "x": "^[0-9a-f]{32}\\Z"})
    version = patterns["n"]
    assert isinstance(version, PlainFirst) and version.search("1.0") and version.pattern is None
    assert not version.search("1.0\n") and not version.search("") and version.pattern is not None
    assert version.search("1.0") and isinstance(patterns["x"], re.Pattern)
