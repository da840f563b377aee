"""package.canonical (PEP 503's name rule) takes a name without a run of separators by str
methods, and the rest by the pattern: the two agree."""

from __future__ import annotations

import random
import re

from npinit.record.package import canonical


def test_the_plain_path_and_the_pattern_agree() -> None:
    """20,000 names of letters, digits and runs of -, _ and . (Unicode too): the rule's."""
    rng = random.Random(503)
    pieces = ["a", "B", "0", "-", "_", ".", "--", "._", "\u00c9", "z", " "]
    names = ["", "numpy", "typing_extensions", "zope.interface", "A__b", "a-_.b", "-a-", "."]
    names += ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 7))) for _ in range(20000)]
    for name in names:
        assert canonical(name) == re.sub(r"[-_.]+", "-", name).lower(), name
