"""uv's "No solution found" as npinit's one line keeps uv's whole explanation: the package
that holds a pin back is in its first sentence (black-box finding: the line kept only the
last sentence, "And because you require numpy==2.5.5 ... unsatisfiable")."""

from __future__ import annotations

import pytest

from npinit.errors import InvalidInput
from npinit.model import Platform
from npinit.record import resolve_pypi

# uv's stderr for `uv pip compile --universal` of numba==0.60.0 and numpy==2.5.5 (Python 3.12):
# uv 0.13.9, and uv 0.6.15 (the oldest npinit allows: other marks, lines wrapped at 80)
PLAIN = """\
error: No solution found when resolving dependencies
  cause: Because numba==0.60.0 depends on numpy>=1.22,<2.1 and you require numba==0.60.0, we can conclude that you require numpy>=1.22,<2.1.
         And because you require numpy==2.5.5, we can conclude that your requirements are unsatisfiable.
"""  # noqa: E501
OLDER = """\
  \u00d7 No solution found when resolving dependencies:
  ╰─▶ Because numba==0.60.0 depends on numpy>=1.22,<2.1 and you require
      numba==0.60.0, we can conclude that you require numpy>=1.22,<2.1.
      And because you require numpy==2.5.5, we can conclude that your
      requirements are unsatisfiable.
"""


@pytest.mark.parametrize("output", [PLAIN, OLDER], ids=["uv-0.13", "uv-0.6"])
def test_the_reason_names_the_package_that_holds_the_pin_back(output: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        resolve_pypi._failed([Platform("linux-64")], output)
    message = caught.value.message
    assert message.startswith("the requirements cannot be resolved for linux-64: Because numba")
    assert "numba==0.60.0 depends on numpy>=1.22,<2.1" in message
    assert message.endswith("your requirements are unsatisfiable.")
    assert "\n" not in message and "╰" not in message and "cause:" not in message


def test_a_long_reason_is_cut_between_words_and_says_so() -> None:
    lines = ["error: No solution found when resolving dependencies", "cause: " + "word " * 200]
    reason = resolve_pypi.unsolvable_reason(lines)
    assert reason.endswith(" ...") and len(reason) <= 404 and "wor ..." not in reason
