"""Refusals that say the real reason (black-box findings F11 of issue 26): a NumPy asked
for a Python it has no wheels for names the one line that does as that line, not "2.5 to
2.5"; a requirements file that includes a URL is refused as including a URL, not as
including a file "which does not exist"."""

from __future__ import annotations

from pathlib import Path

import pytest

from npinit.editing.requirements import lockable_includes
from npinit.errors import InvalidInput
from npinit.knowledge.releases import known_pythons, resolve_numpy


def test_one_fitting_line_is_named_once() -> None:
    newest = known_pythons()[-1]
    with pytest.raises(InvalidInput) as refused:
        resolve_numpy("1.26", newest)
    said = f"{refused.value.message} ({refused.value.hint})"
    assert f"for Python {newest} use NumPy" in said
    assert " to 2.5 (" not in said and "2.5 to 2.5" not in said, said


def test_a_url_include_is_refused_as_a_url(tmp_path: Path) -> None:
    source = tmp_path / "requirements.txt"
    source.write_text("-r https://example.com/req.txt\nnumpy\n")
    with pytest.raises(InvalidInput) as refused:
        lockable_includes(source, tmp_path, lambda p: p.read_text())
    assert refused.value.message == (
        "requirements.txt includes https://example.com/req.txt, a URL (fetched when pip "
        "runs): npinit cannot lock it"
    )
    assert "does not exist" not in refused.value.message
    assert refused.value.hint == "save it in the project and include that copy"


def test_a_long_solver_reason_is_cut_between_words() -> None:
    """The solver's explanation past 300 characters ends at a word, said to be cut (it
    ended '...which conflicts with the vers')."""
    from npinit.api.pins import held_back

    reason = "linux-64 cannot be solved: " + " ".join(["libblas * *mkl conflicts"] * 20)
    said = held_back(reason, "3.14", False)
    assert said.endswith(" ...") and len(said) <= 304
    assert said.removesuffix(" ...").split(" ")[-1] in ("libblas", "*", "*mkl", "conflicts")
